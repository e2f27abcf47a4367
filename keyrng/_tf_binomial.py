"""TensorFlow's binomial kernel (random_binomial_op.cc) as a pure function of a Philox position.

On a Philox position this returns what TensorFlow 2.21's CPU kernel for StatelessRandomBinomial
(`tf.random.stateless_binomial`) and StatefulRandomBinomial (`tf.random.Generator.binomial`)
returns there, bit for bit:

- Layout: the output has shape `sample_shape + batch_shape`, `batch_shape` the broadcast shape of
  `counts` and `probs`. Element `(s, b)` (s the sample's row-major number in `sample_shape`, b the
  batch member's) has the kernel's index `i = b * samples + s`, and reads its own sub-stream: the
  Philox blocks from `position + 256*i` (BTRS) or `position + 42*i` (inversion). Nothing depends
  on TensorFlow's thread count.
- Regime per batch member, decided in the parameters' dtype T (float16, float32 or float64):
  `count <= 0` or `p <= 0` gives 0; `p >= 1` gives `count`; `p <= 0.5` samples with p and
  `p > 0.5` gives `count - X(q)` with `q = 1 - p` (rounded in T); `count * p >= 10` (in T) picks
  BTRS, otherwise inversion; a NaN p gives NaN. The sampling itself is in float64.
- Uniforms: float64 from two words (the first word the high 20 mantissa bits); a block makes two,
  and the kernel takes the second one first.
- Inversion: `num` geometric draws `ceil(log(u) / log1p(-p))` until their sum exceeds count.
- BTRS (Hormann's transformed rejection, TensorFlow's variant): u = the block's second value,
  v = its first, per block; `stirling_approx_tail` from a table for k <= 9.
- The result is converted to the output dtype as C++'s `static_cast` does (float16 through float32).

Math: glibc's float64 `log` (`keyrng._libm.log`, exact on positive inputs) and `log1p`
(`keyrng._libm64.log1p`), with every product rounded before it is added (no FMA), as
TensorFlow's build computes. Everything runs in float64 inside `jax.enable_x64(True)`, so it also
works, exactly, with jax's 64-bit mode off.

Binomial draws need a Philox key (or raw position words); a threefry key is refused.
"""

from __future__ import annotations

import math
import warnings
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keyrng import _checks, _errors, _impl, _libm, _libm64, _philox, _tf_kernels

PARAM_DTYPES = ("float16", "float32", "float64")
OUTPUT_DTYPES = ("float16", "float32", "float64", "int32", "int64")
MAX_ROUNDS = 1 << 14  # blocks per element at most (TensorFlow loops forever on a NaN or infinite count)

_TAIL = np.array([0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509,
                  0.0166446911898211, 0.0138761288230707, 0.0118967099458917, 0.0104112652619720,
                  0.00925546218271273, 0.00833056343336287])


# --- checks ----------------------------------------------------------------------------------------

def _param(function: str, argument: str, value: Any, hint: str | None):
    """`value` as TensorFlow's `convert_to_tensor(value, dtype_hint=hint)` makes it: arrays and NumPy
    numbers keep their dtype; Python numbers and lists take `hint` when they fit it (else float32
    for floats, int32 for ints)."""
    accepted = "a float array (float16, float32 or float64) or a real number"
    if isinstance(value, (str, bytes)) or value is None:
        _errors.type_error(function, argument, accepted, value)
    if isinstance(value, jax.Array):
        if jnp.issubdtype(value.dtype, jax.dtypes.prng_key):
            _errors.type_error(function, argument, accepted, value)
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                array = np.asarray(value)
        except (TypeError, ValueError, OverflowError, Warning):
            _errors.type_error(function, argument, accepted, value)
        if array.dtype.kind == "f":
            array = array.astype(hint if hint in PARAM_DTYPES else "float32")
        elif array.dtype.kind in "iu" and array.dtype != object:
            array = array.astype(hint) if hint in PARAM_DTYPES else array.astype("int32")
    if array.dtype.kind not in "biuf":
        _errors.type_error(function, argument, accepted, value)
    with jax.enable_x64(array.dtype.itemsize == 8):
        return jnp.asarray(array)


