"""`uniform`, `normal`, `truncated_normal` on a typed key, with the key's own algorithm.

On a Philox key (`keyrng.tf_key`, `keyrng.philox_key`, `keyrng.seed(..., impl="philox")`) they
return exactly what TensorFlow's CPU kernel returns at the key's position, scaled the way
TensorFlow's Python wrappers scale; on a threefry key they call `jax.random`.

Each public function checks and canonicalises its arguments, then calls a jitted private twin,
compiled once per shape, dtype and scaling mode (values of `minval`, `maxval`, `mean`, `stddev`
are traced, so new values do not recompile). An eager call on a concrete Philox key runs those
twins only at a few fixed flat sizes and reshapes on the host (`keyrng._eager`), so a new shape
compiles nothing.
"""

from __future__ import annotations

import math
import numbers
import warnings
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from keyrng import _checks, _eager, _errors, _impl, _keys, _tf_kernels
from keyrng.typing import ArrayLike, DTypeLike, RealLike, Shape

_NUMBER = "a real number or an array of them"
_F32_ROUNDS_TO_INF = 2.0**128 - 2.0**103  # the least magnitude float32 rounding takes to infinity


def _positional_words(key):
    data = jax.random.key_data(key)
    return (data[0], data[1]), (data[2], data[3], data[4], data[5])


def _bound(function: str, argument: str, value: Any, shape: tuple | None = None):
    """A float bound or parameter as TensorFlow's `convert_to_tensor` takes it: Python numbers
    (a bool is the int 0 or 1, so `minval=False` is the int zero of `_scaling_mode`), NumPy
    numbers of any kind and arrays of numbers (bool and complex too: NumPy casts them, complex
    keeping the real part)."""
    if (type(value) is float and -_F32_ROUNDS_TO_INF < value < _F32_ROUNDS_TO_INF) \
            or (type(value) is int and -2**31 <= value < 2**31):  # the common case
        return value
    if type(value) is float or (isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
                                and type(value) is int):
        try:
            value = float(value)
        except OverflowError:
            _errors.value_error(function, argument, "a real number within the float64 range", value)
        if abs(value) >= _F32_ROUNDS_TO_INF and not jax.config.jax_enable_x64:
            # jax makes a Python float float32 when its 64-bit mode is off, which rounds this
            # to infinity (as TensorFlow's conversion to float32 does) with a warning.
            return math.copysign(math.inf, value)
        return value
    if type(value) is bool:
        return int(value)
    if isinstance(value, (str, bytes)) or value is None:
        _errors.type_error(function, argument, _NUMBER, value)
    if isinstance(value, np.generic):
        value = np.asarray(value)
    elif type(value) in (list, tuple):  # nested sequences of numbers, as TensorFlow converts them
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                array = np.asarray(value)
        except (TypeError, ValueError, OverflowError, Warning):
            _errors.type_error(function, argument, _NUMBER, value)
        if array.dtype.kind not in "biuf":
            _errors.type_error(function, argument, _NUMBER, value)
        value = array.astype(np.float64) if array.dtype.kind in "iu" else array
    if isinstance(value, (jax.Array, np.ndarray)):
        kind = np.dtype(value.dtype).kind if not jnp.issubdtype(value.dtype, jax.dtypes.prng_key) else "V"
        if kind not in "biufc":
            _errors.type_error(function, argument, _NUMBER, value)
        if kind == "c":  # NumPy's cast to a real dtype keeps the real part, as TensorFlow's does
            value = np.real(value) if isinstance(value, np.ndarray) else jnp.real(value)
        elif kind == "b":
            value = value.astype(np.int32) if isinstance(value, np.ndarray) else value.astype(jnp.int32)
        elif kind == "u" and isinstance(value, np.ndarray) and value.dtype.itemsize == 8:
            value = value.astype(np.float64)  # jax has no uint64 without its 64-bit mode
        elif kind in "iu" and isinstance(value, np.ndarray) and value.dtype.itemsize == 8 \
                and not jax.config.jax_enable_x64 and value.size and \
                not (np.iinfo(np.int32).min <= value.min() and value.max() <= np.iinfo(np.int32).max):
            value = value.astype(np.float64)  # would overflow jax's 32-bit conversion
        if shape is not None:
            _broadcast(function, argument, shape, value)
        return value
    if not isinstance(value, numbers.Real):
        _errors.type_error(function, argument, _NUMBER, value)
    if isinstance(value, numbers.Integral) and not -2**31 <= value < 2**31:
        try:  # a Python int past int32 would overflow jax's conversion; it scales floats anyway
            return float(value)
        except OverflowError:
            _errors.value_error(function, argument, "a real number within the float64 range", value)
    return value


