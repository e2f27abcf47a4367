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

from keyrng import _bits, _libm, _philox, _stream


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
    """RandomUniformInt: `minval + bits % (maxval - minval)` with wrapping unsigned arithmetic.
    The remainder is XLA's (`lax.rem`), as in TensorFlow's XLA lowering: by a zero span (equal
    bounds, which only TensorFlow's XLA accepts; the CPU kernels refuse them) it is `bits`."""
    if dtype == "int32":
        low = jnp.asarray(minval, jnp.int32).astype(jnp.uint32)
        span = jnp.asarray(maxval, jnp.int32).astype(jnp.uint32) - low

        def convert(w):
            return tuple(lax.bitcast_convert_type(low + lax.rem(x, span), jnp.int32) for x in w)
        return _fill(convert, key, counter, shape, 4)
    with jax.enable_x64(True):
        low = jnp.asarray(minval, jnp.int64).astype(jnp.uint64)
        span = jnp.asarray(maxval, jnp.int64).astype(jnp.uint64) - low

        def convert64(w):
            pairs = ((w[0], w[1]), (w[2], w[3]))
            return tuple(lax.bitcast_convert_type(low + lax.rem((b.astype(jnp.uint64) << 32) | a.astype(jnp.uint64), span),
                                                  jnp.int64) for a, b in pairs)
        return _fill(convert64, key, counter, shape, 2)


def _box_muller_parts(x0, x1):
    """TensorFlow's BoxMullerFloat before its square root and products: `(sin, cos, r2)` as
    float32, where `r2 = -2 logf(u1)` and the values are `sin * sqrt(r2)`, `cos * sqrt(r2)`."""
    u1 = _bits.to_unit_float(x0, "float32")
    u1 = jnp.where(u1 < jnp.float32(1.0e-7), jnp.float32(1.0e-7), u1)
    with jax.enable_x64(True):
        v1 = (jnp.float64(_TWO_PI) * _bits.to_unit_float(x1, "float32").astype(jnp.float64)).astype(jnp.float32)
    r2 = jnp.float32(-2.0) * _libm.logf(u1)
    sin, cos = _libm.sincosf_box_muller(v1)
    return sin, cos, r2


def box_muller_float(x0, x1):
    """TensorFlow's BoxMullerFloat: two words to two float32 normals (sin value first)."""
    sin, cos, r2 = _box_muller_parts(x0, x1)
    u2 = jnp.sqrt(r2)
    return sin * u2, cos * u2


def _box_muller_blocks(key, counter, layout, stride: int = 1, start: int | None = None):
    """The float32 normals of blocks `counter + start + stride*i`, i the blocks of `layout`, as
    an array of shape `layout.rows + (m, 4)` in TensorFlow's order: entry `[..., i, :]` is block
    i, its first pair (sine value, cosine value) then its second.

    One elementwise kernel over `[..., m, 4]` (`_stream.side_by_side`): LLVM unrolls the 4 columns
    and computes Philox once per block, `logf` and `sincosf` once per pair. The square root is taken
    after the per-pair `r2` is spread over the columns: XLA does not fuse an expensive op
    (`sqrt`) into a consumer that reads each of its values twice, and would make it a kernel of
    its own, which runs Philox again.
    """
    w = _stream.blocks(key, counter, layout, stride, start)
    sin0, cos0, r2_0 = _box_muller_parts(w[0], w[1])
    sin1, cos1, r2_1 = _box_muller_parts(w[2], w[3])
    column = lax.broadcasted_iota(jnp.int32, w[0].shape + (4,), w[0].ndim)
    r2 = jnp.where(column < 2, r2_0[..., None], r2_1[..., None])
    return _stream.side_by_side((sin0, cos0, sin1, cos1)) * jnp.sqrt(r2)


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
            return _fill(lambda w: box_muller_double(*w), key, counter, shape, 2, finish or rounded)

    layout = _stream.grid(shape, 4)

    def kernel(key, counter):
        values = _box_muller_blocks(key, counter, layout).astype(dtype)
        return rounded(values) if finish is None else finish(values)
    return layout.arrange(_stream.separately(kernel, layout.count, key, counter))


# Truncated normal: blocks drawn per round. A float group needs 4 of the round's 4*R candidates to
# fall in (-2, 2) (each does with p = 0.954); with R = 3 a second round is needed about once per
# 2^32 groups, so the while loop below almost always runs its body once. A float64 group needs 2
# of 2*R: with R = 2 about 4e-4 of groups need a second round (a large fill runs two rounds, 4
# blocks per group) and a third is needed about once per 3e8 groups; R = 6 (one round, 6
# blocks) made every group pay for 6 and measured slower. The values do not depend on R: every
# group takes its candidates in stream order and stops when full.
_ROUND_BLOCKS = {"float32": 3, "float64": 2}

