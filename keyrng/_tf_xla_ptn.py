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

in the dtype. XLA's algebraic simplifier rewrites TensorFlow's division by the constant `sqrt(2)` as a
multiplication by its rounded reciprocal (`x * 0.70710677` in float32), and a division by a stddev
that is a constant of the function as a multiplication by `1 / stddev`, merged with the constant
`1 / sqrt(2)` into one factor when the stddev is a scalar (`_constant_stddev`, `_scale`);
that is what TensorFlow's program computes, so the kernel writes the multiplications (a division
would differ by an ulp now and then, enough to move a value far out in a tail). The division by 2 is
a multiplication by 0.5 there too (exact either way). A bound's cdf whose bound, mean and stddev are
all constants is folded at compile time with the C library's erf (`_folded_cdf`, `erff` below),
unless tf2xla's BroadcastTo tiles the constant arrays in a way that keeps it in the program (`_folds`). XLA's `erf` and `erfinv` are jax's
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


# TensorFlow 2.21's XLA:CPU computes the float32 Erf of this program (fused with the division by the
# stddev or the multiplications replacing it, or of a single element) with its input clamped to
# [-3.7439211627767994, 3.7439211627767994] and no saturation: at and above the clamp it is
# 0.99999976. An Erf alone or fused with a subtraction only (and jax's XLA, always) saturates to +-1
# there instead. Below the clamp the two are the same polynomial. Recorded on 11,762 inputs
# (tests/data/tf_xla2_erf_expected.json; docs/xla2.md).
_ERF_CLAMP = np.float32(3.7439211627767994)
_ERF_AT_CLAMP = np.uint32(0x3F7FFFFD).view(np.float32)  # 0.99999976, the polynomial at the clamp


def _erf(x):
    """XLA's Erf as TensorFlow 2.21's XLA:CPU computes it in a fusion (above); float64 as jax's."""
    if x.dtype != jnp.float32:
        return lax.erf(x)
    return jnp.where(jnp.abs(x) >= _ERF_CLAMP, jnp.copysign(jnp.float32(_ERF_AT_CLAMP), x), lax.erf(x))


def _cdf(x, one, half, inv_sqrt_2):
    return (one + _erf(x * inv_sqrt_2)) * half


@partial(jax.jit, static_argnames=("shape", "dtype", "folded", "constant_stddev"))
def _xla_ptn(key, means, stddevs, minvals, maxvals, alpha_cdf, beta_cdf, scale, *, shape, dtype, folded,
             constant_stddev):
    """The kernel; `folded[i]` says that the cdf of the lower (0) / upper (1) bound was computed
    at compile time (`alpha_cdf` / `beta_cdf`, see `_folded_cdf`) instead of here, and
    `constant_stddev` that the stddev is a constant (`_constant_stddev`), whose `scale` (`_scale`)
    then multiplies `bound - mean` instead of the division by the stddev."""
    with jax.enable_x64(dtype == "float64"):
        t = jnp.dtype(dtype)
        tiny = jnp.asarray(_tf_xla._TINY[dtype], t)
        u = _tf_xla.uniform_kernel(key, shape, dtype)
        u = u * (jnp.asarray(1.0, t) - tiny) + tiny
        one, two, half = jnp.asarray(1.0, t), jnp.asarray(2.0, t), jnp.asarray(0.5, t)
        sqrt_2 = np.sqrt(np.asarray(2.0, dtype))
        inv_sqrt_2 = jnp.asarray(np.asarray(1.0, dtype) / sqrt_2, t)
        mu, sigma, a, b = (_broadcast(jnp.asarray(p, t), shape) for p in (means, stddevs, minvals, maxvals))
        if constant_stddev:
            k = _broadcast(jnp.asarray(scale, t), shape)

            def cdf(bound):
                if constant_stddev == "merged":  # a scalar stddev: one factor
                    return (one + _erf((bound - mu) * k)) * half
                return (one + _erf(((bound - mu) * k) * inv_sqrt_2)) * half
        else:
            def cdf(bound):
                return _cdf((bound - mu) / sigma, one, half, inv_sqrt_2)
        alpha_cdf = _broadcast(jnp.asarray(alpha_cdf, t), shape) if folded[0] else cdf(a)
        beta_cdf = _broadcast(jnp.asarray(beta_cdf, t), shape) if folded[1] else cdf(b)
        p = alpha_cdf + (beta_cdf - alpha_cdf) * u
        v = two * p - one
        epsilon = jnp.asarray(_tf_xla._EPSILON[dtype], t)
        v = jnp.clip(v, -one + epsilon, one - epsilon)
        x = mu + (sigma * jnp.asarray(sqrt_2, t)) * _erfinv(v)
        return jnp.clip(x, a, b)


