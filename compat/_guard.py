"""The trace guard: where an implicit-seed random op may draw.

An implicit-seed op reads and moves compat's counters in Python. That is right when it runs
eagerly, and at the own trace level of a `compat.function` (which threads the counters through
its compiled code), and wrong anywhere else jax traces: under a plain `jax.jit` the op would run
once, at trace time, and its numbers would be frozen into the compiled code. So it refuses there.

The trace level is read through jax's public `get_opaque_trace_state` (jax.extend.core; jax.core
in jax 0.9): an opaque value that compares equal for the same trace, as flax's nnx uses it.

Inside a compat.function, an op may also run under a transformation nested in the function
(`jax.grad`, `lax.fori_loop`, `lax.cond`, ...). What TensorFlow does there depends on the kind of
transformation, which the opaque state does not tell; `nesting` reads it from the trace object the
opaque state refers to (its class, and for staged traces what jax traces it for). Those are not
public jax names: when they are missing (a jax release that renamed them), `nesting` returns None
and a nested op is refused as before, with the same error, never given wrong numbers. The body of
a jax.custom_vjp / custom_jvp function is traced apart, with no link to the trace that called it;
`nesting` finds that trace as the `self` of jax's `process_custom_vjp_call` /
`process_custom_jvp_call` frame (`_custom_caller`), with the same fallback. (No public jax API
tells the kind or the parent of a trace level in jax 0.9 to 0.12: docs/function.md.)
"""

from __future__ import annotations

import contextlib
import sys
import threading

import jax
import jax.extend.core as _extend_core

from keyrng import errors

_get_trace_state = getattr(_extend_core, "get_opaque_trace_state", None) or jax.core.get_opaque_trace_state

with jax.ensure_compile_time_eval():
    _TOP = _get_trace_state("keyrng")  # eager evaluation: jax's one top-level trace

_local = threading.local()  # .builders: the stack of compat.function traces this thread builds


def trace_state():
    """The opaque state of the trace jax is in now (equal for equal traces)."""
    return _get_trace_state("keyrng")


def at_top_level() -> bool:
    """True outside every jax transformation (eager evaluation)."""
    return _get_trace_state("keyrng") == _TOP


def inside_jax_transformation() -> bool:
    """True while jax traces a function (jit, vmap, grad, scan, cond, ...)."""
    return not at_top_level()


def builders() -> list:
    """This thread's stack of compat.function traces being built (innermost last)."""
    stack = getattr(_local, "builders", None)
    if stack is None:
        stack = _local.builders = []
    return stack


# What jax traces a staged (DynamicJaxprTrace) level for, by its debug info, and its kind:
# "once" levels run once per call of the function and belong to the same TensorFlow graph (a
# GradientTape's forward pass); "graph" levels are a nested tf.function (runs once, own op seeds);
# "loop" and "branch" levels are a while-loop body and a tf.cond branch (their own graph, with
# counters that move on every run); "checkpoint" runs once but is recomputed for the gradient.
_STAGED = {"jit": "graph", "pjit": "graph", "checkpoint / remat": "checkpoint", "remat": "checkpoint",
           "fori_loop": "loop", "while_body": "loop", "while_cond": "loop", "while_loop": "loop",
           "scan": "loop", "cond": "branch", "switch": "branch"}
_AUTODIFF = ("JVPTrace", "LinearizeTrace", "JaxprTrace")


def _level_kind(trace) -> str | None:
    name = type(trace).__name__
    if name in _AUTODIFF:
        return "once"
    if name == "BatchTrace":
        return "vmap"
    if name == "DynamicJaxprTrace":
        info = getattr(getattr(trace, "frame", None), "debug_info", None)
        return _STAGED.get(getattr(info, "traced_for", None))
    return None


# The body of a jax.custom_vjp / custom_jvp function is traced to a jaxpr of its own, whose parent
# is not the trace that called it. That trace is the `self` of the innermost Python frame running
# its `process_custom_vjp_call` / `process_custom_jvp_call` (jax traces the body from there).
_CUSTOM = {"custom_vjp fun": "process_custom_vjp_call", "custom_jvp fun": "process_custom_jvp_call"}


def _custom_caller(trace):
    """The trace that called the custom_vjp/custom_jvp function whose body `trace` is, or None."""
    info = getattr(getattr(trace, "frame", None), "debug_info", None)
    method = _CUSTOM.get(getattr(info, "traced_for", None)) \
        if type(trace).__name__ == "DynamicJaxprTrace" else None
    if method is None:
        return None
    frame = sys._getframe(1)
    while frame is not None:
        caller = frame.f_locals.get("self") if frame.f_code.co_name == method else None
        if caller is not None and caller is not trace and "Trace" in type(caller).__name__:
            return caller
        frame = frame.f_back
    return None


