"""More of TensorFlow's CPU random kernels as pure functions of a Philox position: full-range
integers, dropout, shuffle and categorical (multinomial).

On a Philox key each function returns what TensorFlow 2.21's CPU kernel returns when its
generator sits at the key's position:

- `uniform_full_int`: StatelessRandomUniformFullIntV2 (and the Generator's `uniform_full_int`):
  the stream's words in order, one per 32-bit value, two per 64-bit value (low word first).
- `dropout`: tf.nn.dropout's mask: RandomUniform's raw [0, 1) values, kept where `>= rate`, the
  kept inputs scaled by `1 / (1 - rate)` (the scale rounded to the input's dtype first).
- `shuffle`: RandomShuffle: a Fisher-Yates pass over the leading axis, `swap(i, i + w % (n - i))`
  for i in [0, n-1), w the stream's words in order (random_shuffle_op.cc).
- `categorical`: Multinomial: per row, a float64 running sum of `exp(logit - max)` over finite
  logits; each sample is the number of sums `<= u * total` (u from two words, the first giving
  the high 20 mantissa bits); rows read the stream one after another (multinomial_op.cc; the
  same with 1, 2 and 8 intra-op threads in TensorFlow 2.21 for a 64 x 10 batch).

How far each kernel moves TensorFlow's stateful counter is in `blocks_used` (compat keeps the
counters).

On a threefry key they fall back to `jax.random` (same shapes and dtypes, different numbers).
"""

from __future__ import annotations

import math
import warnings
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keyrng import _bits, _checks, _errors, _impl, _keys, _stream, _tf_kernels

FULL_INT_DTYPES = ("int32", "int64", "uint32", "uint64")
_WIDE = ("int64", "uint64")


# --- full-range integers -------------------------------------------------------------------------

def check_full_int_dtype(function: str, dtype, allowed=FULL_INT_DTYPES) -> str:
    """A dtype name among `allowed`; uint64 and int64 need jax's x64 mode."""
    name = _checks.dtype_name(function, dtype, allowed)
    if name == "uint64" and not jax.config.jax_enable_x64:
        narrow = [n for n in allowed if n not in _WIDE + _checks.WIDE_DTYPES]
        _errors.value_error(
            function, "dtype", "one of " + ", ".join(narrow) + " while jax's 64-bit mode is off",
            dtype, "Enable 64-bit types with `jax.config.update('jax_enable_x64', True)` at "
            "start-up (or JAX_ENABLE_X64=1), or use `with jax.enable_x64(True):`.")
    return name


def full_int_words(key, counter, shape, dtype: str):
    """The kernel on words: `shape` values of `dtype` (64-bit types need jax's x64 mode)."""
    count = math.prod(shape)
    if dtype in _WIDE:
        words = _stream.words(key, counter, 2 * count).reshape(count, 2)
        with jax.enable_x64(True):
            bits = words[:, 0].astype(jnp.uint64) | (words[:, 1].astype(jnp.uint64) << 32)
            return lax.bitcast_convert_type(bits, jnp.dtype(dtype)).reshape(shape)
    words = _stream.words(key, counter, count)
    return lax.bitcast_convert_type(words, jnp.dtype(dtype)).reshape(shape)


@partial(jax.jit, static_argnames=("shape", "dtype"))
def _full_int_philox(key, *, shape, dtype):
    return full_int_words(*_impl.position_words(key), shape, dtype)


def draw_full_int(key, shape, dtype: str) -> jax.Array:
    """`uniform_full_int` after its checks; `key` may be a Philox key's raw uint32[6] data."""
    if _impl.draws_philox(key):
        return _full_int_philox(key, shape=shape, dtype=dtype)
    unsigned = "uint64" if dtype in _WIDE else "uint32"
    return lax.bitcast_convert_type(jax.random.bits(key, shape, unsigned), jnp.dtype(dtype))