def _broadcast(p, shape: tuple):
    """tf2xla's BroadcastTo: numpy broadcasting, and a dimension that divides the output's is
    tiled (a [2] parameter of a [4] output is [p0, p1, p0, p1])."""
    p = p.reshape((1,) * (len(shape) - p.ndim) + p.shape)
    reps = tuple(o // i if i not in (1, o) else 1 for i, o in zip(p.shape, shape))
    if any(r != 1 for r in reps):
        p = jnp.tile(p, reps)
    return jnp.broadcast_to(p, shape)


def _tiled(p, shape: tuple) -> bool:
    """Whether tf2xla's BroadcastTo tiles `p` to `shape` (a dimension that divides the output's
    and is neither 1 nor equal to it, as a [2] parameter of a [4] output): a broadcast followed by
    a reshape in XLA's program, which decides what XLA folds (`_folds`)."""
    dims = tuple(np.shape(p))
    return any(i not in (1, o) for i, o in zip(dims[::-1], tuple(shape)[::-1]))


def _folds(mean, stddev, bound, other, shape: tuple) -> bool:
    """Whether XLA folds the cdf of a bound whose bound, mean and stddev are constants. A tiled
    parameter is a broadcast followed by a reshape in tf2xla's program; the cdfs are computed at
    compile time, on the small constant, only when XLA can move that broadcast after every
    elementwise operation that uses it, which (as we read it; not checked in XLA's source) needs
    each such operation's other operands to be scalars (TensorFlow's optimized HLO: a [2] stddev tiled to [4] with scalar
    bounds and mean leaves the two cdfs as f32[2] constants; with a [2] minval tiled too, or a
    tiled mean, both `erf`s stay in the program). So: not if the mean or the bound is tiled (the
    mean is also used by `mean + ...` at run time, a bound by the final clamp), and not if the
    stddev is tiled and the mean or either bound is not a scalar (the other bound's division then
    keeps the stddev's broadcast). Read from TensorFlow's optimized HLO of four programs
    (`experimental_get_compiler_ir(...)(stage="optimized_hlo")`) and checked on five recorded
    batches (`xla2_ptn_constant_arrays*`, 188 outputs, the last batch recorded after the rule)."""
    if _tiled(mean, shape) or _tiled(bound, shape):
        return False
    return not (_tiled(stddev, shape) and any(np.size(p) > 1 for p in (mean, bound, other)))


def _constant_stddev(stddev) -> str | bool:
    """How XLA's algebraic simplifier rewrites the division by a stddev that is a constant of the
    function: by a multiplication by its reciprocal; a scalar's reciprocal is then merged with the
    constant 1/sqrt(2) into one factor ("merged"), an array's is not ("reciprocal"). False: the
    stddev is traced (a division). Measured on TensorFlow 2.21's recordings."""
    if isinstance(stddev, jax.core.Tracer):
        return False
    return "merged" if np.ndim(stddev) == 0 else "reciprocal"


def _scale(stddev, dtype: str, how) -> np.ndarray:
    """The constant factor of `bound - mean` for `_constant_stddev(stddev) == how`:
    `(1 / stddev) * (1 / sqrt(2))` ("merged") or `1 / stddev` ("reciprocal"), rounded in `dtype`."""
    with np.errstate(all="ignore"):
        one = np.asarray(1.0, dtype)
        reciprocal = np.asarray(one / np.asarray(stddev, dtype), dtype)
        if how != "merged":
            return reciprocal
        return np.asarray(reciprocal * np.asarray(one / np.sqrt(np.asarray(2.0, dtype)), dtype), dtype)


def _folded_cdf(bound, mean, stddev, dtype: str):
    """The normal CDF of a constant bound as XLA's constant folding computes it (C library erf)."""
    import math
    with np.errstate(all="ignore"):
        t = np.float32 if dtype == "float16" else np.dtype(dtype).type
        how = _constant_stddev(stddev)
        x = np.asarray((np.asarray(bound, dtype) - np.asarray(mean, dtype)) * _scale(stddev, dtype, how), dtype)
        if how != "merged":
            x = np.asarray(x * np.asarray(np.asarray(1.0, dtype) / np.sqrt(np.asarray(2.0, dtype)), dtype), dtype)
        if dtype == "float64":
            e = np.vectorize(math.erf, otypes=[np.float64])(x)
        else:  # float16: XLA computes Erf in float32
            e = erff(x.astype(np.float32)).astype(t).astype(dtype)
        return np.asarray((np.asarray(1.0, dtype) + e) * np.asarray(0.5, dtype), dtype)


def check_xla_ptn(function: str, shape, means, stddevs, minvals, maxvals):
    """`(shape, means, stddevs, minvals, maxvals, dtype)` under the XLA kernel's rules: the four
    parameters share a float dtype (float16, float32, float64; Python floats are float32) and each
    broadcasts to `shape` as tf2xla's BroadcastTo does (a dimension equal, 1, or dividing the
    output's); their values are not checked."""
    from keyrng import _checks, _errors, _tf_ptn
    shape = _checks.shape(function, shape)
    names = ("means", "stddevs", "minvals", "maxvals")
    params = [_tf_ptn._param(function, n, v) for n, v in zip(names, (means, stddevs, minvals, maxvals))]
    dtype = params[0].dtype.name
    for name, p in zip(names, params):
        if p.dtype.name != dtype:
            _errors.type_error(function, name, f"of the dtype of means ({dtype})", f"an array of dtype {p.dtype.name}")
        dims = tuple(p.shape)
        fits = len(dims) <= len(shape) and all(
            i == o or i == 1 or (i and o % i == 0) for i, o in zip(dims[::-1], tuple(shape)[::-1]))
        if not fits:
            _errors.value_error(function, name, f"broadcastable to the shape {list(shape)} (tf2xla's BroadcastTo)",
                                f"an array of shape {list(dims)}")
    return tuple(shape), *params, dtype


def xla_draw_ptn(key, shape, means, stddevs, minvals, maxvals, dtype: str) -> jax.Array:
    """`tf.random.stateless_parameterized_truncated_normal` under XLA at `key` (module docstring),
    after `check_xla_ptn`: `shape` the output shape, the parameters arrays of `dtype` broadcastable
    to it. The cdf of a bound whose parameters (bound, mean, stddev) are all concrete is computed
    as XLA's constant folding computes it (`_folded_cdf`: glibc's erff / erf), unless a tiled
    parameter keeps it in the program (`_folds`).

    TensorFlow 2.21's values with constant parameters and seed [3, 4] (recorded,
    `xla2_ptn_constant_params`):

    >>> import keyrng.tf as tfk
    >>> key, _ = tfk.xla_stateless_key("my.op", [3, 4])
    >>> tfk.xla_parameterized_truncated_normal(key, (3,), 0.0, 1.0, 2.0, float("inf"), "float32")  # doctest: +SKIP
    Array([2.3318808, 2.6916082, 2.4388888], dtype=float32)

    (The kernel compiles for about a second, so the doctest run skips it; tests/test_xla2.py replays
    the recording.)
    """
    shape = tuple(int(d) for d in shape)
    with jax.enable_x64(dtype == "float64"):
        if int(np.prod(shape, dtype=np.int64)) == 0:
            return jnp.zeros(shape, dtype)
        constant = [not isinstance(p, jax.core.Tracer) for p in (means, stddevs, minvals, maxvals)]
        folded = tuple(bool(constant[0] and constant[1] and constant[i]) and _folds(means, stddevs, bound, other, shape)
                       for i, bound, other in ((2, minvals, maxvals), (3, maxvals, minvals)))
        cdfs = [_folded_cdf(bound, means, stddevs, dtype) if fold else np.zeros((), dtype)
                for bound, fold in zip((minvals, maxvals), folded)]
        # A tiled stddev is no constant in XLA's program unless its broadcast was moved past the
        # cdfs (then both are folded, `_folds`): the division stays a division.
        how = _constant_stddev(stddevs) and not _tiled(stddevs, shape)
        scale = _scale(stddevs, dtype, how) if how else np.zeros((), dtype)
        params = [jnp.asarray(p, dtype) for p in (means, stddevs, minvals, maxvals)]
        return _xla_ptn(key, *params, *cdfs, scale, shape=shape, dtype=dtype, folded=folded,
                        constant_stddev=how)


# --- constant parameters: XLA's constant folding ------------------------------------------------
#
# When the four parameters are constants of the function (the seed an argument), XLA folds the
# normal CDF of the bounds at compile time with its HLO evaluator, whose float32 Erf is the C
# library's `erff` (glibc 2.36's, the Sun algorithm below), not the compiled polynomial; the rest
# of the kernel runs compiled. `erff` is ported here from glibc's sysdeps/ieee754/flt-32/s_erff.c
# (an independent re-expression in float32 numpy arithmetic, each operation rounded, no FMA, as
# glibc's generic x86-64 build computes it; its two `expf` calls are `keyrng/_libm_expf.py`).

def _f(hex_word: int) -> np.float32:
    return np.uint32(hex_word).view(np.float32)


_ERX, _EFX = _f(0x3F58560B), _f(0x3E0375D4)
_PP = [_f(w) for w in (0x3E0375D4, 0xBEA66BEB, 0xBCE9528F, 0xBBBD1489, 0xB7C756B1)]
_QQ = [_f(w) for w in (0x3ECBBBCE, 0x3D852A63, 0x3BA68116, 0x390AEE49, 0xB684E21A)]
_PA = [_f(w) for w in (0xBB1ACDC6, 0x3ED46805, 0xBEBE9208, 0x3EA2FE54, 0xBDE31CC2, 0x3D1151B3, 0xBB0DF9C0)]
_QA = [_f(w) for w in (0x3DD9F331, 0x3F0A5785, 0x3D931AE7, 0x3E013307, 0x3C5F6E13, 0x3C445AA3)]
_RA = [_f(w) for w in (0xBC21A093, 0xBF31A0B7, 0xC128F022, 0xC2798057, 0xC322658C, 0xC3389AE7, 0xC2A2932B,
                       0xC11D077E)]
_SA = [_f(w) for w in (0x419D35CE, 0x4309A863, 0x43D9486F, 0x442158C9, 0x43D6810B, 0x42D9451F, 0x40D23F7C,
                       0xBD777F97)]
_RB = [_f(w) for w in (0xBC21A092, 0xBF4C9DD4, 0xC18E104B, 0xC320A2EA, 0xC41F6441, 0xC480230B, 0xC3F1C275)]
_SB = [_f(w) for w in (0x41F2B459, 0x43A2E571, 0x44C01759, 0x4547FDBB, 0x451F90CE, 0x43ED43A7, 0xC1B38712)]


def _horner(s, coefficients, leading_one=False):
    """c0 + s*(c1 + s*(c2 + ...)) in float32 (or 1 + s*(c0 + s*(...)) with `leading_one`)."""
    acc = coefficients[-1]
    for c in coefficients[-2::-1]:
        acc = np.float32(c + np.float32(s * acc))
    return np.float32(np.float32(1.0) + np.float32(s * acc)) if leading_one else acc


def erff(x) -> np.ndarray:
    """glibc 2.36's `erff` on a float32 array, bit for bit (checked against the C library)."""
    from keyrng import _libm_expf
    x = np.asarray(x, np.float32)
    one = np.float32(1.0)
    with np.errstate(all="ignore"):
        hx = x.view(np.int32)
        ix = hx & np.int32(0x7FFFFFFF)
        ax = np.abs(x)
        negative = hx < 0
        # |x| < 0.84375 (and below 2**-28: x + efx*x)
        z = np.float32(x * x)
        r = _horner(z, _PP)
        s = _horner(z, _QQ, leading_one=True)
        small = np.float32(x + np.float32(x * np.float32(r / s)))
        tiny_x = np.float32(x + np.float32(_EFX * x))
        denormal_x = np.float32(np.float32(0.0625) * np.float32(np.float32(np.float32(16.0) * x)
                                                                + np.float32(np.float32(16.0 * _EFX) * x)))
        # 0.84375 <= |x| < 1.25
        s1 = np.float32(ax - one)
        ratio = np.float32(_horner(s1, _PA) / _horner(s1, _QA, leading_one=True))
        middle = np.where(negative, np.float32(-_ERX - ratio), np.float32(_ERX + ratio))
        # 1.25 <= |x| < 6
        s2 = np.float32(one / np.float32(ax * ax))
        near = ix < np.int32(0x4036DB6E)
        big_r = np.where(near, _horner(s2, _RA), _horner(s2, _RB))
        big_s = np.where(near, _horner(s2, _SA, leading_one=True), _horner(s2, _SB, leading_one=True))
        zz = (ax.view(np.int32) & np.int32(-4096)).view(np.float32)  # & 0xfffff000
        with jax.ensure_compile_time_eval():  # concrete values, also while a caller traces
            e1 = np.asarray(_libm_expf.expf(np.float32(np.float32(-zz * zz) - np.float32(0.5625))), np.float32)
            e2 = np.asarray(_libm_expf.expf(np.float32(np.float32(np.float32(zz - ax) * np.float32(zz + ax))
                                                       + np.float32(big_r / big_s))), np.float32)
        rr = np.float32(e1 * e2)
        large = np.where(negative, np.float32(np.float32(rr / ax) - one), np.float32(one - np.float32(rr / ax)))
        out = np.where(ix < 0x31800000, np.where(ix < 0x04000000, denormal_x, tiny_x), small)
        out = np.where(ix >= 0x3F580000, middle, out)
        out = np.where(ix >= 0x3FA00000, large, out)
        out = np.where(ix >= 0x40C00000, np.where(negative, np.float32(-1.0), one), out)  # +-(1 - tiny)
        out = np.where(ix >= 0x7F800000, np.where(x != x, x, np.where(negative, np.float32(-1.0), one)), out)
    return out.astype(np.float32)
