"""Replaying TensorFlow's recorded scenarios (`tests/data/tf_*_expected.json`) against compat.

A scenario is Python source written against a namespace `R` plus `out(x)` and `err(fn)`; this
module runs it with `R` bound to compat and returns records shaped like TensorFlow's: dtype,
shape and bit patterns, or `{"error": ...}`. Also runnable as a script, which replays one
scenario in a fresh process: `python tests/replay.py NAME`.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data"
# The recordings the suite replays, shipped with the tests (recorded from TensorFlow 2.21.0 CPU by
# data/record.py): the project's shared reference set, then the project's own extra scenarios.
FILES = (DATA / "tf_shared_expected.json", DATA / "tf_shared_bulk_expected.json",
         DATA / "tf_core_expected.json", DATA / "tf_state_expected.json",
         DATA / "tf_seed_forms_expected.json")
# An optional extra source: a directory of further recordings in the same format (by default
# ../shared/tf_reference beside the repository, when it is there). Scenarios whose names are
# already shipped are not replayed twice.
EXTRA = Path(os.environ.get("KEYRNG_TF_REFERENCE",
                            Path(__file__).resolve().parents[2] / "shared" / "tf_reference"))
_BIT_VIEW = {"float16": np.uint16, "bfloat16": np.uint16, "float32": np.uint32, "float64": np.uint64,
             "int32": np.int32, "int64": np.int64, "uint32": np.uint32, "uint64": np.uint64,
             "int8": np.int8, "int16": np.int16, "uint8": np.uint8, "uint16": np.uint16}
_NAMES = ("set_seed", "uniform", "normal", "truncated_normal", "function", "stateless_uniform",
          "stateless_normal", "stateless_truncated_normal", "split", "fold_in", "shuffle",
          "categorical", "Generator", "dropout", "enable_op_determinism", "get_global_generator",
          "set_global_generator", "create_rng_state",
          # binomial area
          "stateless_binomial", "stateless_categorical", "stateless_parameterized_truncated_normal")


def scenarios():
    """Every recorded scenario, as (file name, scenario dict): the shipped ones, then any others
    found in the optional extra source."""
    found, names = [], set()
    paths = list(FILES)
    if EXTRA.is_dir():
        paths += sorted(EXTRA.glob("expected*.json"))
    for path in paths:
        for scenario in json.loads(path.read_text())["scenarios"]:
            if scenario["name"] in names:
                continue
            names.add(scenario["name"])
            found.append((path.name, scenario))
    return found


def namespace():
    import compat
    import jax.numpy as jnp

    R = type("R", (), {})()
    for name in _NAMES:
        if hasattr(compat, name):
            setattr(R, name, getattr(compat, name))
    for name in _BIT_VIEW:
        setattr(R, name, getattr(jnp, name))
    # The names record.py's R has for the Generator, retracing and dropout scenarios.
    nn = getattr(compat, "nn", None)
    if nn is not None:
        R.nn_dropout = nn.dropout
        R.general_dropout = nn.experimental.general_dropout
        R.stateless_dropout = nn.experimental.stateless_dropout
    # gamma / poisson area
    for name in ("gamma", "poisson", "stateless_gamma", "stateless_poisson"):
        if hasattr(compat, name):
            setattr(R, name, getattr(compat, name))
    # end gamma / poisson area
    # Shuffles and candidate samplers (tests/data/tf_samplers_scenarios.py).
    experimental = getattr(compat, "experimental", None)
    if experimental is not None:
        for name in ("stateless_shuffle", "index_shuffle", "stateless_split", "stateless_fold_in"):
            setattr(R, name, getattr(experimental, name))
    for name in ("uniform_candidate_sampler", "log_uniform_candidate_sampler", "learned_unigram_candidate_sampler",
                 "fixed_unigram_candidate_sampler", "all_candidate_sampler"):
        if hasattr(compat, name):
            setattr(R, name, getattr(compat, name))
    R.nn_samplers = nn
    # End of shuffles and candidate samplers.
    # tf.image random augmentation (tests/data/tf_image_scenarios.py).
    if hasattr(compat, "image"):
        R.image = compat.image
    R.tracing_count = lambda f: np.int32(f.experimental_get_tracing_count())
    R.constant = _constant
    # fuzz-ops area (tests/data/tf_fuzz_ops_scenarios.py): the stateless `alg` enum.
    R.Algorithm = compat.Algorithm
    # end fuzz-ops area
    # fuzz-function area: the compat forms of record.py's loops, branches, tapes and hashes
    # (tests/data/tf_fuzz_function_scenarios.py): lax loops and branches, jax.value_and_grad.
    import jax
    from jax import lax
    R.TensorSpec = compat.TensorSpec
    R.bool = jnp.bool_
    R.fori_loop = lambda n, body, init: lax.fori_loop(0, n, body, init)
    R.while_loop = lambda n, body, init: lax.while_loop(
        lambda c: c[0] < n, lambda c: (c[0] + 1, body(c[0], c[1])), (jnp.int32(0), init))[1]
    R.scan = lambda n, body, init: lax.scan(
        lambda c, _: ((c[0] + 1, body(c[0], c[1])), None), (jnp.int32(0), init), length=n)[0][1]
    R.cond = lambda p, yes, no: lax.cond(p, yes, no)
    R.switch = lambda index, branches: lax.switch(index, branches)
    R.h0 = lambda: jnp.uint32(0)
    R.fold = lambda h, x: h * jnp.uint32(3) + jnp.sum(
        x if x.dtype == jnp.uint32 else lax.bitcast_convert_type(x, jnp.uint32), dtype=jnp.uint32)
    R.shape = lambda x: x.shape
    R.ones = jnp.ones
    R.reduce_sum = jnp.sum
    R.value_and_grad = lambda fn, x: jax.value_and_grad(fn)(x)
    # end of fuzz-function area
    return R


def _constant(value, dtype=None):
    """`tf.constant`'s dtypes: Python floats are float32 and Python ints int32 unless given."""
    if dtype is not None:
        return np.asarray(value, np.dtype(dtype))
    array = np.asarray(value)
    if not isinstance(value, np.ndarray):
        if array.dtype == np.float64:
            array = array.astype(np.float32)
        elif array.dtype == np.int64 and array.size and -2**31 <= array.min() and array.max() < 2**31:
            array = array.astype(np.int32)
    return array