def nesting(outer) -> list | None:
    """The levels between the current trace and the compat.function trace `outer` (an opaque
    trace state), innermost first, as (trace, kind); None when jax does not tell, or the
    current trace is not inside `outer` (a custom_vjp rule, traced on its own)."""
    try:
        trace = _get_trace_state("keyrng")._trace_ref()
        top = outer._trace_ref()
        levels = []
        while trace is not None:
            if trace is top:
                return levels
            caller = _custom_caller(trace)
            if caller is not None:  # runs once per run of the caller, in the caller's graph
                levels.append((trace, "once"))
                trace = caller
                continue
            kind = _level_kind(trace)
            if kind is None:
                return None
            levels.append((trace, kind))
            trace = getattr(trace, "parent_trace", None)
    except Exception:  # noqa: BLE001 - jax's internals moved: refuse as before
        return None
    return None


def refuse_vmap(function: str):
    errors.runtime_error(
        function, "implicit-seed random ops cannot run inside jax.vmap",
        "a call inside jax.vmap in a compat.function",
        "TensorFlow's tf.vectorized_map runs such an op once for the whole batch, drawing shape "
        "[batch, *shape] from one kernel: draw that outside the vmap (e.g. compat.uniform([n, 2])) "
        "and pass it in as an argument of the vmapped function")


def refuse_checkpoint(function: str):
    errors.runtime_error(
        function, "random ops under jax.checkpoint must not keep a state that moves within a call "
        "(ops in a loop or branch, Generator draws)", "a call where jax.checkpoint and "
        "lax.fori_loop, while_loop, scan, cond or switch are nested, or a Generator draw under "
        "jax.checkpoint", "The recomputation for the gradient would draw again, with other "
        "numbers. Draw outside the checkpointed function and pass the values in")


def refuse(function: str, what: str):
    """Raise the RuntimeError of an implicit-seed op called under a jax transformation."""
    if builders():  # a transformation nested inside a compat.function
        fix = ("Inside compat.function, call them at the function's own level (Python loops and "
               "conditionals are fine), or draw from an explicit key in the nested code, e.g. "
               "keyrng.uniform(keyrng.tf_key(seed, seed2, offset), shape).")
    else:
        fix = ("Wrap the function in compat.function (it compiles with jax.jit and keeps "
               "TensorFlow's per-op counters), or draw from an explicit key, e.g. "
               "keyrng.uniform(keyrng.tf_key(seed, seed2, offset), shape).")
    errors.runtime_error(
        function, f"{what} must run eagerly or at a compat.function's own trace level",
        "a call inside jax.jit, jax.vmap, jax.grad, lax.scan, lax.cond or another jax "
        "transformation, where jax would run it once, when it traces, and freeze the outcome "
        "into the compiled code", fix)


def current(function: str):
    """The compat.function trace being built by this thread at the current trace level, or None
    when nothing is traced.

    Raises RuntimeError inside any other jax transformation, also one nested inside a
    compat.function (a `lax.scan` body, a `jax.vmap`, ...): only the function's own trace level
    may draw.
    """
    state = _get_trace_state("keyrng")
    if state == _TOP:
        return None
    stack = builders()
    if stack and stack[-1].jax_trace == state:
        builder = stack[-1]
        builder.caller = function
        return builder
    if stack:
        levels = nesting(stack[-1].jax_trace)
        if levels is not None:
            if any(kind == "vmap" for _, kind in levels):
                refuse_vmap(function)
            builder = stack[-1].inside(levels, function)
            if builder is not None:
                return builder
    what = {"compat.set_seed": "set_seed", "compat.get_seed": "get_seed"}.get(
        function, "implicit-seed random ops")
    refuse(function, what)


def tracing() -> bool:
    """Whether this thread is building a compat.function trace at the current trace level (never
    raises: for ops that are allowed under any transformation)."""
    state = _get_trace_state("keyrng")
    if state == _TOP:
        return False
    stack = builders()
    # At the function's level, or under a transformation nested in it: all of it is the graph.
    return bool(stack) and (stack[-1].jax_trace == state or nesting(stack[-1].jax_trace) is not None)


# --- XLA (tf.function(jit_compile=True); docs/xla.md) ----------------------------------------

def xla() -> bool:
    """Whether the op being traced is in a compat.function made with `jit_compile=True` (or one
    called from such a function), or traced by jax inside `xla_numbers()`: its stateless and
    Generator draws then take TensorFlow's XLA kernels (`keyrng.tf.xla_*`), as TensorFlow's XLA
    bridge compiles them. False outside traces."""
    if getattr(_xla_local, "on", False) and inside_jax_transformation():
        return True
    stack = builders()
    return bool(stack) and tracing() and stack[-1].xla


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
