"""A bit-exact port of glibc 2.36's ``log1p`` (x86-64, FMA build), for TensorFlow's binomial kernel.

TensorFlow's RandomBinomial / StatelessRandomBinomial CPU kernel computes `log1p(-p)` in float64
with the C library's `log1p` (binomial inversion). XLA:CPU's float64 `log1p` is not glibc's (on
2M uniform inputs in (-1, 0) about 13% differ by an ulp), so it is ported here. On x86-64 CPUs
with FMA, glibc 2.36 dispatches (ifunc) to ``__log1p_fma``, the fdlibm ``s_log1p.c`` algorithm
compiled with fused multiply-adds; where each rounding happens was read from the disassembly of
Debian's glibc 2.36-9 ``libm.so.6`` (the C source alone does not say which products GCC fused):

- ``|x| < 2^-29``: ``fma(-(x*x), 0.5, x)`` (``x`` itself below ``2^-54``);
- the polynomial: ``R = fma(z6, fma(z, Lp7, Lp6), fma(z4, fma(z, Lp5, Lp4), fma(z, Lp1,
  z2 * fma(z, Lp3, Lp2))))`` with ``z2 = z*z``, ``z4 = z2*z2``, ``z6 = z2*z4``;
- ``k == 0``: ``f - (hfsq - s*(hfsq + R))`` with no fusion; ``k != 0``:
  ``fma(k, ln2_hi, -((hfsq - (s*(hfsq + R) + fma(k, ln2_lo, c))) - f))``;
- ``|f| < 2^-20``: ``R = hfsq * fma(-f, 2/3, 1)``, and the ``k != 0`` ends as above.

Fused multiply-adds are obtained as keyrng/_libm.py obtains them (that module explains the
method): XLA:CPU lets LLVM contract ``a*b + c`` whose product has a single use, and products that
glibc rounds are hidden behind `_opaque`. The function is jitted so that it compiles as one
computation even eagerly. The tests compare it with the system's ``math.log1p`` (glibc).

Domain: every float64; NaN stays NaN, ``log1p(-1) = -inf``, below -1 NaN.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keyrng._libm import _bits64, _from_bits64, _nan_zero, _opaque

_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_LP = (None, 6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
       2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
       1.479819860511658591e-01)


def _high(x):
    """The high 32 bits of a float64, as int32 (fdlibm's GET_HIGH_WORD)."""
    return lax.bitcast_convert_type((_bits64(x) >> np.uint64(32)).astype(jnp.uint32), jnp.int32)


def _with_high(x, high):
    """``x`` with its high word replaced (SET_HIGH_WORD)."""
    low = _bits64(x) & np.uint64(0xFFFFFFFF)
    return _from_bits64((lax.bitcast_convert_type(high, jnp.uint32).astype(jnp.uint64) << np.uint64(32)) | low)


@jax.jit
def _log1p_x64(x):
    x = jnp.asarray(x, jnp.float64)
    zero = _nan_zero(x)
    hx = _high(x)
    ax = hx & np.int32(0x7FFFFFFF)

    # Reduction 1 + x = 2^k (1 + f) (fdlibm), for the k != 0 inputs.
    u = 1.0 + x
    big = hx >= np.int32(0x43400000)
    u = jnp.where(big, x, u)
    hu = _high(u)
    k = (hu >> 20) - np.int32(1023)
    c = jnp.where(k > 0, 1.0 - (_opaque(u, zero) - x), x - (_opaque(u, zero) - 1.0)) / u
    c = jnp.where(big, 0.0, c)
    hu = hu & np.int32(0x000FFFFF)
    low_half = hu < np.int32(0x6A09E)
    u = jnp.where(low_half, _with_high(u, hu | np.int32(0x3FF00000)), _with_high(u, hu | np.int32(0x3FE00000)))
    k = jnp.where(low_half, k, k + 1)
    hu = jnp.where(low_half, hu, (np.int32(0x00100000) - hu) >> 2)
    f_reduced = u - 1.0

    # k = 0 for -0.2929 < x < 0.41422 (and |x| >= 2^-29): f = x exactly.
    k_zero = (hx < np.int32(0x3FDA827A)) & ((hx > 0) | (hx <= np.int32(-1076707645)))  # 0xbfd2bec3
    f = jnp.where(k_zero, x, f_reduced)
    k = jnp.where(k_zero, 0, k)
    hu = jnp.where(k_zero, 1, hu)
    c = jnp.where(k_zero, 0.0, c)
    kd = k.astype(jnp.float64)

    hfsq = _opaque(0.5 * f, zero) * f
    # |f| < 2^-20
    r_small = hfsq * (-f * 0.66666666666666666 + 1.0)  # fma(-f, 2/3, 1)
    tiny_k0 = f - _opaque(r_small, zero)
    tiny_k = kd * _LN2_HI - ((_opaque(r_small, zero) - (kd * _LN2_LO + c)) - f)  # fma(k, ln2_hi, -(..))
    exact_f = kd * _LN2_HI + (kd * _LN2_LO + c)  # fma(k, ln2_hi, fma(k, ln2_lo, c))
    tiny = jnp.where(f == 0.0, jnp.where(k == 0, 0.0, exact_f), jnp.where(k == 0, tiny_k0, tiny_k))

    s = f / (2.0 + f)
    z = s * s
    z2 = _opaque(z * z, zero)
    z4 = _opaque(z2 * z2, zero)
    z6 = _opaque(z2 * z4, zero)
    a = z * _LP[3] + _LP[2]
    b = z * _LP[5] + _LP[4]
    d = z * _LP[7] + _LP[6]
    t = _opaque(z2 * a, zero)
    t = z * _LP[1] + t
    t = z4 * b + t
    r = z6 * d + t
    shr = _opaque(s * (hfsq + r), zero)
    main_k0 = f - (hfsq - shr)
    main_k = kd * _LN2_HI - ((hfsq - (shr + (kd * _LN2_LO + c))) - f)
    out = jnp.where(hu == 0, tiny, jnp.where(k == 0, main_k0, main_k))

    # |x| < 2^-29: x - x*x/2 (fused), or x itself below 2^-54.
    near0 = x - _opaque(x * x, zero) * 0.5  # fma(-(x*x), 0.5, x)
    near0 = jnp.where(ax < np.int32(0x3C900000), x, near0)
    out = jnp.where(ax < np.int32(0x3E200000), near0, out)
    out = jnp.where(hx >= np.int32(0x7FF00000), x + x, out)  # +inf, NaN
    below = (hx < np.int32(0x3FDA827A)) & (ax >= np.int32(0x3FF00000))  # x <= -1 (and -inf, -NaN)
    out = jnp.where(below, jnp.where(x == -1.0, -np.inf, np.nan), out)
    return jnp.where(x != x, x, out)


def log1p(x):
    """glibc 2.36 ``log1p`` (x86-64 FMA build), bit for bit, on float64 ``x``.

    >>> import jax, numpy as np
    >>> with jax.enable_x64(True):
    ...     y = np.asarray(log1p(np.float64([-0.5, -0.1813484285289242, 1e-10, 3.0])))
    >>> [float(v).hex() for v in y]
    ['-0x1.62e42fefa39efp-1', '-0x1.99cc4ec7118f4p-3', '0x1.b7cdfd9d1d693p-34', '0x1.62e42fefa39efp+0']
    """
    with jax.enable_x64(True):
        return _log1p_x64(x)