def _broadcast(function: str, argument: str, shape: tuple, *values) -> None:
    if all(type(v) in (int, float) for v in values):  # Python numbers broadcast with everything
        return
    try:
        np.broadcast_shapes(shape, *(np.shape(v) for v in values))
    except ValueError:
        _errors.value_error(function, argument, f"a number or an array that broadcasts with shape {shape}",
                            values[-1])


_scaling_mode = _tf_kernels.scaling_mode  # TensorFlow's int-0 / int-1 rule, written once


def philox_uniform_kernel(shape, dtype: str, minval, maxval):
    """`draw_uniform` on concrete Philox position words (a uint32[6] NumPy array), for arguments
    as `check_uniform` returns them, as a function `f(words, minval, maxval)` (the bounds' values
    may change between calls, not their kinds). For callers that keep it and draw many times
    eagerly: a call skips the dispatch on the key's kind and on the static arguments, and compiles
    nothing for a new shape (`keyrng._eager`); `f(words, minval, maxval, eager=False)` runs the
    kernel compiled for the shape instead (`draw_uniform`)."""
    return partial(_eager_uniform, shape=shape, dtype=dtype)


def _eager_uniform(words, minval, maxval, *, shape, dtype, eager: bool = True, ladder=None):
    out = _eager.uniform(words, shape, dtype, minval, maxval, ladder) if eager else None
    return draw_uniform(words, shape, dtype, minval, maxval, eager=False) if out is None else out


def _uniform_philox_body(key, minval, maxval, *, shape, dtype, mode):
    words, counter = _impl.position_words(key)
    if mode == "raw":
        return _tf_kernels.uniform(words, counter, shape, dtype)
    low = 0 if mode == "times_maxval" else minval
    scale = lambda raw: _tf_kernels.scale_uniform(raw, low, maxval)  # noqa: E731
    if jnp.ndim(low) or jnp.ndim(maxval):  # array bounds broadcast against the shaped values
        return scale(_tf_kernels.uniform(words, counter, shape, dtype))
    # Scalar bounds: the scaling runs inside the kernel that makes the values (no second pass).
    return _tf_kernels.uniform(words, counter, shape, dtype, scale)


_uniform_philox = jax.jit(_uniform_philox_body, static_argnames=("shape", "dtype", "mode"))


def _uniform_int_philox_body(key, minval, maxval, *, shape, dtype):
    words, counter = _impl.position_words(key)
    return _tf_kernels.uniform_int(words, counter, shape, dtype, minval, maxval)


_uniform_int_philox = jax.jit(_uniform_int_philox_body, static_argnames=("shape", "dtype"))


@partial(jax.jit, static_argnames=("shape", "dtype", "kind", "fallback"))
def _normal_philox(key, mean, stddev, *, shape, dtype, kind, fallback=True):
    words, counter = _impl.position_words(key)
    kernel = _tf_kernels.normal if kind == "normal" else partial(_tf_kernels.truncated_normal, fallback=fallback)
    if stddev is None:  # unit scaling (draw_normal)
        return kernel(words, counter, shape, dtype)
    scale = lambda raw: _tf_kernels.scale_normal(raw, mean, stddev)  # noqa: E731
    if np.ndim(mean) or np.ndim(stddev):  # array parameters broadcast against the shaped values
        return scale(kernel(words, counter, shape, dtype))
    # Scalar parameters: the scaling runs inside the kernel that makes the values.
    return kernel(words, counter, shape, dtype, scale)


def _int_bounds(function: str, dtype: str, minval, maxval, size: int):
    if maxval is None:
        _errors.value_error(function, "maxval", f"given for integer dtype {dtype}", None,
                            "Pass maxval (the exclusive upper bound).")
    low = int_bound(function, "minval", minval, dtype)
    high = int_bound(function, "maxval", maxval, dtype)
    if size and low >= high:
        _errors.value_error(function, "minval", f"less than maxval ({high})", low)
    return low, high


