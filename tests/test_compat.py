"""compat: TensorFlow's seed rules, counters, and rejected calls that change nothing."""

import copy
import random

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import compat
import keyrng
from compat import _state


def snapshot():
    state = _state.state
    return (state.global_seed, state.op_seeds.getstate(), copy.deepcopy(state.kernels),
            state.generation)


def test_global_seed_only_draws_op_seeds_in_order():
    compat.set_seed(1234)
    # TF_RANDOM_SPEC.md §1: set_seed(1234) gives eager op seeds 1892932127, 501869158, 32175636.
    assert [compat.get_seed(None) for _ in range(3)] == [
        (1234, 1892932127), (1234, 501869158), (1234, 32175636)]


def test_get_seed_cases():
    assert compat.get_seed(None) == (None, None)
    assert compat.get_seed(1) == (87654321, 1)
    assert compat.get_seed(2**31) == (87654321, 1)
    compat.set_seed(0)
    assert compat.get_seed(0) == (0, 2**31 - 1)
    compat.set_seed(-7)
    assert compat.get_seed(-1)[0] == 2147483640


def test_each_compat_call_is_a_keyrng_call():
    compat.set_seed(1234)
    op_seed = random.Random(1234).randint(0, 2**31 - 1)
    seed, seed2 = keyrng.tf_seed_pair(1234, op_seed)
    expected = keyrng.uniform(keyrng.tf_key(seed, seed2, 0), [3])
    assert np.array_equal(np.asarray(compat.uniform([3])), np.asarray(expected))
    compat.uniform([2], seed=5)
    second = compat.normal([4], seed=5)  # a different op: its own counter, starting at 0
    assert np.array_equal(np.asarray(second), np.asarray(keyrng.normal(keyrng.tf_key(1234, 5), [4])))
    third = compat.uniform([1], seed=5)  # RandomUniform's counter moved by 2 * 256
    assert np.array_equal(np.asarray(third), np.asarray(keyrng.uniform(keyrng.tf_key(1234, 5, 512), [1])))


def test_shape_change_shares_a_kernel_dtype_change_does_not():
    compat.uniform([5], seed=1)
    later = compat.uniform([7], seed=1)
    assert np.array_equal(np.asarray(later), np.asarray(keyrng.uniform(keyrng.tf_key(87654321, 1, 5 * 256), [7])))
    half = compat.uniform([2], seed=1, dtype="float16")
    assert np.array_equal(np.asarray(half), np.asarray(keyrng.uniform(keyrng.tf_key(87654321, 1), [2], "float16")))


def test_int64_shape_tensor_gets_its_own_kernel():
    compat.uniform([3], seed=1)
    fresh = compat.uniform(np.array([3], np.int64), seed=1)
    assert np.array_equal(np.asarray(fresh), np.asarray(keyrng.uniform(keyrng.tf_key(87654321, 1), [3])))


def test_set_seed_resets_counters():
    compat.set_seed(1234)
    first = np.asarray(compat.uniform([2], seed=1))
    compat.uniform([2], seed=1)
    compat.set_seed(1234)
    assert np.array_equal(np.asarray(compat.uniform([2], seed=1)), first)


def test_no_seed_at_all_is_fresh_entropy():
    # Without any seed TensorFlow seeds each kernel from OS entropy: no two calls repeat.
    draws = {tuple(np.asarray(compat.uniform([4])).tolist()) for _ in range(20)}
    assert len(draws) == 20
    assert compat.get_seed(None) == (None, None)


def test_op_determinism_requires_a_seed():
    compat.enable_op_determinism()
    with pytest.raises(RuntimeError, match=r"^`compat.uniform`: random ops need a global seed or an op seed while op determinism is enabled; got neither"):
        compat.uniform([1])
    assert compat.uniform([1], seed=1).shape == (1,)
    compat.set_seed(3)
    assert compat.uniform([1]).shape == (1,)


def test_scaling_matches_tensorflow_rule():
    compat.set_seed(1234)
    raw = np.asarray(compat.uniform([4], seed=1))
    compat.set_seed(1234)
    scaled = np.asarray(compat.uniform([4], 2.0, 5.0, seed=1))
    assert np.array_equal(scaled, (raw * np.float32(3.0)).astype(np.float32) + np.float32(2.0))


