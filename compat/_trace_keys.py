"""The signature cache of `compat.function`: what makes two calls share a trace.

TensorFlow's trace types, as `tf.function` keys its concrete functions: arguments are bound to
the parameters (`f(2)`, `f(n=2)` and `f(2, default)` share a trace); arrays are keyed by shape,
dtype and weak type; a Python value by `Literal` (equal by `==`, NaN equal to NaN) or, for objects
that take weak references, by `Weakref` (held weakly; equal while both live and are the same or
`==`). `call_kinds` is the cheap key of the hot path (positional arguments only), and
`signature_text` the key as text that is the same in every process (checkpoints).

Also `TensorSpec` and the checks of `compat.function(input_signature=...)`.
"""

from __future__ import annotations

import weakref
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

import keyrng

def is_array(leaf) -> bool:
    return isinstance(leaf, (jax.Array, np.ndarray, np.generic))


JAX_ARRAY = type(jnp.zeros(()))  # the concrete class of jax arrays outside a trace
_PLAIN = frozenset({int, float, bool, complex, str, bytes, type(None)})  # leaves, or no leaf


def call_kinds(args) -> tuple | None:
    """A cheap cache key of a call with positional arguments only, or None when an argument is
    of another kind (a container, an object, a numpy scalar: those take the binding path).

    Jax arrays are keyed by their abstract value (shape, dtype, weak type, sharding), numpy arrays
    by shape and dtype, plain values by type and value: finer than the full signature, never
    coarser, so one call kind always lands on the trace the full signature chose for it."""
    kinds = []
    for arg in args:
        kind = type(arg)
        if kind is JAX_ARRAY:
            kinds.append(arg.aval)
        elif kind in _PLAIN:
            kinds.append((kind, arg))
        elif kind is np.ndarray:
            kinds.append((arg.shape, arg.dtype))
        else:
            return None
    return tuple(kinds)


class Literal:
    """The cache key of a static Python value that takes no weak references (numbers, strings,
    None, ...): TensorFlow's `Literal`, equal by `==` (so 1 == 1.0 == True), NaN equal to NaN."""

    __slots__ = ("value", "_hash")

    def __init__(self, value):
        if _is_nan(value):
            value = _NAN
        self.value = value
        self._hash = hash(value)

    def __eq__(self, other):
        return isinstance(other, Literal) and bool(self.value == other.value)

    def __hash__(self):
        return self._hash

    def text(self) -> str:
        """The same text for equal values in every process: a number by its value (1, 1.0 and
        True are `number:1`), anything else as `type:repr`."""
        value = self.value
        if value is _NAN:
            return "number:nan"
        if isinstance(value, (bool, int, float, complex)):
            if isinstance(value, complex) and value.imag == 0:
                value = value.real
            if isinstance(value, (bool, int)) or (isinstance(value, float) and value.is_integer()):
                return f"number:{int(value)}"
            return f"number:{value!r}"
        return f"{type(value).__name__}:{value!r}"


class _Nan:
    def __repr__(self) -> str:
        return "nan"


_NAN = _Nan()


def _is_nan(value) -> bool:
    if isinstance(value, complex):
        return value != value
    return isinstance(value, float) and value != value


def weakable(value) -> bool:
    try:
        weakref.ref(value)
    except TypeError:
        return False
    return True


class Weak:
    """The cache key of an object that takes weak references (functions, class instances, sets):
    TensorFlow's `Weakref`, which holds the object weakly and is equal to another while both
    objects live and are the same or `==`. So a trace made for an object that has died serves
    no later call, even with an equal object."""

    __slots__ = ("ref", "_hash")

    def __init__(self, obj):
        self._hash = hash(obj)  # first: unhashable objects are refused, as in TensorFlow
        self.ref = weakref.ref(obj)

    def get(self):
        obj = self.ref()
        if obj is None:
            keyrng.errors.runtime_error("compat.function", "a trace's static arguments must be alive when it "
                                  "runs", "an argument that no longer exists")
        return obj

    def __eq__(self, other):
        if not isinstance(other, Weak):
            return False
        mine, theirs = self.ref(), other.ref()
        if mine is None or theirs is None:
            return False
        return mine is theirs or bool(mine == theirs)

    def __hash__(self):
        return self._hash

    def text(self) -> str:
        obj = self.ref()
        return f"{type(obj).__name__}:{obj!r}"



