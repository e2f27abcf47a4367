"""TensorFlow's random kernels and seed rules as pure functions: the namespace facades build on.

`compat` (TensorFlow's stateful seeding) is written against this module and keyrng's top level
only. Everything here is pure: a function of its arguments, with no state.

Seed rules and positions (TensorFlow's `random_seed.py`; the rules are written out in the compat
package docstring):

- `seed_pair(global_seed, op_seed)` — the `(seed, seed2)` attributes of a random op;
- `key(seed, seed2, offset)` — the Philox position of a stateful kernel after `offset` blocks
  (the same as `keyrng.tf_key`); `position_key(words)` wraps six uint32 words (traced or not);
- `stateless_key(function, seed)` — the position of TensorFlow's stateless ops for a seed;
- `rng_state(seed, alg)` — `tf.random.create_rng_state`, a Generator's int64 state.

tf.data's shuffle order (`Dataset.range(n).shuffle(buffer_size, seed).repeat(epochs)`):
`data_shuffle_order(seed, seed2, n, buffer_size, reshuffle_each_iteration, epochs)` for a
dataset's `(seed, seed2)`; `data_iterator_seeds` (its seed generator), `data_epoch_order` (one
shuffle iterator) and `DataShuffleCursor` (the same, lazily and resumable) are the parts.
`Dataset.random`: `data_random_order` / `data_random_values`; `sample_from_datasets`:
`data_sample_order` (its selections `data_sample_choices`, logits `data_sample_logits`, lazily
`DataSampleCursor`); `rejection_resample`: `data_resample_order` (with `data_resample_acceptance`,
`data_resample_estimates`, `data_stateful_uniform_calls`). docs/data.md has the rules.

Checks and draws, in pairs. A `check_*` function canonicalises the arguments of one TensorFlow op
and raises keyrng's error template (`keyrng.errors`) naming `function`, the public function the
user called; the matching `draw_*` function takes a typed key and the checked arguments and only
computes (jitted, compiled once per static shape, dtype and scaling mode). On a Philox key each
draw returns what TensorFlow 2.21's CPU kernel returns at the key's position; on a threefry key
it falls back to `jax.random`.

Counters: how far a stateful kernel moves TensorFlow's counter per call — N*256 blocks for N
values of uniform, normal and truncated normal, `shuffle_blocks` and `categorical_blocks` for
the others.

>>> import keyrng.tf as tfk
>>> tfk.seed_pair(None, 1)
(87654321, 1)
>>> shape, dtype, low, high = tfk.check_uniform("my.uniform", [3], "float32", 0, None)
>>> tfk.draw_uniform(tfk.key(87654321, 1), shape, dtype, low, high)
Array([0.2390374 , 0.92039955, 0.05051243], dtype=float32)
>>> tfk.check_uniform("my.uniform", [-1], "float32", 0, None)
Traceback (most recent call last):
...
ValueError: `my.uniform`: `shape` must be a sequence of non-negative ints; got [-1].
"""

from __future__ import annotations

import jax

