"""The ThreeFry algorithm (`alg="threefry"`, 2) of TensorFlow's stateless ops: only TensorFlow's XLA
bridge runs it, so compat draws it only inside `compat.function(jit_compile=True)`
(`keyrng.tf.threefry_*`, docs/xla.md) and refuses it elsewhere, as TensorFlow does (its CPU kernels
raise "counter must be a vector with length at least 2" for a ThreeFry key and counter)."""

from __future__ import annotations

import jax

import keyrng

from compat import _guard


def refuse_outside_xla(function: str) -> None:
    """The RuntimeError of a ThreeFry draw outside a jit_compile function (nothing changes)."""
    if not _guard.xla():
        keyrng.errors.runtime_error(
            function, "alg='threefry' runs only inside compat.function(jit_compile=True)", "a call outside one",
            "TensorFlow's CPU kernels have no ThreeFry (only its XLA bridge does); use alg='philox' or "
            "'auto_select', or call it in compat.function(jit_compile=True).")


def stateless_position(function: str, seed) -> jax.Array:
    """The ThreeFry position of a stateless seed (`keyrng.tf.threefry_stateless_position`), after
    `refuse_outside_xla`."""
    refuse_outside_xla(function)
    return keyrng.tf.threefry_stateless_position(function, seed)