@pytest.mark.parametrize("call,kind,message", [
    (lambda: compat.uniform([-1]), ValueError,
     r"^`compat.uniform`: `shape` must be a sequence of non-negative ints; got \[-1\]\.$"),
    (lambda: compat.uniform([2.5]), TypeError, r"^`compat.uniform`: `shape` must be a sequence"),
    (lambda: compat.uniform([2], dtype="int8"), ValueError, r"^`compat.uniform`: `dtype` must be one of"),
    (lambda: compat.normal([2], dtype=jnp.int32), ValueError, r"^`compat.normal`: `dtype` must be one of"),
    (lambda: compat.uniform([2], dtype=jnp.int32), ValueError,
     r"^`compat.uniform`: `maxval` must be given for integer dtype int32; got None"),
    (lambda: compat.uniform([2], 5, 5, dtype=jnp.int32), ValueError,
     r"^`compat.uniform`: `minval` must be less than maxval \(5\); got 5\.$"),
    (lambda: compat.uniform([2], seed="1"), TypeError,
     r"^`compat.uniform`: `seed` must be an int, a float, a bool, a numpy integer or float, or None; got '1'\.$"),
    (lambda: compat.uniform([2], seed="1"), TypeError, r"^`compat.uniform`: `seed` must be an int"),
    (lambda: compat.truncated_normal([2], seed=[1]), TypeError, r"^`compat.truncated_normal`: `seed` must be an int"),
    (lambda: compat.set_seed("x"), TypeError, r"^`compat.set_seed`: `seed` must be an int"),
    (lambda: compat.normal([2], stddev="wide"), TypeError, r"^`compat.normal`: `stddev` must be a real number"),
])
def test_rejected_calls_raise_and_change_nothing(call, kind, message):
    compat.set_seed(42)
    compat.uniform([3])
    compat.uniform([3], seed=7)
    before = snapshot()
    with pytest.raises(kind, match=message):
        call()
    assert snapshot() == before
    # And the next draws are exactly those of an uninterrupted run.
    after = (np.asarray(compat.uniform([2])), np.asarray(compat.uniform([2], seed=7)))
    compat.set_seed(42)
    compat.uniform([3])
    compat.uniform([3], seed=7)
    uninterrupted = (np.asarray(compat.uniform([2])), np.asarray(compat.uniform([2], seed=7)))
    assert all(np.array_equal(a, b) for a, b in zip(after, uninterrupted))


def test_numpy_seeds_and_shapes():
    compat.set_seed(np.int64(7))
    a = np.asarray(compat.uniform(np.array([2], np.int32), seed=np.int32(4)))
    compat.set_seed(7)
    b = np.asarray(compat.uniform((2,), seed=4))
    assert np.array_equal(a, b)
    with pytest.raises(ValueError, match=r"^`compat.uniform`: `shape` must be a sequence"):
        compat.uniform(3, seed=1)  # TensorFlow 2.21: a shape tensor must be a vector
    assert compat.uniform(jnp.array([2, 2]), seed=1).shape == (2, 2)


@pytest.mark.parametrize("transform", ["jit", "vmap", "grad", "scan", "cond"])
def test_implicit_calls_under_jax_transformations_raise(transform):
    def body(x):
        return x + compat.uniform([], seed=1)

    with pytest.raises(Exception, match=r"compat\.function"):
        if transform == "jit":
            jax.jit(body)(1.0)
        elif transform == "vmap":
            jax.vmap(body)(jnp.ones(3))
        elif transform == "grad":
            jax.grad(body)(1.0)
        elif transform == "scan":
            jax.lax.scan(lambda c, x: (body(c), None), 1.0, None, length=2)
        else:
            jax.lax.cond(True, body, lambda x: x, 1.0)


def test_remembered_calls_still_check_their_arguments():
    # Eager compat.uniform remembers checked arguments by value and type: [True] is not [1].
    compat.set_seed(1)
    first = compat.uniform([1], minval=1, maxval=3.0)
    with pytest.raises(TypeError, match="shape"):
        compat.uniform([True], minval=1, maxval=3.0)
    with pytest.raises(TypeError, match="minval"):
        compat.uniform([1], minval="1", maxval=3.0)
    compat.uniform([1], minval=True, maxval=3.0)  # TensorFlow takes a bool (as 1), so this draws
    compat.set_seed(1)
    compat.uniform([1], minval=1, maxval=3.0)
    again = compat.uniform((1,), minval=1.0, maxval=3.0)  # new kinds of arguments, same kernel
    compat.set_seed(1)
    assert np.array_equal(np.asarray(compat.uniform([1], minval=1, maxval=3.0)), np.asarray(first))
    assert np.array_equal(np.asarray(compat.uniform([1], minval=1, maxval=3.0)), np.asarray(again))


def test_remembered_calls_follow_the_64_bit_mode():
    # A call remembered while x64 was on must still be refused once it is off.
    with jax.enable_x64(True):
        assert compat.uniform([2], dtype=compat.float64, seed=3).dtype == jnp.float64
    with pytest.raises(ValueError, match="64-bit mode is off"):
        compat.uniform([2], dtype=compat.float64, seed=3)
