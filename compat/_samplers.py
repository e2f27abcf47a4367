"""TensorFlow's candidate samplers with its implicit seeding: `uniform_candidate_sampler`,
`log_uniform_candidate_sampler`, `learned_unigram_candidate_sampler`,
`fixed_unigram_candidate_sampler` and `all_candidate_sampler` (tf.random.*, and tf.nn.* where
TensorFlow 2 has them).

Each is a stateful kernel with the seed rules of the `compat` package docstring (`_seeds.position`):
one kernel per op and attributes (`num_true`, `num_sampled`, `unique`, `range_max`, ...) and seed
pair, whose counter moves `512 * num_sampled` blocks per call (`keyrng.tf.sampler_blocks`:
ReserveSamples32 of 2048 words per candidate). `learned_unigram_candidate_sampler`'s kernel also
keeps its learned weights between calls (all 1 in a new kernel, +1 for each true class after a
call), and `fixed_unigram_candidate_sampler`'s kernel the weights it read from its `vocab_file`.
Eagerly both live on compat's state object beside the kernel's counter (`_state.State.samplers`,
same key); `set_seed` and `reset` drop them with the counters, as TensorFlow drops its kernels,
and `get_state` / `set_state` save and restore the learned weights (`export_state`,
`check_state`). Inside a `compat.function` each sampler op is a kernel of its own whose true
classes are constants, so a learned node's weights follow from its counter
(`keyrng.tf.draw_learned_unigram`) and need no state of their own.

Each returns `(sampled_candidates int64 [num_sampled], true_expected_count float32
[batch, num_true], sampled_expected_count float32 [num_sampled])`, and stands for
`keyrng.tf.draw_candidates(keyrng.tf.key(seed, seed2, offset), sampler, true_classes,
num_sampled, unique)` (docs/samplers.md).
"""

from __future__ import annotations

import hashlib
import operator
import secrets
from typing import Any

import numpy as np

import keyrng
from keyrng.typing import OpSeed

from compat import _guard, _seeds, _state


_LEARNED = "LearnedUnigramCandidateSampler"


def _eager_kernel(function: str, kernel: tuple, op_seed: int | None, blocks: int, make=None):
    """An eager call of a sampler kernel (call under `_state.lock`): its position words (as
    `_seeds.position`: the counter moves `blocks`), its full key, and what the kernel keeps besides its counter
    (`_state.State.samplers`), made by `make()` when the kernel is new. If `make` raises, nothing
    has changed (an op seed drawn for the call is put back)."""
    current = _state.state
    if current.determinism and current.global_seed is None and op_seed is None:
        _seeds.refuse_without_seed(function)
    saved = current.op_seeds.getstate() if op_seed is None and current.global_seed is not None else None
    pair = _seeds.seed_pair(op_seed)
    # Neither seed: TensorFlow's kernel has the attributes seed = seed2 = 0 and seeds its stream
    # from OS entropy; the draws are unpredictable (here fresh entropy for each call), but the
    # kernel, and what it keeps, is the one of (0, 0), a pair no seeds resolve to.
    key = (*kernel, *(pair or (0, 0)))
    data = current.samplers.get(key)
    if data is None and make is not None:
        try:
            data = make()
        except BaseException:
            if saved is not None:
                current.op_seeds.setstate(saved)
            raise
        current.samplers[key] = data
    if pair is None:
        return _seeds.position_words(secrets.randbits(63), secrets.randbits(63) << 64), key, data
    offset = _state.reserve(key, blocks)
    return _seeds.position_words(pair[0], (pair[1] << 64) + offset), key, data


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
    (after sampling). The weights belong to the kernel, so eager calls with one op seed (and the
    same attributes) share them; `set_seed` drops them; `get_state` saves them. Inside a
    `compat.function` each call site is a kernel of its own, whose weights live on across calls
    of the function.

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
    kernel = (_LEARNED, "int64", num_true, num_sampled, int(unique), range_max)
    blocks = keyrng.tf.sampler_blocks(num_sampled)
    if _guard.current(function) is not None:  # a node of its own; its true classes are constants
        words = _seeds.position(function, kernel, op_seed, blocks)
        return keyrng.tf.draw_learned_unigram(words, range_max, true_classes, num_sampled, unique)
    sampler = keyrng.tf.Sampler("learned_unigram", range_max)
    with _state.lock:
        words, key, weights = _eager_kernel(function, kernel, op_seed, blocks,
                                            lambda: np.ones([range_max], np.int64))
        result = keyrng.tf.draw_candidates(words, sampler, true_classes, num_sampled, unique, weights)
        _state.state.samplers[key] = keyrng.tf.learned_unigram_update(weights, true_classes)
    return result


