"""tf.data's shuffle order as pure functions of the seeds and sizes.

What `tf.data.Dataset.range(n).shuffle(buffer_size, seed, reshuffle_each_iteration).repeat(epochs)`
yields in TensorFlow 2.21 (ShuffleDatasetV3 in `shuffle_dataset_op.cc`, its seed generators in
`random_seed_ops.cc`):

- The dataset holds a seed pair `(seed, seed2)` (`tf.data`'s `get_seed`, the same rules and the
  same eager op-seed draw as `tf.random` ops; `(0, 0)` means OS entropy) and a *seed generator*.
  Every shuffle iterator it creates — one per epoch of the repeat, one more each time the dataset
  is iterated again — asks the generator for its own seed pair:
  `reshuffle_each_iteration=False` (FixedSeedGenerator) gives `(seed, seed2)` every time;
  True, TensorFlow's default (RandomSeedGenerator), gives the next two 32-bit words of the Philox
  stream at `keyrng.tf_key(seed, seed2)`: words `2k` and `2k + 1` for the `k`-th iterator.
- A shuffle iterator with pair `(s, s2)` reads the 32-bit words `w_0, w_1, ...` of the Philox
  stream at `keyrng.tf_key(s, s2)` (TensorFlow's SingleSampleAdapter over PhiloxRandom(s, s2)).
  Before its `t`-th output it fills its ring buffer (`buffer_size` slots; input element `j` goes
  to slot `j % buffer_size`) until it holds `min(buffer_size, n - t)` elements, then takes the
  element at slot `(t + w_t % size) % buffer_size` and moves the element at slot
  `t % buffer_size` into its place.

`iterator_seeds` is the first rule, `epoch_order` the second (the whole order of one shuffle
iterator, as an int64 numpy array), and `ShuffleCursor` the same walk a few elements at a time
in O(buffer_size) memory, as a plain value (`advance` returns a new cursor), so it can be saved
and resumed.

>>> epoch_order(87654321, 5, 10, 3).tolist()
[1, 3, 2, 5, 6, 4, 7, 9, 8, 0]
>>> s, s2 = iterator_seeds(87654321, 5, True, 0)
>>> epoch_order(s, s2, 10, 3).tolist()
[1, 3, 4, 5, 2, 7, 8, 0, 9, 6]
"""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from keyrng import _bits, _checks, _eigen_log, _errors, _keys, _philox, _stateless, _tf_discrete

_CHUNK_BLOCKS = 256  # words are generated 1024 at a time (one compiled shape) ...
_CHUNK = 4 * _CHUNK_BLOCKS
_BIG_BLOCKS = 64 * _CHUNK_BLOCKS  # ... or 65536 at a time for long runs (a second one)
_MASK64 = 2**64 - 1


def stream_words(seed: int, seed2: int, start: int, count: int) -> np.ndarray:
    """Words `start .. start + count - 1` of the 32-bit stream of TensorFlow's
    `SingleSampleAdapter<PhiloxRandom>(PhiloxRandom(seed, seed2))`, as uint32.

    >>> stream_words(87654321, 5, 0, 3).tolist() == stream_words(87654321, 5, 0, 5)[:3].tolist()
    True
    """
    start, count = int(start), int(count)
    if count <= 0:
        return np.zeros(0, np.uint32)
    first_block = start // 4
    last_block = (start + count - 1) // 4
    parts = []
    block = first_block
    while block <= last_block:
        blocks = _BIG_BLOCKS if last_block + 1 - block >= _BIG_BLOCKS // 2 else _CHUNK_BLOCKS
        parts.append(_chunk(int(seed) & _MASK64, int(seed2) & _MASK64, block, blocks))
        block += blocks
    words = np.concatenate(parts)
    skip = start - 4 * first_block
    return words[skip:skip + count]


def _chunk(seed: int, seed2: int, block: int, blocks: int) -> np.ndarray:
    # Concrete even while a jax function is traced: the order is a host-side value.
    with jax.ensure_compile_time_eval():
        key = _keys.tf_key(seed, seed2, block)
        return np.asarray(_tf_discrete.draw_full_int(key, (4 * blocks,), "uint32"))


