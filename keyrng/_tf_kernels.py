"""TensorFlow's CPU random kernels as pure functions of an explicit Philox position.

Each kernel takes the position as words — `key` (two uint32) and `counter` (four uint32, least
significant first) — plus a static shape and dtype, and returns exactly what TensorFlow 2.x's CPU
kernel returns when its generator sits at that position (`TF_RANDOM_SPEC.md` §4–§5):

- `uniform`: RandomUniform; one block per group of 4 values (2 for float64).
- `uniform_int`: RandomUniformInt in [minval, maxval); `lo + bits % (hi - lo)`, biased as TF's is.
- `normal`: RandomStandardNormal; Box–Muller on glibc-faithful `logf`/`sincosf` (`log`/`sincos`
  for float64); half types round the float32 result.
- `truncated_normal`: TruncatedNormal; group i reads blocks from `counter + i*256` (`i*128` for
  float64) and keeps the first values with |x| < 2.

and `scale_uniform` / `scale_normal`, TensorFlow's Python-level scaling, op by op.
"""

from __future__ import annotations

import contextlib
import math

import jax
import jax.numpy as jnp
from jax import lax

from keyrng import _bits, _libm, _stream


_TWO_PI = 2.0 * math.pi
_GROUP = {"float16": 4, "bfloat16": 4, "float32": 4, "float64": 2, "int32": 4, "int64": 2}


def wide_types(needed: bool):
    """64-bit types for the block below when `needed` (jax's x64 mode stays as it is otherwise)."""
    return jax.enable_x64(True) if needed else contextlib.nullcontext()


def _fill(groups_to_values, key, counter, shape, group_size, finish=None):
    """Run `groups_to_values` on the blocks of `shape`'s grid and lay the values out in TF's order.

    `finish` (elementwise) runs inside the same kernel; see `_stream.fill`.
    """
    layout = _stream.grid(shape, group_size)
    return layout.arrange(_stream.fill(groups_to_values, key, counter, layout, finish))


def uniform(key, counter, shape, dtype: str, finish=None):
    """RandomUniform: floats in [0, 1), then `finish` (elementwise, e.g. the scaling) if given."""
    if dtype == "float64":
        def convert(w):
            return (_bits.to_unit_double(w[0], w[1]), _bits.to_unit_double(w[2], w[3]))
        with jax.enable_x64(True):
            return _fill(convert, key, counter, shape, 2, finish)
    return _fill(lambda w: tuple(_bits.to_unit_float(x, dtype) for x in w), key, counter, shape, 4, finish)


def uniform_int(key, counter, shape, dtype: str, minval, maxval):
    """RandomUniformInt: `minval + bits % (maxval - minval)` with wrapping unsigned arithmetic."""
    if dtype == "int32":
        low = jnp.asarray(minval, jnp.int32).astype(jnp.uint32)
        span = jnp.asarray(maxval, jnp.int32).astype(jnp.uint32) - low

        def convert(w):
            return tuple(lax.bitcast_convert_type(low + x % span, jnp.int32) for x in w)
        return _fill(convert, key, counter, shape, 4)
    with jax.enable_x64(True):
        low = jnp.asarray(minval, jnp.int64).astype(jnp.uint64)
        span = jnp.asarray(maxval, jnp.int64).astype(jnp.uint64) - low

        def convert64(w):
            pairs = ((w[0], w[1]), (w[2], w[3]))
            return tuple(lax.bitcast_convert_type(low + ((b.astype(jnp.uint64) << 32) | a.astype(jnp.uint64)) % span,
                                                  jnp.int64) for a, b in pairs)
        return _fill(convert64, key, counter, shape, 2)


def _box_muller_parts(x0, x1):
    """TensorFlow's BoxMullerFloat before its last products: `(sin, cos, u2)` as float32."""
    u1 = _bits.to_unit_float(x0, "float32")
    u1 = jnp.where(u1 < jnp.float32(1.0e-7), jnp.float32(1.0e-7), u1)
    with jax.enable_x64(True):
        v1 = (jnp.float64(_TWO_PI) * _bits.to_unit_float(x1, "float32").astype(jnp.float64)).astype(jnp.float32)
    u2 = jnp.sqrt(jnp.float32(-2.0) * _libm.logf(u1))
    sin, cos = _libm.sincosf(v1)
    return sin, cos, u2


def box_muller_float(x0, x1):
    """TensorFlow's BoxMullerFloat: two words to two float32 normals (sin value first)."""
    sin, cos, u2 = _box_muller_parts(x0, x1)
    return sin * u2, cos * u2


