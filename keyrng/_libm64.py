"""Bit-exact ports of glibc 2.36's float64 ``log1p``, ``exp`` and ``lgamma`` (x86-64).

TensorFlow's gamma and Poisson kernels compute in float64 with the C library's functions; XLA's
own float64 ``exp``, ``log1p`` and ``lgamma`` differ from glibc's in the last bits (XLA:CPU,
jax 0.10.2: 14% of ``exp(-r)`` for r in [0, 10), 14% of ``log1p(-u)``, 62% of ``lgamma`` on
integers), so these are re-expressed operation by operation, like `keyrng._libm`'s ``log``:

- ``log1p``: fdlibm's ``s_log1p.c`` as glibc ships it (``sysdeps/ieee754/dbl-64/s_log1p.c``) in
  its ``*-fma`` build (glibc 2.36 selects ``__log1p_fma`` by ifunc on CPUs with FMA); where GCC
  fused the products was read from the disassembly of Debian's libm.so.6 2.36: the odd
  polynomial terms ``fma(z, Lp_odd, Lp_even)``, ``R = fma(z6, R4, fma(z4, R3, fma(z, Lp1,
  z2 * R2)))``, ``fma(k, ln2_lo, c)``, ``fmsub(k, ln2_hi, ...)``; the other products rounded.
- ``exp``: ARM's optimized-routines ``exp`` (``sysdeps/ieee754/dbl-64/e_exp.c``), the ``*-fma``
  build glibc's ifunc picks on x86-64 with FMA: ``kd = fma(InvLn2N, x, Shift)``,
  ``r = fma(kd, NegLn2loN, fma(kd, NegLn2hiN, x))``, the polynomial in FMAs and
  ``fma(scale, tmp, scale)``. The 2^(k/128) table is computed at import from its definition
  (``2^(k/N) ~= H[k] * (1 + T[k])``), which reproduces glibc's ``__exp_data.tab`` exactly.
- ``lgamma``: fdlibm's ``e_lgamma_r.c`` (glibc's ``__ieee754_lgamma_r``, no FMA) for x >= 2 and
  x == 1, with glibc's FMA ``log`` (`keyrng._libm.log`) inside, as glibc calls it.

Domains (outside them results may be wrong):

- `log1p`: every float64 (NaN, infinities, -1 and below handled).
- `exp`: |x| < 512 (and NaN, infinities, |x| < 2^-54); beyond, +inf for x > 709.78 and 0 for
  x < -745.13 but without glibc's careful subnormal rounding in between.
- `lgamma`: x == 1 and x >= 2 (TensorFlow's Poisson kernel calls it on k + 1 for integers k >= 0).

All functions are elementwise, jit-friendly, and enter ``jax.enable_x64(True)`` themselves (the
inputs must be float64).
"""

from __future__ import annotations

from decimal import Decimal, getcontext

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keyrng._libm import _bits64, _from_bits64, _nan_zero, _opaque
from keyrng._libm import log as _log

__all__ = ["exp", "lgamma", "log1p"]


def _high(x):
    """The signed high 32 bits of a float64 (fdlibm's GET_HIGH_WORD)."""
    return lax.bitcast_convert_type((_bits64(x) >> np.uint64(32)).astype(jnp.uint32), jnp.int32)


def _with_high(x, high):
    """`x` with its high word replaced by `high` (int32), low word kept (SET_HIGH_WORD)."""
    low = _bits64(x) & np.uint64(0xFFFFFFFF)
    return _from_bits64((lax.bitcast_convert_type(high, jnp.uint32).astype(jnp.uint64) << np.uint64(32)) | low)


# --- log1p ---------------------------------------------------------------------------------------

_LN2_HI = float.fromhex("0x1.62e42fee00000p-1")
_LN2_LO = float.fromhex("0x1.a39ef35793c76p-33")
_LP = [float.fromhex(h) for h in (
    "0x1.5555555555593p-1", "0x1.999999997fa04p-2", "0x1.2492494229359p-2", "0x1.c71c51d8e78afp-3",
    "0x1.7466496cb03dep-3", "0x1.39a09d078c69fp-3", "0x1.2f112df3e5244p-3")]