def iterator_seeds(seed: int, seed2: int, reshuffle_each_iteration: bool, index: int) -> tuple[int, int]:
    """The seed pair of the `index`-th shuffle iterator a dataset with `(seed, seed2)` creates
    (0-based: epoch `e` of the `i`-th pass over `.repeat(E)` is iterator `i * E + e` when every
    pass ran to its end).

    >>> iterator_seeds(87654321, 5, False, 7)
    (87654321, 5)
    >>> iterator_seeds(87654321, 5, True, 0) == tuple(int(w) for w in stream_words(87654321, 5, 0, 2))
    True
    """
    if not reshuffle_each_iteration:
        return int(seed), int(seed2)
    words = stream_words(seed, seed2, 2 * int(index), 2)
    return int(words[0]), int(words[1])


def _draw_sizes(num_elements: int, buffer_size: int, start: int, stop: int) -> np.ndarray:
    t = np.arange(start, stop, dtype=np.int64)
    return np.minimum(np.int64(buffer_size), np.int64(num_elements) - t)


@dataclasses.dataclass(frozen=True)
class ShuffleCursor:
    """One shuffle iterator part-way through its epoch: seeds, sizes, how many elements it has
    given (`position`) and what its buffer still holds (`buffer[k]` is the element in the slot of
    absolute position `position + k`; TensorFlow's slot `(position + k) % buffer_size`). A value:
    `advance` returns a new cursor.

    >>> c = ShuffleCursor.start(87654321, 5, 10, 3)
    >>> first, c = c.advance(4)
    >>> rest, c = c.advance(100)
    >>> first.tolist() + rest.tolist() == epoch_order(87654321, 5, 10, 3).tolist(), c.done
    (True, True)
    """

    seed: int
    seed2: int
    num_elements: int
    buffer_size: int
    position: int = 0
    buffer: tuple = ()

    @classmethod
    def start(cls, seed: int, seed2: int, num_elements: int, buffer_size: int) -> "ShuffleCursor":
        return cls(int(seed), int(seed2), max(int(num_elements), 0), int(buffer_size), 0, ())

    @property
    def done(self) -> bool:
        return self.position >= self.num_elements

    def advance(self, count: int) -> tuple[np.ndarray, "ShuffleCursor"]:
        """The next `count` elements (fewer at the end of the epoch) and the cursor after them."""
        n, size = self.num_elements, self.buffer_size
        t0 = self.position
        t1 = min(n, t0 + max(int(count), 0))
        if t1 <= t0:
            return np.zeros(0, np.int64), self
        # TensorFlow's slot for absolute position p is p % size; the buffer never holds more than
        # `slots = min(size, n)` elements, and with size > n no slot index reaches n, so p % slots
        # is the same slot. Before output t >= 1 TensorFlow reads element t + size - 1 (if any)
        # into the slot output t - 1 freed; before output 0 it reads the first `slots` elements.
        slots = min(size, n)
        ring = list(range(slots)) if t0 == 0 else _ring(self.buffer, t0, min(n, t0 - 1 + size), slots)
        words = stream_words(self.seed, self.seed2, t0, t1 - t0).astype(np.int64)
        t = np.arange(t0, t1, dtype=np.int64)
        index = ((t + words % np.minimum(np.int64(size), n - t)) % slots).tolist()
        head = (t % slots).tolist()
        out = [0] * (t1 - t0)
        fills = max(min(t1, n - size + 1) - max(t0, 1), 0) if size <= n else 0  # outputs with a read
        start = max(t0, 1) - t0
        k = 0
        for k in range(start):  # output 0 (its reads were the initial fill)
            i = index[k]
            out[k] = ring[i]
            ring[i] = ring[head[k]]
        for k in range(start, start + fills):
            tk = t0 + k
            ring[(tk - 1) % slots] = tk + size - 1
            i = index[k]
            out[k] = ring[i]
            ring[i] = ring[head[k]]
        for k in range(start + fills, t1 - t0):
            i = index[k]
            out[k] = ring[i]
            ring[i] = ring[head[k]]
        filled = min(n, t1 - 1 + size)
        left = tuple(ring[p % slots] for p in range(t1, filled))
        return np.asarray(out, np.int64), dataclasses.replace(self, position=t1, buffer=left)


def _ring(buffer: tuple, position: int, filled: int, slots: int) -> list:
    """The ring buffer before output `position` with `filled` input elements read: slot
    `p % slots` holds the saved element of absolute position `p`, for p in [position, filled)."""
    if len(buffer) != max(filled - position, 0):
        raise ValueError(f"a shuffle cursor at position {position} with {filled} elements read "
                         f"holds {filled - position} elements; got {len(buffer)}")
    ring = [0] * slots
    for k, element in enumerate(buffer):
        ring[(position + k) % slots] = int(element)
    return ring