def _box_muller_pairs(key, counter, layout, stride: int = 1, start: int = 0):
    """The float32 normals of blocks `counter + start + stride*i`, i the blocks of `layout`, as
    an array of shape `layout.rows + (2*m, 2)`: entry `[..., 2i + h, :]` is pair h of block i,
    sine value then cosine value (TensorFlow's order).

    One elementwise kernel over pairs: the logarithm and the sine/cosine run once per pair (XLA
    may keep `u2` in a kernel of its own, which then runs Philox again: cheap next to them).
    """
    first, second = _stream.pairs(key, counter, layout, stride, start)
    sin, cos, u2 = _box_muller_parts(first, second)
    column = lax.broadcasted_iota(jnp.int32, first.shape + (2,), first.ndim)
    return jnp.where(column == 0, sin[..., None], cos[..., None]) * u2[..., None]


def box_muller_double(x0, x1, x2, x3):
    """TensorFlow's BoxMullerDouble: four words to two float64 normals (sin value first)."""
    with jax.enable_x64(True):
        u1 = _bits.to_unit_double(x0, x1)
        u1 = jnp.where(u1 < 1.0e-7, jnp.float64(1.0e-7), u1)
        v1 = jnp.float64(_TWO_PI) * _bits.to_unit_double(x2, x3)
        u2 = jnp.sqrt(jnp.float64(-2.0) * _libm.log(u1))
        sin, cos = _libm.sincos(v1)
        return sin * u2, cos * u2


def _normal_block_float(w):
    return (*box_muller_float(w[0], w[1]), *box_muller_float(w[2], w[3]))


def normal(key, counter, shape, dtype: str, finish=None):
    """RandomStandardNormal, then `finish` (elementwise, e.g. the scaling) if given."""
    if dtype == "float64":
        with jax.enable_x64(True):
            return _fill(lambda w: box_muller_double(*w), key, counter, shape, 2, finish)

    layout = _stream.grid(shape, 4)

    def kernel(key, counter):
        values = _box_muller_pairs(key, counter, layout).astype(dtype)
        return values if finish is None else finish(values)
    return layout.arrange(_stream.separately(kernel, layout.count, key, counter))


# Truncated normal: blocks drawn per round. A float group needs 4 of the round's 4*R candidates to
# fall in (-2, 2) (each does with p = 0.954); with R = 3 a second round is needed about once per
# 2^32 groups, so the while loop below almost always runs its body once.
_ROUND_BLOCKS = {"float32": 3, "float64": 6}


def truncated_normal(key, counter, shape, dtype: str, finish=None):
    """TruncatedNormal: rejection of |x| >= 2 on the Box–Muller stream of each group, then
    `finish` (elementwise, e.g. the scaling) if given.

    float32 and the half types: the first round (3 blocks, 12 candidates per group) is computed
    for every group without a loop: one kernel per block makes the candidates pair by pair, one
    kernel keeps the first 4 with |x| < 2 of each group, leaving NaN where a group has fewer. If
    any value is NaN (about once per 2^32 groups, or when `finish` itself makes a NaN), the whole
    fill is made again by the loop below, which is always right.
    """
    wide = dtype == "float64"
    layout = _stream.grid(shape, 2 if wide else 4)
    if wide or layout.count < _stream.CONDITIONAL_FROM_BLOCKS:
        return layout.arrange(_truncated_normal_loop(key, counter, layout, dtype, finish))
    per_round = _ROUND_BLOCKS["float32"]
    groups = layout.rows + (layout.m,)

    def candidates(key, counter):
        return tuple(_box_muller_pairs(key, counter, layout, stride=256, start=t) for t in range(per_round))

    def first_accepted(rounds):
        # Candidate 4t + j of a group is value j of its block t; value k of the group is the
        # accepted candidate with k accepted before it.
        column = lax.broadcasted_iota(jnp.int32, groups + (4,), len(groups))
        filled = jnp.zeros(groups, jnp.int32)
        out = jnp.full(groups + (4,), jnp.nan, jnp.float32)
        for values in rounds:
            values = values.reshape(groups + (4,))
            for j in range(4):
                value = values[..., j]
                accept = jnp.abs(value) < jnp.float32(2.0)
                out = jnp.where(accept[..., None] & (filled[..., None] == column), value[..., None], out)
                filled = filled + accept.astype(jnp.int32)
        out = out.astype(dtype)
        return out if finish is None else finish(out)

    # Each step behind its own conditional: XLA would otherwise fuse the selection into the NaN
    # test and into the output separately, computing it twice.
    count = layout.count
    values = _stream.separately(first_accepted, count, _stream.separately(candidates, count, key, counter))

    def again(values):
        return _truncated_normal_loop(key, counter, layout, dtype, finish)
    return layout.arrange(lax.cond(jnp.any(jnp.isnan(values)), again, lambda v: v, values))


