"""`compat.function`: `tf.function`'s random semantics, compiled with `jax.jit`.

TensorFlow's rules inside a function (docs/function.md has them with examples):

- the global seed is read when the function is traced; unseeded ops get op seeds 0, 1, 2, ... in
  trace order, so every trace of every function restarts at 0;
- every random op of a trace (a *node*) is its own kernel, with its own Philox counter that lives
  on across calls of that trace and moves N*256 blocks per call of N values;
- a new trace (a new Python argument value, or new array shapes or dtypes) has new kernels;
- `set_seed` (and `compat.set_state`, `compat.reset`) resets every kernel, also those of traces
  made before it; it does not retrace, so the seeds read at trace time stay.

The concerns live in their own modules: `compat._guard` (where an op may draw: trace levels,
refusals, XLA mode), `compat._trace` (one trace: its threaded state, builder and nodes),
`compat._trace_keys` (the signature cache), `compat._checkpoint` (export and import of the
counters); the 128-bit word arithmetic is `keyrng.philox`. This module is the `Function` object.

Locks: a call holds its trace's own lock from taking the state to storing the next one (no two
calls share a count); a first call of a signature holds the Function's lock while it traces and
compiles. compat's global lock is never held across tracing, compiling or running.

The Python side of a call is kept short: arguments are bound to the parameters and flattened only
on the first call of each kind; later calls with positional arguments only (arrays and plain
values) find their trace by the arguments' types, shapes and values
(`_trace_keys.call_kinds`).
"""

from __future__ import annotations

import functools
import inspect
import threading
import types
from typing import Any, Callable

import numpy as np

import keyrng

from compat import _guard, _state, _trace, _trace_keys