def uniform_full_int(key: jax.Array, shape: Any = (), dtype: Any = "uint64") -> jax.Array:
    """Integers over the whole range of `dtype` (int32, int64, uint32 or uint64).

    On a Philox key: TensorFlow's StatelessRandomUniformFullIntV2 at the key's position, so
    `tf.random.stateless_uniform(shape, seed, dtype=tf.uint32, minval=None, maxval=None)` is
    `uniform_full_int(keyrng.tf_stateless_key(seed), shape, "uint32")`.

    >>> import keyrng
    >>> keyrng.uniform_full_int(keyrng.tf_stateless_key([1, 2]), [3], "int32")
    Array([1105988140, 1738052849, -335576002], dtype=int32)
    """
    _keys.check_key("keyrng.uniform_full_int", key)
    shape = _checks.shape("keyrng.uniform_full_int", shape)
    dtype = check_full_int_dtype("keyrng.uniform_full_int", dtype)
    return draw_full_int(key, shape, dtype)


# --- dropout -------------------------------------------------------------------------------------

@partial(jax.jit, static_argnames=("noise_shape", "dtype"))
def _dropout_philox(key, x, rate, scale, *, noise_shape, dtype):
    raw = _tf_kernels.uniform(*_impl.position_words(key), noise_shape, dtype)
    return _apply_dropout(x, raw, rate, scale)


def _apply_dropout(x, uniform, rate, scale):
    """`where(uniform >= rate, x * scale, 0)`; `rate` and `scale` already in x's dtype."""
    with _tf_kernels.wide_types(x.dtype == jnp.float64):
        return jnp.where(uniform >= rate, x * scale, jnp.zeros((), x.dtype))


def draw_dropout(key, x, rate: float, noise_shape) -> jax.Array:
    """`dropout` after its checks (`rate` in (0, 1), `noise_shape` a tuple); raw key data allowed.

    As tf.nn.dropout: `scale = 1 / (1 - rate)` in Python floats, then `rate` and `scale` each
    rounded once to x's dtype (outside jit, so no float32 step comes between).
    """
    dtype = x.dtype
    rate_x = np.asarray(rate, dtype=dtype)
    scale_x = np.asarray(1.0 / (1.0 - rate), dtype=dtype)
    if _impl.draws_philox(key):
        return _dropout_philox(key, x, rate_x, scale_x, noise_shape=noise_shape, dtype=dtype.name)
    return _apply_dropout(x, jax.random.uniform(key, noise_shape, dtype), rate_x, scale_x)


def check_dropout(function: str, x: Any, rate: Any, noise_shape: Any):
    """Canonical `(x, rate, noise_shape)` for dropout, or the error."""
    if isinstance(rate, (bool, np.bool_)) or not isinstance(rate, (int, float, np.floating, np.integer)):
        _errors.type_error(function, "rate", "a float in [0, 1)", rate)
    try:
        rate = float(rate)
    except OverflowError:
        _errors.value_error(function, "rate", "a float in [0, 1)", rate)
    if not 0.0 <= rate < 1.0:
        _errors.value_error(function, "rate", "a float in [0, 1)", rate)
    x = as_array(function, "x", x, "a floating-point array")
    if not jnp.issubdtype(x.dtype, jnp.floating):
        _errors.value_error(function, "x", "a floating-point array", f"an array of dtype {x.dtype}",
                            "Cast x to a float dtype first.")
    if noise_shape is None:
        noise_shape = x.shape
    else:
        noise_shape = _checks.shape(function, noise_shape, "noise_shape")
        try:
            np.broadcast_shapes(noise_shape, x.shape)
        except ValueError:
            _errors.value_error(function, "noise_shape", f"broadcastable to x's shape {x.shape}",
                                list(noise_shape))
    return x, rate, noise_shape


