"""TensorFlow's discrete random kernels as pure functions of a Philox position: full-range
integers, dropout masks, shuffles and categorical (multinomial) samples.

On a Philox key each function returns what TensorFlow 2.21's CPU kernel returns when its
generator sits at the key's position:

- `uniform_full_int`: StatelessRandomUniformFullIntV2 (and the Generator's `uniform_full_int`):
  the stream's words in order, one per 32-bit value, two per 64-bit value (low word first).
- `dropout`: tf.nn.dropout's mask: RandomUniform's raw [0, 1) values, kept where `>= rate`, the
  kept inputs scaled by `1 / (1 - rate)` (the scale rounded to the input's dtype first).
- `shuffle`: RandomShuffle: a Fisher-Yates pass over the leading axis, `swap(i, i + w % (n - i))`
  for i in [0, n-1), w the stream's words in order (random_shuffle_op.cc).
- `categorical`: Multinomial: per row, a float64 running sum of `exp(logit - max)` over finite
  logits (the maximum taken in the logits' dtype); each sample is the number of sums
  `<= u * total` (u from two words, the first giving the high 20 mantissa bits). The kernel
  shards its rows over TensorFlow's intra-op threads (Eigen's parallelFor, by the work per row),
  and each shard starts at its own place on the stream (multinomial_op.cc): with little work
  (rows * (num_samples * log2(classes) + classes) below about 2200) every row reads the stream
  one after another; past it, where the rows read depends on the number of CPUs TensorFlow would
  use on this machine (`tf_cpu_threads`), as TensorFlow's own output does.

How far each kernel moves TensorFlow's stateful counter is in `blocks_used` (compat keeps the
counters).

On a threefry key they fall back to `jax.random` (same shapes and dtypes, different numbers).
"""

from __future__ import annotations

import math
import numbers
import os
import operator
import warnings
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keyrng import _bits, _checks, _distributions, _errors, _impl, _keys, _stream, _tf_kernels
from keyrng.typing import ArrayLike, DTypeLike, Shape

FULL_INT_DTYPES = ("int32", "int64", "uint32", "uint64")
_WIDE = ("int64", "uint64")


# --- full-range integers -------------------------------------------------------------------------

def check_full_int_dtype(function: str, dtype, allowed=FULL_INT_DTYPES) -> str:
    """A dtype name among `allowed`; uint64 and int64 need jax's x64 mode."""
    name = _checks.dtype_name(function, dtype, allowed)
    if name == "uint64" and not jax.config.jax_enable_x64:
        narrow = [n for n in allowed if n not in _WIDE + _checks.WIDE_DTYPES]
        _errors.value_error(
            function, "dtype", "one of " + ", ".join(narrow) + " while jax's 64-bit mode is off",
            dtype, "Enable 64-bit types with `jax.config.update('jax_enable_x64', True)` at "
            "start-up (or JAX_ENABLE_X64=1), or use `with jax.enable_x64(True):`.")
    return name


def full_int_words(key, counter, shape, dtype: str):
    """The kernel on words: `shape` values of `dtype` (64-bit types need jax's x64 mode)."""
    count = math.prod(shape)
    if dtype in _WIDE:
        words = _stream.words(key, counter, 2 * count).reshape(count, 2)
        with jax.enable_x64(True):
            bits = words[:, 0].astype(jnp.uint64) | (words[:, 1].astype(jnp.uint64) << 32)
            return lax.bitcast_convert_type(bits, jnp.dtype(dtype)).reshape(shape)
    words = _stream.words(key, counter, count)
    return lax.bitcast_convert_type(words, jnp.dtype(dtype)).reshape(shape)


@partial(jax.jit, static_argnames=("shape", "dtype"))
def _full_int_philox(key, *, shape, dtype):
    return full_int_words(*_impl.position_words(key), shape, dtype)