def run(code: str) -> list[dict]:
    """Run a scenario's source against compat (after a full reset) and record its outputs."""
    import compat

    compat.reset()
    records: list[dict] = []

    def record(array):
        array = np.asarray(array)
        name = array.dtype.name
        bits = array.view(_BIT_VIEW[name]).reshape(-1)
        records.append({"dtype": name, "shape": list(array.shape), "bits": [int(b) for b in bits]})

    def out(x):
        for item in (x if isinstance(x, (tuple, list)) else [x]):
            record(item)

    def err(fn):
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - recording that it raised, like the recorder
            records.append({"error": type(exc).__name__})
            return
        records.append({"error": None})

    import contextlib

    import jax

    # Scenarios with 64-bit dtypes need jax's x64 mode, as they would in a user's program; the
    # others run as jax starts (x64 off) unless the whole process has it on.
    wide = "float64" in code or "int64" in code or "make_seeds" in code
    with jax.enable_x64(True) if wide else contextlib.nullcontext():
        exec(compile(code, "<scenario>", "exec"), {"R": namespace(), "out": out, "err": err, "np": np})
    return records


def ulp_distance(dtype: str, a: list[int], b: list[int]) -> np.ndarray:
    """Distance in units in the last place between two lists of float bit patterns."""
    view = _BIT_VIEW[dtype]
    signed = {np.uint16: np.int64, np.uint32: np.int64, np.uint64: object}[view]
    width = np.dtype(view).itemsize * 8

    def ordered(bits):
        out = []
        for x in bits:
            x = int(x)
            sign = x >> (width - 1)
            magnitude = x & ((1 << (width - 1)) - 1)
            out.append(-magnitude if sign else magnitude)
        return np.array(out, dtype=signed)

    return np.abs(ordered(a) - ordered(b))


if __name__ == "__main__":
    wanted = sys.argv[1]
    for _, scenario in scenarios():
        if scenario["name"] == wanted:
            print(json.dumps(run(scenario["code"])))
            break
    else:
        raise SystemExit(f"no scenario named {wanted!r}")
