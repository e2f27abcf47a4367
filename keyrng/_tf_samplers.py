"""TensorFlow's candidate samplers (candidate_sampler_ops.cc, range_sampler.cc) as pure functions
of a Philox position.

Every sampler op reserves `2048 * num_sampled` 32-bit samples of its kernel's GuardedPhiloxRandom
(`512 * num_sampled` blocks: `sampler_blocks`) and reads the stream from the position it had,
one word after another through a SimplePhilox (a rejection may read past the reservation, into
what the next call gets, as in TensorFlow). Then, with p = the sampler's Probability:

- `num_sampled` candidates: each one `Sample()`; with `unique=True` the sampler draws until it
  has `num_sampled` distinct values, `num_tries` draws in all;
- expected counts of the candidates and of the true classes: `p * num_sampled` (float32) when
  `num_tries == num_sampled`, else `-expm1f(num_tries * log1pf(-p))` in float32 with the C
  library's float functions (glibc's `log1pf` and `expm1f` are not correctly rounded, so they are
  ported here: `log1pf`, `expm1f`, checked against the platform's libm in the tests).

The samplers:

- uniform: `Uniform64(range)` (two words, low first; rejection of the low `2**64 % range`);
  p = float(1.0 / range);
- log_uniform: `int64(exp(RandDouble() * log1p(range))) - 1` modulo range (glibc double
  `exp`, `log1p`: Python's `math` calls the same functions); p = float(log((v+2)/(v+1)) / log1p(range));
- learned_unigram: a WeightedPicker over int32 weights (all 1 in a new kernel), `Uniform(total)`
  on one word (rejection), the first class whose running weight exceeds it;
  p = float(weight) / float(total); after the call each true class's weight grows by 1 (the
  caller keeps the weights: per kernel, as TensorFlow keeps them in its kernel);
- fixed_unigram: Walker's alias table (DistributionSampler) over the weights `w ** distortion`
  (reserved ids weight 0; only the ids of `shard`), a float `RandFloat()` then `Uniform(n)`;
  p = weight / float32 running total;
- all: the classes `0..num_sampled-1`, every expected count 1; no word read.

The kernels run on the host in NumPy (they are sequential rejection loops of scalar steps, like
TensorFlow's own), so every result is a NumPy array; `draw_candidates` wraps them with
`jax.pure_callback` when the position is traced, so they also run inside `jax.jit`.
"""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from keyrng import _checks, _errors

SAMPLERS = ("uniform", "log_uniform", "learned_unigram", "fixed_unigram", "all")
_M0, _M1, _W0, _W1 = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85
_U32 = 0xFFFFFFFF
_INT32_MAX = 2**31 - 1
_F = np.float32


def sampler_blocks(num_sampled: int) -> int:
    """Blocks a candidate sampler reserves per call: ReserveSamples32(2048 * num_sampled), that is
    (2048 * num_sampled + 3) // 4 blocks."""
    return (2048 * num_sampled + 3) // 4


# --- the stream, as a SimplePhilox reads it ------------------------------------------------------

def philox_blocks(key: tuple[int, int], counter: int, count: int) -> np.ndarray:
    """`count` Philox4x32-10 blocks from the 128-bit `counter` on, as uint32 [count, 4] (NumPy).

    >>> [f"{int(w):08x}" for w in philox_blocks((0, 0), 0, 1)[0]]
    ['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']
    """
    low = np.uint64(counter & (2**64 - 1)) + np.arange(count, dtype=np.uint64)
    carry = (low < np.uint64(counter & (2**64 - 1))).astype(np.uint64)
    high = np.uint64(counter >> 64) + carry
    c = [low & np.uint64(_U32), low >> np.uint64(32), high & np.uint64(_U32), high >> np.uint64(32)]
    k0, k1 = np.uint64(key[0]), np.uint64(key[1])
    mask = np.uint64(_U32)
    for round_ in range(10):
        p0 = np.uint64(_M0) * c[0]
        p1 = np.uint64(_M1) * c[2]
        c = [(p1 >> np.uint64(32)) ^ c[1] ^ k0, p1 & mask, (p0 >> np.uint64(32)) ^ c[3] ^ k1, p0 & mask]
        if round_ < 9:
            k0, k1 = (k0 + np.uint64(_W0)) & mask, (k1 + np.uint64(_W1)) & mask
    return np.stack(c, -1).astype(np.uint32)


