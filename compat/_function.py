"""`compat.function`: `tf.function`'s random semantics, compiled with `jax.jit`.

TensorFlow's rules inside a function (docs/function.md has them with examples):

- the global seed is read when the function is traced; unseeded ops get op seeds 0, 1, 2, ... in
  trace order, so every trace of every function restarts at 0;
- every random op of a trace (a *node*) is its own kernel, with its own Philox counter that lives
  on across calls of that trace and moves N*256 blocks per call of N values;
- a new trace (a new Python argument value, or new array shapes or dtypes) has new kernels;
- `set_seed` (and `compat.set_state`, `compat.reset`) resets every kernel, also those of traces
  made before it; it does not retrace, so the seeds read at trace time stay.

How it is compiled. Every call of a trace runs every node once, so after `k` calls node i is at
block offset `k * N_i * 256`: the whole counter state of a trace is one call count. A trace is one
`jax.jit` of the function whose only extra input and output is that state, a uint32[5] array
(`calls * 256` in three words, least significant first, then two entropy words) kept on the device
between calls; node i draws from `keyrng.tf_key(seed_i, seed2_i, calls * 256 * N_i)` computed
inside the compiled code (for N_i = 1 that is only the addition of seed2).
The entropy words stand in for TensorFlow's OS-entropy seeds of nodes that have no seed at all.
A node whose kernel moves by a count that is not a multiple of 256 (RandomShuffle) draws from
`calls * blocks`, computed from the state's `calls * 256` shifted down.

Ops under transformations nested in the function (docs/function.md has TensorFlow's rules for
them): under jax.grad, jvp, vjp, checkpoint or an inner jit a node runs once per call, so it is
at `calls * blocks` like the others. In a loop body or a branch it runs any number of times per
call: such a node has its own offset in a jax mutable array reference made when the function is
traced (`_Builder._counted_offset`); jax threads it through the compiled code, and the trace
keeps it between calls, resets it with `set_seed` and exports it with the call count. After the
first call these counters travel as one uint32[M, 4] array input and output instead, in a
function built from the first trace's jaxpr (`_Trace.make_steady`: faster to dispatch).
`_guard.nesting` tells the kinds of nested levels apart; a loop body or branch is a TensorFlow
graph of its own, with its own op-seed counter (`_Builder.inside`).

Locks: a call holds its trace's own lock from taking the state to storing the next one (no two
calls share a count); a first call of a signature holds the Function's lock while it traces and
compiles. compat's global lock is never held across tracing, compiling or running.

The Python side of a call is kept short: arguments are bound to the parameters and flattened only
on the first call of each kind; later calls with positional arguments only (arrays and plain
values) find their trace by the arguments' types, shapes and values (`_call_kinds`).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import secrets
import threading
import types
import weakref
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import jax
import jax.extend.core as _extend_core
import jax.numpy as jnp
import numpy as np

import keyrng
from keyrng import philox

from compat import _guard, _seeds, _state
from compat._guard import current, tracing  # compat's ops ask about the trace through here

__all__ = ["function", "Function", "current", "export_state", "import_state"]

_CALLS_LIMIT = 2**64
_STATE_FORMS = "a list of traces made by export_state"


# --- XLA (tf.function(jit_compile=True); docs/xla.md) ----------------------------------------

def xla() -> bool:
    """Whether the op being traced is in a compat.function made with `jit_compile=True` (or one
    called from such a function), or traced by jax inside `xla_numbers()`: its stateless and
    Generator draws then take TensorFlow's XLA kernels (`keyrng.tf.xla_*`), as TensorFlow's XLA
    bridge compiles them. False outside traces."""
    if getattr(_xla_local, "on", False) and _guard.inside_jax_transformation():
        return True
    stack = _guard.builders()
    return bool(stack) and _guard.tracing() and stack[-1].xla


_xla_local = threading.local()  # .on: inside xla_numbers(True) on this thread


@contextlib.contextmanager
def xla_numbers(on: bool = True):
    """Within the block, stateless draws that jax traces (under `jax.jit` or any other
    transformation, not only inside a compat.function) take TensorFlow's XLA kernels, as
    TensorFlow's own code compiled with XLA does; eager draws keep the CPU kernels'. The Keras
    integration's `use_tensorflow_numbers(xla=True)` uses it for Keras's jitted steps."""
    previous = getattr(_xla_local, "on", False)
    _xla_local.on = bool(on)
    try:
        yield
    finally:
        _xla_local.on = previous


# --- counter arithmetic on traced words (keyrng.philox) ---------------------------------------

def _times_calls(state, blocks: int) -> tuple:
    """`calls * blocks` as four traced words, from a trace's state (`calls * 256` in its first
    three words): a multiple of 256 scales those words, any other count scales `calls` itself."""
    if blocks % 256 == 0:
        return philox.multiply((state[0], state[1], state[2]), blocks // 256)
    calls = ((state[0] >> 8) | (state[1] << 24), (state[1] >> 8) | (state[2] << 24), state[2] >> 8)
    return philox.multiply(calls, blocks)


# --- one trace ----------------------------------------------------------------------------------

@dataclass
class _Node:
    """One random op of a trace: its kernel's seeds (None: from the trace's entropy words)."""

    op: str
    dtype: str
    seeds: tuple[int, int] | None
    blocks: int  # how far the kernel moves per run (N * 256 for N values of most ops)
    counter: int | None = None  # its reference in the trace's `counters` (loops and branches)


class _Builder:
    """What `_ops` talks to while a compat.function is traced (returned by `current`)."""

    def __init__(self, global_seed, state, jax_trace, nodes: list, offsets: dict | None = None,
                 counters: list | None = None, graphs: dict | None = None,
                 generators: dict | None = None):
        self.global_seed = global_seed  # TensorFlow's graph seed: the global seed at trace time
        self.state = state  # the traced uint32[5] state of the outermost trace
        self.jax_trace = jax_trace
        # Shared with nested (inlined) functions' builders: the nodes, and `calls * blocks` for
        # each distinct `blocks`, computed once per trace.
        self.nodes = nodes
        self.offsets = {} if offsets is None else offsets
        self.op_seeds = 0  # TensorFlow's `_graph_to_seed_dict` counter of this function graph
        self.caller = "compat.function"
        self.initial: list = []  # imported node offsets (`_Body.initial`)
        # Shared too: the counter references of nodes in loops and branches (`_counted_offset`)
        # and the graphs of nested levels, by their jax trace (`inside`).
        self.counters: list = [] if counters is None else counters
        self.graphs: dict = {} if graphs is None else graphs
        # And the compat.Generators drawn from: id -> (generator, its state reference).
        self.generators: dict = {} if generators is None else generators
        self.xla = False  # compiled as by tf.function(jit_compile=True): see `xla()` below

    def _pair(self, op_seed):
        if self.global_seed is not None and op_seed is None:
            op_seed, self.op_seeds = self.op_seeds, self.op_seeds + 1
        return keyrng.tf.seed_pair(self.global_seed, op_seed)

    def get_seed(self, op_seed):
        """`compat.get_seed` inside a function: uses up one op seed of the trace, as in TensorFlow."""
        pair = self._pair(op_seed)
        return (None, None) if pair is None else pair

    def set_seed(self, seed):
        """`compat.set_seed` inside a function sets the trace's graph seed only (TensorFlow's graph
        mode): later ops of this trace use it; the eager global seed and the op-seed counter stay."""
        self.global_seed = seed

    def position(self, op: str, dtype: str, op_seed, size: int = 1, blocks: int | None = None,
                 nested: bool = False, counted: bool = False):
        """The traced uint32[6] Philox position of a new node; `_ops` draws from it.

        The node's kernel moves by `blocks` per run: `256 * size` unless given (RandomShuffle,
        for one, moves by ceil((n - 1) / 4) blocks). A node at the function's own level, or under
        transformations that run once per call (`nested`: jax.grad, jvp, vjp, checkpoint, an
        inner jit), runs once per call: its offset is `calls * blocks`. A node in a loop body or a
        branch (`counted`) runs any number of times per call: it keeps its own offset in a jax
        mutable array reference, read and moved on by each run (see `_counted_offset`)."""
        pair = self._pair(op_seed)
        if pair is None and _state.state.determinism:
            keyrng.errors.runtime_error(
                self.caller, "random ops need a global seed (at trace time) or an op seed while op "
                "determinism is enabled", "neither", "Call compat.set_seed(1) before the function "
                "is first traced, or pass seed=.")
        if blocks is None:
            blocks = 256 * size
        if counted:
            offset = self._counted_offset(blocks)
        elif nested:  # computed at this level: a value cached at another level would leak
            offset = _times_calls(self.state, blocks)
        else:
            offset = self.offsets.get(blocks)
            if offset is None:  # calls * blocks, from the state's calls * 256
                offset = self.offsets[blocks] = _times_calls(self.state, blocks)
        if pair is None:  # fresh seeds per node, from the trace's entropy words
            word = keyrng.philox.block((self.state[3], self.state[4]),
                                 (jnp.uint32(len(self.nodes)), 0, 0, 0))
            key, seed2 = (word[0], word[1]), (word[2], word[3])
        else:
            key = tuple(jnp.uint32(w) for w in keyrng.philox.int_to_words(pair[0], 2))
            seed2 = tuple(jnp.uint32(w) for w in keyrng.philox.int_to_words(pair[1], 2))
        if blocks == 256 and pair is not None and pair[1] % 2**32 < 2**32 - 256 and not counted:
            # The commonest node, written out: calls < 2**64 keeps state word 2 (bits 64 to 95 of
            # calls * 256) below 256, so adding seed2's low word to it cannot carry.
            counter = (offset[0], offset[1], offset[2] + seed2[0], seed2[1])
        else:
            counter = philox.add_high(offset, seed2)
        self.nodes.append(_Node(op, dtype, pair, blocks, len(self.counters) - 1 if counted else None))
        return jnp.stack([jnp.asarray(w, jnp.uint32) for w in (*key, *counter)])

    def _counted_offset(self, blocks: int) -> tuple:
        """The offset of a node that runs a varying number of times per call: a uint32[4] mutable
        array reference made for it now (concrete, outside the compiled code, so that it lives on
        between calls: jax passes it in and out of the compiled function), read by every run and
        moved on by `blocks`. jax threads the reads and writes through loops and branches: a
        branch not taken leaves it, a loop body moves it once per iteration."""
        index = len(self.nodes)
        start = self.initial[index] if index < len(self.initial) else 0
        with jax.ensure_compile_time_eval():
            ref = jax.new_ref(jnp.asarray(np.array(keyrng.philox.int_to_words(start, 4), np.uint32)))
        self.counters.append(ref)
        words = ref[...]
        offset = tuple(words[i] for i in range(4))
        step = tuple(jnp.uint32(w) for w in keyrng.philox.int_to_words(blocks, 4))
        ref[...] = jnp.stack(philox.add(offset, step))
        return offset

    def generator_position(self, generator, count: int):
        """A compat.Generator's draw of `count` values in the compiled code: TensorFlow's
        RngReadAndSkip on the generator's state variable. The state is a uint32[6] mutable
        array reference of this trace (key words, then the 128-bit counter), made from the
        generator's state at trace time; every call of the trace loads it from the generator
        first and stores it back after (`_Trace.run`), so eager draws and calls interleave as in
        TensorFlow. Returns the position before, as raw key data; the counter moves 256*count."""
        entry = self.generators.get(id(generator))
        if entry is None:
            with jax.ensure_compile_time_eval():
                ref = jax.new_ref(jnp.asarray(_generator_words(generator)))
            entry = self.generators[id(generator)] = (generator, ref)
        ref = entry[1]
        words = ref[...]
        counter = tuple(words[2 + i] for i in range(4))
        step = tuple(jnp.uint32(w) for w in keyrng.philox.int_to_words(256 * count, 4))
        ref[...] = jnp.concatenate([words[:2], jnp.stack(philox.add(counter, step))])
        return words

    def inside(self, levels: list, function: str):
        """The view of this trace for an op under the nested jax transformations `levels` (from
        `_guard.nesting`, innermost first), or None to refuse. TensorFlow's graph semantics: ops
        under a GradientTape (jax.grad, jvp, vjp, checkpoint) belong to the function's graph, run
        once per call and use its op seeds; a loop body, a branch and a nested function are each
        a graph of their own, whose unseeded ops take op seeds 0, 1, ... again; a loop body's op
        moves its counter on every iteration, a branch's op only when the branch runs."""
        kinds = [kind for _, kind in levels]
        counted = any(kind in ("loop", "branch") for kind in kinds)
        if counted and "checkpoint" in kinds:
            _guard.refuse_checkpoint(function)
        graph = next((trace for trace, kind in levels if kind in ("graph", "loop", "branch")), None)
        builder = self
        if graph is not None:
            entry = self.graphs.get(id(graph))
            if entry is None:
                entry = self.graphs[id(graph)] = (graph, self.nested(self.global_seed))
            builder = entry[1]
        builder.caller = function
        return _View(builder, counted, "checkpoint" in kinds)

    def nested(self, global_seed) -> "_Builder":
        """The builder of a compat.function called inside this one: its ops become nodes of this
        trace (one kernel per call site, as TensorFlow inlines function calls), with its own
        trace-time seed and op-seed counter."""
        builder = _Builder(global_seed, self.state, self.jax_trace, self.nodes, self.offsets,
                           self.counters, {}, self.generators)
        builder.initial = self.initial
        builder.xla = self.xla
        return builder


