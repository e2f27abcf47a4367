"""TensorFlow's random ops as its XLA bridge compiles them (`tf.function(jit_compile=True)`).

Under XLA, TensorFlow lowers its stateless ops and a Generator's draws through tf2xla
(`stateless_random_ops_v2.cc`, `stateful_random_ops.cc`, `random_ops_util.cc`) to XLA's
`RngBitGenerator` with the Philox algorithm, and turns the bits into numbers with XLA's client
library (`xla/hlo/builder/lib/prng.cc`, `tf2xla/lib/random.cc`). The raw bits are TensorFlow's
Philox4x32-10 stream, in TensorFlow's order: `RngBitGenerator(PHILOX, [key, counter_lo,
counter_hi])` runs the block function on counter, counter + 1, ... and lays each block's four
words out in turn, as the CPU kernels do (64-bit values take two consecutive words, the first
one low). What differs from the CPU kernels:

- the seed. `StatelessRandomGetKeyCounter` packs the two seeds as `u32(seed0) | u32(seed1) << 32`
  (`GetU64FromS32Seeds`: each seed's LOW 32 bits, no sign extension) and scrambles that with one
  Philox block (`ScramblePhiloxKey`) under TensorFlow's usual key 0x02461E293EC8F720: the
  position is `key = [mix0, mix1]`, `counter = [0, 0, mix2, mix3]`. For seeds in [0, 2**31) this
  is the CPU kernels' position; negative int32 seeds (sign-extended there) and int64 seeds above
  2**32 (truncated here) give other positions. `stateless_key` returns it.
- floats take the HIGH mantissa bits (`ConvertRandomBitsToUniformFloatingPoint`):
  float32 `(w >> 9) * 2**-23`, float64 `(bits64 >> 12) * 2**-52`; float16 keeps the CPU rule
  (the low 10 bits of the word's low half); bfloat16 is the float32 value with its low 16 bits
  cleared.
- normal: XLA's Box-Muller (`NormalFloatingPointDistribution`): the shape is split in two halves
  along its first even dimension (or its largest), uniform values are drawn for the split shape,
  and pairs `(u0, u1)` give `sin(2*pi*u1) * r`, `cos(2*pi*u1) * r`, `r = sqrt(-2 log max(u0,
  1e-7))`, computed in the dtype (float32 for bfloat16) with XLA's own `log`, `sqrt`, `sin` and
  `cos` (jax compiles the same operations with the same XLA, so this module writes them with jnp).
- truncated normal: not rejection sampling but the inverse CDF of one uniform value in
  `[tiny, 1)` per output (`ParameterizedTruncatedNormal` with a=-2, b=2), with XLA's `erf` and
  `erfinv`; no extra counter is used.
- integers (bounded and full range) are the CPU kernels' values at the same position.

Every function here is pure: a function of its key. `key` is a typed Philox key (a position, as
from `stateless_key` or `keyrng.tf.key`) or its raw uint32[6] data.

The public names are in `keyrng.tf` with an `xla_` prefix. `tf.random.stateless_uniform([3],
seed=[1, 2])` inside `tf.function(jit_compile=True)` (TensorFlow 2.21 CPU) is

>>> import keyrng.tf as tfk
>>> key, _ = tfk.xla_stateless_key("my.op", [1, 2])
>>> tfk.xla_draw_uniform(key, (3,), "float32", 0.0, 1.0)
Array([0.25750792, 0.4046719 , 0.9218676 ], dtype=float32)
"""

from __future__ import annotations

import math
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keyrng import _impl, _stateless, _stream, _tf_discrete
from keyrng._tf_kernels import wide_types

_UNIFORM_DTYPES = ("float16", "bfloat16", "float32", "float64")
_TINY = {"float16": 2.0**-14, "float32": 2.0**-126, "float64": 2.0**-1022}
_EPSILON = {"float16": 2.0**-10, "float32": 2.0**-23, "float64": 2.0**-52}


