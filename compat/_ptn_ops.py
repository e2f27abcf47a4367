"""`tf.random.stateless_parameterized_truncated_normal`: TensorFlow's
StatelessParameterizedTruncatedNormal kernel at the stateless position of `seed`
(`keyrng.tf.parameterized_truncated_normal`; no state is read or changed)."""

from __future__ import annotations

import jax

import keyrng
from keyrng.typing import ArrayLike, Shape, StatelessSeed

from compat import _function, _ops


def stateless_parameterized_truncated_normal(shape: Shape, seed: StatelessSeed, means: ArrayLike = 0.0,
                                             stddevs: ArrayLike = 1.0, minvals: ArrayLike = -2.0,
                                             maxvals: ArrayLike = 2.0, name: str | None = None) -> jax.Array:
    """`tf.random.stateless_parameterized_truncated_normal`: normal values with mean `means` and
    standard deviation `stddevs`, truncated to `[minvals, maxvals]`, at the stateless position of
    `seed`, bit for bit as TensorFlow 2.21's CPU kernel. `shape` must end with the broadcast
    shape of the four parameters, which share one dtype (float16, float32 or float64; Python
    floats are float32): the output has that dtype.

    Stands for `keyrng.tf.parameterized_truncated_normal(keyrng.tf_stateless_key(seed), shape,
    means, stddevs, minvals, maxvals)`. Refused inside `compat.function(jit_compile=True)`
    (RuntimeError): TensorFlow's XLA lowering is reproduced only in part (see
    docs/parameterized_truncated_normal.md).

    >>> import compat
    >>> compat.stateless_parameterized_truncated_normal([3], seed=[1, 2], minvals=-1.0, maxvals=1.0)  # doctest: +SKIP
    Array([ 0.68812084, -0.61590934,  0.9924464 ], dtype=float32)

    (The kernel compiles for several seconds, so the doctest run skips the example; tests/test_ptn.py
    replays it from TensorFlow's recording, `ptn_doc_example`.)
    """
    function = "compat.stateless_parameterized_truncated_normal"
    _ops.check_shape_form(function, shape)
    if _function.xla():
        keyrng.errors.runtime_error(
            function, "it must run outside compat.function(jit_compile=True)", "a call under jit_compile=True",
            "TensorFlow's XLA lowering of StatelessParameterizedTruncatedNormal is reproduced only in part "
            "(docs/parameterized_truncated_normal.md); call it in a compat.function without jit_compile.")
    checked = keyrng.tf.check_parameterized_truncated_normal(function, shape, means, stddevs, minvals, maxvals)
    key, _ = keyrng.tf.stateless_key(function, seed)
    return keyrng.tf.draw_parameterized_truncated_normal(key, *checked)
