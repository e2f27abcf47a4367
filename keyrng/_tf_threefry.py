"""TensorFlow's random ops with the ThreeFry algorithm (`alg="threefry"`, `Algorithm.THREEFRY`,
2), which only TensorFlow's XLA bridge runs (`tf.function(jit_compile=True)`; the CPU kernels refuse
it), as pure functions of a ThreeFry position.

A ThreeFry position is a uint32[4]: the 64-bit key's low and high words, then the 64-bit counter's.
- A stateless seed (`threefry_stateless_position`): TensorFlow's Python `_get_key_counter` casts the
  two seeds to uint32 (their low 32 bits) and makes the key `u32(seed0) | u32(seed1) << 32`; the
  counter is 0. No scrambling.
- A Generator made with `alg="threefry"` has the int64 state `[counter, key]` (`from_seed(s)` is
  `[s, 0]`); a draw of n values reads it there and moves the counter on by `256 * n` (mod 2**64:
  tf2xla's `IncreaseCounter`, "consistent with the CPU/GPU kernels").

The bits are XLA's `ThreeFryBitGenerator` (`xla/hlo/builder/lib/prng.cc`): Threefry-2x32 with 20
rounds (Salmon et al. 2011) of the 64-bit inputs `counter + i`, split into their low and high words,
under the key's two words.
- 32-bit values (and 16-bit ones, the low half of a 32-bit value): the shape is split in two halves
  along its first even dimension (or its largest; a scalar is [1] of [2]) as for XLA's Box-Muller;
  the i-th value of the half shape (row-major) gets input `counter + i`, the first output word goes
  to the first half and the second to the second half (so a 1-D shape reads the words of input 0,
  then input 1, ... in turn).
- 64-bit values: value i (row-major) is `lo | hi << 32` of the outputs of input `counter + i`.

The conversions are XLA's (as for Philox, `keyrng.tf.xla_*`): float32 `(w >> 9) * 2**-23`, float64
`(bits64 >> 12) * 2**-52`, float16 the low 10 bits of a 16-bit value, bfloat16 the float32 value
with its low 16 bits cleared; normal is XLA's Box-Muller on the uniform values of the split shape;
truncated normal the inverse normal CDF of a uniform value in [tiny, 1); bounded integers
`minval + bits % (maxval - minval)` (`UniformIntDistribution`); full-range integers the bits.
TensorFlow's Python scaling (`raw * (maxval - minval) + minval`, `raw * stddev + mean`) is rounded
as in `keyrng.tf.xla_draw_uniform` / `xla_draw_normal`.

>>> import keyrng.tf as tfk
>>> position = tfk.threefry_stateless_position("my.op", [1, 2])
>>> tfk.threefry_draw_full_int(position, (3,), "uint32")
Array([ 629071667, 2343584484, 2271449651], dtype=uint32)
"""

from __future__ import annotations

import math
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keyrng import _stateless, _tf_xla
from keyrng._tf_kernels import wide_types

_ROTATIONS = (13, 15, 26, 6, 17, 29, 16, 24)
_FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")


def _rotl(v, distance: int):
    return (v << jnp.uint32(distance)) | (v >> jnp.uint32(32 - distance))


def threefry_2x32(key, x0, x1):
    """Threefry-2x32, 20 rounds, of the word arrays `x0`, `x1` under `key` (two uint32 words), as
    XLA's `ThreeFry2x32`: returns the two output word arrays."""
    k0, k1 = jnp.uint32(key[0]), jnp.uint32(key[1])
    ks = (k0, k1, jnp.uint32(0x1BD11BDA) ^ k0 ^ k1)
    x = [x0 + ks[0], x1 + ks[1]]
    for i in range(5):
        for rotation in (_ROTATIONS[:4] if i % 2 == 0 else _ROTATIONS[4:]):
            x[0] = x[0] + x[1]
            x[1] = _rotl(x[1], rotation) ^ x[0]
        x[0] = x[0] + ks[(i + 1) % 3]
        x[1] = x[1] + ks[(i + 2) % 3] + jnp.uint32(i + 1)
    return x[0], x[1]