from keyrng._checks import FLOAT_DTYPES as FLOAT_DTYPES
from keyrng._checks import INT_DTYPES as INT_DTYPES
from keyrng._checks import dtype_name as check_dtype
from keyrng._checks import integer as check_integer
from keyrng._checks import shape as check_shape
from keyrng._distributions import _bound as check_bound
from keyrng._distributions import _broadcast as check_broadcast
from keyrng._distributions import _int_bounds as check_int_bounds
from keyrng._distributions import check_normal as check_normal
from keyrng._distributions import check_uniform as check_uniform
from keyrng._distributions import EAGER_LADDER as EAGER_LADDER
from keyrng._distributions import compile_eager as compile_eager
from keyrng._distributions import draw_normal as draw_normal
from keyrng._distributions import draw_uniform as draw_uniform
from keyrng._distributions import philox_uniform_kernel as uniform_kernel
from keyrng._impl import PHILOX
from keyrng._keys import check_key as check_key
from keyrng._keys import tf_key as key
from keyrng._stateless import check_fold_in as check_fold_in
from keyrng._stateless import check_split as check_split
from keyrng._stateless import draw_fold_in as draw_fold_in
from keyrng._stateless import int64_values as int64_values
from keyrng._stateless import rng_state_words as rng_state_words
from keyrng._stateless import stateless_key as stateless_key
from keyrng._stateless import tf_rng_state as rng_state
from keyrng._tf_discrete import FULL_INT_DTYPES as FULL_INT_DTYPES
from keyrng._tf_discrete import _apply_dropout as apply_dropout
from keyrng._tf_discrete import categorical_blocks as categorical_blocks
from keyrng._tf_discrete import check_categorical as check_categorical
from keyrng._tf_discrete import check_dropout as check_dropout
from keyrng._tf_discrete import check_full_int_dtype as check_full_int_dtype
from keyrng._tf_discrete import check_value as check_value
from keyrng._tf_discrete import draw_categorical as draw_categorical
from keyrng._tf_discrete import draw_dropout as draw_dropout
from keyrng._tf_discrete import draw_full_int as draw_full_int
from keyrng._tf_discrete import draw_shuffle as draw_shuffle
from keyrng._tf_discrete import shuffle_blocks as shuffle_blocks
from keyrng._tf_kernels import wide_types as wide_types
# binomial area: StatelessRandomBinomial / StatefulRandomBinomial (keyrng/_tf_binomial.py)
from keyrng._tf_binomial import binomial as binomial
from keyrng._tf_binomial import binomial_blocks as binomial_blocks
from keyrng._tf_binomial import check_binomial as check_binomial
from keyrng._tf_binomial import draw_binomial as draw_binomial
# gamma / poisson area: RandomGamma, StatelessRandomGammaV3, RandomPoissonV2, StatelessRandomPoisson.
from keyrng._tf_gamma import GAMMA_DTYPES as GAMMA_DTYPES
from keyrng._tf_gamma import POISSON_DTYPES as POISSON_DTYPES
from keyrng._tf_gamma import blocks_used as gamma_blocks
from keyrng._tf_gamma import check_gamma as check_gamma
from keyrng._tf_gamma import check_poisson as check_poisson
from keyrng._tf_gamma import draw_gamma as draw_gamma
from keyrng._tf_gamma import draw_poisson as draw_poisson
from keyrng._tf_gamma import finish_gamma as finish_gamma
from keyrng._tf_gamma import gamma as gamma
from keyrng._tf_gamma import poisson as poisson
from keyrng._tf_gamma import rate_array as rate_array
# end gamma / poisson area
# tf.data's shuffle order (Dataset.shuffle + repeat; keyrng/_tf_data.py)
from keyrng._tf_data import ShuffleCursor as DataShuffleCursor
from keyrng._tf_data import check_sizes as check_data_sizes
from keyrng._tf_data import epoch_order as data_epoch_order
from keyrng._tf_data import iterator_seeds as data_iterator_seeds
from keyrng._tf_data import shuffle_order as data_shuffle_order
from keyrng._tf_data import stream_words as data_stream_words
from keyrng._tf_data import SampleCursor as DataSampleCursor
from keyrng._tf_data import random_order as data_random_order
from keyrng._tf_data import random_values as data_random_values
from keyrng._tf_data import sample_choices as data_sample_choices
from keyrng._tf_data import sample_logits as data_sample_logits
from keyrng._tf_data import sample_order as data_sample_order
from keyrng._tf_data import resample_acceptance as data_resample_acceptance
from keyrng._tf_data import resample_estimates as data_resample_estimates
from keyrng._tf_data import resample_order as data_resample_order
from keyrng._tf_data import stateful_uniform_calls as data_stateful_uniform_calls
# end tf.data
# --- shuffles and candidate samplers (keyrng/_tf_shuffle.py, keyrng/_tf_samplers.py) ---
from keyrng._tf_shuffle import INDEX_DTYPES as INDEX_DTYPES
from keyrng._tf_shuffle import block_bits as index_shuffle_block_bits
from keyrng._tf_shuffle import check_index_shuffle as check_index_shuffle
from keyrng._tf_shuffle import draw_index_shuffle as draw_index_shuffle
from keyrng._tf_samplers import SAMPLERS as SAMPLERS
from keyrng._tf_samplers import Sampler as Sampler
from keyrng._tf_samplers import check_candidate_sampler as check_candidate_sampler
from keyrng._tf_samplers import check_fixed_unigram as check_fixed_unigram
from keyrng._tf_samplers import draw_candidates as draw_candidates
from keyrng._tf_samplers import expm1f as expm1f
from keyrng._tf_samplers import learned_unigram_update as learned_unigram_update
from keyrng._tf_samplers import log1pf as log1pf
from keyrng._tf_samplers import sampler_blocks as sampler_blocks
from keyrng._tf_samplers import check_fixed_unigram_attrs as check_fixed_unigram_attrs
from keyrng._tf_samplers import draw_learned_unigram as draw_learned_unigram
from keyrng._tf_samplers import fixed_unigram as fixed_unigram
from keyrng._tf_samplers import learned_unigram_weights as learned_unigram_weights
from keyrng._tf_samplers import parse_float as parse_float
from keyrng._tf_samplers import read_vocab_file as read_vocab_file
# --- end shuffles and candidate samplers ---
# tf.image random augmentation (keyrng/_tf_image.py; compat.image builds on these).
from keyrng._tf_image import IMAGE_DTYPES as IMAGE_DTYPES
from keyrng._tf_image import adjust_brightness as adjust_brightness
from keyrng._tf_image import adjust_contrast as adjust_contrast
from keyrng._tf_image import adjust_hue as adjust_hue
from keyrng._tf_image import adjust_saturation as adjust_saturation
from keyrng._tf_image import check_crop as check_crop
from keyrng._tf_image import check_image as check_image
from keyrng._tf_image import check_sample_distorted_bounding_box as check_sample_distorted_bounding_box
from keyrng._tf_image import convert_image_dtype as convert_image_dtype
from keyrng._tf_image import crop as crop
from keyrng._tf_image import draw_sample_distorted_bounding_box as draw_sample_distorted_bounding_box
from keyrng._tf_image import flip as flip
from keyrng._tf_image import sdbb_blocks as sdbb_blocks
from keyrng._tf_seeds import DEFAULT_GRAPH_SEED as DEFAULT_GRAPH_SEED
from keyrng._tf_seeds import MAXINT32 as MAXINT32
from keyrng._tf_seeds import tf_seed_pair as seed_pair
from keyrng._tf_seeds import truncate_seed as truncate_seed

