"""compat.data: tf.data's randomness, with TensorFlow's seeds, as indices.

`shuffle_order` / `ShuffleOrder` (Dataset.shuffle), `random` / `RandomDataset` (Dataset.random),
`sample_from_datasets_order` / `SampleFromDatasets` (Dataset.sample_from_datasets: which dataset
each element comes from) and `rejection_resample_order` (Dataset.rejection_resample: which input
elements come out); docs/data.md has the rules. The shuffle order in detail:

`compat.data.shuffle_order(n, buffer_size, seed)` is the order in which
`tf.data.Dataset.range(n).shuffle(buffer_size, seed).repeat(epochs)` yields its elements in
TensorFlow 2.21, as an int64 numpy array; `compat.data.ShuffleOrder(...)` is the same dataset
as a lazy iterable of indices in O(buffer_size) memory, which `compat.get_state` /
`compat.set_state` save and resume mid-pass.

Seeds follow `tf.random`'s rules and share its eager op-seed sequence: with a global seed and no
`seed=`, making the dataset draws the next op seed, exactly where TensorFlow's `shuffle` does
(so a dataset made between two `compat.uniform` calls moves the second one's seed, as in
TensorFlow); with neither seed the order comes from OS entropy. Each pass over a `ShuffleOrder`
(each `iter()`), and each epoch of its repeat, asks the dataset's seed generator for new seeds
when `reshuffle_each_iteration` is True (TensorFlow's default) and reuses them when it is False.
The algorithm is `keyrng.tf`'s `data_*` functions; this module holds only seed resolution and
the iterators' state.

>>> import compat
>>> compat.set_seed(1)
>>> compat.data.shuffle_order(10, 3).tolist()  # list(tf.data.Dataset.range(10).shuffle(3))
[1, 0, 2, 5, 4, 7, 6, 8, 3, 9]
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import secrets
import threading
import weakref
from typing import Any

import jax
import numpy as np

import keyrng
import keyrng.tf
from compat import _guard, _seeds, _state

UNKNOWN_CARDINALITY = -2
"""`tf.data.UNKNOWN_CARDINALITY`: as a `buffer_size`, buffer the whole data set."""
INFINITE_CARDINALITY = -1
"""`tf.data.INFINITE_CARDINALITY`: as `epochs` (like None), repeat forever."""

MAX_BUFFER = 2**26
"""The largest buffer compat holds (a buffer of more elements than this refuses; TensorFlow
allocates its whole buffer up front too)."""
MAX_ARRAY = 2**28
"""The most indices `shuffle_order` returns as one array; `ShuffleOrder` has no limit."""

_CHUNK = 1024  # indices computed per step of an iterator (at least a buffer's worth, up to _MAX_CHUNK)
_MAX_CHUNK = 2**20
_FOREVER = "a positive int, or -1 or None (forever)"
_SEED_FORMS = "an int, a bool, a numpy integer or float, or None (tf.data takes no Python float)"


def _check_flag(function: str, value: Any) -> bool:
    if value is None:
        return True  # TensorFlow's default
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    keyrng.errors.type_error(function, "reshuffle_each_iteration", "a bool or None", value)


def _check_epochs(function: str, epochs: Any, finite: bool) -> int:
    """`.repeat(epochs)`'s count: positive, or -1 (None) for forever. TensorFlow's fused
    ShuffleAndRepeat refuses 0 and other negative counts."""
    if epochs is None and not finite:
        return -1
    accepted = "a positive int" if finite else _FOREVER
    count = keyrng.tf.check_integer(function, "epochs", epochs, -2**63, 2**63, accepted)
    if count == -1 and finite:
        keyrng.errors.value_error(function, "epochs", accepted, epochs,
                                  "An endless order has no array form: use compat.data.ShuffleOrder.")
    if count == 0 or count < -1:
        keyrng.errors.value_error(function, "epochs", accepted, epochs)
    return count


def _check_seed(function: str, seed: Any) -> int | None:
    """An op seed as `tf.random`'s rules take it, except a Python float: tf.data converts the
    seed to an int64 tensor, which refuses one (recorded: `seed_float_forms`)."""
    if type(seed) is float:  # np.float64 is a float subclass, and tf.data takes it
        keyrng.errors.type_error(function, "seed", _SEED_FORMS, seed)
    return _seeds.check_seed(function, seed)


def _resolve(function: str, seed: Any) -> tuple[int, int]:
    """The dataset's `(seed, seed2)` as tf.data's `get_seed` makes them, drawing the eager op
    seed when only a global seed is set; OS entropy (TensorFlow's `(0, 0)`) when neither is."""
    op_seed = _check_seed(function, seed)
    trace = _guard.current(function)
    if trace is not None:  # a dataset built inside a tf.function takes the graph's op seed
        pair = trace.get_seed(op_seed)
        pair = None if pair == (None, None) else pair
    else:
        with _state.lock:
            if _state.state.determinism and _state.state.global_seed is None and op_seed is None:
                _seeds.refuse_without_seed(function)
            pair = _seeds.seed_pair(op_seed)
    if pair is None or pair == (0, 0):
        return secrets.randbits(63), secrets.randbits(63)
    return int(pair[0]), int(pair[1])


def _arguments(function: str, num_elements, buffer_size, seed, reshuffle_each_iteration, epochs,
               finite: bool):
    """The checked arguments and the error to raise *after* the op seed is drawn, or None.

    TensorFlow checks in this order (recorded: errors_buffer_size, errors_drawn_op_seed*):
    `Dataset.range(n)` and `buffer_size`'s conversion to int64 (types) before `get_seed`; the
    buffer size's value, the `reshuffle_each_iteration` attribute and `repeat(epochs)` after it,
    so with a global seed only those rejected calls have used up an op seed, as in TensorFlow."""
    op_seed = _check_seed(function, seed)
    late = None
    try:
        sizes = keyrng.tf.check_data_sizes(function, num_elements, buffer_size)
    except ValueError as error:  # a buffer size TensorFlow's kernel refuses
        sizes, late = None, error
    try:
        reshuffle = _check_flag(function, reshuffle_each_iteration)
        epochs = _check_epochs(function, epochs, finite)
    except (TypeError, ValueError) as error:
        reshuffle, late = None, late or error
    if late is None:  # compat's own memory limits: refused before anything is drawn
        if min(sizes) > MAX_BUFFER:
            keyrng.errors.value_error(
                function, "buffer_size", f"at most {MAX_BUFFER} when the data set is larger (the "
                "buffer is held in memory, as TensorFlow holds it)", buffer_size)
        if finite and sizes[0] * epochs > MAX_ARRAY:
            argument, got = ("num_elements", num_elements) if sizes[0] > MAX_ARRAY else ("epochs", epochs)
            keyrng.errors.value_error(
                function, argument, f"such that the array form has at most {MAX_ARRAY} indices over "
                "all epochs", got, "Iterate compat.data.ShuffleOrder instead.")
    return sizes, reshuffle, epochs, op_seed, late


def shuffle_order(num_elements, buffer_size, seed=None, reshuffle_each_iteration=None, epochs=1) -> np.ndarray:
    """The element order of `tf.data.Dataset.range(num_elements).shuffle(buffer_size, seed=seed,
    reshuffle_each_iteration=reshuffle_each_iteration).repeat(epochs)` over one pass, as int64.

    Like TensorFlow, a negative `num_elements` is an empty range and `seed=None` with a global
    seed draws the next op seed. By hand, with keyrng only:
    `keyrng.tf.data_shuffle_order(*keyrng.tf.seed_pair(global_seed, op_seed), num_elements,
    buffer_size, reshuffle_each_iteration, epochs)`.

    >>> import compat
    >>> compat.data.shuffle_order(10, 3, seed=5, reshuffle_each_iteration=False).tolist()
    [1, 3, 2, 5, 6, 4, 7, 9, 8, 0]
    >>> compat.data.shuffle_order(4, 2, seed=5, epochs=2).tolist()  # a new order each epoch
    [1, 2, 3, 0, 0, 2, 3, 1]
    """
    function = "compat.data.shuffle_order"
    sizes, reshuffle, epochs, op_seed, late = _arguments(
        function, num_elements, buffer_size, seed, reshuffle_each_iteration, epochs, finite=True)
    seed, seed2 = _resolve(function, op_seed)
    if late is not None:
        raise late
    num_elements, buffer_size = sizes
    return keyrng.tf.data_shuffle_order(seed, seed2, num_elements, buffer_size, reshuffle, epochs)


# --- the lazy form and its state --------------------------------------------------------------------

_registry_lock = threading.RLock()


class _Registry:
    """The shuffle orders compat.get_state saves: the live ones by name, the restored ones not
    made again yet, and the count of unnamed ones. It belongs to compat's state object, so
    `compat.reset()` starts a new one, as a fresh process would."""

    def __init__(self):
        self.live: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        self.pending: dict = {}
        self.unnamed = itertools.count()
        self.kinds: dict = {}  # default-name counters of RandomDataset / SampleFromDatasets


def _registry(state=None) -> _Registry:
    state = _state.state if state is None else state
    with _registry_lock:
        registry = getattr(state, "data_orders", None)
        if registry is None:
            registry = state.data_orders = _Registry()
        return registry


class ShuffleOrder:
    """`tf.data.Dataset.range(num_elements).shuffle(buffer_size, seed=seed,
    reshuffle_each_iteration=...).repeat(epochs)` as a lazy iterable of int indices.

    Making it resolves the seeds (drawing an op seed when only a global seed is set, as
    TensorFlow's `shuffle` does); each `iter()` is one pass over the dataset, and uses up seed
    generator draws as TensorFlow's does (one per epoch started; the next epoch starts as soon as
    an epoch's last index is given), so a second `for` loop gives the second pass's order.
    `epochs=None` (or -1) repeats forever. Memory is O(buffer_size) whatever `num_elements` is;
    `len(order)` is `num_elements * epochs`.

    `compat.get_state()` saves every live ShuffleOrder under its `name` (default: `ShuffleOrder_k`
    for the k-th unnamed one made in this process) with its seeds, its seed generator and the
    position of its newest unfinished pass; `compat.set_state()` restores them, and the next
    `iter()` of the order (or the restored iterator itself) continues that pass. A ShuffleOrder
    made after `set_state` under a saved name takes the saved state instead of drawing seeds.

    >>> import compat
    >>> order = compat.data.ShuffleOrder(10, 3, seed=5, name="doc")
    >>> it = iter(order)
    >>> [next(it) for _ in range(4)], it.next_indices(100).tolist()
    ([1, 3, 4, 5], [2, 7, 8, 0, 9, 6])
    >>> list(order)  # the second pass: the dataset's seed generator gives new seeds
    [2, 1, 0, 4, 5, 7, 3, 9, 8, 6]
    """

    def __init__(self, num_elements, buffer_size, seed=None, reshuffle_each_iteration=None, epochs=1,
                 name: str | None = None):
        function = "compat.data.ShuffleOrder"
        if name is not None and not isinstance(name, str):
            keyrng.errors.type_error(function, "name", "a str or None", name)
        sizes, reshuffle, epochs, op_seed, late = _arguments(
            function, num_elements, buffer_size, seed, reshuffle_each_iteration, epochs, finite=False)
        if late is not None:
            _resolve(function, op_seed)  # TensorFlow made the dataset (and drew its seed) first
            raise late
        (self.num_elements, self.buffer_size), self.reshuffle_each_iteration, self.epochs = sizes, reshuffle, epochs
        self._made_lock = threading.Lock()  # a leaf lock: held while nothing else is taken
        # Locks are always taken in the order compat's state lock, the registry lock, an
        # iterator's lock, `_made_lock` (get_state / set_state take them in that order too).
        with _state.lock, _registry_lock:
            registry = _registry()
            if name is None:
                name = f"ShuffleOrder_{next(registry.unnamed)}"
            saved = registry.pending.get(name)
            if saved is not None and saved["sizes"] != self._sizes():
                keyrng.errors.value_error(
                    function, "name", "a name whose saved state (compat.set_state) has the same "
                    f"num_elements, buffer_size, reshuffle_each_iteration and epochs {saved['sizes']}",
                    name)
            self.name = name
            self._made = 0  # shuffle iterators made by the seed generator
            self._latest: ShuffleOrderIterator | None = None
            self._resume = False
            if saved is not None:  # a restored dataset: its seeds come from the snapshot
                del registry.pending[name]
                self.seed, self.seed2 = saved["seed"], saved["seed2"]
                self._apply(saved)
            else:
                self.seed, self.seed2 = _resolve(function, op_seed)
            registry.live[name] = self

    def _sizes(self) -> list:
        return [self.num_elements, self.buffer_size, self.reshuffle_each_iteration, self.epochs]

    def __repr__(self) -> str:
        return (f"ShuffleOrder({self.num_elements}, {self.buffer_size}, reshuffle_each_iteration="
                f"{self.reshuffle_each_iteration}, epochs={self.epochs}, name={self.name!r})")

    def __len__(self) -> int:
        """`len(dataset)`: num_elements * epochs; TypeError for an endless one, as TensorFlow's."""
        if self.epochs < 0 and self.num_elements:
            raise TypeError("`compat.data.ShuffleOrder`: `len()` must be asked of a finite order; "
                            "got one with epochs=-1 (endless).")
        return self.num_elements * max(self.epochs, 0)

    def __iter__(self) -> "ShuffleOrderIterator":
        with _registry_lock:
            if self._resume and self._latest is not None:
                self._resume = False
                return self._latest
            self._resume = False
            self._latest = ShuffleOrderIterator(self)
            return self._latest

    def _next_cursor(self):
        """A new shuffle iterator (TensorFlow's ShuffleDatasetOp iterator): the seed generator's
        next pair."""
        with self._made_lock:
            index = self._made
            self._made += 1
        pair = keyrng.tf.data_iterator_seeds(self.seed, self.seed2, self.reshuffle_each_iteration, index)
        return keyrng.tf.DataShuffleCursor.start(*pair, self.num_elements, self.buffer_size)

    # state ------------------------------------------------------------------------------------

    def _export(self) -> dict:
        latest = self._latest
        iteration = None if latest is None or latest._finished() else latest._export()
        return {"sizes": self._sizes(), "seed": self.seed, "seed2": self.seed2,
                "iterators_made": self._made, "iteration": iteration}

    def _apply(self, saved: dict) -> None:
        self.seed, self.seed2 = saved["seed"], saved["seed2"]
        self._made = saved["iterators_made"]
        if saved["iteration"] is None:
            self._resume = False
            return
        if self._latest is None:
            self._latest = ShuffleOrderIterator(self, start=False)
        self._latest._restore(saved["iteration"])
        self._resume = True


class ShuffleOrderIterator:
    """One pass over a `ShuffleOrder` (a TensorFlow dataset iterator): `next()` gives one index,
    `next_indices(count)` up to `count` of them as an int64 array."""

    def __init__(self, order: ShuffleOrder, start: bool = True):
        self._order = order
        self._lock = threading.RLock()
        self._epoch = 0
        self._cursor = None
        self._pending = np.zeros(0, np.int64)  # computed, not yet given: _pending[_taken:]
        self._listed: list = []  # _pending as Python ints, for next()
        self._taken = 0
        if start and order.epochs != 0:
            self._cursor = order._next_cursor()

    def __iter__(self) -> "ShuffleOrderIterator":
        return self

    def __next__(self) -> int:
        with self._lock:
            if self._taken < len(self._listed):
                if self._order._latest is self:  # continued by hand: iter(order) starts anew
                    self._order._resume = False
                self._taken += 1
                value = self._listed[self._taken - 1]
                self._epoch_ended()
                return value
        chunk = self.next_indices(1)
        if not len(chunk):
            raise StopIteration
        return int(chunk[0])

    def next_indices(self, count: int) -> np.ndarray:
        """Up to `count` next indices of this pass (fewer at its end), as int64."""
        count = keyrng.tf.check_integer("compat.data.ShuffleOrderIterator.next_indices", "count", count,
                                        0, 2**63, "a non-negative int")
        parts = []
        with self._lock:
            if self._order._latest is self:  # continued by hand: iter(order) starts a new pass
                self._order._resume = False
            while count > 0:
                if self._taken >= len(self._pending) and not self._fill():
                    break
                take = self._pending[self._taken:self._taken + count]
                self._taken += len(take)
                parts.append(take)
                count -= len(take)
            self._epoch_ended()
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def _epoch_ended(self) -> None:
        """After the last index of an epoch is given, TensorFlow's ShuffleAndRepeat makes the
        next epoch's shuffle iterator at once (a seed generator draw; recorded: boundary_takes),
        and after the last epoch's the pass is over."""
        if self._taken >= len(self._pending) and self._cursor is not None and self._cursor.done \
                and self._order.num_elements > 0:
            self._next_epoch()

    def _next_epoch(self) -> None:
        order = self._order
        self._epoch += 1
        if order.epochs >= 0 and self._epoch >= order.epochs:
            self._cursor = None
        else:
            self._cursor = order._next_cursor()

    def _fill(self) -> bool:
        """Compute the next indices into `_pending`; False at the end of the pass."""
        order = self._order
        while self._cursor is not None:
            if not self._cursor.done:
                self._pending, self._cursor = self._cursor.advance(min(max(_CHUNK, order.buffer_size), _MAX_CHUNK))
                self._listed, self._taken = self._pending.tolist(), 0
                return True
            # The end of an epoch (an empty one: the repeat makes the next shuffle iterator when
            # it sees the end; an empty epoch ends an endless repeat).
            if order.epochs < 0 and order.num_elements == 0:
                self._cursor = None
                break
            self._next_epoch()
        return False

    def _finished(self) -> bool:
        return self._cursor is None and self._taken >= len(self._pending)

    def _export(self) -> dict:
        with self._lock:
            cursor = self._cursor
            return {"epoch": self._epoch, "pending": self._pending[self._taken:].tolist(),
                    "cursor": None if cursor is None else
                    [cursor.seed, cursor.seed2, cursor.position, [int(v) for v in cursor.buffer]]}

    def _restore(self, saved: dict) -> None:
        order = self._order
        with self._lock:
            self._epoch = saved["epoch"]
            self._pending = np.asarray(saved["pending"], np.int64).reshape(-1)
            self._listed, self._taken = self._pending.tolist(), 0
            cursor = saved["cursor"]
            self._cursor = None if cursor is None else keyrng.tf.DataShuffleCursor(
                cursor[0], cursor[1], order.num_elements, order.buffer_size, cursor[2], tuple(cursor[3]))


# --- compat.get_state / set_state -----------------------------------------------------------------

def export_state() -> dict:
    """The state of every live ShuffleOrder (and of restored ones not yet made again), by name."""
    with _registry_lock:
        registry = _registry()
        table = {name: dict(entry) for name, entry in registry.pending.items()}
        for name, order in list(registry.live.items()):
            table[name] = order._export()
    return table


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_state(value: Any) -> dict:
    """A snapshot's `data` table, checked (ValueError naming what is wrong) and normalised."""
    if not isinstance(value, dict):
        raise ValueError("`data` is not a dict of shuffle orders")
    table = {}
    for name, entry in value.items():
        if isinstance(entry, dict) and "kind" in entry:  # a RandomDataset or SampleFromDatasets
            table[name] = _check_dataset_state(name, entry)
            continue
        why = f"`data[{name!r}]` is not a saved ShuffleOrder"
        if not isinstance(name, str) or not isinstance(entry, dict) or set(entry) != {
                "sizes", "seed", "seed2", "iterators_made", "iteration"}:
            raise ValueError(why)
        sizes = entry["sizes"]
        if not (isinstance(sizes, (list, tuple)) and len(sizes) == 4 and _int(sizes[0]) and sizes[0] >= 0
                and _int(sizes[1]) and sizes[1] >= 1 and isinstance(sizes[2], bool) and _int(sizes[3])
                and sizes[3] >= -1):
            raise ValueError(why)
        if not all(_int(entry[k]) and 0 <= entry[k] < 2**64 for k in ("seed", "seed2", "iterators_made")):
            raise ValueError(why)
        iteration = entry["iteration"]
        if iteration is not None:
            n, size = sizes[0], sizes[1]
            if not isinstance(iteration, dict) or set(iteration) != {"epoch", "pending", "cursor"}:
                raise ValueError(why)
            pending, cursor = iteration["pending"], iteration["cursor"]
            if not _int(iteration["epoch"]) or iteration["epoch"] < 0 or not isinstance(pending, list) \
                    or not all(_int(v) and 0 <= v < max(n, 1) for v in pending):
                raise ValueError(why)
            if cursor is not None:
                if not (isinstance(cursor, list) and len(cursor) == 4 and all(_int(v) for v in cursor[:3])
                        and isinstance(cursor[3], list) and 0 <= cursor[2] <= n
                        and all(_int(v) and 0 <= v < n for v in cursor[3])):
                    raise ValueError(why)
                held = max(min(n, cursor[2] - 1 + size) - cursor[2], 0) if cursor[2] else 0
                if len(cursor[3]) != held:
                    raise ValueError(why)
        table[name] = {"sizes": list(sizes), "seed": entry["seed"], "seed2": entry["seed2"],
                       "iterators_made": entry["iterators_made"], "iteration": iteration}
    with _registry_lock:
        live = _registry().live
        for name, entry in table.items():
            order = live.get(name)
            if order is not None and entry.get("kind", "ShuffleOrder") != type(order).__name__:
                raise ValueError(f"`data[{name!r}]` was saved for a {entry.get('kind', 'ShuffleOrder')}, "
                                 f"not the live {type(order).__name__} of that name")
            if order is not None and order._sizes() != entry["sizes"]:
                raise ValueError(f"`data[{name!r}]` was saved for other sizes than the live "
                                 f"ShuffleOrder of that name ({entry['sizes']} != {order._sizes()})")
    return table


def _check_dataset_state(name: str, entry: dict) -> dict:
    """A saved RandomDataset / SampleFromDatasets, checked (ValueError) and copied."""
    why = f"`data[{name!r}]` is not a saved RandomDataset or SampleFromDatasets"
    if set(entry) != {"kind", "sizes", "seed", "seed2", "iterators_made", "iteration"} or entry["kind"] not in (
            "RandomDataset", "SampleFromDatasets") or not isinstance(entry["sizes"], list):
        raise ValueError(why)
    if not all(_int(entry[k]) and 0 <= entry[k] < 2**64 for k in ("seed", "seed2", "iterators_made")):
        raise ValueError(why)
    iteration = entry["iteration"]
    if iteration is not None:
        if not isinstance(iteration, dict) or set(iteration) != {"epoch", "given", "cursor"} or not all(
                _int(iteration[k]) and iteration[k] >= 0 for k in ("epoch", "given")):
            raise ValueError(why)
        cursor = iteration["cursor"]
        if entry["kind"] == "RandomDataset":
            ok = cursor is None or (isinstance(cursor, list) and len(cursor) == 3 and all(_int(v) and v >= 0 for v in cursor))
        else:
            ok = cursor is None or (isinstance(cursor, list) and (
                (len(cursor) == 2 and cursor[0] == "single" and _int(cursor[1]) and cursor[1] >= 0) or
                (len(cursor) == 7 and cursor[0] == "sample" and all(_int(v) and v >= 0 for v in cursor[1:4])
                 and isinstance(cursor[4], list) and all(_int(v) and v >= -2 for v in cursor[4])
                 and isinstance(cursor[5], bool) and _int(cursor[6]) and cursor[6] >= 0)))
        if not ok:
            raise ValueError(why)
    return json.loads(json.dumps(entry))


def import_state(table: dict | None, previous=None) -> None:
    """Restore a table from `check_state` into compat's new state object, carrying the registry
    of `previous` (the state object set_state replaced) over. `table` None: a snapshot without
    shuffle orders (older ones too), which leaves them as they are."""
    with _registry_lock:
        registry = _registry(previous) if previous is not None else _registry()
        _state.state.data_orders = registry
        if table is None:
            return
        registry.pending.clear()
        for name, entry in table.items():
            order = registry.live.get(name)
            if order is not None:
                order._apply(entry)
            else:
                registry.pending[name] = entry



# --- Dataset.random and sample_from_datasets ---------------------------------------------------------

def _check_rerandomize(function: str, value: Any) -> tuple[bool, Exception | None]:
    """`rerandomize_each_iteration` as TensorFlow takes it: Python truth picks RandomDatasetV2
    (a re-seeding generator), whose bool attribute then refuses anything but a bool -- after the
    seed is drawn (recorded: random_flag_forms). Returns the flag and that late error, if any."""
    try:
        truth = bool(value)
    except (TypeError, ValueError):  # an array of other than one element: TensorFlow's `if` fails too
        keyrng.errors.type_error(function, "rerandomize_each_iteration", "a bool or None", value)
    if not truth:
        return False, None
    if isinstance(value, bool):
        return True, None
    try:
        keyrng.errors.type_error(function, "rerandomize_each_iteration", "a bool or None", value)
    except TypeError as error:
        return True, error


def _check_count(function: str, argument: str, value: Any, accepted: str) -> int:
    if value is None:
        return -1
    count = keyrng.tf.check_integer(function, argument, value, -2**63, 2**63, accepted)
    return -1 if count < 0 else count



def _items(function: str, argument: str, value: Any, accepted: str) -> list:
    """The elements of a sequence argument (a list, tuple, NumPy or jax array of rank 1), or the
    TypeError in the house template."""
    if isinstance(value, (str, bytes, dict, set)):
        keyrng.errors.type_error(function, argument, accepted, value)
    if isinstance(value, (np.ndarray, jax.Array)):
        if value.ndim != 1 or not jax.numpy.issubdtype(value.dtype, np.number):
            keyrng.errors.type_error(function, argument, accepted, value)
        return list(np.asarray(value))  # NumPy scalars: their dtype is kept
    try:
        return list(value)
    except TypeError:
        keyrng.errors.type_error(function, argument, accepted, value)


class _Dataset:
    """What RandomDataset and SampleFromDatasets share: the seed pair, the seed generator's count
    of iterators made, and passes (`iter()`) that make one iterator per epoch of the repeat."""

    epochs: int
    rerandomize_each_iteration: bool

    def _init_generator(self, seeds) -> None:
        self.seed, self.seed2 = seeds
        self._made = 0
        self._made_lock = threading.Lock()
        self._latest = None
        self._resume = False

    def _register(self, function: str, name, seeds) -> None:
        """Take the saved state of `name` (compat.set_state) or resolve the seeds (`seeds()`), and
        join the registry compat.get_state saves."""
        if name is not None and not isinstance(name, str):
            keyrng.errors.type_error(function, "name", "a str or None", name)
        kind = type(self).__name__
        with _state.lock, _registry_lock:
            registry = _registry()
            if name is None:
                counter = registry.kinds.setdefault(kind, itertools.count())
                name = f"{kind}_{next(counter)}"
            saved = registry.pending.get(name)
            if saved is not None and (saved.get("kind") != kind or saved["sizes"] != self._sizes()):
                keyrng.errors.value_error(function, "name", "a name whose saved state (compat.set_state) is "
                                          f"a {kind} of the same arguments {self._sizes()}", name)
            self.name = name
            if saved is not None:
                del registry.pending[name]
                self._init_generator((saved["seed"], saved["seed2"]))
                self._apply(saved)
            else:
                self._init_generator(seeds())
            registry.live[name] = self

    def _export(self) -> dict:
        latest = self._latest
        iteration = None if latest is None or latest._cursor is None else latest._export()
        return {"kind": type(self).__name__, "sizes": self._sizes(), "seed": self.seed, "seed2": self.seed2,
                "iterators_made": self._made, "iteration": iteration}

    def _apply(self, saved: dict) -> None:
        self.seed, self.seed2, self._made = saved["seed"], saved["seed2"], saved["iterators_made"]
        if saved["iteration"] is None:
            self._resume = False
            return
        self._latest = DatasetIterator(self, start=False)
        self._latest._restore(saved["iteration"])
        self._resume = True

    def _next_pair(self) -> tuple[int, int]:
        with self._made_lock:
            index = self._made
            self._made += 1
        return keyrng.tf.data_iterator_seeds(self.seed, self.seed2, self.rerandomize_each_iteration, index)

    def __iter__(self) -> "DatasetIterator":
        with _registry_lock:
            if self._resume and self._latest is not None:  # the pass a set_state restored
                self._resume = False
                return self._latest
            self._resume = False
            self._latest = DatasetIterator(self)
            return self._latest

    def _endless(self) -> bool:
        raise NotImplementedError

    def __len__(self) -> int:
        if self._endless():
            raise TypeError(f"`compat.data.{type(self).__name__}`: `len()` must be asked of a finite "
                            "dataset; got an endless one.")
        return len(self._epoch_sizes())


class DatasetIterator:
    """One pass over a `RandomDataset` or `SampleFromDatasets` (a TensorFlow dataset iterator):
    `next()` gives one element, `next_indices(count)` up to `count` of them as an int64 array.
    Each epoch's iterator (a seed generator draw) is made when the pass starts and when an element
    is asked for after the previous epoch's last, as TensorFlow's `repeat` makes it; with two or
    more epochs, finding the end of the last one makes one more (unused) iterator, as TensorFlow's
    finite repeat does."""

    def __init__(self, dataset: _Dataset, start: bool = True):
        self._dataset = dataset
        self._lock = threading.RLock()
        self._epoch = 0
        self._given = 0  # elements given in this epoch
        self._cursor = None
        if start and dataset._draws() and dataset.epochs != 0:
            self._cursor = dataset._start(dataset._next_pair())

    def _export(self) -> dict:
        with self._lock:
            return {"epoch": self._epoch, "given": self._given, "cursor": self._dataset._cursor_state(self._cursor)}

    def _restore(self, saved: dict) -> None:
        with self._lock:
            self._epoch, self._given = saved["epoch"], saved["given"]
            self._cursor = self._dataset._cursor_from(saved["cursor"])

    def __iter__(self) -> "DatasetIterator":
        return self

    def __next__(self) -> int:
        chunk = self.next_indices(1)
        if not len(chunk):
            raise StopIteration
        return int(chunk[0])

    def next_indices(self, count: int) -> np.ndarray:
        """Up to `count` next elements of this pass (fewer at its end), as int64."""
        count = keyrng.tf.check_integer("compat.data.DatasetIterator.next_indices", "count", count,
                                        0, 2**63, "a non-negative int")
        dataset, parts = self._dataset, []
        with self._lock:
            while count > 0 and self._cursor is not None:
                part, self._cursor = self._cursor.advance(min(count, _MAX_CHUNK))
                parts.append(part)
                count -= len(part)
                self._given += len(part)
                if count > 0 and self._cursor.done:  # asked past the epoch's end: the next epoch
                    self._epoch += 1
                    # An endless repeat of an empty epoch ends (TensorFlow's repeat stops there).
                    if (dataset.epochs >= 0 and self._epoch >= dataset.epochs) or (
                            dataset.epochs < 0 and self._given == 0):
                        self._cursor = None
                        if dataset.epochs >= 2 and dataset._draws():
                            # TensorFlow's finite repeat makes the next epoch's iterator before it
                            # checks the count, so a pass's end costs one more seed generator draw
                            # (repeat(1) is optimized away: no draw). Recorded: sample_epochs_True.
                            dataset._next_pair()
                    else:
                        self._cursor, self._given = dataset._start(dataset._next_pair()), 0
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)