def int_bound(function: str, argument: str, value: ArrayLike, dtype: str) -> int:
    """An integer bound as TensorFlow's `convert_to_tensor(value, dtype)` makes it: a Python int
    in the int64 range wraps to `dtype`, a bool is 0 or 1, a NumPy number or 0-d array of any
    kind is cast by NumPy (floats truncated, wider ints wrapped); a Python float is refused.

    >>> int_bound("keyrng.uniform", "maxval", 2**32 + 3, "int32")
    3
    >>> int_bound("keyrng.uniform", "maxval", np.float32(-2.7), "int32")
    -2
    """
    accepted = f"an int or a NumPy number (converted to {dtype})"
    target = np.dtype(dtype)
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, np.generic) or (isinstance(value, (jax.Array, np.ndarray))
                                          and not isinstance(value, jax.core.Tracer)):
        if jnp.issubdtype(value.dtype, jax.dtypes.prng_key) or np.dtype(value.dtype).kind not in "biufc":
            _errors.type_error(function, argument, accepted, value)
        if np.ndim(value) != 0:
            _errors.value_error(function, argument, "a scalar: " + accepted, value)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # NumPy's warnings on casting NaN or complex
            return int(np.asarray(value).astype(target))
    if isinstance(value, int):
        if not -2**63 <= value < 2**63:
            _errors.value_error(function, argument, accepted + " in the int64 range", value)
        bits = target.itemsize * 8
        return (value + 2**(bits - 1)) % 2**bits - 2**(bits - 1)
    _errors.type_error(function, argument, accepted, value)


def check_uniform(function: str, shape: Any, dtype: Any, minval: Any, maxval: Any):
    """Canonical `(shape, dtype name, minval, maxval)` for a uniform draw, or the error."""
    shape = _checks.shape(function, shape)
    name = _checks.dtype_name(function, dtype, _checks.FLOAT_DTYPES + _checks.INT_DTYPES)
    if name in _checks.INT_DTYPES:
        minval, maxval = _int_bounds(function, name, minval, maxval, math.prod(shape))
    else:
        minval = _bound(function, "minval", minval, shape)
        maxval = 1 if maxval is None else _bound(function, "maxval", maxval, shape)
        _broadcast(function, "maxval", shape, minval, maxval)
    return shape, name, minval, maxval


def draw_uniform(key, shape, dtype: str, minval, maxval, eager: bool = True, ladder=None) -> jax.Array:
    """`uniform` after `check_uniform`; `key` may also be a Philox key's raw uint32[6] data.

    An eager call on a concrete Philox position draws from `keyrng._eager`'s fixed kernels (no
    compile for a new shape) unless `eager` is False: then the kernel compiled for this shape
    runs (the same values; faster per call for a shape drawn many times, once compiled).
    `ladder`, some of `EAGER_LADDER`'s sizes, restricts the fixed kernels to those (e.g. the ones
    a caller knows are compiled: `compile_eager`); None: all of them, each compiled at first use."""
    if _impl.draws_philox(key):
        out = _eager.uniform(key, shape, dtype, minval, maxval, ladder) if eager else None
        if out is not None:
            return out
        if dtype in _checks.INT_DTYPES:
            return _uniform_int_philox(key, minval, maxval, shape=shape, dtype=dtype)
        mode = _scaling_mode(minval, maxval)
        return _uniform_philox(key, minval, maxval, shape=shape, dtype=dtype, mode=mode)
    if dtype in _checks.INT_DTYPES:
        return jax.random.randint(key, shape, minval, maxval, dtype=dtype)
    return jax.random.uniform(key, shape, dtype, minval, maxval)


def uniform(key: jax.Array, shape: Shape = (), dtype: DTypeLike = jnp.float32, minval: RealLike = 0,
            maxval: RealLike | None = None) -> jax.Array:
    """Uniform values in `[minval, maxval)`: floats (maxval defaults to 1) or ints (maxval required).

    On a Philox key: TensorFlow's RandomUniform / RandomUniformInt kernel at the key's position,
    with `tf.random.uniform`'s scaling.

    >>> import keyrng
    >>> keyrng.uniform(keyrng.tf_key(87654321, 1), [3], minval=-1.0, maxval=1.0)
    Array([-0.5219252 ,  0.8407991 , -0.89897513], dtype=float32)
    >>> keyrng.uniform(keyrng.seed(0), [2], "int32", 0, 10).dtype
    dtype('int32')
    """
    _keys.check_key("keyrng.uniform", key)
    return draw_uniform(key, *check_uniform("keyrng.uniform", shape, dtype, minval, maxval))


def normal(key: jax.Array, shape: Shape = (), dtype: DTypeLike = jnp.float32, mean: RealLike = 0.0,
           stddev: RealLike = 1.0) -> jax.Array:
    """Normal values `raw * stddev + mean`.

    On a Philox key: TensorFlow's RandomStandardNormal kernel (Box–Muller) at the key's position.
    `mean=None` leaves out the addition: inside a `tf.function` TensorFlow's graph optimizer drops
    the addition of a constant zero mean, so a product of -0.0 (stddev 0, or a half-precision
    underflow) stays -0.0 where `mean=0.0` would make it +0.0.

    >>> import keyrng
    >>> keyrng.normal(keyrng.tf_key(5, 1), [2, 2])
    Array([[-1.3768897 , -0.01258316],
           [-0.169515  ,  1.0824056 ]], dtype=float32)
    """
    return _normal_family("keyrng.normal", "normal", key, shape, dtype, mean, stddev)


