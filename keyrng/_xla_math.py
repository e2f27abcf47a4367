"""XLA's `ErfInv` as TensorFlow 2.21's XLA program computes it, with explicit jnp operations.

TensorFlow's XLA bridge builds `tf.random.stateless_truncated_normal` (and a Generator's
`truncated_normal`) from XLA's client-library `ErfInv` (`xla/hlo/builder/lib/math.cc`:
`ErfInv32`, `ErfInv64`, and the half types through float32, `DoWithUpcastToF32`): `w =
-log1p(-x*x)`, a polynomial in a shifted `w` (or `sqrt(w)`) chosen by a threshold, times `x`;
`erfinv(+-1) = +-inf`. jax's `lax.erf_inv` lowers to the same operations (chlo's expansion of the
same polynomials), but jax's XLA compiles the Horner steps `c + p * w` into fused multiply-adds,
rounded once, where TensorFlow 2.21's program rounds each product and each sum (its recordings
show it: `tests/test_xla.py`). Here every product is kept from being contracted into the
following addition (`keyrng._tf_kernels.rounded`), so the steps round as TensorFlow's do, whatever
jax's compiler fuses.

`erf_inv(x)` takes float16, bfloat16 (computed in float32 and rounded back), float32 or float64.

>>> import jax.numpy as jnp
>>> erf_inv(jnp.array([0.0, 0.5, -0.9], jnp.float32))
Array([ 0.        ,  0.47693628, -1.1630871 ], dtype=float32)
"""

from __future__ import annotations

import jax.numpy as jnp
from jax import lax

from keyrng._tf_kernels import rounded, wide_types

# ErfInv32: Giles's single-precision polynomials, w < 5 and w >= 5 (highest degree first).
_F32_SMALL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
              -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
_F32_LARGE = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
              -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)

# ErfInv64: Giles's double-precision polynomials for w < 6.25 (23 terms), w < 16 (19) and
# w >= 16 (17), highest degree first; the shorter ones stop early.
_F64_625 = (-3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18,
            1.115787767802518096e-17, -1.333171662854620906e-16, 2.0972767875968561637e-17,
            6.6376381343583238325e-15, -4.0545662729752068639e-14, -8.1519341976054721522e-14,
            2.6335093153082322977e-12, -1.2975133253453532498e-11, -5.4154120542946279317e-11,
            1.051212273321532285e-09, -4.1126339803469836976e-09, -2.9070369957882005086e-08,
            4.2347877827932403518e-07, -1.3654692000834678645e-06, -1.3882523362786468719e-05,
            0.0001867342080340571352, -0.00074070253416626697512, -0.0060336708714301490533,
            0.24015818242558961693, 1.6536545626831027356)
_F64_16 = (2.2137376921775787049e-09, 9.0756561938885390979e-08, -2.7517406297064545428e-07,
           1.8239629214389227755e-08, 1.5027403968909827627e-06, -4.013867526981545969e-06,
           2.9234449089955446044e-06, 1.2475304481671778723e-05, -4.7318229009055733981e-05,
           6.8284851459573175448e-05, 2.4031110387097893999e-05, -0.0003550375203628474796,
           0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066,
           -0.0037512085075692412107, 0.005370914553590063617, 1.0052589676941592334,
           3.0838856104922207635)
_F64_LARGE = (-2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09,
              -3.7894654401267369937e-09, 7.6157012080783393804e-09, -1.4960026627149240478e-08,
              2.9147953450901080826e-08, -6.7711997758452339498e-08, 2.2900482228026654717e-07,
              -9.9298272942317002539e-07, 4.5260625972231537039e-06, -1.9681778105531670567e-05,
              7.5995277030017761139e-05, -0.00021503011930044477347, -0.00013871931833623122026,
              1.0103004648645343977, 4.8499064014085844221)


def _horner_step(p, w, c):
    """`c + p * w` with the product rounded before the sum (no fused multiply-add)."""
    return c + rounded(p * w)


def _erf_inv32(x):
    t = x.dtype
    w = -jnp.log1p(rounded(-x * x))
    small = w < jnp.asarray(5.0, t)

    def coefficient(i):
        return jnp.where(small, jnp.asarray(_F32_SMALL[i], t), jnp.asarray(_F32_LARGE[i], t))

    w = jnp.where(small, w - jnp.asarray(2.5, t), jnp.sqrt(w) - jnp.asarray(3.0, t))
    p = coefficient(0)
    for i in range(1, len(_F32_SMALL)):
        p = _horner_step(p, w, coefficient(i))
    return p * x


def _erf_inv64(x):
    t = x.dtype
    w = -jnp.log1p(rounded(-x * x))
    lt_625 = w < jnp.asarray(6.25, t)
    lt_16 = w < jnp.asarray(16.0, t)

    def coefficient(i):
        c = jnp.asarray(_F64_625[i], t)
        if i < len(_F64_16):
            c = jnp.where(lt_625, c, jnp.asarray(_F64_16[i], t))
        if i < len(_F64_LARGE):
            c = jnp.where(lt_16, c, jnp.asarray(_F64_LARGE[i], t))
        return c

    shift = jnp.where(lt_16, jnp.asarray(3.25, t), jnp.asarray(5.0, t))
    w = jnp.where(lt_625, w - jnp.asarray(3.125, t), jnp.sqrt(w) - shift)
    p = coefficient(0)
    for i in range(1, len(_F64_LARGE)):
        p = _horner_step(p, w, coefficient(i))
    for i in range(len(_F64_LARGE), len(_F64_16)):
        p = jnp.where(lt_16, _horner_step(p, w, coefficient(i)), p)
    for i in range(len(_F64_16), len(_F64_625)):
        p = jnp.where(lt_625, _horner_step(p, w, coefficient(i)), p)
    return p * x


def erf_inv(x):
    """XLA's ErfInv of a float array, rounded step by step as TensorFlow 2.21's XLA program
    rounds it (module docstring); `+-inf` at `+-1`."""
    x = jnp.asarray(x)
    if x.dtype in (jnp.float16, jnp.bfloat16):
        return erf_inv(x.astype(jnp.float32)).astype(x.dtype)
    with wide_types(x.dtype == jnp.float64):
        result = _erf_inv64(x) if x.dtype == jnp.float64 else _erf_inv32(x)
        edge = jnp.abs(x) == jnp.asarray(1.0, x.dtype)
        return jnp.where(edge, x * jnp.asarray(jnp.inf, x.dtype), result)