def stateless_key(function: str, seed):
    """`(key, seed dtype)`: the Philox position of a stateless seed under XLA (module docstring):
    the seeds' low 32 bits, scrambled as TensorFlow's CPU kernels scramble theirs.

    >>> import keyrng
    >>> keyrng.position(stateless_key("my.op", [1, 2])[0]) == keyrng.position(
    ...     keyrng.tf.stateless_key("my.op", [1, 2])[0])
    True
    >>> keyrng.position(stateless_key("my.op", [-1, 2])[0]) == keyrng.position(
    ...     keyrng.tf.stateless_key("my.op", [-1, 2])[0])
    False
    """
    words, dtype = _stateless.seed_words(function, seed)
    if isinstance(words, np.ndarray):
        words = words.copy()
        words[1] = words[3] = 0
    else:
        words = words * jnp.array([1, 0, 1, 0], jnp.uint32)
    return _stateless._scramble(words), dtype


def _bits(key, count: int, wide: bool):
    """`count` raw values of XLA's PhiloxBitGenerator at `key` (uint32, or uint64 when `wide`).

    The words pass an optimization barrier, as TensorFlow's come out of an RngBitGenerator op:
    XLA then compiles the conversions after it as TensorFlow's program has them (a mul and add
    fused into one FMA, XLA's own log and sin), instead of folding a constant seed's values at
    compile time with other arithmetic. (When the key is a constant of the program, a constant
    seed, jax's XLA drops the barrier and LLVM may fold small loops at compile time, as it folds
    TensorFlow's: docs/xla.md, "Values TensorFlow computes at compile time".)"""
    key_words, counter = _impl.position_words(key)
    if not wide:
        return lax.optimization_barrier(_stream.words(key_words, counter, count))
    words = lax.optimization_barrier(_stream.words(key_words, counter, 2 * count)).reshape(count, 2)
    with jax.enable_x64(True):
        return words[:, 0].astype(jnp.uint64) | (words[:, 1].astype(jnp.uint64) << 32)


def _unit(key, count: int, dtype: str):
    """XLA's ConvertRandomBitsToUniformFloatingPoint to [0, 1): `count` values of `dtype`
    (float32 for bfloat16, as tf2xla draws it), flat."""
    if dtype == "float64":
        with jax.enable_x64(True):
            bits = _bits(key, count, True)
            return (bits >> jnp.uint64(12)).astype(jnp.float64) * jnp.float64(2.0**-52)
    bits = _bits(key, count, False)
    if dtype == "float16":
        # The F16 path of prng.cc: 10 mantissa bits of the low half, exponent 15, minus one.
        half = (bits.astype(jnp.uint16) & jnp.uint16(0x3FF)) | jnp.uint16(15 << 10)
        return lax.bitcast_convert_type(half, jnp.float16) - jnp.float16(1.0)
    return (bits >> jnp.uint32(9)).astype(jnp.float32) * jnp.float32(2.0**-23)


def _rng_dtype(dtype: str) -> str:
    return "float32" if dtype == "bfloat16" else dtype


def _to_bfloat16(values):
    """tf2xla's MaybeConvertF32ToBF16: clear the low 16 bits, then convert (exact)."""
    bits = lax.bitcast_convert_type(values, jnp.uint32) & jnp.uint32(0xFFFF0000)
    return lax.bitcast_convert_type(bits, jnp.float32).astype(jnp.bfloat16)


def _finish(values, dtype: str):
    return _to_bfloat16(values) if dtype == "bfloat16" else values


def _affine(raw, scale, shift, dtype: str):
    """TensorFlow's Python-level `raw * scale + shift` in `dtype` (None: left out)."""
    with wide_types(dtype == "float64"):
        if scale is not None:
            raw = raw * jnp.asarray(scale, dtype)
        if shift is not None:
            raw = raw + jnp.asarray(shift, dtype)
        return raw


def uniform_kernel(key, shape: tuple, dtype: str):
    """StatelessRandomUniformV2 / StatefulUniform under XLA: floats in [0, 1) of `dtype`."""
    rng = _rng_dtype(dtype)
    with wide_types(rng == "float64"):
        return _finish(_unit(key, math.prod(shape), rng).reshape(shape), dtype)