def check_binomial(function: str, shape: Any, counts: Any, probs: Any, dtype: Any, hinted: bool = True,
                   dtype_argument: str = "dtype"):
    """Canonical `(shape, counts, probs, dtype name)` for the binomial kernel, or the error.

    `hinted`: `tf.random.stateless_binomial`'s conversions (probs with a float32 hint, counts
    with the hint of probs' dtype); False: `Generator.binomial`'s (no hints: a Python int is
    int32, which the kernel refuses). `counts` and `probs` must have one float dtype, broadcast
    together, and `shape` must end with their broadcast shape.
    """
    shape = _checks.shape(function, shape)
    probs = _param(function, "probs", probs, "float32" if hinted else None)
    counts = _param(function, "counts", counts, probs.dtype.name if hinted else None)
    if hinted and probs.dtype.name in PARAM_DTYPES and counts.dtype != probs.dtype \
            and counts.dtype.kind in "biuf":
        # tf.random.stateless_binomial accepts counts of another dtype (an int32 or float64
        # array with float32 probs: recorded, tests/data/tf_binomial_*); they count in probs' dtype.
        with jax.enable_x64(probs.dtype.itemsize == 8):
            counts = counts.astype(probs.dtype)
    for argument, value in (("probs", probs), ("counts", counts)):
        if value.dtype.name not in PARAM_DTYPES:
            _errors.type_error(function, argument, "a float16, float32 or float64 array",
                               f"an array of dtype {value.dtype.name}")
    if counts.dtype != probs.dtype:
        _errors.type_error(function, "counts", f"of the dtype of probs ({probs.dtype.name})",
                           f"an array of dtype {counts.dtype.name}")
    try:
        batch = np.broadcast_shapes(counts.shape, probs.shape)
    except ValueError:
        _errors.value_error(function, "probs", f"an array that broadcasts with counts' shape {counts.shape}",
                            f"an array of shape {probs.shape}")
    if len(batch) > len(shape) or tuple(shape[len(shape) - len(batch):]) != tuple(batch):
        _errors.value_error(function, "shape", f"a shape that ends with the broadcast shape {list(batch)} "
                            "of counts and probs", list(shape))
    dtype = _checks.dtype_name(function, "int32" if dtype is None else dtype, OUTPUT_DTYPES, dtype_argument)
    return shape, counts, probs, dtype


def binomial_blocks(shape, batch_ndim: int) -> int:
    """How far Generator.binomial moves the generator, in units of 256 blocks (RngReadAndSkip's
    count): `num_batches * 2 * 100 * (samples_per_batch + 3) / 4` (integer division)."""
    num_batches = math.prod(shape[len(shape) - batch_ndim:])
    samples = math.prod(shape[:len(shape) - batch_ndim])
    return num_batches * 2 * 100 * (samples + 3) // 4


# --- kernel ----------------------------------------------------------------------------------------

def _zero64(word):
    """A uint64 zero that neither XLA nor LLVM can prove to be zero (from a Philox word)."""
    return _tf_kernels.opaque_false(word).astype(jnp.uint64)


def _r(v, zero):
    """`v`, rounded: hidden from LLVM's contraction of `a*b + c` into one FMA."""
    return _libm._opaque(v, zero)


def _unit_doubles(block):
    """The two float64 uniforms of a block, in the order the kernel takes them (second first)."""
    w0, w1, w2, w3 = block

    def unit(hi, lo):
        mantissa = ((hi & jnp.uint32(0xFFFFF)).astype(jnp.uint64) << np.uint64(32)) | lo.astype(jnp.uint64)
        return mantissa.astype(jnp.float64) * jnp.float64(2.0**-52)
    return unit(w2, w3), unit(w0, w1)


