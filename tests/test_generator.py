"""compat.Generator: TensorFlow's state layout, from_seed rules, RngReadAndSkip, and the global
generator. Known answers come from TensorFlow 2.21.0 CPU (also TF_RANDOM_SPEC.md §7).
"""

from __future__ import annotations

import re
import threading

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import compat
import keyrng
from compat import Generator


@pytest.mark.parametrize("seed, state", [
    (1234, [1234, 0, 0]),  # a Python int is the counter: no scrambling, no padding
    (np.int64(1234), [0, 0, 1234]),  # anything else is left-padded: the key
    ([5, 6], [0, 5, 6]),
    (-1, [-1, -1, -1]),
    (2**70 + 3, [3, 64, 0]),
    (True, [1, 0, 0]),
    (np.array([1, 2, 3, 4], np.int64), [1, 2, 3]),
])
def test_from_seed_rules(seed, state):
    # TensorFlow 2.21.0 CPU: tf.random.Generator.from_seed(seed).state.
    assert Generator.from_seed(seed).state.tolist() == state


def test_known_answers():
    # TensorFlow 2.21.0 CPU: Generator.from_seed(s).uniform([3]).
    np.testing.assert_array_equal(
        Generator.from_seed(1234).uniform([3]),
        np.array([0.3581475019454956, 0.11322760581970215, 0.566709041595459], np.float32))
    np.testing.assert_array_equal(
        Generator.from_seed(np.int64(1234)).uniform([3]),
        np.array([0.13047122955322266, 0.9760946035385132, 0.012220263481140137], np.float32))


def test_a_call_of_five_values_moves_the_counter_by_1280():
    g = Generator.from_seed(1234)
    g.uniform([5])
    assert g.state.tolist() == [1234 + 1280, 0, 0]
    g.normal([2, 3], dtype=jnp.float16)  # any distribution, any dtype: 256 blocks per value
    assert g.state.tolist() == [2514 + 6 * 256, 0, 0]


@pytest.mark.parametrize("method, explicit", [
    (lambda g: g.uniform([7], minval=-1.0, maxval=2.0),
     lambda k: keyrng.uniform(k, [7], minval=-1.0, maxval=2.0)),
    (lambda g: g.normal([7], mean=1.0, stddev=3.0), lambda k: keyrng.normal(k, [7], mean=1.0, stddev=3.0)),
    (lambda g: g.truncated_normal([7]), lambda k: keyrng.truncated_normal(k, [7])),
    (lambda g: g.uniform([7], minval=-4, maxval=9, dtype=jnp.int32),
     lambda k: keyrng.uniform(k, [7], "int32", -4, 9)),
    (lambda g: g.uniform_full_int([7], dtype=jnp.uint32), lambda k: keyrng.uniform_full_int(k, [7], "uint32")),
])
def test_each_draw_is_the_keyrng_draw_at_its_position(method, explicit):
    g = Generator.from_seed([3, 4])
    position = g.position
    np.testing.assert_array_equal(method(g), explicit(position))
    assert keyrng.position(g.position) == (4, (3 << 64) + 7 * 256)


def test_counter_carries_across_words_and_wraps():
    h = Generator.from_state([-1, 0, 9], "philox")
    np.testing.assert_array_equal(h.uniform([6]), keyrng.uniform(keyrng.philox_key(9, 2**64 - 1), [6]))
    assert h.state.tolist() == [6 * 256 - 1, 1, 9]
    k = Generator.from_state([-256, -1, 3], "philox")
    k.uniform([2])
    assert k.state.tolist() == [256, 0, 3]


def test_skip_make_seeds_and_split():
    g = Generator.from_seed(77)
    before = g.skip(5)
    assert before.tolist() == [77, 0, 0]
    assert g.state.tolist() == [77 + 1280, 0, 0]
    twin, sibling = Generator(copy_from=g), Generator(copy_from=g)
    with jax.enable_x64(True):
        seeds = g.make_seeds(3)
        assert seeds.dtype == jnp.int64 and seeds.shape == (2, 3)
        assert seeds[1].tolist() == [0, 0, 0]
        np.testing.assert_array_equal(seeds[0], twin.uniform_full_int([3], dtype=jnp.int64))
    children = sibling.split(3)
    assert [c.state.tolist() for c in children] == [[0, 0, int(s)] for s in seeds[0]]


def test_copy_from_is_independent():
    g = Generator.from_seed(5)
    c = Generator(copy_from=g)
    np.testing.assert_array_equal(c.uniform([3]), g.uniform([3]))
    c.skip(1)
    assert c.state.tolist() != g.state.tolist()


