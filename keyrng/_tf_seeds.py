"""TensorFlow's seed rules (`tensorflow/python/framework/random_seed.py`), as pure functions.

The rules themselves are written down once, in the `compat` package docstring and in
`docs/semantics.md`; this module only computes them.
"""

from __future__ import annotations

import math
from typing import Any

from keyrng import _checks, _errors

DEFAULT_GRAPH_SEED = 87654321
MAXINT32 = 2**31 - 1


def truncate_seed(seed: int) -> int:
    """TensorFlow's `_truncate_seed`: `seed % (2**31 - 1)` (Python's %, so never negative).

    >>> truncate_seed(-1), truncate_seed(2**31 - 1), truncate_seed(2**31), truncate_seed(2**40 + 5)
    (2147483646, 0, 1, 517)
    """
    return seed % MAXINT32


def _seed(value: Any, argument: str) -> int | None:
    if value is None or type(value) is int:  # the common case, from compat's seed rules
        return value
    return _checks.integer("keyrng.tf_seed_pair", argument, value, -math.inf, math.inf,
                           "an int or None")


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
    >>> tf_seed_pair(1.5, None)
    Traceback (most recent call last):
    ...
    TypeError: `keyrng.tf_seed_pair`: `global_seed` must be an int or None; got 1.5.
    """
    global_seed, op_seed = _seed(global_seed, "global_seed"), _seed(op_seed, "op_seed")
    if global_seed is not None:
        if op_seed is None:
            _errors.value_error("keyrng.tf_seed_pair", "op_seed", "an int when a global seed is set",
                                None, "Draw it as TensorFlow does (see compat.get_seed).")
        seeds = (truncate_seed(global_seed), truncate_seed(op_seed))
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, truncate_seed(op_seed))
    else:
        return None
    if seeds == (0, 0):
        return (0, MAXINT32)
    return seeds
