"""The fast forms of three kernels against the step-by-step algorithms they replace.

- RandomShuffle's permutation (`keyrng._tf_discrete.shuffle_permutation_words`, sort and pointer
  jumping) against Fisher-Yates run one swap at a time in NumPy on the same Philox words, the
  algorithm of TensorFlow's random_shuffle_op.cc.
- Multinomial's sample search (`_upper_bound`, a branchless binary search) against counting
  every sum `<= target` (std::upper_bound's distance), with ties, zeros and targets past the end.

The recorded TensorFlow 2.21 scenarios of these ops (tests/test_extra_ops.py, test_replay.py,
test_shuffle_samplers.py, test_binomial.py, test_fidelity.py, test_ptn.py) check the numbers
themselves; these tests reach sizes the recordings do not (the 64-bit sort key from 2^16 + 1).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import keyrng
from keyrng import _impl, _stream, _tf_discrete


def _fisher_yates(key, counter, size):
    words = np.asarray(_stream.words(key, counter, size - 1)).astype(np.int64)
    perm = np.arange(size)
    for i in range(size - 1):
        j = i + words[i] % (size - i)
        perm[i], perm[j] = perm[j], perm[i]
    return perm


def _check_shuffle(size, seed):
    key, counter = _impl.position_words(keyrng.tf_stateless_key([seed, size]))
    got = jax.jit(_tf_discrete.shuffle_permutation_words, static_argnums=2)(key, counter, size)
    np.testing.assert_array_equal(np.asarray(got), _fisher_yates(key, counter, size))


@pytest.mark.parametrize("size", [1000])
def test_shuffle_permutation_is_fisher_yates(size):
    for seed in range(3):
        _check_shuffle(size, seed)


@pytest.mark.slow
@pytest.mark.parametrize("size", [2, 3, 5, 17, 4097, 65536, 65537, 300001])
def test_shuffle_permutation_is_fisher_yates_wide_keys(size):
    _check_shuffle(size, 7)


def test_categorical_search_counts_sums_up_to_target():
    rng = np.random.default_rng(5)
    terms = rng.random((6, 37)) * (rng.random((6, 37)) < 0.6)  # zeros make equal neighbouring sums
    # (37 classes: the binary search; up to 32 the kernel counts directly)
    terms[0] = 0.0  # every sum zero (a row of -inf logits)
    cdf = np.cumsum(terms, axis=1)
    target = rng.random((6, 50)) * cdf[:, -1:]
    target[:, :5] = cdf[:, [0, 3, 17, 36, 36]]  # targets equal to a sum: it is counted
    target[:, 5] = 0.0
    with jax.enable_x64(True):
        got = jax.jit(_tf_discrete._upper_bound)(jnp.asarray(cdf), jnp.asarray(target))
    expected = (cdf[:, None, :] <= target[:, :, None]).sum(-1)
    np.testing.assert_array_equal(np.asarray(got), expected)


@pytest.mark.parametrize("classes", [33, 64, 65])
def test_categorical_search_class_counts_near_powers_of_two(classes):
    cdf = np.tile(np.arange(1.0, classes + 1), (2, 1))
    target = np.tile(np.arange(-0.5, classes + 1, 0.5), (2, 1))
    with jax.enable_x64(True):
        got = jax.jit(_tf_discrete._upper_bound)(jnp.asarray(cdf), jnp.asarray(target))
    np.testing.assert_array_equal(np.asarray(got), (cdf[:, None, :] <= target[:, :, None]).sum(-1))