def test_resets_and_properties():
    g = Generator.from_key_counter(5, [7, 0], "philox")
    assert g.state.tolist() == [7, 0, 5] and int(g.key) == 5 and g.algorithm == 1
    g.reset_from_seed(1234)
    assert g.state.tolist() == [1234, 0, 0]
    g.reset_from_key_counter(3, [4, 5])
    assert g.state.tolist() == [4, 5, 3]
    g.reset([1, 2, 3])
    assert g.state.tolist() == [1, 2, 3]
    assert Generator.from_seed(1, alg="auto_select").algorithm == 3
    assert repr(g) == "compat.Generator(state=[1, 2, 3], alg=1)"


def test_not_affected_by_set_seed():
    g = Generator.from_seed(3)
    compat.set_seed(1)
    first = g.uniform([2])
    compat.set_seed(1)
    g.uniform([2])
    assert g.state.tolist() == [3 + 1024, 0, 0]  # set_seed did not reset it
    # TensorFlow 2.21.0 CPU: Generator.from_seed(3).uniform([2]).
    np.testing.assert_array_equal(first, Generator.from_seed(3).uniform([2]))


def test_global_generator():
    g = compat.get_global_generator()
    assert compat.get_global_generator() is g
    mine = Generator.from_seed(7)
    compat.set_global_generator(mine)
    assert compat.get_global_generator() is mine
    compat.reset()
    assert compat.get_global_generator() is not mine


def test_determinism_refuses_entropy():
    compat.enable_op_determinism()
    with pytest.raises(RuntimeError, match="determinism"):
        Generator.from_non_deterministic_state()
    with pytest.raises(RuntimeError, match="determinism"):
        compat.get_global_generator()
    compat.set_global_generator(Generator.from_seed(1))
    assert compat.get_global_generator().state.tolist() == [1, 0, 0]


@pytest.mark.parametrize("call, kind, message", [
    (lambda g: g.uniform([2], dtype=jnp.int32), ValueError,
     "`compat.Generator.uniform`: `minval` must be None exactly when maxval is None for integer "
     "dtype int32; got 0."),
    (lambda g: g.uniform([2], minval=3, maxval=3, dtype=jnp.int32), ValueError,
     "`compat.Generator.uniform`: `minval` must be less than maxval (3); got 3."),
    (lambda g: g.normal([-2]), ValueError,
     "`compat.Generator.normal`: `shape` must be a sequence of non-negative ints; got [-2]."),
    (lambda g: g.uniform_full_int([2]), ValueError, "while jax's 64-bit mode is off"),
    (lambda g: g.make_seeds(2), ValueError, "`compat.Generator.make_seeds`: `count` must be used only "
     "while jax's 64-bit mode is on (the seeds are int64); got 2."),
    (lambda g: g.skip(2**63), ValueError, "`compat.Generator.skip`: `delta` must be an int in "
     "[-2**63, 2**63), a numpy integer, or a non-negative float; got 9223372036854775808."),
    (lambda g: g.skip(-0.5), ValueError, "`compat.Generator.skip`: `delta` must be an int in"),
    (lambda g: g.skip("1"), TypeError, "`compat.Generator.skip`: `delta` must be an int in"),
    (lambda g: g.split(-1), ValueError, "`compat.Generator.split`: `count` must be a non-negative int; got -1."),
    (lambda g: g.reset([1, 2]), ValueError, "`compat.Generator.reset`: `state` must be three int64 values"),
    (lambda g: Generator.from_seed(1, alg="threefree"), ValueError, "`alg` must be 'auto_select', 'philox' or 'threefry'"),
    # alg="threefry": TensorFlow makes the generator but draws from it only under XLA (tests/test_xla2.py).
    (lambda g: Generator.from_seed(1, alg="threefry").normal([2]), RuntimeError,
     "`compat.Generator.normal`: a generator with alg='threefry' draws only inside compat.function(jit_compile=True)"),
    (lambda g: Generator.from_seed("1"), TypeError, "`compat.Generator.from_seed`: `seed` must be an int"),
    (lambda g: Generator.from_seed(float("nan")), ValueError, "`compat.Generator.from_seed`: `seed` must"),
    # TensorFlow 2.21.0 CPU: ValueError (a numpy integer in a Python list must fit int64).
    (lambda g: Generator.from_state([np.uint64(2**64 - 1), 0, 1], "philox"), ValueError,
     "`compat.Generator.from_state`: `state` must be three int64 values"),
    (lambda g: compat.create_rng_state(1, None), TypeError, "`compat.create_rng_state`: `alg` must be"),
    (lambda g: compat.create_rng_state(1, 7), ValueError, "`compat.create_rng_state`: `alg` must be"),
    (lambda g: compat.create_rng_state(1, "mt"), ValueError, "`compat.create_rng_state`: `alg` must be"),
    (lambda g: compat.create_rng_state("1", 1), TypeError, "`compat.create_rng_state`: `seed` must be"),
    (lambda g: compat.set_global_generator(3), TypeError,
     "`generator` must be a compat.Generator or None; got 3."),
])
def test_rejected_calls_change_no_state(call, kind, message):
    g = Generator.from_seed(5)
    with pytest.raises(kind, match=re.escape(message)):
        call(g)
    # TensorFlow 2.21.0 CPU advances the state before its kernel rejects minval >= maxval (to
    # [517, 0, 0] here); compat checks first, so a rejected call leaves the state as it was.
    assert g.state.tolist() == [5, 0, 0]