class _RandomCursor:
    """One RandomDataset iterator under `take(count)` (count -1: no take)."""

    def __init__(self, seed: int, seed2: int, count: int, position: int = 0):
        self.seed, self.seed2, self.count, self.position = seed, seed2, count, position

    @property
    def done(self) -> bool:
        return 0 <= self.count <= self.position

    def advance(self, count: int):
        stop = self.position + count if self.count < 0 else min(self.count, self.position + count)
        values = keyrng.tf.data_random_values(self.seed, self.seed2, self.position, stop - self.position)
        return values, _RandomCursor(self.seed, self.seed2, self.count, stop)


class RandomDataset(_Dataset):
    """`tf.data.Dataset.random(seed, rerandomize_each_iteration).take(count).repeat(epochs)` as a
    lazy iterable of its int64 values (`count=None`: no `take`, endless; `epochs` None or -1:
    repeat forever).

    Making it resolves the seeds as TensorFlow's `Dataset.random` does (drawing an op seed when
    only a global seed is set); each `iter()` is a new pass, and each epoch of a pass asks the
    dataset's seed generator for its seeds: the same ones every time unless
    `rerandomize_each_iteration` is True (TensorFlow's default here is False).

    >>> import compat
    >>> ds = compat.data.RandomDataset(3, seed=5, rerandomize_each_iteration=True)
    >>> list(ds) != list(ds)  # a new pass, new seeds
    True
    >>> it = iter(compat.data.RandomDataset(seed=5))
    >>> it.next_indices(3).tolist() == compat.data.random(3, seed=5).tolist()
    True
    """

    def __init__(self, count=None, seed=None, rerandomize_each_iteration=None, epochs=1, name=None):
        function = "compat.data.RandomDataset"
        if name is not None and not isinstance(name, str):
            keyrng.errors.type_error(function, "name", "a str or None", name)
        self.count = _check_count(function, "count", count, "an int or None")
        self.epochs = _check_count(function, "epochs", epochs, "an int or None (forever)")
        op_seed = _check_seed(function, seed)
        self.rerandomize_each_iteration, late = _check_rerandomize(function, rerandomize_each_iteration)
        if late is not None:
            _resolve(function, op_seed)  # TensorFlow made the dataset (and drew its seed) first
            raise late
        self._register(function, name, lambda: _resolve(function, op_seed))

    def _sizes(self) -> list:
        return [self.count, self.rerandomize_each_iteration, self.epochs]

    @staticmethod
    def _cursor_state(cursor):
        return None if cursor is None else [cursor.seed, cursor.seed2, cursor.position]

    def _cursor_from(self, state):
        return None if state is None else _RandomCursor(state[0], state[1], self.count, state[2])

    def __repr__(self) -> str:
        return (f"RandomDataset({self.count}, rerandomize_each_iteration={self.rerandomize_each_iteration}, "
                f"epochs={self.epochs})")

    def _draws(self) -> bool:
        return self.count != 0  # take(0) makes no iterator of the random dataset

    def _start(self, pair) -> _RandomCursor:
        return _RandomCursor(pair[0], pair[1], self.count)

    def _endless(self) -> bool:
        return (self.count < 0 or self.epochs < 0) and self.count != 0 and self.epochs != 0

    def _epoch_sizes(self):
        return range(self.count * self.epochs)


