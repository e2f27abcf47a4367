"""TensorFlow's gamma and Poisson ops: `gamma` and `poisson` (implicit seeds, like
`compat.uniform`) and `stateless_gamma` and `stateless_poisson` (no state).

The stateful ones follow the seed rules of the compat package docstring (`_seeds.position`); each
call moves its kernel's counter by 256 blocks per output value (`keyrng.tf.gamma_blocks`), none
for an empty `shape` (the op seed is still drawn, as in TensorFlow). The kernels are
RandomGamma (one per output dtype) and RandomPoissonV2 (one per rate dtype and output dtype).

A rejected call changes no state: every argument is checked before an op seed is drawn.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

import keyrng
from keyrng.typing import ArrayLike, DTypeLike, OpSeed, Shape, StatelessSeed

from compat import _guard, _ops, _seeds, _stateless_ops


def gamma(shape: Shape, alpha: ArrayLike, beta: ArrayLike | None = None, dtype: DTypeLike = jnp.float32,
          seed: OpSeed = None, name: str | None = None) -> jax.Array:
    """`tf.random.gamma`: `shape` samples of each Gamma(alpha, beta) distribution, an array of
    shape `shape + broadcast(alpha, beta).shape` in `dtype` (float16, float32 or float64).

    TensorFlow's RandomGamma kernel (Marsaglia-Tsang in float64), then `maximum(tiny, x / beta)`.
    Stands for `keyrng.tf.finish_gamma(keyrng.tf.draw_gamma(keyrng.tf_key(seed, seed2, offset),
    shape + alpha.shape, alpha, dtype), beta)`.

    >>> import compat
    >>> compat.gamma([3], [0.5, 2.0], seed=1)
    Array([[0.3863765, 1.1270176],
           [0.3703692, 1.1973407],
           [0.2671895, 2.5568244]], dtype=float32)
    """
    function = "compat.gamma"
    beta_given = beta
    op_seed = _seeds.check_seed(function, seed)
    _ops.check_shape_form(function, shape)
    full, alpha, beta, dtype = keyrng.tf.check_gamma(
        function, shape, alpha, beta, _ops.tf_dtype(function, dtype), stateless=False)
    size = math.prod(full)
    if size == 0:  # the kernel returns before reserving; the op seed is drawn all the same
        _seeds.spend_op_seed(function, op_seed)
        return keyrng.tf.finish_gamma(keyrng.tf.draw_gamma(None, full, alpha, dtype), beta)
    words = _seeds.position(function, ("RandomGamma", dtype), op_seed, keyrng.tf.gamma_blocks(size))
    if _graph_constant(beta_given):
        return keyrng.tf.finish_gamma(keyrng.tf.draw_gamma(words, full, alpha, dtype),
                                      np.asarray(beta_given).astype(dtype), reciprocal=True)
    return keyrng.tf.finish_gamma(keyrng.tf.draw_gamma(words, full, alpha, dtype), beta)


def _graph_constant(beta) -> bool:
    """Whether a gamma's `/ beta` is Grappler's `* Reciprocal(beta)`: inside a compat.function
    (not jit_compile), with a `beta` given that is a constant of the graph (not an argument)."""
    return beta is not None and _guard.tracing() and not _guard.xla() and \
        not isinstance(beta, jax.core.Tracer)


def poisson(shape: Shape, lam: ArrayLike, dtype: DTypeLike = jnp.float32, seed: OpSeed = None,
            name: str | None = None) -> jax.Array:
    """`tf.random.poisson` (RandomPoissonV2): `shape` samples of each Poisson(lam) distribution,
    an array of shape `shape + lam.shape` in `dtype` (float16, float32, float64, int32, int64).

    `lam` becomes the rate tensor TensorFlow's conversion makes (`keyrng.tf.rate_array`): Python
    numbers and NumPy arrays float64, lists inferred (float32, int32), jax arrays as they are;
    inside a compat.function everything is inferred (Python floats float32), as in a graph. The kernel (and its counter) is per rate dtype and
    output dtype. Stands for
    `keyrng.tf.draw_poisson(keyrng.tf_key(seed, seed2, offset), shape + lam.shape, lam, dtype)`.

    >>> import compat
    >>> compat.poisson([4], [0.5, 30.0], dtype=compat.int32, seed=1)
    Array([[ 0, 28],
           [ 0, 36],
           [ 0, 32],
           [ 0, 30]], dtype=int32)
    """
    function = "compat.poisson"
    op_seed = _seeds.check_seed(function, seed)
    _ops.check_shape_form(function, shape)
    rate = keyrng.tf.rate_array(function, lam, "float64", graph=_guard.tracing())
    full, rate, dtype = keyrng.tf.check_poisson(function, shape, rate, _ops.tf_dtype(function, dtype),
                                                stateless=False)
    size = math.prod(full)
    if math.prod(full[:len(full) - rate.ndim]) == 0:  # an empty `shape`: nothing reserved
        _seeds.spend_op_seed(function, op_seed)
        return keyrng.tf.draw_poisson(None, full, rate, dtype)
    kernel = ("RandomPoissonV2", f"{rate.dtype.name}->{dtype}")
    words = _seeds.position(function, kernel, op_seed, keyrng.tf.gamma_blocks(size))
    return keyrng.tf.draw_poisson(words, full, rate, dtype)


def stateless_gamma(shape: Shape, seed: StatelessSeed, alpha: ArrayLike, beta: ArrayLike | None = None,
                    dtype: DTypeLike = jnp.float32, name: str | None = None) -> jax.Array:
    """`tf.random.stateless_gamma` (StatelessRandomGammaV3): an array of `shape`, which must end
    with the broadcast shape of `alpha` and `beta`, in `dtype` (float16, float32 or float64).

    Stands for `keyrng.tf.gamma(keyrng.tf_stateless_key(seed), alpha, shape, dtype, beta)`.

    >>> import compat
    >>> compat.stateless_gamma([2, 3], seed=[1, 2], alpha=[0.5, 1.0, 4.0])
    Array([[0.06695361, 2.2487352 , 4.520267  ],
           [0.62823546, 1.8935091 , 3.4091506 ]], dtype=float32)
    """
    function = "compat.stateless_gamma"
    beta_given = beta
    _ops.check_shape_form(function, shape)
    full, alpha, beta, dtype = keyrng.tf.check_gamma(
        function, shape, alpha, beta, _ops.tf_dtype(function, dtype), stateless=True)
    key, _ = keyrng.tf.stateless_key(function, seed)
    if _graph_constant(beta_given) and _stateless_ops._traced_seed(seed):  # (a constant seed: folded whole)
        return keyrng.tf.finish_gamma(keyrng.tf.draw_gamma(key, full, alpha, dtype),
                                      np.asarray(beta_given).astype(dtype), reciprocal=True)
    return keyrng.tf.finish_gamma(keyrng.tf.draw_gamma(key, full, alpha, dtype), beta)


def stateless_poisson(shape: Shape, seed: StatelessSeed, lam: ArrayLike, dtype: DTypeLike = jnp.int32,
                      name: str | None = None) -> jax.Array:
    """`tf.random.stateless_poisson` (StatelessRandomPoisson): an array of `shape`, which must end
    with lam's shape, in `dtype` (int32 by default; float16, float32, float64, int64).

    Stands for `keyrng.tf.poisson(keyrng.tf_stateless_key(seed), lam, shape, dtype)`.

    >>> import compat
    >>> compat.stateless_poisson([3, 2], seed=[12, 34], lam=[5.0, 15.0])
    Array([[ 8,  8],
           [ 8, 18],
           [ 5, 19]], dtype=int32)
    """
    function = "compat.stateless_poisson"
    _ops.check_shape_form(function, shape)
    full, rate, dtype = keyrng.tf.check_poisson(function, shape, lam, _ops.tf_dtype(function, dtype),
                                                stateless=True)
    key, _ = keyrng.tf.stateless_key(function, seed)
    return keyrng.tf.draw_poisson(key, full, rate, dtype)
