"""TensorFlow's candidate samplers with its implicit seeding: `uniform_candidate_sampler`,
`log_uniform_candidate_sampler`, `learned_unigram_candidate_sampler`,
`fixed_unigram_candidate_sampler` and `all_candidate_sampler` (tf.random.*, and tf.nn.* where
TensorFlow 2 has them).

Each is a stateful kernel with the seed rules of the `compat` package docstring (`_seeds.position`):
one kernel per op and attributes (`num_true`, `num_sampled`, `unique`, `range_max`, ...) and seed
pair, whose counter moves `512 * num_sampled` blocks per call (`keyrng.tf.sampler_blocks`:
ReserveSamples32 of 2048 words per candidate). `learned_unigram_candidate_sampler`'s kernel also
keeps its learned weights between calls (all 1 in a new kernel, +1 for each true class after a
call); `set_seed` and `reset` drop them with the counters, as TensorFlow drops its kernels
(`get_state` snapshots hold the counters, not the learned weights).

Each returns `(sampled_candidates int64 [num_sampled], true_expected_count float32
[batch, num_true], sampled_expected_count float32 [num_sampled])`, and stands for
`keyrng.tf.draw_candidates(keyrng.tf.key(seed, seed2, offset), sampler, true_classes,
num_sampled, unique)` (docs/samplers.md).
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

import keyrng
from keyrng.typing import OpSeed

from compat import _guard, _seeds, _state


# The learned unigram kernels' weights: {kernel key with seed pair: int64 weights}, for the state
# object and set_seed generation they belong to (set_seed and reset start afresh, as TensorFlow
# drops its kernels). They are not part of compat.get_state's snapshot.
_learned: dict = {"owner": None, "weights": {}}


def _learned_weights() -> dict:
    owner = (id(_state.state), _state.state.generation)
    if _learned["owner"] != owner:
        _learned["owner"], _learned["weights"] = owner, {}
    return _learned["weights"]


def _run(function: str, op: str, sampler, true_classes, num_true, num_sampled, unique, seed, attrs=()):
    # Kernel keys hold only strings and ints (compat.get_state / set_state write them out).
    kernel = (op, "int64", num_true, num_sampled, int(unique), sampler.range_max, *attrs)
    words = _seeds.position(function, kernel, seed, keyrng.tf.sampler_blocks(num_sampled))
    return keyrng.tf.draw_candidates(words, sampler, true_classes, num_sampled, unique)


def uniform_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int, unique: bool, range_max: int,
                              seed: OpSeed = None, name: str | None = None):
    """`tf.random.uniform_candidate_sampler`: `num_sampled` classes drawn uniformly from
    `[0, range_max)` (distinct ones when `unique`), and the expected counts of the true and the
    sampled classes.

    >>> import compat
    >>> sampled, true_count, sampled_count = compat.uniform_candidate_sampler(
    ...     [[1], [2]], 1, 4, True, 10, seed=1)
    >>> sampled
    Array([1, 5, 4, 7], dtype=int64)
    >>> true_count   # 4 distinct classes took 5 tries: -expm1(5 * log1p(-0.1)), not 0.4
    Array([[0.40951002],
           [0.40951002]], dtype=float32)
    """
    function = "compat.uniform_candidate_sampler"
    op_seed = _seeds.check_seed(function, seed)
    true_classes, num_true, num_sampled, unique, range_max = keyrng.tf.check_candidate_sampler(
        function, true_classes, num_true, num_sampled, unique, range_max, "uniform")
    return _run(function, "UniformCandidateSampler", keyrng.tf.Sampler("uniform", range_max), true_classes,
                num_true, num_sampled, unique, op_seed)


def log_uniform_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int, unique: bool, range_max: int,
                                  seed: OpSeed = None, name: str | None = None):
    """`tf.random.log_uniform_candidate_sampler`: classes from the log-uniform (Zipfian)
    distribution `P(c) = log((c + 2) / (c + 1)) / log(range_max + 1)`.

    >>> import compat
    >>> compat.log_uniform_candidate_sampler([[1]], 1, 5, False, 100, seed=3)[0].tolist()
    [0, 42, 0, 21, 5]
    """
    function = "compat.log_uniform_candidate_sampler"
    op_seed = _seeds.check_seed(function, seed)
    true_classes, num_true, num_sampled, unique, range_max = keyrng.tf.check_candidate_sampler(
        function, true_classes, num_true, num_sampled, unique, range_max, "log_uniform")
    return _run(function, "LogUniformCandidateSampler", keyrng.tf.Sampler("log_uniform", range_max),
                true_classes, num_true, num_sampled, unique, op_seed)


def learned_unigram_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int, unique: bool,
                                      range_max: int, seed: OpSeed = None, name: str | None = None):
    """`tf.random.learned_unigram_candidate_sampler`: classes drawn in proportion to weights the
    kernel learns: every class starts at 1, and each call adds 1 for each of its true classes
    (after sampling). The weights belong to the kernel, so calls with one op seed share them, and
    `set_seed` drops them. Eager only (the learned weights are state TensorFlow keeps in the kernel).

    >>> import compat
    >>> compat.reset()
    >>> for _ in range(3):
    ...     print(compat.learned_unigram_candidate_sampler([[2, 2]], 2, 4, False, 5, seed=7)[0].tolist())
    [2, 2, 0, 4]
    [0, 2, 2, 4]
    [2, 0, 4, 0]
    """
    function = "compat.learned_unigram_candidate_sampler"
    op_seed = _seeds.check_seed(function, seed)
    if isinstance(range_max, int) and not isinstance(range_max, bool) and range_max > 2**31 - 1:
        keyrng.errors.value_error(function, "range_max", "an int in [1, 2147483647)", range_max)
    true_classes, num_true, num_sampled, unique, range_max = keyrng.tf.check_candidate_sampler(
        function, true_classes, num_true, num_sampled, unique, range_max, "learned_unigram")
    if _guard.current(function) is not None:
        keyrng.errors.runtime_error(function, "an eager call (its kernel learns weights between calls)",
                                    "a call inside compat.function")
    kernel = ("LearnedUnigramCandidateSampler", "int64", num_true, num_sampled, int(unique), range_max)
    blocks = keyrng.tf.sampler_blocks(num_sampled)
    with _state.lock:
        words = _seeds.position(function, kernel, op_seed, blocks)
        seed_words = (int(words[0]) | (int(words[1]) << 32), int(words[4]) | (int(words[5]) << 32))
        table = _learned_weights()
        weights_key = (*kernel, *seed_words)
        weights = table.get(weights_key)
        if weights is None:
            weights = np.ones([range_max], np.int64)
        result = keyrng.tf.draw_candidates(words, keyrng.tf.Sampler("learned_unigram", range_max), true_classes,
                                           num_sampled, unique, weights)
        table[weights_key] = keyrng.tf.learned_unigram_update(weights, true_classes)
    return result


def fixed_unigram_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int, unique: bool,
                                    range_max: int, vocab_file: str = "", distortion: float = 1.0,
                                    num_reserved_ids: int = 0, num_shards: int = 1, shard: int = 0,
                                    unigrams: Any = (), seed: OpSeed = None, name: str | None = None):
    """`tf.random.fixed_unigram_candidate_sampler`: classes drawn in proportion to
    `unigrams[i] ** distortion` (Walker's alias method, as TensorFlow's DistributionSampler),
    with `num_reserved_ids` zero-weight ids in front and only the ids of `shard` of `num_shards`.
    The `vocab_file=` form is not supported: pass the file's weights as `unigrams`.

    >>> import compat
    >>> compat.fixed_unigram_candidate_sampler([[0]], 1, 6, False, 4, unigrams=[1, 2, 3, 4], seed=2)[0].tolist()
    [3, 3, 3, 3, 3, 3]
    """
    function = "compat.fixed_unigram_candidate_sampler"
    op_seed = _seeds.check_seed(function, seed)
    true_classes, num_true, num_sampled, unique, range_max = keyrng.tf.check_candidate_sampler(
        function, true_classes, num_true, num_sampled, unique, range_max, "fixed_unigram")
    sampler = keyrng.tf.check_fixed_unigram(function, range_max, vocab_file, distortion, num_reserved_ids,
                                            num_shards, shard, unigrams)
    weights = np.asarray(unigrams, np.float32).tobytes()
    attrs = (repr(float(np.float32(distortion))), num_reserved_ids, num_shards, shard,
             hashlib.blake2b(weights, digest_size=16).hexdigest())
    return _run(function, "FixedUnigramCandidateSampler", sampler, true_classes, num_true, num_sampled, unique,
                op_seed, attrs)


def all_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int, unique: bool, seed: OpSeed = None,
                          name: str | None = None):
    """`tf.random.all_candidate_sampler`: every class `0..num_sampled-1`, expected counts all 1
    (the kernel still takes an op seed and moves its counter, as TensorFlow's does).

    >>> import compat
    >>> compat.all_candidate_sampler([[1]], 1, 3, True)[0].tolist()
    [0, 1, 2]
    """
    function = "compat.all_candidate_sampler"
    op_seed = _seeds.check_seed(function, seed)
    true_classes, num_true, num_sampled, unique, range_max = keyrng.tf.check_candidate_sampler(
        function, true_classes, num_true, num_sampled, unique, None, "all")
    return _run(function, "AllCandidateSampler", keyrng.tf.Sampler("all", range_max), true_classes, num_true,
                num_sampled, unique, op_seed)