# The loop-free round computes 2 blocks for every group: a float32 group (4 values) is short
# after them with P[at most 3 of 8 candidates accepted] = 9.4e-6, a float64 group (2 values) with
# P[at most 1 of 4] = 3.6e-4. The later blocks (float32: block 2, after which 2^-32 of groups are
# short; float64: blocks 2 and 3, after which 3e-9 are) are computed only for the first few
# groups of each row still short; a row with more of them than that sends the fill to the loop.
_FAST_BLOCKS = 2
_SHORT_AFTER_TWO = {"float32": 9.4e-6, "float64": 3.6e-4}
_LATER_BLOCKS = {"float32": (2,), "float64": (2, 3)}


def _row_first_block(layout):
    """The block number of each row's first group, as a uint32 array of shape `layout.rows + (1,)`
    (`Grid.index` of column 0, computed from the row numbers alone)."""
    if not layout.rows:
        return jnp.zeros((1,), jnp.uint32)
    number = layout._row_number(layout.rows + (1,))
    if layout.shifted:
        return number * jnp.uint32(layout.view[-1]) // jnp.uint32(layout.k)
    return number * jnp.uint32(layout.m)


def _later_block_slots(m: int, short: float) -> int | None:
    """Short groups per row of `m` groups that get their later blocks without the loop, each
    short with probability `short`: the mean plus 6 standard deviations, at least 2; None when
    that is more than 16 (rows of hundreds of thousands of groups, i.e. a long one-dimensional
    fill kept as one flat range: those run the loop)."""
    mean = m * short
    slots = max(2, int(math.ceil(mean + 6.0 * math.sqrt(mean) + 1)))
    return slots if slots <= 16 else None


def _box_muller_at(key, counter, index, count: int, start: int):
    """float32 normals of blocks `counter + start + 256*index` for a uint32 array `index` (values
    below `count`), as an array of shape `index.shape + (4,)` in TensorFlow's order."""
    w = _philox.block(key, _stream._counters(counter, index, 256, start, count))
    sin0, cos0, r2_0 = _box_muller_parts(w[0], w[1])
    sin1, cos1, r2_1 = _box_muller_parts(w[2], w[3])
    column = lax.broadcasted_iota(jnp.int32, w[0].shape + (4,), w[0].ndim)
    r2 = jnp.where(column < 2, r2_0[..., None], r2_1[..., None])
    return _stream.side_by_side((sin0, cos0, sin1, cos1)) * jnp.sqrt(r2)