def fixed_unigram_candidate_sampler(true_classes: Any, num_true: int, num_sampled: int, unique: bool,
                                    range_max: int, vocab_file: str = "", distortion: float = 1.0,
                                    num_reserved_ids: int = 0, num_shards: int = 1, shard: int = 0,
                                    unigrams: Any = (), seed: OpSeed = None, name: str | None = None):
    """`tf.random.fixed_unigram_candidate_sampler`: classes drawn in proportion to
    `unigrams[i] ** distortion` (Walker's alias method, as TensorFlow's DistributionSampler),
    with `num_reserved_ids` zero-weight ids in front and only the ids of `shard` of `num_shards`.
    The weights are `unigrams`, or the last comma-separated field of each line of `vocab_file`
    (read as TensorFlow reads it, `keyrng.tf.read_vocab_file`, when the kernel is made: a kernel
    keeps what it read until `set_seed` drops it).

    >>> import compat
    >>> compat.fixed_unigram_candidate_sampler([[0]], 1, 6, False, 4, unigrams=[1, 2, 3, 4], seed=2)[0].tolist()
    [3, 3, 3, 3, 3, 3]
    """
    function = "compat.fixed_unigram_candidate_sampler"
    op_seed = _seeds.check_seed(function, seed)
    attrs = keyrng.tf.check_fixed_unigram_attrs(function, vocab_file, distortion, num_reserved_ids, num_shards,
                                                shard, unigrams)
    true_classes, num_true, num_sampled, unique, range_max = keyrng.tf.check_candidate_sampler(
        function, true_classes, num_true, num_sampled, unique, range_max, "fixed_unigram")
    vocab_file, values, distortion, num_reserved_ids, num_shards, shard = attrs
    source = (f"vocab_file={vocab_file}" if vocab_file else
              hashlib.blake2b(np.asarray(values, np.float32).tobytes(), digest_size=16).hexdigest())
    kernel = ("FixedUnigramCandidateSampler", "int64", num_true, num_sampled, int(unique), range_max,
              repr(float(np.float32(distortion))), num_reserved_ids, num_shards, shard, source)
    blocks = keyrng.tf.sampler_blocks(num_sampled)

    def make():  # the kernel's table; a vocab_file is read when the kernel is made
        return keyrng.tf.fixed_unigram(function, range_max, *attrs)

    if _guard.current(function) is not None:  # a node of its own: read when traced
        sampler = make()
        words = _seeds.position(function, kernel, op_seed, blocks)
    else:
        with _state.lock:
            words, _, sampler = _eager_kernel(function, kernel, op_seed, blocks, make)
    return keyrng.tf.draw_candidates(words, sampler, true_classes, num_sampled, unique)


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


# --- checkpoints (compat.get_state / set_state) ----------------------------------------------------

def export_state(state: _state.State) -> list:
    """The learned unigram kernels' weights of `state`, for a snapshot: one row
    `[*kernel key, [[class, weight], ...]]` per kernel, listing the classes whose weight is not 1."""
    rows = []
    for key, weights in state.samplers.items():
        if key[0] == _LEARNED:
            changed = np.flatnonzero(weights != 1)
            rows.append([*key, [[int(i), int(weights[i])] for i in changed]])
    return sorted(rows, key=repr)


def check_state(rows: Any) -> dict:
    """The `samplers` table of a snapshot's rows (`export_state`), or ValueError: every row a
    learned unigram kernel's key (op, dtype, num_true, num_sampled, unique, range_max, seed,
    seed2) and its changed weights (classes in range, weights >= 1, total within int32)."""
    why = ValueError("`samplers` is not a list of [learned unigram kernel key..., [[class, weight], ...]] rows")
    if not isinstance(rows, (list, tuple)):
        raise why
    table = {}
    for row in rows:
        if not isinstance(row, (list, tuple)) or len(row) != 9 or row[0] != _LEARNED or row[1] != "int64":
            raise why
        *key, changed = row
        if not all(isinstance(part, int) and not isinstance(part, bool) and part >= 0 for part in key[2:]):
            raise why
        range_max = key[5]
        if not 1 <= range_max < 2**31 - 1 or not isinstance(changed, (list, tuple)):
            raise why
        weights = np.ones([range_max], np.int64)
        for pair in changed:
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise why
            try:
                index, weight = operator.index(pair[0]), operator.index(pair[1])
            except TypeError:
                raise why from None
            if not 0 <= index < range_max or not 1 <= weight < 2**31:
                raise why
            weights[index] = weight
        if int(weights.sum()) > 2**31 - 1 or tuple(key) in table:
            raise why
        table[tuple(key)] = weights
    return table