def draw_full_int(key, shape, dtype: str) -> jax.Array:
    """`uniform_full_int` after its checks; `key` may be a Philox key's raw uint32[6] data."""
    if _impl.draws_philox(key):
        return _full_int_philox(key, shape=shape, dtype=dtype)
    unsigned = "uint64" if dtype in _WIDE else "uint32"
    return lax.bitcast_convert_type(jax.random.bits(key, shape, unsigned), jnp.dtype(dtype))


def uniform_full_int(key: jax.Array, shape: Shape = (), dtype: DTypeLike = "uint64") -> jax.Array:
    """Integers over the whole range of `dtype` (int32, int64, uint32 or uint64).

    On a Philox key: TensorFlow's StatelessRandomUniformFullIntV2 at the key's position, so
    `tf.random.stateless_uniform(shape, seed, dtype=tf.uint32, minval=None, maxval=None)` is
    `uniform_full_int(keyrng.tf_stateless_key(seed), shape, "uint32")`.

    >>> import keyrng
    >>> keyrng.uniform_full_int(keyrng.tf_stateless_key([1, 2]), [3], "int32")
    Array([1105988140, 1738052849, -335576002], dtype=int32)
    """
    _keys.check_key("keyrng.uniform_full_int", key)
    shape = _checks.shape("keyrng.uniform_full_int", shape)
    dtype = check_full_int_dtype("keyrng.uniform_full_int", dtype)
    return draw_full_int(key, shape, dtype)


# --- dropout -------------------------------------------------------------------------------------

@partial(jax.jit, static_argnames=("noise_shape", "dtype"))
def _dropout_philox(key, x, rate, scale, *, noise_shape, dtype):
    raw = _tf_kernels.uniform(*_impl.position_words(key), noise_shape, dtype)
    return _apply_dropout(x, raw, rate, scale)


def _apply_dropout(x, uniform, rate, scale):
    """`where(uniform >= rate, x * scale, 0)`; `rate` and `scale` already in x's dtype."""
    with _tf_kernels.wide_types(x.dtype == jnp.float64):
        return jnp.where(uniform >= rate, x * scale, jnp.zeros((), x.dtype))


def draw_dropout(key, x, rate, noise_shape) -> jax.Array:
    """`dropout` after its checks (`rate` a non-zero real number as `check_dropout` returns it,
    `noise_shape` a tuple); raw key data allowed.

    As tf.nn.dropout: `scale = 1 / (1 - rate)` in the arithmetic of `rate`'s own type (Python
    floats, or NumPy's for a NumPy number: a float32 rate makes a float32 scale), then `rate`
    and `scale` each converted once to x's dtype (outside jit, so no float32 step comes between).
    """
    dtype = x.dtype
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NaN rates: every element dropped, as in TensorFlow
        rate_x = np.asarray(rate).astype(dtype)
        scale_x = np.asarray(1 / (1 - rate)).astype(dtype)
    if _impl.draws_philox(key):
        return _dropout_philox(key, x, rate_x, scale_x, noise_shape=noise_shape, dtype=dtype.name)
    return _apply_dropout(x, jax.random.uniform(key, noise_shape, dtype), rate_x, scale_x)


def check_dropout(function: str, x: Any, rate: Any, noise_shape: Any):
    """Canonical `(x, rate, noise_shape)` for dropout, or the error.

    `rate`: what tf.nn.dropout takes as a number, a `numbers.Real` (Python or NumPy numbers,
    False) with `not (rate < 0 or rate >= 1)` (so NaN passes, and drops every element); kept as
    given, since its type decides the arithmetic of the scale (see `draw_dropout`).
    """
    accepted = "a float in [0, 1)"
    if isinstance(rate, (jax.Array, np.ndarray)) or not isinstance(rate, numbers.Real):
        _errors.type_error(function, "rate", accepted, rate)
    try:
        outside = bool(rate < 0 or rate >= 1)
    except OverflowError:
        outside = True
    if outside:
        _errors.value_error(function, "rate", accepted, rate)
    if type(rate) is bool:
        rate = int(rate)  # False: the only bool in range
    x = as_array(function, "x", x, "a floating-point array")
    if not jnp.issubdtype(x.dtype, jnp.floating):
        _errors.value_error(function, "x", "a floating-point array", f"an array of dtype {x.dtype}",
                            "Cast x to a float dtype first.")
    if noise_shape is None:
        noise_shape = x.shape
    else:
        noise_shape = _checks.shape(function, _fill_noise_shape(noise_shape, x.shape), "noise_shape")
        try:
            np.broadcast_shapes(noise_shape, x.shape)
        except ValueError:
            _errors.value_error(function, "noise_shape", f"broadcastable to x's shape {x.shape}",
                                list(noise_shape))
    return x, rate, noise_shape


