"""TensorFlow's stateless random ops and seed `split` / `fold_in`: no state at all. Each checks
its arguments and returns the keyrng draw at `keyrng.tf_stateless_key(seed)`.
"""

from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp

import keyrng
from keyrng.typing import ArrayLike, DTypeLike, RealLike, Shape, StatelessSeed

from compat import _guard, _ops, _threefry

_STATELESS_DTYPES = keyrng.tf.FLOAT_DTYPES + keyrng.tf.FULL_INT_DTYPES
_ALGS = ("auto_select", "philox", "threefry", 1, 2, 3)
_ALG_FORMS = "'auto_select' or 'philox' (TensorFlow's CPU kernels have no threefry)"
_ALG_FORMS_XLA = "'auto_select', 'philox' or 'threefry' (threefry only inside compat.function(jit_compile=True))"


def check_alg(function: str, alg: Any, threefry: bool = False) -> int:
    """TensorFlow's algorithm ids: 'philox' (1), 'threefry' (2) and 'auto_select' (3, Philox on
    CPU); None is 'auto_select', as in TensorFlow's stateless ops. 'threefry' is accepted only by
    the ops that have XLA's ThreeFry kernels (`threefry=True`: the Generator and the stateless
    uniform / normal / truncated normal), which refuse it outside a jit_compile function.

    >>> check_alg("compat.split", "philox"), check_alg("compat.split", None)
    (1, 3)
    >>> check_alg("compat.split", 1.5)
    Traceback (most recent call last):
    ...
    TypeError: `compat.split`: `alg` must be 'auto_select' or 'philox' (TensorFlow's CPU kernels have no threefry); got 1.5.
    """
    forms = _ALG_FORMS_XLA if threefry else _ALG_FORMS
    if alg is None:
        return 3
    value = getattr(alg, "value", alg)  # tf.random.Algorithm members carry their id in .value
    if isinstance(value, str):
        value = value.lower()
    elif isinstance(value, int):  # a Python int or bool (True is 1, philox); never a NumPy integer
        value = int(value)
    else:
        keyrng.errors.type_error(function, "alg", forms, alg)
    if value not in _ALGS or (value in ("threefry", 2) and not threefry):
        keyrng.errors.value_error(function, "alg", forms, alg)
    return {"auto_select": 3, "philox": 1, "threefry": 2}.get(value, value)


# --- stateless ops -------------------------------------------------------------------------------

def check_stateless_uniform(function: str, shape: Any, minval: Any, maxval: Any, dtype: Any):
    """Canonical `(shape, dtype, minval, maxval)` under tf.random.stateless_uniform's rules.

    Integers: `minval` and `maxval` both None (full range; the only form for unsigned types) or
    both given. Floats: `maxval` defaults to 1 and the result is always `raw*(maxval-minval)+minval`.
    """
    _ops.check_shape_form(function, shape)
    shape = keyrng.tf.check_shape(function, shape)
    dtype = keyrng.tf.check_full_int_dtype(function, _ops.tf_dtype(function, dtype), _STATELESS_DTYPES)
    if dtype in keyrng.tf.FULL_INT_DTYPES:
        if (minval is None) != (maxval is None):
            keyrng.errors.value_error(function, "minval", f"None exactly when maxval is None for integer "
                                f"dtype {dtype}", minval, "Pass both bounds, or neither for the "
                                "full range.")
        if minval is None:
            return shape, dtype, None, None
        if dtype.startswith("u"):
            keyrng.errors.value_error(function, "dtype", "int32 or int64 when minval and maxval are "
                                "given", dtype, "Unsigned types take only the full range "
                                "(minval=None, maxval=None).")
        check = keyrng.tf.xla_check_int_bounds if _guard.xla() else keyrng.tf.check_int_bounds
        minval, maxval = check(function, dtype, minval, maxval, math.prod(shape))
        return shape, dtype, minval, maxval
    _ops.no_bool_for_bfloat16(function, dtype, minval=minval, maxval=maxval)
    minval = keyrng.tf.check_bound(function, "minval", minval, shape)
    maxval = 1 if maxval is None else keyrng.tf.check_bound(function, "maxval", maxval, shape)
    keyrng.tf.check_broadcast(function, "maxval", shape, minval, maxval)
    if isinstance(minval, int):  # never tf.random.uniform's shortcuts: always the affine form
        minval = float(minval)
    return shape, dtype, minval, maxval


# --- XLA (compat.function(jit_compile=True); docs/xla.md) ----------------------------------------

