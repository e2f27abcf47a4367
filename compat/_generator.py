"""`tf.random.Generator`: a Philox position that moves forward with every draw.

A generator's state is TensorFlow's int64[3] `[counter_low, counter_high, key]`: the Philox key
and the 128-bit block counter of `keyrng.philox_key(key, counter)`. A draw of N values reads the
stream at that position (TensorFlow's stateless V2 kernels, keyrng's `uniform` / `normal` /
`truncated_normal` / `uniform_full_int`) and then moves the counter by 256*N blocks, whatever the
distribution or dtype (`RngReadAndSkip`; the move is `PhiloxRandom::Skip` of `256*N mod 2^64`,
carries and all). `skip(n)` moves it the same way without drawing.

`from_seed` does not scramble: a Python int seed `s` is the state `[s mod 2^64, s >> 64 mod 2^64,
s >> 128 mod 2^64]` (so `from_seed(1234)` has counter 1234 and key 0), while anything else (a
numpy integer of any dtype, a float, a list, an array) is cast to int64 as `tf.cast` casts it
(integers wrap, floats truncate), flattened, cut to 3 values and padded with zeros on the left
(`from_seed(np.int64(1234))` has key 1234 and counter 0). `compat.create_rng_state(seed, alg)`
is that state (`keyrng.tf.rng_state`).

The generator is not affected by `compat.set_seed`. Its state lives in the object (guarded by a
lock), and a rejected call leaves it as it was.

`alg="threefry"` (or 2): TensorFlow's state is int64[2] `[counter, key]` (`from_seed(s)` is `[s, 0]`),
and only its XLA bridge draws from such a generator: inside `compat.function(jit_compile=True)` the
draws are XLA's ThreeFry (`keyrng.tf.threefry_*`, keyrng/_tf_threefry.py) at the generator's
position, and the counter moves by 256*N mod 2^64; anywhere else a draw (or `skip`) raises a
RuntimeError and changes nothing, as TensorFlow refuses it ("Non-XLA devices don't support the
ThreeFry algorithm").
"""

from __future__ import annotations

import math
import operator
import secrets
import threading
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import keyrng
from keyrng.typing import DTypeLike, Key, OpSeed, RealLike, Shape

from compat import _guard, _ops, _seeds, _state, _stateless_ops

_M64 = 2**64
_STATE_FORMS = "three int64 values [counter_low, counter_high, key]"


def _signed(value: int) -> int:
    value %= _M64
    return value - _M64 if value >= 2**63 else value


def _int64_values(function: str, argument: str, value: Any, accepted: str) -> list[int]:
    """A flat list of ints in [0, 2^64): `value` cast to int64 as TensorFlow casts it."""
    return keyrng.tf.int64_values(function, argument, value, accepted)


_THREEFRY = 2
_THREEFRY_STATE_FORMS = "two int64 values [counter, key] (alg='threefry')"


def _state_from_seed(function: str, seed: Any, alg: int = 1) -> list[int]:
    """TensorFlow's `create_rng_state(seed, alg)`: three unsigned 64-bit ints, two for ThreeFry."""
    return keyrng.tf.rng_state_words(function, seed, _THREEFRY if alg == _THREEFRY else 1)


def _check_state(function: str, state: Any, alg: int = 1) -> list[int]:
    """The unsigned words `[counter_low, counter_high, key]`; a ThreeFry state `[counter, key]`
    is kept as `[counter, 0, key]` (its counter is the low word, mod 2^64)."""
    forms = _THREEFRY_STATE_FORMS if alg == _THREEFRY else _STATE_FORMS
    values = _int64_values(function, "state", state, forms)
    if len(values) != (2 if alg == _THREEFRY else 3):
        keyrng.errors.value_error(function, "state", forms, state)
    if alg == _THREEFRY:
        values = [values[0], 0, values[1]]
    return [v % _M64 for v in values]


def _check_alg(function: str, alg: Any) -> int:
    return _stateless_ops.check_alg(function, "philox" if alg is None else alg, threefry=True)


