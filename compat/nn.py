"""`tf.nn`'s random ops: `compat.nn.dropout`, the candidate samplers TensorFlow 2 spells under
`tf.nn` (`all_candidate_sampler`, `fixed_unigram_candidate_sampler`,
`learned_unigram_candidate_sampler`: the same functions as `compat.*`), and
`compat.nn.experimental`'s `general_dropout` and `stateless_dropout`.

Every dropout keeps `x * (1 / (1 - rate))` where a uniform sample of shape `noise_shape` is
`>= rate` and puts 0 elsewhere (`rate` and the scale each rounded once to x's dtype); they differ
only in where the uniform sample comes from:

- `dropout`: TensorFlow's stateful RandomUniform kernel, with the seed rules of `compat.uniform`
  (it is `compat.dropout`);
- `experimental.general_dropout`: the caller's `uniform_sampler(shape=..., dtype=...)`, for
  instance a Generator's `uniform`;
- `experimental.stateless_dropout`: `compat.stateless_uniform(noise_shape, seed, dtype)`.
"""

from __future__ import annotations

import types
from typing import Any, Callable

import jax.numpy as jnp
import numpy as np

import keyrng
from keyrng.typing import ArrayLike, RealLike, Shape, StatelessSeed

from compat import _stateless_ops, _threefry
from compat._discrete_ops import dropout as dropout
# tf.nn's spellings of the candidate samplers (TensorFlow 2 exports these three under tf.nn too).
from compat._samplers import all_candidate_sampler as all_candidate_sampler
from compat._samplers import fixed_unigram_candidate_sampler as fixed_unigram_candidate_sampler
from compat._samplers import learned_unigram_candidate_sampler as learned_unigram_candidate_sampler

__all__ = ["all_candidate_sampler", "dropout", "experimental", "fixed_unigram_candidate_sampler",
           "learned_unigram_candidate_sampler"]


def general_dropout(x: ArrayLike, rate: RealLike, uniform_sampler: Callable, noise_shape: Shape | None = None,
                    name: str | None = None) -> Any:
    """`tf.nn.experimental.general_dropout`: dropout with the uniform values of
    `uniform_sampler(shape=noise_shape, dtype=x.dtype)`, which must lie in [0, 1).

    Stands for `keyrng`'s dropout rule (`where(u >= rate, x / (1 - rate), 0)`) on the sampler's
    values; with `rate=0` it returns `x` without calling the sampler. TensorFlow's examples:

    >>> import compat, jax.numpy as jnp
    >>> g = compat.Generator.from_seed(7)
    >>> sampler = g.uniform
    >>> x = jnp.array([1.1, 2.2, 3.3, 4.4, 5.5])
    >>> rate = 0.5
    >>> compat.nn.experimental.general_dropout(x, rate, sampler)
    Array([ 0. ,  4.4,  6.6,  8.8, 11. ], dtype=float32)
    >>> compat.nn.experimental.general_dropout(x, rate, sampler)
    Array([2.2, 0. , 0. , 8.8, 0. ], dtype=float32)
    """
    return _general_dropout("compat.nn.experimental.general_dropout", x, rate, uniform_sampler,
                            noise_shape)


def _general_dropout(function, x, rate, uniform_sampler, noise_shape):
    if not callable(uniform_sampler):
        keyrng.errors.type_error(function, "uniform_sampler", "a callable (shape, dtype) -> array",
                           uniform_sampler)
    x, rate, noise_shape = keyrng.tf.check_dropout(function, x, rate, noise_shape)
    if rate == 0.0:
        return x
    uniform = jnp.asarray(uniform_sampler(shape=list(noise_shape), dtype=x.dtype))
    if uniform.shape != tuple(noise_shape) or uniform.dtype != x.dtype:
        keyrng.errors.value_error(function, "uniform_sampler", f"a sampler of {x.dtype} values of shape "
                            f"{list(noise_shape)}", f"{uniform.dtype} values of shape "
                            f"{list(uniform.shape)}")
    return keyrng.tf.apply_dropout(x, uniform, np.asarray(rate, x.dtype),
                                    np.asarray(1.0 / (1.0 - rate), x.dtype))


def stateless_dropout(x: ArrayLike, rate: RealLike, seed: StatelessSeed, rng_alg: Any = None, noise_shape: Shape | None = None,
                      name: str | None = None) -> Any:
    """`tf.nn.experimental.stateless_dropout`: dropout whose uniform values are
    `compat.stateless_uniform(noise_shape, seed, x.dtype, alg=rng_alg)`, that is
    `keyrng.uniform(keyrng.tf_stateless_key(seed), noise_shape, x.dtype)`. TensorFlow's examples:

    >>> import compat, jax.numpy as jnp
    >>> x = jnp.ones([3, 5])
    >>> compat.nn.experimental.stateless_dropout(x, rate=0.5, seed=[1, 0])
    Array([[2., 0., 2., 0., 0.],
           [0., 0., 2., 0., 2.],
           [0., 0., 0., 0., 2.]], dtype=float32)
    >>> compat.nn.experimental.stateless_dropout(x, rate=0.8, seed=[1, 0])
    Array([[5., 0., 0., 0., 0.],
           [0., 0., 0., 0., 5.],
           [0., 0., 0., 0., 5.]], dtype=float32)
    >>> compat.nn.experimental.stateless_dropout(x, rate=0.8, seed=[2, 0])
    Array([[5., 0., 0., 0., 0.],
           [0., 0., 0., 5., 0.],
           [0., 0., 0., 0., 0.]], dtype=float32)
    """
    function = "compat.nn.experimental.stateless_dropout"

    def sampler(shape, dtype):  # checks seed and alg only when it draws, as TensorFlow does
        alg = _stateless_ops.check_alg(function, rng_alg, threefry=True)
        if alg == 2:  # XLA's ThreeFry (compat/_threefry.py)
            position = _threefry.stateless_position(function, seed)
            return keyrng.tf.threefry_draw_uniform(position, tuple(shape), jnp.dtype(dtype).name, 0.0, 1.0)
        if _stateless_ops._xla(alg, seed):  # compat.function(jit_compile=True): docs/xla.md
            return _stateless_ops.xla_uniform(function, seed, tuple(shape), jnp.dtype(dtype).name)
        key, _ = keyrng.tf.stateless_key(function, seed)
        return keyrng.uniform(key, shape, dtype)

    return _general_dropout(function, x, rate, sampler, noise_shape)


experimental = types.SimpleNamespace(general_dropout=general_dropout,
                                     stateless_dropout=stateless_dropout)
