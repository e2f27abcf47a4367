"""keyrng._libm against the C library it ports: glibc 2.36's logf, sincosf, log and sincos.

The comparisons call the system libm through ctypes, so they need glibc 2.36 on an x86-64 CPU
with FMA (the build glibc then selects). Elsewhere they are skipped. The known-answer tests
need nothing but keyrng.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from keyrng import _libm

# ------------------------------------------------------------------------------------------------
# The reference: the system glibc, only where it is the build being ported.
# ------------------------------------------------------------------------------------------------


def _cpu_has_fma() -> bool:
    try:
        with open("/proc/cpuinfo") as f:
            return " fma " in f.read().replace("\n", " ")
    except OSError:
        return False


def _load_glibc_libm():
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        return None, "not x86-64 Linux"
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.gnu_get_libc_version.restype = ctypes.c_char_p
        version = libc.gnu_get_libc_version().decode()
    except (OSError, AttributeError):
        return None, "the C library is not glibc"
    if version != "2.36":
        return None, f"glibc is {version}, the port is of glibc 2.36"
    if not _cpu_has_fma():
        return None, "CPU without FMA: glibc uses its non-FMA build, the port is of the FMA build"
    libm = ctypes.CDLL("libm.so.6")
    libm.logf.restype = ctypes.c_float
    libm.logf.argtypes = [ctypes.c_float]
    libm.log.restype = ctypes.c_double
    libm.log.argtypes = [ctypes.c_double]
    f_ptr, d_ptr = ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_double)
    libm.sincosf.restype = None
    libm.sincosf.argtypes = [ctypes.c_float, f_ptr, f_ptr]
    libm.sincos.restype = None
    libm.sincos.argtypes = [ctypes.c_double, d_ptr, d_ptr]
    return libm, ""


_LIBM, _WHY_NOT = _load_glibc_libm()
needs_glibc = pytest.mark.skipif(_LIBM is None, reason=f"needs glibc 2.36 x86-64 FMA libm: {_WHY_NOT}")


def _glibc_logf(x: np.ndarray) -> np.ndarray:
    return np.array(list(map(_LIBM.logf, x.tolist())), dtype=np.float32)


def _glibc_log(x: np.ndarray) -> np.ndarray:
    return np.array(list(map(_LIBM.log, x.tolist())), dtype=np.float64)


def _glibc_sincos_pair(x: np.ndarray, fn, ctype, dtype):
    s, c = ctype(), ctype()
    ps, pc = ctypes.byref(s), ctypes.byref(c)
    out = []
    push = out.append
    for v in x.tolist():
        fn(v, ps, pc)
        push(s.value)
        push(c.value)
    pairs = np.array(out, dtype=dtype).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def _glibc_sincosf(x):
    return _glibc_sincos_pair(x, _LIBM.sincosf, ctypes.c_float, np.float32)


def _glibc_sincos(x):
    return _glibc_sincos_pair(x, _LIBM.sincos, ctypes.c_double, np.float64)


def _bits(a) -> np.ndarray:
    a = np.asarray(a)
    return a.view(np.uint32 if a.dtype == np.float32 else np.uint64)


def _report(name: str, got, want, x) -> None:
    """Assert bit equality; on failure show the share and the first few mismatches."""
    got_b, want_b = _bits(got), _bits(want)
    bad = np.flatnonzero(got_b != want_b)
    share = 1.0 - bad.size / got_b.size
    print(f"{name}: {got_b.size - bad.size}/{got_b.size} bit-exact ({share:.9%})")
    examples = [(repr(x[i]), hex(int(got_b[i])), hex(int(want_b[i]))) for i in bad[:5]]
    assert bad.size == 0, f"{name}: {bad.size} mismatches (input, ours, glibc): {examples}"


_CHUNK = 1 << 21

# TensorFlow's inputs (random_distributions.h, BoxMuller): u = k * 2^-23 (k = 1 .. 2^23-1, and
# the clamp value 1e-7f for k = 0) for logf; v = float(2*pi * k*2^-23) (k = 0 .. 2^23-1) for
# sincosf, the product taken in double (M_PI) and rounded to float, as the C++ does.


def _tf_logf_inputs(lo: int, hi: int) -> np.ndarray:
    return (np.arange(lo, hi, dtype=np.float64) * 2.0**-23).astype(np.float32)


def _tf_sincosf_inputs(lo: int, hi: int) -> np.ndarray:
    return ((2.0 * np.pi) * (np.arange(lo, hi, dtype=np.float64) * 2.0**-23)).astype(np.float32)


# ------------------------------------------------------------------------------------------------
# Exhaustive float32 comparisons
# ------------------------------------------------------------------------------------------------


@pytest.mark.slow
@needs_glibc
def test_logf_exhaustive_on_tf_inputs():
    f = jax.jit(_libm.logf)
    for lo in range(0, 1 << 23, _CHUNK):
        x = _tf_logf_inputs(max(lo, 1), lo + _CHUNK)
        if lo == 0:
            x = np.concatenate([np.float32([1e-7, 1.0]), x])
        _report(f"logf [{lo}, {lo + _CHUNK})", np.asarray(f(x)), _glibc_logf(x), x)


@pytest.mark.slow
@needs_glibc
def test_sincosf_exhaustive_on_tf_inputs():
    f = jax.jit(_libm.sincosf)
    for lo in range(0, 1 << 23, _CHUNK):
        x = _tf_sincosf_inputs(lo, lo + _CHUNK)
        if lo == 0:
            x = np.concatenate([np.float32([2 * np.pi]), x])
        s, c = f(x)
        gs, gc = _glibc_sincosf(x)
        _report(f"sinf [{lo}, {lo + _CHUNK})", np.asarray(s), gs, x)
        _report(f"cosf [{lo}, {lo + _CHUNK})", np.asarray(c), gc, x)


@pytest.mark.slow
def test_sincosf_box_muller_exhaustive_on_tf_inputs():
    # Against `sincosf`, which the test above holds to glibc on the same inputs; so this one
    # needs no glibc. Every angle TensorFlow's Box-Muller can make, and 2*pi.
    fast, full = jax.jit(_libm.sincosf_box_muller), jax.jit(_libm.sincosf)
    for lo in range(0, 1 << 23, _CHUNK):
        x = _tf_sincosf_inputs(lo, lo + _CHUNK)
        if lo == 0:
            x = np.concatenate([np.float32([0.0, 2 * np.pi]), x])
        (s, c), (want_s, want_c) = fast(x), full(x)
        _report(f"sinf fast [{lo}, {lo + _CHUNK})", np.asarray(s), np.asarray(want_s), x)
        _report(f"cosf fast [{lo}, {lo + _CHUNK})", np.asarray(c), np.asarray(want_c), x)


@pytest.mark.slow
def test_sincosf_box_muller_on_its_whole_domain_near_the_skipped_tests():
    # Its stated domain is 0 and the normal floats in (0, 2*pi]: every float32 from 2^-14 to
    # 2^-10 (around the skipped tiny test, 2^-12), every float32 in [0.5, 1) (around pi/4, where
    # glibc starts reducing), every normal float below 2^-14 in steps, and random angles.
    rng = np.random.default_rng(2037)
    around_tiny = np.arange(np.float32(2.0**-14).view(np.uint32), np.float32(2.0**-10).view(np.uint32), dtype=np.uint32)
    around_pio4 = np.arange(np.float32(0.5).view(np.uint32), np.float32(1.0).view(np.uint32), dtype=np.uint32)
    below = np.arange(np.float32(2.0**-126).view(np.uint32), np.float32(2.0**-14).view(np.uint32), 997, dtype=np.uint32)
    x = np.concatenate([around_tiny.view(np.float32), around_pio4.view(np.float32), below.view(np.float32),
                        rng.uniform(0, 2 * np.pi, 1_000_000).astype(np.float32), np.float32([0.0, 2 * np.pi])])
    fast, full = jax.jit(_libm.sincosf_box_muller), jax.jit(_libm.sincosf)
    for i in range(0, x.size, _CHUNK):
        part = x[i:i + _CHUNK]
        (s, c), (want_s, want_c) = fast(part), full(part)
        _report("sinf fast", np.asarray(s), np.asarray(want_s), part)
        _report("cosf fast", np.asarray(c), np.asarray(want_c), part)


@needs_glibc
def test_float32_edges_and_wider_inputs():
    rng = np.random.default_rng(2036)
    tiny = np.float32([1e-45, 1e-40, 1.1754942e-38, 1.17549435e-38, 2.0**-126, 2.0**-12, 3e-4])
    rand = rng.uniform(0, 100, 200_000).astype(np.float32)
    x = np.concatenate([tiny, -tiny, rand, -rand, np.float32([0.75, 0.7499999, 119.99999])])
    s, c = jax.jit(_libm.sincosf)(x)
    gs, gc = _glibc_sincosf(x)
    _report("sinf |x| < 120", np.asarray(s), gs, x)
    _report("cosf |x| < 120", np.asarray(c), gc, x)

    pos = np.abs(x[np.abs(x) > 0])
    wide = np.concatenate([tiny, pos, rng.uniform(0, 3e38, 10_000).astype(np.float32)])
    _report("logf positive", np.asarray(jax.jit(_libm.logf)(wide)), _glibc_logf(wide), wide)


def test_logf_special_values():
    x = np.float32([0.0, -0.0, -1.0, np.nan, np.inf, -np.inf, 1.0])
    y = np.asarray(_libm.logf(x))
    assert np.isneginf(y[0]) and np.isneginf(y[1])
    assert np.isnan(y[2]) and np.isnan(y[3]) and np.isnan(y[5])
    assert y[4] == np.inf and _bits(y)[6] == 0


# ------------------------------------------------------------------------------------------------
# float64: random TF-form inputs plus edges
# ------------------------------------------------------------------------------------------------

_N64 = 2_000_000


@pytest.mark.slow
@needs_glibc
def test_log_on_tf_form_inputs():
    rng = np.random.default_rng(52)
    m = rng.integers(1, 1 << 52, _N64, dtype=np.int64)
    edges = [1e-7, 1.0, 2.0**-52, 2.0**-1074, 2.0**-1022, 1 - 2.0**-4, 1 - 2.0**-4 - 2.0**-53, 0.5, 0.25]
    with jax.enable_x64(True):
        x = np.concatenate([np.float64(edges), m * 2.0**-52, rng.uniform(0, 1e300, 100_000)])
        f = jax.jit(_libm.log)
        got = np.concatenate([np.asarray(f(x[i : i + _CHUNK])) for i in range(0, x.size, _CHUNK)])
    _report("log", got, _glibc_log(x), x)


@pytest.mark.slow
@needs_glibc
def test_sincos_on_tf_form_inputs():
    rng = np.random.default_rng(64)
    m = rng.integers(0, 1 << 52, _N64, dtype=np.int64)
    edges = [0.0, 2.0**-28, 2.0**-27, 0.126, 0.855469, 0.8554687, 2.426265, 2.4262657, np.pi / 2, np.pi]
    with jax.enable_x64(True):
        x = np.concatenate(
            [np.float64(edges), (2 * np.pi) * (m * 2.0**-52), rng.uniform(-1e5, 1e5, 100_000)]
        )
        f = jax.jit(_libm.sincos)
        parts = [f(x[i : i + _CHUNK]) for i in range(0, x.size, _CHUNK)]
        s = np.concatenate([np.asarray(p[0]) for p in parts])
        c = np.concatenate([np.asarray(p[1]) for p in parts])
    gs, gc = _glibc_sincos(x)
    _report("sin", s, gs, x)
    _report("cos", c, gc, x)


# ------------------------------------------------------------------------------------------------
# Known answers, no glibc needed. Recorded from glibc 2.36 (Debian 2.36-9+deb12u14), x86-64,
# FMA variant (__logf_fma, __sincosf_fma, __ieee754_log_fma, __sincos_fma), via ctypes.
# ------------------------------------------------------------------------------------------------

_KNOWN_LOGF = {  # input bits -> logf bits
    0x33D6BF95: 0xC180F1DC,  # 1e-7f (TensorFlow's clamp value)
    0x34000000: 0xC17F1402,  # 2^-23
    0x3F000000: 0xBF317218,  # 0.5
    0x3F7FFFFF: 0xB3800000,  # 1 - 2^-24
    0x3F800000: 0x00000000,  # 1
    0x00000001: 0xC2CE8ED0,  # smallest subnormal
}

_KNOWN_SINCOSF = {  # input bits -> (sinf bits, cosf bits)
    0x00000000: (0x00000000, 0x3F800000),  # 0
    0x39000000: (0x39000000, 0x3F800000),  # 2^-13
    0x3F000000: (0x3EF57744, 0x3F60A940),  # 0.5
    0x3F400000: (0x3F2E7FE1, 0x3F3B4FF6),  # 0.75
    0x3F800000: (0x3F576AA4, 0x3F0A5140),  # 1
    0x40400000: (0x3E1081C3, 0xBF7D7026),  # 3
    0x40800000: (0xBF41BDCF, 0xBF275530),  # 4
    0x3C177EF6: (0x3C177E69, 0x3F7FFD33),  # float(2pi * 12345 * 2^-23)
    0x40C90FD9: (0xB55110B4, 0x3F800000),  # float(2pi * (2^23 - 1) * 2^-23)
}

_KNOWN_LOG = {  # input bits -> log bits
    0x3E7AD7F29ABCAF48: 0xC0301E3B843EAA73,  # 1e-7
    0x3CB0000000000000: 0xC04205966F2B4F12,  # 2^-52
    0x3FE0000000000000: 0xBFE62E42FEFA39EF,  # 0.5
    0x3FEF000000000000: 0xBFA0415D89E74444,  # 0.96875 (the near-1 path)
    0x3FEFFFFFFFFFFFFF: 0xBCA0000000000000,  # 1 - 2^-53
    0x0000000000000001: 0xC0874385446D71C3,  # 2^-1074
    0x3FB999999999999A: 0xC0026BB1BBB55515,  # 0.1
}

_KNOWN_SINCOS = {  # input bits -> (sin bits, cos bits)
    0x0000000000000000: (0x0000000000000000, 0x3FF0000000000000),  # 0
    0x3E112E0BE826D695: (0x3E112E0BE826D695, 0x3FF0000000000000),  # 1e-9
    0x3FB999999999999A: (0x3FB98EAECB8BCB2C, 0x3FEFD712F9A817C1),  # 0.1
    0x3FE0000000000000: (0x3FDEAEE8744B05F0, 0x3FEC1528065B7D50),  # 0.5
    0x3FF0000000000000: (0x3FEAED548F090CEE, 0x3FE14A280FB5068C),  # 1
    0x3FF8000000000000: (0x3FEFEB7A9B2C6D8B, 0x3FB21BD54FC5F9A7),  # 1.5
    0x4000000000000000: (0x3FED18F6EAD1B446, 0xBFDAA22657537205),  # 2
    0x4008000000000000: (0x3FC210386DB6D55B, 0xBFEFAE04BE85E5D2),  # 3
    0x4010000000000000: (0xBFE837B9DDDC1EAE, 0xBFE4EAA606DB24C1),  # 4
    0x4016000000000000: (0xBFE693C94E0AB057, 0x3FE6AD6C3C07D448),  # 5.5
    0x401921FB54442D16: (0xBCE234C4C6628B81, 0x3FF0000000000000),  # 2pi * (2^52 - 1) * 2^-52
}


def _check_known(fn, table, in_dtype, x64):
    ints = np.array(list(table), dtype=np.uint32 if in_dtype == np.float32 else np.uint64)
    x = ints.view(in_dtype)
    with jax.enable_x64(x64):
        out = fn(x)
    outs = out if isinstance(out, tuple) else (out,)
    got = list(zip(*[_bits(o).tolist() for o in outs]))
    want = [v if isinstance(v, tuple) else (v,) for v in table.values()]
    assert [tuple(g) for g in got] == [tuple(w) for w in want]


def test_known_answers_logf():
    _check_known(jax.jit(_libm.logf), _KNOWN_LOGF, np.float32, False)


def test_known_answers_sincosf():
    _check_known(jax.jit(_libm.sincosf), _KNOWN_SINCOSF, np.float32, False)


def test_known_answers_log():
    _check_known(jax.jit(_libm.log), _KNOWN_LOG, np.float64, True)


def test_known_answers_sincos():
    _check_known(jax.jit(_libm.sincos), _KNOWN_SINCOS, np.float64, True)


def test_works_with_x64_on_and_off():
    x = np.float32([0.25, 0.5])
    a = np.asarray(jax.jit(_libm.logf)(x))
    with jax.enable_x64(True):
        b = np.asarray(jax.jit(_libm.logf)(x))
        s64, _ = jax.jit(_libm.sincosf)(jnp.asarray(x))
    assert a.dtype == b.dtype == np.float32 and (_bits(a) == _bits(b)).all()
    assert s64.dtype == jnp.float32