def random(count, seed=None, rerandomize_each_iteration=None, epochs=1) -> np.ndarray:
    """The elements of `tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=...)
    .take(count).repeat(epochs)` over one pass, as int64: the 32-bit words of TensorFlow's Philox
    stream for the dataset's seeds, each in [0, 2**32).

    Seeds follow `tf.random`'s rules and share its op-seed sequence, as for `shuffle_order`. By
    hand, with keyrng only: `keyrng.tf.data_random_order(*keyrng.tf.seed_pair(global_seed,
    op_seed), count, rerandomize_each_iteration, epochs)`.

    >>> import compat
    >>> compat.data.random(3, seed=5).tolist()  # tf.data.Dataset.random(seed=5).take(3)
    [3568415791, 2798973839, 2476249224]
    """
    function = "compat.data.random"
    count = keyrng.tf.check_integer(function, "count", count, 0, 2**63, "a non-negative int")
    epochs = keyrng.tf.check_integer(function, "epochs", epochs, 0, 2**63, "a non-negative int")
    if count * epochs > MAX_ARRAY:
        argument, got = ("count", count) if count > MAX_ARRAY else ("epochs", epochs)
        keyrng.errors.value_error(function, argument, f"such that the array has at most {MAX_ARRAY} "
                                  "values over all epochs", got, "Iterate compat.data.RandomDataset instead.")
    op_seed = _check_seed(function, seed)
    rerandomize, late = _check_rerandomize(function, rerandomize_each_iteration)
    seed, seed2 = _resolve(function, op_seed)
    if late is not None:
        raise late
    return keyrng.tf.data_random_order(seed, seed2, count, rerandomize, epochs)


