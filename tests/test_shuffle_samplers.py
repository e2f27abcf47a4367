"""The stateless shuffles (`compat.experimental`) and the candidate samplers, against TensorFlow.

Known answers: the scenarios of tests/data/tf_samplers_scenarios.py and
tests/data/tf_samplers_fuzz_scenarios.py, recorded with TensorFlow 2.21.0 CPU (each scenario in a
fresh process, by tests/data/record.py's `--child`) into tests/data/tf_samplers_expected.json and
tests/data/tf_samplers_fuzz_expected.json, replayed bit for bit (candidates, expected counts,
shuffled values, errors). The glibc float ports (`log1pf`, `expm1f`)
are checked against the platform's libm where it is glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import math
import platform
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import compat
import keyrng
import keyrng.tf as tfk
from tests import replay
from tests.test_replay import check

_DIR = Path(__file__).parent / "data"
DATA = json.loads((_DIR / "tf_samplers_expected.json").read_text())
SCENARIOS = {scenario["name"]: scenario for scenario in DATA["scenarios"]}
# Randomised scenarios (tests/data/tf_samplers_fuzz_scenarios.py), all in the slow group.
FUZZ = json.loads((_DIR / "tf_samplers_fuzz_expected.json").read_text())["scenarios"]
SCENARIOS.update({scenario["name"]: scenario for scenario in FUZZ})


# Scenarios that compile many kernels (a shuffle per size and dtype) run in the slow group; the
# samplers run on the host and stay in the default group.
_HEAVY = ("sshuffle_", "ishuffle_", "function_shuffles", "stateless_split_fold_in", "sampler_learned_big_range",
          "fuzz_")


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.slow) if name.startswith(_HEAVY) else name
                                  for name in sorted(SCENARIOS)])
def test_recorded_scenario(name):
    check(SCENARIOS[name], replay.run(SCENARIOS[name]["code"]))


# --- stateless_shuffle and index_shuffle ---------------------------------------------------------

@pytest.mark.slow
def test_stateless_shuffle_is_random_shuffle_at_the_stateless_position():
    value = jnp.arange(30.0).reshape(10, 3)
    expected = tfk.draw_shuffle(keyrng.tf_stateless_key([4, 5]), value)
    np.testing.assert_array_equal(compat.experimental.stateless_shuffle(value, [4, 5]), expected)


def test_aliases_are_the_same_functions():
    assert compat.experimental.stateless_split is compat.split
    assert compat.experimental.stateless_fold_in is compat.fold_in
    assert compat.experimental.Generator is compat.Generator
    assert compat.experimental.Algorithm.PHILOX.value == 1
    from compat._stateless_ops import check_alg
    assert check_alg("f", compat.Algorithm.PHILOX) == 1 and check_alg("f", compat.Algorithm.AUTO_SELECT) == 3
    with pytest.raises(ValueError):
        check_alg("f", compat.Algorithm.THREEFRY)


@pytest.mark.slow
@pytest.mark.parametrize("max_index", [0, 1, 5, 255, 256, 1000])
def test_index_shuffle_is_a_permutation(max_index):
    out = compat.experimental.index_shuffle(np.arange(max_index + 1, dtype=np.int32), [3, 4], np.int32(max_index))
    assert sorted(np.asarray(out).tolist()) == list(range(max_index + 1))


@pytest.mark.slow
def test_index_shuffle_traced_block_size_matches_the_c_library_below_2_to_49():
    values = [1, 2, 3, 4, 5, 255, 256, 257, 65535, 65536, 65537, 2**31 - 1, 2**31, 2**31 + 1, 2**32 - 1,
              2**32, 2**32 + 1, 2**40 + 5, 2**48, 2**48 + 1, 2**49]
    words = np.array(values, np.uint64)
    low = jnp.asarray((words & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    high = jnp.asarray((words >> np.uint64(32)).astype(np.uint32))
    traced = jax.jit(_tf_shuffle_traced_words)(low, high)
    assert (2 * np.asarray(traced)).tolist() == [tfk.index_shuffle_block_bits(v) for v in values]


def _tf_shuffle_traced_words(low, high):
    from keyrng import _tf_shuffle
    return _tf_shuffle._traced_words(low, high)


@pytest.mark.slow
def test_index_shuffle_in_a_function_with_a_traced_max_index():
    @compat.function
    def f(m):
        return compat.experimental.index_shuffle(np.arange(6, dtype=np.int32), [5, 9], m)

    eager = compat.experimental.index_shuffle(np.arange(6, dtype=np.int32), [5, 9], np.int32(5))
    np.testing.assert_array_equal(f(np.int32(5)), eager)


def test_index_shuffle_errors_use_the_template():
    with pytest.raises(ValueError, match=r"^`compat.experimental.index_shuffle`: `seed` must be"):
        compat.experimental.index_shuffle(0, [1, 2, 3], 3)
    with pytest.raises(TypeError, match=r"^`compat.experimental.index_shuffle`: `index` must be"):
        compat.experimental.index_shuffle(1.5, [1, 2], 3)


# --- candidate samplers --------------------------------------------------------------------------

def test_sampler_known_answer():
    # TensorFlow 2.21.0 CPU, fresh process: tf.random.uniform_candidate_sampler([[1], [2]], 1, 4, True, 10, seed=1)
    sampled, true_count, sampled_count = compat.uniform_candidate_sampler([[1], [2]], 1, 4, True, 10, seed=1)
    assert sampled.dtype == jnp.int64 and sampled.tolist() == [1, 5, 4, 7]
    assert np.asarray(true_count).tolist() == [[np.float32(0.40951002)]] * 2  # via log1pf/expm1f, not 0.4


def test_sampler_counter_moves_512_blocks_per_candidate():
    first = compat.uniform_candidate_sampler([[1]], 1, 3, False, 1000, seed=6)
    second = compat.uniform_candidate_sampler([[1]], 1, 3, False, 1000, seed=6)
    sampler = tfk.Sampler("uniform", 1000)
    true = np.array([[1]], np.int64)
    for offset, result in ((0, first), (512 * 3, second)):
        expected = tfk.draw_candidates(jax.random.key_data(keyrng.tf_key(87654321, 6, offset)), sampler, true, 3, False)
        for a, b in zip(result, expected):
            np.testing.assert_array_equal(a, b)


def test_rejected_sampler_call_changes_no_state():
    compat.set_seed(4)
    with pytest.raises(ValueError, match=r"^`compat.uniform_candidate_sampler`: `true_classes` must be"):
        compat.uniform_candidate_sampler([[10]], 1, 3, False, 10)
    after_error = compat.uniform_candidate_sampler([[1]], 1, 3, False, 10)[0]
    compat.set_seed(4)
    np.testing.assert_array_equal(compat.uniform_candidate_sampler([[1]], 1, 3, False, 10)[0], after_error)


def test_samplers_run_in_a_function():
    @compat.function
    def f():
        return compat.uniform_candidate_sampler([[2]], 1, 4, True, 30, seed=8)

    compat.reset()
    eager = compat.uniform_candidate_sampler([[2]], 1, 4, True, 30, seed=8)
    for a, b in zip(f(), eager):
        np.testing.assert_array_equal(a, b)


def test_learned_unigram_runs_in_a_function():
    # Each call site is a kernel of its own, which learns across calls (tests/test_samplers2.py).
    @compat.function
    def f():
        return compat.learned_unigram_candidate_sampler([[2]], 1, 4, True, 30, seed=8)

    compat.reset()
    eager = [compat.learned_unigram_candidate_sampler([[2]], 1, 4, True, 30, seed=8) for _ in range(2)]
    for expected in eager:
        for a, b in zip(f(), expected):
            np.testing.assert_array_equal(a, b)


def test_nn_spellings():
    assert compat.nn.learned_unigram_candidate_sampler is compat.learned_unigram_candidate_sampler
    assert compat.nn.fixed_unigram_candidate_sampler is compat.fixed_unigram_candidate_sampler
    assert compat.nn.all_candidate_sampler is compat.all_candidate_sampler


# --- glibc's log1pf / expm1f ---------------------------------------------------------------------

def _libm():
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        pytest.skip("the ports are of glibc's functions")
    libm = ctypes.CDLL(ctypes.util.find_library("m"))
    for name in ("log1pf", "expm1f"):
        getattr(libm, name).restype = ctypes.c_float
        getattr(libm, name).argtypes = [ctypes.c_float]
    return libm


def _check_ports(count):
    libm = _libm()
    rng = np.random.default_rng(count)
    xs = np.concatenate([-rng.random(count).astype(np.float32), rng.random(count // 4).astype(np.float32) * 8,
                         -np.float32(2.0) ** -np.arange(1, 40, dtype=np.float32)])
    xs = xs[xs > -1]
    for x in xs:
        assert np.float32(libm.log1pf(float(x))) == tfk.log1pf(x), x
    ys = np.concatenate([-rng.random(count).astype(np.float32) * 40, rng.random(count // 4).astype(np.float32) * 80,
                         -rng.random(count // 4).astype(np.float32) * 1.2])
    for y in ys:
        assert np.float32(libm.expm1f(float(y))) == tfk.expm1f(y), y


def test_glibc_float_ports():
    _check_ports(1500)


@pytest.mark.slow
def test_glibc_float_ports_many():
    _check_ports(200000)


def test_glibc_double_functions_are_pythons():
    # log_uniform's double exp / log / log1p are glibc's; Python's math calls the same libm.
    assert math.log1p(1000.0) == float(np.log1p(1000.0))


def test_sampler_kernels_survive_a_json_checkpoint():
    import json
    compat.set_seed(3)
    compat.learned_unigram_candidate_sampler([[2, 2]], 2, 4, False, 5, seed=7)
    compat.fixed_unigram_candidate_sampler([[0]], 1, 3, True, 4, unigrams=[1, 2, 3, 4], seed=2)
    compat.uniform_candidate_sampler([[0]], 1, 2, True, 4, seed=2)
    snapshot = json.loads(json.dumps(compat.get_state()))
    after = compat.fixed_unigram_candidate_sampler([[0]], 1, 3, True, 4, unigrams=[1, 2, 3, 4], seed=2)[0]
    compat.set_state(snapshot)
    np.testing.assert_array_equal(
        compat.fixed_unigram_candidate_sampler([[0]], 1, 3, True, 4, unigrams=[1, 2, 3, 4], seed=2)[0], after)