class Stream:
    """SimplePhilox over a PhiloxRandom at `(key, counter)`: the words in order, computed in
    chunks as they are needed."""

    def __init__(self, key: tuple[int, int], counter: int, expected_words: int = 64):
        self.key, self.counter = key, counter
        self.words = philox_blocks(key, counter, max(1, -(-expected_words // 4))).reshape(-1).tolist()
        self.read = 0

    def rand32(self) -> int:
        if self.read == len(self.words):
            blocks = len(self.words) // 4
            more = philox_blocks(self.key, self.counter + blocks, max(16, blocks))
            self.words.extend(more.reshape(-1).tolist())
        word = self.words[self.read]
        self.read += 1
        return word

    def rand64(self) -> int:
        low = self.rand32()
        return low | (self.rand32() << 32)

    def rand_float(self) -> np.float32:
        """Uint32ToFloat: 23 random mantissa bits, 1.0 subtracted."""
        bits = np.array(0x3F800000 | (self.rand32() & 0x7FFFFF), np.uint32)
        return bits.view(np.float32) - _F(1.0)

    def rand_double(self) -> float:
        """Uint64ToDouble: the first word's low 20 bits and the second word as the mantissa."""
        high = self.rand32() & 0xFFFFF
        low = self.rand32()
        bits = np.array((0x3FF << 52) | (high << 32) | low, np.uint64)
        return float(bits.view(np.float64)) - 1.0

    def uniform(self, n: int, bits: int = 32) -> int:
        """ExactUniformInt on 32-bit (Uniform) or 64-bit (Uniform64) samples."""
        draw = self.rand32 if bits == 32 else self.rand64
        if n == 0:
            draw()
            return 0
        if n & (n - 1) == 0:
            return draw() & (n - 1)
        rem = ((2**bits - 1) % n) + 1
        while True:
            value = draw()
            if value >= rem:
                return value % n


# --- glibc's float log1pf and expm1f (sysdeps/ieee754/flt-32, fdlibm) ----------------------------

def _bits(x: np.float32) -> int:
    return int(np.array(x, np.float32).view(np.int32))


def _from_bits(i: int) -> np.float32:
    return np.array(i & _U32, np.uint32).view(np.float32)[()]


_LN2_HI, _LN2_LO = _from_bits(0x3F317180), _from_bits(0x3717F7D1)
_LP = [_from_bits(w) for w in (0x3F2AAAAB, 0x3ECCCCCD, 0x3E924925, 0x3E638E29, 0x3E3A3325, 0x3E1CD04F,
                                0x3E178897)]


def log1pf(x) -> np.float32:
    """glibc's `log1pf` (fdlibm's s_log1pf.c), float32 step by step.

    >>> float(log1pf(np.float32(-0.5)))
    -0.6931471824645996
    """
    x = _F(x)
    hx = _bits(x)
    ax = hx & 0x7FFFFFFF
    k = 1
    f = c = _F(0.0)
    hu = 0
    with np.errstate(all="ignore"):
        if hx < 0x3ED413D7:
            if ax >= 0x3F800000:
                return _F(-np.inf) if x == _F(-1.0) else _F(np.nan)
            if ax < 0x31000000:
                if ax < 0x24800000:
                    return x
                return x - x * x * _F(0.5)
            if hx > 0 or hx <= -0x416A09E1:  # (int32)0xbe95f61f
                k, f, hu = 0, x, 1
        if hx >= 0x7F800000:
            return x + x
        if k != 0:
            if hx < 0x5A000000:
                u = _F(1.0) + x
                hu = _bits(u)
                k = (hu >> 23) - 127
                c = (_F(1.0) - (u - x)) if k > 0 else (x - (u - _F(1.0)))
                c = c / u
            else:
                u = x
                hu = _bits(u)
                k = (hu >> 23) - 127
                c = _F(0.0)
            hu &= 0x007FFFFF
            if hu < 0x3504F7:
                u = _from_bits(hu | 0x3F800000)
            else:
                k += 1
                u = _from_bits(hu | 0x3F000000)
                hu = (0x00800000 - hu) >> 2
            f = u - _F(1.0)
        kf = _F(k)
        hfsq = _F(0.5) * f * f
        if hu == 0:
            if f == _F(0.0):
                if k == 0:
                    return _F(0.0)
                c = c + kf * _LN2_LO
                return kf * _LN2_HI + c
            r = hfsq * (_F(1.0) - _F(0.66666666666666666) * f)
            if k == 0:
                return f - r
            return kf * _LN2_HI - ((r - (kf * _LN2_LO + c)) - f)
        s = f / (_F(2.0) + f)
        z = s * s
        r = z * (_LP[0] + z * (_LP[1] + z * (_LP[2] + z * (_LP[3] + z * (_LP[4] + z * (_LP[5] + z * _LP[6]))))))
        if k == 0:
            return f - (hfsq - s * (hfsq + r))
        return kf * _LN2_HI - ((hfsq - (s * (hfsq + r) + (kf * _LN2_LO + c))) - f)


_Q = [_from_bits(w) for w in (0xBD088889, 0x3AD00D01, 0xB8A670CD, 0x36867E54, 0xB457EDBB)]
_INVLN2 = _from_bits(0x3FB8AA3B)
_O_THRESHOLD = _from_bits(0x42B17180)


def expm1f(x) -> np.float32:
    """glibc's `expm1f` (fdlibm's s_expm1f.c), float32 step by step.

    >>> float(expm1f(np.float32(-1.0)))
    -0.6321205496788025
    """
    x = _F(x)
    one = _F(1.0)
    hx = _bits(x) & _U32
    xsb = hx & 0x80000000
    hx &= 0x7FFFFFFF
    c = _F(0.0)
    with np.errstate(all="ignore"):
        if hx >= 0x4195B844:
            if hx >= 0x42B17218:
                if hx > 0x7F800000:
                    return x + x
                if hx == 0x7F800000:
                    return x if xsb == 0 else _F(-1.0)
                if x > _O_THRESHOLD:
                    return _F(np.inf)
            if xsb != 0:
                return _F(1.0e-30) - one
        if hx > 0x3EB17218:
            if hx < 0x3F851592:
                if xsb == 0:
                    hi, lo, k = x - _LN2_HI, _LN2_LO, 1
                else:
                    hi, lo, k = x + _LN2_HI, -_LN2_LO, -1
            else:
                k = int(_INVLN2 * x + (_F(0.5) if xsb == 0 else _F(-0.5)))
                t = _F(k)
                hi = x - t * _LN2_HI
                lo = t * _LN2_LO
            x = hi - lo
            c = (hi - x) - lo
        elif hx < 0x33000000:
            return x
        else:
            k = 0
        hfx = _F(0.5) * x
        hxs = x * hfx
        r1 = one + hxs * (_Q[0] + hxs * (_Q[1] + hxs * (_Q[2] + hxs * (_Q[3] + hxs * _Q[4]))))
        t = _F(3.0) - r1 * hfx
        e = hxs * ((r1 - t) / (_F(6.0) - x * t))
        if k == 0:
            return x - (x * e - hxs)
        e = x * (e - c) - c
        e = e - hxs
        if k == -1:
            return _F(0.5) * (x - e) - _F(0.5)
        if k == 1:
            if x < _F(-0.25):
                return -_F(2.0) * (e - (x + _F(0.5)))
            return one + _F(2.0) * (x - e)
        if k <= -2 or k > 56:
            y = one - (e - x)
            y = _from_bits(_bits(y) + (k << 23))
            return y - one
        if k < 23:
            t = _from_bits(0x3F800000 - (0x1000000 >> k))
            y = t - (e - x)
        else:
            t = _from_bits((0x7F - k) << 23)
            y = x - (e + t)
            y = y + one
        return _from_bits(_bits(y) + (k << 23))


def expected_count(p: np.float32, batch_size: int, num_tries: int) -> np.float32:
    """ExpectedCountHelper: `p * batch_size` when every try was kept, else
    `-expm1f(num_tries * log1pf(-p))`, all in float32."""
    if num_tries == batch_size:
        return _F(p) * _F(batch_size)
    return -expm1f(_F(num_tries) * log1pf(-_F(p)))


# --- the samplers --------------------------------------------------------------------------------

class Sampler(NamedTuple):
    """A range sampler's fixed parameters (`learned_unigram`'s weights are given per call)."""
    kind: str
    range_max: int
    alias: tuple = ()          # fixed_unigram: (prob float32 array, alt int array, weights, total)


def _c_powf():
    """The C library's `powf`, as TensorFlow calls it (`std::pow(float, float)`), or None where
    no C math library can be loaded."""
    try:
        import ctypes
        import ctypes.util
        name = ctypes.util.find_library("m")
        if name is None:
            return None
        function = ctypes.CDLL(name).powf
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_float
    function.argtypes = [ctypes.c_float, ctypes.c_float]
    return function


_POWF = _c_powf()


def powf(x, y) -> np.float32:
    """`powf(x, y)` of the platform's C library (glibc's is not correctly rounded: it differs from
    the rounded double power on about 1 input in 1,300), or the float32 rounding of the double
    power where there is none. Exact powers (y = 0 or 1) are the same either way.

    >>> float(powf(np.float32(2.0), np.float32(0.5)))
    1.4142135381698608
    """
    x, y = _F(x), _F(y)
    if y == _F(1.0):  # pow(x, 1) is x, pow(x, 0) is 1 (also for NaN): exact in every libm
        return x
    if y == _F(0.0):
        return _F(1.0)
    if _POWF is not None:
        return _F(_POWF(float(x), float(y)))
    return _F(math.pow(float(x), float(y)))


def fixed_unigram_sampler(range_max: int, unigrams, distortion: float, num_reserved_ids: int,
                          num_shards: int, shard: int) -> Sampler:
    """FixedUnigramSampler's weights and DistributionSampler's alias table for `unigrams`.

    Weights: 0 for each reserved id of this shard, then `powf(w, distortion)` for each unigram of
    this shard (ids counted from num_reserved_ids); the total is a float32 running sum. `powf` is
    the platform C library's (see `powf`).
    """
    weights = [_F(0.0) for word_id in range(num_reserved_ids) if word_id % num_shards == shard]
    total = _F(0.0)
    word_id = len(weights)
    with np.errstate(all="ignore"):  # a float32 total may overflow to inf, as in C++
        for w in unigrams:
            if word_id % num_shards == shard:
                w = powf(w, distortion)
                total = total + w
                weights.append(w)
            word_id += 1
    return alias_sampler(range_max, weights, total)


def fixed_unigram_file_sampler(range_max: int, vocab_file: str, distortion: float, num_reserved_ids: int,
                               num_shards: int, shard: int):
    """FixedUnigramSampler of a vocabulary file (`read_vocab_file`): the Sampler, or the first
    bad line (bytes). Raises OSError when the file cannot be read."""
    weights = [_F(0.0) for word_id in range(num_reserved_ids) if word_id % num_shards == shard]
    values = read_vocab_file(vocab_file, len(weights), num_shards, shard)
    if isinstance(values, bytes):
        return values
    total = _F(0.0)
    with np.errstate(all="ignore"):  # a float32 total may overflow to inf, as in C++
        for w in values:
            w = powf(w, distortion)
            total = total + w
            weights.append(w)
    return alias_sampler(range_max, weights, total)


def alias_sampler(range_max: int, weights: list, total: np.float32) -> Sampler:
    """DistributionSampler's alias table over float32 `weights` (their float32 running `total`
    gives the probabilities)."""
    n = len(weights)
    total_double = 0.0
    for w in weights:
        total_double += float(w)
    with np.errstate(all="ignore"):  # IEEE division as in C++: a zero or infinite total gives inf / nan
        pr = [float(np.float64(w * _F(n)) / np.float64(total_double)) for w in weights]
    alt = [-1] * n
    high, low = [], []
    for i, p in enumerate(pr):
        (low if p < 1.0 else high).append(i)
    while high and low:
        small = low.pop()
        big = high.pop()
        alt[small] = big
        remaining = pr[big] - (1.0 - pr[small])
        pr[big] = remaining
        (low if remaining < 1.0 else high).append(big)
    prob = [_F(p) for p in pr]
    for idx in high + low:
        prob[idx] = _F(1.0)
        alt[idx] = idx
    return Sampler("fixed_unigram", range_max, (np.array(prob, np.float32), alt, np.array(weights, np.float32), total))


def _sample(sampler: Sampler, stream: Stream, picker) -> int:
    kind = sampler.kind
    if kind == "uniform":
        return stream.uniform(sampler.range_max, 64)
    if kind == "log_uniform":
        value = int(math.exp(stream.rand_double() * math.log1p(sampler.range_max))) - 1
        return value % sampler.range_max
    if kind == "learned_unigram":
        cumulative, total = picker
        if total == 0:
            return -1
        return int(np.searchsorted(cumulative, stream.uniform(total, 32), side="right"))
    prob, alt = sampler.alias[0], sampler.alias[1]
    r = stream.rand_float()
    idx = stream.uniform(len(alt), 32)
    return idx if r < prob[idx] else alt[idx]


def _probability(sampler: Sampler, value: int, weights) -> np.float32:
    kind = sampler.kind
    if kind == "uniform":
        return _F(1.0 / sampler.range_max)
    if kind == "log_uniform":
        return _F(math.log((value + 2.0) / (value + 1.0)) / math.log1p(sampler.range_max))
    if kind == "learned_unigram":
        return _F(weights[0][value]) / _F(weights[1])
    table_weights, total = sampler.alias[2], sampler.alias[3]
    if value < 0 or value >= len(table_weights):
        return _F(0.0)
    with np.errstate(all="ignore"):  # an infinite or zero total: inf / nan, as in C++
        return table_weights[value] / total


def sample_candidates(sampler: Sampler, key: tuple[int, int], counter: int, true_classes: np.ndarray,
                      num_sampled: int, unique: bool, weights: np.ndarray | None = None):
    """One call of the sampler op at position `(key, counter)`: `(sampled_candidates int64
    [num_sampled], true_expected_count float32 like true_classes, sampled_expected_count float32
    [num_sampled])` as NumPy arrays. `weights` (learned_unigram): the kernel's int weights before
    the call (`learned_unigram_update` gives them after)."""
    true_flat = [int(v) for v in np.asarray(true_classes).reshape(-1)]
    if sampler.kind == "all":
        return (np.arange(num_sampled, dtype=np.int64), np.ones(np.shape(true_classes), np.float32),
                np.ones([num_sampled], np.float32))
    stream = Stream(key, counter, 2 * num_sampled + 8)
    picker = None
    if sampler.kind == "learned_unigram":
        picker = (np.cumsum(weights, dtype=np.int64), int(weights.sum()))
    if unique:
        used: set[int] = set()
        picked: list[int] = []
        tries = 0
        while len(picked) < num_sampled:
            tries += 1
            value = _sample(sampler, stream, picker)
            if value not in used:
                used.add(value)
                picked.append(value)
    else:
        picked = [_sample(sampler, stream, picker) for _ in range(num_sampled)]
        tries = num_sampled
    table = None if weights is None else (weights, picker[1])
    counts: dict[float, np.float32] = {}  # one computation per distinct probability

    def count(value):
        p = _probability(sampler, value, table)
        key = float(p)
        if key not in counts:
            counts[key] = expected_count(p, num_sampled, tries)
        return counts[key]

    sampled = np.array([count(v) for v in picked], np.float32).reshape([num_sampled])
    true = np.array([count(v) for v in true_flat], np.float32).reshape(np.shape(true_classes))
    return np.array(picked, np.int64).reshape([num_sampled]), true, sampled


def learned_unigram_update(weights: np.ndarray, true_classes) -> np.ndarray:
    """The learned weights after a call: +1 for each true class in order, while the total stays
    within int32 (UnigramSampler::Update)."""
    weights = np.array(weights, np.int64)
    values = [int(v) for v in np.asarray(true_classes).reshape(-1)]
    count = min(len(values), _INT32_MAX - int(weights.sum()))
    for value in values[:max(count, 0)]:
        weights[value] += 1
    return weights


def learned_unigram_weights(range_max: int, true_classes, updates: int) -> np.ndarray:
    """The weights of a learned unigram kernel after `updates` calls that all had these
    `true_classes` (a node of a compiled function, whose true classes are constants): what
    `learned_unigram_update` gives applied `updates` times to all-ones weights, in closed form.

    >>> learned_unigram_weights(4, [[1, 1, 3]], 2).tolist()
    [1, 5, 1, 3]
    """
    values = [int(v) for v in np.asarray(true_classes).reshape(-1)]
    weights = np.ones([range_max], np.int64)
    if not values or updates <= 0:
        return weights
    counts = np.bincount(np.array(values, np.int64), minlength=range_max).astype(np.int64)
    full = min(updates, max(_INT32_MAX - range_max, 0) // len(values))
    weights += counts * full
    if updates > full:  # the update that reaches the int32 total adds only its first values
        for value in values[:max(_INT32_MAX - range_max - full * len(values), 0)]:
            weights[value] += 1
    return weights


# --- fixed_unigram's vocabulary file (FixedUnigramSampler::LoadFromFile) ---------------------------

def _c_strtof():
    """The C library's `strtof`, as TensorFlow's `strings::safe_strtof` calls it, or None."""
    try:
        import ctypes
        import ctypes.util
        name = ctypes.util.find_library("c")
        function = ctypes.CDLL(name).strtof
    except (OSError, AttributeError, TypeError):
        return None
    function.restype = ctypes.c_float
    function.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
    return function


_STRTOF = _c_strtof()
_SPACES = b" \t\n\v\f\r"  # absl::ascii_isspace, and strtof's leading spaces in the C locale
_PLAIN = re.compile(rb"[0-9]{1,7}")


def parse_float(text: bytes) -> np.float32 | None:
    """`strings::safe_strtof`: the C library's `strtof` on the whole field (leading spaces, hex
    floats, inf and nan as strtof reads them), trailing spaces allowed, anything else left over
    (or nothing read) a failure (None). Out-of-range values round as strtof rounds them.

    >>> parse_float(b" 2.5 "), parse_float(b"0x10"), parse_float(b"3x"), parse_float(b"")
    (np.float32(2.5), np.float32(16.0), None, None)
    """
    if not text:
        return None
    if _PLAIN.fullmatch(text):  # the common count: an int below 2**24, exact in float32 as in strtof
        return _F(int(text))
    if _STRTOF is not None:
        import ctypes
        buffer = ctypes.create_string_buffer(text, len(text) + 1)
        end = ctypes.c_void_p()
        value = _STRTOF(ctypes.addressof(buffer), ctypes.byref(end))
        used = (end.value or 0) - ctypes.addressof(buffer)
    else:  # no C library: Python's float syntax, rounded through double
        stripped = text.lstrip(_SPACES)
        body = stripped.rstrip(_SPACES)
        try:
            value = float.fromhex(body.decode()) if body.lower().lstrip(b"+-").startswith(b"0x") else float(body)
        except (ValueError, UnicodeDecodeError):
            return None
        with np.errstate(over="ignore"):
            value = np.float32(value)
        used = len(text) - (len(stripped) - len(body))
    if used == 0:
        return None
    while used < len(text) and text[used] in _SPACES:
        used += 1
    return _F(value) if used == len(text) else None


def read_vocab_file(path: str, start_id: int, num_shards: int, shard: int):
    """The weights of this shard in TensorFlow's vocabulary file, unpowered (float32), or the
    first bad line (bytes). `start_id` is the id of the first line: the number of reserved ids
    of this shard (FixedUnigramSampler starts at `weights_.size()`, not at num_reserved_ids).

    As FixedUnigramSampler::LoadFromFile reads it: lines end at `\\n` (a `\\r` before it is
    dropped; a last line without one counts); the fields are split at every comma and the
    last one is the weight (`parse_float`); an empty line is skipped and takes no id; only the
    lines of this shard are parsed, so a bad line of another shard is no error. Raises OSError
    when the file cannot be read."""
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    values: list = []
    word_id = start_id
    for line in lines:
        if line.endswith(b"\r"):
            line = line[:-1]
        if not line:
            continue
        if word_id % num_shards == shard:
            value = parse_float(line.split(b",")[-1])
            if value is None:
                return line
            values.append(value)
        word_id += 1
    return values


# --- argument checks -----------------------------------------------------------------------------

def _int_attr(function: str, argument: str, value: Any, low: int, high: int = 2**63) -> int:
    accepted = f"an int >= {low}" if high == 2**63 else f"an int in [{low}, {high})"
    return _checks.integer(function, argument, value, low, high, accepted)


def check_candidate_sampler(function: str, true_classes: Any, num_true: Any, num_sampled: Any,
                            unique: Any, range_max: Any, kind: str):
    """Canonical `(true_classes as int64 NumPy [batch, num_true], num_true, num_sampled, unique,
    range_max)`, or the error, under the kernel's rules: a matrix of num_true columns, values in
    [0, range_max), range_max > 0 (< 2**31 - 1 for the unigram samplers), num_sampled <= range_max
    when unique. Traced `true_classes` (an argument of a compiled function) stay traced, for
    every sampler but learned_unigram: their shape and dtype are checked, their values cannot be
    (`draw_candidates` gives NaN expected counts for values out of range)."""
    num_true = _int_attr(function, "num_true", num_true, 1, 2**31)
    num_sampled = _int_attr(function, "num_sampled", num_sampled, 1, 2**31)  # the op def: int >= 1
    if not isinstance(unique, (bool, np.bool_)):
        _errors.type_error(function, "unique", "a bool", unique)
    unique = bool(unique)
    if kind == "all":
        range_max = num_sampled
    else:
        high = _INT32_MAX if kind == "learned_unigram" else 2**63
        range_max = _int_attr(function, "range_max", range_max, 1, high)
    if isinstance(true_classes, jax.core.Tracer):  # inside a compiled function: its shape is checked now
        if kind == "learned_unigram":
            _errors.type_error(function, "true_classes", "an int array known at trace time", true_classes,
                               "The kernel learns from them between calls; make them inside the function.")
        if not jnp.issubdtype(true_classes.dtype, jnp.integer):
            _errors.type_error(function, "true_classes", "an int64 array of shape [batch, num_true]",
                               f"an array of dtype {true_classes.dtype}")
        if true_classes.ndim != 2 or true_classes.shape[1] != num_true:
            _errors.value_error(function, "true_classes", f"a matrix [batch, num_true = {num_true}]",
                                f"an array of shape {list(true_classes.shape)}")
        if unique and num_sampled > range_max:
            _errors.value_error(function, "num_sampled", f"at most range_max ({range_max}) when unique",
                                num_sampled)
        return true_classes, num_true, num_sampled, unique, range_max
    if isinstance(true_classes, (str, bytes, float)) or true_classes is None:
        _errors.type_error(function, "true_classes", "an int64 array of shape [batch, num_true]", true_classes)
    try:
        array = np.asarray(true_classes)
    except (TypeError, ValueError):
        _errors.type_error(function, "true_classes", "an int64 array of shape [batch, num_true]", true_classes)
    if array.size and array.dtype.kind not in "iu":
        _errors.type_error(function, "true_classes", "an int64 array of shape [batch, num_true]",
                           f"an array of dtype {array.dtype}")
    if array.ndim != 2:
        _errors.value_error(function, "true_classes", "a matrix [batch, num_true]",
                            f"an array of shape {list(array.shape)}")
    if array.shape[1] != num_true:
        _errors.value_error(function, "true_classes", f"a matrix with num_true = {num_true} columns",
                            f"an array of shape {list(array.shape)}")
    array = array.astype(np.int64)
    if unique and num_sampled > range_max:
        _errors.value_error(function, "num_sampled", f"at most range_max ({range_max}) when unique", num_sampled)
    if array.size and (array.min() < 0 or array.max() >= range_max):
        _errors.value_error(function, "true_classes", f"ints in [0, {range_max})", true_classes)
    return array, num_true, num_sampled, unique, range_max


def check_fixed_unigram_attrs(function: str, vocab_file: Any, distortion: Any, num_reserved_ids: Any,
                              num_shards: Any, shard: Any, unigrams: Any) -> tuple:
    """FixedUnigramCandidateSampler's attributes, canonical: `(vocab_file str, unigrams tuple of
    floats, distortion float, num_reserved_ids, num_shards, shard)`, or the error. Exactly one
    of `vocab_file` and `unigrams` must be given, as the kernel requires."""
    if vocab_file is None:
        vocab_file = ""
    if isinstance(vocab_file, bytes):
        vocab_file = vocab_file.decode("utf-8", "surrogateescape")
    if not isinstance(vocab_file, str):
        _errors.type_error(function, "vocab_file", "a str (a file name, or '' to pass unigrams)", vocab_file)
    try:
        values = tuple(float(np.float32(v)) for v in (np.asarray(unigrams, np.float64).reshape(-1)
                                                      if len(unigrams) else []))
    except (TypeError, ValueError):
        _errors.type_error(function, "unigrams", "a sequence of floats", unigrams)
    if not values and not vocab_file:
        _errors.value_error(function, "unigrams", "a non-empty sequence of floats when there is no vocab_file",
                            unigrams)
    if values and vocab_file:
        _errors.value_error(function, "vocab_file", "'' when unigrams are given (only one of the two)", vocab_file)
    if isinstance(distortion, (bool, str, bytes)) or not isinstance(distortion, (int, float, np.floating, np.integer)):
        _errors.type_error(function, "distortion", "a float", distortion)
    num_reserved_ids = _int_attr(function, "num_reserved_ids", num_reserved_ids, 0, 2**31)
    num_shards = _int_attr(function, "num_shards", num_shards, 1, 2**31)
    shard = _int_attr(function, "shard", shard, 0, num_shards)
    return vocab_file, values, float(distortion), num_reserved_ids, num_shards, shard


def fixed_unigram(function: str, range_max: int, vocab_file: str, unigrams: tuple, distortion: float,
                  num_reserved_ids: int, num_shards: int, shard: int) -> Sampler:
    """The FixedUnigramSampler of canonical attributes (`check_fixed_unigram_attrs`): its alias
    table over `unigrams`, or over the vocabulary file's weights (read now, `read_vocab_file`),
    or the kernel's error as ValueError: a file that cannot be read, a bad line, or `range_max`
    not the number of weights of this shard."""
    if vocab_file:
        try:
            sampler = fixed_unigram_file_sampler(range_max, vocab_file, distortion, num_reserved_ids, num_shards,
                                                 shard)
        except OSError as error:
            _errors.value_error(function, "vocab_file", "a readable vocabulary file", vocab_file,
                                f"Reading it failed: {error.strerror or error}.")
        if isinstance(sampler, bytes):
            _errors.value_error(function, "vocab_file", "a file of lines whose last comma-separated field is a "
                                "float", vocab_file, f"Wrong vocabulary format at line: {sampler!r}.")
    else:
        sampler = fixed_unigram_sampler(range_max, unigrams, distortion, num_reserved_ids, num_shards, shard)
    if len(sampler.alias[1]) != range_max:
        _errors.value_error(function, "range_max", f"the number of weights of this shard ({len(sampler.alias[1])})",
                            range_max)
    return sampler


def check_fixed_unigram(function: str, range_max: int, vocab_file: Any, distortion: Any, num_reserved_ids: Any,
                        num_shards: Any, shard: Any, unigrams: Any) -> Sampler:
    """The FixedUnigramSampler of these attributes (its alias table; a `vocab_file` is read now),
    or the error (`check_fixed_unigram_attrs`, then `fixed_unigram`)."""
    return fixed_unigram(function, range_max, *check_fixed_unigram_attrs(
        function, vocab_file, distortion, num_reserved_ids, num_shards, shard, unigrams))


# --- the draw ------------------------------------------------------------------------------------

def _position(words) -> tuple[tuple[int, int], int]:
    words = [int(w) for w in np.asarray(words, np.uint32).reshape(-1)]
    return (words[0], words[1]), words[2] | (words[3] << 32) | (words[4] << 64) | (words[5] << 96)


def draw_candidates(position_words, sampler: Sampler, true_classes: np.ndarray, num_sampled: int, unique: bool,
                    weights: np.ndarray | None = None):
    """The sampler op at a position given as six uint32 words (`keyrng.tf.key`'s data, a typed
    Philox key, or traced words inside `jax.jit`, where the host kernel runs as a
    `jax.pure_callback`). Returns `(sampled_candidates, true_expected_count,
    sampled_expected_count)`; candidates are int64 (computed under 64-bit mode). `weights`
    (learned_unigram): the kernel's weights, or a function of the 128-bit counter giving them.
    `true_classes` may be traced too (passed to the callback; see `check_candidate_sampler`)."""
    if isinstance(position_words, jax.Array) and jnp.issubdtype(position_words.dtype, jax.dtypes.prng_key):
        position_words = jax.random.key_data(position_words)

    def host(words, true_values=true_classes):
        key, counter = _position(words)
        kernel_weights = weights(counter) if callable(weights) else weights
        return sample_candidates(sampler, key, counter, true_values, num_sampled, unique, kernel_weights)

    traced_classes = isinstance(true_classes, jax.core.Tracer)
    if isinstance(position_words, jax.core.Tracer) or traced_classes:
        def host_words(words, *true_values):  # int64 candidates as two uint32 words: callbacks run with x64 off
            if true_values:  # traced true classes: values out of range have NaN expected counts
                values = np.asarray(true_values[0]).astype(np.int64)
                bad = (values < 0) | (values >= sampler.range_max)
                candidates, true, sampled = host(words, np.where(bad, 0, values))
                true = np.where(bad, np.float32(np.nan), true).astype(np.float32)
            else:
                candidates, true, sampled = host(words)
            bits = candidates.view(np.uint64)
            return ((bits & np.uint64(_U32)).astype(np.uint32), (bits >> np.uint64(32)).astype(np.uint32),
                    true, sampled)

        shapes = (jax.ShapeDtypeStruct((num_sampled,), jnp.uint32), jax.ShapeDtypeStruct((num_sampled,), jnp.uint32),
                  jax.ShapeDtypeStruct(true_classes.shape, jnp.float32),
                  jax.ShapeDtypeStruct((num_sampled,), jnp.float32))
        operands = (position_words, true_classes) if traced_classes else (position_words,)
        low, high, true, sampled = jax.pure_callback(host_words, shapes, *operands)
        with jax.enable_x64(True):
            candidates = jax.lax.bitcast_convert_type(low.astype(jnp.uint64) | (high.astype(jnp.uint64) << 32),
                                                      jnp.int64)
        return candidates, true, sampled
    candidates, true, sampled = host(np.asarray(position_words))
    with jax.enable_x64(True):
        return jnp.asarray(candidates, jnp.int64), jnp.asarray(true), jnp.asarray(sampled)


def draw_learned_unigram(position_words, range_max: int, true_classes: np.ndarray, num_sampled: int, unique: bool):
    """The learned unigram sampler's call at a position, in a kernel whose every call had these
    `true_classes` — a node of a compiled function (`compat.function`), where the true classes are
    constants: its counter's offset (the low 64 bits) is `runs * sampler_blocks(num_sampled)`,
    so its weights are `learned_unigram_weights(range_max, true_classes, runs)`. Eager or traced,
    like `draw_candidates`.

    >>> import keyrng
    >>> key = keyrng.tf_key(87654321, 5, 1 * sampler_blocks(3))   # the node's second run
    >>> draw_learned_unigram(key, 5, np.array([[2, 2]]), 3, False)[0].tolist()
    [0, 3, 4]
    """
    blocks = sampler_blocks(num_sampled)
    sampler = Sampler("learned_unigram", range_max)

    def weights(counter: int) -> np.ndarray:
        return learned_unigram_weights(range_max, true_classes, (counter % 2**64) // blocks)

    return draw_candidates(position_words, sampler, true_classes, num_sampled, unique, weights)