def _inputs(position, count: int):
    """The input words of `counter + i`, i < count (a 64-bit add, wrapping)."""
    index = lax.iota(jnp.uint32, count)
    low = position[2] + index
    high = position[3] + (low < index).astype(jnp.uint32)
    return low, high


def bits32(position, shape: tuple):
    """XLA's ThreeFryRngBit32: uint32 values of `shape` (module docstring)."""
    position = jnp.asarray(position, jnp.uint32)
    shape = tuple(shape)
    half, concat, split, axis = _tf_xla._split_halves(shape)
    y0, y1 = threefry_2x32((position[0], position[1]), *_inputs(position, math.prod(half)))
    if not shape:
        return y0.reshape(())
    both = jnp.concatenate([y0.reshape(half), y1.reshape(half)], axis=axis)
    even = list(shape)
    even[split] = 2 * half[split]
    out = both.reshape(even)
    if even[split] != shape[split]:
        out = lax.slice_in_dim(out, 0, shape[split], axis=split)
    return out


def bits64(position, shape: tuple):
    """XLA's ThreeFryRngBit64: uint64 values of `shape` (needs 64-bit types: call it under
    `jax.enable_x64(True)`)."""
    position = jnp.asarray(position, jnp.uint32)
    y0, y1 = threefry_2x32((position[0], position[1]), *_inputs(position, math.prod(shape)))
    return (y0.astype(jnp.uint64) | (y1.astype(jnp.uint64) << jnp.uint64(32))).reshape(shape)


def _unit(position, shape: tuple, dtype: str):
    """XLA's ConvertRandomBitsToUniformFloatingPoint to [0, 1) of `dtype` (float16, float32,
    float64)."""
    if dtype == "float64":
        with jax.enable_x64(True):
            bits = lax.optimization_barrier(bits64(position, shape))
            return (bits >> jnp.uint64(12)).astype(jnp.float64) * jnp.float64(2.0**-52)
    bits = lax.optimization_barrier(bits32(position, shape))
    if dtype == "float16":
        half = (bits.astype(jnp.uint16) & jnp.uint16(0x3FF)) | jnp.uint16(15 << 10)
        return lax.bitcast_convert_type(half, jnp.float16) - jnp.float16(1.0)
    return (bits >> jnp.uint32(9)).astype(jnp.float32) * jnp.float32(2.0**-23)


def uniform_kernel(position, shape: tuple, dtype: str):
    """StatelessRandomUniformV2 / StatefulUniform with ThreeFry under XLA: [0, 1) of `dtype`."""
    rng = _tf_xla._rng_dtype(dtype)
    with wide_types(rng == "float64"):
        return _tf_xla._finish(_unit(position, tuple(shape), rng), dtype)


def normal_kernel(position, shape: tuple, dtype: str):
    """StatelessRandomNormalV2 / StatefulStandardNormalV2 with ThreeFry under XLA: XLA's
    Box-Muller on the uniform values of the split shape."""
    return _tf_xla.normal_from_unit(lambda s, rng: _unit(position, s, rng), shape, dtype)


def truncated_normal_kernel(position, shape: tuple, dtype: str):
    """StatelessTruncatedNormalV2 / StatefulTruncatedNormal with ThreeFry under XLA: the inverse
    normal CDF of uniform values in [tiny, 1), in (-2, 2)."""
    return _tf_xla.truncated_normal_from_unit(lambda s, rng: _unit(position, s, rng), shape, dtype)


@partial(jax.jit, static_argnames=("shape", "dtype"))
def _uniform(position, minval, maxval, *, shape, dtype):
    raw = uniform_kernel(position, shape, dtype)
    with wide_types(dtype == "float64"):
        minval, maxval = jnp.asarray(minval, dtype), jnp.asarray(maxval, dtype)
        if dtype == "float32":
            return _tf_xla._fma32(raw, maxval - minval, minval)
        if dtype == "float64":
            return _tf_xla._fma64(raw, maxval - minval, minval)
        return raw * (maxval - minval) + minval


