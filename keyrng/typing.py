"""Type aliases for keyrng's and compat's signatures, in the manner of `jax.typing`.

They say what a parameter accepts; the functions check at run time and raise keyrng's error
template (`keyrng.errors`) for anything else.

>>> from keyrng.typing import Shape
>>> def zeros(shape: Shape): ...
"""

from __future__ import annotations

from typing import Sequence, Union

import jax
import numpy as np
from jax.typing import ArrayLike, DTypeLike

Key = jax.Array
"""A typed key of shape () (`keyrng.seed`, `jax.random.key`, `keyrng.tf_key`)."""

Shape = Union[Sequence[int], int, ArrayLike]
"""An output shape: a sequence of non-negative ints (a list, a tuple, a 1-d integer array), or one int."""

SeedLike = Union[int, np.integer, str, bytes, ArrayLike]
"""A seed for `keyrng.seed`: an int of any size, a numpy integer, a 0-d integer array, a str or bytes."""

OpSeed = Union[int, np.integer, ArrayLike, None]
"""TensorFlow's global or op seed: an int (any size), a numpy integer, a 0-d integer array, or None."""

StatelessSeed = Union[Sequence[int], ArrayLike]
"""TensorFlow's stateless seed: a pair of ints, or an integer array of shape [2]."""

RealLike = Union[int, float, np.number, ArrayLike]
"""A bound, mean or standard deviation: a real number or an array of them that broadcasts."""

__all__ = ["ArrayLike", "DTypeLike", "Key", "OpSeed", "RealLike", "SeedLike", "Shape", "StatelessSeed"]