# --- parameterized truncated normal: StatelessParameterizedTruncatedNormal (keyrng/_tf_ptn.py) ---
from keyrng._tf_discrete import _eigen_parallel_for_blocks as parallel_for_block_size
from keyrng._tf_discrete import tf_cpu_threads as tf_cpu_threads
from keyrng._tf_ptn import PTN_DTYPES as PTN_DTYPES
from keyrng._tf_ptn import check_ptn as check_parameterized_truncated_normal
from keyrng._tf_ptn import draw_ptn as draw_parameterized_truncated_normal
from keyrng._tf_ptn import parameterized_truncated_normal as parameterized_truncated_normal
from keyrng._tf_ptn import ptn_cost as parameterized_truncated_normal_cost
from keyrng._tf_ptn import ptn_words as parameterized_truncated_normal_words
from keyrng._tf_ptn import shard_size as parameterized_truncated_normal_shard_size
_PTN_NAMES = ["PTN_DTYPES", "check_parameterized_truncated_normal", "draw_parameterized_truncated_normal",
              "parallel_for_block_size", "parameterized_truncated_normal", "parameterized_truncated_normal_cost",
              "parameterized_truncated_normal_shard_size", "parameterized_truncated_normal_words", "tf_cpu_threads"]
# --- end parameterized truncated normal ---

# --- XLA: TensorFlow's random ops under tf.function(jit_compile=True) (keyrng/_tf_xla.py) ---
from keyrng._tf_xla import check_int_bounds as xla_check_int_bounds
from keyrng._tf_xla import draw_categorical as xla_draw_categorical
from keyrng._tf_xla import draw_dropout as xla_draw_dropout
from keyrng._tf_xla import draw_normal as xla_draw_normal
from keyrng._tf_xla import draw_uniform as xla_draw_uniform
from keyrng._tf_xla import normal_kernel as xla_normal_kernel
from keyrng._tf_xla import stateless_key as xla_stateless_key
from keyrng._tf_xla import truncated_normal_kernel as xla_truncated_normal_kernel
from keyrng._tf_xla import uniform_kernel as xla_uniform_kernel
_XLA_NAMES = ["xla_check_int_bounds", "xla_draw_categorical", "xla_draw_dropout", "xla_draw_normal", "xla_draw_uniform", "xla_normal_kernel",
              "xla_stateless_key", "xla_truncated_normal_kernel", "xla_uniform_kernel"]
# --- end XLA ---


def position_key(words) -> jax.Array:
    """The typed Philox key of a position given as six uint32 words `[key0, key1, counter0..3]`
    (a numpy array, or a traced array inside compiled code).

    >>> import numpy as np, keyrng
    >>> keyrng.position(position_key(np.array([5, 0, 3, 0, 1, 0], np.uint32)))
    (5, 18446744073709551619)
    """
    return jax.random.wrap_key_data(words, impl=PHILOX)


