"""Argument checks shared by every public function: shapes, dtypes, sizes of integers.

Each check takes the public function's name so that its error names the function the user
called (see `_errors`).
"""

from __future__ import annotations

import math
import operator
from types import MappingProxyType
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from keyrng import _errors

FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")
INT_DTYPES = ("int32", "int64")
WIDE_DTYPES = ("float64", "int64")
_SHAPE_FORMS = "a sequence of non-negative ints"
MAX_SIZE = 2**32  # bound on every dimension and on the number of elements of a shape


def shape(function: str, value: Any, argument: str = "shape") -> tuple[int, ...]:
    """Canonicalise a shape: a sequence of ints, an int, or a 0-d/1-d integer array.

    >>> shape("keyrng.uniform", [2, 3])
    (2, 3)
    >>> shape("keyrng.uniform", 4)
    (4,)
    >>> shape("keyrng.uniform", [-1])
    Traceback (most recent call last):
    ...
    ValueError: `keyrng.uniform`: `shape` must be a sequence of non-negative ints; got [-1].
    """
    if type(value) in (list, tuple):  # the common case, plain ints in range: a short fast path
        items = tuple(value)
        if all(type(item) is int and 0 <= item < MAX_SIZE for item in items) and math.prod(items) < MAX_SIZE:
            return items
    if isinstance(value, (bool, np.bool_)) or value is None or isinstance(value, (str, bytes)):
        _errors.type_error(function, argument, _SHAPE_FORMS, value)
    if isinstance(value, (jax.Array, np.ndarray)):
        if isinstance(value, jax.core.Tracer):
            _errors.type_error(function, argument, _SHAPE_FORMS + " known at trace time", value,
                               "Pass the shape as Python ints, or mark it static.")
        if value.ndim > 1 or not jnp.issubdtype(value.dtype, jnp.integer):
            _errors.type_error(function, argument, _SHAPE_FORMS, value)
        items = [int(v) for v in np.asarray(value).reshape(-1)]
    elif isinstance(value, (int, np.integer)):
        items = [int(value)]
    else:
        try:
            raw = list(value)
        except TypeError:
            _errors.type_error(function, argument, _SHAPE_FORMS, value)
        items = []
        for item in raw:
            if isinstance(item, (bool, np.bool_)):
                _errors.type_error(function, argument, _SHAPE_FORMS, value)
            if isinstance(item, (jax.Array, np.ndarray)) and getattr(item, "ndim", 1) == 0 \
                    and not isinstance(item, jax.core.Tracer) and jnp.issubdtype(item.dtype, jnp.integer):
                items.append(int(item))
                continue
            try:
                items.append(operator.index(item))
            except TypeError:
                _errors.type_error(function, argument, _SHAPE_FORMS, value)
    if any(item < 0 for item in items):
        _errors.value_error(function, argument, _SHAPE_FORMS, value)
    if any(item >= MAX_SIZE for item in items) or math.prod(items) >= MAX_SIZE:
        # Past this XLA aborts the process (a dimension near 2**63) or fails deep inside jax.
        _errors.value_error(function, argument, _SHAPE_FORMS + " with fewer than 2**32 elements", value)
    return tuple(items)


def dtype_name(function: str, value: Any, allowed: tuple[str, ...], argument: str = "dtype") -> str:
    """Canonicalise a dtype (jax/numpy dtype, scalar type or name) to one of `allowed`'s names.

    >>> dtype_name("keyrng.uniform", jnp.float32, FLOAT_DTYPES)
    'float32'
    >>> dtype_name("keyrng.uniform", "bfloat16", FLOAT_DTYPES)
    'bfloat16'
    """
    try:
        name = _KNOWN_DTYPES.get((type(value), value))  # a fast path for the common spellings
    except TypeError:  # unhashable
        name = None
    if name is None:
        name = _dtype_name(function, value, allowed, argument)
    if name not in allowed:
        _errors.value_error(function, argument, "one of " + ", ".join(allowed), value)
    if name in WIDE_DTYPES and not jax.config.jax_enable_x64:
        narrow = [n for n in allowed if n not in WIDE_DTYPES]
        _errors.value_error(
            function, argument, "one of " + ", ".join(narrow) + " while jax's 64-bit mode is off",
            value, "Enable 64-bit types with `jax.config.update('jax_enable_x64', True)` at "
            "start-up (or JAX_ENABLE_X64=1), or use `with jax.enable_x64(True):`.")
    return name


def _known_dtypes() -> MappingProxyType:
    """(type, value) -> numpy name for the common spellings of the dtypes keyrng draws: the
    canonical name, the numpy dtype, jax.numpy's and numpy's scalar types. Fixed at import
    (read-only, so keyrng keeps no mutable state); anything else takes `_dtype_name`."""
    table = {}
    for name in ("float16", "bfloat16", "float32", "float64", "int32", "int64", "uint32", "uint64"):
        spellings = [name, jnp.dtype(name), getattr(jnp, name)]
        if hasattr(np, name):
            spellings.append(getattr(np, name))
        for value in spellings:
            table[(type(value), value)] = name
    return MappingProxyType(table)


_KNOWN_DTYPES = _known_dtypes()


def _dtype_name(function: str, value: Any, allowed: tuple[str, ...], argument: str) -> str:
    if isinstance(value, (bool, int, float, jax.Array, np.ndarray)) or value is None:
        _errors.type_error(function, argument, "one of " + ", ".join(allowed), value)
    name = getattr(value, "name", None)  # TensorFlow-like dtype objects carry a name
    try:
        name = np.dtype(value).name
    except (TypeError, ValueError):  # ValueError: a dict or tuple numpy reads as a malformed record
        if not isinstance(name, str):
            _errors.type_error(function, argument, "one of " + ", ".join(allowed), value)
        return name
    return name


def integer(function: str, argument: str, value: Any, low: int, high: int, accepted: str) -> int:
    """A Python int (or numpy integer / concrete 0-d integer array) in `[low, high)`."""
    if isinstance(value, (bool, np.bool_)):
        _errors.type_error(function, argument, accepted, value)
    if isinstance(value, (jax.Array, np.ndarray)) and not isinstance(value, jax.core.Tracer) \
            and value.ndim == 0 and jnp.issubdtype(value.dtype, jnp.integer):
        value = int(value)
    try:
        result = operator.index(value)
    except TypeError:
        _errors.type_error(function, argument, accepted, value)
    if not low <= result < high:
        _errors.value_error(function, argument, accepted, value)
    return result


def dtype(name: str):
    """The jax dtype for a canonical name."""
    return jnp.dtype(name)