@partial(jax.jit, static_argnames=("shape", "dtype"))
def _full_int(position, *, shape, dtype):
    if dtype in ("int64", "uint64"):
        with jax.enable_x64(True):
            return lax.bitcast_convert_type(bits64(position, shape), jnp.dtype(dtype))
    return lax.bitcast_convert_type(bits32(position, shape), jnp.dtype(dtype))


@partial(jax.jit, static_argnames=("shape", "dtype"))
def _bounded_int(position, minval, maxval, *, shape, dtype):
    """XLA's UniformIntDistribution: `minval + (bits % range)`, in the type's wrapping arithmetic
    (XLA's remainder: by a zero range, from equal bounds, it is the dividend, as for Philox)."""
    with jax.enable_x64(dtype == "int64"):
        unsigned = jnp.uint64 if dtype == "int64" else jnp.uint32
        bits = bits64(position, shape) if dtype == "int64" else bits32(position, shape)
        low = jnp.asarray(minval, dtype)
        span = lax.bitcast_convert_type(jnp.asarray(maxval, dtype), unsigned) - \
            lax.bitcast_convert_type(low, unsigned)
        dist = lax.rem(bits, span)
        half = dist >> unsigned(1)
        return low + lax.bitcast_convert_type(half, jnp.dtype(dtype)) + \
            lax.bitcast_convert_type(dist - half, jnp.dtype(dtype))


def draw_full_int(position, shape: tuple, dtype: str):
    """Full-range integers of `dtype` (int32, int64, uint32, uint64): the bits."""
    with jax.enable_x64(dtype in ("int64", "uint64")):
        return _full_int(jnp.asarray(position, jnp.uint32), shape=tuple(shape), dtype=dtype)


def draw_uniform(position, shape: tuple, dtype: str, minval, maxval):
    """`stateless_uniform(..., alg="threefry")` / a ThreeFry Generator's `uniform` under XLA, after
    the checks of `keyrng.tf.check_uniform`: floats `raw * (maxval - minval) + minval`, bounded
    integers (int32, int64) `minval + bits % (maxval - minval)`, and for minval = maxval = None
    full-range integers."""
    shape = tuple(shape)
    position = jnp.asarray(position, jnp.uint32)
    if dtype in _FLOAT_DTYPES:
        with jax.enable_x64(dtype == "float64"):
            return _uniform(position, minval, maxval, shape=shape, dtype=dtype)
    if minval is None:
        return draw_full_int(position, shape, dtype)
    with jax.enable_x64(dtype == "int64"):
        return _bounded_int(position, minval, maxval, shape=shape, dtype=dtype)


@partial(jax.jit, static_argnames=("shape", "dtype", "kind"))
def _normal(position, mean, stddev, *, shape, dtype, kind):
    kernel = normal_kernel if kind == "normal" else truncated_normal_kernel
    return _tf_xla._affine(kernel(position, shape, dtype), stddev, mean, dtype)


def draw_normal(kind: str, position, shape: tuple, dtype: str, mean, stddev):
    """`stateless_normal` / `stateless_truncated_normal` (by `kind`) with ThreeFry under XLA:
    `raw * stddev + mean` in `dtype`."""
    with jax.enable_x64(dtype == "float64"):
        return _normal(jnp.asarray(position, jnp.uint32), mean, stddev, shape=tuple(shape), dtype=dtype,
                       kind=kind)


def stateless_position(function: str, seed):
    """The ThreeFry position of a stateless seed: key `u32(seed0) | u32(seed1) << 32`, counter 0
    (TensorFlow's `_get_key_counter` for alg="threefry")."""
    words, _ = _stateless.seed_words(function, seed)
    if isinstance(words, np.ndarray):
        return jnp.asarray(np.array([words[0], words[2], 0, 0], np.uint32))
    return jnp.stack([words[0], words[2], jnp.uint32(0), jnp.uint32(0)])


def generator_position(key: int, counter: int):
    """The ThreeFry position of a Generator's state `[counter, key]` (Python ints, any sign)."""
    key, counter = key % 2**64, counter % 2**64
    return jnp.asarray(np.array([key & 0xFFFFFFFF, key >> 32, counter & 0xFFFFFFFF, counter >> 32], np.uint32))