class Generator:
    """`tf.random.Generator` with the Philox algorithm (see the module docstring).

    >>> import compat
    >>> g = compat.Generator.from_seed(1234)
    >>> g.state
    array([1234,    0,    0])
    >>> g.normal([2]).shape
    (2,)
    >>> g.state
    array([1746,    0,    0])
    """

    def __init__(self, copy_from: Generator | None = None, state: Any = None, alg: Any = None):
        function = "compat.Generator"
        if copy_from is not None:
            if not isinstance(copy_from, Generator):
                keyrng.errors.type_error(function, "copy_from", "a compat.Generator", copy_from)
            words, alg = list(copy_from._words), copy_from._alg
        else:
            if state is None or alg is None:
                keyrng.errors.value_error(function, "state", "given together with alg (or use copy_from, "
                                    "from_seed or from_state)", state)
            alg = _check_alg(function, alg)
            words = _check_state(function, state, alg)
        self._lock = threading.Lock()
        self._words = words  # unsigned [counter_low, counter_high, key]
        self._alg = alg

    # --- constructors ----------------------------------------------------------------------------

    @classmethod
    def from_seed(cls, seed: OpSeed, alg: str | int | None = None) -> Generator:
        """A generator from a seed, by TensorFlow's rules (module docstring); no scrambling.

        >>> import compat, numpy as np
        >>> compat.Generator.from_seed(2**70 + 3).state
        array([ 3, 64,  0])
        >>> compat.Generator.from_seed(np.int64(1234)).state
        array([   0,    0, 1234])
        """
        alg = _check_alg("compat.Generator.from_seed", alg)
        return cls(state=[_signed(v) for v in _state_from_seed("compat.Generator.from_seed", seed, alg)],
                   alg=alg)

    @classmethod
    def from_state(cls, state: Any, alg: str | int) -> Generator:
        """A generator at `state` ([counter_low, counter_high, key]; [counter, key] for threefry)."""
        alg = _check_alg("compat.Generator.from_state", alg)
        words = _check_state("compat.Generator.from_state", state, alg)
        return cls(state=[words[0], words[2]] if alg == _THREEFRY else words, alg=alg)

    @classmethod
    def from_key_counter(cls, key: Key, counter: Any, alg: str | int) -> Generator:
        """A generator with Philox `key` (an int64) and `counter` (two int64, low first).

        >>> import compat
        >>> compat.Generator.from_key_counter(5, [7, 0], "philox").state
        array([7, 0, 5])
        """
        function = "compat.Generator.from_key_counter"
        alg = _check_alg(function, alg)
        return cls(state=_key_counter_state(function, key, counter, alg), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg: str | int | None = None) -> Generator:
        """A generator at a random state from OS entropy; refused when op determinism is on."""
        function = "compat.Generator.from_non_deterministic_state"
        alg = _check_alg(function, alg)
        if _state.state.determinism:
            keyrng.errors.runtime_error(function, "it must not be called while op determinism is enabled",
                                  "a call with op determinism enabled", "Use compat.Generator.from_seed.")
        return cls(state=[_signed(secrets.randbits(64)) for _ in range(2 if alg == _THREEFRY else 3)], alg=alg)

    # --- state -----------------------------------------------------------------------------------

    @property
    def state(self) -> np.ndarray:
        """A copy of the state: int64 `[counter_low, counter_high, key]` (`[counter, key]` for
        threefry)."""
        with self._lock:
            words = self._words if self._alg != _THREEFRY else [self._words[0], self._words[2]]
            return np.array([_signed(v) for v in words], np.int64)

    @property
    def algorithm(self) -> int:
        """TensorFlow's algorithm id: 1 (Philox), 2 (ThreeFry) or 3 (auto-select, Philox on CPU)."""
        return self._alg

    @property
    def key(self) -> np.int64:
        """The Philox key part of the state (an int64)."""
        return self.state[-1]

    @property
    def position(self) -> jax.Array:
        """The state as a keyrng Philox key: `keyrng.philox_key(key, counter)`.

        >>> import compat, keyrng
        >>> keyrng.position(compat.Generator.from_seed(1234).position)
        (0, 1234)
        """
        with self._lock:
            words = list(self._words)
        if self._alg == _THREEFRY:  # a ThreeFry position instead (keyrng.tf.threefry_generator_position)
            return keyrng.tf.threefry_generator_position(words[2], words[0])
        return keyrng.philox_key(words[2], words[0] | words[1] << 64)

    def reset(self, state: Any) -> None:
        """Set the state ([counter_low, counter_high, key])."""
        words = _check_state("compat.Generator.reset", state, self._alg)
        with self._lock:
            self._words = words

    def reset_from_seed(self, seed: OpSeed) -> None:
        """Set the state from a seed, as `from_seed` does."""
        words = _state_from_seed("compat.Generator.reset_from_seed", seed)
        with self._lock:
            self._words = words

    def reset_from_key_counter(self, key: Key, counter: Any) -> None:
        """Set the state from a key and a counter, as `from_key_counter` does."""
        state = _key_counter_state("compat.Generator.reset_from_key_counter", key, counter)
        with self._lock:
            self._words = [v % _M64 for v in state]

    def _read_and_skip(self, count: int, function: str | None = None) -> jax.Array:
        """TensorFlow's RngReadAndSkip: the position before, as raw key data; then the counter
        moves by `256 * count` computed in 64 bits (the kernel's int64 `delta * 256`), added by
        `PhiloxRandom::Skip` (`_philox_skip`).

        A draw (`function` given) inside a compat.function reads and moves the state there, in
        the compiled code (TensorFlow's Generator captured by a tf.function: its state variable
        moves on with every call); see `compat._trace._Builder.generator_position`.

        A ThreeFry generator reads and moves only inside a jit_compile function (TensorFlow's
        other kernels refuse ThreeFry); its position is the first four words returned."""
        if self._alg == _THREEFRY and (function is None or not _guard.xla()):
            keyrng.errors.runtime_error(
                function or "compat.Generator.skip", "a generator with alg='threefry' draws only inside "
                "compat.function(jit_compile=True)", "a call outside one",
                "TensorFlow refuses ThreeFry outside XLA (\"Non-XLA devices don't support the ThreeFry "
                "algorithm\"); draw inside compat.function(jit_compile=True), or use alg='philox'.")
        if function is not None:
            builder = _guard.current(function)
            if builder is not None:
                return builder.generator_position(self, count)
        with self._lock:
            low, high, key = self._words
            counter = low | high << 64
            advanced = _philox_skip(counter, 256 * count)
            self._words = [advanced % _M64, advanced >> 64, key]
        return _seeds.position_words(key, counter)

    @staticmethod
    def _state_of(data: jax.Array) -> np.ndarray:
        """The int64 state `[counter_low, counter_high, key]` of raw key data."""
        words = [int(w) for w in np.asarray(data)]
        return np.array([_signed(words[2] | words[3] << 32), _signed(words[4] | words[5] << 32),
                         _signed(words[0] | words[1] << 32)], np.int64)

    def _check_eager(self, function: str) -> None:
        if _guard.current(function) is not None:
            keyrng.errors.runtime_error(
                function, "it returns Python values, so it must run eagerly", "a call inside "
                "compat.function or a jax transformation", "Call it eagerly (the Generator's draws "
                "can run inside compat.function), or use g.position with keyrng inside the function.")

    def skip(self, delta: Any) -> np.ndarray:
        """Move the counter by 256*delta blocks (as a draw of `delta` values would); returns the
        state before the move.

        As in TensorFlow, `delta` is cast to uint64 and the counter moves by the 64-bit amount
        `256 * delta mod 2**64` (TensorFlow's `PhiloxRandom::Skip`): `skip(2**56)` does not move
        it, and `skip(-5)` adds `2**64 - 1280`, with Skip's carries (see `_philox_skip`). A Python
        int must fit int64; a float is truncated.

        >>> import compat
        >>> g = compat.Generator.from_seed(1234)
        >>> _ = g.skip(5)
        >>> g.state
        array([2514,    0,    0])
        >>> _ = g.skip(-5)
        >>> g.state
        array([1234,    0,    0])
        """
        delta = _skip_delta("compat.Generator.skip", delta)
        return self._state_of(self._read_and_skip(delta))

    # --- draws -----------------------------------------------------------------------------------

    def uniform(self, shape: Shape, minval: RealLike = 0, maxval: RealLike | None = None, dtype: DTypeLike = jnp.float32,
                name: str | None = None) -> jax.Array:
        """Uniform values, as `compat.stateless_uniform` at the generator's position.

        Stands for `keyrng.uniform(g.position, shape, dtype, float(minval), maxval)` (or
        `keyrng.uniform_full_int(g.position, shape, dtype)` for integers with minval=maxval=None),
        then `g.skip(prod(shape))`.

        >>> import compat
        >>> g = compat.Generator.from_seed(1234)
        >>> g.uniform([2])
        Array([0.3581475 , 0.11322761], dtype=float32)
        """
        function = "compat.Generator.uniform"
        checked = _stateless_ops.check_stateless_uniform(function, shape, minval, maxval, dtype)
        words = self._read_and_skip(math.prod(checked[0]), function)
        if self._alg == _THREEFRY:
            return keyrng.tf.threefry_draw_uniform(words[:4], *checked)
        return _stateless_ops.draw_stateless_uniform(words, *checked)

    def uniform_full_int(self, shape: Shape, dtype: DTypeLike = jnp.uint64, name: str | None = None) -> jax.Array:
        """Integers over the whole range of `dtype` (uint64 by default, which needs jax's x64 mode).

        Stands for `keyrng.uniform_full_int(g.position, shape, dtype)`, then `g.skip(prod(shape))`.
        """
        function = "compat.Generator.uniform_full_int"
        shape = keyrng.tf.check_shape(function, shape)
        dtype = keyrng.tf.check_full_int_dtype(function, dtype)
        words = self._read_and_skip(math.prod(shape), function)
        if self._alg == _THREEFRY:
            return keyrng.tf.threefry_draw_full_int(words[:4], shape, dtype)
        return keyrng.tf.draw_full_int(words, shape, dtype)

    def normal(self, shape: Shape, mean: RealLike = 0.0, stddev: RealLike = 1.0, dtype: DTypeLike = jnp.float32,
               name: str | None = None) -> jax.Array:
        """Normal values. Stands for `keyrng.normal(g.position, shape, dtype, mean, stddev)`, then
        `g.skip(prod(shape))`."""
        return self._normal_family("compat.Generator.normal", "normal", shape, mean, stddev, dtype)

    def truncated_normal(self, shape: Shape, mean: RealLike = 0.0, stddev: RealLike = 1.0,
                         dtype: DTypeLike = jnp.float32, name: str | None = None) -> jax.Array:
        """Truncated normal values. Stands for `keyrng.truncated_normal(g.position, shape, dtype,
        mean, stddev)`, then `g.skip(prod(shape))`."""
        return self._normal_family("compat.Generator.truncated_normal", "truncated_normal", shape,
                                   mean, stddev, dtype)

    def _normal_family(self, function, kind, shape, mean, stddev, dtype):
        checked = keyrng.tf.check_normal(function, shape, dtype, mean, stddev)
        words = self._read_and_skip(math.prod(checked[0]), function)
        if self._alg == _THREEFRY:
            return keyrng.tf.threefry_draw_normal(kind, words[:4], *checked)
        return _stateless_ops.draw_normal(kind, words, *checked)  # XLA's kernels under jit_compile

    def binomial(self, shape: Shape, counts: Any, probs: Any, dtype: DTypeLike = jnp.int32,
                 name: str | None = None) -> jax.Array:
        """Binomial samples (TensorFlow's StatefulRandomBinomial kernel at the generator's
        position). `counts` and `probs` convert as `tf.convert_to_tensor` converts them (a Python
        int is int32, which the kernel refuses: pass floats); `shape` ends with their broadcast
        shape. The kernel needs the Philox algorithm id (1): a generator with 'auto_select' is
        refused, as in TensorFlow. The counter moves by 256 * `keyrng.tf.binomial_blocks(shape,
        batch rank)` blocks, i.e. `num_batches * 200 * (samples + 3) // 4` values' worth.

        Stands for `keyrng.tf.binomial(g.position, shape, counts, probs, dtype)`, then
        `g.skip(keyrng.tf.binomial_blocks(shape, batch rank))`.

        >>> import compat
        >>> g = compat.Generator.from_seed(1234)
        >>> g.binomial([2], counts=[10., 20.], probs=0.5)  # doctest: +SKIP
        Array([ 5, 10], dtype=int32)
        >>> g.state  # doctest: +SKIP
        array([103634,      0,      0])
        """
        function = "compat.Generator.binomial"
        shape, counts, probs, dtype = keyrng.tf.check_binomial(
            function, shape, counts, probs, _ops.tf_dtype(function, dtype), hinted=False)
        if self._alg != 1:
            keyrng.errors.value_error(function, "alg", "the Philox algorithm id 1 (TensorFlow's binomial "
                                      "kernel refuses others)", self._alg, "Make the generator with alg='philox'.")
        batch_ndim = len(jnp.broadcast_shapes(counts.shape, probs.shape))
        words = self._read_and_skip(keyrng.tf.binomial_blocks(shape, batch_ndim), function)
        return keyrng.tf.draw_binomial(words, shape, counts, probs, dtype)

    def _int64_keys(self, function: str, count: Any) -> list[int]:
        count = keyrng.tf.check_integer(function, "count", count, 0, 2**31, "a non-negative int")
        self._check_eager(function)
        words = np.asarray(keyrng.tf.draw_full_int(self._read_and_skip(count), (2 * count,), "uint32"))
        return [int(words[2 * i]) | int(words[2 * i + 1]) << 32 for i in range(count)]

    def make_seeds(self, count: Any = 1) -> jax.Array:
        """`count` stateless seeds, int64 of shape [2, count]: `uniform_full_int([count], int64)`
        above a row of zeros (TensorFlow's `make_seeds`: `_make_int64_keys` stacked on zeros). Needs
        jax's x64 mode, as its result is int64.

        Runs eagerly and inside `compat.function` (with or without `jit_compile`: the integers are
        the same there), where it reads and moves the generator's state like the other draws.
        Stands for `keyrng.tf.draw_full_int(g.position, (count,), "int64")` above zeros, then
        `g.skip(count)`.

        >>> import compat, jax
        >>> with jax.enable_x64(True):
        ...     compat.Generator.from_seed(1234).make_seeds(2).shape
        (2, 2)
        """
        function = "compat.Generator.make_seeds"
        count = keyrng.tf.check_integer(function, "count", count, 0, 2**31, "a non-negative int")
        if not jax.config.jax_enable_x64:
            keyrng.errors.value_error(function, "count", "used only while jax's 64-bit mode is on (the seeds "
                                "are int64)", count, "Enable 64-bit types with `jax.config.update("
                                "'jax_enable_x64', True)` or use `with jax.enable_x64(True):`.")
        words = self._read_and_skip(count, function)
        with jax.enable_x64(True):
            if self._alg == _THREEFRY:
                keys = keyrng.tf.threefry_draw_full_int(words[:4], (count,), "int64")
            else:
                keys = keyrng.tf.draw_full_int(words, (count,), "int64")
            return jnp.stack([keys, jnp.zeros_like(keys)])

    def split(self, count: Any = 1) -> list[Generator]:
        """`count` new generators, with states `[0, 0, key_i]` for the `make_seeds` keys.

        >>> import compat
        >>> [g.state[:2].tolist() for g in compat.Generator.from_seed(1234).split(2)]
        [[0, 0], [0, 0]]
        """
        keys = self._int64_keys("compat.Generator.split", count)
        return [Generator(state=[0, 0, _signed(k)], alg=self._alg) for k in keys]

    def __repr__(self) -> str:
        return f"compat.Generator(state={self.state.tolist()}, alg={self._alg})"


