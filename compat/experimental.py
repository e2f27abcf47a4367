"""`tf.random.experimental`: the stateless shuffles, and the names it shares with `tf.random`.

TensorFlow 2.21's `tf.random.experimental` holds `Algorithm`, `Generator`, `create_rng_state`,
`get_global_generator`, `set_global_generator`, `index_shuffle`, `stateless_fold_in`,
`stateless_shuffle` and `stateless_split`. `stateless_split` and `stateless_fold_in` are the very
functions `tf.random.split` and `tf.random.fold_in` (one function exported under two names), and
the Generator names are `tf.random`'s; here they are compat's same objects. What is new:

- `stateless_shuffle(value, seed, alg)`: StatelessShuffle, RandomShuffle's Fisher-Yates at the
  stateless position of `seed` (`keyrng.tf.draw_shuffle(keyrng.tf_stateless_key(seed), value)`);
- `index_shuffle(index, seed, max_index)`: RandomIndexShuffle, a Simon cipher with 4 rounds
  (`keyrng.tf.draw_index_shuffle`). No Philox, no state.

Neither has state, so both work eagerly and inside `compat.function` alike.
"""

from __future__ import annotations

import enum
from typing import Any

import jax

import keyrng
from keyrng.typing import ArrayLike, StatelessSeed

from compat import _stateless_ops
from compat._generator import Generator as Generator
from compat._generator import create_rng_state as create_rng_state
from compat._generator import get_global_generator as get_global_generator
from compat._generator import set_global_generator as set_global_generator
from compat._stateless_ops import fold_in as stateless_fold_in
from compat._stateless_ops import split as stateless_split

__all__ = ["Algorithm", "Generator", "create_rng_state", "get_global_generator", "index_shuffle",
           "set_global_generator", "stateless_fold_in", "stateless_shuffle", "stateless_split"]


class Algorithm(enum.Enum):
    """`tf.random.Algorithm` (`tf.random.experimental.Algorithm`): the RNG algorithm ids. compat
    runs TensorFlow's CPU kernels, which have Philox only: PHILOX and AUTO_SELECT are accepted
    wherever an `alg` is, THREEFRY is refused."""
    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


def stateless_shuffle(value: ArrayLike, seed: StatelessSeed, alg: Any = "auto_select",
                      name: str | None = None) -> jax.Array:
    """`tf.random.experimental.stateless_shuffle`: `value` shuffled along its first axis, the
    same for the same seed. TensorFlow's example:

    >>> import compat, jax.numpy as jnp
    >>> compat.experimental.stateless_shuffle(jnp.array([[1, 2], [3, 4], [5, 6]]), seed=[8, 9])
    Array([[5, 6],
           [1, 2],
           [3, 4]], dtype=int32)

    Stands for `keyrng.tf.draw_shuffle(keyrng.tf_stateless_key(seed), value)` (StatelessShuffle is
    RandomShuffle's algorithm at the stateless position).
    """
    function = "compat.experimental.stateless_shuffle"
    value = keyrng.tf.check_value(function, value)
    _stateless_ops.check_alg(function, alg)
    key, _ = keyrng.tf.stateless_key(function, seed)
    return keyrng.tf.draw_shuffle(key, value)


def index_shuffle(index: Any, seed: Any, max_index: Any) -> jax.Array:
    """`tf.random.experimental.index_shuffle`: the position of `index` in the permutation of
    `[0, ..., max_index]` that `seed` picks. Scalars, or vectors of one length (seed `[n, 2]`),
    broadcast; the result has `index`'s dtype. TensorFlow's examples:

    >>> import compat, jax.numpy as jnp
    >>> compat.experimental.index_shuffle(jnp.arange(4), seed=[5, 9], max_index=3)
    Array([2, 0, 1, 3], dtype=int32)
    >>> compat.experimental.index_shuffle(jnp.arange(10), [5, 8], 9).tolist()
    [3, 8, 0, 1, 2, 7, 6, 9, 4, 5]

    Stands for `keyrng.tf.draw_index_shuffle(*keyrng.tf.check_index_shuffle(name, index, seed,
    max_index))` (a Simon cipher, 4 rounds, cycle-walking to `[0, max_index]`).
    """
    function = "compat.experimental.index_shuffle"
    return keyrng.tf.draw_index_shuffle(*keyrng.tf.check_index_shuffle(function, index, seed, max_index))
