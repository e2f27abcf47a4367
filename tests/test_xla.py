"""TensorFlow's XLA numbers: `compat.function(jit_compile=True)` against TensorFlow 2.21 CPU's
`tf.function(jit_compile=True)`, bit for bit (docs/xla.md).

Known answers: `tests/data/tf_xla_expected.json`, recorded with TensorFlow 2.21.0 (CPU) by
`tests/data/record.py --list S` from `tests/data/tf_xla_scenarios.py` (each scenario's source is in
the file). The stateful ops, which TensorFlow's XLA bridge does not seed, were recorded twice in
separate processes: `tf_xla_stateful_run1.json` and `tf_xla_stateful_run2.json`. A second batch,
`tests/data/tf_xla_more_expected.json` from `tests/data/tf_xla_more_scenarios.py` (TensorFlow 2.21.0
CPU, the same recorder), holds truncated normals over many seeds, sizes and dtypes, float64 uniform
bounds with the seed as a constant and as an argument, seeds written as lists holding traced
scalars, and integer bounds with minval >= maxval. `tests/data/tf_xla_fold_<cap>.json` (from
`tests/data/tf_xla_fold_scenarios.py`, TensorFlow 2.21.0 CPU) are the compile-time scenarios
recorded again under XLA_FLAGS that cap the instruction set (each file names its flags).
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import compat
import keyrng
from tests import replay
from tests.test_replay import check

DATA = Path(__file__).parent / "data"
SCENARIOS = {s["name"]: s for f in ("tf_xla_expected.json", "tf_xla_more_expected.json")
             for s in json.loads((DATA / f).read_text())["scenarios"]}
RUNS = [json.loads((DATA / f"tf_xla_stateful_run{i}.json").read_text())["scenarios"] for i in (1, 2)]

# Where compat differs from TensorFlow 2.21, each written down in docs/xla.md: values TensorFlow's
# XLA:CPU program computed at COMPILE time. With a constant seed, LLVM unrolls the small loops of
# some programs and folds them one operation at a time (no fused multiply-add; glibc's log1p),
# where the same loop run at run time (and compat, whose jax compiles the same XLA) rounds
# `a * b + c` once. With the seed passed as an argument TensorFlow computes at run time, and compat
# matches every value (xla_tn_seed_argument, xla_uniform_f64_bounds_argument). Which arrays are
# folded depends on the machine TensorFlow compiles for (recorded on AVX-512; under AVX2 the [17]
# arrays are not folded, without FMA everything is op by op: FOLD_CAPS below), so compat keeps the
# run-time values and these are listed, not imitated.
# {scenario: {output index: what TensorFlow's compile-time value is}}: every element of
# TensorFlow's output is compat's value or that compile-time value, and at least one differs.
_F64_BOUNDS = [(lo, hi, n, seed) for lo, hi in ((-1.1, 2.3), (-2.5, 3.0))
               for n in (5, 6, 7, 8, 16, 17, 32, 33, 64, 65, 100, 101, 200) for seed in ([4, 5], [1, 2])]
DEVIATIONS = {
    # A [2, 2] float32 truncated normal (seed [-3, 7]): TensorFlow folds its 2-d loop, jax's XLA
    # emits one LLVM does not fold (a [4] one it folds, as TensorFlow: xla_tn_small_constant).
    "xla_stateless_truncated_normal_seeds": {7: ("truncated_normal", [-3, 7], 4)},
    "xla_tn_small_constant": {31: ("truncated_normal", [-3, 7], 4)},
    # float64 stateless_uniform with minval/maxval and a constant seed: `raw * (max - min)` and
    # `+ min` rounded separately, for all values of [5] ... [32] and [64], for the scalar tail of
    # the vectorized loop of [33], [65], [100], [101]; [200] and [1000] at run time.
    "xla_stateless_uniform_bounds": {6: ("uniform", [1, 2], 6, -2.5, 3.0), 7: ("uniform", [0, 0], 6, -2.5, 3.0)},
    "xla_affine_folding": {i: ("uniform", [4, 5], n, -1.1, 2.3) for i, n in ((0, 6), (1, 7), (2, 16), (4, 64), (5, 100))},
    "xla_uniform_f64_bounds_constant": {
        i: ("uniform", seed, n, lo, hi) for i, (lo, hi, n, seed) in enumerate(_F64_BOUNDS)
        if i in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17, 20, 21, 22, 26, 27, 28, 29, 30, 31,
                 32, 33, 34, 35, 36, 37, 38, 39, 41, 42, 43, 44, 46, 47, 48)},
}


def _compile_time(kind, seed, n, *bounds):
    """TensorFlow's value when LLVM folds the program at compile time, every operation rounded on
    its own: float64 `raw * (maxval - minval)` then `+ minval` ("uniform"), or the float32
    truncated normal (tf2xla's ParameterizedTruncatedNormal with XLA's ErfInv32, log1p
    correctly rounded as glibc's) of the first `n` values at the seed. numpy never fuses."""
    key = keyrng.tf.xla_stateless_key("t", seed)[0]
    if kind == "uniform":
        minval, maxval = bounds
        with jax.enable_x64(True):
            raw = np.asarray(keyrng.tf.xla_uniform_kernel(key, (n,), "float64"))
        return (raw * (np.float64(maxval) - np.float64(minval)) + np.float64(minval)).view(np.uint64)
    f = np.float32
    u = np.asarray(keyrng.tf.xla_uniform_kernel(key, (n,), "float32"))
    tiny, one, two, sqrt_2 = f(2.0**-126), f(1), f(2), f(np.sqrt(2.0))
    alpha = (one + f(math.erf(float(f(-2) / sqrt_2)))) / two
    beta = (one + f(math.erf(float(f(2) / sqrt_2)))) / two
    v = two * (alpha + (beta - alpha) * (u * (one - tiny) + tiny)) - one
    v = np.clip(v, -one + f(2.0**-23), one - f(2.0**-23))
    w = -np.log1p((-v * v).astype(np.float64)).astype(f)
    small = w < f(5)
    w = np.where(small, w - f(2.5), np.sqrt(w) - f(3))
    p = np.where(small, f(2.81022636e-08), f(-0.000200214257))
    for c_small, c_large in ((3.43273939e-07, 0.000100950558), (-3.5233877e-06, 0.00134934322),
                             (-4.39150654e-06, -0.00367342844), (0.00021858087, 0.00573950773),
                             (-0.00125372503, -0.0076224613), (-0.00417768164, 0.00943887047),
                             (0.246640727, 1.00167406), (1.50140941, 2.83297682)):
        p = np.where(small, f(c_small), f(c_large)) + p * w
    return np.clip(sqrt_2 * (p * v), f(-2), f(2)).view(np.uint32)


# Scenarios compat cannot run (docs/xla.md says why).
UNSUPPORTED = {
}
# The default group replays these (cheap: few shapes); the slow group every other scenario (each
# function of a scenario is a compile of its own: about 500 compiles, 80 s on an idle machine)
# including BULK (about 290 compiles more, 3.5 min on a busy 2-core machine; the deviations
# they hold are checked value by value).
DEFAULT = ("xla_stateless_errors",)
BULK = ("xla_tn_small_constant", "xla_tn_constant_seed", "xla_uniform_f64_bounds_argument",
        "xla_uniform_f64_bounds_constant")


def _replay(name: str) -> None:
    if name in UNSUPPORTED:
        pytest.xfail(UNSUPPORTED[name])
    scenario = copy.deepcopy(SCENARIOS[name])
    got = replay.run(scenario["code"])
    for index, model in DEVIATIONS.get(name, {}).items():
        want, have = scenario["outputs"][index]["bits"], got[index]["bits"]
        folded = _compile_time(*model).tolist()
        assert all(w in (h, c) for w, h, c in zip(want, have, folded, strict=True)), f"{name} output {index}"
        assert want != have, f"{name} output {index}: no longer differs"
        scenario["outputs"][index]["bits"] = have
    check(scenario, got)


@pytest.mark.parametrize("name", DEFAULT)
def test_recorded_scenario(name):
    _replay(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(set(SCENARIOS) - set(DEFAULT)))
def test_recorded_scenario_slow(name):
    _replay(name)


def test_every_scenario_is_placed():
    assert set(DEFAULT) | set(BULK) <= set(SCENARIOS)
    assert set(DEVIATIONS) | set(UNSUPPORTED) <= set(SCENARIOS)


def test_xla_key_is_the_cpu_key_for_non_negative_int32_seeds():
    for seed in ([1, 2], [0, 0], [2**31 - 1, 5]):
        assert keyrng.position(keyrng.tf.xla_stateless_key("t", seed)[0]) == \
            keyrng.position(keyrng.tf.stateless_key("t", seed)[0])
    # Negative seeds: XLA takes the low 32 bits, the CPU kernels sign-extend.
    assert keyrng.position(keyrng.tf.xla_stateless_key("t", [-3, 7])[0]) == \
        keyrng.position(keyrng.tf.stateless_key("t", [2**32 - 3, 7])[0])


@pytest.mark.slow
def test_fused_multiply_add_emulations_round_once():
    """The float32 and float64 FMAs of the uniform's scale and shift, against exact rationals."""
    from fractions import Fraction

    from keyrng import _tf_xla
    rng = np.random.default_rng(1)
    a, b = rng.random(500), rng.standard_normal(500) * 10.0 ** rng.integers(-5, 5, 500)
    c = rng.standard_normal(500) * 10.0 ** rng.integers(-8, 8, 500)
    with jax.enable_x64(True):
        got = np.asarray(jax.jit(_tf_xla._fma64)(a, b, c))
        want = [float(Fraction(x) * Fraction(y) + Fraction(z)) for x, y, z in zip(a, b, c)]
        assert got.tolist() == want
        a, b, c = (v.astype(np.float32) for v in (a, b, c))
        got = np.asarray(jax.jit(_tf_xla._fma32)(a, b, c))

    def nearest(exact):  # the float32 nearest to a rational, ties to even
        f = np.float32(float(exact))
        near = [np.nextafter(f, np.float32(-np.inf)), f, np.nextafter(f, np.float32(np.inf))]
        return min(near, key=lambda v: (abs(Fraction(float(v)) - exact), int(np.float32(v).view(np.uint32)) & 1))

    want = [nearest(Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))) for x, y, z in zip(a, b, c)]
    assert got.tolist() == [float(w) for w in want]


