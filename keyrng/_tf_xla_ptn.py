"""TensorFlow's StatelessParameterizedTruncatedNormal as its XLA bridge compiles it
(`tf.function(jit_compile=True)`, TensorFlow 2.21): tf2xla's `StatelessParameterizedTruncatedNormalOp`
(`tensorflow/compiler/tf2xla/kernels/stateless_random_ops.cc`) and `ParameterizedTruncatedNormal`
(`tensorflow/compiler/tf2xla/lib/random.cc`), as a pure function of a Philox position.

No rejection sampling, no thread split, no parameter check: one uniform value per output, drawn
as the XLA uniform kernel draws it (`keyrng.tf.xla_uniform_kernel`, at the XLA stateless position
`keyrng.tf.xla_stateless_key`), moved into `[tiny, 1)` and put through the inverse normal CDF with
the four parameters broadcast to the output shape:

    u     = uniform * (1 - tiny) + tiny
    cdf   = (1 + erf(x / sqrt(2))) / 2,       ac = cdf((a - mu) / sigma),  bc = cdf((b - mu) / sigma)
    v     = clamp(2 * (ac + (bc - ac) * u) - 1, -1 + eps, 1 - eps)
    out   = clamp(mu + sigma * sqrt(2) * erfinv(v), a, b)

in the dtype (float32 for bfloat16). XLA's algebraic simplifier rewrites TensorFlow's division by the
constant `sqrt(2)` as a multiplication by its rounded reciprocal (`x * 0.70710677` in float32), and
that is what TensorFlow's program computes; the kernel writes the multiplication itself (a division
would differ by an ulp now and then, enough to move a value far out in a tail). The division by 2 is
a multiplication by 0.5 there too (exact either way). XLA's `erf` and `erfinv` are jax's
`lax.erf` / `lax.erf_inv` (the same XLA operations; equal to TensorFlow 2.21's XLA on the inputs
checked, see docs/xla.md); `_erfinv` is the one place that calls erfinv.

Invalid parameters (`stddev <= 0`, `minval >= maxval`) are not an error under XLA: they give
values (for example `maxval` when `minval > maxval`).
"""

from __future__ import annotations

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keyrng import _tf_xla

PTN_DTYPES = ("float16", "float32", "float64")


def _erfinv(v):
    """XLA's ErfInv (the one call of it here; TensorFlow 2.21's XLA and jax's agree on it)."""
    return lax.erf_inv(v)


# TensorFlow 2.21's XLA:CPU computes a float32 Erf fused with other operations (as it is here, with
# the scaling of its argument) with its input clamped to [-3.7439211627767994, 3.7439211627767994]
# and no saturation: at and above the clamp it is 0.99999976. An Erf alone in its kernel (and jax's
# XLA, always) saturates to +-1 there instead. Below the clamp the two are the same polynomial
# (checked on 11,500 inputs against TensorFlow, docs/xla.md).
_ERF_CLAMP = np.float32(3.7439211627767994)
_ERF_AT_CLAMP = np.uint32(0x3F7FFFFD).view(np.float32)  # 0.99999976, the polynomial at the clamp


def _erf(x):
    """XLA's Erf as TensorFlow 2.21's XLA:CPU computes it in a fusion (above); float64 as jax's."""
    if x.dtype != jnp.float32:
        return lax.erf(x)
    return jnp.where(jnp.abs(x) >= _ERF_CLAMP, jnp.copysign(jnp.float32(_ERF_AT_CLAMP), x), lax.erf(x))


@partial(jax.jit, static_argnames=("shape", "dtype"))
def _xla_ptn(key, means, stddevs, minvals, maxvals, *, shape, dtype):
    with jax.enable_x64(dtype == "float64"):
        t = jnp.dtype(dtype)
        tiny = jnp.asarray(_tf_xla._TINY[dtype], t)
        u = _tf_xla.uniform_kernel(key, shape, dtype)
        u = u * (jnp.asarray(1.0, t) - tiny) + tiny
        one, two, half = jnp.asarray(1.0, t), jnp.asarray(2.0, t), jnp.asarray(0.5, t)
        sqrt_2 = np.sqrt(np.asarray(2.0, dtype))
        inv_sqrt_2 = jnp.asarray(np.asarray(1.0, dtype) / sqrt_2, t)
        mu, sigma, a, b = (jnp.broadcast_to(jnp.asarray(p, t), shape) for p in (means, stddevs, minvals, maxvals))

        def cdf(x):
            return (one + _erf(x * inv_sqrt_2)) * half

        alpha_cdf, beta_cdf = cdf((a - mu) / sigma), cdf((b - mu) / sigma)
        p = alpha_cdf + (beta_cdf - alpha_cdf) * u
        v = two * p - one
        epsilon = jnp.asarray(_tf_xla._EPSILON[dtype], t)
        v = jnp.clip(v, -one + epsilon, one - epsilon)
        x = mu + (sigma * jnp.asarray(sqrt_2, t)) * _erfinv(v)
        return jnp.clip(x, a, b)


def xla_draw_ptn(key, shape, means, stddevs, minvals, maxvals, dtype: str) -> jax.Array:
    """`tf.random.stateless_parameterized_truncated_normal` under XLA at `key` (module docstring):
    `shape` the output shape, the parameters arrays of `dtype` broadcastable to it.

    >>> import keyrng.tf as tfk
    >>> key, _ = tfk.xla_stateless_key("my.op", [7, 8])
    >>> tfk.xla_parameterized_truncated_normal(key, (3,), 0.0, 1.0, 2.0, float("inf"), "float32")
    Array([2.6191053, 2.2440138, 2.3414426], dtype=float32)
    """
    shape = tuple(int(d) for d in shape)
    with jax.enable_x64(dtype == "float64"):
        if int(np.prod(shape, dtype=np.int64)) == 0:
            return jnp.zeros(shape, dtype)
        params = [jnp.asarray(p, dtype) for p in (means, stddevs, minvals, maxvals)]
        return _xla_ptn(key, *params, shape=shape, dtype=dtype)
