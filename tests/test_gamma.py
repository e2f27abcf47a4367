"""compat.gamma, poisson, stateless_gamma and stateless_poisson against TensorFlow 2.21.0 (CPU).

Known answers: the scenarios of tests/data/tf_gamma_scenarios.py, recorded with TensorFlow 2.21.0
(CPU) by tests/data/record.py into tests/data/tf_gamma_expected.json, replayed bit for bit (the
default group replays the small ones; `-m slow` replays them all). Also: rejected calls change no
state, keyrng.tf's kernels against the compat ops, and the glibc ports of keyrng/_libm64.py (and
XLA's float64 `pow`, which the gamma kernel uses as it is) against this machine's C library.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import platform
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import compat
import keyrng
import keyrng.tf
from keyrng import _libm64
from tests import replay
from tests.test_replay import check

DATA = json.loads((Path(__file__).parent / "data" / "tf_gamma_expected.json").read_text())
SCENARIOS = {scenario["name"]: scenario for scenario in DATA["scenarios"]}
# Small scenarios (at most 16 values per call: the kernels' smallest compiled size) run by default.
DEFAULT = ("gamma_repeated_calls_share_counter", "poisson_negative_empty_shapes", "gamma_errors",
           "poisson_errors", "stateless_gamma_errors", "stateless_poisson_errors")


def _replay(name: str) -> None:
    scenario = SCENARIOS[name]
    check(scenario, replay.run(scenario["code"]))


@pytest.mark.parametrize("name", DEFAULT)
def test_recorded(name):
    _replay(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", [name for name in SCENARIOS if name not in DEFAULT])
def test_recorded_slow(name):
    _replay(name)


def test_every_scenario_is_recorded():
    namespace: dict = {}
    exec((Path(__file__).parent / "data" / "tf_gamma_scenarios.py").read_text(), namespace)
    assert [name for name, _ in namespace["SCENARIOS"]] == list(SCENARIOS)
    for name, code in namespace["SCENARIOS"]:
        assert SCENARIOS[name]["code"] == code, name


@pytest.mark.parametrize("call, error", [
    (lambda: compat.gamma([-1], 1.0, seed=1), ValueError),
    (lambda: compat.gamma(3, 1.0, seed=1), ValueError),
    (lambda: compat.gamma([2], 1.0, dtype=compat.int32, seed=1), ValueError),
    (lambda: compat.gamma([2], 1.0, dtype=compat.bfloat16, seed=1), ValueError),
    (lambda: compat.gamma([2], [1.0, 2.0], beta=[1.0, 2.0, 3.0], seed=1), ValueError),
    (lambda: compat.gamma([2], "a", seed=1), TypeError),
    (lambda: compat.gamma([2], jnp.ones([2], jnp.float16), seed=1), ValueError),
    (lambda: compat.gamma([2], 1.0, seed=1.5j), TypeError),
    (lambda: compat.poisson([-1], 1.0, seed=1), ValueError),
    (lambda: compat.poisson([2], 1.0, dtype=compat.bfloat16, seed=1), ValueError),
    (lambda: compat.poisson([2], "x", seed=1), TypeError),
    (lambda: compat.stateless_poisson([3], [1, 2], True), TypeError),
    (lambda: compat.poisson([2], float("nan"), seed=1), ValueError),
    (lambda: compat.stateless_poisson([2], [1, 2], 1e10), ValueError),
    (lambda: compat.stateless_poisson([2], [1, 2], 7e4, dtype=compat.float16), ValueError),
    (lambda: compat.stateless_poisson([3, 2], [1, 2], [1.0, 2.0, 3.0]), ValueError),
    (lambda: compat.stateless_gamma([3, 2], [1, 2], [1.0, 2.0, 3.0]), ValueError),
    (lambda: compat.stateless_gamma([3], [1, 2, 3], 1.0), ValueError),
])
def test_rejected_calls_change_no_state(call, error):
    compat.set_seed(5)
    compat.uniform([2], seed=1)
    before = compat.get_state()
    with pytest.raises(error, match=r"^`compat\.\w+`: `\w+` must be "):
        call()
    assert compat.get_state() == before


def test_empty_shape_draws_an_op_seed_only():
    compat.set_seed(3)
    assert compat.gamma([0], [1.0, 2.0]).shape == (0, 2)
    assert compat.poisson([2, 0], 1.0).shape == (2, 0)
    after = compat.get_state()
    compat.reset()
    compat.set_seed(3)
    compat.get_seed(None), compat.get_seed(None)
    assert compat.get_state() == after


def test_keyrng_calls_match_compat():
    """The hand-written keyrng equivalents of docs/gamma_poisson.md."""
    compat.set_seed(7)
    seed, seed2 = keyrng.tf.seed_pair(7, 4)
    got = compat.gamma([3], [0.5, 2.0], beta=2.0, seed=4)
    full, alpha, beta, dtype = keyrng.tf.check_gamma("my.gamma", [3], [0.5, 2.0], 2.0, "float32", stateless=False)
    want = keyrng.tf.finish_gamma(keyrng.tf.draw_gamma(keyrng.tf.key(seed, seed2, 0), full, alpha, dtype), beta)
    np.testing.assert_array_equal(got, want)
    got = compat.stateless_poisson([4, 2], [1, 2], [3.0, 12.0])
    want = keyrng.tf.poisson(keyrng.tf_stateless_key([1, 2]), [3.0, 12.0], [4, 2])
    np.testing.assert_array_equal(got, want)


@pytest.mark.slow
def test_threefry_keys_fall_back_to_jax_random():
    key = jax.random.key(0)
    assert keyrng.tf.gamma(key, [0.5, 2.0], [3, 2]).shape == (3, 2)
    assert keyrng.tf.poisson(key, [0.5, 20.0], [3, 2]).dtype == jnp.int32


# --- the C library's functions ---------------------------------------------------------------------

def _libm():
    if platform.system() != "Linux" or not ctypes.util.find_library("m"):
        pytest.skip("needs glibc's libm")
    lib = ctypes.CDLL("libm.so.6")
    for name in ("log1p", "exp", "lgamma"):
        getattr(lib, name).restype = ctypes.c_double
        getattr(lib, name).argtypes = [ctypes.c_double]
    lib.pow.restype = ctypes.c_double
    lib.pow.argtypes = [ctypes.c_double, ctypes.c_double]
    return lib


def _same_bits(ours, theirs):
    ours, theirs = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    both_nan = np.isnan(ours) & np.isnan(theirs)
    bad = ~both_nan & (ours.view(np.uint64) != theirs.view(np.uint64))
    assert not bad.any(), f"{int(bad.sum())} differ, first at {np.nonzero(bad)[0][:5]}"


@pytest.mark.slow
def test_libm64_against_glibc():
    """TensorFlow's arguments (log1p(-u), exp(-rate), lgamma(k + 1)) and wider ranges."""
    lib = _libm()
    rng = np.random.default_rng(12)
    u = np.floor(rng.random(100_000) * 2.0**52) * 2.0**-52  # TensorFlow's float64 uniforms
    wide = np.concatenate([rng.standard_normal(20_000) * 0.3, np.exp(rng.uniform(-40, 40, 20_000)),
                           -np.exp(rng.uniform(-60, 0, 20_000)), [0.0, -0.0, -1.0, -2.0, np.inf, 2.0**-30]])
    with jax.enable_x64(True):
        for x in (-u, wide):
            _same_bits(_libm64.log1p(jnp.asarray(x)), [lib.log1p(float(v)) for v in x])
        for x in (-rng.random(100_000) * 10, rng.uniform(-500, 500, 50_000)):
            _same_bits(_libm64.exp(jnp.asarray(x)), [lib.exp(float(v)) for v in x])
        k = np.concatenate([np.arange(1.0, 20_000.0), np.floor(np.exp(rng.uniform(0, 40, 50_000))) + 1])
        x = np.concatenate([k, rng.uniform(2, 8, 20_000), rng.uniform(8, 1e6, 20_000)])
        _same_bits(_libm64.lgamma(jnp.asarray(x)), [lib.lgamma(float(v)) for v in x])


@pytest.mark.slow
def test_xla_pow_is_glibc_pow():
    """The boost `pow(b, 1 / alpha)` uses XLA's float64 power as it is: XLA:CPU calls the C
    library's `pow` for it. Checked on TensorFlow's arguments (uniform b, alphas below 1); the
    one difference is XLA:CPU's flush of subnormal results to zero (see keyrng/_tf_gamma.py)."""
    lib = _libm()
    rng = np.random.default_rng(13)
    b = np.floor(rng.random(100_000) * 2.0**52) * 2.0**-52
    e = 1.0 / np.exp(rng.uniform(np.log(1e-4), 0.0, 100_000))
    with jax.enable_x64(True):
        ours = np.asarray(jax.jit(jnp.power)(jnp.asarray(b), jnp.asarray(e)))
    theirs = np.array([lib.pow(float(x), float(y)) for x, y in zip(b, e)])
    subnormal = (theirs != 0) & (np.abs(theirs) < np.finfo(np.float64).tiny)
    assert (ours[subnormal] == 0).all()
    _same_bits(ours[~subnormal], theirs[~subnormal])