def test_callee_of_an_xla_function_draws_xla_numbers():
    inner = compat.function(lambda: compat.stateless_uniform([3], seed=[1, 2]))
    outer = compat.function(lambda: inner(), jit_compile=True)
    want = SCENARIOS["xla_stateless_uniform_dtypes"]["outputs"][0]["bits"][:3]
    assert np.asarray(outer()).view(np.uint32).tolist() == want


def test_generator_draws_in_an_xla_function():
    """The first function of the recorded `xla_generator_states` (Generator.from_seed(0))."""
    outputs = SCENARIOS["xla_generator_states"]["outputs"]
    g = compat.Generator.from_seed(0)
    f = compat.function(lambda: (g.uniform([5]), g.normal([5])), jit_compile=True)
    for call in range(2):
        got = [np.asarray(x).view(np.uint32).tolist() for x in f()]
        assert got == [outputs[2 * call]["bits"], outputs[2 * call + 1]["bits"]]
    assert g.state.tolist() == [5120, 0, 0]  # 2 calls of 10 values, 256 blocks each


def test_rejected_call_changes_no_state():
    g = compat.Generator.from_seed(7)
    f = compat.function(lambda: g.normal([-1]), jit_compile=True)
    with pytest.raises(ValueError):
        f()
    assert g.state.tolist() == [7, 0, 0]


