"""The wider surface's throughput: each op compiled (`compat.function` / `tf.function`), compat
against TensorFlow in the same run.

Every body takes its inputs as arguments — `S` the stateless seed `[1, 2]`, `X` a batch of 32
224x224 RGB float32 images, `C` the true classes of the samplers — so that neither side can fold
a draw into a constant (TensorFlow's graph optimiser evaluates a stateless op of constant inputs
when the function is built). A case is TensorFlow source written against `T`, TensorFlow's module
layout: on TensorFlow's side
`T` is `tensorflow` itself, on ours a namespace that maps `T.random` to `compat`,
`T.random.experimental` to `compat.experimental`, `T.image` to `compat.image` and `T.nn` to
`compat.nn`. So each line below is the same program on both sides, and a case whose compat name
does not exist (yet) is reported as missing rather than failing the run.

    python benchmarks/bench_ops.py [repeats]     # KEYRNG_TF_PYTHON adds TensorFlow's column

KEYRNG_BENCH_ONLY=categorical,shuffle (comma-separated parts of case names) measures only the
cases whose names contain one of them, on both sides.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _timing import interleaved_medians, tensorflow_side  # noqa: E402

N = 2**20   # fills
M = 2**16   # the rejection samplers (gamma, poisson, binomial): tens of ms per call
IMAGES = "X"
CLASSES = "C"
# (name, values per call, source of a zero-argument body run compiled on each side)
CASES = [
    ("stateless_uniform 2^20 (reference)", N, "T.random.stateless_uniform([N], seed=S)"),
    ("stateless_gamma alpha=0.5 2^16", M, "T.random.stateless_gamma([M], seed=S, alpha=0.5)"),
    ("stateless_gamma alpha=3 2^16", M, "T.random.stateless_gamma([M], seed=S, alpha=3.0)"),
    ("gamma alpha=3 2^16 (op seed)", M, "T.random.gamma([M], alpha=3.0, seed=1)"),
    ("stateless_poisson lam=3 2^16", M, "T.random.stateless_poisson([M], seed=S, lam=3.0)"),
    ("stateless_poisson lam=30 2^16", M, "T.random.stateless_poisson([M], seed=S, lam=30.0)"),
    ("poisson lam=3 2^16 (op seed)", M, "T.random.poisson([M], lam=3.0, seed=1)"),
    ("stateless_binomial n=10 p=0.3 2^16", M,
     "T.random.stateless_binomial([M], seed=S, counts=10.0, probs=0.3)"),
    ("stateless_binomial n=1000 p=0.3 2^16", M,
     "T.random.stateless_binomial([M], seed=S, counts=1000.0, probs=0.3)"),
    ("stateless_parameterized_truncated_normal 2^16", M,
     "T.random.stateless_parameterized_truncated_normal([M], seed=S, minvals=-1.0, maxvals=1.5)"),
    ("stateless_categorical 1024 x 1000 classes", 1024 * 1000,
     "T.random.stateless_categorical(T.zeros([1024, 1000]), 1000, seed=S, dtype=T.int32)"),
    ("stateless_categorical 8 x 50000 classes, 1 sample (rate in logits)", 8 * 50000,
     "T.random.stateless_categorical(T.zeros([8, 50000]), 1, seed=S, dtype=T.int32)"),
    ("stateless_categorical 1 x 10 classes, 10^5 samples", 10**5,
     "T.random.stateless_categorical(T.zeros([1, 10]), 10**5, seed=S, dtype=T.int32)"),
    ("categorical 1024 x 1000 classes (op seed)", 1024 * 1000,
     "T.random.categorical(T.zeros([1024, 1000]), 1000, seed=1, dtype=T.int32)"),
    ("experimental.stateless_shuffle 2^17", 2**17,
     "T.random.experimental.stateless_shuffle(T.range(2**17), seed=S)"),
    ("experimental.stateless_shuffle 2^20", 2**20,
     "T.random.experimental.stateless_shuffle(T.range(2**20), seed=S)"),
    ("shuffle 2^17 (op seed)", 2**17, "T.random.shuffle(T.range(2**17), seed=1)"),
    ("experimental.index_shuffle 2^17", 2**17,
     "T.random.experimental.index_shuffle(T.range(2**17), seed=S, max_index=2**17 - 1)"),
    ("uniform_candidate_sampler 1000 unique", 1000,
     f"T.random.uniform_candidate_sampler({CLASSES}, 1, 1000, True, 10**6, seed=1)[0]"),
    ("log_uniform_candidate_sampler 1000 unique", 1000,
     f"T.random.log_uniform_candidate_sampler({CLASSES}, 1, 1000, True, 10**6, seed=1)[0]"),
    ("fixed_unigram_candidate_sampler 1000", 1000,
     f"T.random.fixed_unigram_candidate_sampler({CLASSES}, 1, 1000, False, 5, unigrams=[1.0, 2, 3, 4, 5], seed=1)[0]"),
    ("learned_unigram_candidate_sampler 1000", 1000,
     f"T.random.learned_unigram_candidate_sampler({CLASSES}, 1, 1000, False, 10**5, seed=1)[0]"),
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


def selected() -> list:
    """The cases KEYRNG_BENCH_ONLY picks (all of them without it)."""
    only = [part for part in os.environ.get("KEYRNG_BENCH_ONLY", "").split(",") if part]
    return [case for case in CASES if not only or any(part in case[0] for part in only)]


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
        import jax.numpy as jnp
        T, function = _compat_namespace()
        inputs = (jnp.array([1, 2], jnp.int32), jnp.zeros([32, 224, 224, 3], jnp.float32) + 0.5)

        def finish(value):
            return np.asarray(jax.block_until_ready(value))
    else:
        import numpy as np
        T, function = _tensorflow_namespace()
        inputs = (T.constant([1, 2], T.int64), T.zeros([32, 224, 224, 3]) + 0.5)

        def finish(value):
            return value.numpy()
    classes = np.zeros([8, 1], np.int64)  # the samplers want concrete classes (host kernels)
    calls, missing = {}, {}
    for name, _, source in selected():
        body = eval(f"lambda S, X: {source}", {"T": T, "N": N, "M": M, "C": classes})  # noqa: S307
        step = functools.partial(function(body), *inputs)
        try:
            finish(step())
        except Exception as exc:  # noqa: BLE001 - a missing op or argument form, reported
            missing[name] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:80]}"
            continue
        calls[name] = lambda step=step: finish(step())
    seconds = interleaved_medians(calls, repeats)
    return {"seconds": seconds, "missing": missing}


def report(repeats: int) -> None:
    theirs = tensorflow_side(measure, __file__, repeats)
    ours = measure("compat", repeats)
    print(f"{'':44s}{'compat':>10s}{'TF':>10s}{'TF/compat':>11s}   (M values/s)")
    for name, values, _ in selected():
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