def _truncated_normal_loop(key, counter, layout, dtype: str, finish=None):
    """TruncatedNormal by rounds of a `while_loop` until every group is full (any dtype), as an
    array of shape `layout.rows + (layout.m, group size)`."""
    wide = dtype == "float64"
    group_size = 2 if wide else 4
    stride = 128 if wide else 256
    per_round = _ROUND_BLOCKS["float64" if wide else "float32"]
    groups = layout.rows + (layout.m,)
    limit = 2.0

    def candidates(round_index):
        out = []
        for t in range(per_round):
            start = round_index * per_round + t
            w = _stream.blocks(key, counter, layout, stride=stride, start=start)
            out.extend(box_muller_double(*w) if wide else _normal_block_float(w))
        return out

    def absorb(state, values):
        filled, outs = state[0], list(state[1])
        for value in values:
            accept = (jnp.abs(value) < limit) & (filled < group_size)
            for slot in range(group_size):
                outs[slot] = jnp.where(accept & (filled == slot), value, outs[slot])
            filled = filled + accept.astype(jnp.int32)
        return filled, tuple(outs)

    def body(state):
        filled, outs, round_index = state
        filled, outs = absorb((filled, outs), candidates(round_index))
        return filled, outs, round_index + 1

    def more(state):
        return jnp.any(state[0] < group_size)

    with wide_types(wide):
        float_type = jnp.float64 if wide else jnp.float32
        init = (jnp.zeros(groups, jnp.int32),
                tuple(jnp.zeros(groups, float_type) for _ in range(group_size)),
                jnp.uint32(0))
        _, outs, _ = lax.while_loop(more, body, init)
        values = _stream.side_by_side(outs).astype(dtype)
        return values if finish is None else finish(values)


# --- Python-level scaling (tensorflow/python/ops/random_ops.py) ---------------------------------

def opaque_false(word):
    """False for every uint32 `word`, but neither XLA nor LLVM can prove it (they know no number
    theory): an odd square is 1 modulo 8, so its bit 2 is always clear."""
    odd = jnp.asarray(word, jnp.uint32) | jnp.uint32(1)
    return ((odd * odd) & jnp.uint32(4)) != 0


def _separate_add(product, offset, raw, hidden=None):
    """`product + offset` rounded as two operations, never fused into one multiply-add.

    XLA:CPU lets LLVM contract `a*b + c` into an FMA, which rounds once; TensorFlow rounds the
    product first. Or-ing an opaque runtime zero (non-zero only for a NaN, which stays a NaN) into
    the product's bits hides the multiply from the contraction. LLVM can prove that a sample made
    in the same kernel is never a NaN, and `offset` may be a compile-time constant inside an outer
    `jit`; `hidden` (`opaque_false` of a runtime key word) keeps the zero opaque then.
    """
    unsigned = {2: jnp.uint16, 4: jnp.uint32, 8: jnp.uint64}[product.dtype.itemsize]
    opaque = (raw != raw) | (offset != offset)
    if hidden is not None:
        opaque = opaque | hidden
    product = lax.bitcast_convert_type(lax.bitcast_convert_type(product, unsigned) | opaque.astype(unsigned),
                                       product.dtype)
    return product + offset


def scale_uniform(raw, minval, maxval, hidden=None):
    """TensorFlow's `tf.random.uniform` scaling of a raw [0, 1) float sample.

    Only when `minval` is the int 0 and `maxval` the int 1 is `raw` returned as it is; when
    `minval` is the int 0, `raw * maxval`; otherwise `raw * (maxval - minval) + minval`: three
    operations each rounded in the sample's dtype (`hidden`: see `_separate_add`).
    """
    dtype = raw.dtype
    with wide_types(dtype == jnp.float64):
        minval_is_zero = isinstance(minval, int) and minval == 0
        maxval_is_one = isinstance(maxval, int) and maxval == 1
        if minval_is_zero and maxval_is_one:
            return raw
        high = jnp.asarray(maxval, dtype)
        if minval_is_zero:
            return raw * high
        low = jnp.asarray(minval, dtype)
        return _separate_add(raw * (high - low), low, raw, hidden)


def scale_normal(raw, mean, stddev, hidden=None):
    """`raw * stddev + mean` in the sample's dtype, two roundings (TensorFlow's normal wrappers);
    `hidden`: see `_separate_add`."""
    dtype = raw.dtype
    with wide_types(dtype == jnp.float64):
        return _separate_add(raw * jnp.asarray(stddev, dtype), jnp.asarray(mean, dtype), raw, hidden)