class _View:
    """A trace's builder as seen from under a nested jax transformation (`_Builder.inside`)."""

    def __init__(self, builder: _Builder, counted: bool, checkpointed: bool = False):
        self.builder = builder
        self.counted = counted
        self.checkpointed = checkpointed

    @property
    def global_seed(self):
        return self.builder.global_seed

    @property
    def caller(self):
        return self.builder.caller

    @caller.setter
    def caller(self, value):
        self.builder.caller = value

    def get_seed(self, op_seed):
        return self.builder.get_seed(op_seed)

    def set_seed(self, seed):
        self.builder.set_seed(seed)

    def position(self, op, dtype, op_seed, size=1, blocks=None):
        return self.builder.position(op, dtype, op_seed, size, blocks, nested=True,
                                     counted=self.counted)

    def generator_position(self, generator, count: int):
        if self.checkpointed:  # the recomputation would read the moved state: other numbers
            _guard.refuse_checkpoint(self.builder.caller)
        return self.builder.generator_position(generator, count)


def _generator_words(generator) -> np.ndarray:
    """A compat.Generator's state `[counter_low, counter_high, key]` as raw key data (uint32[6])."""
    low, high, key = generator._words
    return _seeds.position_words(key, low | high << 64)


def _state_array(calls: int, entropy: int) -> jax.Array:
    """The state of a trace: `calls * 256` as three uint32 words, then the entropy as two."""
    words = [*keyrng.philox.int_to_words(calls * 256, 3), *keyrng.philox.int_to_words(entropy, 2)]
    return jnp.asarray(np.array(words, np.uint32))