def truncated_normal(key, counter, shape, dtype: str, finish=None, fallback: bool = True):
    """TruncatedNormal: rejection of |x| >= 2 on the Box–Muller stream of each group, then
    `finish` (elementwise, e.g. the scaling) if given.

    From `_stream.CONDITIONAL_FROM_BLOCKS` groups, 2 blocks per group (8 candidates for float32
    and the half types, 4 for float64) are computed for every group without a loop: one kernel
    per block makes the candidates, one kernel keeps the first 4 (2) with |x| < 2 of each group
    and computes the later blocks only for the first few groups of each row still short (about
    1e-5 of float32 groups, 4e-4 of float64 ones), leaving NaN where a group has fewer. If any
    value is NaN (a group short after the later blocks; more short groups in a row than
    `_later_block_slots`; or a NaN made by `finish` itself), the whole fill is made again by the
    loop below, which is always right.

    With `fallback` False the values come from the loop-free round alone, at any size, NaN where
    it left a group short; the program is a fraction of the size (no loop: it compiles about 4x
    faster), for a caller that sees the values and redoes a fill with a NaN (keyrng._eager).
    """
    wide = dtype == "float64"
    size = 2 if wide else 4  # values per group
    layout = _stream.grid(shape, size)
    per_row = _later_block_slots(layout.m, _SHORT_AFTER_TWO["float64" if wide else "float32"])
    if fallback and (layout.count < _stream.CONDITIONAL_FROM_BLOCKS or per_row is None):
        return layout.arrange(_truncated_normal_loop(key, counter, layout, dtype, finish))
    per_row = per_row or 16  # (no fallback) a long row gets 16 slots; more short groups stay NaN
    groups = layout.rows + (layout.m,)
    count = layout.count
    stride = 128 if wide else 256
    later = _LATER_BLOCKS["float64" if wide else "float32"]
    float_type = jnp.float64 if wide else jnp.float32

    def candidates(key, counter):
        if not wide:
            return tuple(_box_muller_blocks(key, counter, layout, stride=256, start=t) for t in range(_FAST_BLOCKS))
        return tuple(_stream.side_by_side(box_muller_double(*_stream.blocks(key, counter, layout, stride, t)))
                     for t in range(_FAST_BLOCKS))

    def first_accepted(key, counter, rounds):
        # Candidate size*t + j of a group is value j of its block t; value k of the group is the
        # accepted candidate with k accepted before it.
        column = lax.broadcasted_iota(jnp.int32, groups + (size,), len(groups))
        filled = jnp.zeros(groups, jnp.int32)
        out = jnp.full(groups + (size,), jnp.nan, float_type)

        def absorb(values, filled, out):
            for j in range(size):
                value = values[..., j]
                accept = jnp.abs(value) < float_type(2.0)
                out = jnp.where(accept[..., None] & (filled[..., None] == column), value[..., None], out)
                filled = filled + accept.astype(jnp.int32)
            return filled, out

        for values in rounds:
            filled, out = absorb(values, filled, out)
        # The later blocks for the first `per_row` groups of each row still short: found one
        # after another by a minimum along the row, computed at those blocks only, and spread back
        # over the row by position. More short groups in a row stay short (NaN).
        short = filled < size
        position = lax.broadcasted_iota(jnp.int32, groups, len(groups) - 1)
        picks, found = [], []
        for _ in range(per_row):
            # The first short position (m where none): a plain min-reduction; `argmax` is a
            # two-operand reduction that the partitioner gathered across devices under sharding.
            first = jnp.min(jnp.where(short, position, layout.m), axis=-1)
            found.append(first < layout.m)
            first = jnp.minimum(first, layout.m - 1)
            picks.append(first)
            short = short & (position != first[..., None])
        # The block of group i of a row is the row's first block + i (`Grid.index` counts along
        # the last axis); gathering from, or slicing, the whole index would make the
        # partitioner build it whole on every device.
        picked = _row_first_block(layout) + jnp.stack(picks, axis=-1).astype(jnp.uint32)
        for start in later:
            if wide:
                w = _philox.block(key, _stream._counters(counter, picked, stride, start, count))
                block_values = _stream.side_by_side(box_muller_double(*w))
            else:
                block_values = _box_muller_at(key, counter, picked, count, start)
            spread = jnp.full(groups + (size,), jnp.nan, float_type)
            for k in range(per_row):
                hit = (position == picks[k][..., None]) & found[k][..., None]
                spread = jnp.where(hit[..., None], block_values[..., k, None, :], spread)
            filled, out = absorb(spread, filled, out)
        out = out.astype(dtype)
        return rounded(out) if finish is None else finish(out)

    with wide_types(wide):
        # Each step behind its own conditional: XLA would otherwise fuse the selection into the
        # NaN test and into the output separately, computing it twice.
        values = _stream.separately(first_accepted, count, key, counter,
                                    _stream.separately(candidates, count, key, counter))
        if not fallback:
            return layout.arrange(values)

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
        return rounded(values) if finish is None else finish(values)


# --- Python-level scaling (tensorflow/python/ops/random_ops.py) ---------------------------------

def opaque_false(word):
    """False for every unsigned integer `word`, but neither XLA nor LLVM can prove it (they know
    no number theory): an odd square is 1 modulo 8, so its bit 2 is always clear."""
    word = jnp.asarray(word)
    odd = word | jnp.ones((), word.dtype)
    return ((odd * odd) & jnp.asarray(4, word.dtype)) != 0


def rounded(product):
    """`product` as a rounded value that LLVM cannot contract into a consumer's addition.

    A kernel's last multiply (Box–Muller's `sin * sqrt(r2)`, a scaling `raw * stddev`) can be
    fused by XLA into the code that uses the values — a user's `compat.normal(...) + x` inside
    compiled code — and LLVM then contracts the product and the user's addition into one
    multiply-add, rounded once, where TensorFlow rounds the product, stores it, and adds. Or-ing
    the product's bits with a zero LLVM cannot prove (`opaque_false` of the same bits) makes the
    value an integer operation's result, which no contraction reaches. Half types are rounded by
    their conversion already and pass through.
    """
    if product.dtype not in (jnp.float32, jnp.float64):
        return product
    unsigned = jnp.uint32 if product.dtype == jnp.float32 else jnp.uint64
    with wide_types(unsigned == jnp.uint64):
        bits = lax.bitcast_convert_type(product, unsigned)
        return lax.bitcast_convert_type(bits | opaque_false(bits).astype(unsigned), product.dtype)


