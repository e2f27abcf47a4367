"""TensorFlow's stateless seeds as Philox positions, and `split` / `fold_in` on seed pairs.

A stateless seed is a pair of int32 or int64 values. TensorFlow turns it into a Philox position
with one scrambling block (`GenerateKey`, stateless_random_ops.cc):

    s0, s1 = the seeds as 64-bit values (int32 seeds sign-extended)
    mix = Philox4x32-10(counter=[lo(s0), hi(s0), lo(s1), hi(s1)], key=0x02461E293EC8F720)
    position: key = [mix0, mix1], counter = [0, 0, mix2, mix3]

`tf_stateless_key(seed)` returns that position as a typed Philox key, so every stateless op is a
keyrng draw there: `tf.random.stateless_normal(shape, seed)` is
`keyrng.normal(tf_stateless_key(seed), shape)`.

A seed given as Python ints has TensorFlow's dtype for it: int32 when both values fit, else int64
(`tf.convert_to_tensor`'s rule); `tf_stateless_split` and `tf_stateless_fold_in` return that dtype.
"""

from __future__ import annotations

import operator
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keyrng import _checks, _errors, _impl, _philox, _tf_discrete

SCRAMBLE_KEY = (np.uint32(0x3EC8F720), np.uint32(0x02461E29))
_SEED_FORMS = "a pair of ints, or an integer array of shape [2]"
_SPLIT_FORMS = "a pair of ints, or an int32 or int64 array of shape [2]"
_DATA_FORMS = "an int or a 0-d int32, int64, uint32 or uint64 array"


def _python_int_dtype(values, function: str, argument: str, accepted: str) -> str:
    """TensorFlow's dtype for Python ints: int32 if all fit, int64 if all fit, else an error."""
    if all(-2**31 <= v < 2**31 for v in values):
        return "int32"
    if all(-2**63 <= v < 2**63 for v in values):
        return "int64"
    _errors.value_error(function, argument, accepted + " (values in the int64 range)", values)


def seed_words(function: str, seed: Any):
    """`(words, dtype)`: the seed's four counter words (uint32) and its dtype name.

    An array of any integer dtype is accepted, as TensorFlow converts array seeds to int64 by
    value: signed values are sign-extended, unsigned ones zero-extended (so a uint32 4294967295
    is the int64 4294967295, not -1) and uint64 keeps its bits. The dtype is the array's; only
    `split` cares (its result has the seed's dtype, so it takes int32 and int64 only)."""
    if isinstance(seed, (jax.Array, np.ndarray)):
        if jnp.issubdtype(seed.dtype, jax.dtypes.prng_key) \
                or not jnp.issubdtype(seed.dtype, jnp.integer) or seed.dtype == np.bool_:
            _errors.type_error(function, "seed", _SEED_FORMS, seed)
        if seed.shape != (2,):
            _errors.value_error(function, "seed", _SEED_FORMS, f"an array of shape {seed.shape}")
        dtype = seed.dtype.name
        if isinstance(seed, np.ndarray):
            return _int_words([int(v) for v in seed]), dtype
        if seed.dtype.itemsize == 8:
            bits = lax.bitcast_convert_type(seed, jnp.uint64)
            low = (bits & jnp.uint64(0xFFFFFFFF)).astype(jnp.uint32)
            high = (bits >> jnp.uint64(32)).astype(jnp.uint32)
        elif jnp.issubdtype(seed.dtype, jnp.unsignedinteger):
            low = seed.astype(jnp.uint32)
            high = jnp.zeros_like(low)
        else:
            signed = seed.astype(jnp.int32)
            low = lax.bitcast_convert_type(signed, jnp.uint32)
            high = jnp.where(signed < 0, jnp.uint32(0xFFFFFFFF), jnp.uint32(0))
        return jnp.stack([low[0], high[0], low[1], high[1]]), dtype
    if isinstance(seed, (str, bytes)) or isinstance(seed, (bool, np.bool_)):
        _errors.type_error(function, "seed", _SEED_FORMS, seed)
    try:
        items = list(seed)
    except TypeError:
        _errors.type_error(function, "seed", _SEED_FORMS, seed)
    if any(isinstance(item, jax.core.Tracer) for item in items):
        return seed_words(function, _pack_traced(function, seed, items))
    values, wide = [], False
    for item in items:
        if isinstance(item, (bool, np.bool_)):
            _errors.type_error(function, "seed", _SEED_FORMS, seed)
        if isinstance(item, (jax.Array, np.ndarray, np.integer)) and item.ndim == 0 \
                and not isinstance(item, jax.core.Tracer) \
                and not jnp.issubdtype(item.dtype, jax.dtypes.prng_key) \
                and jnp.issubdtype(item.dtype, jnp.integer):
            wide = wide or item.dtype.itemsize == 8  # numpy int64 scalars make an int64 seed
            item = int(item)
        try:
            values.append(operator.index(item))
        except TypeError:
            _errors.type_error(function, "seed", _SEED_FORMS, seed)
    if len(values) != 2:
        _errors.value_error(function, "seed", _SEED_FORMS, seed)
    dtype = _python_int_dtype(values, function, "seed", _SEED_FORMS)
    return _int_words(values), "int64" if wide else dtype


