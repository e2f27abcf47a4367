"""TensorFlow's rules where compat once diverged, replayed from TensorFlow 2.21.0 (CPU) recordings
(`tests/data/tf_fidelity_expected.json`, made by shared/tf_reference/record.py from
`tests/data/tf_fidelity_scenarios.py`), bit for bit, every dtype and family (no ulp allowance):

- argument forms TensorFlow accepts (bools, NumPy numbers of every kind, lists, integer bounds
  converted as convert_to_tensor converts them, noise_shape with None);
- signs of zero: eager TensorFlow's scalar cache (the first float zero converted to a dtype is
  every later one) and Grappler's `x + zeros` fold inside tf.function;
- array-valued scaling and dropout's scale on every float dtype;
- categorical on every logits dtype and with many samples (Multinomial's row sharding).
"""

from __future__ import annotations

import json
from pathlib import Path

import jax.numpy as jnp
import numpy as np
import pytest

import compat
import keyrng
from compat import _ops
from keyrng import _distributions, _tf_discrete
from tests import replay
from tests.test_replay import check

DATA = json.loads((Path(__file__).parent / "data" / "tf_fidelity_expected.json").read_text())
SCENARIOS = {scenario["name"]: scenario for scenario in DATA["scenarios"]}


# The sign-of-zero tables are large (a few hundred calls each, every one a compilation): slow.
# So are the few scenarios that compile hundreds of kernels (every bound form of every dtype).
_HEAVY = ("zero_sign_", "bound_forms_float", "array_scaling_", "categorical_many_samples")
PARAMS = [pytest.param(name, marks=pytest.mark.slow) if name.startswith(_HEAVY) else name
          for name in sorted(SCENARIOS)]


@pytest.mark.parametrize("name", PARAMS)
def test_recorded_scenario_bit_for_bit(name):
    check(SCENARIOS[name], replay.run(SCENARIOS[name]["code"]))  # bit for bit (0 ulp)


# --- the rules, one by one -----------------------------------------------------------------------

def test_eager_float_zero_is_the_first_one_converted_per_dtype():
    # TensorFlow 2.21 eager: uniform([2], 0, 0.0) then uniform([2], 0, -0.0) gives +0.0 twice
    # (zero_sign_uniform_eager_float32 outputs 1 and 2), and the other way round -0.0 twice.
    compat.reset()
    assert str(compat.uniform([2], 0, 0.0, seed=1)[0]) == "0.0"
    assert str(compat.uniform([2], 0, -0.0, seed=1)[0]) == "0.0"
    assert str(compat.uniform([2], 0, -0.0, dtype=jnp.float16, seed=1)[0]) == "-0.0"  # its own entry
    compat.reset()
    assert str(compat.uniform([2], 0, -0.0, seed=1)[0]) == "-0.0"
    assert str(compat.normal([2], 0.0, 0.0, seed=1)[0]) in ("-0.0", "0.0")
    assert _ops.eager_zeros("float32", 0.0) == (-0.0,) and str(_ops.eager_zeros("float32", 0.0)[0]) == "-0.0"


def test_a_rejected_call_records_no_zero():
    compat.reset()
    with pytest.raises(TypeError):
        compat.uniform([2], -0.0, "x", seed=1)
    assert compat.reset is not None and _ops._state.state.scalar_zeros == {}


def test_function_drops_adding_zeros_but_keeps_the_difference():
    @compat.function
    def f():
        return (compat.uniform([3], -0.0, -0.0, seed=1),  # raw * (-0.0 - -0.0) = +0.0
                compat.uniform([3], np.zeros(3), -0.0, seed=1),  # raw * -0.0, no + 0.0
                compat.normal([3], [0.0, -0.0, 0.0], 0.0, seed=1))
    low, zeros, normal = f()
    assert np.signbit(low).tolist() == [False] * 3
    assert np.signbit(zeros).tolist() == [True] * 3
    assert np.signbit(normal).tolist() == np.signbit(np.asarray(normal)).tolist()


