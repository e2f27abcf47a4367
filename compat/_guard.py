"""The trace guard: where an implicit-seed random op may draw.

An implicit-seed op reads and moves compat's counters in Python. That is right when it runs
eagerly, and at the own trace level of a `compat.function` (which threads the counters through
its compiled code), and wrong anywhere else jax traces: under a plain `jax.jit` the op would run
once, at trace time, and its numbers would be frozen into the compiled code. So it refuses there.

The trace level is read through jax's public `get_opaque_trace_state` (jax.extend.core; jax.core
in jax 0.9): an opaque value that compares equal for the same trace, as flax's nnx uses it.
"""

from __future__ import annotations

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
    return bool(stack) and stack[-1].jax_trace == state
