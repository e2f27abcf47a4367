"""compat's wider TensorFlow surface: dropout, shuffle, categorical, and the recorded scenarios of
stateless ops, split/fold_in, Generator, dropout, shuffle and categorical
(`tests/data/tf_extra_expected.json`, recorded with TensorFlow 2.21.0 CPU by
shared/tf_reference/record.py; each scenario's source is in the file), replayed bit for bit.
"""

from __future__ import annotations

import copy
import json
import random
import re
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import compat
import keyrng
from tests import replay
from tests.test_replay import check

DATA = json.loads((Path(__file__).parent / "data" / "tf_extra_expected.json").read_text())
SCENARIOS = {scenario["name"]: scenario for scenario in DATA["scenarios"]}

# Where compat deliberately differs from TensorFlow: TensorFlow 2.21.0 CPU advances a Generator
# (RngReadAndSkip) before StatelessRandomUniformIntV2 rejects minval >= maxval; compat checks
# first, so the rejected call changes no state. {scenario: {output index: (TensorFlow, compat)}}.
DEVIATIONS = {"generator_kernel_error_state": {1: ([517, 0, 0], [5, 0, 0])}}


def _expected(scenario: dict) -> dict:
    scenario = copy.deepcopy(scenario)
    for index, (tensorflow, ours) in DEVIATIONS.get(scenario["name"], {}).items():
        assert scenario["outputs"][index]["bits"] == tensorflow
        scenario["outputs"][index]["bits"] = ours
    return scenario


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_recorded_scenario(name):
    check(_expected(SCENARIOS[name]), replay.run(SCENARIOS[name]["code"]))


# --- dropout -------------------------------------------------------------------------------------

def test_dropout_known_answer():
    # TensorFlow 2.21.0 CPU, fresh process: tf.nn.dropout(tf.ones([5]), 0.5, seed=1).
    assert compat.dropout(jnp.ones([5]), 0.5, seed=1).tolist() == [0.0, 2.0, 0.0, 0.0, 2.0]


def test_dropout_is_the_uniform_kernel():
    x = jnp.arange(1.0, 9.0)
    mask_values = compat.uniform([8], seed=4)
    compat.reset()
    got = compat.dropout(x, 0.3, seed=4)
    scale = np.float32(1 / (1 - 0.3))
    np.testing.assert_array_equal(got, np.where(mask_values >= np.float32(0.3), np.asarray(x) * scale, 0))
    # The two share a counter: the next uniform call starts 8*256 blocks further.
    np.testing.assert_array_equal(compat.uniform([8], seed=4),
                                  keyrng.uniform(keyrng.tf_key(87654321, 4, 8 * 256), [8]))


def test_dropout_rate_zero_uses_an_op_seed_only():
    compat.set_seed(1234)
    x = jnp.ones([3])
    assert compat.dropout(x, 0.0) is x
    op_seeds = random.Random(1234)
    op_seeds.randint(0, 2**31 - 1)  # the one dropout used up
    assert compat.get_seed(None) == (1234, op_seeds.randint(0, 2**31 - 1))


def test_dropout_noise_shape_broadcasts():
    x = jnp.ones([3, 4])
    out = np.asarray(compat.dropout(x, 0.5, noise_shape=[3, 1], seed=2))
    assert all(len(set(row)) == 1 for row in out)


# --- shuffle -------------------------------------------------------------------------------------

def test_shuffle_known_answer_and_counter():
    # TensorFlow 2.21.0 CPU, fresh process: tf.random.shuffle(tf.range(6), seed=1).
    assert compat.shuffle(jnp.arange(6), seed=1).tolist() == [3, 5, 0, 4, 1, 2]
    # 5 words were reserved as ceil(5 / 4) = 2 blocks; the next call starts there.
    np.testing.assert_array_equal(compat.shuffle(jnp.arange(6), seed=1),
                                  keyrng.shuffle(keyrng.tf_key(87654321, 1, 2), jnp.arange(6)))


def test_shuffle_moves_rows_and_copies_small_values():
    m = jnp.arange(12).reshape(6, 2)
    out = np.asarray(compat.shuffle(m, seed=3))
    assert sorted(out[:, 0].tolist()) == [0, 2, 4, 6, 8, 10]
    np.testing.assert_array_equal(out[:, 1], out[:, 0] + 1)
    assert compat.shuffle(jnp.arange(1), seed=3).tolist() == [0]


def test_shuffle_vmap_matches_loop():
    keys = [keyrng.tf_key(1, i) for i in range(3)]
    data = jnp.stack([jax.random.key_data(k) for k in keys])
    batched = jax.vmap(lambda d: keyrng.shuffle(jax.random.wrap_key_data(d, impl=keyrng.PHILOX),
                                                jnp.arange(7)))(data)
    np.testing.assert_array_equal(batched, np.stack([keyrng.shuffle(k, jnp.arange(7)) for k in keys]))


# --- categorical ---------------------------------------------------------------------------------

def test_categorical_known_answer():
    # TensorFlow 2.21.0 CPU, fresh process: tf.random.categorical(tf.math.log([[0.5, 0.5]]), 4, seed=1).
    logits = jnp.log(jnp.array([[0.5, 0.5]]))
    with jax.enable_x64(True):
        got = compat.categorical(logits, 4, seed=1)
        assert got.dtype == jnp.int64 and got.tolist() == [[1, 0, 1, 1]]


