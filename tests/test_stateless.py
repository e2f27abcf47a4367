"""TensorFlow's stateless seeds (keyrng._stateless) and compat's stateless ops, split and fold_in.

Known answers come from TensorFlow 2.21.0 CPU (some are also in TF_RANDOM_SPEC.md §6 and in
TensorFlow's own docstrings).
"""

from __future__ import annotations

import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import compat
import keyrng


def bits(x):
    return np.asarray(x).view(np.uint32 if np.asarray(x).dtype.itemsize == 4 else np.uint64).tolist()


# --- the seed scramble ---------------------------------------------------------------------------

def test_stateless_key_position_spec_example():
    # TensorFlow 2.21.0 CPU: StatelessRandomGetKeyCounter([1, 2]) -> key 10413732777507651514,
    # counter [0, 17830669156045600267].
    assert keyrng.position(keyrng.tf_stateless_key([1, 2])) == (10413732777507651514,
                                                                 17830669156045600267 << 64)


def test_stateless_uniform_spec_example():
    # TensorFlow 2.21.0 CPU: tf.random.stateless_uniform([3], [1, 2]).
    expected = np.array([0.8440604, 0.19204533, 0.9962232], np.float32)
    np.testing.assert_array_equal(compat.stateless_uniform([3], [1, 2]), expected)
    np.testing.assert_array_equal(keyrng.uniform(keyrng.tf_stateless_key([1, 2]), [3]), expected)


def test_stateless_normal_known_answers():
    # TensorFlow 2.21.0 CPU (the examples of tf.random.split and tf.random.fold_in), printed to 8
    # digits, so within 1 ulp here; the scenario replay in test_extra_ops compares exact bits.
    np.testing.assert_array_max_ulp(compat.stateless_normal([3], [1105988140, 3]),
                                    np.array([0.03197195, 0.8979765, 0.13253039], np.float32), 1)
    np.testing.assert_array_max_ulp(compat.stateless_normal([3], compat.split([1, 2], 3)[0]),
                                    np.array([-0.59835213, -0.9578608, 0.9002807], np.float32), 1)


@pytest.mark.parametrize("seed", [[-1, 5], [2**31 - 1, -2**31], [0, 0], [7, -3]])
def test_int32_seeds_are_sign_extended(seed):
    narrow = compat.stateless_uniform([6], np.array(seed, np.int32))
    with jax.enable_x64(True):
        wide = compat.stateless_uniform([6], np.array(seed, np.int64))
        traced = jax.jit(lambda s: keyrng.uniform(keyrng.tf_stateless_key(s), [6]))(jnp.array(seed, jnp.int64))
    assert bits(narrow) == bits(wide) == bits(traced)


def test_stateless_key_jit_and_vmap_agree_with_eager():
    seeds = jnp.array([[1, 2], [-1, 5], [7, -3]], jnp.int32)
    eager = [jax.random.key_data(keyrng.tf_stateless_key(s)) for s in seeds]
    batched = jax.vmap(lambda s: jax.random.key_data(keyrng.tf_stateless_key(s)))(seeds)
    jitted = [jax.jit(lambda s: jax.random.key_data(keyrng.tf_stateless_key(s)))(s) for s in seeds]
    np.testing.assert_array_equal(np.stack(eager), batched)
    np.testing.assert_array_equal(np.stack(eager), np.stack(jitted))


# --- split and fold_in ---------------------------------------------------------------------------

def test_split_spec_example():
    # TensorFlow 2.21.0 CPU: tf.random.split([1, 2], 3).
    expected = [[1105988140, 1738052849], [-335576002, 370444179], [10670227, -246211131]]
    for result in (compat.split([1, 2], 3), keyrng.tf_stateless_split([1, 2], 3)):
        assert result.dtype == jnp.int32
        assert result.tolist() == expected


def test_split_int64_seed():
    # TensorFlow 2.21.0 CPU: tf.random.split(tf.constant([1, 2**40], tf.int64), 3).
    with jax.enable_x64(True):
        result = compat.split([1, 2**40], 3)
        assert result.dtype == jnp.int64
        assert result.tolist() == [[7350032266256828704, 1119561447027654565],
                                   [-3504248440285271949, -5142365507661040930],
                                   [2548462829019280295, -5743353261381026535]]


def test_split_is_the_full_int_stream():
    key = keyrng.tf_stateless_key([5, 6])
    np.testing.assert_array_equal(compat.split([5, 6], 4).reshape(-1),
                                  keyrng.uniform_full_int(key, [8], "int32"))
    assert compat.split([1, 2], 0).shape == (0, 2)


def test_fold_in_spec_example():
    # TensorFlow 2.21.0 CPU: tf.random.fold_in([1, 2], 3) and fold_in(int64 seed, 2**40).
    assert compat.fold_in([1, 2], 3).tolist() == [1105988140, 3]
    assert keyrng.tf_stateless_fold_in([1, 2], -3).tolist() == [1105988140, -3]
    with jax.enable_x64(True):
        result = compat.fold_in(np.array([1, 2], np.int64), 2**40)
        assert result.dtype == jnp.int64
        assert result.tolist() == [7464880146280614444, 1099511627776]
        assert compat.fold_in([1, 2], np.int64(3)).dtype == jnp.int64


def test_uniform_full_int_matches_philox_random_bits():
    key = keyrng.tf_stateless_key([3, 4])
    words = jax.random.bits(key, (9,), jnp.uint32)
    np.testing.assert_array_equal(keyrng.uniform_full_int(key, [9], "uint32"), words)
    with jax.enable_x64(True):
        np.testing.assert_array_equal(keyrng.uniform_full_int(key, [4], "uint64"),
                                      jax.random.bits(key, (4,), jnp.uint64))