def _xla(alg: int, seed) -> bool:
    """Whether a stateless op takes TensorFlow's XLA kernels: inside a jit_compile function, unless
    it names its algorithm (alg="philox") and its seed is a constant there: TensorFlow's Grappler
    then folds the op with the CPU kernels before XLA sees it, as in a plain tf.function (the
    "auto_select" default asks the device for its algorithm, which is never folded).
    Recorded: scenario xla_alg_philox."""
    return _guard.xla() and (alg == 3 or _traced_seed(seed))


def _stateless_key(function: str, seed, xla: bool = True):
    """The position of a stateless seed: TensorFlow's XLA bridge's when `xla` inside a jit_compile
    function."""
    if xla and _guard.xla():
        return keyrng.tf.xla_stateless_key(function, seed)
    return keyrng.tf.stateless_key(function, seed)


def draw_normal(kind, key, shape, dtype, mean, stddev):
    """`keyrng.tf.draw_normal`, or XLA's kernel (`keyrng.tf.xla_draw_normal`) under jit_compile."""
    if _guard.xla():
        return keyrng.tf.xla_draw_normal(kind, key, shape, dtype, mean, stddev)
    return keyrng.tf.draw_normal(kind, key, shape, dtype, mean, stddev)


def xla_uniform(function: str, seed, shape: tuple, dtype: str):
    """XLA's `stateless_uniform(shape, seed, dtype)` in [0, 1) (for stateless dropout)."""
    key, _ = keyrng.tf.xla_stateless_key(function, seed)
    return keyrng.tf.xla_draw_uniform(key, shape, dtype, 0.0, 1.0)


# --- end XLA -------------------------------------------------------------------------------------


def draw_stateless_uniform(key, shape, dtype, minval, maxval, xla: bool = True):
    if xla and _guard.xla():
        return keyrng.tf.xla_draw_uniform(key, shape, dtype, minval, maxval)
    if dtype in keyrng.tf.FULL_INT_DTYPES and minval is None:
        return keyrng.tf.draw_full_int(key, shape, dtype)
    return keyrng.tf.draw_uniform(key, shape, dtype, minval, maxval)


def stateless_uniform(shape: Shape, seed: StatelessSeed, minval: RealLike = 0, maxval: RealLike | None = None,
                      dtype: DTypeLike = jnp.float32, name: str | None = None, alg: str | int = "auto_select") -> jax.Array:
    """`tf.random.stateless_uniform`: uniform values at the stateless position of `seed`.

    Stands for `keyrng.uniform(keyrng.tf_stateless_key(seed), shape, dtype, float(minval), maxval)`
    (floats and bounded ints) or `keyrng.uniform_full_int(keyrng.tf_stateless_key(seed), shape,
    dtype)` (integers with minval=maxval=None).

    >>> import compat
    >>> compat.stateless_uniform([3], seed=[1, 2])
    Array([0.8440604 , 0.19204533, 0.9962232 ], dtype=float32)
    >>> compat.stateless_uniform([2], seed=[1, 2], minval=None, maxval=None, dtype=compat.int32)
    Array([1105988140, 1738052849], dtype=int32)
    """
    function = "compat.stateless_uniform"
    checked = check_stateless_uniform(function, shape, minval, maxval, dtype)
    alg = check_alg(function, alg, threefry=True)
    if alg == 2:  # XLA's ThreeFry (compat/_threefry.py)
        return keyrng.tf.threefry_draw_uniform(_threefry.stateless_position(function, seed), *checked)
    xla = _xla(alg, seed)
    key, _ = _stateless_key(function, seed, xla)
    shape, dtype, low, high = checked
    if xla:
        return draw_stateless_uniform(key, shape, dtype, low, high)
    if dtype[0] in "fb" and not _guard.tracing():
        low, high = _ops._eager_converted(dtype, (minval, 1 if maxval is None else maxval), (low, high))
    if (dtype[0] == "f" or dtype[0] == "b") and _traced_seed(seed):
        low, high = _ops.graph_bounds(dtype, low, high)
    return draw_stateless_uniform(key, shape, dtype, low, high, xla=False)


def stateless_normal(shape: Shape, seed: StatelessSeed, mean: RealLike = 0.0, stddev: RealLike = 1.0,
                     dtype: DTypeLike = jnp.float32, name: str | None = None, alg: str | int = "auto_select") -> jax.Array:
    """`tf.random.stateless_normal`.

    Stands for `keyrng.normal(keyrng.tf_stateless_key(seed), shape, dtype, mean, stddev)`.

    >>> import compat
    >>> compat.stateless_normal([3], seed=[1105988140, 3])
    Array([0.03197195, 0.8979765 , 0.13253039], dtype=float32)
    """
    return _stateless_normal_family("compat.stateless_normal", "normal", shape, seed, mean, stddev,
                                    dtype, alg)