_WEIGHTS = ("None, a sequence of len(lengths) floats, a float32/float64 jax array of shape [len(lengths)], "
            "or a float32/float64 array of shape [m, len(lengths)] (a weights dataset's m elements)")


class _Rows(np.ndarray):
    """Logits of a weights dataset: one row per selection."""


def _sample_weights(function: str, n: int, weights: Any):
    """`(logits [1, m], choices)` as sample_from_datasets makes them: uniform logits 1.0; a jax
    array (TensorFlow's Tensor) goes through `log` as it is; any other sequence first loses its
    non-positive (and NaN) weights, as TensorFlow's Python filter drops them, with `choices` the
    indices of the inputs kept. `choices` of length 1: that input alone, nothing random."""
    if weights is None:
        return np.ones((1, n), np.float32), tuple(range(n))
    if isinstance(weights, (np.ndarray, jax.Array)) and weights.ndim == 2:  # a weights dataset's rows
        if weights.shape[1] != n:
            keyrng.errors.value_error(function, "weights", _WEIGHTS, f"an array of shape {weights.shape}")
        if weights.dtype not in (np.float32, np.float64):
            keyrng.errors.type_error(function, "weights", _WEIGHTS, f"an array of dtype {weights.dtype}")
        values = np.asarray(weights)
        logits = keyrng.tf.data_sample_logits(values, values.dtype.name)  # one Log call per row
        return np.asarray(logits).view(_Rows), tuple(range(n))
    if isinstance(weights, jax.Array):
        if weights.ndim != 1 or weights.shape[0] != n:
            keyrng.errors.value_error(function, "weights", _WEIGHTS, f"an array of shape {weights.shape}")
        if weights.dtype not in (np.float32, np.float64):
            keyrng.errors.type_error(function, "weights", _WEIGHTS, f"an array of dtype {weights.dtype}")
        values = np.asarray(weights)
        return keyrng.tf.data_sample_logits(values, values.dtype.name), tuple(range(n))
    items = _items(function, "weights", weights, _WEIGHTS)
    if len(items) != n:
        keyrng.errors.value_error(function, "weights", _WEIGHTS, f"{len(items)} weights for {n} datasets")
    for item in items:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, (int, float, np.integer, np.floating)):
            keyrng.errors.type_error(function, "weights", _WEIGHTS, weights)
    kept = [(k, w) for k, w in enumerate(items) if w > 0]
    if not kept:
        return None, ()  # TensorFlow samples from `datasets[0].take(0)`: nothing
    choices, values = zip(*kept)
    first = values[0]
    if isinstance(first, np.floating):
        dtype = np.dtype(type(first))
    elif any(isinstance(v, (float, np.floating)) for v in values):
        dtype = np.dtype(np.float32)  # TensorFlow's conversion of Python floats
    else:
        dtype = np.dtype(np.int32)
    if dtype not in (np.float32, np.float64):
        keyrng.errors.type_error(function, "weights", _WEIGHTS, f"weights of dtype {dtype.name}")
    return keyrng.tf.data_sample_logits(np.asarray(values, dtype), dtype.name), tuple(choices)