def truncated_normal(key: jax.Array, shape: Shape = (), dtype: DTypeLike = jnp.float32, mean: RealLike = 0.0,
                     stddev: RealLike = 1.0) -> jax.Array:
    """Normal values truncated to |raw| < 2, then `raw * stddev + mean`.

    On a Philox key: TensorFlow's TruncatedNormal kernel at the key's position. `mean=None`: see
    `keyrng.normal`.

    >>> import keyrng
    >>> x = keyrng.truncated_normal(keyrng.seed(0), [1000])
    >>> bool((abs(x) < 2).all())
    True
    """
    return _normal_family("keyrng.truncated_normal", "truncated_normal", key, shape, dtype, mean, stddev)


def check_normal(function: str, shape: Any, dtype: Any, mean: Any, stddev: Any):
    """Canonical `(shape, dtype name, mean, stddev)` for a normal draw, or the error."""
    shape = _checks.shape(function, shape)
    name = _checks.dtype_name(function, dtype, _checks.FLOAT_DTYPES)
    if mean is not None:  # None: no addition at all (see `normal`)
        mean = _bound(function, "mean", mean, shape)
    stddev = _bound(function, "stddev", stddev, shape)
    _broadcast(function, "stddev", shape, *((stddev,) if mean is None else (mean, stddev)))
    return shape, name, mean, stddev


def draw_normal(kind: str, key, shape, dtype: str, mean, stddev, eager: bool = True, ladder=None) -> jax.Array:
    """`normal` / `truncated_normal` (by `kind`) after `check_normal`; `key`, `eager` and
    `ladder` as in `draw_uniform`."""
    if _impl.draws_philox(key):
        mean, stddev = _unit_shortcut(dtype, mean, stddev)
        out = _eager.normal(kind, key, shape, dtype, mean, stddev, ladder) if eager else None
        if out is not None:
            return out
        return _normal_philox(key, mean, stddev, shape=shape, dtype=dtype, kind=kind)
    return _normal_jax(key, mean, stddev, shape=shape, dtype=dtype, kind=kind)


EAGER_LADDER = _eager.LADDER  # groups per call of the fixed kernels of eager draws


def _unit_shortcut(dtype: str, mean, stddev) -> tuple:
    """`(None, None)` where `raw * stddev + mean` is `raw` itself (`_unit_scaling`), else
    `(mean, stddev)`: the scaling the Philox normal kernels take."""
    if dtype in ("float32", "float64") and _unit_scaling(mean, stddev):
        return None, None  # `raw * 1 + 0` is `raw`: see _unit_scaling
    return mean, stddev


def compile_eager(kind: str, dtype: str, a, b, ladder=EAGER_LADDER) -> None:
    """Compile the fixed kernels that eager `draw_uniform` (`kind` "uniform"; `a`, `b` the checked
    bounds) or `draw_normal` (`kind` "normal" or "truncated_normal"; `a`, `b` the mean and
    stddev) run for arguments of these kinds, at the sizes `ladder`, so that such eager draws
    using them compile nothing, whatever their shapes and the values of `a` and `b` (one draw of
    each size at position zero, dropped); `a` and `b` valid for the dtype.

    >>> compile_eager("uniform", "float32", 0, 1, ladder=(16,))
    """
    if kind != "uniform":
        a, b = _unit_shortcut(dtype, a, b)
    _eager.prepare(kind, dtype, a, b, ladder)


def _unit_scaling(mean, stddev) -> bool:
    """Whether `raw * stddev + mean` is `raw` itself, bit for bit, for a float32 or float64
    Box–Muller sample: a Python mean of zero and stddev of one. Multiplying by one is exact, and
    adding zero changes only a -0.0, which these samples never are (sin is +0.0 only at angle 0,
    cos is never zero at a float angle, and the radius is at least sqrt(-2 log(1 - 2^-23)), so no
    product underflows). Half types are not included: their rounding can underflow to -0.0."""
    return (type(mean) in (int, float) and mean == 0) and (type(stddev) in (int, float) and stddev == 1)


@partial(jax.jit, static_argnames=("shape", "dtype", "kind"))
def _normal_jax(key, mean, stddev, *, shape, dtype, kind):
    if kind == "normal":
        raw = jax.random.normal(key, shape, dtype)
    else:
        raw = jax.random.truncated_normal(key, -2.0, 2.0, shape, dtype)
    return _tf_kernels.scale_normal(raw, mean, stddev)


def _normal_family(function, kind, key, shape, dtype, mean, stddev):
    _keys.check_key(function, key)
    return draw_normal(kind, key, *check_normal(function, shape, dtype, mean, stddev))