def _tail(k, zero):
    """stirling_approx_tail(k) in float64."""
    small = jnp.take(jnp.asarray(_TAIL), jnp.clip(k, 0, 9).astype(jnp.int32), mode="clip")
    kp1 = k + 1.0
    kp1sq = kp1 * kp1
    big = (1.0 / 12 - (1.0 / 360 - (1.0 / 1260) / kp1sq) / kp1sq) / kp1
    return jnp.where(k <= 9, small, big)


def _prepare(xp, counts, probs, shape):
    """Per output element, in output order (flat): the count and the probability in float64,
    whether BTRS samples it, whether it is `count - X(q)`, a code (0 sampled, 1 zero, 2 count,
    3 NaN) and the kernel's index `batch * samples + sample`. `xp` is numpy (concrete
    parameters) or jax.numpy (traced ones); both round float16/float32 arithmetic as Eigen does."""
    batch_shape = np.broadcast_shapes(counts.shape, probs.shape)
    nb = math.prod(batch_shape)
    spb = math.prod(shape[:len(shape) - len(batch_shape)])
    tdt = probs.dtype
    count_t = xp.broadcast_to(counts, batch_shape).reshape(1, nb)
    prob_t = xp.broadcast_to(probs, batch_shape).reshape(1, nb)
    dcount = count_t.astype(np.float64)
    upper = prob_t > xp.asarray(0.5, tdt)
    q_t = (xp.asarray(1, tdt) - prob_t).astype(tdt)
    p_use = xp.where(upper, q_t, prob_t)
    big = (count_t * p_use).astype(tdt) >= xp.asarray(10, tdt)
    is_zero = (dcount <= 0.0) | (prob_t <= xp.asarray(0, tdt))
    is_one = ~is_zero & (prob_t >= xp.asarray(1, tdt))
    is_nan = ~is_zero & ~is_one & (prob_t != prob_t)
    code = xp.where(is_zero, 1, xp.where(is_one, 2, xp.where(is_nan, 3, 0))).astype(np.int32)
    index = (np.arange(nb, dtype=np.uint32)[None, :] * np.uint32(spb)
             + np.arange(spb, dtype=np.uint32)[:, None]).reshape(-1)
    flat = [xp.broadcast_to(v, (spb, nb)).reshape(-1)
            for v in (dcount, p_use.astype(np.float64), big, upper, code)]
    return (*flat, index)


