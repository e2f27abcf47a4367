"""Philox4x32-10 and the TensorFlow kernel positions."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import keyrng
from keyrng import _philox


def _u32(*values):
    return tuple(np.uint32(v) for v in values)


def test_random123_known_answer():
    # Random123 kat_vectors, philox4x32_10: key 0, counter 0.
    words = _philox.block(_u32(0, 0), _u32(0, 0, 0, 0))
    assert [int(w) for w in words] == [0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8]


def test_random123_known_answer_all_ones():
    # Random123 kat_vectors, philox4x32_10: key ffffffff ffffffff, counter all ffffffff.
    words = _philox.block(_u32(0xFFFFFFFF, 0xFFFFFFFF), _u32(*[0xFFFFFFFF] * 4))
    assert [int(w) for w in words] == [0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD]


def test_tensorflow_first_block():
    # TF_RANDOM_SPEC.md §5.5: seeds (87654321, 1) -> first block ab1e98c7 cdf5cfa7 f1867731 4c3f748e.
    words = _philox.block(_u32(87654321, 0), _u32(0, 0, 1, 0))
    assert [int(w) for w in words] == [0xAB1E98C7, 0xCDF5CFA7, 0xF1867731, 0x4C3F748E]


def test_kernel_at_tensorflow_position():
    # TensorFlow 2.21 CPU: tf.random.uniform([5], seed=1) in a fresh process, then the next call
    # tf.random.uniform([1], seed=1) after a first call with [1] (block offset 256).
    # Values [0.2390374, 0.92039955, 0.05051243, 0.49574447, 0.8355223]; compared as bit patterns.
    first = keyrng.uniform(keyrng.tf_key(87654321, 1), [5])
    expected = [1047840312, 1064017742, 1028580896, 1056821816, 1062593738]
    assert np.asarray(first).view(np.uint32).tolist() == expected
    second = keyrng.uniform(keyrng.tf_key(87654321, 1, 256), [1])
    assert np.asarray(second).view(np.uint32).tolist() == [np.float32(0.22267115).view(np.uint32)]


def test_counter_carry_matches_python_integers():
    key = keyrng.philox_key(3, 2**64 - 2)
    moved = keyrng.advance(key, 5)
    assert keyrng.position(moved) == (3, 2**64 + 3)
    wrapped = keyrng.advance(keyrng.philox_key(3, 2**128 - 1), 2)
    assert keyrng.position(wrapped) == (3, 1)
    # Blocks that straddle a carry read the same values as keys placed on each side of it.
    values = keyrng.uniform(keyrng.philox_key(9, 2**32 - 1), [8])
    after = keyrng.uniform(keyrng.philox_key(9, 2**32), [4])
    assert np.array_equal(np.asarray(values)[4:], np.asarray(after))


def test_advance_under_jit_with_traced_blocks():
    key = keyrng.tf_key(1, 2)
    moved = jax.jit(keyrng.advance)(key, jnp.uint32(1280))
    assert keyrng.position(moved) == keyrng.position(keyrng.tf_key(1, 2, 1280))


@pytest.mark.parametrize("size", [0, 1, 3, 4, 5, 17, 1000])
def test_sizes_not_multiple_of_four_truncate_the_last_block(size):
    full = np.asarray(keyrng.uniform(keyrng.tf_key(5, 6), [1024]))
    part = np.asarray(keyrng.uniform(keyrng.tf_key(5, 6), [size]))
    assert np.array_equal(part, full[:size])