def _fresh_state() -> jax.Array:
    return _state_array(0, secrets.randbits(64))


def _next_state(state):
    """One call more: `calls * 256` moves on by 256."""
    low = state[0] + jnp.uint32(256)
    carry = (low < jnp.uint32(256)).astype(jnp.uint32)
    middle = state[1] + carry
    high = state[2] + (carry & (middle == 0).astype(jnp.uint32))
    return jnp.stack([low, middle, high, state[3], state[4]])


class _Body:
    """What `jax.jit` traces for one signature: the Python function with the state threaded in.

    Kept apart from `_Trace` so that nothing refers back to the `Function`: a compiled function
    is freed, with its traces, as soon as the program drops it."""

    def __init__(self, python_function, static, treedef, global_seed):
        self.python_function = python_function
        # [(position, value)] of the Python arguments; objects that take weak references are held
        # weakly (`_Weak`), as TensorFlow holds them, so that they can die and the trace then
        # serves no later call.
        self.static = [(index, _Weak(value) if _weakable(value) else value)
                       for index, value in static]
        self.treedef = treedef
        self.global_seed = global_seed
        self.nodes: list[_Node] = []
        self.counters: list = []  # the counter references of nodes in loops and branches
        self.initial: list = []  # imported offsets of the nodes, for the first trace's references
        self.generators: list = []  # (compat.Generator, its state reference) drawn from
        self.traces = 0
        self.xla = False  # the Function's jit_compile

    def __call__(self, state, arrays):
        leaves = list(arrays)
        for index, value in self.static:
            leaves.insert(index, value.get() if isinstance(value, _Weak) else value)
        args, kwargs = jax.tree_util.tree_unflatten(self.treedef, leaves)
        nodes: list[_Node] = []
        builder = _Builder(self.global_seed, state, _guard.trace_state(), nodes)
        builder.initial = self.initial
        builder.xla = self.xla
        stack = _guard.builders()
        stack.append(builder)
        try:
            result = self.python_function(*args, **kwargs)
        finally:
            stack.pop()
        self.nodes, self.counters = nodes, builder.counters
        self.generators = list(builder.generators.values())
        self.traces += 1
        return result, _next_state(state)