def _philox_skip(counter: int, count: int) -> int:
    """TensorFlow's `PhiloxRandom::Skip(uint64 count)` on a 128-bit counter, word by word.

    It adds `count mod 2**64` and carries into the high 64 bits, except when the carry out of
    the lowest word meets a second word of count that is all ones: that carry is lost (the
    uint32 `count_hi + 1` wraps to 0), as happens for negative skips. So
    `_philox_skip(2514, 2**64 - 1280)` is 1234, not 2**64 + 1234.
    """
    words = [(counter >> (32 * i)) & 0xFFFFFFFF for i in range(4)]
    count_lo, count_hi = count & 0xFFFFFFFF, (count >> 32) & 0xFFFFFFFF
    words[0] = (words[0] + count_lo) & 0xFFFFFFFF
    if words[0] < count_lo:
        count_hi = (count_hi + 1) & 0xFFFFFFFF
    words[1] = (words[1] + count_hi) & 0xFFFFFFFF
    if words[1] < count_hi:
        words[2] = (words[2] + 1) & 0xFFFFFFFF
        if words[2] == 0:
            words[3] = (words[3] + 1) & 0xFFFFFFFF
    return words[0] | words[1] << 32 | words[2] << 64 | words[3] << 96


_DELTA_FORMS = "an int in [-2**63, 2**63), a numpy integer, or a non-negative float"


