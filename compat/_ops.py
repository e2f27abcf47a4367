"""The implicit-seed random ops. Each call checks its arguments, turns TensorFlow's seed rules
into an explicit Philox position `keyrng.tf_key(seed, seed2, offset)` (the only state it touches
is in `_state`), and returns the pure keyrng draw at that position.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import queue
import threading
import warnings
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import keyrng
from keyrng.typing import DTypeLike, OpSeed, RealLike, Shape

from compat import _guard, _seeds, _state

_SEED_FORMS = "an int, a numpy integer or None"




def set_seed(seed: OpSeed) -> None:
    """`tf.random.set_seed`: set (or, with None, clear) the global seed and reset every kernel.

    See the `compat` package docstring for what the global seed decides.

    >>> import compat
    >>> compat.set_seed(1234)
    >>> compat.uniform([1])
    Array([0.5380393], dtype=float32)
    """
    given, seed = seed, _seeds.check_seed("compat.set_seed", seed)
    trace = _guard.current("compat.set_seed")
    if trace is not None:  # inside compat.function: only that trace's seed, as in TensorFlow
        trace.set_seed(seed)
        return
    _state.set_global_seed(seed, _seeds.op_seed_stream(given))


def get_seed(op_seed: OpSeed = None) -> tuple[int | None, int | None]:
    """`tf.compat.v1.random.get_seed`: the `(seed, seed2)` pair an op with `op_seed` would use.

    With a global seed and no op seed this draws the next eager op seed, as TensorFlow does.

    >>> import compat
    >>> compat.set_seed(1234)
    >>> compat.get_seed(None)
    (1234, 1892932127)
    >>> compat.get_seed(1)
    (1234, 1)
    """
    op_seed = _seeds.check_seed("compat.get_seed", op_seed, "op_seed")
    trace = _guard.current("compat.get_seed")
    if trace is not None:  # inside compat.function: the trace's seed and op-seed counter
        return trace.get_seed(op_seed)
    with _state.lock:
        pair = _seeds.seed_pair(op_seed)
    return (None, None) if pair is None else pair


def enable_op_determinism() -> None:
    """`tf.config.experimental.enable_op_determinism`: random ops without any seed now raise."""
    with _state.lock:
        _state.state.determinism = True




_SHAPE_FORMS = "a sequence of non-negative ints"
# TensorFlow's own names besides NumPy's canonical ones (tf.as_dtype): "float" is float32 there.
_TF_DTYPE_NAMES = {"half": "float16", "float": "float32", "double": "float64"}
_DTYPE_NAMES = ("float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
                "uint8", "uint16", "uint32", "uint64", "bool", "complex64", "complex128", "string")


def check_shape_form(function: str, shape: Any, argument: str = "shape") -> None:
    """The shape forms TensorFlow refuses that `keyrng`'s shape check takes: a lone int (a shape
    tensor must be a vector) and integer arrays other than int32 / int64."""
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, (bool, np.bool_)):
        keyrng.errors.value_error(function, argument, _SHAPE_FORMS, shape)
    if isinstance(shape, (np.ndarray, jax.Array)) and not isinstance(shape, jax.core.Tracer) \
            and not jnp.issubdtype(shape.dtype, jax.dtypes.prng_key):  # (keys: the shape check says)
        if shape.ndim == 0:
            keyrng.errors.value_error(function, argument, _SHAPE_FORMS, shape)
        if jnp.issubdtype(shape.dtype, jnp.integer) and np.dtype(shape.dtype) not in (np.int32, np.int64):
            keyrng.errors.type_error(function, argument, _SHAPE_FORMS + " (an int32 or int64 array)", shape)


def tf_dtype(function: str, dtype: DTypeLike, argument: str = "dtype") -> Any:
    """A dtype as `tf.as_dtype` reads it: TensorFlow's names ("half", "float" = float32,
    "double"), never NumPy's type codes ("f4"), and the Python type `float` as float32; other
    values (NumPy and jax dtypes and scalar types) pass through.

    >>> tf_dtype("compat.uniform", "float"), tf_dtype("compat.uniform", float)
    ('float32', 'float32')
    """
    if isinstance(dtype, str):
        name = _TF_DTYPE_NAMES.get(dtype, dtype)
        if name not in _DTYPE_NAMES:
            keyrng.errors.type_error(function, argument, "a dtype or one of TensorFlow's dtype names", dtype)
        return name
    if dtype is float:
        return "float32"
    if any(dtype is t for t in (int, complex, bytes)):  # TensorFlow has no dtype for these Python types
        keyrng.errors.type_error(function, argument, "a dtype or one of TensorFlow's dtype names", dtype)
    return dtype


def no_bool_for_bfloat16(function: str, dtype: DTypeLike, **values) -> None:
    """Eager TensorFlow cannot convert a Python bool to bfloat16, nor a Python int outside the
    int64 range (it can to the other float types, and a tf.function's graph constants can)."""
    odd = {a: v for a, v in values.items()
           if type(v) is bool or (type(v) is int and not -2**63 <= v < 2**63)}
    if odd and not _guard.tracing():
        try:
            bfloat16 = keyrng.tf.check_dtype(function, dtype, keyrng.tf.FLOAT_DTYPES + keyrng.tf.INT_DTYPES) == "bfloat16"
        except (TypeError, ValueError):
            return  # the dtype check itself says what is wrong
        if bfloat16:
            for argument, value in odd.items():
                if type(value) is bool:
                    keyrng.errors.type_error(function, argument, "a real number or an array of them (not a "
                                       "Python bool, for bfloat16)", value)
                keyrng.errors.value_error(function, argument, "a real number (a Python int in the int64 "
                                    "range, for bfloat16)", value)


def _shape_dtype(shape: Any) -> str:
    """TensorFlow caches kernels by the shape tensor's dtype too: int64 arrays make a new kernel."""
    dtype = getattr(shape, "dtype", None)
    try:
        return "int64" if dtype is not None and np.dtype(dtype) == np.int64 else "int32"
    except TypeError:  # not a NumPy dtype (a typed key's): the shape check refuses it
        return "int32"


def _position(function: str, op: str, dtype: str, shape_dtype: str, op_seed: int | None, size: int):
    """The position this call of `size` values draws from (`_seeds.position`; TensorFlow's kernel
    cache keys kernels by op, dtype and the shape tensor's dtype); moves its counter by 256*size."""
    return _seeds.position(function, (op, dtype, shape_dtype), op_seed, 256 * size)


def uniform(shape: Shape, minval: RealLike = 0, maxval: RealLike | None = None, dtype: DTypeLike = jnp.float32,
            seed: OpSeed = None, name: str | None = None) -> jax.Array:
    """`tf.random.uniform`, with TensorFlow's seeds, counters and scaling.

    Stands for `keyrng.uniform(keyrng.tf_key(seed, seed2, offset), shape, dtype, minval, maxval)`
    with `(seed, seed2)` from the seed rules and `offset` from the kernel's counter.

    >>> import compat
    >>> compat.reset()
    >>> compat.uniform([5], seed=1)
    Array([0.2390374 , 0.92039955, 0.05051243, 0.49574447, 0.8355223 ], dtype=float32)
    """
    function = "compat.uniform"
    op_seed = _seeds.check_seed(function, seed)
    # A call like one seen before (shape a list or tuple of ints; bounds and dtype of the same
    # values and kinds) reuses its checked arguments and its jitted kernel: only the position is
    # new. The key holds every argument with its type, so nothing the checks would refuse gets in.
    call = None
    if type(shape) is list or type(shape) is tuple:
        try:
            call = _UNIFORM_CALLS.get(_call_key(shape, minval, maxval, dtype))
        except TypeError:  # something unhashable: the full checks say what
            pass
    if call is None:
        call = _uniform_call(function, shape, minval, maxval, dtype)
    given = (minval, maxval)
    shape, dtype, minval, maxval, op, shape_dtype, kernel = call
    if dtype[0] != "i" and not _guard.tracing():  # (ints, as in the raw [0, 1) case, pass)
        minval, maxval = _eager_converted(dtype, given, (minval, maxval))
    words = _position(function, op, dtype, shape_dtype, op_seed, math.prod(shape))
    if kernel is not None and type(words) is np.ndarray:  # a remembered call, drawn eagerly
        return _draw_eagerly(("uniform", *_call_key(shape, minval, maxval, dtype)),
                             lambda eager, ladder: kernel(words, minval, maxval, eager=eager, ladder=ladder))
    return keyrng.tf.draw_uniform(words, shape, dtype, *graph_bounds(dtype, minval, maxval))


# Checked arguments and jitted kernels of eager compat.uniform calls (see `uniform`); cleared
# when full, so a program that draws many different shapes does not grow it without bound.
_UNIFORM_CALLS: dict = {}
_UNIFORM_CALLS_MAX = 1024


def _uniform_call(function, shape, minval, maxval, dtype):
    """The checked arguments of a compat.uniform call, its op name and shape dtype, and, when the
    call is simple enough to remember (then it is), its jitted kernel
    (`keyrng.tf.uniform_kernel`); None for the kernel otherwise."""
    shape_dtype = _shape_dtype(shape)
    check_shape_form(function, shape)
    dtype = tf_dtype(function, dtype)
    if not (isinstance(minval, int) and minval == 0 and (maxval is None or isinstance(maxval, int) and maxval == 1)):
        no_bool_for_bfloat16(function, dtype, minval=minval, maxval=maxval)  # both converted
    checked = keyrng.tf.check_uniform(function, shape, dtype, minval, maxval)
    op = "RandomUniformInt" if checked[1].startswith("int") else "RandomUniform"
    simple = type(shape) in (list, tuple) and all(type(d) is int for d in shape) and \
        all(type(v) in (int, float) for v in (minval, *(() if maxval is None else (maxval,))))
    if not simple:  # arrays or NumPy numbers: jit's own cache of draw_uniform serves them
        return (*checked, op, shape_dtype, None)
    call = (*checked, op, shape_dtype, keyrng.tf.uniform_kernel(*checked))
    if len(_UNIFORM_CALLS) >= _UNIFORM_CALLS_MAX:
        _UNIFORM_CALLS.clear()
    _UNIFORM_CALLS[_call_key(shape, minval, maxval, dtype)] = call
    return call


def _call_key(shape, minval, maxval, dtype) -> tuple:
    """Every argument with its type (so that 1, 1.0 and True, equal as keys, stay apart), the
    sign of a float bound (so that 0.0 and -0.0, equal as keys too, stay apart), and jax's 64-bit
    mode (which decides whether float64 and int64 are accepted at all)."""
    return (type(shape), tuple(shape), tuple(map(type, shape)), dtype, type(minval), minval,
            _sign(minval), type(maxval), maxval, _sign(maxval), jax.config.jax_enable_x64)


def _sign(value) -> float | None:
    return math.copysign(1.0, value) if type(value) is float else None


def normal(shape: Shape, mean: RealLike = 0.0, stddev: RealLike = 1.0, dtype: DTypeLike = jnp.float32,
           seed: OpSeed = None, name: str | None = None) -> jax.Array:
    """`tf.random.normal`: Box–Muller on TensorFlow's stream, then `* stddev + mean`.

    Stands for `keyrng.normal(keyrng.tf_key(seed, seed2, offset), shape, dtype, mean, stddev)`.

    >>> import compat
    >>> compat.set_seed(5)
    >>> compat.normal([2, 2], seed=1)
    Array([[-1.3768897 , -0.01258316],
           [-0.169515  ,  1.0824056 ]], dtype=float32)
    """
    return _normal_family("compat.normal", "normal", "RandomStandardNormal",
                          shape, mean, stddev, dtype, seed)


def truncated_normal(shape: Shape, mean: RealLike = 0.0, stddev: RealLike = 1.0, dtype: DTypeLike = jnp.float32,
                     seed: OpSeed = None, name: str | None = None) -> jax.Array:
    """`tf.random.truncated_normal`: TensorFlow's |x| < 2 rejection, then `* stddev + mean`.

    Stands for `keyrng.truncated_normal(keyrng.tf_key(seed, seed2, offset), shape, dtype, mean, stddev)`.

    >>> import compat
    >>> compat.set_seed(1234)
    >>> compat.truncated_normal([3], seed=1).shape
    (3,)
    """
    return _normal_family("compat.truncated_normal", "truncated_normal", "TruncatedNormal",
                          shape, mean, stddev, dtype, seed)


def _normal_family(function, kind, op, shape, mean, stddev, dtype, seed):
    op_seed = _seeds.check_seed(function, seed)
    shape_dtype = _shape_dtype(shape)
    check_shape_form(function, shape)
    given = (mean, stddev)
    dtype = tf_dtype(function, dtype)
    no_bool_for_bfloat16(function, dtype, mean=mean, stddev=stddev)
    shape, dtype, mean, stddev = keyrng.tf.check_normal(function, shape, dtype, mean, stddev)
    if not _guard.tracing():
        mean, stddev = _eager_converted(dtype, given, (mean, stddev))
    words = _position(function, op, dtype, shape_dtype, op_seed, math.prod(shape))
    if type(words) is np.ndarray:  # eager
        signature = (kind, shape, dtype, _kind_of(mean), _kind_of(stddev))
        return _draw_eagerly(signature, lambda eager, ladder: keyrng.tf.draw_normal(
            kind, words, shape, dtype, mean, stddev, eager=eager, ladder=ladder))
    mean = graph_mean(mean, dtype)
    return keyrng.tf.draw_normal(kind, words, shape, dtype, mean, stddev)


def eager_zeros(dtype: str, *values):
    """`values` as TensorFlow's eager `convert_to_tensor(value, dtype)` makes them, in order.

    Eager TensorFlow caches the tensors it makes from Python numbers (`TFE_TensorHandleCache`,
    keyed by the value's exact type, by Python equality, and by dtype and device), and
    0.0 == -0.0: once a process has converted one float zero to a dtype, every later float zero
    of the same type converted to that dtype is that first one, sign included. The Python types
    it caches are those of Python numbers, so also NumPy's float64 (a subclass of float), but not
    NumPy's other scalars. Non-zero values and integers pass through.

    Call it only for a call that passed its checks (it records the first zeros in compat's
    state) and never inside a compat.function (graph constants bypass the cache).

    >>> import compat
    >>> compat.reset()
    >>> eager_zeros("float32", 0.0, -0.0, 2.0)
    (0.0, 0.0, 2.0)
    >>> eager_zeros("float16", -0.0)
    (-0.0,)
    """
    if not any(type(v) in (float, np.float64) and v == 0 for v in values):
        return values
    out = []
    with _state.lock:
        zeros = _state.state.scalar_zeros
        for value in values:
            if type(value) in (float, np.float64) and value == 0:
                first = zeros.setdefault((type(value), dtype), value)
                value = type(value)(math.copysign(0.0, first))
            out.append(value)
    return tuple(out)


def _eager_converted(dtype: str, given: tuple, checked: tuple) -> tuple:
    """The checked forms of `given` (scalars or bounds as the user passed them), their float
    zeros signed as TensorFlow's eager scalar cache makes them (`eager_zeros`)."""
    converted = eager_zeros(dtype, *given)
    if converted is given:
        return checked
    return tuple(have if new is old else (np.asarray(new) if isinstance(have, np.ndarray) else new)
                 for old, new, have in zip(given, converted, checked))


def _kind_of(value) -> tuple:
    """What jit's compiled kernel depends on in a scaling argument: its type, dtype and shape."""
    return type(value), getattr(value, "dtype", None), np.shape(value)


# --- Eager draws: shared kernels first, a shape's own kernel once it is drawn again -------------
#
# An eager draw of a shape drawn for the first time uses keyrng's largest fixed kernel
# (keyrng.tf.EAGER_LADDER[-1], one per kind, dtype and kinds of bounds), called as often as the
# shape needs, so only a family's first draw compiles anything. (Using the smaller sizes too
# would save a little compute per small draw and cost three more compiles per family: a program
# with many families, e.g. many kinds of bounds, then holds thousands of executables.) The second
# time a shape is drawn, its own jitted kernel is compiled on a background thread; once it is, the
# shape's calls run it (one dispatch, no host copy: faster per call). All give the same values.

_SEEN, _COMPILING, _COMPILED = 1, 2, 3
_DRAWN: dict = {}  # call signature -> _SEEN / _COMPILING / _COMPILED
_DRAWN_MAX = 4096
_compiler: dict = {}  # "queue" and "thread" of the background compiles, made on first use


def _draw_eagerly(signature, draw):
    """`draw(eager, ladder)` for an eager call with this signature (see above)."""
    state = _DRAWN.get(signature)
    if state == _COMPILED:
        return draw(False, None)
    if state is None:
        if len(_DRAWN) >= _DRAWN_MAX:
            _DRAWN.clear()
        _DRAWN[signature] = _SEEN
    elif state == _SEEN:
        _DRAWN[signature] = _COMPILING
        _compile_later(lambda: jax.block_until_ready(draw(False, None)),
                       lambda: _DRAWN.__setitem__(signature, _COMPILED))
    # The largest fixed kernel serves every shape: one compile per kind, dtype and kinds of bounds,
    # at the first such draw, and none for a new shape after it.
    return draw(True, keyrng.tf.EAGER_LADDER[-1:])


def _compile_later(work, done) -> None:
    """Run `work()` (a compile) on the background thread, then `done()` if it did not raise."""
    with _state.lock:
        if "queue" not in _compiler:
            _compiler["queue"] = queue.SimpleQueue()
            _compiler["thread"] = threading.Thread(target=_compile_loop, args=(_compiler["queue"],),
                                                   name="compat-eager-compiles", daemon=True)
            _compiler["thread"].start()
            atexit.register(_stop_compiles)
    # The caller's 64-bit mode (a `jax.enable_x64` block is per thread) goes with the request.
    _compiler["queue"].put((work, done, bool(jax.config.jax_enable_x64)))


def _stop_compiles() -> None:
    """At exit: drop the queued compiles and wait for the one under way (XLA aborts the process
    when the interpreter is finalised under a compile)."""
    _compiler["closing"] = True
    _compiler["queue"].put(None)
    _compiler["thread"].join(timeout=120)


def _compile_loop(requests) -> None:
    while True:
        request = requests.get()
        if request is None or _compiler.get("closing"):
            return
        work, done, wide = request
        # Enter x64 only where the caller's mode differs from this thread's: jit's cache key
        # includes the thread's configuration context, so a context the caller did not have
        # would compile a kernel the caller never finds (and compiles again itself).
        mode = jax.enable_x64(wide) if wide != bool(jax.config.jax_enable_x64) else contextlib.nullcontext()
        try:
            with mode:
                work()  # compiles into jit's cache
            done()
        except Exception:  # noqa: BLE001 (the calls keep the kernels they have)
            continue


def _is_zero(value, dtype: str) -> bool:
    """Whether `value` is a graph constant of zeros in `dtype`, as TensorFlow's graph optimizer
    (Grappler's constant folding, `IsZeros`) sees it inside a tf.function: a Python or NumPy
    number, or a NumPy array of numbers, whose every element converted to `dtype` == 0 (so -0.0,
    and a value that underflows in a half type, too). A jax array stands for a tensor, which a
    tf.function captures as an input, not as a constant."""
    if isinstance(value, (int, float, np.number)) or (
            isinstance(value, np.ndarray) and value.size and value.dtype.kind in "biuf"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return bool((np.asarray(value).astype(dtype) == 0).all())
    return False


def graph_bounds(dtype: str, minval, maxval):
    """Uniform bounds (as `check_uniform` returns them) as a compat.function's graph uses them.

    Eagerly TensorFlow computes `raw * (maxval - minval) + minval`. Inside a tf.function Grappler
    folds `x + zeros` into `x` for a constant minval of zeros (any sign), which keeps the sign
    of a zero product; the product itself stays `raw * (maxval - minval)`, the difference
    rounded in `dtype`. Returned as the int 0 and that difference (`raw * maxval'`); the int 0
    (tf.random.uniform's own shortcut) and everything outside a trace pass through.
    """
    if type(minval) is int or not _guard.tracing() or not _is_zero(minval, dtype):
        return minval, maxval
    with keyrng.tf.wide_types(dtype == "float64"):
        if isinstance(maxval, jax.Array):
            difference = jnp.asarray(maxval, dtype) - jnp.asarray(minval, dtype)
        else:
            difference = np.asarray(maxval).astype(dtype) - np.asarray(minval).astype(dtype)
    return 0, difference


def graph_mean(mean, dtype: str):
    """A normal `mean` as a compat.function's graph uses it: None (no addition) for a constant of
    zeros in `dtype` there (see `_is_zero`), since the graph drops `+ zeros`."""
    return None if mean is not None and _guard.tracing() and _is_zero(mean, dtype) else mean