def _fill_noise_shape(noise_shape: Any, x_shape: tuple) -> Any:
    """tf.nn.dropout's `_get_noise_shape`: a shape-like of x's rank (a sequence, or an object with
    `as_list()` such as a TensorShape) whose entries are ints (anything with `__index__`, so
    also bools and NumPy integers) or None becomes a list of ints, x's dimension where it has
    None; anything else is left for the shape check.

    >>> _fill_noise_shape([None, 1], (4, 3))
    [4, 1]
    >>> _fill_noise_shape([None], (4, 3))
    [None]
    """
    if hasattr(noise_shape, "as_list") and not isinstance(noise_shape, (jax.Array, np.ndarray)):
        try:
            noise_shape = noise_shape.as_list()
        except ValueError:  # a TensorShape of unknown rank
            return noise_shape
    if isinstance(noise_shape, (str, bytes)):
        return noise_shape
    try:
        entries = list(noise_shape)
    except TypeError:
        return noise_shape
    if len(entries) != len(x_shape):
        return noise_shape
    filled = []
    for entry, x_dim in zip(entries, x_shape):
        if entry is None:
            filled.append(x_dim)
            continue
        try:
            filled.append(operator.index(entry))
        except TypeError:
            return noise_shape
    return filled


def dropout(key: jax.Array, x: ArrayLike, rate: float, noise_shape: Shape | None = None) -> jax.Array:
    """Zero each element of `x` with probability `rate` and scale the rest by `1 / (1 - rate)`.

    On a Philox key: `tf.nn.dropout`'s mask from TensorFlow's RandomUniform kernel at the key's
    position (its values of dtype `x.dtype` and shape `noise_shape`, kept where `>= rate`).

    >>> import keyrng, jax.numpy as jnp
    >>> keyrng.dropout(keyrng.tf_key(87654321, 1), jnp.ones([5]), 0.5)
    Array([0., 2., 0., 0., 2.], dtype=float32)
    """
    _keys.check_key("keyrng.dropout", key)
    x, rate, noise_shape = check_dropout("keyrng.dropout", x, rate, noise_shape)
    if rate == 0.0:
        return x
    return draw_dropout(key, x, rate, noise_shape)


# --- shuffle -------------------------------------------------------------------------------------