class _SampleCursor:
    """An epoch of a SampleFromDatasets: keyrng's cursor, or the one input it reduces to."""

    def __init__(self, cursor=None, single=None, length=0, given=0):
        self.cursor, self.single, self.length, self.given = cursor, single, length, given

    @property
    def done(self) -> bool:
        if self.cursor is not None:
            return self.cursor.done
        return 0 <= self.length <= self.given

    @property
    def position(self) -> int:
        return self.given

    def advance(self, count: int):
        if self.cursor is not None:
            out, cursor = self.cursor.advance(count)
            return out, _SampleCursor(cursor, given=self.given + len(out))
        stop = self.given + count if self.length < 0 else min(self.length, self.given + count)
        return (np.full(stop - self.given, -1 if self.single is None else self.single, np.int64),
                _SampleCursor(None, self.single, self.length, stop))


class SampleFromDatasets(_Dataset):
    """`tf.data.Dataset.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset,
    rerandomize_each_iteration).repeat(epochs)` over datasets of `lengths` elements (-1: endless),
    as a lazy iterable of the index of the dataset each element comes from (the `j`-th `k` is
    element `j` of dataset `k`).

    Weights as TensorFlow takes them: None (uniform), a sequence of floats (zero and negative
    weights drop their dataset, as TensorFlow's Python code drops it), a float32/float64 jax
    array (TensorFlow's Tensor: nothing dropped), or a 2-D float32/float64 array of m rows (a
    weights dataset's elements, one per selection: the pass ends after m selections). With one dataset left the result is that dataset
    and no seed is drawn. Each pass (`iter()`) and each epoch makes a new selector, whose seeds come
    from the dataset's seed generator (re-seeded only with `rerandomize_each_iteration=True`).

    >>> import compat
    >>> list(compat.data.SampleFromDatasets([2, 3], seed=5))
    [0, 0, 1, 1, 1]
    >>> it = iter(compat.data.SampleFromDatasets([-1, -1], weights=[0.9, 0.1], seed=5))
    >>> it.next_indices(8).tolist()
    [0, 0, 0, 1, 0, 0, 0, 0]
    """

    def __init__(self, lengths, weights=None, seed=None, stop_on_empty_dataset=False,
                 rerandomize_each_iteration=None, epochs=1, name=None):
        function = "compat.data.SampleFromDatasets"
        if name is not None and not isinstance(name, str):
            keyrng.errors.type_error(function, "name", "a str or None", name)
        self._register(function, name, self._setup(function, lengths, weights, seed, stop_on_empty_dataset,
                                                   rerandomize_each_iteration, epochs))

    def _sizes(self) -> list:
        logits = None if self._logits is None else np.asarray(self._logits, np.float64).reshape(-1).tolist()
        return [list(self.lengths), logits, list(self._choices), self.stop_on_empty_dataset,
                self.rerandomize_each_iteration, self.epochs]

    def _cursor_state(self, cursor):
        if cursor is None:
            return None
        if cursor.cursor is None:
            return ["single", cursor.given]
        c = cursor.cursor
        return ["sample", c.seed, c.seed2, c.position, [-2 if v is None else v for v in c.left], c.done, cursor.given]

    def _cursor_from(self, state):
        if state is None:
            return None
        if state[0] == "single":
            k = self._choices[0] if self._choices else None
            return _SampleCursor(None, k, 0 if k is None else self.lengths[k], state[1])
        start = keyrng.tf.DataSampleCursor.start(state[1], state[2], self.lengths, np.asarray(self._logits),
                                                  self.stop_on_empty_dataset, self._choices, self._varying)
        left = tuple(None if v == -2 else v for v in state[4])
        return _SampleCursor(dataclasses.replace(start, position=state[3], left=left, done=state[5]),
                             given=state[6])

    def _setup(self, function, lengths, weights, seed, stop_on_empty_dataset, rerandomize_each_iteration,
               epochs):
        """Checks the arguments and returns how to resolve the seeds (TensorFlow's late errors
        are raised here, after the seed is drawn)."""
        self.lengths = _check_lengths(function, lengths)
        self.epochs = _check_count(function, "epochs", epochs, "an int or None (forever)")
        self._logits, self._choices = _sample_weights(function, len(self.lengths), weights)
        late = None
        if not isinstance(stop_on_empty_dataset, (bool, np.bool_)):
            try:
                keyrng.errors.type_error(function, "stop_on_empty_dataset", "a bool", stop_on_empty_dataset)
            except TypeError as error:
                late = error
        self.stop_on_empty_dataset = bool(stop_on_empty_dataset) if late is None else False
        self.rerandomize_each_iteration = False
        self._varying = isinstance(self._logits, _Rows)
        if len(self._choices) <= 1 and not self._varying:  # TensorFlow returns the one dataset
            return lambda: (0, 0)
        op_seed = _check_seed(function, seed)
        self.rerandomize_each_iteration, flag_error = _check_rerandomize(function, rerandomize_each_iteration)
        if flag_error is not None or late is not None:
            _resolve(function, op_seed)  # TensorFlow made the Dataset.random (and drew its seed) first
            raise flag_error or late
        return lambda: _resolve(function, op_seed)

    def __repr__(self) -> str:
        return (f"SampleFromDatasets({self.lengths}, stop_on_empty_dataset={self.stop_on_empty_dataset}, "
                f"rerandomize_each_iteration={self.rerandomize_each_iteration}, epochs={self.epochs})")

    def _draws(self) -> bool:
        return True

    def _next_pair(self):
        if len(self._choices) <= 1 and not self._varying:
            return None
        return super()._next_pair()

    def _start(self, pair):
        if pair is None:
            if not self._choices:
                return _SampleCursor(None, None, 0)
            k = self._choices[0]
            return _SampleCursor(None, k, self.lengths[k])
        return _SampleCursor(keyrng.tf.DataSampleCursor.start(
            pair[0], pair[1], self.lengths, np.asarray(self._logits), self.stop_on_empty_dataset, self._choices,
            self._varying))

    def _endless(self) -> bool:
        if self.epochs < 0:
            return True
        if self._varying:
            return False
        if len(self._choices) <= 1:
            return bool(self._choices) and self.lengths[self._choices[0]] < 0
        if self.stop_on_empty_dataset:
            return all(self.lengths[k] < 0 for k in self._choices)
        return any(self.lengths[k] < 0 for k in self._choices)

    def _epoch_sizes(self):
        raise TypeError("`compat.data.SampleFromDatasets`: `len()` must be asked of a dataset whose "
                        "length is known; got one whose length depends on its draws.")