def epoch_order(seed: int, seed2: int, num_elements: int, buffer_size: int) -> np.ndarray:
    """The whole order of one shuffle iterator with seed pair `(seed, seed2)` over
    `range(num_elements)` with `buffer_size` slots, as int64.

    >>> epoch_order(87654321, 5, 4, 1).tolist()
    [0, 1, 2, 3]
    """
    order, _ = ShuffleCursor.start(seed, seed2, num_elements, buffer_size).advance(max(int(num_elements), 0))
    return order


UNKNOWN_CARDINALITY = -2  # tf.data.UNKNOWN_CARDINALITY: as a buffer size, the whole data set
_BUFFER_FORMS = "a positive int, or -2 (tf.data.UNKNOWN_CARDINALITY: the whole data set)"


def check_sizes(function: str, num_elements, buffer_size) -> tuple[int, int]:
    """`num_elements` and `buffer_size` as TensorFlow takes them, or keyrng's error: ints (bools
    and NumPy integers too); a negative `num_elements` is an empty range, as
    `tf.data.Dataset.range` makes it; `buffer_size` -2 (`tf.data.UNKNOWN_CARDINALITY`) buffers
    the whole data set, which orders it as any buffer of `num_elements` or more does.

    >>> check_sizes("my.shuffle", 10, -2)
    (10, 10)
    >>> check_sizes("my.shuffle", 10, 0)
    Traceback (most recent call last):
    ...
    ValueError: `my.shuffle`: `buffer_size` must be a positive int, or -2 (tf.data.UNKNOWN_CARDINALITY: the whole data set); got 0.
    """
    num_elements = _checks.integer(function, "num_elements", _unbool(num_elements), -2**63, 2**63,
                                   "an int")
    buffer_size = _checks.integer(function, "buffer_size", _unbool(buffer_size), -2**63, 2**63,
                                  _BUFFER_FORMS)
    num_elements = max(num_elements, 0)
    if buffer_size == UNKNOWN_CARDINALITY:
        buffer_size = max(num_elements, 1)
    elif buffer_size < 1:
        _errors.value_error(function, "buffer_size", _BUFFER_FORMS, buffer_size)
    return num_elements, buffer_size


def _unbool(value):
    return int(value) if isinstance(value, (bool, np.bool_)) else value


def shuffle_order(seed: int, seed2: int, num_elements: int, buffer_size: int,
                  reshuffle_each_iteration: bool = True, epochs: int = 1, first_iterator: int = 0) -> np.ndarray:
    """The order of `range(num_elements).shuffle(buffer_size).repeat(epochs)` for a dataset with
    seed pair `(seed, seed2)`, whose seed generator has already made `first_iterator` iterators.

    >>> shuffle_order(87654321, 5, 4, 2, reshuffle_each_iteration=False, epochs=2).tolist()
    [1, 2, 0, 3, 1, 2, 0, 3]
    """
    parts = [epoch_order(*iterator_seeds(seed, seed2, reshuffle_each_iteration, first_iterator + e),
                         num_elements, buffer_size) for e in range(int(epochs))]
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


# --- Dataset.random and sample_from_datasets -------------------------------------------------------
#
# `tf.data.Dataset.random(seed, rerandomize_each_iteration)` (RandomDataset / RandomDatasetV2 in
# `experimental/random_dataset_op.cc`): each iterator asks the dataset's seed generator for a pair
# `(s, s2)` when it is made -- FixedSeedGenerator unless `rerandomize_each_iteration` is truthy
# (RandomSeedGenerator), so `iterator_seeds` with the flag -- and then yields the 32-bit words of
# `SingleSampleAdapter<PhiloxRandom>(PhiloxRandom(s, s2))`, each as an int64 in [0, 2**32).
#
# `tf.data.Dataset.sample_from_datasets` (sample_from_datasets_op.py) selects with
# `Dataset.random(seed, rerandomize_each_iteration).batch(2)` mapped through
# `stateless_multinomial(logits, 1, seed=pair)`: selection `i` is the StatelessMultinomial draw
# at the stateless position of the int64 seed `[w_2i, w_2i+1]`. DirectedInterleave
# (`directed_interleave_dataset_op.cc`) then takes the next element of the selected input; an input
# found exhausted (selected once after its last element) ends the pass if `stop_on_empty_dataset`,
# and is otherwise dropped, later selections of it being skipped, until no input is left.