class _Trace:
    """One concrete trace: a jitted body, its nodes, and its state between calls."""

    def __init__(self, state_key: str, python_function, signature, static, treedef, global_seed):
        self.state_key = state_key
        self.signature = signature
        self.body = _Body(python_function, static, treedef, global_seed)
        self.inlined = 0  # how many times it ran inlined in another function's trace
        self.state = None  # device uint32[5]; valid for (state_object, generation)
        self.state_object = None
        self.generation = None
        self.adopt = None  # (state object, generation) of an import_state not yet taken up
        self.lock = threading.RLock()  # held by a call from taking the state to storing the next
        self.steady = None  # the compiled function with loop and branch counters as an array
        self.plain = False  # set after the first call: only the call count to thread
        self.offsets = None  # those counters (uint32[M, 4]) when `steady` is used
        self.jitted = jax.jit(self.body)

    @property
    def global_seed(self):
        return self.body.global_seed

    @property
    def nodes(self) -> list:
        return self.body.nodes

    @property
    def traces(self) -> int:
        """1 once traced, as TensorFlow traces a signature once: its one concrete function is
        reused when the signature is called inside other functions' traces (compat inlines the
        Python function there again) and at the top level."""
        return 1 if self.body.traces or self.inlined else 0

    def take_state(self):
        """The state for the next call: reset when `set_seed`, `reset` or `set_state` came since."""
        current = _state.state
        if self.state_object is current and self.generation == current.generation:
            return self.state
        if self.adopt is None or not _adoptable(self.adopt, current):
            self.state = _fresh_state()
            self.set_counters([0] * len(self.body.counters))
        self.state_object, self.generation, self.adopt = current, current.generation, None
        return self.state

    def run(self, arrays):
        """One call (the caller holds `self.lock`): the compiled function on the current state,
        which it moves on. With compat.Generators, their states are loaded into the trace's
        references first and stored back after, holding their locks throughout, so that an
        eager draw in another thread comes wholly before or after the call."""
        if self.steady is not None:
            result, self.state, self.offsets = self.steady(self.take_state(), self.offsets, arrays)
            return result
        generators = self.body.generators
        if not generators:
            result, self.state = self.jitted(self.take_state(), arrays)
            return result
        locks = [generator._lock for generator, _ in sorted(generators, key=lambda e: id(e[0]))]
        for lock in locks:
            lock.acquire()
        try:
            for generator, ref in generators:
                ref[...] = jnp.asarray(_generator_words(generator))
            result, self.state = self.jitted(self.take_state(), arrays)
            for generator, ref in generators:
                words = [int(w) for w in np.asarray(ref[...])]
                counter = keyrng.philox.words_to_int(words[2:])
                generator._words = [counter % 2**64, counter >> 64, keyrng.philox.words_to_int(words[:2])]
        finally:
            for lock in reversed(locks):
                lock.release()
        return result

    def counters(self) -> list[int]:
        """The block offsets of the nodes in loops and branches (see `_Builder._counted_offset`)."""
        if self.steady is not None:
            return [keyrng.philox.words_to_int([int(w) for w in row]) for row in np.asarray(self.offsets)]
        return [keyrng.philox.words_to_int([int(w) for w in np.asarray(ref[...])])
                for ref in self.body.counters]

    def set_counters(self, offsets) -> None:
        if self.steady is not None:
            self.offsets = jnp.asarray(np.array(
                [keyrng.philox.int_to_words(offset, 4) for offset in offsets], np.uint32).reshape(-1, 4))
            return
        for ref, offset in zip(self.body.counters, offsets):
            ref[...] = jnp.asarray(np.array(keyrng.philox.int_to_words(offset, 4), np.uint32))

    def make_steady(self, state, arrays) -> None:
        """After the first call: the counters of loop and branch nodes passed in and out of the
        compiled function as one uint32[M, 4] array, like the state, instead of the references
        made at trace time (jax dispatches a function that closes over references on a slower
        path, some 50 microseconds a call). Built from the first trace's jaxpr (`jit.trace` takes
        it from jax's cache; the Python function does not run again): the references there
        become references made inside the compiled code from the array, read back at the end."""
        if not self.body.counters or self.body.generators:
            return
        refs, traces = list(self.body.counters), self.body.traces
        try:
            traced = self.jitted.trace(state, arrays)
            closed = traced.jaxpr
            out_tree = jax.tree_util.tree_structure(traced.out_info)
        except Exception:  # noqa: BLE001 - a jax without these: keep the references
            return
        if self.body.traces != traces:  # jax traced again (not from its cache): keep the first
            self.body.traces = traces   # trace's counters, in the references of the new one
            for old, new in zip(refs, self.body.counters):
                new[...] = old[...]
            return
        where = {id(ref): i for i, ref in enumerate(self.body.counters)}
        if sum(id(c) in where for c in closed.consts) != len(where):
            return  # the references are not all constants of the jaxpr: keep them
        jaxpr, consts, count = closed.jaxpr, list(closed.consts), len(where)

        def steady(state, offsets, arrays):
            refs = [jax.new_ref(offsets[i]) for i in range(count)]
            inner = [refs[where[id(c)]] if id(c) in where else c for c in consts]
            leaves = jax.tree_util.tree_leaves((state, arrays))
            outs = _extend_core.jaxpr_as_fun(_extend_core.ClosedJaxpr(jaxpr, inner))(*leaves)
            result, new_state = jax.tree_util.tree_unflatten(out_tree, outs)
            return result, new_state, jnp.stack([ref[...] for ref in refs])

        self.offsets = jnp.stack([ref[...] for ref in self.body.counters])
        self.steady = jax.jit(steady)

    def calls_and_entropy(self) -> tuple[int, int]:
        words = [int(w) for w in np.asarray(self.take_state())]
        return keyrng.philox.words_to_int(words[:3]) >> 8, keyrng.philox.words_to_int(words[3:])

    def export(self) -> dict:
        calls, entropy = self.calls_and_entropy()
        if all(node.seeds is not None for node in self.nodes):
            entropy = 0  # unused: leave it out, so that snapshots of the same state are equal
        counters = self.counters()
        return {"function": self.state_key, "signature": self.signature,
                "global_seed": self.global_seed, "calls": calls, "entropy": entropy,
                "offsets": [calls * node.blocks if node.counter is None else counters[node.counter]
                            for node in self.nodes]}