# --- the wrappers' scaling -----------------------------------------------------------------------

def test_stateless_uniform_scales_affinely_always():
    key = keyrng.tf_stateless_key([7, -3])
    raw = np.asarray(keyrng.uniform(key, [64]))
    got = np.asarray(compat.stateless_uniform([64], [7, -3], minval=-2, maxval=3))
    np.testing.assert_array_equal(got, raw * np.float32(5) + np.float32(-2))
    # An int minval of 0 still goes through `raw * (maxval - minval) + minval`.
    got = np.asarray(compat.stateless_uniform([64], [7, -3], minval=0, maxval=5))
    np.testing.assert_array_equal(got, raw * np.float32(5) + np.float32(0))


def test_stateless_ops_touch_no_state():
    compat.set_seed(3)
    first = compat.uniform([3])
    compat.set_seed(3)
    compat.stateless_uniform([3], [1, 2])
    compat.stateless_normal([3], [1, 2])
    compat.split([1, 2])
    compat.fold_in([1, 2], 1)
    np.testing.assert_array_equal(compat.uniform([3]), first)


# --- errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, kind, message", [
    (lambda: compat.stateless_uniform([2], [1, 2, 3]), ValueError,
     "`compat.stateless_uniform`: `seed` must be a pair of ints, or an integer array of "
     "shape [2]; got [1, 2, 3]."),
    (lambda: compat.stateless_uniform([2], 1.5), TypeError,
     "`compat.stateless_uniform`: `seed` must be a pair of ints, or an integer array of "
     "shape [2]; got 1.5."),
    (lambda: compat.stateless_uniform([2], np.array([1.0, 2.0])), TypeError, "`seed` must be"),
    (lambda: compat.stateless_uniform([2], [1, 2], minval=None, maxval=5, dtype=jnp.int32), ValueError,
     "`compat.stateless_uniform`: `minval` must be None exactly when maxval is None for integer "
     "dtype int32; got None."),
    (lambda: compat.stateless_uniform([2], [1, 2], minval=0, maxval=5, dtype=jnp.uint32), ValueError,
     "`dtype` must be int32 or int64 when minval and maxval are given; got 'uint32'."),
    (lambda: compat.stateless_uniform([2], [1, 2], minval=3, maxval=3, dtype=jnp.int32), ValueError,
     "`compat.stateless_uniform`: `minval` must be less than maxval (3); got 3."),
    (lambda: compat.stateless_uniform([-1], [1, 2]), ValueError,
     "`compat.stateless_uniform`: `shape` must be a sequence of non-negative ints; got [-1]."),
    # alg="threefry" runs only under jit_compile=True (XLA's ThreeFry, tests/test_xla2.py).
    (lambda: compat.stateless_normal([2], [1, 2], alg="threefry"), RuntimeError,
     "`compat.stateless_normal`: alg='threefry' runs only inside compat.function(jit_compile=True)"),
    (lambda: compat.stateless_normal([2], [1, 2], alg="threefree"), ValueError,
     "`compat.stateless_normal`: `alg` must be 'auto_select', 'philox' or 'threefry'"),
    (lambda: compat.split([1, 2], -1), ValueError,
     "`compat.split`: `num` must be a non-negative int; got -1."),
    (lambda: compat.split([1, 2**40]), ValueError, "while jax's 64-bit mode is off"),
    (lambda: compat.fold_in([1, 2], 1.5), TypeError,
     "`compat.fold_in`: `data` must be an int or a 0-d int32, int64, uint32 or uint64 array; got 1.5."),
    (lambda: keyrng.tf_stateless_key([1, 2**64]), ValueError, "values in the int64 range"),
])
def test_errors(call, kind, message):
    with pytest.raises(kind, match=re.escape(message)):
        call()


def test_empty_int_range_is_allowed_for_empty_shapes():
    # TensorFlow 2.21.0 CPU returns an empty tensor without checking minval < maxval.
    assert compat.stateless_uniform([0], [1, 2], minval=3, maxval=3, dtype=jnp.int32).shape == (0,)



# --- seeds of every integer dtype -------------------------------------------------------------------

@pytest.mark.parametrize("seed, same_as", [
    # TensorFlow 2.21.0 CPU converts array seeds to int64 by value (tf_state_expected.json).
    (np.array([2**63 + 5, 1], np.uint64), [-2**63 + 5, 1]),
    (np.array([2**32 - 1, 3], np.uint32), [2**32 - 1, 3]),  # zero-extended, not -1
    (np.array([-1, 3], np.int8), [-1, 3]),
    (np.array([7, 3], np.uint16), [7, 3]),
])
def test_seed_arrays_of_any_integer_dtype(seed, same_as):
    with jax.enable_x64(True):
        want = bits(compat.stateless_uniform([3], np.array(same_as, np.int64)))
        assert bits(compat.stateless_uniform([3], seed)) == want
        assert bits(compat.stateless_uniform([3], jnp.asarray(seed))) == want
        assert bits(jax.jit(lambda s: keyrng.uniform(keyrng.tf_stateless_key(s), [3]))(
            jnp.asarray(seed))) == want


def test_split_takes_int32_and_int64_seeds_only():
    # TensorFlow 2.21.0 CPU: split's result has the seed's dtype; uint and int8 seeds fail.
    for dtype in (np.uint32, np.int8):
        with pytest.raises(TypeError, match="`compat.split`: `seed` must be a pair of ints, or an "
                           "int32 or int64 array"):
            compat.split(np.array([5, 3], dtype))