def _skip_delta(function: str, delta: Any) -> int:
    """`delta` cast to uint64 as TensorFlow's `skip` casts it (Python ints go through int64)."""
    if isinstance(delta, (jax.Array, np.ndarray)) and not isinstance(delta, jax.core.Tracer) \
            and delta.ndim == 0 and not jnp.issubdtype(delta.dtype, jax.dtypes.prng_key):
        delta = delta[()] if isinstance(delta, np.ndarray) else np.asarray(delta)[()]
    if isinstance(delta, (bool, np.bool_)):
        return int(delta)
    if isinstance(delta, np.integer):
        return int(delta) % _M64
    if isinstance(delta, (float, np.floating)):
        if not 0 <= delta < 2**63:  # NaN too; TensorFlow's cast of these is undefined
            keyrng.errors.value_error(function, "delta", _DELTA_FORMS, delta)
        return int(delta)
    try:
        value = operator.index(delta)
    except TypeError:
        keyrng.errors.type_error(function, "delta", _DELTA_FORMS, delta)
    if not -2**63 <= value < 2**63:
        keyrng.errors.value_error(function, "delta", _DELTA_FORMS, delta)
    return value % _M64


def _key_counter_state(function: str, key: Any, counter: Any, alg: int = 1) -> list[int]:
    keys = _int64_values(function, "key", key, "an int64")
    if np.ndim(key) != 0 or len(keys) != 1:
        keyrng.errors.value_error(function, "key", "a single int64", key)
    size = 1 if alg == _THREEFRY else 2
    forms = "one int64 value [counter] (alg='threefry')" if size == 1 else "two int64 values [low, high]"
    counters = _int64_values(function, "counter", counter, forms)
    if len(counters) != size:
        keyrng.errors.value_error(function, "counter", forms, counter)
    return [_signed(c) for c in counters] + [_signed(keys[0])]