def _adoptable(stamp, current) -> bool:
    """Whether counters imported at `stamp` still hold: nothing since, or only the state swap of
    the `compat.set_state` that imported them (a new state object, one generation on)."""
    obj, generation = stamp
    if current is obj:
        return current.generation == generation
    return current.generation == generation + 1


# --- compat.function ----------------------------------------------------------------------------

_live: "weakref.WeakSet[Function]" = weakref.WeakSet()
_made: dict = {}  # function name -> how many compat.functions of that name were made
_pending: dict = {}  # (function key, signature) -> (entry, stamp): imported, trace not made yet


def _is_array(leaf) -> bool:
    return isinstance(leaf, (jax.Array, np.ndarray, np.generic))


_JAX_ARRAY = type(jnp.zeros(()))  # the concrete class of jax arrays outside a trace
_PLAIN = frozenset({int, float, bool, complex, str, bytes, type(None)})  # leaves, or no leaf


def _call_kinds(args) -> tuple | None:
    """A cheap cache key of a call with positional arguments only, or None when an argument is
    of another kind (a container, an object, a numpy scalar: those take the binding path).

    Jax arrays are keyed by their abstract value (shape, dtype, weak type, sharding), numpy arrays
    by shape and dtype, plain values by type and value: finer than the full signature, never
    coarser, so one call kind always lands on the trace the full signature chose for it."""
    kinds = []
    for arg in args:
        kind = type(arg)
        if kind is _JAX_ARRAY:
            kinds.append(arg.aval)
        elif kind in _PLAIN:
            kinds.append((kind, arg))
        elif kind is np.ndarray:
            kinds.append((arg.shape, arg.dtype))
        else:
            return None
    return tuple(kinds)


class _Literal:
    """The cache key of a static Python value that takes no weak references (numbers, strings,
    None, ...): TensorFlow's `Literal`, equal by `==` (so 1 == 1.0 == True), NaN equal to NaN."""

    __slots__ = ("value", "_hash")

    def __init__(self, value):
        if _is_nan(value):
            value = _NAN
        self.value = value
        self._hash = hash(value)

    def __eq__(self, other):
        return isinstance(other, _Literal) and bool(self.value == other.value)

    def __hash__(self):
        return self._hash

    def text(self) -> str:
        """The same text for equal values in every process: a number by its value (1, 1.0 and
        True are `number:1`), anything else as `type:repr`."""
        value = self.value
        if value is _NAN:
            return "number:nan"
        if isinstance(value, (bool, int, float, complex)):
            if isinstance(value, complex) and value.imag == 0:
                value = value.real
            if isinstance(value, (bool, int)) or (isinstance(value, float) and value.is_integer()):
                return f"number:{int(value)}"
            return f"number:{value!r}"
        return f"{type(value).__name__}:{value!r}"


class _Nan:
    def __repr__(self) -> str:
        return "nan"


_NAN = _Nan()


def _is_nan(value) -> bool:
    if isinstance(value, complex):
        return value != value
    return isinstance(value, float) and value != value


def _weakable(value) -> bool:
    try:
        weakref.ref(value)
    except TypeError:
        return False
    return True


class _Weak:
    """The cache key of an object that takes weak references (functions, class instances, sets):
    TensorFlow's `Weakref`, which holds the object weakly and is equal to another while both
    objects live and are the same or `==`. So a trace made for an object that has died serves
    no later call, even with an equal object."""

    __slots__ = ("ref", "_hash")

    def __init__(self, obj):
        self._hash = hash(obj)  # first: unhashable objects are refused, as in TensorFlow
        self.ref = weakref.ref(obj)

    def get(self):
        obj = self.ref()
        if obj is None:
            keyrng.errors.runtime_error("compat.function", "a trace's static arguments must be alive when it "
                                  "runs", "an argument that no longer exists")
        return obj

    def __eq__(self, other):
        if not isinstance(other, _Weak):
            return False
        mine, theirs = self.ref(), other.ref()
        if mine is None or theirs is None:
            return False
        return mine is theirs or bool(mine == theirs)

    def __hash__(self):
        return self._hash

    def text(self) -> str:
        obj = self.ref()
        return f"{type(obj).__name__}:{obj!r}"


