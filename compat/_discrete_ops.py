"""TensorFlow's implicit-seed discrete ops, `dropout`, `shuffle` and `categorical`. They follow
the seed rules of the `compat` package docstring, like `compat.uniform` (`_seeds.position`); what
differs is how far each call moves its kernel's counter:

- `dropout`: it is TensorFlow's RandomUniform kernel (dtype of `x`, int32 shape), the very kernel
  `compat.uniform(shape, dtype=x.dtype, seed=...)` uses, so the two share a counter: N*256 blocks
  for N values of the mask;
- `shuffle` (RandomShuffle): ceil((n - 1) / 4) blocks for a leading axis n (none when n <= 1 or
  the value is empty);
- `categorical` (Multinomial): batch * 2 * ceil4(num_samples) * 256 blocks (none for an empty
  result).
"""

from __future__ import annotations

import math

import jax

import keyrng
from keyrng.typing import ArrayLike, DTypeLike, OpSeed, RealLike, Shape

from compat import _ops, _seeds


# --- implicit-seed ops with their own kernels ----------------------------------------------------

def dropout(x: ArrayLike, rate: RealLike, noise_shape: Shape | None = None, seed: OpSeed = None, name: str | None = None) -> jax.Array:
    """`tf.nn.dropout`: zero each element with probability `rate`, scale the rest by 1/(1-rate).

    The mask is TensorFlow's RandomUniform kernel, shared with `compat.uniform` (see the module
    docstring). Stands for `keyrng.dropout(keyrng.tf_key(seed, seed2, offset), x, rate,
    noise_shape)`; with `rate=0` it returns `x` and only draws an op seed, as TensorFlow does.

    >>> import compat, jax.numpy as jnp
    >>> compat.dropout(jnp.ones([5]), 0.5, seed=1)
    Array([0., 2., 0., 0., 2.], dtype=float32)
    """
    function = "compat.dropout"
    op_seed = _seeds.check_seed(function, seed)
    if noise_shape is not None:
        _ops.check_shape_form(function, noise_shape, "noise_shape")
    x, rate, noise_shape = keyrng.tf.check_dropout(function, x, rate, noise_shape)
    if rate == 0.0:  # TensorFlow only uses up an op seed
        _seeds.spend_op_seed(function, op_seed)
        return x
    words = _seeds.position(function, ("RandomUniform", x.dtype.name, "int32"), op_seed,
                             256 * math.prod(noise_shape))
    return keyrng.tf.draw_dropout(words, x, rate, noise_shape)


def shuffle(value: ArrayLike, seed: OpSeed = None, name: str | None = None) -> jax.Array:
    """`tf.random.shuffle`: `value` with its leading axis shuffled (TensorFlow's RandomShuffle).

    Stands for `keyrng.shuffle(keyrng.tf_key(seed, seed2, offset), value)`.

    >>> import compat, jax.numpy as jnp
    >>> compat.shuffle(jnp.arange(6), seed=1)
    Array([3, 5, 0, 4, 1, 2], dtype=int32)
    """
    function = "compat.shuffle"
    op_seed = _seeds.check_seed(function, seed)
    value = keyrng.tf.check_value(function, value)
    words = _seeds.position(function, ("RandomShuffle", value.dtype.name), op_seed,
                             keyrng.tf.shuffle_blocks(value.shape))
    return keyrng.tf.draw_shuffle(words, value)


def categorical(logits: ArrayLike, num_samples: int, dtype: DTypeLike | None = None, seed: OpSeed = None,
                name: str | None = None) -> jax.Array:
    """`tf.random.categorical`: `num_samples` class indices per row of `logits` (TensorFlow's
    Multinomial kernel); int64 by default, which needs jax's x64 mode (or pass dtype=int32).

    Stands for `keyrng.categorical(keyrng.tf_key(seed, seed2, offset), logits, num_samples, dtype)`.

    >>> import compat, jax.numpy as jnp
    >>> compat.categorical(jnp.log(jnp.array([[0.5, 0.5]])), 4, dtype=compat.int32, seed=1)
    Array([[1, 0, 1, 1]], dtype=int32)
    """
    function = "compat.categorical"
    op_seed = _seeds.check_seed(function, seed)
    logits, num_samples, dtype = keyrng.tf.check_categorical(
        function, logits, num_samples, None if dtype is None else _ops.tf_dtype(function, dtype))
    blocks = keyrng.tf.categorical_blocks(logits.shape[0], num_samples)
    words = _seeds.position(function, ("Multinomial", logits.dtype.name, dtype), op_seed, blocks)
    return keyrng.tf.draw_categorical(words, logits, num_samples, dtype)
