"""TensorFlow's layout of the Philox stream: block i of a fill is `counter0 + i`, and the values
made from each block land side by side in row-major order.

`grid` says which block makes which values of an output shape; `blocks` runs Philox for the
blocks of a grid; `fill` turns them into values laid out in TensorFlow's block-major
order. Everything that turns Philox words into values goes through these functions, so the layout
(which decides speed on XLA's CPU backend, and locality under sharding) lives in one place.

Why the layout is written the way it is (measured on XLA:CPU, jax 0.10.2; docs/performance.md):

- `jnp.stack(parts, -1).reshape(-1)` is 30-100x slower than the Philox arithmetic: XLA fuses the
  stack into a 1-D loop over outputs, and output e recomputes the whole block e // 4, or splits
  the work into one kernel per word.
- A `[blocks, k]` array built by a chain of selects on a column iota becomes a 2-D loop nest;
  LLVM unrolls the inner k, computes the block once and writes its k values with one store.
- The flattening reshape must stay *outside* that kernel, or XLA fuses it in and the loop is 1-D
  again. `lax.optimization_barrier` does not stop that fusion; a `lax.cond` does (a conditional's
  result is materialised). The predicate is an opaque true, unbatched under `vmap`, so the
  conditional stays a conditional there too; the other branch returns zeros (XLA compiles both
  branches, so a second copy of the kernel there would double its compile time).
- The blocks are indexed over the output's own leading dimensions (`grid`), not over one flat
  range: a `[rows, m, k]` kernel reshaped to `[rows, m*k]` keeps every dimension of the output a
  dimension of the kernel, so when `jax.jit` shards the output along any dimension the
  partitioner gives each device the blocks of its own slice. A flat `[blocks, k]` kernel
  reshaped to 2-D would be computed whole (or exchanged) on every device.
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import jax
import jax.numpy as jnp
from jax import lax

from keyrng import _philox

# Below this many blocks the kernel is too small for the layout to matter; the conditional would
# only add a few microseconds to every small eager call.
CONDITIONAL_FROM_BLOCKS = 256


# `start` is a small round number (a few blocks) in every caller; this bounds it for the check below.
_START_BOUND = 2**16


class Grid(NamedTuple):
    """Which block makes which values of an output `shape`, `k` values per block.

    The kernel computes values of shape `rows + (m, k)`; `index` gives the block number of each
    `[*r, i]` and `arrange` turns the values into `shape` in TensorFlow's order (value e of the
    flattened output is value e % k of block e // k). Three layouts (see `grid`):

    - flat: `rows` is (), blocks 0..m-1;
    - whole rows: block `n * m + i` at `[*r, i]`, n the row-major number of `r` in `rows`;
    - shifted rows (`shifted`): `rows` is `view[:-1]`; row n holds the m blocks from
      `(n * L) // k` on, and its values start `(n * L) % k` into them (L = `view[-1]`).
    """
    shape: tuple[int, ...]
    k: int
    rows: tuple[int, ...] = ()
    m: int = 0
    shifted: bool = False
    view: tuple[int, ...] = ()  # `shape` as rows of values, the shape the layout is made for

    @property
    def count(self) -> int:
        """Blocks computed for the fill."""
        return math.prod(self.rows) * self.m

    def _row_number(self, shape):
        """The row-major number in `rows` of each entry of an array of `shape` = rows + (j,)."""
        number = jnp.zeros(shape, jnp.uint32)
        stride = 1
        for axis in range(len(self.rows) - 1, -1, -1):
            number = number + lax.broadcasted_iota(jnp.uint32, shape, axis) * jnp.uint32(stride)
            stride *= self.rows[axis]
        return number

    def index(self, per_block: int = 1):
        """The block number of `per_block` consecutive entries per block, as a uint32 array of
        shape `rows + (per_block * m,)` (a sum of iotas, so it shards along every dimension)."""
        shape = self.rows + (per_block * self.m,)
        index = lax.broadcasted_iota(jnp.uint32, shape, len(self.rows))
        if per_block > 1:
            index = index // jnp.uint32(per_block)
        if not self.rows:
            return index
        if self.shifted:
            return index + self._row_number(shape) * jnp.uint32(self.view[-1]) // jnp.uint32(self.k)
        return index + self._row_number(shape) * jnp.uint32(self.m)

    def arrange(self, values):
        """Values of shape `rows + (m, k)` (or flat, `count * k`) as an array of `shape`."""
        if not self.rows:
            values = values.reshape(-1)
            size = math.prod(self.shape)
            return (values if values.shape[0] == size else values[:size]).reshape(self.shape)
        if not self.shifted:
            return values.reshape(self.shape)
        last = self.view[-1]
        wide = values.reshape(self.rows + (self.m * self.k,))
        offset = self._row_number(self.view) * jnp.uint32(last) % jnp.uint32(self.k)
        out = wide[..., :last]
        for o in range(1, self.k):
            out = jnp.where(offset == o, wide[..., o:o + last], out)
        return out.reshape(self.shape)


# Rows at least this long whose length is not a multiple of the block get the shifted layout:
# it computes at most 2k - 2 extra values per row and makes one more pass over the output.
SHIFTED_FROM = 128

# A one-dimensional output of n values is laid out as gcd(n, _FLAT_ROWS) rows, so that sharding it
# over any number of devices that divides those rows is local too (when its rows are long enough).
_FLAT_ROWS = 2**10


def grid(shape, k: int) -> Grid:
    """The grid of blocks for an output of `shape`, `k` values per block.

    The grid is sharded the way the output is, so that a device computes only the blocks of its
    own slice, as far as the shape allows. With L the output's last dimension and R the one
    before it:

    - L a multiple of k: rows of L / k blocks (a device's slice of the last dimension must then
      be a multiple of k values);
    - L at least `SHIFTED_FROM`: each row its own run of blocks, starting inside its first block
      (a device computes at most 2k - 2 values beyond its slice per row);
    - otherwise g = k / gcd(L, k) consecutive rows hold whole blocks: when g divides R, groups of
      g rows (a device's slice along dimension -2 must be a multiple of g rows).

    A one-dimensional output of n values is treated as `gcd(n, 1024)` rows when those rows hold at
    least `SHIFTED_FROM` values. Anything else runs over one flat range of blocks, and only slices
    of whole blocks in flat order are local.
    """
    shape = tuple(shape)
    size = math.prod(shape)
    view = shape
    if len(shape) == 1:
        r = math.gcd(size, _FLAT_ROWS)
        view = (r, size // r) if r > 1 and size // r >= SHIFTED_FROM else shape
    if len(view) >= 2 and size > 0:
        *outer, r, last = view
        g = k // math.gcd(last, k)
        if g > 1 and last >= SHIFTED_FROM:
            return Grid(shape, k, view[:-1], -(-(last + k - 1) // k), True, view)
        if r % g == 0:
            return Grid(shape, k, (*outer, r // g), g * last // k, False, view)
    return Grid(shape, k, (), -(-size // k))


def flat(count: int, k: int = 4) -> Grid:
    """`count` blocks in one range (values come out flat, `count * k` of them)."""
    return Grid((count * k,), k, (), count)


def _counters(counter, index, stride: int, start, count: int):
    """`counter + start + stride*index` for a uint32 array `index` of values below `count`."""
    if stride * count + _START_BOUND < 2**32:
        if stride != 1:
            index = index * jnp.uint32(stride)
        if start is not None:
            index = index + jnp.asarray(start, jnp.uint32)
        return _philox.add_small(counter, index)
    # A 64-bit step: TensorFlow skips with 64-bit counts, and truncated normal strides 256 blocks
    # per group of values.
    low = index * jnp.uint32(stride)
    high = _philox.mulhi(index, jnp.uint32(stride))
    if start is not None:
        moved = low + jnp.asarray(start, jnp.uint32)
        high = high + (moved < low).astype(jnp.uint32)
        low = moved
    zero = jnp.zeros_like(low)
    return _philox.add(counter, (low, high, zero, zero))


def blocks(key, counter, layout: Grid, stride: int = 1, start=None):
    """Words of blocks `counter + start + stride*i` for the blocks i of `layout`: four uint32
    arrays of shape `layout.rows + (layout.m,)`."""
    return _philox.block(key, _counters(counter, layout.index(), stride, start, layout.count))


def separately(kernel, count: int, *args):
    """`kernel(*args)`, behind a `lax.cond` (so XLA cannot fuse its result into the consumer's
    loop) when `count` blocks are enough for that to matter."""
    if count < CONDITIONAL_FROM_BLOCKS:
        return kernel(*args)
    always = lax.optimization_barrier(jnp.bool_(True))  # opaque, so XLA cannot inline the branch

    def never(*args):  # zeros of the kernel's types: the branch XLA compiles but never runs
        return jax.tree.map(lambda s: jnp.zeros(s.shape, s.dtype), jax.eval_shape(kernel, *args))
    return lax.cond(always, kernel, never, *args)


def side_by_side(parts):
    """An array of shape `parts[0].shape + (k,)` whose entry `[..., j]` is `parts[j][...]` (k
    arrays of one shape and dtype).

    Written as selects on a column iota rather than `jnp.stack`, so XLA keeps one loop nest.
    """
    shape = parts[0].shape + (len(parts),)
    column = lax.broadcasted_iota(jnp.int32, shape, len(shape) - 1)
    out = parts[-1][..., None]
    for j in range(len(parts) - 2, -1, -1):
        out = jnp.where(column == j, parts[j][..., None], out)
    return out


def fill(values: Callable, key, counter, layout: Grid, finish: Callable | None = None):
    """`values(blocks(key, counter, layout))` (k arrays, one value of each block) laid out as
    `layout.rows + (layout.m, k)`; `layout.arrange` makes the output of it.

    `finish`, if given, is an elementwise function applied to the values inside the same kernel
    (a dtype conversion, TensorFlow's scaling), so it costs no extra pass over memory. `values`
    may also return several groups of k arrays; each is laid out the same way and `finish` gets
    them all (how value j of a block reads words other than word j, elementwise).
    """
    def kernel(key, counter):
        out = values(blocks(key, counter, layout))
        if isinstance(out[0], tuple):
            return finish(*(side_by_side(group) for group in out))
        out = side_by_side(out)
        return out if finish is None else finish(out)

    return separately(kernel, layout.count, key, counter)


def words(key, counter, count: int):
    """The first `count` uint32 words of the stream at `(key, counter)`, in TensorFlow's order."""
    out = fill(lambda w: w, key, counter, flat(-(-count // 4))).reshape(-1)
    return out if out.shape[0] == count else out[:count]
