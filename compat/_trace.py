"""One trace of a `compat.function`: the state threaded through its compiled code, the builder
compat's ops talk to while it is traced, and its nodes (TensorFlow's rules: docs/function.md).

Every call of a trace runs every node once, so after `k` calls node i is at block offset
`k * N_i * 256`: the whole counter state of a trace is one call count. A trace is one `jax.jit`
of the function whose only extra input and output is that state, a uint32[5] array (`calls * 256`
in three words, least significant first, then two entropy words) kept on the device between
calls; node i draws from `keyrng.tf_key(seed_i, seed2_i, calls * 256 * N_i)` computed inside the
compiled code (for N_i = 1 that is only the addition of seed2). The word arithmetic is
`keyrng.philox` (`scale_calls`, `next_call`, `add_high`). The entropy words stand in for
TensorFlow's OS-entropy seeds of nodes that have no seed at all. A node whose kernel moves by a
count that is not a multiple of 256 (RandomShuffle) draws from `calls * blocks`, computed from the
state's `calls * 256` shifted down.

Ops under transformations nested in the function: under jax.grad, jvp, vjp, checkpoint or an inner
jit a node runs once per call, so it is at `calls * blocks` like the others. In a loop body or a
branch it runs any number of times per call: such a node has its own offset in a jax mutable array
reference made when the function is traced (`_Builder._counted_offset`); jax threads it through
the compiled code, and the trace keeps it between calls, resets it with `set_seed` and exports it
with the call count. After the first call these counters travel as one uint32[M, 4] array input
and output instead, in a function built from the first trace's jaxpr (`Trace.make_steady`: faster
to dispatch). `_guard.nesting` tells the kinds of nested levels apart; a loop body or branch is a
TensorFlow graph of its own, with its own op-seed counter (`_Builder.inside`).
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

import jax
import jax.extend.core as _extend_core
import jax.numpy as jnp
import numpy as np

import keyrng
from keyrng import philox

from compat import _guard, _seeds, _state, _trace_keys


def _concrete_ref(words: np.ndarray):
    """`jax.new_ref` of a concrete uint32 array, made outside the compiled code so that it lives
    on between calls. `ensure_compile_time_eval` is enough at the function's level and in loops
    and branches, but not under a linearize trace (`jax.grad` / `value_and_grad` / `vjp` inside a
    loop body or branch, jax 0.10.2): there `new_ref` comes back as a tracer of the gradient, and
    lowering fails (`'TypedNdArray' object has no attribute 'sharding'`). jax's trace context is
    per thread, so the reference is then made in a thread of its own, outside every trace. jax
    0.12 raises there instead (`'TypedNdArray' object has no attribute 'committed'`), which takes
    the same way."""
    try:
        with jax.ensure_compile_time_eval():
            ref = jax.new_ref(jnp.asarray(words))
    except AttributeError:
        ref = None
    if ref is not None and not isinstance(ref, jax.core.Tracer):
        return ref
    made = []

    def make():
        made.append(jax.new_ref(jnp.asarray(words)))

    worker = threading.Thread(target=make, name="compat-ref")
    worker.start()
    worker.join()
    if not made:
        raise RuntimeError("compat.function: could not make a counter outside the trace")
    return made[0]


def _times_calls(state, blocks: int) -> tuple:
    """`calls * blocks` as four traced words, from a trace's state (`calls * 256` in its first
    three words; `keyrng.philox.scale_calls`)."""
    return philox.scale_calls((state[0], state[1], state[2]), blocks)


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
        # A trace serving several shapes (an input_signature with unknown sizes): a node's count
        # of values differs from call to call, so every node keeps its own offset (`counted`).
        self.dynamic = False
        # A nested compat.function called under a jax transformation of the function (`inside`):
        # its level's kind, for every op of it (a loop body's or branch's ops are `counted`; ops
        # under jax.grad and the like, `once`, compute their offsets at their own level).
        self.counted = False
        self.once = False
        self.checkpointed = False

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
        counted, nested = counted or self.counted, nested or self.once
        if self.counted and self.checkpointed:
            _guard.refuse_checkpoint(self.caller)
        # A dynamic trace counts every node, also under jax.grad (its references are made outside
        # every trace, `_concrete_ref`), so that calls of other shapes go on from it.
        counted = counted or self.dynamic
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
        ref = _concrete_ref(np.array(keyrng.philox.int_to_words(start, 4), np.uint32))
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
        first and stores it back after (`Trace.run`), so eager draws and calls interleave as in
        TensorFlow. Returns the position before, as raw key data; the counter moves 256*count."""
        if self.checkpointed:  # a nested function's draw under jax.checkpoint (`_View` below)
            _guard.refuse_checkpoint(self.caller)
        entry = self.generators.get(id(generator))
        if entry is None:
            ref = _concrete_ref(_generator_words(generator))
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
        counted = self.counted or any(kind in ("loop", "branch") for kind in kinds)
        if self.checkpointed:
            kinds.append("checkpoint")
        if (counted or self.dynamic) and "checkpoint" in kinds:
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
        builder.dynamic = self.dynamic
        builder.counted, builder.once, builder.checkpointed = self.counted, self.once, self.checkpointed
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


