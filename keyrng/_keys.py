"""Making and deriving keys: `seed`, `split`, `fold_in`, `derive`, and Philox positions.

Seeds become keys by one rule, written down here and pinned by known-answer tests:

- an int in [0, 2^64) is the key's 64-bit value, as `jax.random.key` takes it: for threefry the
  key data is `[value >> 32, value & 0xFFFFFFFF]`; for Philox it is TensorFlow's kernel key with
  `seed=value, seed2=0`, counter 0;
- any other int (negative, or 2^64 and above), a `str` or `bytes` is hashed to 64 bits with
  BLAKE2b (a tag names the kind of value, so `"1"`, `b"1"` and `1` differ), and that value is
  used as above. Python's `hash()` is never used: it changes from process to process.

Strings passed to `fold_in` and `derive` are hashed the same way to four uint32 words that are
folded in one after another.
"""

from __future__ import annotations

import hashlib
import operator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from keyrng import _checks, _errors, _impl, _philox

_SEED_FORMS = "an int, a numpy integer, a 0-d integer array, a str or bytes"
_DATA_FORMS = "an int in [-2**31, 2**32), a 0-d integer array or a str"


def _digest(tag: bytes, payload: bytes, words: int) -> tuple[int, ...]:
    digest = hashlib.blake2b(tag + b"\x00" + payload, digest_size=4 * words).digest()
    return tuple(int.from_bytes(digest[4 * i:4 * i + 4], "little") for i in range(words))