def random_values(seed: int, seed2: int, start: int, count: int) -> np.ndarray:
    """Elements `start .. start + count - 1` of one `Dataset.random` iterator whose seed pair is
    `(seed, seed2)` (from `iterator_seeds`), as int64.

    >>> random_values(87654321, 5, 0, 3).tolist() == stream_words(87654321, 5, 0, 3).tolist()
    True
    """
    return stream_words(seed, seed2, start, count).astype(np.int64)


def random_order(seed: int, seed2: int, count: int, rerandomize_each_iteration: bool = False,
                 epochs: int = 1, first_iterator: int = 0) -> np.ndarray:
    """The elements of `Dataset.random().take(count).repeat(epochs)` for a dataset with seed pair
    `(seed, seed2)` whose seed generator has made `first_iterator` iterators, as int64. (A `take(0)`
    makes no iterator of the random dataset, so it draws no seeds.)

    >>> random_order(87654321, 5, 2, epochs=2).tolist()  # a fixed seed generator: epochs repeat
    [3568415791, 2798973839, 3568415791, 2798973839]
    """
    count, epochs = int(count), int(epochs)
    if count <= 0 or epochs <= 0:
        return np.zeros(0, np.int64)
    return np.concatenate([
        random_values(*iterator_seeds(seed, seed2, rerandomize_each_iteration, first_iterator + e), 0, count)
        for e in range(epochs)])


def sample_logits(weights, dtype: str = "float32") -> np.ndarray:
    """`log(weights)` as TensorFlow's Log kernel gives it (keyrng/_eigen_log.py: Eigen's packet
    logarithm on the elements that fill SIMD packets, glibc's on the rest): a vector of weights
    gives logits of shape [1, n]; a 2-D array (a weights dataset) one Log call per row.

    >>> sample_logits([1.0, 0.5]).view(np.uint32).tolist()
    [[0, 3207688728]]
    """
    values = np.asarray(weights, np.float64 if dtype == "float64" else np.float32)
    return _eigen_log.tensorflow_log_rows(values.reshape(1, -1) if values.ndim <= 1 else values)


_SELECT_CHUNK = 1024  # selections computed per step (one compiled shape per logits shape)


