"""TensorFlow's layout of the Philox stream: block i of a fill is `counter0 + i`, and the four
words of each block land side by side in row-major order.

`blocks` runs Philox for a range of counters; `interleave` puts per-word arrays back in
TensorFlow's block-major order. Everything that turns Philox words into values goes through these
two functions, so the layout (which decides speed on XLA's CPU backend) lives in one place.
"""

from __future__ import annotations

import jax.numpy as jnp
from jax import lax

from keyrng import _philox


def blocks(key, counter, count: int, stride: int = 1, start=None):
    """Words of blocks `counter + start + stride*i` for i in [0, count): four uint32 arrays."""
    index = lax.iota(jnp.uint32, count)
    if stride != 1:
        index = index * jnp.uint32(stride)
    if start is not None:
        index = index + jnp.asarray(start, jnp.uint32)
    return _philox.block(key, _philox.add_small(counter, index))


def interleave(parts):
    """Put `parts` (k arrays of shape [n]) in block-major order: a flat array of k*n values."""
    return jnp.stack(parts, axis=-1).reshape(-1)


def words(key, counter, count: int):
    """The first `count` uint32 words of the stream at `(key, counter)`, in TensorFlow's order."""
    n_blocks = -(-count // 4)
    return interleave(blocks(key, counter, n_blocks))[:count]