def _int_bytes(value: int) -> bytes:
    sign = b"-" if value < 0 else b"+"
    magnitude = abs(value)
    return sign + magnitude.to_bytes(max(1, (magnitude.bit_length() + 7) // 8), "little")


def seed_value(value: Any, function: str = "keyrng.seed") -> int:
    """The 64-bit value a seed stands for (see the module docstring).

    >>> seed_value(1234)
    1234
    >>> hex(seed_value("experiment-7"))
    '0x...'
    """
    if isinstance(value, (bool, np.bool_)):
        _errors.type_error(function, "value", _SEED_FORMS, value)
    if isinstance(value, str):
        low, high = _digest(b"keyrng/seed/str", value.encode("utf-8"), 2)
        return low | high << 32
    if isinstance(value, (bytes, bytearray)):
        low, high = _digest(b"keyrng/seed/bytes", bytes(value), 2)
        return low | high << 32
    if isinstance(value, jax.Array) and jnp.issubdtype(value.dtype, jax.dtypes.prng_key):
        _errors.type_error(function, "value", _SEED_FORMS, value, "It is already a key.")
    if isinstance(value, (np.ndarray, jax.Array)) and not isinstance(value, jax.core.Tracer):
        if value.ndim != 0 or not np.issubdtype(value.dtype, np.integer):
            kind = TypeError if not np.issubdtype(value.dtype, np.integer) else ValueError
            raise kind(_errors.message(function, "value", _SEED_FORMS, value,
                                       "Use jax.vmap to make a batch of keys."))
        value = int(value)
    try:
        number = operator.index(value)
    except TypeError:
        _errors.type_error(function, "value", _SEED_FORMS, value)
    if 0 <= number < 2**64:
        return number
    low, high = _digest(b"keyrng/seed/int", _int_bytes(number), 2)
    return low | high << 32


def _resolve_impl(impl: Any, function: str):
    if isinstance(impl, str):
        try:
            return _impl.IMPLS[impl]
        except KeyError:
            pass
    elif impl is _impl.PHILOX:
        return impl
    _errors.value_error(function, "impl", "'threefry2x32' or 'philox' (TensorFlow's Philox stream)", impl)


def seed(value: Any, impl: Any = "threefry2x32") -> jax.Array:
    """A typed key from a seed: an int of any size, a numpy integer, a str or bytes.

    `impl` is "threefry2x32" (jax's default) or "philox" (TensorFlow's Philox4x32-10 stream).

    >>> import keyrng, jax
    >>> key = keyrng.seed(1234)
    >>> bool((jax.random.key_data(key) == jax.random.key_data(jax.random.key(1234))).all())
    True
    >>> keyrng.seed(1234, impl="philox")
    Array((), dtype=key<tfp>) overlaying:
    [1234    0    0    0    0    0]
    >>> keyrng.seed(1.5)
    Traceback (most recent call last):
    ...
    TypeError: `keyrng.seed`: `value` must be an int, a numpy integer, a 0-d integer array, a str or bytes; got 1.5.
    """
    spec = _resolve_impl(impl, "keyrng.seed")
    if isinstance(value, jax.core.Tracer):
        if value.ndim != 0 or not jnp.issubdtype(value.dtype, jnp.integer):
            _errors.type_error("keyrng.seed", "value", _SEED_FORMS, value)
        return jax.random.key(value, impl=spec)
    number = seed_value(value)
    low, high = number & 0xFFFFFFFF, number >> 32
    if spec is _impl.PHILOX:
        data = np.array([low, high, 0, 0, 0, 0], np.uint32)
    else:
        data = np.array([high, low], np.uint32)
    return jax.random.wrap_key_data(data, impl=spec)


def check_key(function: str, key: Any, argument: str = "key") -> None:
    """Raise unless `key` is a single typed key (the kind `jax.random.key` makes)."""
    if not isinstance(key, jax.Array) or not jnp.issubdtype(key.dtype, jax.dtypes.prng_key):
        _errors.type_error(function, argument, "a typed key (from keyrng.seed or jax.random.key)", key,
                           "Wrap raw uint32 key data with jax.random.wrap_key_data.")
    if key.shape != ():
        _errors.value_error(function, argument, "a single key of shape ()",
                            f"a key array of shape {key.shape}", "Use jax.vmap for batches of keys.")


def split(key: jax.Array, num: int = 2) -> jax.Array:
    """`num` new keys from `key`, of the same algorithm.

    >>> import keyrng
    >>> keyrng.split(keyrng.seed(0), 3).shape
    (3,)
    """
    check_key("keyrng.split", key)
    num = _checks.integer("keyrng.split", "num", num, 0, 2**31, "a non-negative int")
    return jax.random.split(key, num)


def _data_words(function: str, data: Any):
    """The uint32 words `data` folds in: one for an int, four hashed words for a str."""
    if isinstance(data, str):
        return _digest(b"keyrng/fold/str", data.encode("utf-8"), 4)
    if isinstance(data, (bool, np.bool_)):
        _errors.type_error(function, "data", _DATA_FORMS, data)
    if isinstance(data, (jax.Array, np.ndarray)):
        if data.ndim != 0 or not jnp.issubdtype(data.dtype, jnp.integer):
            _errors.type_error(function, "data", _DATA_FORMS, data)
        if isinstance(data, jax.core.Tracer) or data.dtype.itemsize <= 4:
            return (data,)
        data = int(data)
    number = _checks.integer(function, "data", data, -2**31, 2**32, _DATA_FORMS)
    return (number & 0xFFFFFFFF,)


def fold_in(key: jax.Array, data: Any) -> jax.Array:
    """A new key from `key` and an int or a str; `jax.random.fold_in` for ints.

    A str is hashed (BLAKE2b) to four uint32 words, folded in one after another, so the result
    is the same in every process, on every machine.

    >>> import keyrng, jax
    >>> k = keyrng.seed(0)
    >>> bool((jax.random.key_data(keyrng.fold_in(k, 7)) == jax.random.key_data(jax.random.fold_in(k, 7))).all())
    True
    >>> keyrng.fold_in(k, "dropout").dtype
    key<fry>
    """
    check_key("keyrng.fold_in", key)
    for word in _data_words("keyrng.fold_in", data):
        key = jax.random.fold_in(key, word)
    return key


def derive(key: jax.Array, *path: Any) -> jax.Array:
    """The key for a named path: `derive(k, "encoder", 3, "dropout")`.

    The same as folding in each element of `path` in turn (`fold_in` for ints and strs), so it is
    stable across processes, machines and releases; known-answer tests pin it.

    >>> import keyrng
    >>> k = keyrng.seed(0)
    >>> a = keyrng.derive(k, "encoder", 3, "dropout")
    >>> b = keyrng.fold_in(keyrng.fold_in(keyrng.fold_in(k, "encoder"), 3), "dropout")
    >>> bool((jax.random.key_data(a) == jax.random.key_data(b)).all())
    True
    """
    check_key("keyrng.derive", key)
    for element in path:
        for word in _data_words("keyrng.derive", element):
            key = jax.random.fold_in(key, word)
    return key


# --- Philox positions -------------------------------------------------------------------------

_U64 = "an int in [0, 2**64)"


def philox_key(key: int, counter: int = 0) -> jax.Array:
    """The Philox key at a raw position: a 64-bit Philox key and a 128-bit block counter.

    This is how TensorFlow's stateless ops and `tf.random.Generator` address the stream.

    >>> import keyrng
    >>> keyrng.philox_key(5, 2**64 + 3)
    Array((), dtype=key<tfp>) overlaying:
    [5 0 3 0 1 0]
    """
    key = _checks.integer("keyrng.philox_key", "key", key, 0, 2**64, _U64)
    counter = _checks.integer("keyrng.philox_key", "counter", counter, 0, 2**128, "an int in [0, 2**128)")
    data = np.array(_philox.int_to_words(key, 2) + _philox.int_to_words(counter, 4), np.uint32)
    return jax.random.wrap_key_data(data, impl=_impl.PHILOX)


def tf_key(seed: int, seed2: int, offset: int = 0) -> jax.Array:
    """The position of TensorFlow's stateful kernel with attributes `seed`, `seed2`, after
    `offset` blocks (each call of N values moves a kernel by N*256 blocks).

    `keyrng.uniform(tf_key(87654321, 1), [5])` is what `tf.random.uniform([5], seed=1)` gives in a
    fresh TensorFlow process (see the compat docs for the seed rules).

    >>> import keyrng
    >>> keyrng.uniform(keyrng.tf_key(87654321, 1), [5])
    Array([0.2390374 , 0.92039955, 0.05051243, 0.49574447, 0.8355223 ], dtype=float32)
    """
    seed = _checks.integer("keyrng.tf_key", "seed", seed, -2**63, 2**64, "an int64 or uint64 value")
    seed2 = _checks.integer("keyrng.tf_key", "seed2", seed2, -2**63, 2**64, "an int64 or uint64 value")
    offset = _checks.integer("keyrng.tf_key", "offset", offset, 0, 2**128, "an int in [0, 2**128)")
    counter = ((seed2 % 2**64) << 64) + offset
    return philox_key(seed % 2**64, counter % 2**128)


def position(key: jax.Array) -> tuple[int, int]:
    """`(key, counter)` of a concrete Philox key, as Python ints (the inverse of `philox_key`).

    >>> import keyrng
    >>> keyrng.position(keyrng.tf_key(87654321, 1, 256))
    (87654321, 18446744073709551872)
    """
    check_key("keyrng.position", key)
    if not _impl.is_philox(key):
        _errors.type_error("keyrng.position", "key", "a Philox key", key)
    words = [int(w) for w in np.asarray(jax.random.key_data(key))]
    return _philox.words_to_int(words[:2]), _philox.words_to_int(words[2:])


def advance(key: jax.Array, blocks: Any) -> jax.Array:
    """Move a Philox key's counter forward by `blocks` (an int, or a traced integer scalar).

    >>> import keyrng
    >>> keyrng.position(keyrng.advance(keyrng.tf_key(1, 0), 2**32 + 1))
    (1, 4294967297)
    """
    check_key("keyrng.advance", key)
    if not _impl.is_philox(key):
        _errors.type_error("keyrng.advance", "key", "a Philox key", key)
    data = jax.random.key_data(key)
    counter = tuple(data[i] for i in range(2, 6))
    if isinstance(blocks, jax.Array) and not isinstance(blocks, (bool, np.bool_)):
        if blocks.ndim != 0 or not jnp.issubdtype(blocks.dtype, jnp.integer):
            _errors.type_error("keyrng.advance", "blocks", "a non-negative int or integer scalar", blocks)
        if blocks.dtype.itemsize == 8:
            step = ((blocks & 0xFFFFFFFF).astype(jnp.uint32), (blocks >> 32).astype(jnp.uint32), 0, 0)
        else:
            step = (blocks.astype(jnp.uint32), 0, 0, 0)
    else:
        number = _checks.integer("keyrng.advance", "blocks", blocks, 0, 2**128, "a non-negative int")
        step = _philox.int_to_words(number, 4)
    new = _philox.add(counter, tuple(jnp.uint32(s) if isinstance(s, int) else s for s in step))
    return jax.random.wrap_key_data(jnp.stack([data[0], data[1], *new]), impl=_impl.PHILOX)