def dropout(key: jax.Array, x: Any, rate: float, noise_shape: Any = None) -> jax.Array:
    """Zero each element of `x` with probability `rate` and scale the rest by `1 / (1 - rate)`.

    On a Philox key: `tf.nn.dropout`'s mask from TensorFlow's RandomUniform kernel at the key's
    position (its values of dtype `x.dtype` and shape `noise_shape`, kept where `>= rate`).

    >>> import keyrng, jax.numpy as jnp
    >>> keyrng.dropout(keyrng.tf_key(87654321, 1), jnp.ones([5]), 0.5)
    Array([0., 2., 0., 0., 2.], dtype=float32)
    """
    _keys.check_key("keyrng.dropout", key)
    x, rate, noise_shape = check_dropout("keyrng.dropout", x, rate, noise_shape)
    if rate == 0.0:
        return x
    return draw_dropout(key, x, rate, noise_shape)


# --- shuffle -------------------------------------------------------------------------------------

def shuffle_permutation_words(key, counter, size: int):
    """The permutation RandomShuffle applies to a leading axis of `size` (>= 2)."""
    words = _stream.words(key, counter, size - 1)

    def step(perm, i):
        span = (jnp.uint32(size) - i.astype(jnp.uint32))
        j = i + (words[i] % span).astype(jnp.int32)
        a, b = perm[i], perm[j]
        return perm.at[i].set(b).at[j].set(a), None

    perm, _ = lax.scan(step, jnp.arange(size, dtype=jnp.int32), jnp.arange(size - 1, dtype=jnp.int32))
    return perm


@partial(jax.jit, static_argnames=("size",))
def _shuffle_philox(key, value, *, size):
    return value[shuffle_permutation_words(*_impl.position_words(key), size)]