def _pack_traced(function: str, seed, items):
    """A seed written as a sequence holding traced scalars (`[n, 1]` with `n` an argument of a
    compiled function) as the array TensorFlow packs it into (`tf.convert_to_tensor` of the list,
    an int32 or int64 tensor of shape [2]): the traced items' dtype, which they must share, with
    the other items (Python or NumPy ints, concrete 0-d arrays) converted to it, in its range."""
    if len(items) != 2:
        _errors.value_error(function, "seed", _SEED_FORMS, seed)
    dtypes = set()
    for item in items:
        if isinstance(item, (bool, np.bool_)):
            _errors.type_error(function, "seed", _SEED_FORMS, seed)
        if isinstance(item, jax.core.Tracer):
            if item.ndim != 0 or jnp.issubdtype(item.dtype, jax.dtypes.prng_key) \
                    or not jnp.issubdtype(item.dtype, jnp.integer) or item.dtype == np.bool_:
                _errors.type_error(function, "seed", _SEED_FORMS, seed)
            dtypes.add(np.dtype(item.dtype))
    if len(dtypes) != 1:
        _errors.type_error(function, "seed", _SEED_FORMS + " (of one dtype)", seed)
    dtype = dtypes.pop()
    info = np.iinfo(dtype)
    packed = []
    for item in items:
        if not isinstance(item, jax.core.Tracer):
            try:
                value = operator.index(item.item() if isinstance(item, (jax.Array, np.ndarray)) else item)
            except (TypeError, ValueError):
                _errors.type_error(function, "seed", _SEED_FORMS, seed)
            if not info.min <= value <= info.max:
                _errors.value_error(function, "seed", f"{_SEED_FORMS} (values in the {dtype.name} range)", seed)
            item = jnp.asarray(value, dtype)
        packed.append(item)
    return jnp.stack(packed)


def _int_words(values):
    words = []
    for value in values:
        words.extend(_philox.int_to_words(value % 2**64, 2))
    return np.array(words, np.uint32)


@jax.jit
def _scramble(words):
    mix = _philox.block(SCRAMBLE_KEY, (words[0], words[1], words[2], words[3]))
    zero = jnp.uint32(0)
    data = jnp.stack([mix[0], mix[1], zero, zero, mix[2], mix[3]])
    return jax.random.wrap_key_data(data, impl=_impl.PHILOX)


def stateless_key(function: str, seed: Any):
    """`(key, seed dtype)` for a stateless seed, with errors naming `function`."""
    words, dtype = seed_words(function, seed)
    # Behind a barrier, so that a constant seed inside a jitted function is not constant-folded
    # through the draw: XLA's evaluator rounds every product of the glibc ports on its own
    # where the compiled kernel fuses it into an FMA, as glibc's does (`keyrng._libm.log`).
    return _scramble(lax.optimization_barrier(jnp.asarray(words, jnp.uint32))), dtype


def tf_stateless_key(seed: Any) -> jax.Array:
    """The Philox position TensorFlow's stateless ops start from for `seed` (a pair of ints).

    >>> import keyrng
    >>> key = keyrng.tf_stateless_key([1, 2])
    >>> keyrng.position(key)
    (10413732777507651514, 328917790584559868957042979330139881472)
    >>> keyrng.uniform(key, [3])
    Array([0.8440604 , 0.19204533, 0.9962232 ], dtype=float32)
    """
    return stateless_key("keyrng.tf_stateless_key", seed)[0]