def stateless_truncated_normal(shape: Shape, seed: StatelessSeed, mean: RealLike = 0.0, stddev: RealLike = 1.0,
                               dtype: DTypeLike = jnp.float32, name: str | None = None,
                               alg: str | int = "auto_select") -> jax.Array:
    """`tf.random.stateless_truncated_normal`.

    Stands for `keyrng.truncated_normal(keyrng.tf_stateless_key(seed), shape, dtype, mean, stddev)`.

    >>> import compat
    >>> bool((abs(compat.stateless_truncated_normal([100], seed=[1, 2])) < 2).all())
    True
    """
    return _stateless_normal_family("compat.stateless_truncated_normal", "truncated_normal", shape,
                                    seed, mean, stddev, dtype, alg)


def _stateless_normal_family(function, kind, shape, seed, mean, stddev, dtype, alg):
    mean_given, stddev_given = mean, stddev
    _ops.no_bool_for_bfloat16(function, _ops.tf_dtype(function, dtype), mean=mean, stddev=stddev)
    _ops.check_shape_form(function, shape)
    checked = keyrng.tf.check_normal(function, shape, _ops.tf_dtype(function, dtype), mean, stddev)
    alg = check_alg(function, alg, threefry=True)
    if alg == 2:  # XLA's ThreeFry (compat/_threefry.py)
        return keyrng.tf.threefry_draw_normal(kind, _threefry.stateless_position(function, seed), *checked)
    xla = _xla(alg, seed)
    key, _ = _stateless_key(function, seed, xla)
    shape, dtype, mean, stddev = checked
    if xla:
        return draw_normal(kind, key, shape, dtype, mean, stddev)
    if not _guard.tracing():
        mean, stddev = _ops._eager_converted(dtype, (mean_given, stddev_given), (mean, stddev))
    if _traced_seed(seed):
        mean = _ops.graph_mean(mean, dtype)
    return keyrng.tf.draw_normal(kind, key, shape, dtype, mean, stddev)


def _traced_seed(seed) -> bool:
    """Whether a stateless op's seed is a value of the trace (a compat.function argument).

    With a constant seed, a stateless op inside a tf.function is a function of constants only,
    and Grappler's constant folding computes the whole of it, `+ minval` / `+ mean` included, as
    eager TensorFlow would: its `x + zeros` shortcut (`compat._ops.graph_bounds`) is only taken
    when the seed is not a constant."""
    leaves = seed if isinstance(seed, (list, tuple)) else [seed]
    return any(isinstance(leaf, jax.core.Tracer) for leaf in leaves)


def split(seed: StatelessSeed, num: int = 2, alg: str | int = "auto_select") -> jax.Array:
    """`tf.random.split`: `num` new stateless seeds, shape [num, 2], in the seed's dtype.

    Stands for `keyrng.tf_stateless_split(seed, num)`.

    >>> import compat
    >>> compat.split([1, 2], 3)
    Array([[1105988140, 1738052849],
           [-335576002,  370444179],
           [  10670227, -246211131]], dtype=int32)
    """
    key, dtype, num = keyrng.tf.check_split("compat.split", seed, num)
    alg = check_alg("compat.split", alg, threefry=True)
    if alg == 2:  # XLA's ThreeFry (compat/_threefry.py)
        return keyrng.tf.threefry_draw_full_int(_threefry.stateless_position("compat.split", seed), (num, 2), dtype)
    if _xla(alg, seed):
        key = keyrng.tf.xla_stateless_key("compat.split", seed)[0]  # XLA's seed rule
    return keyrng.tf.draw_full_int(key, (num, 2), dtype)


def fold_in(seed: StatelessSeed, data: int | ArrayLike, alg: str | int = "auto_select") -> jax.Array:
    """`tf.random.fold_in`: a new stateless seed from `seed` and `data`, in `data`'s dtype.

    Stands for `keyrng.tf_stateless_fold_in(seed, data)`.

    >>> import compat
    >>> compat.fold_in([1, 2], 3)
    Array([1105988140,          3], dtype=int32)
    """
    key, data = keyrng.tf.check_fold_in("compat.fold_in", seed, data)
    alg = check_alg("compat.fold_in", alg, threefry=True)
    if alg == 2:  # XLA's ThreeFry (compat/_threefry.py): a full-range scalar of data's dtype, then data
        position = _threefry.stateless_position("compat.fold_in", seed)
        with jax.enable_x64(data.dtype.itemsize == 8):
            first = keyrng.tf.threefry_draw_full_int(position, (), data.dtype.name)
            return jnp.stack([first, jnp.asarray(data, data.dtype)])
    if _xla(alg, seed):
        key = keyrng.tf.xla_stateless_key("compat.fold_in", seed)[0]  # XLA's seed rule
    return keyrng.tf.draw_fold_in(key, data)
