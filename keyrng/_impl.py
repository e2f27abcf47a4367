"""TensorFlow's Philox4x32-10 stream registered with jax as a PRNG implementation.

A key of this implementation is a *position* in TensorFlow's Philox stream: its data is six
uint32 words `[key0, key1, counter0, counter1, counter2, counter3]` (the 64-bit Philox key and the
128-bit block counter, least significant word first). `keyrng.uniform` and friends on such a key
return what TensorFlow's CPU kernel returns at that position; `jax.random` functions accept it
like any other typed key and draw from the same stream.

- `seed(s)` is the position of TensorFlow's stateful kernel with `seed=s, seed2=0`: key = s as a
  64-bit word pair, counter 0 (negative 32-bit seeds are sign-extended, as TensorFlow's int64
  attributes are).
- `random_bits` reads the stream from the position: words in TensorFlow's order; 64-bit values
  take two words, low word first; 8- and 16-bit values keep the low bits of one word each.
- `split(key, n)` gives the keys TensorFlow's `Generator.split(n)` gives from a generator at the
  same position: child i has key = 64-bit value i of the stream (low word first), counter 0.
- `fold_in(key, d)`: two Philox blocks, a keyed hash of (position, d); the child has TensorFlow's
  stateless layout (counter words 0 and 1 zero).
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax.extend.random import define_prng_impl

from keyrng import _errors, _philox, _stream

KEY_WORDS = 6
_FOLD_TAG = (np.uint32(0x666F6C64), np.uint32(0x5F696E21))  # "fold" "_in!"


def _unpack(data):
    return (data[0], data[1]), (data[2], data[3], data[4], data[5])


def _pack(key, counter):
    return jnp.stack([jnp.asarray(w, jnp.uint32) for w in (*key, *counter)], axis=-1)


def _seed(seed):
    seed = jnp.asarray(seed)
    if seed.shape:
        raise TypeError(f"A PRNG seed must be a scalar; got an array of shape {seed.shape}.")
    if not jnp.issubdtype(seed.dtype, jnp.integer):
        raise TypeError(f"A PRNG seed must be an integer; got dtype {seed.dtype}.")
    low = seed.astype(jnp.uint32)
    if seed.dtype.itemsize == 8:
        high = (seed >> 32).astype(jnp.uint32)
    elif jnp.issubdtype(seed.dtype, jnp.signedinteger):
        high = jnp.where(seed < 0, jnp.uint32(0xFFFFFFFF), jnp.uint32(0))
    else:
        high = jnp.uint32(0)
    zero = jnp.uint32(0)
    return _pack((low, high), (zero, zero, zero, zero))


def _random_bits(data, bit_width, shape):
    key, counter = _unpack(data)
    count = math.prod(shape)
    if bit_width == 64:
        words = _stream.words(key, counter, 2 * count).reshape(count, 2)
        with jax.enable_x64(True):
            bits = words[:, 0].astype(jnp.uint64) | (words[:, 1].astype(jnp.uint64) << 32)
        return bits.reshape(shape)
    words = _stream.words(key, counter, count)
    return words.astype(jnp.dtype(f"uint{bit_width}")).reshape(shape)


def _split(data, shape):
    key, counter = _unpack(data)
    count = math.prod(shape)
    words = _stream.words(key, counter, 2 * count).reshape(count, 2)
    zeros = jnp.zeros((count,), jnp.uint32)
    children = _pack((words[:, 0], words[:, 1]), (zeros, zeros, zeros, zeros))
    return children.reshape((*shape, KEY_WORDS))


def _fold_in(data, value):
    key, counter = _unpack(data)
    h = _philox.block((key[0] ^ _FOLD_TAG[0], key[1] ^ _FOLD_TAG[1]), counter)
    value = jnp.asarray(value, jnp.uint32)
    m = _philox.block((h[0], h[1]), (value, jnp.uint32(0), h[2], h[3]))
    zero = jnp.uint32(0)
    return _pack((m[0], m[1]), (zero, zero, m[2], m[3]))


PHILOX = define_prng_impl(
    key_shape=(KEY_WORDS,),
    seed=_seed,
    split=_split,
    random_bits=_random_bits,
    fold_in=_fold_in,
    name="tf_philox4x32",
    tag="tfp",
)
"""The jax PRNG implementation of TensorFlow's Philox stream (pass it as `impl=`)."""

THREEFRY = "threefry2x32"

IMPLS = {"threefry2x32": THREEFRY, "threefry": THREEFRY, "philox": PHILOX,
         "tf_philox4x32": PHILOX}


def impl_name(key) -> str:
    """The implementation name of a typed key (or key array): 'tf_philox4x32', 'threefry2x32', ...

    >>> import keyrng
    >>> keyrng.impl_name(keyrng.seed(0)), keyrng.impl_name(keyrng.seed(0, impl="philox"))
    ('threefry2x32', 'tf_philox4x32')
    >>> keyrng.impl_name(None)
    Traceback (most recent call last):
    ...
    TypeError: `keyrng.impl_name`: `key` must be a typed key or key array (from keyrng.seed or jax.random.key); got None.
    """
    if not isinstance(key, jax.Array) or not jnp.issubdtype(key.dtype, jax.dtypes.prng_key):
        _errors.type_error("keyrng.impl_name", "key", "a typed key or key array (from keyrng.seed or "
                           "jax.random.key)", key)
    spec = jax.random.key_impl(key)
    if isinstance(spec, str):  # jax's built-in implementations are named by a str
        return spec
    return "tf_philox4x32" if spec == PHILOX else str(spec)


def is_philox(key) -> bool:
    """Whether a typed key (already checked) is TensorFlow's Philox stream."""
    return jax.random.key_impl(key) == PHILOX


def is_key(value) -> bool:
    """True for a typed key array (the kind `jax.random.key` makes)."""
    return isinstance(value, jax.Array) and jnp.issubdtype(value.dtype, jax.dtypes.prng_key)


def draws_philox(key_or_data) -> bool:
    """True for a Philox key, and for raw uint32[6] position data (what compat passes)."""
    return not is_key(key_or_data) or is_philox(key_or_data)


def position_words(key_or_data):
    """`(key words, counter words)` of a typed Philox key, or of its raw uint32[6] data."""
    data = jax.random.key_data(key_or_data) if is_key(key_or_data) else key_or_data
    return (data[0], data[1]), (data[2], data[3], data[4], data[5])
