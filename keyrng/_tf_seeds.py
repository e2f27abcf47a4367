"""TensorFlow's seed rules (`tensorflow/python/framework/random_seed.py`), as pure functions.

The rules themselves are written down once, in the `compat` package docstring and in
`docs/semantics.md`; this module only computes them.
"""

from __future__ import annotations

DEFAULT_GRAPH_SEED = 87654321
MAXINT32 = 2**31 - 1


def truncate_seed(seed: int) -> int:
    """TensorFlow's `_truncate_seed`: `seed % (2**31 - 1)` (Python's %, so never negative).

    >>> truncate_seed(-1), truncate_seed(2**31 - 1), truncate_seed(2**31), truncate_seed(2**40 + 5)
    (2147483646, 0, 1, 517)
    """
    return seed % MAXINT32


def tf_seed_pair(global_seed: int | None, op_seed: int | None) -> tuple[int, int] | None:
    """The `(seed, seed2)` attributes TensorFlow gives a random op, or None when neither seed is
    set (TensorFlow then seeds the kernel from OS entropy).

    `op_seed` is the op's own seed or, when only a global seed is set, the op seed TensorFlow
    drew for it (eagerly: `random.Random(global_seed).randint(0, 2**31 - 1)`, in call order;
    inside a function: 0, 1, 2, ... per trace).

    >>> tf_seed_pair(None, 1)
    (87654321, 1)
    >>> tf_seed_pair(1234, 1)
    (1234, 1)
    >>> tf_seed_pair(0, 0)
    (0, 2147483647)
    >>> tf_seed_pair(None, None) is None
    True
    """
    if global_seed is not None:
        if op_seed is None:
            raise ValueError("`keyrng.tf_seed_pair`: `op_seed` must be an int when a global seed "
                             "is set; got None. Draw it as TensorFlow does (see compat.get_seed).")
        seeds = (truncate_seed(global_seed), truncate_seed(op_seed))
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, truncate_seed(op_seed))
    else:
        return None
    if seeds == (0, 0):
        return (0, MAXINT32)
    return seeds