def _sample_flat(key, counter, dcount, dp, big, active, index):
    """The float64 samples X (before `count - X` and the special cases) of flat elements;
    inactive ones are left at 0. Call it with 64-bit types enabled."""
    zero = _zero64(key[0] ^ counter[0] ^ counter[2])
    shape = dcount.shape
    stride = jnp.where(big, jnp.uint32(256), jnp.uint32(42))
    low = index * stride
    high = _philox.mulhi(index, stride)
    zeros = jnp.zeros_like(low)
    base = _philox.add(tuple(jnp.broadcast_to(c, shape) for c in counter), (low, high, zeros, zeros))
    key_b = tuple(jnp.broadcast_to(k, shape) for k in key)

    log_q = _libm64.log1p(-jnp.where(active & ~big, dp, 0.25))
    p_b = jnp.where(big & active, dp, 0.25)
    n_b = jnp.where(big & active, dcount, 100.0)
    stddev = jnp.sqrt(_r(n_b * p_b, zero) * (1 - p_b))
    b = 1.15 + _r(2.53 * stddev, zero)
    a = (-0.0873 + _r(0.0248 * b, zero)) + _r(0.01 * p_b, zero)
    c = _r(n_b * p_b, zero) + 0.5
    v_r = 0.92 - 4.2 / b
    r = p_b / (1 - p_b)
    alpha = _r((2.83 + 5.1 / b) * stddev, zero)
    m = jnp.floor(_r((n_b + 1) * p_b, zero))
    t1 = _r((m + 0.5) * _libm.log((m + 1) / _r(r * (n_b - m + 1), zero)), zero)
    params = (*key_b, *base, dcount, big, log_q, n_b, a, b, c, v_r, r, alpha, m, t1,
              _tail(m, zero), _tail(n_b - m, zero))

    def body(params, state):
        (k0, k1, b0, b1, b2, b3, dcount, big, log_q, n_b, a, b, c, v_r, r, alpha, m, t1,
         tail_m, tail_nm) = params
        j, done, result, total, num = state
        block = _philox.block((k0, k1), _philox.add_small((b0, b1, b2, b3), j))
        first, second = _unit_doubles(block)
        # BTRS on (first, second); inversion on first, then second. One log call for all five.
        u = first - 0.5
        us = 0.5 - jnp.abs(u)
        k = jnp.floor(_r(((2 * a) / us + b) * u, zero) + c)
        quick = (us >= 0.07) & (second <= v_r)
        valid = ~((k < 0) | (k > n_b))
        kk = jnp.where(valid, k, 0.0)
        logs = _libm.log(jnp.stack([
            _r(second * alpha, zero) / (a / _r(us * us, zero) + b),
            (n_b - m + 1) / (n_b - kk + 1),
            _r(r * (n_b - kk + 1), zero) / (kk + 1),
            first, second]))
        t2 = _r((n_b + 1) * logs[1], zero)
        t3 = _r((kk + 0.5) * logs[2], zero)
        bound = (((((t1 + t2) + t3) + tail_m) + tail_nm) - _tail(kk, zero)) - _tail(n_b - kk, zero)
        accept = quick | (valid & (logs[0] <= bound))
        btrs_done = done | accept
        btrs_result = jnp.where(done, result, k)
        t, n, d = total, num, done
        for lu in (logs[3], logs[4]):
            geom = jnp.ceil(lu / log_q)
            t = jnp.where(d, t, t + geom)
            stop = ~d & (t > dcount)
            n = jnp.where(d | stop, n, n + 1.0)
            d = d | stop
        result = jnp.where(big, btrs_result, jnp.where(d, n, result))
        return (j + jnp.uint32(1), jnp.where(big, btrs_done, d), result,
                jnp.where(big, total, t), jnp.where(big, num, n))

    def run(params, state, rounds):
        return lax.while_loop(lambda st: jnp.any(~st[1]) & (st[0] < jnp.uint32(rounds)),
                              partial(body, params), state)

    zeros_f = jnp.zeros(shape, jnp.float64)
    state = (jnp.uint32(0), ~active, zeros_f, zeros_f, zeros_f)
    size = shape[0]
    room = size // 8 + 64
    if size <= 2 * room:  # small: one loop over everything
        return run(params, state, MAX_ROUNDS)[2]
    # Large: a few rounds over everything (most elements finish), then the rest gathered into a
    # buffer of `room` elements (or, if more remain, everything again).
    state = run(params, state, _FIRST_ROUNDS)
    remaining = ~state[1]

    def compacted(state):
        j, done, result, total, num = state
        idx = jnp.nonzero(remaining, size=room, fill_value=0)[0]
        slot_used = jnp.arange(room) < jnp.sum(remaining)
        sub = (j, ~slot_used, result[idx], total[idx], num[idx])
        sub = run(tuple(p[idx] for p in params), sub, MAX_ROUNDS)
        return result.at[jnp.where(slot_used, idx, size)].set(sub[2], mode="drop")

    def everything(state):
        return run(params, state, MAX_ROUNDS)[2]

    return lax.cond(jnp.sum(remaining) <= room, compacted, everything, state)


_FIRST_ROUNDS = 8  # BTRS accepts ~80% per round; inversion needs about (n*p + 1) / 2 rounds


@jax.jit
def _sample_flat_philox(key, dcount, dp, big, active, index):
    with jax.enable_x64(True):
        words, counter = _impl.position_words(key)
        return _sample_flat(words, counter, dcount, dp, big, active, index)