def shuffle_permutation_words(key, counter, size: int):
    """The permutation RandomShuffle applies to a leading axis of `size` (>= 2).

    The kernel's Fisher-Yates pass, step i swapping positions i and `j_i = i + word_i % (n - i)`,
    computed without running the steps one after another (one step at a time costs about 1 µs
    on XLA:CPU, 1.2 s for 2^20 values). Step i fixes position i for good: it receives the value
    at position j_i just before step i. That value is `v_k`, "the value at position k just
    before step k", of the last step k < i that also swapped with position j_i (it left `v_k`
    there), or the original value j_i if no earlier step did (and `v_i` itself when j_i = i).
    Likewise `v_k` is `v` of the last step before k that swapped with position k (or k), and
    the last position ends with `v` of the last step that swapped with it. So:

    - the steps that target each position, in order, come from one sort of the packed integers
      `j_i * 2^b + i` (a single-operand integer sort; XLA:CPU sorts tuples far more slowly);
    - the last step targeting each position is a scatter-max;
    - `v` follows those "last step" links to the step no earlier step preceded, by pointer jumping (a
      while loop of a few rounds: the chains are O(log n) long).
    """
    words = _stream.words(key, counter, size - 1)
    steps = jnp.arange(size - 1, dtype=jnp.int32)
    j = steps + (words % (jnp.uint32(size) - steps.astype(jnp.uint32))).astype(jnp.int32)
    swaps = j > steps
    bits = (size - 1).bit_length()
    with jax.enable_x64(2 * bits > 32):
        wide = jnp.uint32 if 2 * bits <= 32 else jnp.uint64
        packed = lax.sort((j.astype(wide) << bits) | steps.astype(wide), is_stable=False)
        target = (packed >> bits).astype(jnp.int32)
        step = (packed & ((1 << bits) - 1)).astype(jnp.int32)
    # Per step: the step before it (in the sorted order) that targets the same position, or -1.
    same = jnp.concatenate([jnp.zeros(1, bool), target[1:] == target[:-1]])
    earlier = jnp.where(same, jnp.concatenate([jnp.full(1, -1, jnp.int32), step[:-1]]), -1)
    previous = jnp.zeros(size - 1, jnp.int32).at[step].set(earlier, unique_indices=True)
    # Per position k: the last step before step k that swapped with k, or -1.
    last = jnp.full(size, -1, jnp.int32).at[j].max(jnp.where(swaps, steps, -1))

    # `v_k` is the original value of the first position on k's chain of links: pointer jumping
    # on "link, or k itself at the chain's end" until every entry points at its chain's end.
    def unresolved(carry):
        return carry[1]

    def jump(carry):
        root, _ = carry
        further = root[root]
        return further, jnp.any(further != root)

    start = jnp.where(last >= 0, last, jnp.arange(size, dtype=jnp.int32))
    before, _ = lax.while_loop(unresolved, jump, (start, jnp.any(last >= 0)))
    head = jnp.where(swaps, jnp.where(previous >= 0, before[jnp.maximum(previous, 0)], j), before[:-1])
    tail = jnp.where(last[-1] >= 0, before[jnp.maximum(last[-1], 0)], size - 1)
    return jnp.concatenate([head, tail[None]])


@partial(jax.jit, static_argnames=("size",))
def _shuffle_philox(key, value, *, size):
    return value[shuffle_permutation_words(*_impl.position_words(key), size)]