def _check_lengths(function: str, lengths: Any) -> list[int]:
    accepted = "a non-empty sequence of ints, each -1 (endless) or non-negative"
    items = _items(function, "lengths", lengths, accepted)
    if not items:
        keyrng.errors.value_error(function, "lengths", accepted, lengths)
    values = [keyrng.tf.check_integer(function, "lengths", v, -2**63, 2**63, accepted) for v in items]
    if any(v < -1 for v in values):
        keyrng.errors.value_error(function, "lengths", accepted, lengths)
    return values


def sample_from_datasets_order(lengths, weights=None, seed=None, stop_on_empty_dataset=False,
                               rerandomize_each_iteration=None, epochs=1) -> np.ndarray:
    """The dataset index of every element of one pass over `tf.data.Dataset.sample_from_datasets(
    datasets, weights, seed, stop_on_empty_dataset, rerandomize_each_iteration).repeat(epochs)`,
    where `datasets[k]` has `lengths[k]` elements (-1: endless), as int64.

    By hand, with keyrng only: `keyrng.tf.data_sample_order(*keyrng.tf.seed_pair(global_seed,
    op_seed), lengths, keyrng.tf.data_sample_logits(weights), stop_on_empty_dataset,
    rerandomize_each_iteration, epochs)` (for positive list weights).

    >>> import compat
    >>> compat.data.sample_from_datasets_order([2, 3], weights=[0.5, 0.5], seed=5).tolist()
    [0, 0, 1, 1, 1]
    """
    function = "compat.data.sample_from_datasets_order"
    epochs = keyrng.tf.check_integer(function, "epochs", epochs, 0, 2**63, "a non-negative int")
    probe = _check_lengths(function, lengths)
    stop = isinstance(stop_on_empty_dataset, (bool, np.bool_)) and bool(stop_on_empty_dataset)
    rows = isinstance(weights, (np.ndarray, jax.Array)) and weights.ndim == 2  # the weights end the pass
    if not rows and (all(v < 0 for v in probe) or (not stop and any(v < 0 for v in probe))):
        keyrng.errors.value_error(function, "lengths", "lengths whose pass ends (an endless dataset "
                                  "only with stop_on_empty_dataset=True and a finite one)", lengths,
                                  "Iterate compat.data.SampleFromDatasets instead.")
    if sum(probe) * epochs > MAX_ARRAY:
        argument, got = ("lengths", lengths) if sum(probe) > MAX_ARRAY else ("epochs", epochs)
        keyrng.errors.value_error(function, argument, f"such that the array has at most {MAX_ARRAY} "
                                  "elements over all epochs", got, "Iterate compat.data.SampleFromDatasets instead.")
    dataset = SampleFromDatasets.__new__(SampleFromDatasets)  # a one-off pass: not registered
    dataset._init_generator(dataset._setup(function, lengths, weights, seed, stop_on_empty_dataset,
                                           rerandomize_each_iteration, epochs)())
    return iter(dataset).next_indices(2**62)



