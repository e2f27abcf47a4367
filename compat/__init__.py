"""compat: TensorFlow's implicit random seeding, with TensorFlow's exact numbers, on keyrng.

Where TensorFlow code wrote `tf.random.set_seed(1234); tf.random.uniform([1])`, write
`compat.set_seed(1234); compat.uniform([1])` and get TensorFlow 2.x's CPU values.

The seed rules (TensorFlow's `random_seed.py`; written down here once, and in docs/semantics.md)
-------------------------------------------------------------------------------------------------
Every random op gets a pair `(seed, seed2)`; `keyrng.tf_seed_pair` computes it.

1. Global seed only (`set_seed(g)`, no `seed=`): each eager call draws an op seed from
   `random.Random(g).randint(0, 2**31 - 1)`, in call order; the pair is `(g % M, op % M)` with
   `M = 2**31 - 1`.
2. Op seed only: `(87654321, op % M)` (TensorFlow's DEFAULT_GRAPH_SEED).
3. Both: `(g % M, op % M)`.
4. Neither: fresh OS entropy on every call.
The pair `(0, 0)` becomes `(0, 2**31 - 1)`.

Kernels and counters: every `(op, dtype, shape dtype, seed, seed2)` is one kernel with a Philox
counter that starts at block 0 and moves forward by N*256 blocks per call of N values (a shape
change shares the counter; a dtype change does not). `set_seed` resets every kernel, including
those of compiled functions. A call draws from `keyrng.tf_key(seed, seed2, offset)`.

A rejected call (bad shape, dtype, bounds or seed) changes nothing: no op seed is drawn and no
counter moves.
"""

from compat._checkpoint import get_state as get_state
from compat._checkpoint import set_state as set_state
from compat._trace_keys import TensorSpec as TensorSpec
from compat._function import function as function  # tf.function's random semantics on jax.jit
from compat._ops import enable_op_determinism as enable_op_determinism
from compat._ops import get_seed as get_seed
from compat._ops import normal as normal
from compat._ops import set_seed as set_seed
from compat._ops import truncated_normal as truncated_normal
from compat._ops import uniform as uniform
from compat._state import reset as reset
from compat._discrete_ops import categorical as categorical
from compat._discrete_ops import dropout as dropout
from compat._stateless_ops import fold_in as fold_in
from compat._discrete_ops import shuffle as shuffle
from compat._stateless_ops import split as split
from compat._stateless_ops import stateless_normal as stateless_normal
from compat._stateless_ops import stateless_truncated_normal as stateless_truncated_normal
from compat._stateless_ops import stateless_uniform as stateless_uniform
# binomial area
from compat._binomial_ops import stateless_binomial as stateless_binomial
from compat._binomial_ops import stateless_categorical as stateless_categorical
from compat._generator import Generator as Generator
from compat._generator import create_rng_state as create_rng_state
from compat._generator import get_global_generator as get_global_generator
from compat._generator import set_global_generator as set_global_generator

from compat import nn as nn
# gamma / poisson area: tf.random.gamma, poisson, stateless_gamma, stateless_poisson.
from compat._gamma_ops import gamma as gamma
from compat._gamma_ops import poisson as poisson
from compat._gamma_ops import stateless_gamma as stateless_gamma
from compat._gamma_ops import stateless_poisson as stateless_poisson
# end gamma / poisson area

# --- Keras 3 (compat.keras.use_tensorflow_numbers); imports keras only when called. Not in __all__,
# so `from compat import *` never shadows a user's `keras`.
from compat import keras as keras
# --- end Keras 3
# tf.data (compat/data.py)
from compat import data as data
# end tf.data
# --- shuffles and candidate samplers (compat/experimental.py, compat/_samplers.py) ---
from compat import experimental as experimental
from compat.experimental import Algorithm as Algorithm
from compat._samplers import all_candidate_sampler as all_candidate_sampler
from compat._samplers import fixed_unigram_candidate_sampler as fixed_unigram_candidate_sampler
from compat._samplers import learned_unigram_candidate_sampler as learned_unigram_candidate_sampler
from compat._samplers import log_uniform_candidate_sampler as log_uniform_candidate_sampler
from compat._samplers import uniform_candidate_sampler as uniform_candidate_sampler
# --- end shuffles and candidate samplers ---
from compat import image as image  # tf.image random augmentation
# --- parameterized truncated normal (compat/_ptn_ops.py) ---
from compat._ptn_ops import stateless_parameterized_truncated_normal as stateless_parameterized_truncated_normal
# --- end parameterized truncated normal ---

import jax.numpy as _jnp

TF_VERSION = "2.21.0"
"""The TensorFlow release whose numbers compat reproduces (its CPU kernels; recorded in tests/data)."""

float16 = _jnp.float16
bfloat16 = _jnp.bfloat16
float32 = _jnp.float32
float64 = _jnp.float64
int32 = _jnp.int32
int64 = _jnp.int64

__all__ = [
    # shuffles and candidate samplers
    "Algorithm", "all_candidate_sampler", "experimental", "fixed_unigram_candidate_sampler",
    "learned_unigram_candidate_sampler", "log_uniform_candidate_sampler", "uniform_candidate_sampler",
    # the rest
    "Generator",
    "TF_VERSION",
    "TensorSpec",
    "bfloat16",
    "categorical",
    "create_rng_state",
    "data",
    "dropout",
    "enable_op_determinism",
    "float16",
    "float32",
    "float64",
    "fold_in",
    "function",
    "get_global_generator",
    "get_seed",
    "get_state",
    "image",
    "int32",
    "int64",
    "nn",
    "normal",
    "reset",
    "set_global_generator",
    "set_seed",
    "shuffle",
    "split",
    "stateless_binomial",
    "stateless_categorical",
    "stateless_normal",
    "stateless_truncated_normal",
    "stateless_uniform",
    "set_state",
    "truncated_normal",
    "uniform",
]
# gamma / poisson area
__all__ += ["gamma", "poisson", "stateless_gamma", "stateless_poisson"]
# end gamma / poisson area
# parameterized truncated normal
__all__ += ["stateless_parameterized_truncated_normal"]
