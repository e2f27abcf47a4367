"""TensorFlow's binomial and stateless categorical ops: `stateless_binomial` and
`stateless_categorical` (no state: the draw at `keyrng.tf_stateless_key(seed)`), and the
kernel behind `compat.Generator.binomial` (the generator's position; see compat/_generator.py).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

import keyrng
from keyrng.typing import ArrayLike, DTypeLike, Shape, StatelessSeed

from compat import _guard, _ops


def stateless_binomial(shape: Shape, seed: StatelessSeed, counts: ArrayLike, probs: ArrayLike,
                       output_dtype: DTypeLike = jnp.int32, name: str | None = None) -> jax.Array:
    """`tf.random.stateless_binomial`: binomial samples at the stateless position of `seed`
    (TensorFlow's StatelessRandomBinomial kernel). `shape` must end with the broadcast shape of
    `counts` and `probs` (float16, float32 or float64, one dtype; Python numbers take probs'
    dtype, float32 by default).

    Stands for `keyrng.tf.binomial(keyrng.tf_stateless_key(seed), shape, counts, probs, output_dtype)`.

    >>> import compat
    >>> compat.stateless_binomial([2], seed=[123, 456], counts=[10., 20.], probs=0.8)  # doctest: +SKIP
    Array([ 5, 16], dtype=int32)

    (The example compiles the kernel for a few seconds, so the doctest run skips it; the slow
    test group replays it from TensorFlow's recording, `binomial_doc_example`.)
    """
    function = "compat.stateless_binomial"
    _ops.check_shape_form(function, shape)
    shape, counts, probs, dtype = keyrng.tf.check_binomial(
        function, shape, counts, probs, _ops.tf_dtype(function, output_dtype, "output_dtype"),
        dtype_argument="output_dtype")
    key, _ = keyrng.tf.stateless_key(function, seed)
    return keyrng.tf.draw_binomial(key, shape, counts, probs, dtype)


def stateless_categorical(logits: ArrayLike, num_samples: int, seed: StatelessSeed,
                          dtype: DTypeLike | None = jnp.int64, name: str | None = None) -> jax.Array:
    """`tf.random.stateless_categorical`: `num_samples` class indices per row of `logits` at the
    stateless position of `seed` (TensorFlow's StatelessMultinomial kernel, the Multinomial
    kernel of `compat.categorical` on another position); int64 by default, which needs jax's
    x64 mode (or pass dtype=int32).

    Stands for `keyrng.categorical(keyrng.tf_stateless_key(seed), logits, num_samples, dtype)`.

    >>> import compat, jax.numpy as jnp
    >>> compat.stateless_categorical(jnp.log(jnp.array([[0.5, 0.5]])), 4, seed=[7, 17], dtype=compat.int32)
    Array([[1, 0, 1, 0]], dtype=int32)
    """
    function = "compat.stateless_categorical"
    logits, num_samples, dtype = keyrng.tf.check_categorical(
        function, logits, num_samples, None if dtype is None else _ops.tf_dtype(function, dtype))
    if _guard.xla():  # inside compat.function(jit_compile=True): tf2xla's Gumbel-max kernel
        key, _ = keyrng.tf.xla_stateless_key(function, seed)
        return keyrng.tf.xla_draw_categorical(key, logits, num_samples, dtype)
    key, _ = keyrng.tf.stateless_key(function, seed)
    return keyrng.tf.draw_categorical(key, logits, num_samples, dtype)
