"""The wider surface's throughput: each op compiled (`compat.function` / `tf.function`), compat
against TensorFlow in the same run.

A case is TensorFlow source written against `T`, TensorFlow's module layout: on TensorFlow's side
`T` is `tensorflow` itself, on ours a namespace that maps `T.random` to `compat`,
`T.random.experimental` to `compat.experimental`, `T.image` to `compat.image` and `T.nn` to
`compat.nn`. So each line below is the same program on both sides, and a case whose compat name
does not exist (yet) is reported as missing rather than failing the run.

    python benchmarks/bench_ops.py [repeats]     # KEYRNG_TF_PYTHON adds TensorFlow's column
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _timing import interleaved_medians  # noqa: E402

N = 2**20
IMAGES = "T.zeros([32, 224, 224, 3]) + 0.5"
# (name, values per call, source of a zero-argument body run compiled on each side)
CASES = [
    ("stateless_uniform (reference)", N, "T.random.stateless_uniform([N], seed=[1, 2])"),
    ("stateless_gamma alpha=0.5", N, "T.random.stateless_gamma([N], seed=[1, 2], alpha=0.5)"),
    ("stateless_gamma alpha=3", N, "T.random.stateless_gamma([N], seed=[1, 2], alpha=3.0)"),
    ("gamma alpha=3 (op seed)", N, "T.random.gamma([N], alpha=3.0, seed=1)"),
    ("stateless_poisson lam=3", N, "T.random.stateless_poisson([N], seed=[1, 2], lam=3.0)"),
    ("stateless_poisson lam=30", N, "T.random.stateless_poisson([N], seed=[1, 2], lam=30.0)"),
    ("poisson lam=3 (op seed)", N, "T.random.poisson([N], lam=3.0, seed=1)"),
    ("stateless_binomial n=10 p=0.3", N,
     "T.random.stateless_binomial([N], seed=[1, 2], counts=10.0, probs=0.3)"),
    ("stateless_binomial n=1000 p=0.3", N,
     "T.random.stateless_binomial([N], seed=[1, 2], counts=1000.0, probs=0.3)"),
    ("stateless_parameterized_truncated_normal", N,
     "T.random.stateless_parameterized_truncated_normal([N], seed=[1, 2], minvals=-1.0, maxvals=1.5)"),
    ("stateless_categorical 1024 x 1000 classes", 1024 * 1000,
     "T.random.stateless_categorical(T.zeros([1024, 1000]), 1000, seed=[1, 2])"),
    ("experimental.stateless_shuffle 2^20", N,
     "T.random.experimental.stateless_shuffle(T.range(N), seed=[1, 2])"),
    ("experimental.index_shuffle 2^20", N,
     "T.random.experimental.index_shuffle(T.range(N, dtype=T.int64), seed=[1, 2, 3], max_index=N - 1)"),
    ("log_uniform_candidate_sampler 64 of 10^6", 64,
     "T.random.log_uniform_candidate_sampler(T.zeros([8, 1], T.int64), 1, 64, True, 10**6, seed=1)[0]"),
    ("image.random_flip_left_right 32x224x224x3", 32 * 224 * 224 * 3,
     f"T.image.random_flip_left_right({IMAGES}, seed=1)"),
    ("image.random_brightness 32x224x224x3", 32 * 224 * 224 * 3,
     f"T.image.random_brightness({IMAGES}, 0.2, seed=1)"),
    ("image.random_contrast 32x224x224x3", 32 * 224 * 224 * 3,
     f"T.image.random_contrast({IMAGES}, 0.5, 1.5, seed=1)"),
    ("image.random_saturation 32x224x224x3", 32 * 224 * 224 * 3,
     f"T.image.random_saturation({IMAGES}, 0.5, 1.5, seed=1)"),
    ("image.random_hue 32x224x224x3", 32 * 224 * 224 * 3,
     f"T.image.random_hue({IMAGES}, 0.2, seed=1)"),
    ("image.random_crop 32x224x224x3 -> 200", 32 * 200 * 200 * 3,
     f"T.image.random_crop({IMAGES}, [32, 200, 200, 3], seed=1)"),
]


def _compat_namespace():
    import jax.numpy as jnp

    import compat
    random = types.SimpleNamespace(**{name: getattr(compat, name) for name in dir(compat)
                                      if not name.startswith("_")})
    return types.SimpleNamespace(
        random=random, image=getattr(compat, "image", None), nn=compat.nn,
        zeros=lambda shape, dtype=jnp.float32: jnp.zeros(shape, dtype),
        range=lambda n, dtype=jnp.int32: jnp.arange(n, dtype=dtype),
        int64=jnp.int64, int32=jnp.int32, float32=jnp.float32), compat.function


def _tensorflow_namespace():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf
    return tf, tf.function


def measure(side: str, repeats: int) -> dict:
    """Seconds per call of every case on `side` ("compat" or "tensorflow"); None where it fails."""
    if side == "compat":
        import jax
        import numpy as np
        T, function = _compat_namespace()
        wide = jax.enable_x64(True)  # index_shuffle and friends take int64 values, as in TF
        wide.__enter__()

        def finish(value):
            return np.asarray(jax.block_until_ready(value))
    else:
        T, function = _tensorflow_namespace()

        def finish(value):
            return value.numpy()
    calls, missing = {}, {}
    for name, _, source in CASES:
        body = eval(f"lambda: {source}", {"T": T, "N": N})  # noqa: S307 - the cases above
        step = function(body)
        try:
            finish(step())
        except Exception as exc:  # noqa: BLE001 - a missing op or argument form, reported
            missing[name] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:80]}"
            continue
        calls[name] = lambda step=step: finish(step())
    seconds = interleaved_medians(calls, repeats)
    return {"seconds": seconds, "missing": missing}


def tensorflow(repeats: int) -> dict | None:
    python = os.environ.get("KEYRNG_TF_PYTHON")
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        if not python:
            return None
    else:
        return measure("tensorflow", repeats)
    done = subprocess.run([python, __file__, "--tensorflow", str(repeats)], capture_output=True,
                          text=True, check=False, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    if done.returncode != 0:
        print(f"TensorFlow benchmark in {python} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(repeats: int) -> None:
    theirs = tensorflow(repeats)
    ours = measure("compat", repeats)
    print(f"{'':44s}{'compat':>10s}{'TF':>10s}{'TF/compat':>11s}   (M values/s)")
    for name, values, _ in CASES:
        if name in ours["missing"]:
            print(f"  {name:42s}  not measured: {ours['missing'][name]}")
            continue
        mine = ours["seconds"][name]
        line = f"  {name:42s}{values / mine / 1e6:10.1f}"
        if theirs and name in theirs["seconds"]:
            line += f"{values / theirs['seconds'][name] / 1e6:10.1f}{theirs['seconds'][name] / mine:11.2f}"
        elif theirs:
            line += f"{'—':>10s}   TF: {theirs['missing'].get(name, '')}"
        print(line)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--tensorflow":
        print(json.dumps(measure("tensorflow", int(sys.argv[2]))))
    else:
        report(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