@pytest.mark.parametrize("value, dtype, expected", [
    (False, "int32", 0), (True, "int64", 1), (np.float32(2.7), "int32", 2), (np.float64(-3.9), "int32", -3),
    (np.uint64(2**64 - 1), "int32", -1), (2**31, "int32", -2**31), (2**32 + 7, "int32", 7),
    (2**40, "int64", 2**40), (np.array(1.5), "int64", 1), (np.complex64(2.5 + 1j), "int32", 2),
])
def test_integer_bounds_convert_as_tensorflow(value, dtype, expected):
    assert _distributions.int_bound("compat.uniform", "minval", value, dtype) == expected


@pytest.mark.parametrize("value, kind", [(0.5, TypeError), (2**63, ValueError), ([1], TypeError),
                                         (np.array([1, 2]), ValueError), ("1", TypeError), (None, TypeError)])
def test_integer_bounds_tensorflow_refuses(value, kind):
    with pytest.raises(kind, match=r"^`compat.uniform`: `minval` must be "):
        _distributions.int_bound("compat.uniform", "minval", value, "int32")


@pytest.mark.parametrize("call", [
    lambda: compat.uniform(3, seed=1), lambda: compat.uniform(np.array(3), seed=1),
    lambda: compat.uniform(np.array([3], np.uint8), seed=1), lambda: compat.normal([2], dtype="f4", seed=1),
    lambda: compat.uniform([2], dtype=int, seed=1), lambda: compat.stateless_uniform([2], [1, 2], alg=np.int64(1)),
    lambda: compat.dropout(np.ones([2]), 0.5, noise_shape=2, seed=1), lambda: compat.dropout(np.ones([2]), True),
    lambda: compat.dropout(np.ones([2]), np.False_), lambda: compat.categorical(np.zeros([1, 2]), 2.0, seed=1),
])
def test_forms_tensorflow_refuses_are_refused(call):
    compat.reset()
    before = compat.get_state()
    with pytest.raises((TypeError, ValueError), match=r"^`compat\.\w+`: `\w+` must be "):
        call()
    assert compat.get_state() == before


def test_forms_tensorflow_accepts():
    assert compat.uniform([2], dtype="double" if False else "float", seed=1).dtype == jnp.float32
    assert compat.normal([2], dtype=float, seed=1).dtype == jnp.float32
    assert compat.uniform([2], dtype="half", seed=1).dtype == jnp.float16
    assert compat.uniform(np.array([2], np.int64), minval=False, maxval=True, seed=1).shape == (2,)
    assert compat.stateless_uniform([2], [1, 2], alg=True).shape == (2,)
    assert compat.shuffle(5, seed=1) == 5
    assert compat.categorical(np.zeros([2, 3], np.float32), True, dtype="int32", seed=1).shape == (2, 1)
    assert compat.categorical(np.zeros([2, 3], np.float32), np.float32(2.0), dtype="int32", seed=1).shape == (2, 2)
    x = np.ones([3, 4], np.float32)
    assert compat.dropout(x, 0.5, noise_shape=[None, 1], seed=1).shape == (3, 4)
    assert compat.dropout(x, False) is not None
    assert np.asarray(compat.dropout(x, float("nan"), seed=1)).tolist() == np.zeros([3, 4]).tolist()


def test_multinomial_shards_rows_as_eigen_parallel_for():
    # One shard while the work is small, whatever the threads.
    assert _tf_discrete.multinomial_row_offsets(64, 10, 4, 8) == [8 * row for row in range(64)]
    # 40 rows of 300 samples over 7 classes on 2 threads: shards of 5 rows, each starting
    # at block start_row * (300 + 3) / 4 (recorded: categorical_many_samples output 15).
    offsets = _tf_discrete.multinomial_row_offsets(40, 7, 300, 2)
    assert offsets[:6] == [0, 600, 1200, 1800, 2400, 4 * (5 * 303 // 4)]


def test_categorical_float64_logits_without_x64_stay_float64():
    logits = np.log(np.array([[0.1, 0.2, 0.3, 0.4]]))
    compat.reset()
    narrow = compat.categorical(logits, 64, dtype=jnp.int32, seed=1)
    compat.reset()
    wide = keyrng.categorical(keyrng.tf_key(87654321, 1), logits, 64, jnp.int32)
    np.testing.assert_array_equal(narrow, wide)