@jax.jit
def _log1p_x64(x):
    x = jnp.asarray(x, jnp.float64)
    zero = _nan_zero(x)

    def keep(v):  # a product glibc rounds before adding it to something
        return _opaque(v, zero)

    hx = _high(x)
    ax = hx & np.int32(0x7FFFFFFF)
    # k == 0: -0.2929 < x < 0.41422, f = x.
    small = (hx < np.int32(0x3FDA827A)) & ((hx > 0) | (hx <= np.int32(-1076707645)))  # 0xbfd2bec3
    # k != 0: 1 + x = 2^k (1 + f) with a correction term c.
    huge = hx >= np.int32(0x43400000)
    u = jnp.where(huge, x, 1.0 + x)
    hu = _high(u)
    k = (hu >> 20) - np.int32(1023)
    c = jnp.where(k > 0, 1.0 - (u - x), x - (u - 1.0)) / u
    c = jnp.where(huge, 0.0, c)
    hu = hu & np.int32(0x000FFFFF)
    normal = hu < np.int32(0x6A09E)
    u = jnp.where(normal, _with_high(u, hu | np.int32(0x3FF00000)), _with_high(u, hu | np.int32(0x3FE00000)))
    k = jnp.where(normal, k, k + 1)
    hu = jnp.where(normal, hu, (np.int32(0x00100000) - hu) >> 2)
    f = u - 1.0
    f = jnp.where(small, x, f)
    k = jnp.where(small, 0, k)
    hu = jnp.where(small, 1, hu)
    c = jnp.where(small, 0.0, c)
    kd = k.astype(jnp.float64)

    hfsq = keep(keep(0.5 * f) * f)
    # |f| < 2^-20: R = hfsq * fma(-2/3, f, 1)
    r_tiny = keep(hfsq * (1.0 - 0.66666666666666666 * f))
    tiny_k0 = f - r_tiny
    tiny_k = kd * _LN2_HI - ((r_tiny - (kd * _LN2_LO + c)) - f)  # fmsub(k, ln2hi, ...), fma(k, ln2lo, c)
    zero_f = jnp.where(k == 0, 0.0, kd * _LN2_HI + keep(kd * _LN2_LO + c))
    y_tiny = jnp.where(f == 0.0, zero_f, jnp.where(k == 0, tiny_k0, tiny_k))
    # main: R = fma(z6, R4, fma(z4, R3, fma(z, Lp1, z2 * R2))), R2..R4 = fma(z, Lp_odd, Lp_even)
    s = f / (2.0 + f)
    z = s * s
    z2 = keep(z * z)
    z4 = keep(z2 * z2)
    z6 = keep(z2 * z4)
    r2 = z * _LP[2] + _LP[1]
    r3 = z * _LP[4] + _LP[3]
    r4 = z * _LP[6] + _LP[5]
    big_r = z6 * r4 + keep(z4 * r3 + keep(z * _LP[0] + keep(z2 * r2)))
    sr = keep(s * (hfsq + big_r))
    main_k0 = f - (hfsq - sr)
    main_k = kd * _LN2_HI - ((hfsq - (sr + keep(kd * _LN2_LO + c))) - f)
    y_main = jnp.where(k == 0, main_k0, main_k)
    out = jnp.where(hu == 0, y_tiny, y_main)

    # special cases, on the bits
    tiny_x = ax < np.int32(0x3E200000)
    out = jnp.where(tiny_x, jnp.where(ax < np.int32(0x3C900000), x, x - keep(x * x) * 0.5), out)
    neg = hx < np.int32(0x3FDA827A)
    out = jnp.where(neg & (ax >= np.int32(0x3FF00000)), jnp.where(x == -1.0, -np.inf, np.nan), out)
    out = jnp.where(~neg & (hx >= np.int32(0x7FF00000)), x + x, out)  # +inf, NaN
    return out