def test_categorical_reserves_whole_rows_of_doubles():
    logits = jnp.zeros([2, 5])
    compat.categorical(logits, 3, dtype=jnp.int32, seed=1)
    # 2 rows * 2 words * ceil4(3) = 16 samples of 256 blocks each.
    np.testing.assert_array_equal(
        compat.categorical(logits, 3, dtype=jnp.int32, seed=1),
        keyrng.categorical(keyrng.tf_key(87654321, 1, 16 * 256), logits, 3, jnp.int32))


def test_categorical_never_picks_minus_infinity():
    logits = jnp.array([[-jnp.inf, 0.0, -jnp.inf]])
    assert set(compat.categorical(logits, 50, dtype=jnp.int32, seed=5).reshape(-1).tolist()) == {1}


# --- errors: named, typed, and no state changes --------------------------------------------------

@pytest.mark.parametrize("call, kind, message", [
    (lambda: compat.dropout(jnp.ones([2]), 1.0, seed=1), ValueError,
     "`compat.dropout`: `rate` must be a float in [0, 1); got 1.0."),
    (lambda: compat.dropout(jnp.ones([2]), "0.5", seed=1), TypeError,
     "`compat.dropout`: `rate` must be a float in [0, 1); got '0.5'."),
    (lambda: compat.dropout(jnp.arange(2), 0.5, seed=1), ValueError,
     "`compat.dropout`: `x` must be a floating-point array; got 'an array of dtype int32'."),
    (lambda: compat.dropout(jnp.ones([2, 3]), 0.5, noise_shape=[4], seed=1), ValueError,
     "`compat.dropout`: `noise_shape` must be broadcastable to x's shape (2, 3); got [4]."),
    (lambda: compat.shuffle("ab", seed=1), TypeError,
     "`compat.shuffle`: `value` must be an array of numbers"),
    (lambda: compat.categorical(jnp.zeros([3]), 2, dtype=jnp.int32, seed=1), ValueError,
     "`compat.categorical`: `logits` must be a float array of shape [batch, classes]; got "
     "'an array of shape (3,)'."),
    (lambda: compat.categorical(jnp.zeros([1, 0]), 2, dtype=jnp.int32, seed=1), ValueError,
     "`logits` must be an array with at least one class"),
    (lambda: compat.categorical(jnp.zeros([1, 2]), -1, dtype=jnp.int32, seed=1), ValueError,
     "`compat.categorical`: `num_samples` must be a non-negative int; got -1."),
    (lambda: compat.categorical(jnp.zeros([1, 2]), 2, dtype=jnp.float32, seed=1), ValueError,
     "`compat.categorical`: `dtype` must be one of int32, int64"),
    (lambda: compat.categorical(jnp.zeros([1, 2]), 2, seed=1), ValueError,
     "while jax's 64-bit mode is off"),
    (lambda: compat.shuffle(jnp.arange(3), seed="1"), TypeError,
     "`compat.shuffle`: `seed` must be an int, a float, a bool, a numpy integer or float, or None; got '1'."),
])
def test_rejected_calls_change_no_state(call, kind, message):
    compat.set_seed(1234)
    with pytest.raises(kind, match=re.escape(message)):
        call()
    # Neither the eager op-seed draw nor any kernel counter moved.
    assert compat.get_seed(None) == (1234, 1892932127)  # still the first eager op seed
    np.testing.assert_array_equal(compat.uniform([2], seed=1),  # the kernel dropout shares, at 0
                                  keyrng.uniform(keyrng.tf_key(1234, 1), [2]))


# --- the pure kernels under transformations, and on threefry keys --------------------------------

@pytest.mark.parametrize("draw", [
    lambda k: keyrng.dropout(k, jnp.arange(1.0, 9.0), 0.4),
    lambda k: keyrng.shuffle(k, jnp.arange(9)),
    lambda k: keyrng.categorical(k, jnp.zeros([2, 3]), 5, jnp.int32),
    lambda k: keyrng.uniform_full_int(k, [5], jnp.uint32),
])
def test_jit_agrees_with_eager(draw):
    key = keyrng.tf_key(11, 3, 512)
    np.testing.assert_array_equal(jax.jit(draw)(key), draw(key))


@pytest.mark.parametrize("draw, shape, dtype", [
    (lambda k: keyrng.dropout(k, jnp.ones([4, 2]), 0.5), (4, 2), jnp.float32),
    (lambda k: keyrng.shuffle(k, jnp.arange(9)), (9,), jnp.int32),
    (lambda k: keyrng.categorical(k, jnp.zeros([2, 3]), 5, jnp.int32), (2, 5), jnp.int32),
    (lambda k: keyrng.uniform_full_int(k, [5], jnp.int32), (5,), jnp.int32),
])
def test_threefry_keys_fall_back_to_jax_random(draw, shape, dtype):
    result = draw(keyrng.seed(0))
    assert result.shape == shape and result.dtype == dtype


def test_dropout_scale_is_rounded_once_from_python_floats():
    # tf.nn.dropout: scale = 1 / (1 - 0.9) = 10.000000000000002 in Python, then float32 10.0.
    kept = np.asarray(compat.dropout(jnp.ones([64]), 0.9, seed=3))
    assert set(kept.tolist()) <= {0.0, 10.0}