def create_rng_state(seed: OpSeed, alg: str | int) -> np.ndarray:
    """`tf.random.create_rng_state`: a Generator state (int64) from a seed, without scrambling.

    Stands for `keyrng.tf.rng_state(seed, alg)`; the rules are `from_seed`'s.
    TensorFlow's examples:

    >>> import compat
    >>> compat.create_rng_state(1234, "philox")
    array([1234,    0,    0])
    >>> compat.create_rng_state([12, 34], "threefry")
    array([12, 34])
    """
    words = keyrng.tf.rng_state_words("compat.create_rng_state", seed, alg)
    return np.array([_signed(v) for v in words], np.int64)


def get_global_generator() -> Generator:
    """`tf.random.get_global_generator`: made from OS entropy on first use (not by `set_seed`);
    refused when op determinism is on and `set_global_generator` was not called.

    >>> import compat
    >>> compat.set_global_generator(compat.Generator.from_seed(7))
    >>> compat.get_global_generator().state
    array([7, 0, 0])
    """
    with _state.lock:
        if _state.state.global_generator is None:
            if _state.state.determinism:
                keyrng.errors.runtime_error(
                    "compat.get_global_generator", "the global generator cannot be made from OS "
                    "entropy while op determinism is enabled", "a first call with op determinism "
                    "enabled", "Call compat.set_global_generator first.")
            _state.state.global_generator = Generator.from_non_deterministic_state()
        return _state.state.global_generator


def set_global_generator(generator: Generator | None) -> None:
    """`tf.random.set_global_generator`: replace the global generator. `None` drops it, as in
    TensorFlow: the next `get_global_generator` makes a new one from OS entropy (or raises, when
    op determinism is on).

    >>> import compat
    >>> compat.set_global_generator(None)
    >>> compat.get_global_generator().state.shape
    (3,)
    """
    if generator is not None and not isinstance(generator, Generator):
        keyrng.errors.type_error("compat.set_global_generator", "generator", "a compat.Generator or None",
                           generator)
    with _state.lock:
        _state.state.global_generator = generator
