"""compat.nn: tf.nn.dropout, tf.nn.experimental.general_dropout and stateless_dropout.

Known answers: TensorFlow 2.21.0 CPU, in the docstrings (TensorFlow's own examples) and in
tests/data/tf_state_expected.json (replayed by test_replay.py).
"""

from __future__ import annotations

import re

import jax.numpy as jnp
import numpy as np
import pytest

import compat


def test_general_dropout_draws_one_sample_of_noise_shape():
    g, h = compat.Generator.from_seed(7), compat.Generator.from_seed(7)
    x = jnp.arange(1.0, 7.0).reshape(2, 3)
    got = compat.nn.experimental.general_dropout(x, 0.25, g.uniform, noise_shape=[1, 3])
    keep = h.uniform([1, 3]) >= np.float32(0.25)
    np.testing.assert_array_equal(got, jnp.where(keep, x * np.float32(1 / 0.75), 0))
    assert g.state.tolist() == h.state.tolist() == [7 + 3 * 256, 0, 0]


def test_general_dropout_rate_zero_skips_the_sampler():
    g = compat.Generator.from_seed(7)
    x = jnp.ones([3])
    assert compat.nn.experimental.general_dropout(x, 0.0, g.uniform) is not None
    assert g.state.tolist() == [7, 0, 0]


def test_stateless_dropout_rate_zero_checks_no_seed():
    # TensorFlow's `_dropout` returns x for rate 0 before it calls the sampler (nn_ops.py).
    x = jnp.ones([2])
    assert compat.nn.experimental.stateless_dropout(x, 0.0, seed=[1, 2, 3]) is not None


def test_stateless_dropout_is_general_dropout_over_stateless_uniform():
    x = jnp.ones([4, 2])
    want = compat.nn.experimental.general_dropout(
        x, 0.5, lambda shape, dtype: compat.stateless_uniform(shape, [3, 4], dtype=dtype))
    np.testing.assert_array_equal(compat.nn.experimental.stateless_dropout(x, 0.5, [3, 4]), want)
    assert compat.nn.dropout is compat.dropout


@pytest.mark.parametrize("call, kind, message", [
    (lambda: compat.nn.experimental.general_dropout(jnp.ones([2]), 1.0, jnp.ones), ValueError,
     "`compat.nn.experimental.general_dropout`: `rate` must be a float in [0, 1); got 1.0."),
    (lambda: compat.nn.experimental.general_dropout(jnp.ones([2]), 0.5, None), TypeError,
     "`compat.nn.experimental.general_dropout`: `uniform_sampler` must be a callable"),
    (lambda: compat.nn.experimental.general_dropout(
        jnp.ones([2]), 0.5, lambda shape, dtype: jnp.ones([3], dtype)), ValueError,
     "`uniform_sampler` must be a sampler of float32 values of shape [2]; got 'float32 values of "
     "shape [3]'."),
    (lambda: compat.nn.experimental.stateless_dropout(jnp.ones([2]), 0.5, [1, 2, 3]), ValueError,
     "`compat.nn.experimental.stateless_dropout`: `seed` must be a pair of ints"),
    (lambda: compat.nn.experimental.stateless_dropout(jnp.ones([2]), 0.5, [1, 2], "threefry"),
     RuntimeError, "`compat.nn.experimental.stateless_dropout`: alg='threefry' runs only inside"),
    (lambda: compat.nn.experimental.stateless_dropout(jnp.ones([2]), 0.5, [1, 2], "threefree"),
     ValueError, "`compat.nn.experimental.stateless_dropout`: `alg` must be"),
])
def test_errors(call, kind, message):
    with pytest.raises(kind, match=re.escape(message)):
        call()