def _wide_check(function: str, argument: str, dtype: str, value: Any) -> None:
    if dtype in ("int64", "uint64") and not jax.config.jax_enable_x64:
        _errors.value_error(
            function, argument, "a value that fits int32 while jax's 64-bit mode is off", value,
            "Enable 64-bit types with `jax.config.update('jax_enable_x64', True)` or use "
            "`with jax.enable_x64(True):`.")


def check_split(function: str, seed: Any, num: Any):
    """Canonical `(key, dtype, num)` for a split, or the error."""
    key, dtype = stateless_key(function, seed)
    if dtype not in ("int32", "int64"):  # TensorFlow has no split for seeds of other dtypes
        _errors.type_error(function, "seed", _SPLIT_FORMS, seed)
    num = _checks.integer(function, "num", num, 0, 2**31, "a non-negative int")
    _wide_check(function, "seed", dtype, seed)
    return key, dtype, num


def tf_stateless_split(seed: Any, num: int = 2) -> jax.Array:
    """`tf.random.split(seed, num)`: `num` new seed pairs, shape [num, 2], of the seed's dtype.

    The full-range ints of the seed's stream, in order:
    `uniform_full_int(tf_stateless_key(seed), [num, 2], dtype of seed)`.

    >>> import keyrng
    >>> keyrng.tf_stateless_split([1, 2], 3)
    Array([[1105988140, 1738052849],
           [-335576002,  370444179],
           [  10670227, -246211131]], dtype=int32)
    """
    key, dtype, num = check_split("keyrng.tf_stateless_split", seed, num)
    return _tf_discrete.draw_full_int(key, (num, 2), dtype)


def check_fold_in(function: str, seed: Any, data: Any):
    """Canonical `(key, data as a 0-d array)` for a fold_in, or the error."""
    key, _ = stateless_key(function, seed)
    if isinstance(data, (bool, np.bool_)):
        _errors.type_error(function, "data", _DATA_FORMS, data)
    if isinstance(data, (jax.Array, np.ndarray, np.integer)):
        if jnp.issubdtype(data.dtype, jax.dtypes.prng_key) or data.ndim != 0 \
                or data.dtype.name not in _tf_discrete.FULL_INT_DTYPES:
            _errors.type_error(function, "data", _DATA_FORMS, data)
        return key, jnp.asarray(data)
    try:
        value = operator.index(data)
    except TypeError:
        _errors.type_error(function, "data", _DATA_FORMS, data)
    dtype = _python_int_dtype([value], function, "data", _DATA_FORMS)
    _wide_check(function, "data", dtype, data)
    with jax.enable_x64(dtype == "int64"):
        return key, jnp.asarray(value, dtype)


@partial(jax.jit, static_argnames=("dtype",))
def _fold_in(key, data, *, dtype):
    words = jax.random.key_data(key)
    first = _tf_discrete.full_int_words((words[0], words[1]), tuple(words[2:6]), (), dtype)
    return jnp.stack([first, data])


def tf_stateless_fold_in(seed: Any, data: Any) -> jax.Array:
    """`tf.random.fold_in(seed, data)`: `[first full-range int of the seed's stream, data]`, in
    `data`'s dtype (int32 for a Python int that fits).

    >>> import keyrng
    >>> keyrng.tf_stateless_fold_in([1, 2], 3)
    Array([1105988140,          3], dtype=int32)
    """
    return draw_fold_in(*check_fold_in("keyrng.tf_stateless_fold_in", seed, data))


def draw_fold_in(key, data) -> jax.Array:
    """`tf_stateless_fold_in` after `check_fold_in`."""
    with jax.enable_x64(data.dtype.itemsize == 8):
        return _fold_in(key, data, dtype=data.dtype.name)


# --- tf.random.Generator states -------------------------------------------------------------------

_M64 = 2**64
_STATE_SIZES = {1: 3, 2: 2, 3: 3}  # Philox, ThreeFry, auto-select (managed as Philox)
_RNG_ALG_FORMS = "'philox', 'threefry', 'auto_select' or their ids 1, 2, 3"
_RNG_SEED_FORMS = "an int, or a number, sequence or array of numbers"


