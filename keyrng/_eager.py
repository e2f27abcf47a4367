"""Eager Philox draws of any shape from a fixed set of compiled kernels.

A jitted draw compiles one XLA program per output shape: 0.3 s for `uniform`, 0.5 s for
`normal`, seconds for `truncated_normal` (docs/performance.md), paid again by every new shape.
TensorFlow's stream is block-major and flat: value e of any output is value `e % k` of group
`e // k` (a group is one Philox block, or for truncated normal the run of blocks from
`counter + stride * (e // k)`), whatever the output's shape. So the first n values of a flat fill
of `g >= ceil(n / k)` groups, reshaped, are TensorFlow's output of any shape of n values, and a
flat fill of g groups from group g0 on is a flat fill from the position `counter + stride * g0`.

An eager draw on a concrete position therefore runs the ordinary jitted kernels
(`keyrng._distributions`) only at the flat sizes of `LADDER` (groups per call), one call after
another with the position (a runtime argument) moved by the groups already drawn, and slices and
reshapes the values on the host (NumPy) before one `jax.device_put`: no XLA program depends on the
output's shape. The bounds are runtime arguments of the same kernels, passed as the jitted path
passes them, so the values are the jitted path's bit for bit (tests/test_first_call.py).

Only calls outside any jax transformation take this path (a concrete position and bounds that are
numbers or 0-d arrays); under `jax.jit`, inside a `compat.function` or with array bounds, the
jitted per-shape kernels run as before (their layouts keep sharded outputs local). The kernels
live in jax.jit's own caches; this module holds no state. A kernel is compiled per size and per
family of draws (kind, dtype, scaling, the kinds of the bounds as jit sees them, jax's 64-bit
mode: what jit's cache key holds besides the size) at its first use; any subset of the sizes
serves every shape (`sizes`): compat draws with the largest alone, so a family compiles once
(compat/_ops.py); `warm_up` / `prepare` compile sizes up front.

>>> import numpy as np
>>> from keyrng import _eager
>>> _eager.plan(40000), _eager.plan(3000), _eager.plan(600), _eager.plan(600, sizes=(16384,))
([16384, 16384, 4096, 4096], [4096], [256, 256, 256], [16384])
>>> _eager.uniform(np.array([87654321, 0, 0, 0, 1, 0], np.uint32), (3,), "float32", -1.0, 1.0)
Array([-0.5219252 ,  0.8407991 , -0.89897513], dtype=float32)
"""

from __future__ import annotations

import math

import jax
import numpy as np

from keyrng import _checks

# Groups per kernel call: 16, 256, 4096, 16384 (4 kernels per kind, dtype and scaling). The
# largest alone serves compat (about a millisecond of compute for a float32 truncated normal, 1
# to 3 ms for float64; 16 calls for 10^6 float32 values). One call of each
# (`plan(WARM_UP_GROUPS)`) compiles them all.
LADDER = (16, 256, 4096, 16384)
WARM_UP_GROUPS = sum(LADDER)

_GROUP_VALUES = {"float16": 4, "bfloat16": 4, "float32": 4, "float64": 2, "int32": 4, "int64": 2}


def plan(groups: int, sizes=LADDER) -> list[int]:
    """The kernel sizes (groups per call, from `sizes`, some of `LADDER`) whose calls in turn
    cover `groups` groups.

    Largest first, at most 3 calls of each size below the largest; a rest that would take more
    than 3 calls of the next smaller size takes one more call of this one, and the smallest size
    covers what is left. With `LADDER`, a draw makes few calls; with the largest size alone (all a
    process may have compiled so far), `ceil(groups / 16384)` calls.

    >>> plan(700), plan(1000), plan(1000, sizes=(16384,)), plan(50000)
    ([256, 256, 256], [4096], [16384], [16384, 16384, 16384, 4096])
    """
    sizes = sorted(sizes)
    out: list[int] = []
    rest = max(groups, 1)
    for i in range(len(sizes) - 1, -1, -1):
        count, rest = divmod(rest, sizes[i])
        if rest and (i == 0 or rest > 3 * sizes[i - 1]):
            count, rest = count + 1, 0
        out.extend([sizes[i]] * count)
        if not rest:
            break
    return out


def concrete_words(key_or_data):
    """The uint32[6] position as a NumPy array when it is concrete and no jax transformation is
    tracing this call; None otherwise (then the caller runs the jitted path)."""
    if type(key_or_data) is np.ndarray:  # compat's eager positions
        return key_or_data
    if isinstance(key_or_data, jax.core.Tracer):
        return None
    data = jax.random.key_data(key_or_data) if _is_key(key_or_data) else key_or_data
    if isinstance(data, jax.core.Tracer):  # a constant key under jit: key_data is traced
        return None
    return np.asarray(data, np.uint32)


def _is_key(value) -> bool:
    return isinstance(value, jax.Array) and jax.numpy.issubdtype(value.dtype, jax.dtypes.prng_key)


def _scalar(value) -> bool:
    """A bound the kernels take as a runtime scalar: None, a Python number, a concrete 0-d array."""
    if value is None or type(value) in (int, float):
        return True
    if isinstance(value, jax.core.Tracer):
        return False
    return isinstance(value, (np.ndarray, np.generic, jax.Array, int, float)) and np.ndim(value) == 0


def _moved(words: np.ndarray, blocks: int) -> np.ndarray:
    """`words` with its 128-bit counter moved on by `blocks` (mod 2^128)."""
    if not blocks:
        return words
    counter = (int(words[2]) | int(words[3]) << 32 | int(words[4]) << 64 | int(words[5]) << 96) + blocks
    return np.array((words[0], words[1], counter & 0xFFFFFFFF, (counter >> 32) & 0xFFFFFFFF,
                     (counter >> 64) & 0xFFFFFFFF, (counter >> 96) & 0xFFFFFFFF), np.uint32)