def log1p(x):
    """glibc 2.36 ``log1p``, bit for bit, on float64 `x`.

    >>> import jax, numpy as np
    >>> from keyrng import _libm64
    >>> with jax.enable_x64(True):
    ...     print(np.asarray(_libm64.log1p(np.float64([-0.5, 1e-10, 3.0]))).tolist())
    [-0.6931471805599453, 9.999999999500001e-11, 1.3862943611198906]
    """
    with jax.enable_x64(True):
        return _log1p_x64(x)


# --- exp -----------------------------------------------------------------------------------------

_N = 128
_INV_LN2_N = float.fromhex("0x1.71547652b82fep0") * _N
_NEG_LN2_HI_N = float.fromhex("-0x1.62e42fefa0000p-8")
_NEG_LN2_LO_N = float.fromhex("-0x1.cf79abc9e3b3ap-47")
_SHIFT = float.fromhex("0x1.8p52")
_C2, _C3, _C4, _C5 = (float.fromhex(h) for h in (
    "0x1.ffffffffffdbdp-2", "0x1.555555555543cp-3", "0x1.55555cf172b91p-5", "0x1.1111167a4d017p-7"))


def _exp_table() -> np.ndarray:
    """glibc's `__exp_data.tab`: for k in [0, N), 2^(k/N) = H * (1 + T) with H the nearest double;
    row k holds `bits(T)` and `bits(H) - (k << 45)`."""
    context = getcontext().copy()
    context.prec = 60
    ln2 = context.ln(Decimal(2))
    rows = []
    for k in range(_N):
        exact = context.exp(context.multiply(context.divide(Decimal(k), Decimal(_N)), ln2))
        high = float(exact)
        tail = float(context.divide(context.subtract(exact, Decimal(high)), Decimal(high)))
        rows.append((np.float64(tail).view(np.uint64), np.uint64(np.float64(high).view(np.uint64) - (k << 45))))
    return np.array(rows, dtype=np.uint64)


_EXP_TAB = _exp_table()


@jax.jit
def _exp_x64(x):
    x = jnp.asarray(x, jnp.float64)
    bits = _bits64(x)
    abstop = ((bits >> np.uint64(52)) & np.uint64(0x7FF)).astype(jnp.int32)
    kd = x * _INV_LN2_N + _SHIFT  # fma(InvLn2N, x, Shift)
    ki = _bits64(kd)
    zero = _nan_zero(x)
    kd = _opaque(kd, zero) - _SHIFT
    r = kd * _NEG_LN2_LO_N + (kd * _NEG_LN2_HI_N + x)  # fma(kd, lo, fma(kd, hi, x))
    idx = (ki % np.uint64(_N)).astype(jnp.int32)
    top = ki << np.uint64(52 - 7)
    tail = _from_bits64(jnp.take(jnp.asarray(_EXP_TAB[:, 0]), idx, mode="clip"))
    sbits = jnp.take(jnp.asarray(_EXP_TAB[:, 1]), idx, mode="clip") + top
    r2 = r * r
    tmp = _opaque(r2 * r2, zero) * (r * _C5 + _C4) + (r2 * (r * _C3 + _C2) + (tail + r))
    scale = _from_bits64(sbits)
    out = scale * tmp + scale  # fma(scale, tmp, scale)
    # special cases
    out = jnp.where(abstop < 0x3C9, 1.0 + x, out)  # |x| < 2^-54
    big = abstop >= 0x408  # |x| >= 512
    out = jnp.where(big & (x > 709.782712893384), np.inf, out)
    out = jnp.where(big & (x < -745.1332191019412), 0.0, out)
    out = jnp.where(abstop >= 0x7FF, jnp.where(x == -np.inf, 0.0, 1.0 + x), out)
    return out