def sample_choices(seed: int, seed2: int, start: int, count: int, logits) -> np.ndarray:
    """Selections `start .. start + count - 1` of sample_from_datasets' selector whose random
    iterator has seed pair `(seed, seed2)`, as int64: for constant `logits` of shape [1, n], or
    per selection ([count, n], rows `start ..` of a weights dataset).

    >>> sample_choices(87654321, 5, 0, 6, np.zeros((1, 2), np.float32)).tolist()
    [0, 0, 0, 1, 1, 0]
    """
    start, count = int(start), int(count)
    if count <= 0:
        return np.zeros(0, np.int64)
    logits = np.asarray(logits)
    classes = logits.shape[1]
    width = max(8, -(-classes // 8) * 8)
    # Every logits row runs as float64 padded with -inf to a multiple of 8 classes, one compiled
    # shape for up to 8 inputs: the kernel widens the logits to float64 anyway, and a -inf class
    # adds exactly 0.0 to the running sum and is never below the target, so the draws are equal.
    padded = np.full((count if logits.shape[0] > 1 else 1, width), -np.inf, np.float64)
    padded[:, :classes] = logits.astype(np.float64)
    parts = []
    first = start - start % _SELECT_CHUNK
    for chunk in range(first, start + count, _SELECT_CHUNK):
        words = stream_words(seed, seed2, 2 * chunk, 2 * _SELECT_CHUNK).reshape(-1, 2)
        if padded.shape[0] > 1:  # rows for selections chunk .. chunk + _SELECT_CHUNK - 1
            rows = np.full((_SELECT_CHUNK, width), -np.inf, np.float64)
            lo, hi = max(chunk, start), min(chunk + _SELECT_CHUNK, start + count)
            rows[lo - chunk:hi - chunk] = padded[lo - start:hi - start]
        else:
            rows = np.broadcast_to(padded, (_SELECT_CHUNK, width))
        with jax.ensure_compile_time_eval(), jax.enable_x64(True):
            parts.append(np.asarray(_select(words, rows)).astype(np.int64))
    choices = np.concatenate(parts)
    return choices[start - first:start - first + count]


def _select(words, logits):
    # Two compiled steps (scramble, then draw) compile in about half the time of one.
    return _draw_selections(_scramble_seeds(words), logits)


@jax.jit
def _scramble_seeds(words):
    zero = jnp.zeros_like(words[:, 0])
    seeds = jnp.stack([words[:, 0], zero, words[:, 1], zero], axis=1)  # int64 seeds below 2**32
    return jax.vmap(lambda seed_words: jax.random.key_data(_stateless._scramble(seed_words)))(seeds)


@jax.jit
def _draw_selections(keys, logits):
    def one(key_data, row):
        return _tf_discrete._categorical_philox(key_data, row[None, :], num_samples=1, dtype="int32", threads=1)[0, 0]

    return jax.vmap(one)(keys, logits)


@dataclasses.dataclass(frozen=True)
class SampleCursor:
    """One pass of `sample_from_datasets` over inputs of `lengths` (-1: endless) part-way: the
    selector's seed pair, how many selections it has made (`position`), the elements each input has
    left (`left[k]`; -1 endless, None once found exhausted and dropped) and whether the pass has
    ended. `choices` maps selector classes to input indices (inputs with a zero weight in a list of
    weights are left out of the selection, as TensorFlow leaves them out); `possible[c]` says
    whether class `c` can be drawn (a finite logit). A value: `advance` returns a new cursor.

    >>> c = SampleCursor.start(87654321, 5, [2, 3], np.zeros((1, 2), np.float32))
    >>> order, c = c.advance(100)
    >>> order.tolist(), c.done
    ([0, 0, 1, 1, 1], True)
    """

    seed: int
    seed2: int
    logits: Any
    choices: tuple
    possible: tuple
    stop_on_empty_dataset: bool
    left: tuple
    position: int = 0
    done: bool = False
    varying: bool = False  # logits [m, n]: one row per selection, the pass ends after m of them

    @classmethod
    def start(cls, seed: int, seed2: int, lengths, logits, stop_on_empty_dataset: bool = False,
              choices=None, varying: bool = False) -> "SampleCursor":
        logits = np.asarray(logits)
        choices = tuple(range(logits.shape[1])) if choices is None else tuple(int(c) for c in choices)
        with np.errstate(invalid="ignore"):  # rows: a weights dataset, whose end ends the pass
            possible = (True,) * logits.shape[1] if varying else tuple(bool(v) for v in np.isfinite(logits[0]))
        left = tuple(int(n) if k in choices else None for k, n in enumerate(lengths))  # not inputs
        return cls(int(seed), int(seed2), logits, choices, possible, bool(stop_on_empty_dataset),
                   left, 0, not choices, bool(varying))

    def advance(self, count: int) -> tuple[np.ndarray, "SampleCursor"]:
        """The input index of each of the next `count` elements (fewer at the end of the pass)."""
        count = max(int(count), 0)
        left, position, done = list(self.left), self.position, self.done
        out: list[int] = []
        while len(out) < count and not done:
            if not any(left[k] is not None and self.possible[c] for c, k in enumerate(self.choices)):
                raise RuntimeError(  # TensorFlow's DirectedInterleave loops forever here
                    "sample_from_datasets: every input that can still be selected is exhausted, but "
                    "inputs of zero probability are not, so TensorFlow's iterator never returns")
            need = count - len(out)
            if all(v is None or v >= 0 for v in left):  # at most the elements left, and a draw
                need = min(need, sum(v + 1 for v in left if v is not None))  # to find each end
            step = min(max(2 * need, _SELECT_CHUNK), 1 << 16)
            step = -(-(position + step) // _SELECT_CHUNK) * _SELECT_CHUNK - position  # whole chunks
            rows = self.logits.shape[0]
            if self.varying:  # one row per selection: the weights dataset's elements
                step = min(step, rows - position)
                if step <= 0:
                    done = True  # the selector ended with the weights
                    break
                logits = self.logits[position:position + step]
            else:
                logits = self.logits
            for c in sample_choices(self.seed, self.seed2, position, step, logits).tolist():
                position += 1
                k = self.choices[c]
                if left[k] is None:
                    continue  # an input dropped earlier: the selection is skipped
                if left[k] != 0:
                    out.append(k)
                    if left[k] > 0:
                        left[k] -= 1
                    if len(out) == count:
                        break
                    continue
                if self.stop_on_empty_dataset:
                    done = True
                    break
                left[k] = None
                if all(v is None for v in left):
                    done = True
                    break
                if not any(left[j] is not None and self.possible[i] for i, j in enumerate(self.choices)):
                    break  # checked (and refused) before drawing more
        return np.asarray(out, np.int64), dataclasses.replace(
            self, left=tuple(left), position=position, done=done)


def sample_order(seed: int, seed2: int, lengths, logits, stop_on_empty_dataset: bool = False,
                 rerandomize_each_iteration: bool = False, epochs: int = 1, first_iterator: int = 0,
                 choices=None) -> np.ndarray:
    """The input index of every element of `sample_from_datasets(...).repeat(epochs)` over finite
    inputs of `lengths`, for a selector seed pair `(seed, seed2)` whose seed generator has made
    `first_iterator` iterators, as int64.

    >>> sample_order(87654321, 5, [2, 3], np.zeros((1, 2), np.float32), epochs=2).tolist()
    [0, 0, 1, 1, 1, 0, 0, 1, 1, 1]
    """
    parts = []
    for e in range(int(epochs)):
        pair = iterator_seeds(seed, seed2, rerandomize_each_iteration, first_iterator + e)
        cursor = SampleCursor.start(*pair, lengths, logits, stop_on_empty_dataset, choices)
        while not cursor.done:
            part, cursor = cursor.advance(1 << 16)
            parts.append(part)
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


# --- rejection_resample ------------------------------------------------------------------------------
#
# `Dataset.rejection_resample(class_func, target_dist, initial_dist, seed)` (dataset_ops.py, TF 2.21):
# - per element, the initial distribution: `initial_dist` (float32), or the running estimate
#   (`_estimate_initial_dist_ds`): class counts start at 10 each, each batch of 32 labels adds its
#   counts, and every element of the batch gets `float32(counts / sum(counts))` (float64 division),
#   for 32 elements per batch (a last, short batch too);
# - from it and `target_dist` (float32) the acceptance `a = (r - m) / (max(r) - m)` with
#   `r = target / (initial + tiny)` and the mixing probability `m = min(r)`;
# - the filter: element `j` is kept when the `j`-th call of the filter's stateful RandomUniform
#   (seed attributes from `seed`, a scalar float32 per call, 256 blocks apart) is `< a[label_j]`;
# - with `initial_dist` given, `np.min(target / initial)` decides statically: 1 -> every element
#   (nothing random), 0 -> the filter alone; otherwise (and always when estimated)
#   `sample_from_datasets([every element, the kept ones], weights=[(m, 1 - m)] per element,
#   seed=seed, stop_on_empty_dataset=True)`, whose weights stream ends with the estimate's.


def stateful_uniform_calls(seed: int, seed2: int, first_call: int, count: int) -> np.ndarray:
    """Calls `first_call .. first_call + count - 1` of a stateful `tf.random.uniform([])` kernel
    with attributes `(seed, seed2)`, one float32 each (call `c` draws at `keyrng.tf_key(seed,
    seed2, 256 * c)`).

    >>> stateful_uniform_calls(87654321, 1, 0, 2).tolist()  # tf.random.uniform([], seed=1), twice
    [0.2390373..., 0.2226711...]
    """
    count = int(count)
    if count <= 0:
        return np.zeros(0, np.float32)
    seed, seed2 = int(seed) & _MASK64, int(seed2) & _MASK64
    offsets = (np.arange(count, dtype=np.uint64) + np.uint64(first_call)) * np.uint64(256)
    with jax.ensure_compile_time_eval(), jax.enable_x64(True):
        return np.asarray(_first_uniforms(np.uint32(seed & 0xFFFFFFFF), np.uint32(seed >> 32),
                                          (offsets & np.uint64(0xFFFFFFFF)).astype(np.uint32),
                                          (offsets >> np.uint64(32)).astype(np.uint32),
                                          np.uint32(seed2 & 0xFFFFFFFF), np.uint32(seed2 >> 32)))


@jax.jit
def _first_uniforms(k0, k1, c0, c1, c2, c3):
    words = _philox.block((k0, k1), (c0, c1, jnp.broadcast_to(c2, c0.shape), jnp.broadcast_to(c3, c0.shape)))
    return _bits.to_unit_float(words[0], "float32")


def resample_acceptance(initial, target) -> tuple[np.ndarray, np.ndarray]:
    """`(acceptance [..., classes], mixing probability [...])` in float32, as
    `_calculate_acceptance_probs_with_mixing` computes them.

    >>> a, m = resample_acceptance(np.float32([0.5, 0.5]), np.float32([0.25, 0.75]))
    >>> a.tolist(), float(m)
    ([0.0, 1.0], 0.5)
    """
    initial, target = np.asarray(initial, np.float32), np.asarray(target, np.float32)
    with np.errstate(all="ignore"):
        ratio = target / (initial + np.finfo(np.float32).tiny)
        low = ratio.min(axis=-1, keepdims=True) if ratio.size else ratio
        high = ratio.max(axis=-1, keepdims=True) if ratio.size else ratio
        return (ratio - low) / (high - low), low[..., 0]


def resample_estimates(labels, classes: int) -> np.ndarray:
    """The estimated initial distribution of each element (rows of float32), 32 rows per batch of
    32 labels (so a multiple of 32 rows).

    >>> resample_estimates([0, 1, 1], 2)[0].tolist()
    [0.4782608747482300, 0.5217391252517700]
    """
    labels = np.asarray(labels, np.int64)
    counts = np.full(classes, 10, np.int64)
    rows = []
    for start in range(0, len(labels), 32):
        batch = labels[start:start + 32]
        counts = counts + np.bincount(batch[(batch >= 0) & (batch < classes)], minlength=classes)[:classes]
        dist = (counts / counts.sum()).astype(np.float32)
        rows.append(np.broadcast_to(dist, (32, classes)))
    return np.concatenate(rows) if rows else np.zeros((0, classes), np.float32)


def resample_order(filter_seed: int, filter_seed2: int, selector_seed: int, selector_seed2: int, labels,
                   target_dist, initial_dist=None, first_call: int = 0) -> np.ndarray:
    """The input index of each element one pass of `rejection_resample` gives (its first epoch),
    for the filter kernel's seed attributes (having made `first_call` calls) and the selector's
    iterator seed pair.

    >>> resample_order(87654321, 3, 87654321, 3, [0, 1, 1, 0], [0.5, 0.5], [0.5, 0.5]).tolist()
    [0, 1, 2, 3]
    """
    labels = np.asarray(labels, np.int64)
    target = np.asarray(target_dist, np.float32)
    n, classes = len(labels), len(target)
    if initial_dist is not None:
        initial = np.asarray(initial_dist, np.float32)
        with np.errstate(all="ignore"):
            static = np.min(target / initial)
        if static == 1:
            return np.arange(n, dtype=np.int64)
        accept, mix = resample_acceptance(initial, target)
        accept, mix = np.broadcast_to(accept, (n, classes)), None if static == 0 else mix
        limit = None
    else:
        initial = resample_estimates(labels, classes)
        accept, mix = resample_acceptance(initial, target)
        limit = len(initial)  # the weights stream ends with the estimate's
    u = stateful_uniform_calls(filter_seed, filter_seed2, first_call, n)
    with np.errstate(invalid="ignore"):
        kept = np.flatnonzero(u < accept[np.arange(n), labels]).astype(np.int64)
    if mix is None:
        return kept
    out, taken, position = [], [0, 0], 0
    sources = (np.arange(n, dtype=np.int64), kept)
    constant = np.ndim(mix) == 0
    while limit is None or position < limit:
        step = _SELECT_CHUNK if limit is None else min(_SELECT_CHUNK, limit - position)
        if constant:
            logits = sample_logits([mix, np.float32(1) - mix])
        else:
            part = mix[position:position + step]
            pairs = np.stack([part, np.float32(1) - part], 1).reshape(-1)
            unique, where = np.unique(pairs, return_inverse=True)  # the estimate changes per 32 rows
            logs = sample_logits(unique[:, None])[:, 0]  # each a two-element Log call: glibc's
            logits = logs[where.reshape(-1)].reshape(-1, 2)
        choices = sample_choices(selector_seed, selector_seed2, position, step, logits)
        for c in choices.tolist():
            if taken[c] >= len(sources[c]):
                return np.asarray(out, np.int64)  # stop_on_empty_dataset=True
            out.append(int(sources[c][taken[c]]))
            taken[c] += 1
        position += step
    return np.asarray(out, np.int64)