@pytest.mark.slow
def test_categorical_kernel():
    """keyrng.tf.xla_draw_categorical against the recorded tf.random.stateless_categorical."""
    outputs = SCENARIOS["xla_stateless_categorical"]["outputs"]
    logits = jnp.log(jnp.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], jnp.float32))
    calls = [(seed, n, "int64", logits) for seed in ([1, 2], [0, 0], [-3, 7]) for n in (1, 5, 8)]
    calls.append(([1, 2], 4, "int32", logits))
    with jax.enable_x64(True):
        calls.append(([9, 9], 6, "int64", jnp.array([[0.0, 1.0, 2.0, 3.0]], jnp.float64)))
        for (seed, n, dtype, lg), want in zip(calls, outputs, strict=True):
            key, _ = keyrng.tf.xla_stateless_key("t", seed)
            got = keyrng.tf.xla_draw_categorical(key, lg, n, dtype)
            assert got.dtype.name == want["dtype"] and list(got.shape) == want["shape"]
            assert np.asarray(got).reshape(-1).tolist() == want["bits"]


def test_stateful_ops_ignore_seeds_under_xla():
    """The evidence behind docs/xla.md's stateful rows, from TensorFlow's two recordings."""
    first, second = RUNS
    # The same program gave the same values in two processes ...
    assert [s["outputs"] for s in first] == [s["outputs"] for s in second]
    op_seeds, global_seed = (s["outputs"] for s in first)
    # ... every call gives new values ...
    assert op_seeds[0]["bits"] != op_seeds[3]["bits"]
    # ... and seeds change nothing: tf.random.uniform([3], seed=3) in the first function of one
    # process and tf.random.uniform([4]) after set_seed(1234) in another start alike, and so do
    # the second functions (after set_seed(5) with op seed 3 / after set_seed(1234) again).
    assert op_seeds[0]["bits"] == global_seed[0]["bits"][:3]
    assert op_seeds[1]["bits"] == global_seed[1]["bits"][:3]
    assert op_seeds[9]["bits"] == global_seed[6]["bits"][:3]