def rng_alg(function: str, alg: Any) -> int:
    """TensorFlow's `convert_alg_to_int` for RNG states: a name (case, '-' and '_' ignored), an
    id, or an object with the id in `.value`; None is refused, as in TensorFlow."""
    value = getattr(alg, "value", alg)
    if isinstance(value, str):
        value = {"philox": 1, "threefry": 2, "autoselect": 3}.get(
            value.strip().lower().replace("-", "").replace("_", ""))
        if value is None:
            _errors.value_error(function, "alg", _RNG_ALG_FORMS, alg)
        return value
    value = _checks.integer(function, "alg", value, -2**63, 2**63, _RNG_ALG_FORMS)
    if value not in _STATE_SIZES:
        _errors.value_error(function, "alg", _RNG_ALG_FORMS, alg)
    return value


def int64_values(function: str, argument: str, value: Any, accepted: str) -> list[int]:
    """`value` flattened and cast to int64 as `tf.cast` casts it, each as an int in [0, 2**64).

    Integers of any dtype wrap (a uint64 2**63 + 5 is the int64 -2**63 + 5), bools are 0 or 1 and
    floats are truncated toward zero (they must be finite and fit int64, TensorFlow's cast of
    others being undefined). Python ints may be anywhere in [-2**63, 2**64)."""
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        _errors.type_error(function, argument, accepted, value)
    sequence = isinstance(value, (list, tuple))
    if isinstance(value, (np.ndarray, jax.Array)):
        if isinstance(value, jax.core.Tracer) or jnp.issubdtype(value.dtype, jax.dtypes.prng_key) \
                or not (jnp.issubdtype(value.dtype, jnp.integer) or value.dtype == np.object_
                        or jnp.issubdtype(value.dtype, jnp.floating) or value.dtype == np.bool_):
            _errors.type_error(function, argument, accepted, value)
        array = np.asarray(value)
        if array.dtype != np.object_:
            array = array.astype(object) if array.dtype.kind in "iub" else array
    else:
        try:
            array = np.array(value, dtype=object)
        except TypeError:  # an item numpy cannot hold, such as a typed key
            _errors.type_error(function, argument, accepted, value)
        except ValueError:  # ragged nesting
            _errors.value_error(function, argument, accepted, value)
    out = []
    for item in array.reshape(-1):
        if isinstance(item, (bool, np.bool_)):
            out.append(int(item))
            continue
        if isinstance(item, (float, np.floating)):
            if not -2.0**63 <= float(item) < 2.0**63:  # NaN too
                _errors.value_error(function, argument, accepted + " (floats must fit int64)", value)
            out.append(int(item) % _M64)
            continue
        try:
            number = operator.index(item)
        except TypeError:
            _errors.type_error(function, argument, accepted, value)
        # Python ints up to 2**64 are TensorFlow's unsigned seeds; a numpy integer inside a Python
        # sequence must fit int64 (TensorFlow converts the sequence to a tensor first).
        high = 2**63 if sequence and isinstance(item, np.integer) else 2**64
        if not -2**63 <= number < high:
            _errors.value_error(function, argument, accepted + " in [-2**63, 2**64)", value)
        out.append(number % _M64)
    return out


def rng_state_words(function: str, seed: Any, alg: Any) -> list[int]:
    """`tf.random.create_rng_state(seed, alg)` as unsigned 64-bit ints (see `tf_rng_state`)."""
    size = _STATE_SIZES[rng_alg(function, alg)]
    if isinstance(seed, int):  # a Python int (bool included): chopped into 64-bit pieces
        return [(seed >> (64 * i)) % _M64 for i in range(size)]
    values = int64_values(function, "seed", seed, _RNG_SEED_FORMS)[:size]
    return [0] * (size - len(values)) + values


def _signed(value: int) -> int:
    return value - _M64 if value >= 2**63 else value


def tf_rng_state(seed: Any, alg: Any) -> np.ndarray:
    """`tf.random.create_rng_state(seed, alg)`: the int64 state of a `tf.random.Generator`.

    No scrambling. A Python int is chopped into 64-bit pieces, least significant first (so 1234
    is the Philox counter 1234 under key 0); anything else (numpy scalars, sequences, arrays) is
    cast to int64, flattened, cut to the state size and padded with zeros on the left. The state
    has 3 values for Philox (`[counter_low, counter_high, key]`) and auto-select, 2 for ThreeFry.

    TensorFlow's examples:

    >>> from keyrng._stateless import tf_rng_state
    >>> tf_rng_state(1234, "philox")
    array([1234,    0,    0])
    >>> tf_rng_state([12, 34], "threefry")
    array([12, 34])
    """
    return np.array([_signed(v) for v in rng_state_words("keyrng.tf_rng_state", seed, alg)], np.int64)
