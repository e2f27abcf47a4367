"""`tf.random.stateless_parameterized_truncated_normal`: TensorFlow's
StatelessParameterizedTruncatedNormal kernel at the stateless position of `seed`
(`keyrng.tf.parameterized_truncated_normal`; no state is read or changed)."""

from __future__ import annotations

import jax

import keyrng
from keyrng.typing import ArrayLike, Shape, StatelessSeed

from compat import _guard, _ops
from compat._stateless_ops import _traced_seed


def stateless_parameterized_truncated_normal(shape: Shape, seed: StatelessSeed, means: ArrayLike = 0.0,
                                             stddevs: ArrayLike = 1.0, minvals: ArrayLike = -2.0,
                                             maxvals: ArrayLike = 2.0, name: str | None = None) -> jax.Array:
    """`tf.random.stateless_parameterized_truncated_normal`: normal values with mean `means` and
    standard deviation `stddevs`, truncated to `[minvals, maxvals]`, at the stateless position of
    `seed`, bit for bit as TensorFlow 2.21's CPU kernel. `shape` must end with the broadcast
    shape of the four parameters, which share one dtype (float16, float32 or float64; Python
    floats are float32): the output has that dtype.

    Stands for `keyrng.tf.parameterized_truncated_normal(keyrng.tf_stateless_key(seed), shape,
    means, stddevs, minvals, maxvals)`. Inside `compat.function(jit_compile=True)` it gives
    TensorFlow's XLA numbers, `keyrng.tf.xla_parameterized_truncated_normal(
    keyrng.tf.xla_stateless_key(f, seed)[0], shape, means, stddevs, minvals, maxvals, dtype)`
    (inverse CDF, no parameter check, int32 seeds only), unless the seed and the four parameters
    are all constants of the function: TensorFlow's graph optimizer then computes the op with the
    CPU kernel before XLA compiles it, and so does compat (docs/xla.md).

    >>> import compat
    >>> compat.stateless_parameterized_truncated_normal([3], seed=[1, 2], minvals=-1.0, maxvals=1.0)  # doctest: +SKIP
    Array([ 0.68812084, -0.61590934,  0.9924464 ], dtype=float32)

    (The kernel compiles for several seconds, so the doctest run skips the example; tests/test_ptn.py
    replays it from TensorFlow's recording, `ptn_doc_example`.)
    """
    function = "compat.stateless_parameterized_truncated_normal"
    _ops.check_shape_form(function, shape)
    if _guard.xla() and (_traced_seed(seed) or any(isinstance(p, jax.core.Tracer)
                                                       for p in (means, stddevs, minvals, maxvals))):
        # TensorFlow's XLA lowering (tf2xla's StatelessParameterizedTruncatedNormalOp): no check of
        # the parameters' values, and an int32 seed only (XLA compiles no int64 seed for this op).
        shape, *params, dtype = keyrng.tf.check_xla_parameterized_truncated_normal(
            function, shape, means, stddevs, minvals, maxvals)
        key, seed_dtype = keyrng.tf.xla_stateless_key(function, seed)
        if seed_dtype != "int32":
            keyrng.errors.type_error(function, "seed", "an int32 seed under jit_compile=True (TensorFlow's XLA "
                                     "kernel of this op takes no other)", f"a {seed_dtype} seed")
        return keyrng.tf.xla_parameterized_truncated_normal(key, shape, *params, dtype)
    checked = keyrng.tf.check_parameterized_truncated_normal(function, shape, means, stddevs, minvals, maxvals)
    key, _ = keyrng.tf.stateless_key(function, seed)
    return keyrng.tf.draw_parameterized_truncated_normal(key, *checked)