__all__ = [
    "DEFAULT_GRAPH_SEED", "FLOAT_DTYPES", "FULL_INT_DTYPES", "INT_DTYPES", "MAXINT32",
    "apply_dropout", "categorical_blocks", "check_bound", "check_broadcast", "check_categorical", "check_dropout",
    "check_dtype", "check_fold_in", "check_full_int_dtype", "check_int_bounds", "check_integer",
    "check_key", "check_normal", "check_shape", "check_split", "check_uniform", "check_value",
    "draw_categorical", "draw_dropout", "draw_fold_in", "draw_full_int", "draw_normal",
    "draw_shuffle", "draw_uniform", "int64_values", "key", "position_key", "rng_state",
    "rng_state_words", "seed_pair", "shuffle_blocks", "stateless_key", "truncate_seed",
    "uniform_kernel", "wide_types",
    # eager draws' fixed kernels (keyrng._eager)
    "EAGER_LADDER", "compile_eager",
    # binomial area
    "binomial", "binomial_blocks", "check_binomial", "draw_binomial",
    # tf.data's shuffle order
    "DataShuffleCursor", "check_data_sizes", "data_epoch_order", "data_iterator_seeds",
    "data_shuffle_order", "data_stream_words",
    "DataSampleCursor", "data_random_order", "data_random_values", "data_sample_choices",
    "data_sample_logits", "data_sample_order", "data_resample_acceptance", "data_resample_estimates",
    "data_resample_order", "data_stateful_uniform_calls",
    # shuffles and candidate samplers
    "INDEX_DTYPES", "check_index_shuffle", "draw_index_shuffle", "index_shuffle_block_bits",
    "SAMPLERS", "Sampler", "check_candidate_sampler", "check_fixed_unigram", "draw_candidates", "expm1f",
    "learned_unigram_update", "log1pf", "sampler_blocks",
    "check_fixed_unigram_attrs", "draw_learned_unigram", "fixed_unigram", "learned_unigram_weights",
    "parse_float", "read_vocab_file",
    # tf.image random augmentation
    "IMAGE_DTYPES", "adjust_brightness", "adjust_contrast", "adjust_hue", "adjust_saturation",
    "check_crop", "check_image", "check_sample_distorted_bounding_box", "convert_image_dtype", "crop",
    "draw_sample_distorted_bounding_box", "flip", "sdbb_blocks",
]
# gamma / poisson area
__all__ += ["GAMMA_DTYPES", "POISSON_DTYPES", "check_gamma", "check_poisson", "draw_gamma", "draw_poisson",
            "finish_gamma", "gamma", "gamma_blocks", "poisson", "rate_array"]
# end gamma / poisson area
__all__ += _XLA_NAMES
__all__ += _PTN_NAMES  # parameterized truncated normal
# --- XLA, second part (keyrng/_tf_xla_ptn.py): parameterized truncated normal under jit_compile ---
from keyrng._tf_xla_ptn import check_xla_ptn as check_xla_parameterized_truncated_normal  # noqa: E402
from keyrng._tf_xla_ptn import xla_draw_ptn as xla_parameterized_truncated_normal  # noqa: E402
from keyrng._tf_threefry import bits32 as threefry_bits32  # noqa: E402
from keyrng._tf_threefry import bits64 as threefry_bits64  # noqa: E402
from keyrng._tf_threefry import draw_full_int as threefry_draw_full_int  # noqa: E402
from keyrng._tf_threefry import draw_normal as threefry_draw_normal  # noqa: E402
from keyrng._tf_threefry import draw_uniform as threefry_draw_uniform  # noqa: E402
from keyrng._tf_threefry import generator_position as threefry_generator_position  # noqa: E402
from keyrng._tf_threefry import normal_kernel as threefry_normal_kernel  # noqa: E402
from keyrng._tf_threefry import stateless_position as threefry_stateless_position  # noqa: E402
from keyrng._tf_threefry import threefry_2x32 as threefry_2x32  # noqa: E402
from keyrng._tf_threefry import truncated_normal_kernel as threefry_truncated_normal_kernel  # noqa: E402
from keyrng._tf_threefry import uniform_kernel as threefry_uniform_kernel  # noqa: E402
__all__ += ["check_xla_parameterized_truncated_normal", "xla_parameterized_truncated_normal", "threefry_2x32", "threefry_bits32", "threefry_bits64",
            "threefry_draw_full_int", "threefry_draw_normal", "threefry_draw_uniform",
            "threefry_generator_position", "threefry_normal_kernel", "threefry_stateless_position",
            "threefry_truncated_normal_kernel", "threefry_uniform_kernel"]
# --- end XLA, second part ---