def shuffle_blocks(value_shape) -> int:
    """Blocks RandomShuffle reserves: ceil((n-1)/4) for a leading axis n >= 2 (0 when it copies)."""
    if math.prod(value_shape) <= 1 or value_shape[0] <= 1:
        return 0
    return -(-(value_shape[0] - 1) // 4)


def draw_shuffle(key, value) -> jax.Array:
    """`shuffle` after its checks; `key` may be a Philox key's raw uint32[6] data."""
    if shuffle_blocks(value.shape) == 0:
        return value
    if _impl.draws_philox(key):
        return _shuffle_philox(key, value, size=value.shape[0])
    return jax.random.permutation(key, value, axis=0, independent=False)


def as_array(function: str, argument: str, value: Any, accepted: str) -> jax.Array:
    """`value` as a jax array of numbers, or the project's error (never numpy's or jax's)."""
    if isinstance(value, (str, bytes)) or value is None or (
            isinstance(value, jax.Array) and jnp.issubdtype(value.dtype, jax.dtypes.prng_key)):
        _errors.type_error(function, argument, accepted, value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            array = jnp.asarray(value)
    except (OverflowError, RuntimeWarning):  # numbers past the range of jax's dtypes (x64 off)
        _errors.value_error(function, argument, accepted + " with values that fit jax's dtypes", value)
    except (TypeError, ValueError):
        _errors.type_error(function, argument, accepted, value)
    if not (jnp.issubdtype(array.dtype, jnp.integer) or jnp.issubdtype(array.dtype, jnp.floating)
            or array.dtype == jnp.bool_):
        _errors.type_error(function, argument, accepted, value)
    return array


def check_value(function: str, value: Any, argument: str = "value") -> jax.Array:
    """`value` as an array of rank 1 or more, or the error."""
    array = as_array(function, argument, value, "an array of rank 1 or more")
    if array.ndim == 0:
        _errors.value_error(function, argument, "an array of rank 1 or more", value)
    return array


def shuffle(key: jax.Array, value: Any) -> jax.Array:
    """`value` with its leading axis shuffled.

    On a Philox key: TensorFlow's RandomShuffle at the key's position (Fisher-Yates on the
    stream's words, `swap(i, i + word_i % (n - i))`).

    >>> import keyrng, jax.numpy as jnp
    >>> keyrng.shuffle(keyrng.tf_key(87654321, 1), jnp.arange(6))
    Array([3, 5, 0, 4, 1, 2], dtype=int32)
    """
    _keys.check_key("keyrng.shuffle", key)
    return draw_shuffle(key, check_value("keyrng.shuffle", value))


# --- categorical ---------------------------------------------------------------------------------

def categorical_blocks(batch: int, num_samples: int) -> int:
    """Blocks Multinomial reserves: batch * 2 * ceil4(num_samples) * 256 (0 for an empty output)."""
    if batch * num_samples == 0:
        return 0
    return batch * 2 * (-(-num_samples // 4) * 4) * 256


def categorical_words(key, counter, logits, num_samples: int, dtype: str):
    """Multinomial's samples for float `logits` of shape [batch, classes]."""
    batch, classes = logits.shape
    with jax.enable_x64(True):
        words = _stream.words(key, counter, 2 * batch * num_samples).reshape(batch, num_samples, 2)
        u = _bits.to_unit_double(words[..., 0], words[..., 1])
        wide = logits.astype(jnp.float64)
        finite = jnp.isfinite(wide)
        lowest = jnp.finfo(logits.dtype).min.astype(jnp.float64)
        row_max = jnp.max(jnp.where(finite, wide, lowest), axis=1, keepdims=True)
        terms = jnp.where(finite, jnp.exp(wide - row_max), 0.0)
        cdf = _running_sum(terms)
        target = u * cdf[:, -1:]
        counts = jnp.sum(cdf[:, None, :] <= target[:, :, None], axis=-1)
        return counts.astype(dtype)


def _running_sum(terms):
    """Left-to-right float64 sums, as the kernel's loop adds them (no reassociation)."""
    def step(total, column):
        total = total + column
        return total, total
    _, sums = lax.scan(step, jnp.zeros(terms.shape[:1], terms.dtype), terms.T)
    return sums.T


@partial(jax.jit, static_argnames=("num_samples", "dtype"))
def _categorical_philox(key, logits, *, num_samples, dtype):
    return categorical_words(*_impl.position_words(key), logits, num_samples, dtype)


def draw_categorical(key, logits, num_samples: int, dtype: str) -> jax.Array:
    """`categorical` after its checks; `key` may be a Philox key's raw uint32[6] data."""
    if logits.shape[0] * num_samples == 0:
        return jnp.zeros((logits.shape[0], num_samples), dtype)
    if _impl.draws_philox(key):
        return _categorical_philox(key, logits, num_samples=num_samples, dtype=dtype)
    samples = jax.random.categorical(key, logits, axis=-1, shape=(num_samples, logits.shape[0]))
    return samples.T.astype(dtype)


def check_categorical(function: str, logits: Any, num_samples: Any, dtype: Any):
    """Canonical `(logits, num_samples, dtype name)`, or the error."""
    accepted = "a float array of shape [batch, classes]"
    logits = as_array(function, "logits", logits, accepted)
    if not jnp.issubdtype(logits.dtype, jnp.floating):
        _errors.type_error(function, "logits", accepted, f"an array of dtype {logits.dtype}")
    if logits.ndim != 2:
        _errors.value_error(function, "logits", accepted, f"an array of shape {logits.shape}")
    if logits.shape[1] == 0:
        _errors.value_error(function, "logits", "an array with at least one class",
                            f"an array of shape {logits.shape}")
    num_samples = _checks.integer(function, "num_samples", num_samples, 0, 2**31, "a non-negative int")
    dtype = _checks.dtype_name(function, "int64" if dtype is None else dtype, ("int32", "int64"))
    return logits, num_samples, dtype


def categorical(key: jax.Array, logits: Any, num_samples: int, dtype: Any = None) -> jax.Array:
    """`num_samples` class indices per row of `logits` ([batch, classes]); int64 by default.

    On a Philox key: TensorFlow's Multinomial kernel at the key's position.

    >>> import keyrng, jax, jax.numpy as jnp
    >>> with jax.enable_x64(True):
    ...     keyrng.categorical(keyrng.tf_key(87654321, 1), jnp.log(jnp.array([[0.5, 0.5]])), 4)
    Array([[1, 0, 1, 1]], dtype=int64)
    """
    _keys.check_key("keyrng.categorical", key)
    return draw_categorical(key, *check_categorical("keyrng.categorical", logits, num_samples, dtype))