def test_refuses_to_draw_inside_jit():
    g = Generator.from_seed(5)
    with pytest.raises(RuntimeError, match="must run eagerly or at a compat.function"):
        jax.jit(lambda: g.uniform([2]))()
    assert g.state.tolist() == [5, 0, 0]


def test_threads_never_lose_a_skip():
    g = Generator.from_seed(0)

    def work():
        for _ in range(5):
            g.skip(1)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert g.state.tolist() == [20 * 256, 0, 0]


# --- skip, seeds cast as tf.cast, set_global_generator(None), create_rng_state --------------------
# (the TensorFlow 2.21.0 CPU recordings of these are in tests/data/tf_state_expected.json, replayed
# by test_replay.py; these pin the rules themselves)

@pytest.mark.parametrize("counter, count, after", [
    (5, 1280, 1285),
    (2**64 - 251, 256, 2**64 + 5),  # an ordinary carry into the high word
    (2514, 2**64 - 1280, 1234),  # count_hi + 1 wraps: TensorFlow loses this carry
    (5, 2**64 - 256, 2**64 - 251),
    (2**32 + 5, 2**64 - 256, 2**64 + 2**32 - 251),  # the carry out of word 1 still counts
    (2**128 - 1, 1, 0),
])
def test_philox_skip_is_tensorflows_word_by_word_add(counter, count, after):
    from compat._generator import _philox_skip
    assert _philox_skip(counter, count) == after


@pytest.mark.parametrize("delta, state", [
    # TensorFlow 2.21.0 CPU: Generator.from_seed(5).skip(delta); state.
    (2**56, [5, 0, 0]), (2**56 + 3, [773, 0, 0]), (2**63 - 1, [-251, 0, 0]), (-1, [-251, 0, 0]),
    (-2**63, [5, 0, 0]), (np.uint64(2**63 + 1), [261, 0, 0]), (np.int64(-2), [-507, 0, 0]),
    (3.0, [773, 0, 0]), (True, [261, 0, 0]), (np.float32(2), [517, 0, 0]), (np.array(2), [517, 0, 0]),
])
def test_skip_casts_delta_to_uint64(delta, state):
    g = Generator.from_seed(5)
    assert g.skip(delta).tolist() == [5, 0, 0]
    assert g.state.tolist() == state


@pytest.mark.parametrize("seed, state", [
    # TensorFlow 2.21.0 CPU: Generator.from_seed(seed).state.
    (np.uint64(2**63 + 5), [0, 0, -2**63 + 5]),
    (np.uint32(7), [0, 0, 7]),
    (np.int8(-3), [0, 0, -3]),
    (np.array([2**63 + 5, 1], np.uint64), [0, -2**63 + 5, 1]),
    (np.array([1, 2, 3, 4], np.uint32), [1, 2, 3]),
    (5.7, [0, 0, 5]),
    (np.array([5.7, -2.5]), [0, 5, -2]),
    (np.array([True]), [0, 0, 1]),
])
def test_from_seed_casts_as_tf_cast(seed, state):
    assert Generator.from_seed(seed).state.tolist() == state


def test_set_global_generator_none_makes_a_new_one_on_next_use():
    mine = Generator.from_seed(8)
    compat.set_global_generator(mine)
    compat.set_global_generator(None)
    fresh = compat.get_global_generator()
    assert fresh is not mine and compat.get_global_generator() is fresh
    compat.set_global_generator(None)
    compat.enable_op_determinism()
    try:
        with pytest.raises(RuntimeError, match="Call compat.set_global_generator first"):
            compat.get_global_generator()
    finally:
        compat.reset()


@pytest.mark.parametrize("seed, alg, state", [
    # TensorFlow 2.21.0 CPU: tf.random.create_rng_state(seed, alg).
    (1234, "philox", [1234, 0, 0]),
    ([12, 34], "threefry", [12, 34]),
    (2**130 + 7, "philox", [7, 0, 4]),
    (2**64 + 5, "threefry", [5, 1]),
    (5, "auto_select", [5, 0, 0]),
    (5, 2, [5, 0]),
    (7, " Auto-Select", [7, 0, 0]),
    ([1, 2, 3, 4, 5], "philox", [1, 2, 3]),
    (-1, "philox", [-1, -1, -1]),
    ([], "philox", [0, 0, 0]),
])
def test_create_rng_state(seed, alg, state):
    got = compat.create_rng_state(seed, alg)
    assert got.dtype == np.int64 and got.tolist() == state
    assert keyrng._stateless.tf_rng_state(seed, alg).tolist() == state