__all__ = ["function", "Function"]


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
        # Calls with positional arguments only: `_trace_keys.call_kinds(args)` -> (trace, which arguments are
        # arrays), filled from the full signature on the first call of each kind; emptied with
        # `_traces` entries by import_state.
        self._fast: dict = {}
        self.jit_compile = False  # tf.function(jit_compile=True): TensorFlow's XLA numbers
        name = f"{getattr(python_function, '__module__', None)}." \
               f"{getattr(python_function, '__qualname__', type(python_function).__name__)}"
        with _state.lock:
            # The n-th function made with this name in this process (n > 0) is keyed `name#n`: a
            # program that makes its functions in the same order gets the same keys every run.
            # The registry is part of compat's one state object (`_state.State.functions`).
            current = _state.state
            same = current.function_names.get(name, 0)
            current.function_names[name] = same + 1
            self._name = name
            self.state_key = name if same == 0 else f"{name}#{same}"
            current.functions.add(self)

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
        """The cache key of a call, the static values with their places, the arrays, the treedef
        (`_trace_keys.signature`)."""
        return _trace_keys.signature(self._parameters, args, kwargs, self._name_for_errors)

    @staticmethod
    def _signature_text(key) -> str:
        return _trace_keys.signature_text(key)

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
        kinds = None if kwargs else _trace_keys.call_kinds(args) if args else ()
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
        if self._input_signature is not None:
            key = self._relaxed(key)
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
                _trace_keys.fits(spec, np.asarray(v) if isinstance(v, (int, float, bool)) else v)
                for spec, v in zip(self._input_signature, values)):
            keyrng.errors.type_error(self._name_for_errors, "arguments",
                               f"arrays fitting its input_signature {list(self._input_signature)}",
                               tuple(values))

    def _dynamic(self) -> bool:
        """Whether the input_signature leaves sizes unknown: one trace then serves every shape
        that fits, as TensorFlow's one concrete function does, its kernels going on across calls
        of different shapes."""
        return self._input_signature is not None and any(
            shape is None or None in shape for shape, _ in self._input_signature)

    def _relaxed(self, key):
        """The cache key of a call of a function with an input_signature: the specs' shapes in
        place of the arrays' (TensorFlow traces the signature, not the call)."""
        treedef, kinds = key
        specs = iter(self._input_signature)
        relaxed = []
        for kind in kinds:
            if isinstance(kind, tuple) and len(kind) == 3 and isinstance(kind[0], tuple):
                spec = next(specs, None)
                if spec is None:
                    return key
                kind = (spec[0], kind[1], False)
            relaxed.append(kind)
        return treedef, tuple(relaxed)

    def _learn(self, kinds, args, arrays, trace) -> None:
        """Remember the trace of this call kind, when its arrays are exactly the array arguments
        in order (not so when a default value is an array): then the hot path can skip binding."""
        picks = tuple(i for i, arg in enumerate(args) if type(arg) in (_trace_keys.JAX_ARRAY, np.ndarray))
        if len(picks) == len(arrays) and all(args[i] is a for i, a in zip(picks, arrays)):
            self._fast[kinds] = (trace, None if len(picks) == len(args) else picks)

    def _new_trace(self, key, static, treedef, global_seed) -> _trace.Trace:
        """A trace for a new signature, taking up counters imported for it, if any."""
        signature = self._signature_text(key)
        trace = _trace.Trace(self.state_key, self.python_function, signature, static, treedef, global_seed)
        trace.body.xla = self.jit_compile
        trace.body.dynamic = self._dynamic()
        imported = _state.state.pending.get((self.state_key, signature))
        if imported is not None and _trace.adoptable(imported[1], _state.state):
            entry, stamp = imported
            calls, entropy = entry["calls"], entry["entropy"]
            trace.body.global_seed = entry["global_seed"]
            trace.body.initial = list(entry["offsets"])  # for its loop and branch nodes
            trace.state = _trace.state_array(calls, entropy)
            trace.adopt = stamp
        return trace

    def _first_call(self, key, static, arrays, treedef):
        trace = self._new_trace(key, static, treedef, _state.state.global_seed)
        with trace.lock:
            before = trace.take_state()
            if trace.body.dynamic:
                trace.use_shape(arrays)
            result, state = trace.jitted(before, arrays)  # traces; may raise, storing nothing
            trace.state = state
            trace.make_steady(before, arrays)
            trace.plain = trace.steady is None and not trace.body.generators and not trace.body.dynamic
            for generator, ref in trace.body.generators:  # made at trace time from their states
                words = [int(w) for w in np.asarray(ref[...])]
                counter = keyrng.philox.words_to_int(words[2:])
                with generator._lock:
                    generator._words = [counter % 2**64, counter >> 64,
                                        keyrng.philox.words_to_int(words[:2])]
        self._traces[key] = trace
        _state.state.pending.pop((self.state_key, trace.signature), None)
        return result

    def _call_nested(self, args, kwargs):
        """Called while a compat.function is traced: inline, with this function's trace-time seed."""
        stack = _guard.builders()
        if not stack:
            _guard.refuse("compat.function", f"calling the compiled function {self._name}")
        outer, level = stack[-1], _guard.trace_state()
        view = None
        if outer.jax_trace != level:
            # Called in a loop body, a branch or under jax.grad and the like of the function
            # (TensorFlow: a function call in a while body, a cond branch, under a tape): the
            # inlined ops are nodes of that level's graph, counted there as its own ops are.
            levels = _guard.nesting(outer.jax_trace)
            if levels is None:
                _guard.refuse("compat.function", f"calling the compiled function {self._name}")
            if any(kind == "vmap" for _, kind in levels):
                _guard.refuse_vmap("compat.function")
            view = outer.inside(levels, "compat.function")
            if view is None:
                _guard.refuse("compat.function", f"calling the compiled function {self._name}")
            outer = view.builder
        key, static, _, treedef = self._signature(args, kwargs)
        with _state.lock:
            trace = self._traces.get(key)
            if trace is None:  # traced inside another function: its graph seed is the outer one's
                trace = self._new_trace(key, static, treedef, outer.global_seed)
                self._traces[key] = trace
            trace.inlined += 1
        inner = outer.nested(trace.global_seed)
        if view is not None:
            inner.jax_trace = level
            inner.counted = inner.counted or view.counted
            inner.once = True
            inner.checkpointed = inner.checkpointed or view.checkpointed
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
    specs = None if input_signature is None else _trace_keys.check_input_signature(input_signature)
    made = Function(fn)
    made._input_signature = specs
    made.jit_compile = bool(jit_compile)
    return made
