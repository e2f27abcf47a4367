"""A bit-exact port of glibc 2.36's ``expf`` (x86-64 FMA build), for TensorFlow's float32 kernels
that call ``std::exp`` on floats (the parameterized truncated normal's acceptance tests).

Origin (algorithm and table; the code here is an independent re-expression): ARM's
optimized-routines by Szabolcs Nagy (MIT / Apache-2.0) as shipped in glibc,
``sysdeps/ieee754/flt-32/e_expf.c`` and ``e_exp2f_data.c``: ``x * N/ln2 = k + r`` with
``N = 32``, ``exp(x) = 2^(k/N) * p(r)`` with a cubic ``p`` evaluated in double, rounded once to
float. Rounding float64 ``exp(x)`` to float32 instead differs from glibc on about 0.06% of
inputs (glibc's expf is not correctly rounded), so the algorithm is ported. The FMA build
contracts ``InvLn2N * x`` into both of its uses and the polynomial's multiply-adds; XLA:CPU
contracts ``a*b + c`` with a single-use product the same way (see keyrng/_libm.py), and
`_libm._opaque` keeps the products glibc rounds. The tests compare against the C library
(tests/test_ptn.py).

Domain: every float32 (overflow gives inf, underflow 0, NaN stays NaN).
"""

from __future__ import annotations

from decimal import Decimal, getcontext

import jax
import jax.numpy as jnp
import numpy as np

from keyrng import _libm

_N = 32
_SHIFT = float.fromhex("0x1.8p+52")
_INV_LN2_N = float.fromhex("0x1.71547652b82fep+0") * _N
_C = [float.fromhex("0x1.c6af84b912394p-5") / _N**3, float.fromhex("0x1.ebfce50fac4f3p-3") / _N**2,
      float.fromhex("0x1.62e42ff0c52d6p-1") / _N]


def _table() -> np.ndarray:
    """glibc's `__exp2f_data.tab`: `bits(2^(i/N)) - (i << 47)` for i in [0, N)."""
    context = getcontext().copy()
    context.prec = 50
    ln2 = context.ln(Decimal(2))
    rows = []
    for i in range(_N):
        value = float(context.exp(context.multiply(context.divide(Decimal(i), Decimal(_N)), ln2)))
        rows.append(int(np.float64(value).view(np.uint64)) - (i << 47))
    return np.array(rows, dtype=np.uint64)


_TAB = _table()


@jax.jit
def _expf_x64(x):
    x = jnp.asarray(x, jnp.float32)
    xd = x.astype(jnp.float64)
    zero = _libm._nan_zero(xd)
    kd = xd * _INV_LN2_N + _SHIFT  # fma(InvLn2N, xd, SHIFT)
    ki = _libm._bits64(kd)
    kd = _libm._opaque(kd, zero) - _SHIFT
    r = xd * _INV_LN2_N - kd  # fma(InvLn2N, xd, -kd)
    idx = (ki % np.uint64(_N)).astype(jnp.int32)
    t = jnp.take(jnp.asarray(_TAB), idx, mode="clip") + (ki << np.uint64(52 - 5))
    s = _libm._from_bits64(t)
    z = r * _C[0] + _C[1]
    r2 = _libm._opaque(r * r, zero)
    y = r * _C[2] + 1.0
    y = z * r2 + y
    y = _libm._opaque(y * s, zero)
    out = y.astype(jnp.float32)
    out = jnp.where(x > float.fromhex("0x1.62e42ep6"), jnp.float32(np.inf), out)
    out = jnp.where(x < float.fromhex("-0x1.9fe368p6"), jnp.float32(0.0), out)
    out = jnp.where(x == -np.inf, jnp.float32(0.0), out)
    return jnp.where(x != x, x, out)


def expf(x):
    """glibc 2.36 ``expf`` bit for bit on float32 `x` (works with jax's x64 mode on or off).

    >>> import numpy as np
    >>> from keyrng import _libm_expf
    >>> np.asarray(_libm_expf.expf(np.float32([-1.0, 0.0, 0.5]))).tolist()
    [0.3678794503211975, 1.0, 1.6487212181091309]
    """
    with jax.enable_x64(True):
        return _expf_x64(x)