@pytest.mark.slow
def test_seed_list_holding_a_traced_scalar():
    """`seed=[n, 1]` with `n` an argument: TensorFlow packs the list (scenario
    xla_list_seed_traced, outputs 0 and 11: with and without jit_compile)."""
    outputs = SCENARIOS["xla_list_seed_traced"]["outputs"]
    for jit, index in ((True, 0), (False, 11)):
        g = compat.function(lambda n: compat.stateless_uniform([3], seed=[n, 1]) * 2.0, jit_compile=jit)
        assert np.asarray(g(jnp.int32(1))).view(np.uint32).tolist() == outputs[index]["bits"]
    # The other items take the traced item's dtype, in its range; eagerly nothing changes.
    h = compat.function(lambda n: compat.stateless_uniform([3], seed=[n, 2**40]), jit_compile=True)
    with pytest.raises(ValueError, match="int32 range"):
        h(jnp.int32(1))
    assert np.array_equal(compat.stateless_uniform([3], seed=[jnp.int32(1), 1]),
                          compat.stateless_uniform([3], seed=[1, 1]))


def test_integer_bounds_are_not_checked_under_xla():
    """minval == maxval draws `minval + bits`, minval > maxval the wrapped span (scenario
    xla_int_equal_bounds, outputs 7 and 10); eagerly the call is refused, as by TensorFlow."""
    outputs = SCENARIOS["xla_int_equal_bounds"]["outputs"]
    key, _ = keyrng.tf.xla_stateless_key("t", [1, 2])
    for (lo, hi), index in (((5, 5), 7), ((6, 5), 10)):
        assert keyrng.tf.xla_check_int_bounds("t", "int32", lo, hi, 3) == (lo, hi)
        assert np.asarray(keyrng.tf.xla_draw_uniform(key, (3,), "int32", lo, hi)).tolist() == outputs[index]["bits"]
    with pytest.raises(ValueError, match="less than maxval"):
        compat.stateless_uniform([3], seed=[1, 2], minval=5, maxval=5, dtype=jnp.int32)