def _run(kernel, words: np.ndarray, shape: tuple, k: int, stride: int, sizes):
    """`kernel(words, values)` (a flat fill of `values` values at the position `words`) at the
    sizes of `plan(..., sizes)` (None: `LADDER`), the values sliced and reshaped to `shape` on the
    host, as one jax array."""
    size = math.prod(shape)
    groups = -(-size // k)
    parts = []
    done = 0
    for count in plan(groups, sizes or LADDER):
        out = kernel(_moved(words, done * stride), count * k)
        if isinstance(out, jax.core.Tracer):  # under a transformation after all
            return None
        parts.append(np.asarray(out))
        done += count
    values = parts[0] if len(parts) == 1 else np.concatenate(parts)
    host = values[:size].reshape(shape)
    if host.dtype.itemsize == 8:  # keep the kernel's 64-bit type as the jitted path does
        with jax.enable_x64(True):
            return jax.device_put(host)
    return jax.device_put(host)


def uniform(key_or_data, shape: tuple, dtype: str, minval, maxval, sizes=None):
    """`keyrng._distributions.draw_uniform` on a concrete Philox position, from the kernels of
    `sizes` (some of `LADDER`; None: all); None when the call must take the jitted path (traced, or array
    bounds)."""
    if not (_scalar(minval) and _scalar(maxval)):
        return None
    words = concrete_words(key_or_data)
    if words is None:
        return None
    from keyrng import _distributions as d  # noqa: PLC0415 (the kernels' module imports this one)
    if dtype in _checks.INT_DTYPES:
        def kernel(position, values):
            return d._uniform_int_philox(position, minval, maxval, shape=(values,), dtype=dtype)
    else:
        mode = d._scaling_mode(minval, maxval)

        def kernel(position, values):
            return d._uniform_philox(position, minval, maxval, shape=(values,), dtype=dtype, mode=mode)
    return _run(kernel, words, shape, _GROUP_VALUES[dtype], 1, sizes)


def normal(kind: str, key_or_data, shape: tuple, dtype: str, mean, stddev, sizes=None):
    """`keyrng._distributions.draw_normal` (after its unit-scaling shortcut) on a concrete Philox
    position, from the kernels of `sizes` (some of `LADDER`; None: all); None when the call must take the
    jitted path."""
    if not (_scalar(mean) and _scalar(stddev)):
        return None
    words = concrete_words(key_or_data)
    if words is None:
        return None
    from keyrng import _distributions as d  # noqa: PLC0415

    def kernel(position, values):
        if kind == "normal":
            return d._normal_philox(position, mean, stddev, shape=(values,), dtype=dtype, kind=kind)
        # Truncated normal: the loop-free kernel (a quarter of the compile); a fill it leaves
        # with a NaN (about never, or a NaN mean or stddev) is made again by the whole kernel.
        out = d._normal_philox(position, mean, stddev, shape=(values,), dtype=dtype, kind=kind, fallback=False)
        if isinstance(out, jax.core.Tracer) or not np.isnan(np.asarray(out)).any():
            return out
        return d._normal_philox(position, mean, stddev, shape=(values,), dtype=dtype, kind=kind)
    k = _GROUP_VALUES[dtype]
    # Truncated normal: group i reads its blocks from `counter + i * 256` (128 for float64).
    stride = 1 if kind == "normal" else (128 if dtype == "float64" else 256)
    return _run(kernel, words, shape, k, stride, sizes)


def prepare(kind: str, dtype: str, a, b, sizes=LADDER) -> None:
    """Compile the kernels of `sizes` for these arguments: one draw of each size at position
    zero, its values dropped. The bounds' values do not matter, only their
    kinds; they must be valid bounds for the dtype (e.g. those of an earlier draw).

    >>> prepare("uniform", "float32", 0, 1, sizes=(16,))
    """
    words = np.zeros(6, np.uint32)
    for size in sizes:
        values = (size * _GROUP_VALUES[dtype],)
        if kind == "uniform":
            out = uniform(words, values, dtype, a, b, sizes=(size,))
        else:
            out = normal(kind, words, values, dtype, a, b, sizes=(size,))
        if out is not None:
            out.block_until_ready()


def warm_up(kinds=("uniform", "normal", "truncated_normal"), dtypes=("float32",),
            scalings=("unit", "affine")) -> None:
    """Compile the kernels of `LADDER` for these kinds, dtypes and scalings (`"unit"`: the
    defaults; `"affine"`: Python float bounds), so that no eager draw of them compiles afterwards.

    >>> warm_up(kinds=("uniform",), dtypes=("float32",), scalings=("unit",))
    """
    for kind in kinds:
        for dtype in dtypes:
            for scaling in scalings:
                if kind == "uniform":
                    integer = dtype in _checks.INT_DTYPES
                    low, high = (0, 1) if scaling == "unit" else (-1.0, 1.0)
                    if integer:
                        low, high = 0, 10
                    prepare(kind, dtype, low, high)
                elif dtype not in _checks.INT_DTYPES:
                    mean, stddev = (0.0, 1.0) if scaling == "unit" else (0.5, 2.0)
                    if scaling == "unit" and dtype in ("float32", "float64"):
                        mean = stddev = None  # draw_normal's unit-scaling shortcut
                    prepare(kind, dtype, mean, stddev)