def shuffle_blocks(value_shape) -> int:
    """Blocks RandomShuffle reserves: ceil((n-1)/4) for a leading axis n >= 2 (0 when it copies)."""
    if math.prod(value_shape) <= 1 or value_shape[0] <= 1:
        return 0
    return -(-(value_shape[0] - 1) // 4)


def draw_shuffle(key, value) -> jax.Array:
    """`shuffle` after its checks; `key` may be a Philox key's raw uint32[6] data."""
    if shuffle_blocks(value.shape) == 0:
        return value
    if _impl.draws_philox(key):
        return _shuffle_philox(key, value, size=value.shape[0])
    return jax.random.permutation(key, value, axis=0, independent=False)


def as_array(function: str, argument: str, value: ArrayLike, accepted: str, complex_ok: bool = False) -> jax.Array:
    """`value` as a jax array of numbers (complex ones too when `complex_ok`), or the project's
    error (never numpy's or jax's)."""
    if isinstance(value, (str, bytes)) or value is None or (
            isinstance(value, jax.Array) and jnp.issubdtype(value.dtype, jax.dtypes.prng_key)):
        _errors.type_error(function, argument, accepted, value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            array = jnp.asarray(value)
    except (OverflowError, RuntimeWarning):  # numbers past the range of jax's dtypes (x64 off)
        _errors.value_error(function, argument, accepted + " with values that fit jax's dtypes", value)
    except (TypeError, ValueError):
        _errors.type_error(function, argument, accepted, value)
    if not (jnp.issubdtype(array.dtype, jnp.integer) or jnp.issubdtype(array.dtype, jnp.floating)
            or array.dtype == jnp.bool_ or (complex_ok and jnp.issubdtype(array.dtype, jnp.complexfloating))):
        _errors.type_error(function, argument, accepted, value)
    return array


def check_value(function: str, value: Any, argument: str = "value") -> jax.Array:
    """`value` as an array (numbers, bools or complex numbers), or the error. A 0-d value is
    RandomShuffle's no-op, as in TensorFlow."""
    return as_array(function, argument, value, "an array of numbers", complex_ok=True)


def shuffle(key: jax.Array, value: ArrayLike) -> jax.Array:
    """`value` with its leading axis shuffled.

    On a Philox key: TensorFlow's RandomShuffle at the key's position (Fisher-Yates on the
    stream's words, `swap(i, i + word_i % (n - i))`).

    >>> import keyrng, jax.numpy as jnp
    >>> keyrng.shuffle(keyrng.tf_key(87654321, 1), jnp.arange(6))
    Array([3, 5, 0, 4, 1, 2], dtype=int32)
    """
    _keys.check_key("keyrng.shuffle", key)
    return draw_shuffle(key, check_value("keyrng.shuffle", value))


# --- categorical ---------------------------------------------------------------------------------

def categorical_blocks(batch: int, num_samples: int) -> int:
    """Blocks Multinomial reserves: batch * 2 * ceil4(num_samples) * 256 (0 for an empty output)."""
    if batch * num_samples == 0:
        return 0
    return batch * 2 * (-(-num_samples // 4) * 4) * 256


def tf_cpu_threads() -> int:
    """TensorFlow's intra-op thread count on this machine: the CPUs this process may run on
    (`port::MaxParallelism()`), which decides how Multinomial splits its rows (see
    `multinomial_row_offsets`)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _eigen_parallel_for_blocks(n: int, cost_per_unit: int, threads: int) -> int:
    """The rows per shard `tensorflow::Shard` gives each call of the work function: Eigen's
    `ThreadPoolDevice::parallelFor` (TensorCostModel and `CalculateParallelForBlock`) for `n`
    rows of `cost_per_unit` cycles on `threads` threads; `n` when it runs them all in one call."""
    if n <= 1 or threads <= 1:
        return n
    total = float(n) * cost_per_unit  # TensorOpCost(0, 0, cost): only compute cycles
    wanted = (total - 100000.0) / 100000.0 + 0.9  # kStartupCycles, kPerThreadCycles
    if min(threads, max(1, int(min(wanted, 2**31 - 1)))) == 1:
        return n
    block_size_f = 1.0 / (cost_per_unit / 40000.0)  # 1 / taskSize(1, cost), kTaskSize 40000
    block_size = min(n, max(-(-n // (4 * threads)), int(block_size_f)))
    max_block_size = min(n, 2 * block_size)
    block_count = -(-n // block_size)
    max_efficiency = block_count / (-(-block_count // threads) * threads)
    previous = block_count
    while max_efficiency < 1.0 and previous > 1:
        coarser = -(-n // (previous - 1))
        if coarser > max_block_size:
            break
        coarser_count = -(-n // coarser)
        previous = coarser_count
        efficiency = coarser_count / (-(-coarser_count // threads) * threads)
        if efficiency + 0.01 >= max_efficiency:
            block_size, block_count = coarser, coarser_count
            max_efficiency = max(max_efficiency, efficiency)
    return block_size


def multinomial_shard_rows(batch: int, classes: int, num_samples: int, threads: int) -> int:
    """The rows of each Multinomial shard (`batch` when one shard does them all): `Shard` with
    cost `50 * (num_samples * log2(classes) + classes)` per row (see `multinomial_row_offsets`)."""
    cost = int(50 * (num_samples * math.log(classes) / math.log(2) + classes))
    return _eigen_parallel_for_blocks(batch, cost, threads)


def multinomial_row_offsets(batch: int, classes: int, num_samples: int, threads: int) -> list[int]:
    """Where each row of Multinomial reads the stream, in words from the kernel's position.

    The kernel shards its rows (`Shard` with cost `50 * (num_samples * log2(classes) + classes)`
    per row); a shard starting at row s skips `s * (num_samples + 3) / 4` blocks (integer
    division) and then reads its rows one after another, 2 words per sample. One shard (small
    work, or one thread) reads every row in order; otherwise rows of different shards overlap.

    >>> multinomial_row_offsets(3, 4, 2, 2)
    [0, 4, 8]
    >>> multinomial_row_offsets(4, 7, 300, 2)  # too little work to share: one shard
    [0, 600, 1200, 1800]
    >>> multinomial_row_offsets(40, 7, 300, 2)[4:7]  # shards of 5 rows: row 5 starts at block 378
    [2400, 1512, 2112]
    """
    size = multinomial_shard_rows(batch, classes, num_samples, threads)
    offsets = []
    for row in range(batch):
        start = row - row % size
        offsets.append(4 * (start * (num_samples + 3) // 4) + 2 * num_samples * (row - start))
    return offsets


def categorical_words(key, counter, logits, num_samples: int, dtype: str, threads: int = 1):
    """Multinomial's samples for float `logits` of shape [batch, classes] (any float dtype: the
    kernel takes each row's maximum in that dtype and the rest in float64), its rows placed on
    the stream as TensorFlow places them with `threads` intra-op threads."""
    batch, classes = logits.shape
    size = multinomial_shard_rows(batch, classes, num_samples, threads)
    # Constant logits (a constant inside a jitted function) would otherwise be constant-folded
    # through the row maxima by XLA's slow evaluator: seconds of compile time at 1024 x 1000.
    logits = lax.optimization_barrier(logits)
    with jax.enable_x64(True):
        if size == batch:  # one shard: the rows read the stream one after another
            words = _stream.words(key, counter, 2 * num_samples * batch).reshape(batch, num_samples, 2)
        else:
            # `multinomial_row_offsets` computed in the graph (a constant index would put
            # batch * num_samples * 2 integers into the program).
            count = max(multinomial_row_offsets(batch, classes, num_samples, threads)) + 2 * num_samples
            rows = jnp.arange(batch, dtype=jnp.int64)
            within = rows % size
            offsets = 4 * ((rows - within) * (num_samples + 3) // 4) + 2 * num_samples * within
            index = offsets[:, None] + jnp.arange(2 * num_samples, dtype=jnp.int64)[None, :]
            words = _stream.words(key, counter, count)[index].reshape(batch, num_samples, 2)
        u = _bits.to_unit_double(words[..., 0], words[..., 1])
        wide = logits.astype(jnp.float64)
        finite = jnp.isfinite(wide)
        lowest = jnp.finfo(logits.dtype).min.astype(jnp.float64)
        row_max = jnp.max(jnp.where(finite, wide, lowest), axis=1, keepdims=True)
        terms = jnp.where(finite, jnp.exp(wide - row_max), 0.0)
        cdf = _running_sum(terms)
        target = u * cdf[:, -1:]
        return _upper_bound(cdf, target).astype(dtype)


def _upper_bound(cdf, target):
    """Per row, the number of entries of the non-decreasing `cdf` [batch, classes] that are
    `<= target` [batch, samples] (std::upper_bound's distance, as the kernel finds each sample):
    a branchless binary search, one bit of the answer per step from the highest, each step one
    gather from the flattened sums (a `fori_loop`, so the step compiles once). Up to 32 classes
    counting every sum `<= target` is faster on XLA:CPU (one fused compare-and-add), and the
    same count."""
    batch, classes = cdf.shape
    if classes <= 32:
        return jnp.sum(cdf[:, None, :] <= target[:, :, None], axis=-1, dtype=jnp.int32)
    flat = cdf.reshape(-1)
    base = (jnp.arange(batch, dtype=jnp.int32) * classes)[:, None]
    steps = classes.bit_length()

    def step(k, count):
        candidate = count + jnp.left_shift(jnp.int32(1), steps - 1 - k)
        inside = candidate <= classes
        below = flat[base + jnp.minimum(candidate, classes) - 1] <= target
        return jnp.where(inside & below, candidate, count)

    return lax.fori_loop(0, steps, step, jnp.zeros(target.shape, jnp.int32))


def _running_sum(terms):
    """Left-to-right float64 sums, as the kernel's loop adds them (no reassociation)."""
    def step(total, column):
        total = total + column
        return total, total
    _, sums = lax.scan(step, jnp.zeros(terms.shape[:1], terms.dtype), terms.T)
    return sums.T


@partial(jax.jit, static_argnames=("num_samples", "dtype", "threads"))
def _categorical_philox(key, logits, *, num_samples, dtype, threads):
    return categorical_words(*_impl.position_words(key), logits, num_samples, dtype, threads)


def draw_categorical(key, logits, num_samples: int, dtype: str) -> jax.Array:
    """`categorical` after its checks; `key` may be a Philox key's raw uint32[6] data."""
    if logits.shape[0] * num_samples == 0:
        return jnp.zeros((logits.shape[0], num_samples), dtype)
    if _impl.draws_philox(key):
        with jax.enable_x64(True):  # float64 logits stay float64 (see `check_categorical`)
            return _categorical_philox(key, logits, num_samples=num_samples, dtype=dtype,
                                       threads=tf_cpu_threads())
    samples = jax.random.categorical(key, logits, axis=-1, shape=(num_samples, logits.shape[0]))
    return samples.T.astype(dtype)


def check_categorical(function: str, logits: Any, num_samples: Any, dtype: Any):
    """Canonical `(logits, num_samples, dtype name)`, or the error.

    NumPy float64 logits stay float64 even with jax's 64-bit mode off (the kernel computes in
    float64, and TensorFlow keeps NumPy's dtype); `num_samples` converts as TensorFlow converts
    it to int32 (bools, NumPy numbers of any kind, Python ints wrapped; Python floats refused).
    """
    accepted = "a float array of shape [batch, classes]"
    if isinstance(logits, np.ndarray) and logits.dtype == np.float64 and not jax.config.jax_enable_x64:
        with jax.enable_x64(True):
            logits = jnp.asarray(logits)
    else:
        logits = as_array(function, "logits", logits, accepted)
    if not jnp.issubdtype(logits.dtype, jnp.floating):
        _errors.type_error(function, "logits", accepted, f"an array of dtype {logits.dtype}")
    if logits.ndim != 2:
        _errors.value_error(function, "logits", accepted, f"an array of shape {logits.shape}")
    if logits.shape[1] == 0:
        _errors.value_error(function, "logits", "an array with at least one class",
                            f"an array of shape {logits.shape}")
    num_samples = _distributions.int_bound(function, "num_samples", num_samples, "int32")
    if num_samples < 0:
        _errors.value_error(function, "num_samples", "a non-negative int", num_samples)
    dtype = _checks.dtype_name(function, "int64" if dtype is None else dtype, ("int32", "int64"))
    return logits, num_samples, dtype


def categorical(key: jax.Array, logits: ArrayLike, num_samples: int, dtype: DTypeLike | None = None) -> jax.Array:
    """`num_samples` class indices per row of `logits` ([batch, classes]); int64 by default.

    On a Philox key: TensorFlow's Multinomial kernel at the key's position.

    >>> import keyrng, jax, jax.numpy as jnp
    >>> with jax.enable_x64(True):
    ...     keyrng.categorical(keyrng.tf_key(87654321, 1), jnp.log(jnp.array([[0.5, 0.5]])), 4)
    Array([[1, 0, 1, 1]], dtype=int64)
    """
    _keys.check_key("keyrng.categorical", key)
    return draw_categorical(key, *check_categorical("keyrng.categorical", logits, num_samples, dtype))
