"""TensorFlow's CPU `Log` kernel on float32 / float64 vectors, bit for bit.

TensorFlow evaluates `tf.math.log` with Eigen: the elements that fill whole SIMD packets (8 float32
or 4 float64 with TensorFlow 2.21's AVX build, no FMA) go through Eigen's packet `plog`, the rest
(the tail) through `std::log`, i.e. glibc's `logf` / `log` (keyrng/_libm.py). This module holds
Eigen's packet logarithm, written as the same sequence of IEEE float operations in NumPy
(`plog_impl_float`: a rational (3,3) approximation of log(1 + x); `plog_impl_double`: Cephes'
x - x**2/2 + x**3 P(x)/Q(x)), each multiply-add rounded twice as without FMA. Checked against
TensorFlow 2.21's output on 4,000 float32 and 2,000 float64 values over 1e-6 .. 1e6 (every bit
equal); subnormal inputs are not covered by that check.

>>> import numpy as np
>>> tensorflow_log(np.float32([0.5] * 9)).view(np.uint32).tolist()[7:]  # 8 in a packet, 1 glibc
[3207688728, 3207688728]
"""

from __future__ import annotations

import jax
import numpy as np

from keyrng import _libm

PACKET = {"float32": 8, "float64": 4}


def _plog32(x: np.ndarray) -> np.ndarray:
    f = np.float32
    with np.errstate(all="ignore"):
        m, e = np.frexp(x)
        m, e = m.astype(f), e.astype(f)
        mask = m < f(0.707106781186547524)
        tmp = np.where(mask, m, f(0))
        m = (m - f(1)).astype(f)
        e = (e - np.where(mask, f(1), f(0))).astype(f)
        m = (m + tmp).astype(f)

        def madd(a, b, c):
            return ((a * b).astype(f) + c).astype(f)

        p = madd(m, f(0.18256296349849254), f(1.0000000190281063))
        p = madd(m, p, f(1.0000000190281136))
        p = (m * p).astype(f)
        q = madd(m, f(0.049616247954120038), f(0.59923249590823520))
        q = madd(m, q, f(1.4999999999999927))
        q = madd(m, q, f(1))
        out = madd(e, f(0.693147180559945309), (p / q).astype(f))
        return _special(x, out)


def _plog64(x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        m, e = np.frexp(x)
        e = e.astype(np.float64)
        mask = m < 0.70710678118654752440
        tmp = np.where(mask, m, 0.0)
        m = m - 1.0
        e = e - np.where(mask, 1.0, 0.0)
        m = m + tmp
        x2 = m * m
        x3 = x2 * m
        y = 1.01875663804580931796e-4 * m + 4.97494994976747001425e-1
        y1 = 1.44989225341610930846e1 * m + 1.79368678507819816313e1
        y = y * m + 4.70579119878881725854e0
        y1 = y1 * m + 7.70838733755885391666e0
        top = y * x3 + y1
        y = 1.0 * m + 1.12873587189167450590e1
        y1 = 8.29875266912776603211e1 * m + 7.11544750618563894466e1
        y = y * m + 4.52279145837532221105e1
        y1 = y1 * m + 2.31251620126765340583e1
        bottom = y * x3 + y1
        y = (top * x3) / bottom
        y = -0.5 * x2 + y
        m = m + y
        out = e * 0.693147180559945309417232121458176568 + m
        return _special(x, out)


def _special(x, out):
    out = np.where(x == np.inf, x, out)
    out = np.where(x == 0, -np.inf, out)
    return np.where((x < 0) | np.isnan(x), np.nan, out).astype(x.dtype)


def tensorflow_log(values) -> np.ndarray:
    """`tf.math.log` of one float32 / float64 vector as TensorFlow's CPU kernel computes it."""
    x = np.asarray(values)
    return tensorflow_log_rows(x.reshape(1, -1))[0]


def tensorflow_log_rows(rows) -> np.ndarray:
    """`tf.math.log` called once per row of a 2-D float32 / float64 array (a dataset of vectors)."""
    x = np.asarray(rows)
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float32)
    n = x.shape[1]
    whole = n // PACKET[x.dtype.name] * PACKET[x.dtype.name]
    out = np.empty_like(x)
    out[:, :whole] = (_plog32 if x.dtype == np.float32 else _plog64)(x[:, :whole])
    if whole < n:
        tail = x[:, whole:].reshape(-1)
        padded = np.ones(max(8, 1 << (len(tail) - 1).bit_length()), x.dtype)  # few compiled shapes
        padded[:len(tail)] = tail
        with jax.ensure_compile_time_eval(), jax.enable_x64(True):
            logs = _libm.log(padded) if x.dtype == np.float64 else _libm.logf(padded)
        out[:, whole:] = np.asarray(logs)[:len(tail)].reshape(x.shape[0], n - whole)
    return out