class Function:
    """A function compiled with `jax.jit`, with `tf.function`'s random semantics (see
    `compat.function`)."""

    def __init__(self, python_function: Callable):
        functools.update_wrapper(self, python_function)
        self.python_function = python_function
        try:
            self._parameters = inspect.signature(python_function)
        except (TypeError, ValueError):  # some builtins have none: arguments stay as given
            self._parameters = None
        self._traces: dict = {}
        self._lock = threading.RLock()  # held while a new trace is made (see __call__)
        self._input_signature = None  # ((shape or None, dtype), ...) from compat.function
        # Calls with positional arguments only: `_call_kinds(args)` -> (trace, which arguments are
        # arrays), filled from the full signature on the first call of each kind; emptied with
        # `_traces` entries by import_state.
        self._fast: dict = {}
        self.jit_compile = False  # tf.function(jit_compile=True): TensorFlow's XLA numbers
        name = f"{getattr(python_function, '__module__', None)}." \
               f"{getattr(python_function, '__qualname__', type(python_function).__name__)}"
        with _state.lock:
            # The n-th function made with this name in this process (n > 0) is keyed `name#n`: a
            # program that makes its functions in the same order gets the same keys every run.
            same = _made.get(name, 0)
            _made[name] = same + 1
            self._name = name
            self.state_key = name if same == 0 else f"{name}#{same}"
            _live.add(self)

    def __repr__(self) -> str:
        return f"<compat.function {self._name}>"

    def __get__(self, instance, owner=None):
        """A method: a compat.function of its own per instance (TensorFlow binds a tf.function
        per instance), kept in the instance, so that the instance need not be hashable and its
        traces are keyed `module.Class.method#n` (n-th instance used) for checkpoints."""
        if instance is None:
            return self
        slot = f"_compat_function_{id(self):x}"
        try:
            bound = vars(instance).get(slot)
        except TypeError:  # no __dict__ (slots): the instance is a static argument
            return functools.partial(self, instance)
        if bound is None:
            bound = Function(types.MethodType(self.python_function, instance))
            bound._input_signature = self._input_signature
            bound.jit_compile = self.jit_compile
            vars(instance)[slot] = bound
        return bound

    def experimental_get_tracing_count(self) -> int:
        """How many times the Python function was traced (TensorFlow's method of the same name)."""
        return sum(trace.traces for trace in list(self._traces.values()))

    def _signature(self, args, kwargs):
        """The cache key of a call (its treedef, static values with their types, array types), the
        static values with their places, and the arrays."""
        if (args or kwargs) and self._parameters is not None:
            # TensorFlow binds arguments to parameters: f(2), f(n=2) and f(2, default) share a trace.
            bound = self._parameters.bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, bound.kwargs
        leaves, treedef = jax.tree_util.tree_flatten((args, kwargs))
        static, arrays, kinds = [], [], []
        for index, leaf in enumerate(leaves):
            if _is_array(leaf):
                arrays.append(leaf)
                kinds.append((np.shape(leaf), leaf.dtype, getattr(leaf, "weak_type", False)))
                continue
            static.append((index, leaf))
            kinds.append(self._static_kind(leaf))
        return (treedef, tuple(kinds)), static, arrays, treedef

    def _static_kind(self, leaf):
        """TensorFlow's trace type of a Python value (`trace_type.from_value`): equal values share
        a trace (`Literal`, or `Weakref`, which compares live objects with `==` too), so 1, 1.0
        and True are one key, NaN matches NaN, and a wrapper (`__wrapped__`) counts as what it
        wraps."""
        while hasattr(leaf, "__wrapped__"):
            leaf = leaf.__wrapped__
        try:
            return _Weak(leaf) if _weakable(leaf) else _Literal(leaf)
        except TypeError:
            keyrng.errors.type_error(self._name_for_errors, "arguments",
                               "arrays or hashable Python values (those are static: a new value "
                               "traces the function again)", leaf)

    @staticmethod
    def _signature_text(key) -> str:
        """The key as text that is the same in every process (for `export_state`)."""
        treedef, kinds = key
        parts = []
        for kind in kinds:
            if isinstance(kind, (_Literal, _Weak)):
                parts.append(kind.text())
            else:
                shape, dtype, weak = kind
                parts.append(f"{np.dtype(dtype).name}{list(shape)}{'~weak' if weak else ''}")
        return f"{treedef} [{', '.join(parts)}]"

    @property
    def _name_for_errors(self) -> str:
        return f"compat.function({getattr(self.python_function, '__name__', '?')})"

    def __call__(self, *args, **kwargs):
        if not _guard.at_top_level():
            return self._call_nested(args, kwargs)
        # The hot path: positional arguments of a kind seen before need no binding nor flattening.
        # Locks: a call holds its trace's own lock while it takes the state, dispatches the
        # compiled function and stores the new state (so no two calls share a count), never
        # compat's global lock: eager draws in other threads do not wait for it.
        kinds = None if kwargs else _call_kinds(args) if args else ()
        fast = self._fast.get(kinds) if kinds is not None else None
        if fast is not None:
            trace, picks = fast
            arrays = list(args) if picks is None else [args[i] for i in picks]
            with trace.lock:
                if trace.plain:  # no loop, branch or Generator state besides the call count
                    result, trace.state = trace.jitted(trace.take_state(), arrays)
                    return result
                return trace.run(arrays)
        if self._input_signature is not None:
            self._check_call(args, kwargs)
        key, static, arrays, treedef = self._signature(args, kwargs)
        trace = self._traces.get(key)
        if trace is None:
            # A first call traces and compiles holding only this function's lock (a second
            # thread calling it with the same new signature waits, then uses the trace).
            with self._lock:
                trace = self._traces.get(key)
                if trace is None:
                    result = self._first_call(key, static, arrays, treedef)
                    trace = self._traces[key]
                    if kinds is not None:
                        self._learn(kinds, args, arrays, trace)
                    return result
        with trace.lock:
            result = trace.run(arrays)
        if kinds is not None:
            self._learn(kinds, args, arrays, trace)
        return result

    def _check_call(self, args, kwargs) -> None:
        """A call of a function with an input_signature: its arguments must fit the specs."""
        values = list(args)
        if kwargs and self._parameters is not None:
            values = list(self._parameters.bind(*args, **kwargs).args)
        if len(values) != len(self._input_signature) or not all(
                _fits(spec, np.asarray(v) if isinstance(v, (int, float, bool)) else v)
                for spec, v in zip(self._input_signature, values)):
            keyrng.errors.type_error(self._name_for_errors, "arguments",
                               f"arrays fitting its input_signature {list(self._input_signature)}",
                               tuple(values))

    def _learn(self, kinds, args, arrays, trace) -> None:
        """Remember the trace of this call kind, when its arrays are exactly the array arguments
        in order (not so when a default value is an array): then the hot path can skip binding."""
        picks = tuple(i for i, arg in enumerate(args) if type(arg) in (_JAX_ARRAY, np.ndarray))
        if len(picks) == len(arrays) and all(args[i] is a for i, a in zip(picks, arrays)):
            self._fast[kinds] = (trace, None if len(picks) == len(args) else picks)

    def _new_trace(self, key, static, treedef, global_seed) -> _Trace:
        """A trace for a new signature, taking up counters imported for it, if any."""
        signature = self._signature_text(key)
        trace = _Trace(self.state_key, self.python_function, signature, static, treedef, global_seed)
        trace.body.xla = self.jit_compile
        imported = _pending.get((self.state_key, signature))
        if imported is not None and _adoptable(imported[1], _state.state):
            entry, stamp = imported
            calls, entropy = entry["calls"], entry["entropy"]
            trace.body.global_seed = entry["global_seed"]
            trace.body.initial = list(entry["offsets"])  # for its loop and branch nodes
            trace.state = _state_array(calls, entropy)
            trace.adopt = stamp
        return trace

    def _first_call(self, key, static, arrays, treedef):
        trace = self._new_trace(key, static, treedef, _state.state.global_seed)
        with trace.lock:
            before = trace.take_state()
            result, state = trace.jitted(before, arrays)  # traces; may raise, storing nothing
            trace.state = state
            trace.make_steady(before, arrays)
            trace.plain = trace.steady is None and not trace.body.generators
            for generator, ref in trace.body.generators:  # made at trace time from their states
                words = [int(w) for w in np.asarray(ref[...])]
                counter = keyrng.philox.words_to_int(words[2:])
                with generator._lock:
                    generator._words = [counter % 2**64, counter >> 64,
                                        keyrng.philox.words_to_int(words[:2])]
        self._traces[key] = trace
        _pending.pop((self.state_key, trace.signature), None)
        return result

    def _call_nested(self, args, kwargs):
        """Called while a compat.function is traced: inline, with this function's trace-time seed."""
        stack = _guard.builders()
        if not stack or stack[-1].jax_trace != _guard.trace_state():
            _guard.refuse("compat.function", f"calling the compiled function {self._name}")
        outer = stack[-1]
        key, static, _, treedef = self._signature(args, kwargs)
        with _state.lock:
            trace = self._traces.get(key)
            if trace is None:  # traced inside another function: its graph seed is the outer one's
                trace = self._new_trace(key, static, treedef, outer.global_seed)
                self._traces[key] = trace
            trace.inlined += 1
        inner = outer.nested(trace.global_seed)
        # TensorFlow compiles an XLA function's callees with it, and inlines a jit_compile
        # function called from a plain one into the plain graph (tests/test_xla.py).
        inner.xla = outer.xla
        stack.append(inner)
        try:
            return self.python_function(*args, **kwargs)
        finally:
            stack.pop()