# TensorFlow's XLA values depend on the machine (docs/xla.md, "TensorFlow's XLA values depend on
# the machine"): the same scenarios recorded with XLA's code generation capped by XLA_FLAGS
# (tests/data/tf_xla_fold_scenarios.py → tests/data/tf_xla_fold_<cap>.json, TensorFlow 2.21.0 CPU
# on an AVX-512 machine, each file naming its XLA_FLAGS). Caps without FMA (SSE4_2, AVX) round
# every `a * b + c` twice; AVX2 (FMA, 256-bit vectors) folds other loops at compile time than
# AVX-512 (the host's, and the default) does.
FOLD_CAPS = {"none": "XLA_FLAGS unset", "sse4_2": "--xla_cpu_max_isa=SSE4_2", "avx": "--xla_cpu_max_isa=AVX",
             "avx2": "--xla_cpu_max_isa=AVX2", "avx512": "--xla_cpu_max_isa=AVX512",
             "nothunk": "--xla_cpu_use_thunk_runtime=false"}
# The float64 bounds scenarios' outputs: (lo, hi, n, seed) of each.
_F64_BOUNDS_ARGUMENT = [(lo, hi, n, seed) for lo, hi in ((-1.1, 2.3), (-2.5, 3.0))
                        for n in (6, 7, 16, 33, 64, 100, 200, 1000) for seed in ([4, 5], [1, 2], [0, 0])]


def _fold_recordings():
    recordings = {}
    for cap, flags in FOLD_CAPS.items():
        data = json.loads((DATA / f"tf_xla_fold_{cap}.json").read_text())
        assert data["recorded_with"].endswith(f"XLA_FLAGS={flags})" if flags.startswith("--") else f"{flags})")
        recordings[cap] = {s["name"]: s for s in data["scenarios"]}
    return recordings


def _differing_outputs(a: dict, b: dict) -> dict:
    """{scenario: [output indices]} where two recordings of the same scenarios differ."""
    found = {}
    for name in sorted(set(a) & set(b)):
        assert a[name]["code"] == b[name]["code"]
        diff = [i for i, (x, y) in enumerate(zip(a[name]["outputs"], b[name]["outputs"], strict=True))
                if x.get("bits") != y.get("bits")]
        if diff:
            found[name] = diff
    return found


def test_tensorflow_xla_values_depend_on_the_instruction_set():
    """The recordings alone: TensorFlow's value for one program and one seed changes with the ISA
    XLA compiles for (tests/data/tf_xla_fold_*.json)."""
    fold = _fold_recordings()
    none = fold["none"]
    # Unflagged: the suite's recordings again (another process, another day): reproducible.
    assert not _differing_outputs(none, {n: SCENARIOS[n] for n in none if n in SCENARIOS})
    # The host's own ISA (AVX-512) is the default; the thunk runtime flag changes nothing.
    assert not _differing_outputs(none, fold["avx512"]) and not _differing_outputs(none, fold["nothunk"])
    # No FMA (SSE4_2, AVX): every float64 and float32 uniform with bounds, seed as an argument,
    # is another value (rounded twice: test_isa_capped_bounds_are_fused_or_op_by_op) ...
    for cap in ("sse4_2", "avx"):
        diff = _differing_outputs(none, fold[cap])
        assert diff["xla_uniform_f64_bounds_argument"] == list(range(48))
        assert diff["xla_uniform_f32_bounds_argument"] == list(range(6))
        # ... and so is every [1000] truncated normal and normal with a mean and stddev (XLA's
        # erfinv polynomial and `x * stddev + mean`, fused or not), seed as an argument too, and
        # one of the six plain [1000] normals (XLA's log/sin/cos polynomials); the small plain
        # normals of xla_stateless_normal_seeds happen to keep their values.
        assert diff["xla_fold_seed_argument"] == [2, *range(3, 12), *range(15, 24)]
        assert "xla_stateless_normal_seeds" not in diff
    # AVX2 (FMA, 4 doubles a vector where AVX-512 has 8): only the [17] float64 arrays with bounds
    # and a constant seed move: AVX-512 folds all 17 values at compile time, AVX2 runs 16 in a
    # vector loop (fused) and folds the 17th.
    assert _differing_outputs(none, fold["avx2"]) == {"xla_uniform_f64_bounds_constant": [10, 11, 36, 37]}
    assert [_F64_BOUNDS[i][2] for i in (10, 11, 36, 37)] == [17] * 4


