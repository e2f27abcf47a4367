"""keyrng: explicit, splittable JAX PRNG keys, and TensorFlow's Philox stream as a typed key.

    >>> import keyrng
    >>> key = keyrng.seed(1234)
    >>> encoder_dropout = keyrng.derive(key, "encoder", 3, "dropout")
    >>> keyrng.uniform(encoder_dropout, [2]).shape
    (2,)

Everything here is pure: no module-level mutable state, every result a function of its inputs.
The stateful TensorFlow facade lives in the separate `compat` package.
"""

from keyrng._distributions import normal as normal
from keyrng._distributions import truncated_normal as truncated_normal
from keyrng._distributions import uniform as uniform
from keyrng._impl import PHILOX as PHILOX
from keyrng._impl import impl_name as impl_name
from keyrng._keys import advance as advance
from keyrng._keys import derive as derive
from keyrng._keys import fold_in as fold_in
from keyrng._keys import philox_key as philox_key
from keyrng._keys import position as position
from keyrng._keys import seed as seed
from keyrng._keys import split as split
from keyrng._keys import tf_key as tf_key
from keyrng._tf_seeds import tf_seed_pair as tf_seed_pair
from keyrng._stateless import tf_stateless_fold_in as tf_stateless_fold_in
from keyrng._stateless import tf_stateless_key as tf_stateless_key
from keyrng._stateless import tf_stateless_split as tf_stateless_split
from keyrng._tf_discrete import categorical as categorical
from keyrng._tf_discrete import dropout as dropout
from keyrng._tf_discrete import shuffle as shuffle
from keyrng._tf_discrete import uniform_full_int as uniform_full_int
from keyrng import errors as errors  # noqa: E402  the error template, for libraries on keyrng
from keyrng import philox as philox  # noqa: E402  Philox4x32-10 and 128-bit counter words
from keyrng import tf as tf  # noqa: E402  TensorFlow's kernels and seed rules (compat's base)
from keyrng import typing as typing  # noqa: E402  type aliases for signatures

__all__ = [
    "PHILOX",
    "advance",
    "categorical",
    "derive",
    "dropout",
    "errors",
    "fold_in",
    "impl_name",
    "normal",
    "philox",
    "philox_key",
    "position",
    "seed",
    "shuffle",
    "split",
    "tf",
    "tf_key",
    "tf_seed_pair",
    "tf_stateless_fold_in",
    "tf_stateless_key",
    "tf_stateless_split",
    "truncated_normal",
    "typing",
    "uniform",
    "uniform_full_int",
]

__version__ = "0.1.0"