# --- rejection_resample --------------------------------------------------------------------------------

_DIST = "a non-empty sequence of floats, one per class"


def _check_dist(function: str, argument: str, value: Any, classes: int | None = None) -> np.ndarray:
    items = _items(function, argument, value, _DIST)
    for item in items:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, (int, float, np.integer, np.floating)):
            keyrng.errors.type_error(function, argument, _DIST, value)
    if not items or (classes is not None and len(items) != classes):
        keyrng.errors.value_error(function, argument, _DIST + ("" if classes is None else
                                  f" ({classes}, as target_dist)"), value)
    return np.asarray([float(v) for v in items], np.float64).astype(np.float32)


def rejection_resample_order(labels, target_dist, initial_dist=None, seed=None, epochs=1) -> np.ndarray:
    """The input index of each element of one pass over `dataset.rejection_resample(class_func,
    target_dist, initial_dist, seed)` in TensorFlow 2.21, where `labels[j]` is
    `class_func(element j)`, as int64 (the element's class is `labels[index]`).

    The acceptance decisions, the mixing with the original stream (a `sample_from_datasets`) and
    the running estimate of the initial distribution (`initial_dist=None`) are TensorFlow's. The
    filter draws from a stateful `tf.random.uniform` inside a dataset function: its seed pair is
    `(global seed, seed)`, or `(global seed, 0)` with `seed=None` (the function graph's first op
    seed); the mixing's `Dataset.random` takes `seed` by the eager rules (with `seed=None` and a
    global seed it draws the next op seed). By hand:
    `keyrng.tf.data_resample_order(*filter_pair, *selector_pair, labels, target_dist, initial_dist)`
    with `filter_pair = keyrng.tf.seed_pair(global_seed, seed)` and `selector_pair =
    keyrng.tf.data_iterator_seeds(*keyrng.tf.seed_pair(global_seed, seed), False, 0)`.

    `epochs` is `.repeat(epochs)` after it: every pass starts the filter afresh (TensorFlow makes
    the filter function's kernel anew per iterator), and the epochs of a pass continue its calls.
    That is exact when the filter alone decides (`min(target / initial) == 0`) or nothing is random
    (`== 1`); when the original stream is mixed in, the filter runs ahead on TensorFlow's prefetch
    thread, so where the next epoch's calls start depends on timing in TensorFlow itself, and
    compat refuses `epochs` other than 1 there (ValueError).

    >>> import compat
    >>> compat.data.rejection_resample_order([0, 1, 1, 1, 0, 1], [0.5, 0.5], [0.25, 0.75], seed=3).tolist()
    [0, 1, 0, 2, 4, 3, 4]
    """
    function = "compat.data.rejection_resample_order"
    target = _check_dist(function, "target_dist", target_dist)
    initial = None if initial_dist is None else _check_dist(function, "initial_dist", initial_dist, len(target))
    accepted = f"a sequence of int class labels in [0, {len(target)})"
    values = [keyrng.tf.check_integer(function, "labels", v, -2**63, 2**63, accepted)
              for v in _items(function, "labels", labels, accepted)]
    if any(not 0 <= v < len(target) for v in values):
        keyrng.errors.value_error(function, "labels", accepted, labels)
    epochs = keyrng.tf.check_integer(function, "epochs", epochs, 0, 2**63, "a non-negative int")
    with np.errstate(all="ignore"):
        static = None if initial is None else np.min(target / initial)
    if epochs > 1 and static not in (0, 1):
        keyrng.errors.value_error(function, "epochs", "1 when the original stream is mixed in (TensorFlow's "
                                  "prefetch thread decides where the next epoch's filter draws start)", epochs)
    if epochs * len(values) > MAX_ARRAY:
        keyrng.errors.value_error(function, "epochs", f"such that the array has at most {MAX_ARRAY} indices", epochs)
    op_seed = _check_seed(function, seed)
    if op_seed is not None:
        filter_pair = _resolve(function, op_seed)  # an op seed given: nothing drawn
    else:  # the filter's function graph gives its first random op the op seed 0 (no eager draw)
        with _state.lock:
            global_seed = _state.state.global_seed
            if _state.state.determinism and global_seed is None:
                _seeds.refuse_without_seed(function)
        pair = None if global_seed is None else keyrng.tf.seed_pair(global_seed, 0)
        filter_pair = (secrets.randbits(63), secrets.randbits(63)) if pair is None else pair
    selector_pair = filter_pair if static in (0, 1) else _resolve(function, op_seed)
    selector_pair = keyrng.tf.data_iterator_seeds(*selector_pair, False, 0)
    parts = [keyrng.tf.data_resample_order(*filter_pair, *selector_pair, values, target, initial,
                                           first_call=e * len(values)) for e in range(epochs)]
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


__all__ = ["DatasetIterator", "INFINITE_CARDINALITY", "MAX_ARRAY", "MAX_BUFFER", "RandomDataset", "SampleFromDatasets",
           "ShuffleOrder", "ShuffleOrderIterator", "UNKNOWN_CARDINALITY", "random", "rejection_resample_order", "sample_from_datasets_order",
           "shuffle_order"]