def _split_halves(shape: tuple):
    """prng.cc's SplitShapeIntoHalves: (half shape, concat shape, split dim, concat dim)."""
    if not shape:
        return (1,), (2,), 0, 0
    split = next((i for i, d in enumerate(shape) if d % 2 == 0), None)
    if split is None:
        split = max(range(len(shape)), key=lambda i: (shape[i], -i))
    half = list(shape)
    half[split] = -(-shape[split] // 2)
    concat = half[:split + 1] + [2] + half[split + 1:]
    half = half[:split + 1] + [1] + half[split + 1:]
    return tuple(half), tuple(concat), split, split + 1


def normal_kernel(key, shape: tuple, dtype: str):
    """StatelessRandomNormalV2 / StatefulStandardNormalV2 under XLA: XLA's Box-Muller."""
    return normal_from_unit(lambda s, rng: _unit(key, math.prod(s), rng).reshape(s), shape, dtype)


def truncated_normal_kernel(key, shape: tuple, dtype: str):
    """StatelessTruncatedNormalV2 / StatefulTruncatedNormal under XLA: the inverse normal CDF of
    uniform values in [tiny, 1), in (-2, 2) (tf2xla's ParameterizedTruncatedNormal)."""
    return truncated_normal_from_unit(lambda s, rng: _unit(key, math.prod(s), rng).reshape(s), shape, dtype)


def normal_from_unit(unit, shape: tuple, dtype: str):
    """XLA's Box-Muller on `unit(split shape, rng dtype)`, the [0, 1) values of a bit generator
    (Philox here, ThreeFry in keyrng/_tf_threefry.py): the two halves of the split shape give
    sin and cos values, concatenated and cut to `shape`."""
    rng = _rng_dtype(dtype)
    shape = tuple(shape)
    half, concat, split, axis = _split_halves(shape)
    with wide_types(rng == "float64"):
        t = jnp.dtype(rng)
        u = unit(concat, rng)
        x0 = lax.slice_in_dim(u, 0, 1, axis=axis)
        x1 = lax.slice_in_dim(u, 1, 2, axis=axis)
        u1 = jnp.maximum(x0, jnp.asarray(np.float32(1.0e-7), t))
        v1 = jnp.asarray(2.0 * math.pi, t) * x1
        u2 = jnp.sqrt(jnp.asarray(-2.0, t) * jnp.log(u1))
        first, second = jnp.sin(v1) * u2, jnp.cos(v1) * u2
        if not shape:
            return _finish(first.reshape(()), dtype)
        both = jnp.concatenate([first, second], axis=axis)
        even = list(shape)
        even[split] = 2 * half[split]
        out = both.reshape(even)
        if even[split] != shape[split]:
            out = lax.slice_in_dim(out, 0, shape[split], axis=split)
        return _finish(out, dtype)


def truncated_normal_from_unit(unit, shape: tuple, dtype: str):
    """tf2xla's truncated normal on `unit(shape, rng dtype)`, the [0, 1) values of a bit
    generator: moved to [tiny, 1), through the inverse normal CDF, clipped to [-2, 2]."""
    rng = _rng_dtype(dtype)
    with wide_types(rng == "float64"):
        t = jnp.dtype(rng)
        tiny = jnp.asarray(_TINY[rng], t)
        u = unit(tuple(shape), rng)
        u = u * (jnp.asarray(1.0, t) - tiny) + tiny
        one, two = jnp.asarray(1.0, t), jnp.asarray(2.0, t)
        sqrt_2 = jnp.asarray(math.sqrt(2.0), t)
        mu, sigma = jnp.asarray(0.0, t), jnp.asarray(1.0, t)
        a, b = jnp.asarray(-2.0, t), jnp.asarray(2.0, t)

        def cdf(x):
            return (one + lax.erf(x / sqrt_2)) / two

        alpha_cdf, beta_cdf = cdf((a - mu) / sigma), cdf((b - mu) / sigma)
        p = alpha_cdf + (beta_cdf - alpha_cdf) * u
        v = two * p - one
        epsilon = jnp.asarray(_EPSILON[rng], t)
        v = jnp.clip(v, -one + epsilon, one - epsilon)
        x = mu + sigma * sqrt_2 * lax.erf_inv(v)
        return _finish(jnp.clip(x, a, b), dtype)


def _fma32(a, b, c):
    """`a * b + c` for float32 arrays with one rounding (a fused multiply-add), exactly: the
    product is exact in float64, the sum is rounded to odd in float64 (its error found with
    TwoSum), and rounding that to float32 is then the correctly rounded result."""
    with jax.enable_x64(True):
        p = a.astype(jnp.float64) * b.astype(jnp.float64)
        c = jnp.asarray(c, jnp.float64)
        s = p + c
        bb = s - p
        error = (p - (s - bb)) + (c - bb)
        bits = lax.bitcast_convert_type(s, jnp.uint64)
        away = (error > 0) == (s > 0)  # the exact sum lies farther from zero than s
        odd = jnp.where(away, bits + jnp.uint64(1), bits - jnp.uint64(1))
        fix = (error != 0) & ((bits & jnp.uint64(1)) == 0)
        return jnp.where(fix, lax.bitcast_convert_type(odd, jnp.float64), s).astype(jnp.float32)


def _unfused(product):
    """`product` (float64) as a value that XLA and LLVM cannot fuse into a following addition:
    a select between it and its double on a test neither can decide (its bits against a
    signalling NaN pattern that no product has), so the sum after it rounds the rounded product."""
    with jax.enable_x64(True):
        bits = lax.bitcast_convert_type(product, jnp.uint64)
        return jnp.where(bits != jnp.uint64(0x7FF4DEADBEEF0001), product, product * 2)


def _two_sum(x, y):
    s = x + y
    bb = s - x
    return s, (x - (s - bb)) + (y - bb)


def _fma64(a, b, c):
    """`a * b + c` for float64 arrays with one rounding, from float64 operations only (Boldo and
    Melquiond's emulation with rounding to odd): `a*b = uh + ul` exactly (Dekker's product, the
    split kept from being fused), `c + uh = th + tl` exactly, then `RN(th + RO(tl + ul))`."""
    with jax.enable_x64(True):
        def split(x):
            big = _unfused(jnp.float64(134217729.0) * x)
            high = big - (big - x)
            return high, x - high
        ah, al = split(a)
        bh, bl = split(b)
        uh = _unfused(a * b)
        ul = (((ah * bh - uh) + ah * bl) + al * bh) + al * bl
        th, tl = _two_sum(c, uh)
        v, error = _two_sum(tl, ul)
        bits = lax.bitcast_convert_type(v, jnp.uint64)
        away = (error > 0) == (v > 0)
        odd = jnp.where(away, bits + jnp.uint64(1), bits - jnp.uint64(1))
        v = jnp.where((error != 0) & ((bits & jnp.uint64(1)) == 0),
                      lax.bitcast_convert_type(odd, jnp.float64), v)
        return th + v


@partial(jax.jit, static_argnames=("shape", "dtype"))
def _uniform(key, minval, maxval, *, shape, dtype):
    """`raw * (maxval - minval) + minval` as TensorFlow 2.21's XLA CPU program computes it (what
    its recordings show): rounded once (a fused multiply-add) for float32 and float64, in the
    dtype's own arithmetic for the half types. (For float64 TensorFlow's own rounding depends on
    how XLA compiled the loop: see docs/xla.md.)"""
    raw = uniform_kernel(key, shape, dtype)
    with wide_types(dtype == "float64"):
        minval, maxval = jnp.asarray(minval, dtype), jnp.asarray(maxval, dtype)
        if dtype == "float32":
            return _fma32(raw, maxval - minval, minval)
        if dtype == "float64":
            return _fma64(raw, maxval - minval, minval)
        return raw * (maxval - minval) + minval


@partial(jax.jit, static_argnames=("shape", "dtype", "kind"))
def _normal(key, mean, stddev, *, shape, dtype, kind):
    kernel = normal_kernel if kind == "normal" else truncated_normal_kernel
    return _affine(kernel(key, shape, dtype), stddev, mean, dtype)


def draw_uniform(key, shape: tuple, dtype: str, minval, maxval):
    """`tf.random.stateless_uniform` (or a Generator's `uniform`) under XLA at `key`, after the
    checks of `keyrng.tf.check_uniform`: floats `raw * (maxval - minval) + minval` in `dtype`
    (float32 and float64 rounded once, see `_uniform`); integers as the CPU kernels
    (`keyrng.tf.draw_uniform`, `keyrng.tf.draw_full_int` for minval = maxval = None), with any
    bounds `check_int_bounds` passes: `minval + bits` when maxval - minval wraps to 0 (XLA's
    remainder by zero, which the CPU kernel's `keyrng._tf_kernels.uniform_int` also takes)."""
    if dtype in _UNIFORM_DTYPES:
        return _uniform(key, minval, maxval, shape=tuple(shape), dtype=dtype)
    from keyrng import _distributions
    if minval is None:
        return _tf_discrete.draw_full_int(key, tuple(shape), dtype)
    return _distributions.draw_uniform(key, tuple(shape), dtype, minval, maxval, eager=False)


def check_int_bounds(function: str, dtype: str, minval, maxval, size: int):
    """`keyrng.tf.check_int_bounds` as TensorFlow's XLA kernel takes the bounds: any pair, with
    no `minval < maxval` check. XLA's UniformIntDistribution computes `minval + bits % (maxval -
    minval)` in wrapping unsigned arithmetic (the CPU kernels' formula), so `minval > maxval`
    draws with the wrapped span and `minval == maxval` gives `minval + bits` (`draw_uniform`).
    Recorded: scenario xla_int_equal_bounds (tests/data/tf_xla_more_expected.json).

    >>> check_int_bounds("f", "int32", 5, 5, 3)
    (5, 5)
    """
    from keyrng import _distributions
    return _distributions._int_bounds(function, dtype, minval, maxval, 0)


def draw_normal(kind: str, key, shape: tuple, dtype: str, mean, stddev):
    """`tf.random.stateless_normal` / `stateless_truncated_normal` (by `kind`: "normal" or
    "truncated_normal") under XLA at `key`: `raw * stddev + mean` in `dtype`."""
    return _normal(key, mean, stddev, shape=tuple(shape), dtype=dtype, kind=kind)


@partial(jax.jit, static_argnames=("noise_shape", "dtype"))
def _dropout(key, x, rate, scale, *, noise_shape, dtype):
    raw = uniform_kernel(key, noise_shape, dtype)
    return _tf_discrete._apply_dropout(x, raw, rate, scale)


def draw_dropout(key, x, rate, noise_shape):
    """`tf.nn.experimental.stateless_dropout` under XLA: the CPU rule (`keyrng.tf.draw_dropout`)
    on XLA's uniform values."""
    dtype = x.dtype
    rate_x = np.asarray(rate).astype(dtype)
    scale_x = np.asarray(1 / (1 - rate)).astype(dtype)
    return _dropout(key, x, rate_x, scale_x, noise_shape=tuple(noise_shape), dtype=dtype.name)


@partial(jax.jit, static_argnames=("num_samples", "dtype"))
def _categorical(key, logits, *, num_samples, dtype):
    batch, classes = logits.shape
    rng = "float64" if logits.dtype == jnp.float64 else "float32"
    shape = (batch, classes) if num_samples == 1 else (batch, num_samples, classes)
    with wide_types(rng == "float64" or dtype == "int64"):
        t = jnp.dtype(rng)
        u = _unit(key, math.prod(shape), rng).reshape(shape) + jnp.asarray(_TINY[rng], t)
        log_uniforms = jnp.log(-jnp.log(u)).astype(logits.dtype)
        if num_samples == 1:
            entries = logits - log_uniforms
            return jnp.argmax(entries, axis=1).astype(dtype).reshape(batch, 1)
        entries = logits[:, None, :] - log_uniforms
        return jnp.argmax(entries, axis=2).astype(dtype)


def draw_categorical(key, logits, num_samples: int, dtype: str):
    """`tf.random.stateless_categorical` under XLA (tf2xla's StatelessMultinomial): the Gumbel-max
    trick, `argmax(logits - log(-log(u)))` over the classes (the first maximum), with one uniform
    value `u` in [tiny, 1) per batch row, sample and class, drawn for the shape
    `[batch, num_samples, classes]` (`[batch, classes]` for one sample) in float32 (float64 for
    float64 logits). `key` is the position of `stateless_key(seed)`; `logits` a 2-d float array
    (as `keyrng.tf.check_categorical` returns it)."""
    return _categorical(key, logits, num_samples=int(num_samples), dtype=dtype)