def _finish(xp, x, dcount, upper, code, shape, dtype):
    x = xp.where(upper, dcount - x, x)
    x = xp.where(code == 1, 0.0, xp.where(code == 2, dcount, xp.where(code == 3, np.nan, x)))
    x = x.reshape(shape)
    if dtype == "float16":
        return x.astype(np.float32).astype(np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NaN to int: C++'s static_cast is undefined there too
        return x.astype(dtype)


def _bucket(n: int) -> int:
    """Eager calls run the kernel on 256 or 4096 elements, or a power of two above (few
    compilations for small calls, at most twice the work for large ones)."""
    if n <= 256:
        return 256
    if n <= 4096:
        return 4096
    return 1 << (n - 1).bit_length()


def binomial_words(key, counter, counts, probs, shape, dtype: str):
    """The kernel on position words: `shape` samples for `counts`, `probs` (one float dtype, their
    broadcast shape the tail of `shape`), as `dtype`. Call it with 64-bit types enabled."""
    dcount, dp, big, upper, code, index = _prepare(jnp, counts, probs, shape)
    x = _sample_flat(key, counter, dcount, dp, big, code == 0, jnp.asarray(index))
    return _finish(jnp, x, dcount, upper, code, shape, dtype)


@partial(jax.jit, static_argnames=("shape", "dtype"))
def _binomial_philox(key, counts, probs, *, shape, dtype):
    with jax.enable_x64(True):
        words, counter = _impl.position_words(key)
        return binomial_words(words, counter, counts, probs, shape, dtype)


def _concrete(*values) -> bool:
    return not any(isinstance(v, jax.core.Tracer) for v in values)


def draw_binomial(key, shape, counts, probs, dtype: str) -> jax.Array:
    """`binomial` after its checks; `key` may be a Philox key's raw uint32[6] data.

    Concrete arguments run one kernel compiled per size (`_bucket`) (the parameters prepared
    and the results finished with NumPy); traced ones are computed in the caller's trace."""
    wide = dtype in ("int64", "float64")
    if math.prod(shape) == 0:
        with jax.enable_x64(wide):
            return jnp.zeros(shape, dtype)
    if not _impl.draws_philox(key):
        _errors.value_error("keyrng.tf.binomial", "key", "a Philox key (TensorFlow's binomial kernel)", key)
    if not _concrete(key, counts, probs):
        with jax.enable_x64(True):
            return _binomial_philox(key, counts, probs, shape=tuple(shape), dtype=dtype)
    counts, probs = np.asarray(counts), np.asarray(probs)
    dcount, dp, big, upper, code, index = _prepare(np, counts, probs, shape)
    n = dcount.shape[0]
    size = _bucket(n)
    pad = size - n
    active = code == 0
    words = np.asarray(jax.random.key_data(key) if _impl.is_key(key) else key, np.uint32)
    with jax.enable_x64(True):
        x = _sample_flat_philox(words, np.pad(dcount, (0, pad)), np.pad(dp, (0, pad)), np.pad(big, (0, pad)),
                                np.pad(active, (0, pad)), np.pad(index, (0, pad)))
        out = _finish(np, np.asarray(x)[:n], dcount, upper, code, shape, dtype)
    with jax.enable_x64(wide):
        return jnp.asarray(out)


def binomial(key: jax.Array, shape, counts, probs, dtype="int32") -> jax.Array:
    """Binomial samples of `shape` for `counts` trials with success probability `probs`.

    On a Philox key: TensorFlow's StatelessRandomBinomial kernel at the key's position, so
    `tf.random.stateless_binomial(shape, seed, counts, probs)` is
    `keyrng.tf.binomial(keyrng.tf_stateless_key(seed), shape, counts, probs)`.

    >>> import keyrng
    >>> keyrng.tf.binomial(keyrng.tf_stateless_key([123, 456]), [2], [10., 20.], 0.8)  # doctest: +SKIP
    Array([ 5, 16], dtype=int32)
    """
    from keyrng import _keys
    _keys.check_key("keyrng.tf.binomial", key)
    shape, counts, probs, dtype = check_binomial("keyrng.tf.binomial", shape, counts, probs, dtype)
    return draw_binomial(key, shape, counts, probs, dtype)
