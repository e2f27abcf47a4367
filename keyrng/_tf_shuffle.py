"""TensorFlow's stateless shuffles as pure functions: `stateless_shuffle` and `index_shuffle`.

- StatelessShuffle (`tf.random.experimental.stateless_shuffle`) is RandomShuffle's algorithm
  (Fisher-Yates on the stream's words, `keyrng.tf.draw_shuffle`) run from the stateless position
  of its seed (`keyrng.tf.stateless_key`): the kernel builds its Philox generator from the
  key and counter of StatelessRandomGetKeyCounter and hands it to the same `RandomShuffle<T>`.
- RandomIndexShuffle (`tf.random.experimental.index_shuffle`, random_index_shuffle.cc) needs no
  Philox at all: it encrypts `index` with a Simon block cipher of `rounds` rounds (4 from
  Python) on a block of B bits, B = max(ceil(log2(max_index)) rounded up to even, 16), the
  three seed words as the first three round keys, and walks the cycle (encrypts again) until the
  result is <= max_index. The block's halves are W = B/2 <= 32 bits, so everything here is
  uint32 arithmetic: no 64-bit mode is needed except for 64-bit index dtypes.

>>> import numpy as np
>>> import keyrng.tf as tfk
>>> index, seed, max_index = tfk.check_index_shuffle("my.index_shuffle", np.arange(4, dtype=np.int32), [5, 9], 3)
>>> tfk.draw_index_shuffle(index, seed, max_index)
Array([2, 0, 1, 3], dtype=int32)
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keyrng import _errors

INDEX_DTYPES = ("int32", "int64", "uint32", "uint64")
SEED_PAD = 498247692  # the word tf.random.experimental.index_shuffle puts in front of the seed
_Z = 0x7369F885192C0EF5  # the Simon key schedule's constant sequence z (as TensorFlow spells it)
_C = 0xFFFFFFFC
_ACCEPTED = "an int or an int32, int64, uint32 or uint64 array of rank 0 or 1"


def _as_int_array(function: str, argument: str, value: Any, dtype: str | None) -> Any:
    """`value` as TensorFlow converts it: Python ints to int32 (int64 when they do not fit), or
    to `dtype` when given (the dtype of `index`); arrays keep their dtype."""
    if isinstance(value, jax.Array) and jnp.issubdtype(value.dtype, jax.dtypes.prng_key):
        _errors.type_error(function, argument, _ACCEPTED, value)
    if isinstance(value, (jax.Array, np.ndarray, np.generic)):
        array = value if isinstance(value, jax.Array) else np.asarray(value)
        name = np.dtype(array.dtype).name
        if name not in INDEX_DTYPES:
            _errors.type_error(function, argument, _ACCEPTED, f"an array of dtype {name}")
        if dtype is not None and name != dtype:
            if isinstance(array, jax.Array):  # a tensor of another dtype: TensorFlow refuses it
                _errors.type_error(function, argument, f"an array of `index`'s dtype {dtype}",
                                   f"an array of dtype {name}")
            value = array  # NumPy values convert to `index`'s dtype, as TensorFlow converts them
        else:
            return array
    elif isinstance(value, (bool, str, bytes, float)) or value is None:
        _errors.type_error(function, argument, _ACCEPTED, value)
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        _errors.type_error(function, argument, _ACCEPTED, value)
    if array.dtype == object or not (array.dtype.kind in "iu" or array.size == 0):
        _errors.type_error(function, argument, _ACCEPTED, value)
    if dtype is None:
        ints = [int(v) for v in array.reshape(-1)]
        dtype = "int32" if all(-2**31 <= v < 2**31 for v in ints) else "int64"
        if not all(-2**63 <= v < 2**63 for v in ints):
            _errors.value_error(function, argument, _ACCEPTED + " with values that fit int64", value)
    info = np.iinfo(dtype)
    if array.size and (int(array.min()) < info.min or int(array.max()) > info.max):
        _errors.value_error(function, argument, f"ints that fit `index`'s dtype {dtype}", value)
    return array.astype(dtype)


def _wide(function: str, argument: str, name: str, value: Any) -> None:
    if name in ("int64", "uint64") and not jax.config.jax_enable_x64:
        _errors.value_error(function, argument, "32-bit ints while jax's 64-bit mode is off", value,
                            "Enable 64-bit types with `jax.config.update('jax_enable_x64', True)`, "
                            "or pass int32 values.")


def check_index_shuffle(function: str, index: Any, seed: Any, max_index: Any):
    """Canonical `(index, seed, max_index)` for `draw_index_shuffle`, under RandomIndexShuffle's
    shape rules, or the error. `seed` is the user's `[2]` seed (int32, uint32, int64 or uint64);
    it comes back as the kernel's three uint32 words, SEED_PAD in front. `index` and `max_index`
    are scalars or vectors of one length and dtype (Python ints take `index`'s), with
    `0 <= index <= max_index` element by element (checked when they are concrete).
    """
    index = _as_int_array(function, "index", index, None)
    index_dtype = np.dtype(index.dtype).name
    max_index = _as_int_array(function, "max_index", max_index, index_dtype)
    seed = _as_int_array(function, "seed", seed, None)
    seed_dtype = np.dtype(seed.dtype).name
    # The Python wrapper pads the seed's first dimension with SEED_PAD, and the kernel takes a
    # [3] seed (or [n, 3], which a padded [n, 2] seed never is): only a [2] seed passes.
    if seed.ndim != 1 or seed.shape[0] != 2:
        _errors.value_error(function, "seed", "an int array of shape [2]", f"an array of shape {list(seed.shape)}")
    outputs = max(math.prod(index.shape), math.prod(max_index.shape), 1)
    if not (index.ndim == 0 or (index.ndim == 1 and index.shape[0] == outputs)):
        _errors.value_error(function, "index", f"a scalar or a vector of {outputs} ints",
                            f"an array of shape {list(index.shape)}")
    if not (max_index.ndim == 0 or (max_index.ndim == 1 and max_index.shape[0] == outputs)):
        _errors.value_error(function, "max_index", f"a scalar or a vector of {outputs} ints",
                            f"an array of shape {list(max_index.shape)}")
    if not isinstance(index, jax.core.Tracer) and not isinstance(max_index, jax.core.Tracer):
        indices = np.broadcast_to(np.asarray(index), (outputs,))
        maxima = np.broadcast_to(np.asarray(max_index), (outputs,))
        for i, m in zip(indices.tolist(), maxima.tolist()):  # the kernel's order of checks
            if i < 0:
                _errors.value_error(function, "index", "non-negative ints", i)
            if m < i:
                _errors.value_error(function, "max_index", f">= index ({i})", m)
    if seed_dtype in ("int64", "uint64") and isinstance(seed, np.ndarray):
        words = (seed.astype(np.uint64) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    elif isinstance(seed, np.ndarray):
        words = seed.astype(np.uint32)
    else:
        with jax.enable_x64(seed_dtype in ("int64", "uint64")):
            words = seed.astype(jnp.uint32)
    pad = np.full(words.shape[:-1] + (1,), SEED_PAD, np.uint32)
    words = (np.concatenate if isinstance(words, np.ndarray) else jnp.concatenate)([pad, words], -1)
    return index, words, max_index


def block_bits(max_index: int) -> int:
    """B, the cipher's block size in bits for `max_index` (>= 1), as the kernel computes it:
    `ceil(log2(double(max_index)))` with the platform's log2 (Python's `math.log2` is the C
    library's), rounded up to even, at least 16.

    >>> block_bits(3), block_bits(2**16), block_bits(2**16 + 1), block_bits(2**64 - 1)
    (16, 16, 18, 64)
    """
    bits = math.ceil(math.log2(float(max_index)))
    return max(bits + bits % 2, 16)


def _halves(values, wide: bool):
    """(low, high) uint32 words of the values cast to uint64 as the kernel casts them."""
    if wide:
        with jax.enable_x64(True):
            as64 = values.astype(jnp.uint64)
            return (as64 & jnp.uint64(0xFFFFFFFF)).astype(jnp.uint32), (as64 >> 32).astype(jnp.uint32)
    low = values.astype(jnp.uint32) if values.dtype == jnp.uint32 else lax.bitcast_convert_type(values, jnp.uint32)
    high = jnp.where(values < 0, jnp.uint32(0xFFFFFFFF), jnp.uint32(0)) if values.dtype == jnp.int32 \
        else jnp.zeros_like(low)
    return low, high


def _traced_words(max_low, max_high):
    """W for a traced max_index: the bit length of max_index - 1, rounded up to even, at least 8
    halves (equal to the kernel's rule for every max_index < 2**49; see `block_bits`)."""
    minus_low = max_low - jnp.uint32(1)
    minus_high = max_high - jnp.where(max_low == 0, jnp.uint32(1), jnp.uint32(0))
    length = jnp.where(minus_high != 0, 64 - lax.clz(minus_high).astype(jnp.int32),
                       32 - lax.clz(minus_low).astype(jnp.int32))
    block = jnp.maximum(length + length % 2, 16)
    return (block // 2).astype(jnp.uint32)


def simon_rounds(left, right, key, width, rounds: int):
    """The kernel's Simon encryption of one block (halves `left`, `right` of `width` bits, all
    uint32 arrays) with round keys from `key` (three uint32 words)."""
    mask = jnp.uint32(0xFFFFFFFF) >> (jnp.uint32(32) - width)

    def rotl(x, r):
        return ((x << jnp.uint32(r)) | (x >> (width - jnp.uint32(r)))) & mask

    def rotr(x, r):
        return ((x >> jnp.uint32(r)) | (x << (width - jnp.uint32(r)))) & mask

    def f(x):
        return (rotl(x, 1) & rotl(x, 8)) ^ rotl(x, 2)

    keys = [key[0] & mask, key[1] & mask, key[2] & mask]
    c = jnp.uint32(_C) & mask
    for i in range(3, rounds):
        z = jnp.where(jnp.uint32(i - 3) < width, jnp.uint32((_Z >> (i - 3)) & 1), jnp.uint32(0))
        keys.append(c ^ z ^ keys[i - 3] ^ rotr(keys[i - 1], 3) ^ rotr(keys[i - 1], 4))
    for i in range(0, rounds, 2):
        left = left ^ f(right) ^ keys[i]
        right = right ^ f(left) ^ keys[i + 1]
    return left, right


def index_shuffle_words(low, high, key, max_low, max_high, width, rounds: int):
    """RandomIndexShuffle on uint32 words: the new index (low, high) of each `(low, high)` index,
    for blocks of `2 * width` bits; elements with `width == 0` (max_index 0) give 0."""
    full = width == 32
    safe = jnp.where(width == 0, jnp.uint32(8), width)

    def encrypt(lo, hi):
        mask = jnp.uint32(0xFFFFFFFF) >> (jnp.uint32(32) - safe)
        right = lo & mask
        left = jnp.where(full, hi, ((lo >> jnp.where(full, 0, safe)) | (hi << (jnp.uint32(32) - safe))) & mask)
        left, right = simon_rounds(left, right, key, safe, rounds)
        new_low = jnp.where(full, right, right | (left << jnp.where(full, 0, safe)))
        new_high = jnp.where(full, left, left >> (jnp.uint32(32) - safe))
        return new_low, new_high

    def within(lo, hi):
        return (hi < max_high) | ((hi == max_high) & (lo <= max_low))

    def body(state):
        lo, hi, done = state
        new_lo, new_hi = encrypt(lo, hi)
        lo, hi = jnp.where(done, lo, new_lo), jnp.where(done, hi, new_hi)
        return lo, hi, done | within(lo, hi)

    # An index above max_index (TensorFlow's kernel refuses it; only a traced one gets here) may
    # sit on a cycle with no value <= max_index: it stops after one encryption.
    outside = ~within(low, high)
    lo, hi = encrypt(low, high)
    lo, hi, _ = lax.while_loop(lambda s: ~jnp.all(s[2]), body, (lo, hi, within(lo, hi) | (width == 0) | outside))
    zero = jnp.uint32(0)
    return jnp.where(width == 0, zero, lo), jnp.where(width == 0, zero, hi)


@partial(jax.jit, static_argnames=("shape", "rounds", "traced_width"))
def _index_shuffle(index, key, max_index, width, *, shape, rounds, traced_width):
    wide = index.dtype in (jnp.int64, jnp.uint64)
    low, high = _halves(jnp.broadcast_to(index, shape), wide)
    max_low, max_high = _halves(jnp.broadcast_to(max_index, shape), wide)
    if traced_width:
        width = jnp.where((max_low == 0) & (max_high == 0), jnp.uint32(0), _traced_words(max_low, max_high))
    key = jnp.broadcast_to(key, shape + (3,))
    lo, hi = index_shuffle_words(low, high, (key[..., 0], key[..., 1], key[..., 2]),
                                 max_low, max_high, jnp.broadcast_to(width, shape), rounds)
    if wide:
        with jax.enable_x64(True):
            return lax.bitcast_convert_type(lo.astype(jnp.uint64) | (hi.astype(jnp.uint64) << 32), index.dtype) \
                if index.dtype == jnp.int64 else lo.astype(jnp.uint64) | (hi.astype(jnp.uint64) << 32)
    return lo.astype(index.dtype) if index.dtype == jnp.uint32 else lax.bitcast_convert_type(lo, index.dtype)


def draw_index_shuffle(index, seed_words, max_index, rounds: int = 4) -> jax.Array:
    """`index_shuffle` after `check_index_shuffle`: the position of each `index` in the
    permutation of [0, max_index] that `seed_words` (uint32 [3]) and `rounds` pick.

    With a concrete `max_index` the block size comes from the C library's log2 (`block_bits`),
    as in the kernel; with a traced one from its bit length (the same for max_index < 2**49).
    """
    if rounds < 4 or rounds % 2:
        _errors.value_error("keyrng.tf.draw_index_shuffle", "rounds", "an even int >= 4", rounds)
    shape = () if (np.ndim(index) == 0 and np.ndim(max_index) == 0) else (max(np.size(index), np.size(max_index)),)
    wide = np.dtype(index.dtype).name in ("int64", "uint64")
    traced = isinstance(max_index, jax.core.Tracer)
    if traced:
        width = np.uint32(0)
    else:
        values = np.asarray(max_index).astype(np.uint64) if not wide else np.asarray(max_index).view(np.uint64)
        width = np.array([0 if v == 0 else block_bits(int(v)) // 2 for v in np.atleast_1d(values).reshape(-1)],
                         np.uint32).reshape(np.shape(values))
    with jax.enable_x64(True) if wide else _nullcontext():
        if not traced and not isinstance(index, jax.core.Tracer):
            # Concrete inputs are padded to a vector of a power of two (max_index 0: no work), so
            # scalars and vectors of a few sizes share one compiled kernel per dtype.
            size = shape[0] if shape else 1
            scalar = not shape
            shape = (size,)
            bucket = max(16, 1 << (size - 1).bit_length())
            pad = bucket - size
            index = np.pad(np.broadcast_to(np.asarray(index), shape), (0, pad))
            max_index = np.pad(np.broadcast_to(np.asarray(max_index), shape), (0, pad))
            width = np.pad(np.broadcast_to(width, shape), (0, pad))
            result = _index_shuffle(index, seed_words, max_index, width, shape=(bucket,), rounds=rounds,
                                    traced_width=False)
            return result[0] if scalar else result[:size]
        return _index_shuffle(index, seed_words, max_index, width, shape=shape, rounds=rounds,
                              traced_width=traced)


class _nullcontext:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