def state_array(calls: int, entropy: int) -> jax.Array:
    """The state of a trace: `calls * 256` as three uint32 words, then the entropy as two."""
    words = [*keyrng.philox.int_to_words(calls * 256, 3), *keyrng.philox.int_to_words(entropy, 2)]
    return jnp.asarray(np.array(words, np.uint32))


def _fresh_state() -> jax.Array:
    return state_array(0, secrets.randbits(64))


def _next_state(state):
    """One call more: `calls * 256` moves on by 256 (`keyrng.philox.next_call`)."""
    return jnp.stack([*philox.next_call((state[0], state[1], state[2])), state[3], state[4]])


class _Body:
    """What `jax.jit` traces for one signature: the Python function with the state threaded in.

    Kept apart from `Trace` so that nothing refers back to the `Function`: a compiled function
    is freed, with its traces, as soon as the program drops it."""

    def __init__(self, python_function, static, treedef, global_seed):
        self.python_function = python_function
        # [(position, value)] of the Python arguments; objects that take weak references are held
        # weakly (`_Weak`), as TensorFlow holds them, so that they can die and the trace then
        # serves no later call.
        self.static = [(index, _trace_keys.Weak(value) if _trace_keys.weakable(value) else value)
                       for index, value in static]
        self.treedef = treedef
        self.global_seed = global_seed
        self.nodes: list[_Node] = []
        self.counters: list = []  # the counter references of nodes in loops and branches
        self.initial: list = []  # imported offsets of the nodes, for the first trace's references
        self.generators: list = []  # (compat.Generator, its state reference) drawn from
        self.traces = 0
        self.xla = False  # the Function's jit_compile
        self.dynamic = False  # one trace for every shape of an input_signature with unknown sizes

    def __call__(self, state, arrays):
        leaves = list(arrays)
        for index, value in self.static:
            leaves.insert(index, value.get() if isinstance(value, _trace_keys.Weak) else value)
        args, kwargs = jax.tree_util.tree_unflatten(self.treedef, leaves)
        nodes: list[_Node] = []
        builder = _Builder(self.global_seed, state, _guard.trace_state(), nodes)
        builder.initial = self.initial
        builder.xla = self.xla
        builder.dynamic = self.dynamic
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


class Trace:
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
        # A dynamic trace (`_Body.dynamic`): jax compiles it once per shape, each compilation with
        # references of its own; the shapes' (counters, generators) and the shapes whose
        # references hold the current offsets (`shapes`).
        self.by_shape: dict = {}
        self.shapes = None

    def use_shape(self, arrays) -> None:
        """Before a call of a dynamic trace: make the references of this call's shape hold the
        nodes' current offsets (those of the shape called last), or, for a shape not compiled
        yet, make its trace start its references there (`_Body.initial`)."""
        shapes = tuple(np.shape(a) for a in arrays)
        if shapes == self.shapes:
            return
        if self.shapes is not None:
            fixed = [node.op for node in self.nodes if node.counter is None]
            if fixed:  # under jax.grad, vjp, jvp or checkpoint: at `calls * N`, N of one shape
                keyrng.errors.runtime_error(
                    f"compat.{fixed[0]}", "random ops under jax.grad, vjp, jvp or checkpoint in a "
                    "compat.function with an input_signature of unknown sizes must be called with "
                    "one shape", f"a call with shapes {list(shapes)} after {list(self.shapes)}",
                    "Call it with one shape (pad the last batch), or draw outside the "
                    "differentiated function and pass the values in.")
            self.by_shape[self.shapes] = (self.body.counters, self.body.generators)
            offsets = self.counters()
            entry = self.by_shape.get(shapes)
            if entry is None:
                self.body.initial = self.export()["offsets"]
            else:
                self.body.counters, self.body.generators = entry
                self.set_counters(offsets)
        self.shapes = shapes

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
        if self.adopt is None or not adoptable(self.adopt, current):
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
        if self.body.dynamic:
            self.use_shape(arrays)
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
            # jax may have traced again (a dynamic trace's new shape): its references moved
            for generator, ref in self.body.generators:
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
        if not self.body.counters or self.body.generators or self.body.dynamic:
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


def adoptable(stamp, current) -> bool:
    """Whether counters imported at `stamp` still hold: nothing since, or only the state swap of
    the `compat.set_state` that imported them (a new state object, one generation on)."""
    obj, generation = stamp
    if current is obj:
        return current.generation == generation
    return current.generation == generation + 1
