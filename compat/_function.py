"""`compat.function`: tf.function's random semantics on jax.jit (placeholder; see issue 4)."""

from __future__ import annotations

from jax._src import core as _jax_core


def inside_jax_transformation() -> bool:
    """True while jax traces a function (jit, vmap, grad, scan, cond, ...)."""
    return not _jax_core.trace_state_clean()


def current(function: str):
    """The compat.function trace being built, or None; refuses other jax traces."""
    if inside_jax_transformation():
        raise RuntimeError(
            f"`{function}`: implicit-seed random ops cannot run inside jax.jit, vmap, grad, scan or "
            "cond: their result would be traced once and frozen into a constant. Use "
            "compat.function, or pass an explicit key to keyrng.")
    return None
