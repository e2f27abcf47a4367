"""TensorFlow's layout of the Philox stream: block i of a fill is `counter0 + i`, and the values
made from each block land side by side in row-major order.

`blocks` runs Philox for a range of counters; `fill` turns the blocks of a range into values and
lays them out in TensorFlow's block-major order. Everything that turns Philox words into values
goes through these functions, so the layout (which decides speed on XLA's CPU backend) lives in
one place.

Why the layout is written the way it is (measured on XLA:CPU, jax 0.10.2; docs/performance.md):

- `jnp.stack(parts, -1).reshape(-1)` is 30-100x slower than the Philox arithmetic: XLA fuses the
  stack into a 1-D loop over outputs, and output e recomputes the whole block e // 4, or splits
  the work into one kernel per word.
- A `[blocks, k]` array built by a chain of selects on a column iota becomes a 2-D loop nest;
  LLVM unrolls the inner k, computes the block once and writes its k values with one store.
- The flattening reshape must stay *outside* that kernel, or XLA fuses it in and the loop is 1-D
  again. `lax.optimization_barrier` does not stop that fusion; a `lax.cond` does (a conditional's
  result is materialised). Both branches are the same function; the predicate is an opaque true,
  unbatched under `vmap`, so the conditional stays a conditional there too.
"""

from __future__ import annotations

from typing import Callable

import jax.numpy as jnp
from jax import lax

from keyrng import _philox

# Below this many blocks the kernel is too small for the layout to matter; the conditional would
# only add a few microseconds to every small eager call.
CONDITIONAL_FROM_BLOCKS = 256


# `start` is a small round number (a few blocks) in every caller; this bounds it for the check below.
_START_BOUND = 2**16


def blocks(key, counter, count: int, stride: int = 1, start=None):
    """Words of blocks `counter + start + stride*i` for i in [0, count): four uint32 arrays.

    The block index is a 64-bit number when `stride*count` can reach 2**32 (TensorFlow skips with
    64-bit counts; truncated normal strides 256 blocks per group of values).
    """
    index = lax.iota(jnp.uint32, count)
    if stride * count + _START_BOUND < 2**32:
        if stride != 1:
            index = index * jnp.uint32(stride)
        if start is not None:
            index = index + jnp.asarray(start, jnp.uint32)
        return _philox.block(key, _philox.add_small(counter, index))
    low = index * jnp.uint32(stride)
    high = _philox.mulhi(index, jnp.uint32(stride))
    if start is not None:
        moved = low + jnp.asarray(start, jnp.uint32)
        high = high + (moved < low).astype(jnp.uint32)
        low = moved
    zero = jnp.zeros_like(low)
    return _philox.block(key, _philox.add(counter, (low, high, zero, zero)))


def pairs(key, counter, count: int, stride: int = 1, start: int = 0):
    """Word pairs of blocks `counter + start + stride*i`, i in [0, count): `(first, second)`, two
    uint32 arrays of [2*count] in which entry 2i holds words 0, 1 of block i and entry 2i+1 words
    2, 3 (TensorFlow's order of Box-Muller pairs).

    Philox runs once per pair (twice per block): a 1-D kernel over pairs keeps the expensive
    per-pair work (logarithm, sine and cosine) to one evaluation each, which costs far more than
    the second Philox.
    """
    q = lax.iota(jnp.uint32, 2 * count)
    i = q >> jnp.uint32(1)
    if stride * count + _START_BOUND < 2**32:
        w = _philox.block(key, _philox.add_small(counter, i * jnp.uint32(stride) + jnp.uint32(start)))
    else:
        low = i * jnp.uint32(stride)
        high = _philox.mulhi(i, jnp.uint32(stride))
        moved = low + jnp.uint32(start)
        high = high + (moved < low).astype(jnp.uint32)
        zero = jnp.zeros_like(low)
        w = _philox.block(key, _philox.add(counter, (moved, high, zero, zero)))
    second_half = (q & jnp.uint32(1)) != 0
    return jnp.where(second_half, w[2], w[0]), jnp.where(second_half, w[3], w[1])


def separately(kernel, count: int, *args):
    """`kernel(*args)`, behind a `lax.cond` (so XLA cannot fuse its result into the consumer's
    loop) when `count` blocks are enough for that to matter."""
    if count < CONDITIONAL_FROM_BLOCKS:
        return kernel(*args)
    always = lax.optimization_barrier(jnp.bool_(True))  # opaque, so XLA cannot inline the branch
    return lax.cond(always, kernel, kernel, *args)


def side_by_side(parts):
    """A `[n, k]` array whose column j is `parts[j]` (k arrays of shape [n], one dtype).

    Written as selects on a column iota rather than `jnp.stack`, so XLA keeps one 2-D loop.
    """
    column = lax.broadcasted_iota(jnp.int32, (parts[0].shape[0], len(parts)), 1)
    out = parts[-1][:, None]
    for j in range(len(parts) - 2, -1, -1):
        out = jnp.where(column == j, parts[j][:, None], out)
    return out


def fill(values: Callable, key, counter, count: int, finish: Callable | None = None):
    """`values(blocks(key, counter, count))` (k arrays of [count]) as a flat block-major array.

    `finish`, if given, is an elementwise function applied to the `[count, k]` values inside the
    same kernel (a dtype conversion, TensorFlow's scaling), so it costs no extra pass over memory.
    `values` may also return several groups of k arrays; each becomes a `[count, k]` array and
    `finish` gets them all (how value j of a block reads words other than word j, elementwise).
    """
    def kernel(key, counter):
        out = values(blocks(key, counter, count))
        if isinstance(out[0], tuple):
            return finish(*(side_by_side(group) for group in out))
        out = side_by_side(out)
        return out if finish is None else finish(out)

    return separately(kernel, count, key, counter).reshape(-1)


def words(key, counter, count: int):
    """The first `count` uint32 words of the stream at `(key, counter)`, in TensorFlow's order."""
    out = fill(lambda w: w, key, counter, -(-count // 4))
    return out if out.shape[0] == count else out[:count]