def signature(parameters, args, kwargs, name: str):
    """The cache key of a call (its treedef, static values with their types, array types), the
    static values with their places, the arrays and the treedef. `parameters` is the Python
    function's `inspect.Signature` (None: arguments stay as given); `name` is for errors."""
    if (args or kwargs) and parameters is not None:
        # TensorFlow binds arguments to parameters: f(2), f(n=2) and f(2, default) share a trace.
        bound = parameters.bind(*args, **kwargs)
        bound.apply_defaults()
        args, kwargs = bound.args, bound.kwargs
    leaves, treedef = jax.tree_util.tree_flatten((args, kwargs))
    static, arrays, kinds = [], [], []
    for index, leaf in enumerate(leaves):
        if is_array(leaf):
            arrays.append(leaf)
            kinds.append((np.shape(leaf), leaf.dtype, getattr(leaf, "weak_type", False)))
            continue
        static.append((index, leaf))
        kinds.append(static_kind(leaf, name))
    return (treedef, tuple(kinds)), static, arrays, treedef


def static_kind(leaf, name: str):
    """TensorFlow's trace type of a Python value (`trace_type.from_value`): equal values share
    a trace (`Literal`, or `Weakref`, which compares live objects with `==` too), so 1, 1.0
    and True are one key, NaN matches NaN, and a wrapper (`__wrapped__`) counts as what it
    wraps."""
    while hasattr(leaf, "__wrapped__"):
        leaf = leaf.__wrapped__
    try:
        return Weak(leaf) if weakable(leaf) else Literal(leaf)
    except TypeError:
        keyrng.errors.type_error(name, "arguments",
                           "arrays or hashable Python values (those are static: a new value "
                           "traces the function again)", leaf)


def signature_text(key) -> str:
    """The key as text that is the same in every process (for `export_state`)."""
    treedef, kinds = key
    parts = []
    for kind in kinds:
        if isinstance(kind, (Literal, Weak)):
            parts.append(kind.text())
        else:
            shape, dtype, weak = kind
            shape = "[*]" if shape is None else list(shape)
            parts.append(f"{np.dtype(dtype).name}{shape}{'~weak' if weak else ''}")
    return f"{treedef} [{', '.join(parts)}]"


class TensorSpec(NamedTuple):
    """`tf.TensorSpec` for `compat.function(input_signature=...)`: a shape (None in it, or None
    for the whole shape, is any size) and a dtype. (`jax.ShapeDtypeStruct` works too where the
    shape is fully known; jax 0.12 refuses None in it.)

    >>> import compat, jax.numpy as jnp
    >>> compat.TensorSpec([None, 2], jnp.float32)
    TensorSpec(shape=[None, 2], dtype=<class 'jax.numpy.float32'>, name=None)
    """

    shape: Any
    dtype: Any
    name: Any = None


def check_input_signature(signature) -> tuple:
    if not isinstance(signature, (list, tuple)) or not all(
            hasattr(spec, "shape") and hasattr(spec, "dtype") for spec in signature):
        keyrng.errors.type_error("compat.function", "input_signature",
                           "a list or tuple of specs with shape and dtype (compat.TensorSpec)",
                           signature)
    return tuple((None if spec.shape is None else tuple(spec.shape), np.dtype(spec.dtype))
                 for spec in signature)


def fits(spec, value) -> bool:
    shape, dtype = spec
    if not hasattr(value, "shape") or np.dtype(getattr(value, "dtype", None)) != dtype:
        return False
    return shape is None or (len(shape) == len(value.shape) and all(
        want is None or want == got for want, got in zip(shape, value.shape)))