def function(fn: Callable | None = None, *, input_signature: Any = None, autograph: bool = True,
             jit_compile: Any = None, reduce_retracing: bool = False, name: Any = None,
             **options: Any) -> Any:
    """`tf.function` for compat's random ops: compile `fn` with `jax.jit`, with TensorFlow's seeds
    and per-op counters inside it (the rules: docs/function.md).

    Array arguments are traced; Python scalars and other hashable values are static, so a new
    value traces the function again, with fresh kernels, as in TensorFlow.

    tf.function's keyword arguments are accepted: `input_signature` (a sequence of objects with
    `shape` and `dtype`, such as `compat.TensorSpec`; `None` in a shape is any size) fixes
    what the array arguments may be: a call that does not fit raises TypeError, as in TensorFlow.
    `jit_compile=True` gives the numbers of TensorFlow's XLA bridge (`tf.function(jit_compile=True)`)
    to the stateless ops and Generator draws inside (docs/xla.md). `autograph`,
    `reduce_retracing`, `name` and every `experimental_*` option have no meaning on jax (the code
    is always compiled with XLA, and jax loops and branches are written with `lax`), so they
    change nothing (docs/function.md).

    >>> import compat
    >>> compat.set_seed(1234)
    >>> @compat.function
    ... def f():
    ...     return compat.uniform([1]), compat.uniform([1])
    >>> f()
    (Array([0.13047123], dtype=float32), Array([0.1689806], dtype=float32))
    >>> f()
    (Array([0.6087816], dtype=float32), Array([0.7539084], dtype=float32))
    """
    if fn is None:
        return functools.partial(function, input_signature=input_signature, autograph=autograph,
                                 jit_compile=jit_compile, reduce_retracing=reduce_retracing,
                                 name=name, **options)
    if not callable(fn):
        keyrng.errors.type_error("compat.function", "fn", "a callable", fn)
    specs = None if input_signature is None else _check_input_signature(input_signature)
    made = Function(fn)
    made._input_signature = specs
    made.jit_compile = bool(jit_compile)
    return made


class TensorSpec(NamedTuple):
    """`tf.TensorSpec` for `compat.function(input_signature=...)`: a shape (None in it, or None
    for the whole shape, is any size) and a dtype. (`jax.ShapeDtypeStruct` works too where the
    shape is fully known; jax 0.12 refuses None in it.)

    >>> import compat, jax.numpy as jnp
    >>> compat.TensorSpec([None, 2], jnp.float32)
    TensorSpec(shape=[None, 2], dtype=<class 'jax.numpy.float32'>, name=None)
    """

    shape: Any
    dtype: Any
    name: Any = None