def _separate_add(product, offset, raw):
    """`product + offset` rounded as two operations, never fused into one multiply-add.

    XLA:CPU lets LLVM contract `a*b + c` into an FMA, which rounds once; TensorFlow rounds the
    product first. Or-ing a zero that LLVM cannot prove to be zero into the product's bits hides
    the multiply from the contraction. The zero is `opaque_false` of the sample's and the
    product's own bits (added: not xor-ed, which is a known zero where the product is the sample,
    `raw * 1.0`): an opaque zero made from anything else can fail. LLVM proves
    that a sample made in the same kernel is never a NaN (so `raw != raw` is no use), and key
    words or bounds are compile-time constants when a `jit` closes over them, or inside a
    compat.function (so a zero made from them folds away). A zero made from the sample's bits
    alone was seen through in one kernel (float64 truncated normal, the 256-group eager kernel:
    805 of 65536 values contracted), where the sample is a chain of selects; one made from the
    product's bits too was not, in any kernel size. When the sample itself is a constant, so is
    the product, and LLVM folds the two operations one by one.
    """
    unsigned = {2: jnp.uint16, 4: jnp.uint32, 8: jnp.uint64}[product.dtype.itemsize]
    bits = lax.bitcast_convert_type(product, unsigned)
    opaque = opaque_false(lax.bitcast_convert_type(raw, unsigned) + bits).astype(unsigned)
    product = lax.bitcast_convert_type(bits | opaque, product.dtype)
    # The offset too: XLA's algebraic simplifier turns `x + 0` into `x` for a constant zero
    # offset (a compile-time constant inside a jit that closes over it), which keeps the sign of
    # a -0.0 product where IEEE addition (and TensorFlow) makes +0.0.
    offset = jnp.broadcast_to(jnp.asarray(offset, product.dtype), jnp.broadcast_shapes(jnp.shape(offset), opaque.shape))
    offset = lax.bitcast_convert_type(lax.bitcast_convert_type(offset, unsigned) | opaque, product.dtype)
    return product + offset


def scaling_mode(minval, maxval) -> str:
    """TensorFlow's `tf.random.uniform` rule, the one place it is written: the ints 0 and 1 skip
    the scaling ("raw"); a zero int minval skips the affine part ("times_maxval"); anything else
    is "affine". A bool is an int here, as in Python (`minval=False` is the int zero).

    >>> scaling_mode(0, 1), scaling_mode(0, 5.0), scaling_mode(0.0, 1)
    ('raw', 'times_maxval', 'affine')
    """
    minval_is_zero = isinstance(minval, int) and minval == 0
    maxval_is_one = isinstance(maxval, int) and maxval == 1
    if minval_is_zero and maxval_is_one:
        return "raw"
    return "times_maxval" if minval_is_zero else "affine"


def scale_uniform(raw, minval, maxval):
    """TensorFlow's `tf.random.uniform` scaling of a raw [0, 1) float sample.

    Only when `minval` is the int 0 and `maxval` the int 1 is `raw` returned as it is; when
    `minval` is the int 0, `raw * maxval`; otherwise `raw * (maxval - minval) + minval`: three
    operations each rounded in the sample's dtype.
    """
    dtype = raw.dtype
    with wide_types(dtype == jnp.float64):
        mode = scaling_mode(minval, maxval)
        if mode == "raw":
            return raw
        high = jnp.asarray(maxval, dtype)
        if mode == "times_maxval":
            return rounded(raw * high)
        low = jnp.asarray(minval, dtype)
        return _separate_add(raw * (high - low), low, raw)


def scale_normal(raw, mean, stddev):
    """`raw * stddev + mean` in the sample's dtype, two roundings (TensorFlow's normal wrappers);
    `raw * stddev` alone when `mean` is None (TensorFlow's graph optimizer drops the addition of a
    constant zero mean: the same values, except that a -0.0 product stays -0.0)."""
    dtype = raw.dtype
    with wide_types(dtype == jnp.float64):
        product = raw * jnp.asarray(stddev, dtype)
        return rounded(product) if mean is None else _separate_add(product, jnp.asarray(mean, dtype), raw)