@pytest.mark.slow
def test_isa_capped_bounds_are_fused_or_op_by_op():
    """Every float64 uniform value with bounds TensorFlow gave, under every cap, is either compat's
    (one rounding: XLA's fused multiply-add, which keyrng computes exactly) or the op-by-op value
    (`_compile_time`); without FMA (SSE4_2, AVX) every one is the op-by-op value, with FMA every
    seed-as-argument value is compat's."""
    fold = _fold_recordings()
    models = {"xla_uniform_f64_bounds_constant": _F64_BOUNDS, "xla_uniform_f64_bounds_argument": _F64_BOUNDS_ARGUMENT}
    values = {}
    with jax.enable_x64(True):
        for lo, hi, n, seed in set((lo, hi, n, tuple(seed)) for m in models.values() for lo, hi, n, seed in m):
            key = keyrng.tf.xla_stateless_key("t", list(seed))[0]
            fused = np.asarray(keyrng.tf.xla_draw_uniform(key, (n,), "float64", lo, hi)).view(np.uint64).tolist()
            values[lo, hi, n, seed] = fused, _compile_time("uniform", list(seed), n, lo, hi).tolist()
    for cap, recording in fold.items():
        for name, model in models.items():
            for index, (lo, hi, n, seed) in enumerate(model):
                want = recording[name]["outputs"][index]["bits"]
                fused, folded = values[lo, hi, n, tuple(seed)]
                assert all(w in (f, c) for w, f, c in zip(want, fused, folded, strict=True)), (cap, name, index)
                if cap in ("sse4_2", "avx"):
                    assert want == folded, (cap, name, index)
                elif name == "xla_uniform_f64_bounds_argument":
                    assert want == fused, (cap, name, index)


_CAPPED_REPLAY = """
import json, sys
from tests import replay
print(json.dumps([replay.run(code) for code in json.loads(sys.stdin.read())]))
"""


@pytest.mark.slow
def test_compat_under_an_isa_cap():
    """jax compiles compat's kernels with the same XLA: run under XLA_FLAGS=--xla_cpu_max_isa=AVX
    (no FMA), compat gives TensorFlow's AVX values for the truncated normal and the normal with a
    mean and stddev (jax's XLA stops fusing them as TensorFlow's does), constant seeds and the
    [2, 2] float32 array of DEVIATIONS included, while its uniform with bounds keeps the one
    rounding it computes exactly (TensorFlow's AVX-512 value), where TensorFlow under the cap
    rounds twice."""
    import os
    import subprocess
    import sys
    names = ("xla_fold_seed_argument", "xla_stateless_truncated_normal_seeds", "xla_tn_small_constant_f32_f64")
    capped = _fold_recordings()["avx"]
    env = dict(os.environ, XLA_FLAGS="--xla_cpu_max_isa=AVX")
    proc = subprocess.run([sys.executable, "-c", _CAPPED_REPLAY], input=json.dumps([capped[n]["code"] for n in names]),
                          capture_output=True, text=True, env=env, cwd=Path(__file__).parents[1], check=True)
    bounds = {"xla_fold_seed_argument": {9, 10, 11, 21, 22, 23}}  # stateless_uniform with minval/maxval
    default = _fold_recordings()["none"]
    for name, got in zip(names, json.loads(proc.stdout.splitlines()[-1]), strict=True):
        for index, (want, have) in enumerate(zip(capped[name]["outputs"], got, strict=True)):
            if index in bounds.get(name, ()):
                assert have["bits"] == default[name]["outputs"][index]["bits"] != want["bits"], (name, index)
            else:
                assert have["bits"] == want["bits"], (name, index)