def _check_input_signature(signature) -> tuple:
    if not isinstance(signature, (list, tuple)) or not all(
            hasattr(spec, "shape") and hasattr(spec, "dtype") for spec in signature):
        keyrng.errors.type_error("compat.function", "input_signature",
                           "a list or tuple of specs with shape and dtype (compat.TensorSpec)",
                           signature)
    return tuple((None if spec.shape is None else tuple(spec.shape), np.dtype(spec.dtype))
                 for spec in signature)


def _fits(spec, value) -> bool:
    shape, dtype = spec
    if not hasattr(value, "shape") or np.dtype(getattr(value, "dtype", None)) != dtype:
        return False
    return shape is None or (len(shape) == len(value.shape) and all(
        want is None or want == got for want, got in zip(shape, value.shape)))


# --- the counters as a checkpoint ---------------------------------------------------------------

def export_state() -> list:
    """The counters of every live compiled function's traces, as JSON-serialisable data.

    One dict per trace: `function` (module and qualified name, with `#n` for the n-th later
    function of the same name), `signature` (the static arguments and array shapes), the
    trace-time `global_seed`, `calls` since the last reset, `entropy` (the 64-bit seed material of
    nodes without any seed) and `offsets` (each node's block offset: `calls * N * 256`, for
    reading only, except for nodes in loop bodies and branches, whose own counters these are). Counters imported for traces not made yet are included. A trace with no calls
    since the last reset and every node seeded is left out: it has nothing to restore (and a
    function that is unreachable but not yet collected would otherwise show up).
    """
    with _state.lock:
        rows = {}
        for key, (entry, stamp) in _pending.items():
            if _adoptable(stamp, _state.state):
                rows[key] = dict(entry)
        for owner in list(_live):
            for trace in list(owner._traces.values()):
                row = trace.export()
                if row["calls"] or row["entropy"]:
                    rows[(owner.state_key, trace.signature)] = row
        return [rows[key] for key in sorted(rows)]


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_entry(entry, obj) -> dict:
    if not isinstance(entry, dict) or set(entry) != {"function", "signature", "global_seed", "calls",
                                                      "entropy", "offsets"}:
        keyrng.errors.value_error("compat._function.import_state", "state", _STATE_FORMS, obj,
                            "Here an entry does not have the keys of an exported trace.")
    fine = (isinstance(entry["function"], str) and isinstance(entry["signature"], str)
            and (entry["global_seed"] is None or _is_int(entry["global_seed"]))
            and _is_int(entry["calls"]) and 0 <= entry["calls"] < _CALLS_LIMIT
            and _is_int(entry["entropy"]) and 0 <= entry["entropy"] < 2**64
            and isinstance(entry["offsets"], (list, tuple))
            and all(_is_int(o) and 0 <= o < 2**128 for o in entry["offsets"]))
    if not fine:
        keyrng.errors.value_error("compat._function.import_state", "state", _STATE_FORMS, obj,
                            f"Here the entry of {entry.get('function')!r} has a value of the wrong kind.")
    return dict(entry, offsets=list(entry["offsets"]))


def import_state(obj: Any) -> None:
    """Restore `export_state`'s counters; every trace not listed restarts, as after `set_seed`.

    Checks everything first: malformed data raises ValueError and changes nothing. A listed trace
    that exists takes the counters at once (its node offsets must agree); one not traced yet
    takes them when it is first traced, unless `set_seed` or `reset` comes first. `None` means
    no counters at all.
    """
    entries = [] if obj is None else obj
    if not isinstance(entries, (list, tuple)):
        keyrng.errors.value_error("compat._function.import_state", "state", _STATE_FORMS, obj)
    checked = {}
    for entry in entries:
        entry = _check_entry(entry, obj)
        key = (entry["function"], entry["signature"])
        if key in checked:
            keyrng.errors.value_error("compat._function.import_state", "state", _STATE_FORMS, obj,
                                f"Here the trace {key} appears twice.")
        checked[key] = entry
    with _state.lock:
        live = {(owner.state_key, trace.signature): (owner, key, trace)
                for owner in list(_live) for key, trace in list(owner._traces.items())}
        for key, entry in checked.items():
            nodes = live[key][2].nodes if key in live else []
            expected = [entry["calls"] * node.blocks if node.counter is None else offset
                        for node, offset in zip(nodes, entry["offsets"])]
            if nodes and entry["offsets"] and (entry["offsets"] != expected
                                               or len(nodes) != len(entry["offsets"])):
                keyrng.errors.value_error("compat._function.import_state", "state", _STATE_FORMS, obj,
                                    f"Here the offsets of {key} do not fit its {len(nodes)} "
                                    "random ops: the function changed since the export.")
        stamp = (_state.state, _state.state.generation)
        _pending.clear()
        for key, (owner, cache_key, trace) in live.items():
            entry = checked.get(key)
            if entry is not None and entry["global_seed"] != trace.global_seed:
                del owner._traces[cache_key]  # its seeds were read at another time: trace it again
                owner._fast.clear()
                continue
            checked.pop(key, None)
            calls, entropy = (0, secrets.randbits(64)) if entry is None \
                else (entry["calls"], entry["entropy"])
            trace.state = _state_array(calls, entropy)
            trace.set_counters([0] * len(trace.body.counters) if entry is None else
                               [offset for node, offset in zip(trace.nodes, entry["offsets"])
                                if node.counter is not None])
            trace.state_object = trace.generation = None
            trace.adopt = stamp
        for key, entry in checked.items():
            _pending[key] = (entry, stamp)
