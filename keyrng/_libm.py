"""Bit-exact ports of glibc 2.36's ``logf``, ``sincosf``, ``log`` and ``sincos`` (x86-64, FMA build).

TensorFlow's CPU Box-Muller calls the C library's ``logf``/``sincosf`` (float32) and
``log``/``sincos`` (float64). On x86-64 with FMA, glibc 2.36 dispatches (ifunc) to the
``*-fma`` builds of these routines, which GCC compiled with ``a*b+c`` contracted into fused
multiply-adds. The functions below reproduce those builds operation for operation, so their
results are bit-identical to glibc's on the documented domains.

Origin (algorithms and constant tables; the code here is an independent re-expression):

- ``logf``, ``sincosf``, ``log``: ARM's optimized-routines by Szabolcs Nagy (MIT / Apache-2.0),
  as shipped in glibc: ``sysdeps/ieee754/flt-32/e_logf.c``, ``e_logf_data.c``, ``s_sincosf.c``,
  ``s_sincosf.h``, ``sysdeps/x86/fpu/sincosf_poly.h`` and ``s_sincosf_data.c`` (the x86 variant
  evaluates sin and cos as a 2-lane vector, with its own coefficient order),
  ``sysdeps/ieee754/dbl-64/e_log.c``, ``e_log_data.c``.
- ``sincos``: the IBM Accurate Mathematical Library in glibc (``sysdeps/ieee754/dbl-64/s_sin.c``,
  ``s_sincos.c``, ``usncs.h``, ``sincostab.c``; LGPL-2.1+). Only the parts for ``|x| < 105414350``
  are ported (no ``__branred``).

Where each rounding happens was taken from the disassembly of glibc 2.36's ``__logf_fma``,
``__sincosf_fma``, ``__ieee754_log_fma`` and ``__sincos_fma`` (Debian 2.36-9), not from the C
source alone: GCC fuses some products the source writes separately (e.g. ``xn * pp4`` in the
range reduction) and keeps others rounded.

How fused multiply-adds are obtained under XLA:CPU. jax has no FMA primitive, but XLA:CPU lets
LLVM contract ``a*b + c`` into an FMA when the product has a single use inside one fusion (the
x86 backend does not fuse products that have several uses). So every FMA of glibc is written
here as ``a * b + c`` with a product used only there, and every product that glibc rounds
before adding it to something is hidden from LLVM by `_opaque` (an XOR of its bits with a
runtime zero), which LLVM cannot see through. `_opaque` also shields the exact
error-compensation steps from XLA's algebraic simplifier, which reassociates floating-point
additions with constants. The implementations are wrapped in `jax.jit`, so they are compiled
as one XLA computation (and get their FMAs) even when called eagerly; inside a caller's jit
they are inlined. The tests compare against the system glibc (exhaustively for the float32
routines), which is what guards all this: re-run them after upgrading jax/jaxlib.

Domains (outside them results may be wrong; NaN, zero and infinity are handled where noted):

- `logf`: float32 in (0, 1] (subnormals included); also +inf, 0 (-inf), negative and NaN (NaN).
  Other positive finite inputs also follow glibc's algorithm, and are exact as far as tested.
- `sincosf`: float32 with ``|x| < 120`` (glibc's large-argument reduction is not ported);
  inf/NaN give NaN.
- `sincosf_box_muller`: 0 and normal float32 in (0, 2*pi] (TensorFlow's Box-Muller angles),
  with fewer operations than `sincosf`.
- `log`: float64 in (0, 1] (subnormals included); the general algorithm covers all positive
  finite inputs; 0 gives -inf, negatives and NaN give NaN, +inf gives +inf.
- `sincos`: float64 with ``|x| < 105414350`` (no Payne-Hanek reduction); inf/NaN give NaN.

All functions are pure, elementwise and jit-friendly. The float32 routines compute in float64
internally; every function enters ``jax.enable_x64(True)`` itself, so it works whether 64-bit
types are globally enabled or not (float64 inputs of course need x64 where they are created).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

__all__ = ["log", "logf", "sincos", "sincosf", "sincosf_box_muller"]


def _hex_table(text: str, columns: int) -> np.ndarray:
    values = [float.fromhex(tok) for tok in text.split()]
    return np.asarray(values, dtype=np.float64).reshape(-1, columns)


# ----------------------------------------------------------------------------------------------
# Bit helpers (all run with x64 enabled)
# ----------------------------------------------------------------------------------------------


def _bits64(x):
    return lax.bitcast_convert_type(x, jnp.uint64)


def _from_bits64(b):
    return lax.bitcast_convert_type(b, jnp.float64)


_SIGN64 = np.uint64(1 << 63)


def _nan_zero(x):
    """A uint64 that is 0 unless ``x`` is NaN (then the sign bit); opaque to the compiler."""
    return lax.convert_element_type(x != x, jnp.uint64) << np.uint64(63)


def _opaque(v, zero):
    """``v`` unchanged, but hidden from the compilers' floating-point rewrites.

    Used (1) on a product that glibc rounds before adding it to something, so LLVM cannot
    contract it into an FMA, and (2) on operands of error-compensation steps such as
    ``(big + a) - big`` or ``(hp0 - x) + hp1``, which XLA's algebraic simplifier would otherwise
    reassociate (it folds ``(a + c) - c`` to ``a`` and merges constants across additions).
    ``zero`` is `_nan_zero` of the input: 0 for every non-NaN input. For a NaN input the sign of
    ``v`` flips, which does not matter because the result is NaN anyway.
    """
    return _from_bits64(_bits64(v) ^ zero)


def _flip_sign(v, flip):
    """``-v`` where ``flip`` (bool) else ``v``, as an integer XOR (never a multiply by -1)."""
    return _from_bits64(_bits64(v) ^ (lax.convert_element_type(flip, jnp.uint64) << np.uint64(63)))


def _copysign(v, s):
    """``copysign(v, s)`` on float64 bits."""
    return _from_bits64((_bits64(v) & ~_SIGN64) | (_bits64(s) & _SIGN64))


def _take(table: np.ndarray, idx):
    """``table[idx]`` for a small constant table and in-range int32 indices (an XLA gather)."""
    return jnp.take(jnp.asarray(table), idx, axis=0, mode="clip")


def _select_table(table: np.ndarray, idx):
    """``table[idx]`` for a constant table of 2^m entries, as a binary tree of selects.

    XLA:CPU does not vectorise a gather inside a fusion; a tree of selects on the bits of
    ``idx`` (one blend per node) does vectorise, which is much faster for small tables.
    """
    values = [jnp.asarray(v) for v in np.asarray(table)]
    bit = 0
    while len(values) > 1:
        take_odd = ((idx >> bit) & 1) != 0
        values = [jnp.where(take_odd, values[j + 1], values[j]) for j in range(0, len(values), 2)]
        bit += 1
    return values[0]


# ----------------------------------------------------------------------------------------------
# logf (flt-32/e_logf.c, e_logf_data.c)
# ----------------------------------------------------------------------------------------------

# 16 subintervals of [OFF, 2*OFF): (1/c, log(c)) with c near the centre of each.
_LOGF_TAB = _hex_table(
    """
    0x1.661ec79f8f3bep+0 -0x1.57bf7808caadep-2
    0x1.571ed4aaf883dp+0 -0x1.2bef0a7c06ddbp-2
    0x1.49539f0f010bp+0 -0x1.01eae7f513a67p-2
    0x1.3c995b0b80385p+0 -0x1.b31d8a68224e9p-3
    0x1.30d190c8864a5p+0 -0x1.6574f0ac07758p-3
    0x1.25e227b0b8eap+0 -0x1.1aa2bc79c81p-3
    0x1.1bb4a4a1a343fp+0 -0x1.a4e76ce8c0e5ep-4
    0x1.12358f08ae5bap+0 -0x1.1973c5a611cccp-4
    0x1.0953f419900a7p+0 -0x1.252f438e10c1ep-5
    0x1p+0 0x0p+0
    0x1.e608cfd9a47acp-1 0x1.aa5aa5df25984p-5
    0x1.ca4b31f026aap-1 0x1.c5e53aa362eb4p-4
    0x1.b2036576afce6p-1 0x1.526e57720db08p-3
    0x1.9c2d163a1aa2dp-1 0x1.bc2860d22477p-3
    0x1.886e6037841edp-1 0x1.1058bc8a07ee1p-2
    0x1.767dcf5534862p-1 0x1.4043057b6ee09p-2
    """,
    2,
)
_LOGF_LN2 = float.fromhex("0x1.62e42fefa39efp-1")
_LOGF_A0 = float.fromhex("-0x1.00ea348b88334p-2")
_LOGF_A1 = float.fromhex("0x1.5575b0be00b6ap-2")
_LOGF_A2 = float.fromhex("-0x1.ffffef20a4123p-2")
_LOGF_OFF = 0x3F330000


@jax.jit
def _logf_x64(x):
    x = jnp.asarray(x, jnp.float32)
    ix = lax.bitcast_convert_type(x, jnp.uint32)
    # Subnormals: glibc normalises with bits(x * 2^23) - (23 << 23). The same bits come from
    # converting the mantissa integer exactly, which also works when the CPU flushes denormals.
    ix_sub = lax.bitcast_convert_type(ix.astype(jnp.float32), jnp.uint32) - np.uint32(149 << 23)
    ix = jnp.where(ix < np.uint32(0x00800000), ix_sub, ix)

    # x = 2^k z with z in [OFF, 2*OFF); i selects the subinterval holding z.
    tmp = ix - np.uint32(_LOGF_OFF)
    i = ((tmp >> np.uint32(19)) & np.uint32(15)).astype(jnp.int32)
    k = lax.bitcast_convert_type(tmp, jnp.int32) >> np.int32(23)
    iz = ix - (tmp & np.uint32(0xFF800000))
    z = lax.bitcast_convert_type(iz, jnp.float32).astype(jnp.float64)
    invc = _select_table(_LOGF_TAB[:, 0], i)
    logc = _select_table(_LOGF_TAB[:, 1], i)

    # Every "*...+" below is one FMA in glibc's build (and is contracted to one here).
    r = z * invc - 1.0  # fma(z, invc, -1)
    y0 = k.astype(jnp.float64) * _LOGF_LN2 + logc  # fma(k, ln2, logc)
    r2 = r * r
    y = r * _LOGF_A1 + _LOGF_A2  # fma(r, A1, A2)
    y = r2 * _LOGF_A0 + y  # fma(r2, A0, y)
    y = y * r2 + (y0 + r)  # fma(y, r2, y0 + r)
    out = y.astype(jnp.float32)

    # Special cases on the bits (XLA:CPU treats subnormal inputs as 0 in float compares).
    raw = lax.bitcast_convert_type(x, jnp.uint32)
    bad = ((raw >> np.uint32(31)) != 0) | ((raw << np.uint32(1)) > np.uint32(0xFF000000))
    out = jnp.where(bad, np.float32(np.nan), out)  # negative or NaN
    out = jnp.where((raw << np.uint32(1)) == 0, np.float32(-np.inf), out)  # +-0
    return jnp.where(raw == np.uint32(0x7F800000), x, out)  # +inf


def logf(x):
    """glibc 2.36 ``logf`` (x86-64 FMA build), bit for bit, on float32 ``x`` in (0, 1].

    >>> import numpy as np
    >>> from keyrng import _libm
    >>> y = _libm.logf(np.float32([2.0**-23, 1e-7, 0.5, 1.0]))
    >>> [hex(b) for b in np.asarray(y).view(np.uint32)]
    ['0xc17f1402', '0xc180f1dc', '0xbf317218', '0x0']
    """
    with jax.enable_x64(True):
        return _logf_x64(x)


# ----------------------------------------------------------------------------------------------
# sincosf (flt-32/s_sincosf.c, s_sincosf.h, x86/fpu/sincosf_poly.h, x86/fpu/s_sincosf_data.c)
# ----------------------------------------------------------------------------------------------

# 2/pi scaled by 2^24 (x86-64 has TOINT_INTRINSICS == 0) and pi/2.
_SINCOSF_HPI_INV = float.fromhex("0x1.45F306DC9C883p+23")
_SINCOSF_HPI = float.fromhex("0x1.921FB54442D18p0")
# Cosine polynomial c0..c4 and sine polynomial s1..s3 of __sincosf_table[0]. Entry [1] is the
# same with the cosine coefficients negated, which yields exactly the negated cosine.
_SINCOSF_C0 = 1.0
_SINCOSF_C1 = float.fromhex("-0x1.ffffffd0c621cp-2")
_SINCOSF_C2 = float.fromhex("0x1.55553e1068f19p-5")
_SINCOSF_C3 = float.fromhex("-0x1.6c087e89a359dp-10")
_SINCOSF_C4 = float.fromhex("0x1.99343027bf8c3p-16")
_SINCOSF_S1 = float.fromhex("-0x1.555545995a603p-3")
_SINCOSF_S2 = float.fromhex("0x1.1107605230bc4p-7")
_SINCOSF_S3 = float.fromhex("-0x1.994eb3774cf24p-13")


def _sincosf_top(x):
    return (lax.bitcast_convert_type(x, jnp.uint32) >> np.uint32(20)) & np.uint32(0x7FF)


def _sincosf_core(x, reduce_small: bool):
    """glibc's sincosf without its tests for tiny (|x| < 2^-12) and inf/NaN inputs: exact for
    float32 ``2^-12 <= |x| < 120``.

    With ``reduce_small`` False, inputs below pi/4 go through the range reduction too, which
    gives the same result: there n = round(x * 2/pi) = 0 and ``x - 0*pi/2`` is ``x`` exactly.
    """
    x = jnp.asarray(x, jnp.float32)
    xd = x.astype(jnp.float64)

    # reduce_fast: n = round(x * 2/pi) via the 2^24-scaled truncation, then x - n*pi/2 as one
    # FMA. glibc skips it for |x| < pi/4 (top12 below that of pio4, i.e. |x| < 0.75): quadrant 0.
    r = xd * _SINCOSF_HPI_INV
    n = (r.astype(jnp.int32) + np.int32(0x800000)) >> np.int32(24)
    xr = xd - n.astype(jnp.float64) * _SINCOSF_HPI  # fnmadd(n, hpi, x)
    if reduce_small:
        small = _sincosf_top(x) < np.uint32(0x3F4)
        n = jnp.where(small, np.int32(0), n)
        xr = jnp.where(small, xd, xr)

    # sincosf_poly(x * sign[n & 3], x * x, ...): sign is -1 in quadrants 1 and 2.
    xs = _flip_sign(xr, ((n + 1) & 2) != 0)
    x2 = xr * xr
    x3 = x2 * xs
    x4 = x2 * x2
    s_hi = x2 * _SINCOSF_S3 + _SINCOSF_S2  # 2-lane fma(x2, s3c4, s2c3)
    c_hi = x2 * _SINCOSF_C4 + _SINCOSF_C3
    c1 = x2 * _SINCOSF_C1 + _SINCOSF_C0
    x5 = x3 * x2
    x6 = x4 * x2
    s = x3 * _SINCOSF_S1 + xs  # fma(x3, s1, x)
    c = x4 * _SINCOSF_C2 + c1  # fma(x4, c2, c1)
    s = x5 * s_hi + s
    c = x6 * c_hi + c
    sf = s.astype(jnp.float32)
    cf = c.astype(jnp.float32)
    cf = jnp.where((n & 2) != 0, -cf, cf)  # __sincosf_table[1] when n & 2
    odd = (n & 1) != 0
    return jnp.where(odd, cf, sf), jnp.where(odd, sf, cf)


@jax.jit
def _sincosf_x64(x):
    x = jnp.asarray(x, jnp.float32)
    top = _sincosf_top(x)
    sin, cos = _sincosf_core(x, reduce_small=True)
    # |x| < 2^-12: sin x = x, cos x = 1.
    tiny = top < np.uint32(0x398)
    sin = jnp.where(tiny, x, sin)
    cos = jnp.where(tiny, np.float32(1.0), cos)
    # inf or NaN: NaN for both.
    bad = top >= np.uint32(0x7F8)
    nan = np.float32(np.nan)
    return jnp.where(bad, nan, sin), jnp.where(bad, nan, cos)


def sincosf(x):
    """glibc 2.36 ``sincosf`` (x86-64 FMA build), bit for bit: ``(sin x, cos x)`` as float32.

    Exact for float32 ``|x| < 120``; TensorFlow only needs [0, 2*pi].

    >>> import numpy as np
    >>> from keyrng import _libm
    >>> s, c = _libm.sincosf(np.float32([0.5, 3.0, 4.0]))
    >>> [hex(b) for b in np.asarray(s).view(np.uint32)]
    ['0x3ef57744', '0x3e1081c3', '0xbf41bdcf']
    >>> [hex(b) for b in np.asarray(c).view(np.uint32)]
    ['0x3f60a940', '0xbf7d7026', '0xbf275530']
    """
    with jax.enable_x64(True):
        return _sincosf_x64(x)


@jax.jit
def _sincosf_box_muller_x64(x):
    return _sincosf_core(x, reduce_small=False)


def sincosf_box_muller(x):
    """`sincosf` on the angles of TensorFlow's Box–Muller only, with fewer operations.

    Exact for 0 and for normal float32 ``x`` in (0, 2*pi] (TensorFlow's angles are
    ``float(2*pi * k * 2^-23)``, k in [0, 2^23)); wrong for inf, NaN and subnormals. It skips
    `sincosf`'s tests: below 2^-12 the polynomial already rounds to ``(x, 1)`` (the terms
    after ``x`` and ``1`` are below half an ulp: x^2/6 and x^2/2 < 2^-25), and below pi/4 the
    range reduction already leaves ``x`` unchanged (see `_sincosf_core`).

    >>> import numpy as np
    >>> from keyrng import _libm
    >>> s, c = _libm.sincosf_box_muller(np.float32([0.0, 2.0**-13, 0.5, 4.0]))
    >>> [hex(b) for b in np.asarray(s).view(np.uint32)]
    ['0x0', '0x39000000', '0x3ef57744', '0xbf41bdcf']
    >>> [hex(b) for b in np.asarray(c).view(np.uint32)]
    ['0x3f800000', '0x3f800000', '0x3f60a940', '0xbf275530']
    """
    with jax.enable_x64(True):
        return _sincosf_box_muller_x64(x)


# ----------------------------------------------------------------------------------------------
# log (dbl-64/e_log.c, e_log_data.c; __FP_FAST_FMA build, so no tab2)
# ----------------------------------------------------------------------------------------------

_LOG_LN2HI = float.fromhex("0x1.62e42fefa3800p-1")
_LOG_LN2LO = float.fromhex("0x1.ef35793c76730p-45")
# log1p(r) - r ~= A0 r^2 + A1 r^3 + ... for |r| < 1/256.
_LOG_A = [
    float.fromhex(h)
    for h in (
        "-0x1.0000000000001p-1",
        "0x1.555555551305bp-2",
        "-0x1.fffffffeb459p-3",
        "0x1.999b324f10111p-3",
        "-0x1.55575e506c89fp-3",
    )
]
# log(1+r) ~= r + B0 r^2 + ... + B10 r^12 near x == 1.
_LOG_B = [
    float.fromhex(h)
    for h in (
        "-0x1p-1",
        "0x1.5555555555577p-2",
        "-0x1.ffffffffffdcbp-3",
        "0x1.999999995dd0cp-3",
        "-0x1.55555556745a7p-3",
        "0x1.24924a344de3p-3",
        "-0x1.fffffa4423d65p-4",
        "0x1.c7184282ad6cap-4",
        "-0x1.999eb43b068ffp-4",
        "0x1.78182f7afd085p-4",
        "-0x1.5521375d145cdp-4",
    )
]
# 128 subintervals of [OFF, 2*OFF): (1/c, log(c)).
_LOG_TAB = _hex_table(
    """
    0x1.734f0c3e0de9fp+0 -0x1.7cc7f79e69000p-2
    0x1.713786a2ce91fp+0 -0x1.76feec20d0000p-2
    0x1.6f26008fab5a0p+0 -0x1.713e31351e000p-2
    0x1.6d1a61f138c7dp+0 -0x1.6b85b38287800p-2
    0x1.6b1490bc5b4d1p+0 -0x1.65d5590807800p-2
    0x1.69147332f0cbap+0 -0x1.602d076180000p-2
    0x1.6719f18224223p+0 -0x1.5a8ca86909000p-2
    0x1.6524f99a51ed9p+0 -0x1.54f4356035000p-2
    0x1.63356aa8f24c4p+0 -0x1.4f637c36b4000p-2
    0x1.614b36b9ddc14p+0 -0x1.49da7fda85000p-2
    0x1.5f66452c65c4cp+0 -0x1.445923989a800p-2
    0x1.5d867b5912c4fp+0 -0x1.3edf439b0b800p-2
    0x1.5babccb5b90dep+0 -0x1.396ce448f7000p-2
    0x1.59d61f2d91a78p+0 -0x1.3401e17bda000p-2
    0x1.5805612465687p+0 -0x1.2e9e2ef468000p-2
    0x1.56397cee76bd3p+0 -0x1.2941b3830e000p-2
    0x1.54725e2a77f93p+0 -0x1.23ec58cda8800p-2
    0x1.52aff42064583p+0 -0x1.1e9e129279000p-2
    0x1.50f22dbb2bddfp+0 -0x1.1956d2b48f800p-2
    0x1.4f38f4734ded7p+0 -0x1.141679ab9f800p-2
    0x1.4d843cfde2840p+0 -0x1.0edd094ef9800p-2
    0x1.4bd3ec078a3c8p+0 -0x1.09aa518db1000p-2
    0x1.4a27fc3e0258ap+0 -0x1.047e65263b800p-2
    0x1.4880524d48434p+0 -0x1.feb224586f000p-3
    0x1.46dce1b192d0bp+0 -0x1.f474a7517b000p-3
    0x1.453d9d3391854p+0 -0x1.ea4443d103000p-3
    0x1.43a2744b4845ap+0 -0x1.e020d44e9b000p-3
    0x1.420b54115f8fbp+0 -0x1.d60a22977f000p-3
    0x1.40782da3ef4b1p+0 -0x1.cc00104959000p-3
    0x1.3ee8f5d57fe8fp+0 -0x1.c202956891000p-3
    0x1.3d5d9a00b4ce9p+0 -0x1.b81178d811000p-3
    0x1.3bd60c010c12bp+0 -0x1.ae2c9ccd3d000p-3
    0x1.3a5242b75dab8p+0 -0x1.a45402e129000p-3
    0x1.38d22cd9fd002p+0 -0x1.9a877681df000p-3
    0x1.3755bc5847a1cp+0 -0x1.90c6d69483000p-3
    0x1.35dce49ad36e2p+0 -0x1.87120a645c000p-3
    0x1.34679984dd440p+0 -0x1.7d68fb4143000p-3
    0x1.32f5cceffcb24p+0 -0x1.73cb83c627000p-3
    0x1.3187775a10d49p+0 -0x1.6a39a9b376000p-3
    0x1.301c8373e3990p+0 -0x1.60b3154b7a000p-3
    0x1.2eb4ebb95f841p+0 -0x1.5737d76243000p-3
    0x1.2d50a0219a9d1p+0 -0x1.4dc7b8fc23000p-3
    0x1.2bef9a8b7fd2ap+0 -0x1.4462c51d20000p-3
    0x1.2a91c7a0c1babp+0 -0x1.3b08abc830000p-3
    0x1.293726014b530p+0 -0x1.31b996b490000p-3
    0x1.27dfa5757a1f5p+0 -0x1.2875490a44000p-3
    0x1.268b39b1d3bbfp+0 -0x1.1f3b9f879a000p-3
    0x1.2539d838ff5bdp+0 -0x1.160c8252ca000p-3
    0x1.23eb7aac9083bp+0 -0x1.0ce7f57f72000p-3
    0x1.22a012ba940b6p+0 -0x1.03cdc49fea000p-3
    0x1.2157996cc4132p+0 -0x1.f57bdbc4b8000p-4
    0x1.201201dd2fc9bp+0 -0x1.e370896404000p-4
    0x1.1ecf4494d480bp+0 -0x1.d17983ef94000p-4
    0x1.1d8f5528f6569p+0 -0x1.bf9674ed8a000p-4
    0x1.1c52311577e7cp+0 -0x1.adc79202f6000p-4
    0x1.1b17c74cb26e9p+0 -0x1.9c0c3e7288000p-4
    0x1.19e010c2c1ab6p+0 -0x1.8a646b372c000p-4
    0x1.18ab07bb670bdp+0 -0x1.78d01b3ac0000p-4
    0x1.1778a25efbcb6p+0 -0x1.674f145380000p-4
    0x1.1648d354c31dap+0 -0x1.55e0e6d878000p-4
    0x1.151b990275fddp+0 -0x1.4485cdea1e000p-4
    0x1.13f0ea432d24cp+0 -0x1.333d94d6aa000p-4
    0x1.12c8b7210f9dap+0 -0x1.22079f8c56000p-4
    0x1.11a3028ecb531p+0 -0x1.10e4698622000p-4
    0x1.107fbda8434afp+0 -0x1.ffa6c6ad20000p-5
    0x1.0f5ee0f4e6bb3p+0 -0x1.dda8d4a774000p-5
    0x1.0e4065d2a9fcep+0 -0x1.bbcece4850000p-5
    0x1.0d244632ca521p+0 -0x1.9a1894012c000p-5
    0x1.0c0a77ce2981ap+0 -0x1.788583302c000p-5
    0x1.0af2f83c636d1p+0 -0x1.5715e67d68000p-5
    0x1.09ddb98a01339p+0 -0x1.35c8a49658000p-5
    0x1.08cabaf52e7dfp+0 -0x1.149e364154000p-5
    0x1.07b9f2f4e28fbp+0 -0x1.e72c082eb8000p-6
    0x1.06ab58c358f19p+0 -0x1.a55f152528000p-6
    0x1.059eea5ecf92cp+0 -0x1.63d62cf818000p-6
    0x1.04949cdd12c90p+0 -0x1.228fb8caa0000p-6
    0x1.038c6c6f0ada9p+0 -0x1.c317b20f90000p-7
    0x1.02865137932a9p+0 -0x1.419355daa0000p-7
    0x1.0182427ea7348p+0 -0x1.81203c2ec0000p-8
    0x1.008040614b195p+0 -0x1.0040979240000p-9
    0x1.fe01ff726fa1ap-1 0x1.feff384900000p-9
    0x1.fa11cc261ea74p-1 0x1.7dc41353d0000p-7
    0x1.f6310b081992ep-1 0x1.3cea3c4c28000p-6
    0x1.f25f63ceeadcdp-1 0x1.b9fc114890000p-6
    0x1.ee9c8039113e7p-1 0x1.1b0d8ce110000p-5
    0x1.eae8078cbb1abp-1 0x1.58a5bd001c000p-5
    0x1.e741aa29d0c9bp-1 0x1.95c8340d88000p-5
    0x1.e3a91830a99b5p-1 0x1.d276aef578000p-5
    0x1.e01e009609a56p-1 0x1.07598e598c000p-4
    0x1.dca01e577bb98p-1 0x1.253f5e30d2000p-4
    0x1.d92f20b7c9103p-1 0x1.42edd8b380000p-4
    0x1.d5cac66fb5ccep-1 0x1.606598757c000p-4
    0x1.d272caa5ede9dp-1 0x1.7da76356a0000p-4
    0x1.cf26e3e6b2ccdp-1 0x1.9ab434e1c6000p-4
    0x1.cbe6da2a77902p-1 0x1.b78c7bb0d6000p-4
    0x1.c8b266d37086dp-1 0x1.d431332e72000p-4
    0x1.c5894bd5d5804p-1 0x1.f0a3171de6000p-4
    0x1.c26b533bb9f8cp-1 0x1.067152b914000p-3
    0x1.bf583eeece73fp-1 0x1.147858292b000p-3
    0x1.bc4fd75db96c1p-1 0x1.2266ecdca3000p-3
    0x1.b951e0c864a28p-1 0x1.303d7a6c55000p-3
    0x1.b65e2c5ef3e2cp-1 0x1.3dfc33c331000p-3
    0x1.b374867c9888bp-1 0x1.4ba366b7a8000p-3
    0x1.b094b211d304ap-1 0x1.5933928d1f000p-3
    0x1.adbe885f2ef7ep-1 0x1.66acd2418f000p-3
    0x1.aaf1d31603da2p-1 0x1.740f8ec669000p-3
    0x1.a82e63fd358a7p-1 0x1.815c0f51af000p-3
    0x1.a5740ef09738bp-1 0x1.8e92954f68000p-3
    0x1.a2c2a90ab4b27p-1 0x1.9bb3602f84000p-3
    0x1.a01a01393f2d1p-1 0x1.a8bed1c2c0000p-3
    0x1.9d79f24db3c1bp-1 0x1.b5b515c01d000p-3
    0x1.9ae2505c7b190p-1 0x1.c2967ccbcc000p-3
    0x1.9852ef297ce2fp-1 0x1.cf635d5486000p-3
    0x1.95cbaeea44b75p-1 0x1.dc1bd3446c000p-3
    0x1.934c69de74838p-1 0x1.e8c01b8cfe000p-3
    0x1.90d4f2f6752e6p-1 0x1.f5509c0179000p-3
    0x1.8e6528effd79dp-1 0x1.00e6c121fb800p-2
    0x1.8bfce9fcc007cp-1 0x1.071b80e93d000p-2
    0x1.899c0dabec30ep-1 0x1.0d46b9e867000p-2
    0x1.87427aa2317fbp-1 0x1.13687334bd000p-2
    0x1.84f00acb39a08p-1 0x1.1980d67234800p-2
    0x1.82a49e8653e55p-1 0x1.1f8ffe0cc8000p-2
    0x1.8060195f40260p-1 0x1.2595fd7636800p-2
    0x1.7e22563e0a329p-1 0x1.2b9300914a800p-2
    0x1.7beb377dcb5adp-1 0x1.3187210436000p-2
    0x1.79baa679725c2p-1 0x1.377266dec1800p-2
    0x1.77907f2170657p-1 0x1.3d54ffbaf3000p-2
    0x1.756cadbd6130cp-1 0x1.432eee32fe000p-2
    """,
    2,
)
_LOG_OFF = 0x3FE6000000000000
_LOG_NEAR1_LO = 0x3FEE000000000000  # asuint64(1 - 2^-4)
_LOG_NEAR1_HI = 0x3FF1090000000000  # asuint64(1 + 0x1.09p-4)


@jax.jit
def _log_x64(x):
    x = jnp.asarray(x, jnp.float64)
    zero = _nan_zero(x)
    ix = _bits64(x)
    # Subnormals (glibc: bits(x * 2^52) - (52 << 52)); exact integer conversion instead.
    ix_sub = _bits64(ix.astype(jnp.float64)) - np.uint64(1074 << 52)
    ix = jnp.where(ix < np.uint64(1 << 52), ix_sub, ix)

    # Main path: x = 2^k z, z in [OFF, 2*OFF), i the subinterval of z.
    tmp = ix - np.uint64(_LOG_OFF)
    i = ((tmp >> np.uint64(45)) & np.uint64(127)).astype(jnp.int32)
    k = lax.bitcast_convert_type(tmp, jnp.int64) >> np.int64(52)
    iz = ix - (tmp & np.uint64(0xFFF << 52))
    z = _from_bits64(iz)
    invc = _take(_LOG_TAB[:, 0], i)
    logc = _take(_LOG_TAB[:, 1], i)
    A = _LOG_A
    r = z * invc - 1.0  # fma(z, invc, -1)
    kd = k.astype(jnp.float64)
    w = kd * _LOG_LN2HI + logc  # fma(kd, ln2hi, logc)
    hi = w + r
    lo = kd * _LOG_LN2LO + ((w - _opaque(hi, zero)) + r)  # fma(kd, ln2lo, w - hi + r)
    r2 = r * r
    r3 = r * r2
    p = (r * A[4] + A[3]) * r2 + (r * A[2] + A[1])  # fma(fma(r,A4,A3), r2, fma(r,A2,A1))
    y_main = (r3 * p + (r2 * A[0] + lo)) + hi

    # Near 1 (1 - 2^-4 <= x < 1 + 0x1.09p-4): r = x - 1 with a degree-12 polynomial.
    B = _LOG_B
    q = x - 1.0
    q2 = q * q
    q3 = q * q2
    b1 = q2 * B[3] + (q * B[2] + B[1])
    b4 = q2 * B[6] + (q * B[5] + B[4])
    b7 = q3 * B[10] + (q2 * B[9] + (q * B[8] + B[7]))
    poly = (b7 * q3 + b4) * q3 + b1
    # rhi = q rounded to 26 bits (q*2^27 is exact, so fusing does not matter here).
    w27 = q * 134217728.0
    qhi = _opaque(q + w27, zero) - w27
    qlo = q - qhi
    qhi2 = qhi * qhi
    hi1 = qhi2 * B[0] + q  # products with B0 = -1/2 are exact
    lo1 = qhi2 * B[0] + (q - _opaque(hi1, zero))
    lo1 = (B[0] * qlo) * (qhi + q) + lo1  # fma(B0*qlo, qhi + q, lo)
    y_near = hi1 + (poly * q3 + lo1)  # hi + fma(poly, q3, lo)

    near1 = (_bits64(x) - np.uint64(_LOG_NEAR1_LO)) < np.uint64(_LOG_NEAR1_HI - _LOG_NEAR1_LO)
    out = jnp.where(near1, y_near, y_main)
    # Special cases on the bits (XLA:CPU treats subnormal inputs as 0 in float compares).
    raw = _bits64(x)
    out = jnp.where(raw == np.uint64(0x3FF0000000000000), 0.0, out)  # log(1) = +0
    bad = ((raw >> np.uint64(63)) != 0) | ((raw << np.uint64(1)) > np.uint64(0xFFE0000000000000))
    out = jnp.where(bad, np.nan, out)  # negative or NaN
    out = jnp.where((raw << np.uint64(1)) == 0, -np.inf, out)  # +-0
    return jnp.where(raw == np.uint64(0x7FF0000000000000), x, out)  # +inf


def log(x):
    """glibc 2.36 ``log`` (x86-64 FMA build), bit for bit, on float64 ``x`` in (0, 1].

    Call it with float64 input (i.e. inside ``jax.enable_x64(True)``).

    >>> import jax, numpy as np
    >>> from keyrng import _libm
    >>> with jax.enable_x64(True):
    ...     y = np.asarray(_libm.log(np.float64([2.0**-52, 1e-7, 0.5, 0.96875])))
    >>> [hex(b) for b in y.view(np.uint64)]
    ['0xc04205966f2b4f12', '0xc0301e3b843eaa73', '0xbfe62e42fefa39ef', '0xbfa0415d89e74444']
    """
    with jax.enable_x64(True):
        return _log_x64(x)


# ----------------------------------------------------------------------------------------------
# sincos (dbl-64/s_sin.c, s_sincos.c, usncs.h, sincostab.c)
# ----------------------------------------------------------------------------------------------

# __sincostab: for k = 0..109, (sin, sin tail, cos, cos tail) of k/128, as double-doubles.
_SINCOSTAB = _hex_table(
    """
    0x0.0p+0 0x0.0p+0 0x1.0000000000000p+0 0x0.0p+0
    0x1.fffeaaaaeeeefp-8 -0x1.e45e2ec67b77cp-62 0x1.fffc000155552p-1 0x1.f4a01a0196daep-55
    0x1.fffaaaaeeeed5p-7 -0x1.2ab639a9f0777p-63 0x1.fff000155549fp-1 0x1.28a28a03a5ef3p-55
    0x1.7ff7001033255p-6 0x1.efe2b51527336p-64 0x1.ffdc006bff7e6p-1 0x1.ae6dae86977bdp-55
    0x1.ffeaaaeeee86fp-6 -0x1.cd406fb224ae2p-60 0x1.ffc00155527d3p-1 -0x1.3b54492d89b5bp-55
    0x1.3feb2b12d45d5p-5 0x1.4ec54203d1c11p-60 0x1.ff9c03414a7bap-1 0x1.991f4be6c59bfp-57
    0x1.7fdc01032fba9p-5 -0x1.599bdf46e997ap-59 0x1.ff7006bfdf99fp-1 -0x1.8b3b560648d5fp-56
    0x1.bfc6d78586dacp-5 0x1.8e4fd03dbf236p-62 0x1.ff3c0c8103a31p-1 0x1.4856dbddc0e66p-56
    0x1.ffaaaeeed4edbp-5 -0x1.2d16d32684b69p-59 0x1.ff0015549f4d3p-1 0x1.328387b99426fp-55
    0x1.1fc343d808befp-4 -0x1.f3d32e6f3be4fp-58 0x1.febc222a8ef9fp-1 0x1.7934934f54c77p-58
    0x1.3facb12d1755bp-4 -0x1.921915299468cp-58 0x1.fe7034129ef6fp-1 -0x1.cbf4337c96f97p-57
    0x1.5f911fd10b737p-4 -0x1.0184f02be9102p-58 0x1.fe1c4c3c873ebp-1 -0x1.5a9c9057c4a02p-60
    0x1.7f701032550e4p-4 0x1.afc2d1800501ap-60 0x1.fdc06bf7e6b9bp-1 0x1.31902b535f8dbp-55
    0x1.9f4902d55d1f9p-4 0x1.2696d7eac1dc1p-58 0x1.fd5c94b43e000p-1 -0x1.2e768cb4f92f9p-57
    0x1.bf1b78568391dp-4 0x1.e91841dea4cc8p-58 0x1.fcf0c800e99b1p-1 0x1.ea3d786d186acp-57
    0x1.dee6f16c1cce6p-4 -0x1.50f8e2fb71673p-59 0x1.fc7d078d1bc88p-1 0x1.075d2447db685p-55
    0x1.feaaeee86ee36p-4 -0x1.afcb2bcc6f03bp-59 0x1.fc015527d5bd3p-1 0x1.b68f35094efb8p-55
    0x1.0f3378ddd71d1p-3 0x1.d8468724f0f9ep-57 0x1.fb7db2bfe0695p-1 0x1.21dadf4f65ab1p-55
    0x1.1f0d3d7afceafp-3 -0x1.6ef95099769a5p-57 0x1.faf22263c4bd3p-1 -0x1.52ace133a2769p-58
    0x1.2ee285e4ab88fp-3 -0x1.e4d0f05dee058p-57 0x1.fa5ea641c36f2p-1 0x1.04da6ed17cc7cp-59
    0x1.3eb312c5d66cbp-3 0x1.47d666b66cb91p-57 0x1.f9c340a7cc428p-1 0x1.c5b6b063b7462p-55
    0x1.4e7ea4dc5f27bp-3 0x1.949db2ac072fcp-58 0x1.f91ff40374d01p-1 -0x1.7d03f4d3a9e4cp-57
    0x1.5e44fcfa126f3p-3 -0x1.6f443063f89b6p-57 0x1.f874c2e1eecf6p-1 -0x1.c6514e1332b16p-55
    0x1.6e05dc05a4d4cp-3 -0x1.32c5c8b81c940p-66 0x1.f7c1afeffde24p-1 -0x1.8f55bc47540b1p-56
    0x1.7dc102fbaf2b5p-3 0x1.5ab50e23c97c3p-59 0x1.f706bdf9ece1cp-1 -0x1.698c80c36dcb4p-55
    0x1.8d7632efaa944p-3 -0x1.20fa262cbb953p-57 0x1.f643efeb82acdp-1 0x1.6b00ac1fe28acp-56
    0x1.9d252d0cec312p-3 0x1.9c43d80b1137dp-58 0x1.f57948cff6797p-1 0x1.e3a0d3e03b1d5p-57
    0x1.accdb297a0765p-3 -0x1.9883b57d6cdebp-58 0x1.f4a6cbd1e3a79p-1 0x1.13df0edaebb57p-55
    0x1.bc6f84edc6199p-3 0x1.9c1a56a7b0cabp-57 0x1.f3cc7c3b3d16ep-1 -0x1.21a3ad28a3494p-57
    0x1.cc0a6588289a3p-3 -0x1.868d09bc87c6bp-57 0x1.f2ea5d753ffedp-1 0x1.cc4215f56d583p-55
    0x1.db9e15fb5a5d0p-3 -0x1.32e20d6cc6fc2p-57 0x1.f20073086649fp-1 0x1.b940416c1984bp-56
    0x1.eb2a57f8ae5a3p-3 -0x1.0be06af572cebp-57 0x1.f10ec09c5873bp-1 0x1.d9072762c1283p-55
    0x1.faaeed4f31577p-3 -0x1.15d88508e32b8p-57 0x1.f01549f7deea1p-1 0x1.d3c1e99e5cafdp-55
    0x1.0515cbf65155cp-2 -0x1.9b8c29dfd8ec8p-56 0x1.ef141300d2f26p-1 -0x1.2aa1b08ded372p-55
    0x1.0cd00cef36436p-2 -0x1.9fb0a0c93e2b5p-56 0x1.ee0b1fbc0f11cp-1 -0x1.bfd2380bbc3b1p-59
    0x1.14861aa94ddebp-2 -0x1.be881b5b615a4p-57 0x1.ecfa744d5efa1p-1 -0x1.56d0a4af541d0p-58
    0x1.1c37d64c6b876p-2 0x1.46076fe0dcff5p-56 0x1.ebe214f76efa8p-1 -0x1.02f9f12ba543ep-55
    0x1.23e52111aaf36p-2 -0x1.4f080334eff18p-56 0x1.eac2061bbaf4fp-1 0x1.2c1d53e94658dp-57
    0x1.2b8ddc43eb49fp-2 0x1.1553899f2d807p-57 0x1.e99a4c3a7cd83p-1 -0x1.2264b1bc53ce8p-55
    0x1.3331e94049f87p-2 0x1.e0cb6b40c302cp-56 0x1.e86aebf29a9edp-1 0x1.9397afdbb58a7p-55
    0x1.3ad129769d3d8p-2 0x1.03d5504878398p-63 0x1.e733ea0193d40p-1 -0x1.6428b3546ce13p-55
    0x1.426b7e69ee697p-2 -0x1.f09c75705c59fp-56 0x1.e5f54b436e9d0p-1 0x1.7eb0fd02fc8bcp-55
    0x1.4a00c9b0f3d20p-2 0x1.823ba6bb08eadp-56 0x1.e4af14b2a449cp-1 -0x1.68ca02e8a6833p-55
    0x1.5190ecf68a77ap-2 0x1.b357155eef0f3p-56 0x1.e3614b680d6a5p-1 -0x1.27793aa015237p-56
    0x1.591bc9fa2f597p-2 0x1.7c74bac3fe0cbp-57 0x1.e20bf49acd6c1p-1 -0x1.660aec7ef636cp-58
    0x1.60a1429078775p-2 0x1.b1fd80ba89133p-58 0x1.e0af15a03dbcep-1 0x1.fe8e702771ae6p-58
    0x1.682138a38d7f7p-2 -0x1.d889202444aadp-56 0x1.df4ab3ebd875ep-1 -0x1.e2d8a7e6736c4p-55
    0x1.6f9b8e33a0255p-2 0x1.42bc14ee9da0dp-56 0x1.ddded50f228d6p-1 -0x1.e80c8d42ba2bfp-57
    0x1.7710255764214p-2 -0x1.6ead7314bb6cep-57 0x1.dc6b7eb995912p-1 0x1.4b364776dcd35p-58
    0x1.7e7ee03c86d4ep-2 -0x1.b63bcdabf5af2p-56 0x1.daf0b6b888e83p-1 0x1.a249e2b5e5ceap-55
    0x1.85e7a12826949p-2 0x1.8a40e9b5face0p-56 0x1.d96e82f71a9dcp-1 0x1.ff61bd5d2039dp-55
    0x1.8d4a4a774992fp-2 0x1.44a02ea766326p-56 0x1.d7e4e97e17b4ap-1 -0x1.3b770352bed94p-57
    0x1.94a6be9f546c5p-2 -0x1.69ce13e683f58p-56 0x1.d653f073e4040p-1 -0x1.76236434bec37p-55
    0x1.9bfce02e80510p-2 0x1.09e39a320b0a4p-56 0x1.d4bb9e1c619e0p-1 0x1.f34bb77858f61p-55
    0x1.a34c91cc50ccap-2 -0x1.a310e3b50cecdp-58 0x1.d31bf8d8d7c06p-1 0x1.e60dd3089cbddp-56
    0x1.aa95b63a09277p-2 -0x1.6293eb13c0381p-57 0x1.d1750727d94f0p-1 0x1.0d52b1ec1a48ep-55
    0x1.b1d8305321617p-2 -0x1.ae242cb99f519p-56 0x1.cfc6cfa52ad9fp-1 0x1.8b5b5508f2a0dp-55
    0x1.b913e30dbac43p-2 -0x1.e38ad2f6c3ff1p-56 0x1.ce115909a82e5p-1 0x1.1f139bb31109ap-55
    0x1.c048b17b140a3p-2 0x1.19fe6757e9fa7p-57 0x1.cc54aa2b2972ep-1 0x1.4ee162ba83a98p-57
    0x1.c7767ec7fd19ep-2 -0x1.eb14d1a3d5826p-58 0x1.ca90c9fc67d0bp-1 -0x1.46a81485e3462p-57
    0x1.ce9d2e3d4a51fp-2 -0x1.2fc8a12dae298p-57 0x1.c8c5bf8ce1a84p-1 0x1.ab3d1a1590123p-56
    0x1.d5bca34047661p-2 0x1.28a44a75fc29cp-56 0x1.c6f39208be53bp-1 -0x1.741dbfbaadb42p-55
    0x1.dcd4c15329c9ap-2 0x1.0d4c6e171fd9ap-56 0x1.c51a48b8b175ep-1 -0x1.1bbb43b9aa880p-57
    0x1.e3e56c1582a69p-2 -0x1.0a4821099f88fp-58 0x1.c339eb01ddd81p-1 -0x1.caaf5ee82c5c0p-55
    0x1.eaee8744b05f0p-2 -0x1.789b43c9b027dp-58 0x1.c1528065b7d50p-1 -0x1.892111312e828p-55
    0x1.f1eff6bc4f97bp-2 0x1.17212f8a7525cp-56 0x1.bf641081e7536p-1 0x1.b7bd71628a9a1p-55
    0x1.f8e99e76abc97p-2 0x1.9d950af2d00a3p-58 0x1.bd6ea310294f5p-1 0x1.31bbcc88c109dp-56
    0x1.ffdb628d2f57ap-2 0x1.f4a992e905b6ap-57 0x1.bb723fe630f32p-1 0x1.72bd2452d0a39p-56
    0x1.0362939c69955p-1 -0x1.2d8cd78397b01p-55 0x1.b96eeef58840ep-1 0x1.45a3cc78fade0p-58
    0x1.06d3686946e5bp-1 0x1.3f5ae4538ff1bp-55 0x1.b764b84b704c2p-1 -0x1.f5848c21b389bp-55
    0x1.0a4021e9e1001p-1 -0x1.6f643a13914f6p-55 0x1.b553a410c104ep-1 0x1.8ff7947027a16p-58
    0x1.0da8b26b5672ep-1 -0x1.a58def0bee909p-55 0x1.b33bba89c8948p-1 0x1.ea6a51d1f6ca9p-55
    0x1.110d0c4b69c3bp-1 0x1.d918998809981p-55 0x1.b11d04162a4c6p-1 0x1.1dd561efbc0c2p-56
    0x1.146d21f8b7f82p-1 0x1.bf9535e2739a8p-56 0x1.aef78930bd275p-1 -0x1.f836279746f94p-56
    0x1.17c8e5f2eedb0p-1 0x1.35e57102e2488p-57 0x1.accb526f69de5p-1 0x1.8fb6a8dd6b6ccp-55
    0x1.1b204acb02fddp-1 -0x1.f190c70cbb5ffp-58 0x1.aa98688308913p-1 -0x1.b83d607cd5070p-63
    0x1.1e7343236574cp-1 0x1.22a3fa4f41d5ap-56 0x1.a85ed4373e02dp-1 0x1.9be06385ec792p-57
    0x1.21c1c1b0394cfp-1 0x1.e5b324b23aa31p-58 0x1.a61e9e72586afp-1 0x1.58330e2fd453fp-55
    0x1.250bb93788bbbp-1 0x1.ea3d02457bccep-56 0x1.a3d7d0352bdcfp-1 -0x1.68dbaeca19669p-55
    0x1.28511c917a067p-1 -0x1.01df1d9a16b70p-55 0x1.a18a729aee445p-1 0x1.95e25736c0358p-60
    0x1.2b91dea88421ep-1 -0x1.fa371db216ab0p-55 0x1.9f368ed912f85p-1 -0x1.1d200c5791606p-55
    0x1.2ecdf279a3082p-1 0x1.d3557e0e7e37ep-55 0x1.9cdc2e3f25e5cp-1 0x1.3f99112993f62p-55
    0x1.32054b148bc4fp-1 0x1.f6b42095a135bp-55 0x1.9a7b5a36a6514p-1 0x1.722cfcc9fa7a9p-55
    0x1.3537db9be0367p-1 0x1.b327e7af040f0p-57 0x1.98141c42e1310p-1 0x1.d1ff80488f08dp-55
    0x1.386597456282bp-1 -0x1.10fada93b07a8p-56 0x1.95a67e00cb1fdp-1 -0x1.0befda21f862dp-55
    0x1.3b8e715a2840ap-1 -0x1.97653a7d2f07bp-56 0x1.93328926d9e92p-1 -0x1.bb77003600cdap-55
    0x1.3eb25d36cd53ap-1 -0x1.be570e1570fc0p-58 0x1.90b84784ddaf7p-1 -0x1.0feb10ab93b87p-56
    0x1.41d14e4ba6790p-1 0x1.4608fd287ecf5p-55 0x1.8e37c303d9ad1p-1 -0x1.463a4b53d4bf8p-57
    0x1.44eb381cf386bp-1 -0x1.3ed6c1e6a5505p-55 0x1.8bb105a5dc900p-1 0x1.863e03e9474c1p-55
    0x1.48000e431159fp-1 -0x1.b194a7463ed10p-55 0x1.89241985d871fp-1 0x1.c48d9c413ed84p-55
    0x1.4b0fc46aab761p-1 0x1.0da05738cc59ap-61 0x1.869108d77a6c6p-1 0x1.338ffe2bfe9ddp-56
    0x1.4e1a4e54ed51bp-1 -0x1.a492f89b7c76ap-55 0x1.83f7dde701ca0p-1 -0x1.152cf609bc6e8p-59
    0x1.511f9fd7b351cp-1 -0x1.5c0e861c48831p-55 0x1.8158a31916d5dp-1 -0x1.de8b90b8228dep-57
    0x1.541facddbb724p-1 0x1.232c28520d391p-56 0x1.7eb362eaa1488p-1 0x1.a1d65a4a5959fp-58
    0x1.571a6966d59b3p-1 0x1.c843b4d0fb198p-58 0x1.7c0827f09e54fp-1 -0x1.c73d6d72aee68p-57
    0x1.5a0fc98813a12p-1 -0x1.d82e2b7d4227bp-55 0x1.7956fcd7f6543p-1 -0x1.ab276e9d45ae4p-55
    0x1.5cffc16bf8f0dp-1 0x1.96cb370eb578ap-55 0x1.769fec655211fp-1 -0x1.827d5cf8c68c5p-57
    0x1.5fea4552a9e57p-1 0x1.0b6cef7ee20b7p-55 0x1.73e30174efba1p-1 -0x1.5d3ae3d94ad5fp-57
    0x1.62cf49921ac79p-1 -0x1.edd9855b6241ap-55 0x1.712046fa77678p-1 0x1.425b0a5029c81p-55
    0x1.65aec2963e755p-1 0x1.126f96b71053cp-55 0x1.6e57c800cf55ep-1 0x1.60286dedbd0a6p-55
    0x1.6888a4e134b2fp-1 -0x1.6b7d37644d5e6p-55 0x1.6b898fa9efb5dp-1 0x1.15ac786ccf4b2p-56
    0x1.6b5ce50b7821ap-1 -0x1.5d5158f702e0fp-57 0x1.68b5a92eb6253p-1 -0x1.9a91ad985f89cp-55
    0x1.6e2b77c40bde1p-1 -0x1.0e729857fad53p-56 0x1.65dc1fdeb8cbap-1 -0x1.97c1b47337c77p-58
    0x1.70f451d0a8c40p-1 0x1.97ede3885770dp-57 0x1.62fcff20191c7p-1 0x1.d9143895756efp-57
    0x1.73b7680dea578p-1 -0x1.2248306dc12a2p-56 0x1.6018526f563dfp-1 0x1.46ca5e0e432d0p-55
    0x1.7674af6f7b524p-1 0x1.e9d3f94ac84a8p-56 0x1.5d2e255f1f17ap-1 0x1.0314104c8892bp-55
    0x1.792c1d0041d52p-1 -0x1.abf05eeb354ebp-55 0x1.5a3e839824077p-1 0x1.428aa2759be62p-55
    0x1.7bdda5e28b3c2p-1 0x1.ad1197ccd0393p-59 0x1.574978d8e83f2p-1 0x1.f4714af282d23p-55
    0x1.7e893f5037959p-1 0x1.0eefbaa650c4cp-55 0x1.544f10f592ca5p-1 -0x1.e7ae8e6c7a62fp-55
    0x1.812ede9ae4ba4p-1 -0x1.7830adf402ddap-55 0x1.514f57d7bf3dap-1 0x1.47a108073c259p-56
    """,
    4,
)
# Polynomials of do_sin/do_cos (s_sin.c) and TAYLOR_SIN (usncs.h).
_SN3 = -1.66666666666664880952546298448555e-01
_SN5 = 8.33333214285722277379541354343671e-03
_CS2 = 4.99999999999999999999950396842453e-01
_CS4 = -4.16666666666664434524222570944589e-02
_CS6 = 1.38888874007937613028114285595617e-03
_S1 = float.fromhex("-0x1.5555555555555p-3")
_S2 = float.fromhex("0x1.1111111110ECEp-7")
_S3 = float.fromhex("-0x1.A01A019DB08B8p-13")
_S4 = float.fromhex("0x1.71DE27B9A7ED9p-19")
_S5 = float.fromhex("-0x1.ADDFFC2FCDF59p-26")
_BIG = float.fromhex("0x1.8000000000000p45")
_HP0 = float.fromhex("0x1.921FB54442D18p0")
_HP1 = float.fromhex("0x1.1A62633145C07p-54")
_MP1 = float.fromhex("0x1.921FB58000000p0")
_MP2 = float.fromhex("-0x1.DDE973C000000p-27")
_PP3 = float.fromhex("-0x1.CB3B398000000p-55")
_PP4 = float.fromhex("-0x1.d747f23e32ed7p-83")
_HPINV = float.fromhex("0x1.45F306DC9C883p-1")
_TOINT = float.fromhex("0x1.8000000000000p52")


@jax.jit
def _sincos_x64(x):
    x = jnp.asarray(x, jnp.float64)
    zero = _nan_zero(x)
    k = (_bits64(x) >> np.uint64(32)).astype(jnp.uint32) & np.uint32(0x7FFFFFFF)
    ax = jnp.abs(x)

    # 0.855469 <= |x| < 2.426265: a + da = pi/2 - |x| (106-bit pi/2).
    # (XLA's simplifier would fold (hp0 - |x|) + hp1 into (hp0 + hp1) - |x|; `_opaque` stops it,
    # as it stops "(big + a) - big -> a" below.)
    yb = _opaque(_HP0 - ax, zero)
    a_b = yb + _HP1
    da_b = (yb - _opaque(a_b, zero)) + _HP1

    # |x| >= 2.426265: reduce_sincos, x - n*pi/2 to 136 bits.
    t = _opaque(x * _HPINV + _TOINT, zero)  # fma
    xn = t - _TOINT
    neg_xn = _TOINT - t  # exactly -xn; a separate value so XLA does not merge the two products
    n = (_bits64(t) & np.uint64(3)).astype(jnp.int32)
    yr = (x - xn * _MP1) - xn * _MP2  # two fnmadds
    t2 = yr - xn * _PP3  # xn * pp3 is exact
    db = (yr - _opaque(t2, zero)) - xn * _PP3
    b = neg_xn * _PP4 + t2  # fnmadd(xn, pp4, t2)
    db = db + ((t2 - _opaque(b, zero)) - xn * _PP4)  # fnmadd(xn, pp4, t2 - b)
    flip = (n == 1) | (n == 2)
    a_c = _flip_sign(b, flip)
    da_c = _flip_sign(db, flip)

    path_a = k < np.uint32(0x3FEB6000)
    path_b = k < np.uint32(0x400368FD)
    a = jnp.where(path_a, x, jnp.where(path_b, a_b, a_c))
    da = jnp.where(path_a, 0.0, jnp.where(path_b, da_b, da_c))  # path A: do_sin(x, 0), do_cos(x, 0)

    sin_ad = _do_sin(a, da, zero)
    cos_ad = _do_cos(a, da, zero)

    # Path A: (do_sin, do_cos). Path B: (copysign(do_cos, x), do_sin).
    # Path C: quadrant n: swap when n is odd, negate the cosine part when n & 2.
    cos_c = _flip_sign(cos_ad, (n & 2) != 0)
    swap = jnp.where(path_b, True, (n & 1) != 0)
    swap = swap & ~path_a
    other = jnp.where(path_b, _copysign(cos_ad, x), cos_c)
    other = jnp.where(path_a, cos_ad, other)
    sin = jnp.where(swap, other, sin_ad)
    cos = jnp.where(swap, sin_ad, other)

    tiny = k < np.uint32(0x3E400000)  # |x| < 2^-27
    sin = jnp.where(tiny, x, sin)
    cos = jnp.where(tiny, 1.0, cos)
    bad = k >= np.uint32(0x7FF00000)
    return jnp.where(bad, np.nan, sin), jnp.where(bad, np.nan, cos)


def _table_lookup(a, zero):
    """u = big + |a| rounds |a| to a multiple of 1/128; returns x = |a| - u and the table row."""
    aa = jnp.abs(a)
    u = _opaque(_BIG + aa, zero)
    row = (_bits64(u) & np.uint64(0xFFFFFFFF)).astype(jnp.int32)
    row = jnp.minimum(row, np.int32(_SINCOSTAB.shape[0] - 1))
    xs = aa - (u - _BIG)
    rows = _take(_SINCOSTAB, row)  # one gather of 4-value rows
    return xs, rows[..., 0], rows[..., 1], rows[..., 2], rows[..., 3]


def _do_sin(a, da, zero):
    """do_sin(a, da) of s_sin.c as compiled with FMA (TAYLOR_SIN when |a| < 0.126)."""
    xs, sn, ssn, cs, ccs = _table_lookup(a, zero)
    dx = _flip_sign(da, a <= 0)
    xx = xs * xs
    s = xs + ((xx * xs) * (xx * _SN5 + _SN3) + dx)
    c = _opaque(xx * ((xx * _CS6 + _CS4) * xx + _CS2), zero)  # rounded, then the fma below
    c = dx * xs + c
    cor = s * cs + ((s * ccs + ssn) - c * sn)
    res_table = _copysign(sn + cor, a)

    # TAYLOR_SIN(a*a, a, da): a + (fma(a*a, fma(P, a, -da/2), da)).
    xx_t = a * a
    p = (((xx_t * _S5 + _S4) * xx_t + _S3) * xx_t + _S2) * xx_t + _S1
    half_da = _opaque(da * 0.5, zero)
    res_taylor = a + (xx_t * (p * a - half_da) + da)
    return jnp.where(jnp.abs(a) < 0.126, res_taylor, res_table)


def _do_cos(a, da, zero):
    """do_cos(a, da) of s_sin.c as compiled with FMA."""
    xs, sn, ssn, cs, ccs = _table_lookup(a, zero)
    xc = xs + _flip_sign(da, a < 0)
    xx = xc * xc
    s = (xc * xx) * (xx * _SN5 + _SN3) + xc
    c = xx * ((xx * _CS6 + _CS4) * xx + _CS2)
    cor = ((ccs - ssn * s) - c * cs) - sn * s
    return cs + cor


def sincos(x):
    """glibc 2.36 ``sincos`` (x86-64 FMA build): ``(sin x, cos x)`` as float64.

    Ported for ``|x| < 105414350``; TensorFlow only needs [0, 2*pi). Call it with float64
    input (inside ``jax.enable_x64(True)``).

    >>> import jax, numpy as np
    >>> from keyrng import _libm
    >>> with jax.enable_x64(True):
    ...     s, c = _libm.sincos(np.float64([0.5, 2.0, 4.0]))
    >>> [hex(b) for b in np.asarray(s).view(np.uint64)]
    ['0x3fdeaee8744b05f0', '0x3fed18f6ead1b446', '0xbfe837b9dddc1eae']
    >>> [hex(b) for b in np.asarray(c).view(np.uint64)]
    ['0x3fec1528065b7d50', '0xbfdaa22657537205', '0xbfe4eaa606db24c1']
    """
    with jax.enable_x64(True):
        return _sincos_x64(x)