def exp(x):
    """glibc 2.36 ``exp`` (x86-64 FMA build), bit for bit, on float64 `x` with |x| < 512.

    >>> import jax, numpy as np
    >>> from keyrng import _libm64
    >>> with jax.enable_x64(True):
    ...     print(np.asarray(_libm64.exp(np.float64([-9.99, 0.5, 1.0]))).tolist())
    [4.585620664220731e-05, 1.6487212707001282, 2.718281828459045]
    """
    with jax.enable_x64(True):
        return _exp_x64(x)


# --- lgamma --------------------------------------------------------------------------------------

_S = [float.fromhex(h) for h in (
    "-0x1.3c467e37db0c8p-4", "0x1.b848b36e20878p-3", "0x1.4d98f4f139f59p-2", "0x1.2bb9cbee5f2f7p-3",
    "0x1.b481c7e939961p-6", "0x1.e26b67368f239p-10", "0x1.0bfecdd17e945p-15")]
_R = [float.fromhex(h) for h in (
    "0x1.645a762c4ab74p+0", "0x1.71a1893d3dcdcp-1", "0x1.601edccfbdf27p-3", "0x1.317ea742ed475p-6",
    "0x1.97ddaca41a95bp-11", "0x1.ebaf7a5b3814p-18")]
_W = [float.fromhex(h) for h in (
    "0x1.acfe390c97d69p-2", "0x1.555555555553bp-4", "-0x1.6c16c16b02e5cp-9", "0x1.a019f98cf38b6p-11",
    "-0x1.380cb8c0fe741p-11", "0x1.b67ba4cdad5d1p-11", "-0x1.ab89d0b9e43e4p-10")]


@jax.jit
def _lgamma_x64(x):
    x = jnp.asarray(x, jnp.float64)
    zero = _nan_zero(x)

    def keep(v):
        return _opaque(v, zero)

    def horner(y, coefficients):
        """c0 + y*(c1 + y*(c2 + ...)), each product rounded."""
        acc = coefficients[-1]
        for c in reversed(coefficients[:-1]):
            acc = c + keep(y * acc)
        return acc

    # 2 <= x < 8: lgamma(x) = lgamma(2 + y) + log((y+2)(y+3)...).
    i = jnp.floor(jnp.clip(x, 2.0, 7.0))
    y = x - i
    p = keep(y * horner(y, _S))
    q = 1.0 + keep(y * horner(y, _R))
    r_mid = keep(0.5 * y) + p / q
    z = jnp.ones_like(x)
    for step in (6.0, 5.0, 4.0, 3.0, 2.0):  # case 7 down to case 3, falling through
        z = jnp.where(i >= step + 1.0, z * (y + step), z)
    # one log for both ranges: log(z) below 8, log(x) above
    logs = _log(jnp.where(x < 8.0, z, x))
    r_mid = jnp.where(i >= 3.0, r_mid + logs, r_mid)
    # 8 <= x < 2^58
    t = logs
    zz = 1.0 / x
    yy = zz * zz
    w = _W[0] + keep(zz * horner(yy, _W[1:]))
    r_big = keep((x - 0.5) * (t - 1.0)) + w
    # x >= 2^58
    r_huge = x * (t - 1.0)
    out = jnp.where(x < 8.0, r_mid, jnp.where(x < 2.0**58, r_big, r_huge))
    out = jnp.where((x == 1.0) | (x == 2.0), 0.0, out)
    return jnp.where(jnp.isinf(x), np.inf, out)


def lgamma(x):
    """glibc 2.36 ``lgamma``, bit for bit, on float64 `x` == 1 or >= 2.

    >>> import jax, numpy as np
    >>> from keyrng import _libm64
    >>> with jax.enable_x64(True):
    ...     print(np.asarray(_libm64.lgamma(np.float64([1.0, 4.0, 10.0, 2.5]))).tolist())
    [0.0, 1.791759469228055, 12.80182748008147, 0.2846828704729192]
    """
    with jax.enable_x64(True):
        return _lgamma_x64(x)
