"""TensorFlow's gamma and Poisson kernels as pure functions of a Philox position.

On a Philox key each function returns what TensorFlow 2.21's CPU kernel returns when its
generator sits at the key's position:

- `gamma`: RandomGamma (tf.random.gamma) and StatelessRandomGammaV2/V3 (tf.random.stateless_gamma),
  random_gamma_op.cc / stateless_random_gamma_op.cc: Marsaglia-Tsang in float64, whatever the
  output dtype. Sample `s` of alpha `i` is output number `o = i * samples_per_alpha + s` and reads
  its own stretch of the stream, the blocks from `counter + 256 * o` on (`kReservedSamplesPerOutput`),
  so earlier values never depend on the size of the call. It is written to
  `output[s * num_alphas + i]` (alphas vary fastest). Per attempt: a standard normal `x` from a
  buffer of two (BoxMullerDouble on one block, handed out last-first), `v = (1 + c x)^3`
  (rejected at once if `1 + c x <= 0`), a uniform `u` from a second buffer of two float64s
  (`((w0 & 0xFFFFF) << 32 | w1) * 2^-52`, last-first); accept if
  `u < 1 - 0.0331 x^4` or `log u < x^2 / 2 + d (1 - v + log v)`, giving `d v`; for alpha < 1
  (`d = alpha + 2/3`) one more uniform `b` scales it by `pow(b, 1 / alpha)`. Alpha exactly 1 is
  an exponential from one block: `-log1p(-u)`, u the block's second double. The float64 result is rounded to the output dtype
  (through float32 for float16, as Eigen's conversion does).
- `poisson`: RandomPoissonV2 (tf.random.poisson) and StatelessRandomPoisson
  (tf.random.stateless_poisson), random_poisson_op.cc, in float64 whatever the rate's and
  output's dtypes, the same per-output stretches and layout (rates vary fastest). Rate < 10:
  Knuth, multiplying uniforms (two per block, last-first) until the product is <= exp(-rate).
  Otherwise Hormann's transformed rejection, one block per attempt (u from its second double,
  v from its first), with `log` and `lgamma` in the acceptance test; a candidate above the
  output type's largest value is rejected.

How far the stateful kernels move TensorFlow's counter: `256 * outputs` blocks (none for an empty
`shape`). The transcendental functions are glibc 2.36's, bit for bit: `log` and `sincos` from
`_libm`, `log1p`, `exp` and `lgamma` from `_libm64`; `pow` is XLA's float64 power, which calls the
C library's `pow` (tests/test_gamma.py compares it with glibc's on many inputs) except that
XLA:CPU flushes subnormal results to zero: a float64 gamma sample below 2^-1022 is 0 here where
TensorFlow keeps the subnormal, which shows only in float64 outputs whose beta is small enough
to bring the quotient back above 2^-1022 (TensorFlow's `maximum(tiny, x / beta)` hides it
otherwise; float32 and float16 outputs never see it). Everything runs
in float64 inside `jax.enable_x64(True)`, so float32 and half outputs work with jax's 64-bit
mode off.

On a threefry key they fall back to `jax.random.gamma` / `jax.random.poisson` (same shapes and
dtypes, different numbers).
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

from keyrng import _bits, _checks, _errors, _impl, _libm, _libm64, _philox, _tf_kernels

RESERVED_BLOCKS = 256  # kReservedSamplesPerOutput: blocks of the stream per output
GAMMA_DTYPES = ("float16", "float32", "float64")  # TensorFlow's gamma kernels have no bfloat16
POISSON_DTYPES = ("float16", "float32", "float64", "int32", "int64")
RATE_DTYPES = ("float16", "float32", "float64", "int32", "int64")
_HIGHEST = {"float16": 65504.0, "bfloat16": 3.3895313892515355e38, "float32": 3.4028234663852886e38,
            "float64": 1.7976931348623157e308, "int32": 2147483647.0, "int64": 9.223372036854775807e18}


def blocks_used(outputs: int) -> int:
    """How far a stateful gamma or Poisson call moves TensorFlow's counter for `outputs` values
    (`ReserveRandomOutputs(outputs, 256)`)."""
    return RESERVED_BLOCKS * outputs


# --- the per-output streams ----------------------------------------------------------------------

def _stream_counters(counter, count: int):
    """The first counter of each output's stretch: `counter + 256 * o` for o in [0, count)."""
    index = jnp.arange(count, dtype=jnp.uint32)
    return _philox.add(tuple(jnp.asarray(c, jnp.uint32) for c in counter),
                       _philox.multiply((index,), RESERVED_BLOCKS))


def _block_at(key, starts, offset):
    """Block `offset` (uint32 per output) of every output's stretch."""
    return _philox.block(key, _philox.add_small(starts, offset))


def _doubles(w):
    """UniformDistribution<double>: a block as two float64s in [0, 1)."""
    return _bits.to_unit_double(w[0], w[1]), _bits.to_unit_double(w[2], w[3])


def _zero(x):
    """A runtime uint64 zero for `_libm._opaque` (the sign bit for NaN inputs)."""
    return lax.convert_element_type(x != x, jnp.uint64) << np.uint64(63)


def _hide(v):
    """`v` unchanged but opaque to XLA: keeps a product out of a fused multiply-add (TensorFlow's
    CPU kernels are built without FMA contraction) and stops algebraic rewrites."""
    return _libm._opaque(v, _zero(v))


def _to_output(values, dtype: str):
    """static_cast<T>(double): direct for float32/float64/ints, through float32 for half types."""
    if dtype == "float16":
        return values.astype(jnp.float32).astype(dtype)
    return values.astype(dtype)


def _when(needed, compute, otherwise):
    """`compute(None)` if `needed` (a traced bool) else `otherwise`, as a conditional, so a loop
    step skips work no output needs (under vmap both run, as a select)."""
    return lax.cond(needed, compute, lambda _: otherwise, None)


def _layout(values, rows: int, columns: int, shape):
    """Values in output-number order (`rows` parameters x `columns` samples) to the output shape,
    where the parameter varies fastest."""
    return values.reshape(rows, columns).T.reshape(shape)


# --- gamma ---------------------------------------------------------------------------------------

def _gamma_values(key, counter, alpha, samples: int):
    """Float64 gamma samples in output-number order for float64 `alpha` (one per parameter, each
    repeated `samples` times).

    Each loop step takes one value from a buffer (refilling it from the next block when empty),
    so a step reads at most one block: the normal `x` (phase 0), the uniform `u` of the test
    (phase 1), the boost's uniform `b` (phase 2) or alpha == 1's uniform (phase 3)."""
    count = alpha.shape[0] * samples
    alpha = jnp.repeat(alpha, samples) if samples > 1 else alpha
    starts = _stream_counters(counter, count)
    below_one = alpha < 1.0
    d = alpha + jnp.where(below_one, 2.0 / 3, -1.0 / 3)
    c = (1.0 / 3) / _hide(jnp.sqrt(d))
    inv_alpha = 1.0 / alpha
    zeros = jnp.zeros((count,), jnp.float64)
    izeros = jnp.zeros((count,), jnp.int32)

    def step(state):
        j, phase, nrem, n0, n1, urem, u0, u1, x, v, done, out = state
        active = ~done
        wants_normal = phase == 0
        refill = active & jnp.where(wants_normal, nrem == 0, urem == 0)
        block = _block_at(key, starts, j)
        j = j + refill.astype(jnp.uint32)
        r0, r1 = _doubles(block)
        normal_refill = refill & wants_normal
        uniform_refill = refill & ~wants_normal
        g0, g1 = _when(jnp.any(normal_refill), lambda _: _tf_kernels.box_muller_double(*block), (n0, n1))
        n0, n1 = jnp.where(normal_refill, g0, n0), jnp.where(normal_refill, g1, n1)
        u0, u1 = jnp.where(uniform_refill, r0, u0), jnp.where(uniform_refill, r1, u1)
        nrem = jnp.where(normal_refill, 2, nrem) - (active & wants_normal).astype(jnp.int32)
        urem = jnp.where(uniform_refill, 2, urem) - (active & ~wants_normal).astype(jnp.int32)
        value_n = jnp.where(nrem == 1, n1, n0)
        value_u = jnp.where(urem == 1, u1, u0)
        # phase 0: x and v = (1 + c x)^3, rejected at once if 1 + c x <= 0
        first = 1.0 + _hide(c * value_n)
        in0 = active & (phase == 0)
        x = jnp.where(in0, value_n, x)
        v = jnp.where(in0, first * first * first, v)
        phase = jnp.where(in0 & ~(first <= 0.0), 1, phase)
        # phase 1: the squeeze and the log test
        in1 = active & (phase == 1) & ~in0
        xx = x * x
        squeeze = value_u < 1.0 - _hide(_hide(0.0331 * xx) * xx)
        testing = in1 & ~squeeze

        def log_test(_):
            return testing & (_libm.log(value_u) < _hide(_hide(0.5 * x) * x)
                              + _hide(d * ((1.0 - v) + _libm.log(v))))

        accept = (in1 & squeeze) | _when(jnp.any(testing), log_test, testing)
        finished = accept & ~below_one
        out = jnp.where(finished, d * v, out)
        phase = jnp.where(in1, jnp.where(accept, 2, 0), phase)
        # phase 2: the boost of alpha < 1
        in2 = active & (phase == 2) & ~in1
        boosted = in2
        out = _when(jnp.any(boosted), lambda _: jnp.where(boosted, (d * v) * jnp.power(value_u, inv_alpha), out), out)
        # phase 3: alpha == 1, an exponential
        in3 = active & (phase == 3)
        out = _when(jnp.any(in3), lambda _: jnp.where(in3, -_libm64.log1p(-value_u), out), out)
        return j, phase, nrem, n0, n1, urem, u0, u1, x, v, done | finished | boosted | in3, out

    phase = jnp.where(alpha == 1.0, 3, 0).astype(jnp.int32)
    state = (jnp.zeros((count,), jnp.uint32), phase, izeros, zeros, zeros, izeros, zeros, zeros, zeros,
             zeros, jnp.zeros((count,), bool), zeros)
    return lax.while_loop(lambda s: ~jnp.all(s[10]), step, state)[11]


def _bucket(count: int) -> int:
    """Kernels are compiled for a power-of-two number of outputs (at least 16), so calls of other
    sizes reuse them; the extra outputs compute the cheapest parameter and are dropped."""
    return max(16, 1 << (count - 1).bit_length())


@partial(jax.jit, static_argnames=("samples",))
def _gamma_kernel(key, alpha, *, samples):
    (k0, k1), counter = _impl.position_words(key)
    with jax.enable_x64(True):
        return _gamma_values((k0, k1), counter, alpha, samples)


@partial(jax.jit, static_argnames=("samples", "fill"))
def _per_output(params, *, samples: int, fill: float):
    """One float64 parameter per output (each parameter `samples` times, in output-number
    order), padded with `fill` to the kernel's size."""
    params = params.astype(jnp.float64).reshape(-1)
    count = params.shape[0] * samples
    values = jnp.repeat(params, samples)
    size = _bucket(count)
    return values if size == count else jnp.concatenate([values, jnp.full((size - count,), fill, jnp.float64)])


@partial(jax.jit, static_argnames=("rows", "samples", "shape", "dtype"))
def _arrange(values, *, rows: int, samples: int, shape, dtype: str):
    """The kernel's values (output-number order, padded) as the output array."""
    return _layout(_to_output(values[:rows * samples], dtype), rows, samples, shape)


def _raw(key):
    """A Philox key's raw uint32[6] data (the kernels are compiled for raw data only)."""
    return jax.random.key_data(key) if _impl.is_key(key) else jnp.asarray(key, jnp.uint32)


def _gamma_philox(key, alpha, shape, samples: int, dtype: str):
    key = _raw(key)
    with jax.enable_x64(True):
        rows = math.prod(alpha.shape)
        values = _gamma_kernel(key, _per_output(jnp.asarray(alpha), samples=samples, fill=1.0), samples=1)
        return _arrange(values, rows=rows, samples=samples, shape=shape, dtype=dtype)


def draw_gamma(key, shape, alpha, dtype: str) -> jax.Array:
    """Gamma(alpha, 1) samples of `shape` (which ends with `alpha`'s shape) after the checks
    (`check_gamma`), before TensorFlow's Python step (`finish_gamma`). `key` may be a Philox key's
    raw uint32[6] data. Needs no 64-bit mode for float32 and float16."""
    shape = tuple(shape)
    size = math.prod(shape)
    alphas = math.prod(alpha.shape)
    if size == 0:
        return jnp.zeros(shape, dtype)
    samples = size // alphas
    if _impl.draws_philox(key):
        return _gamma_philox(key, alpha, shape, samples, dtype)
    return jax.random.gamma(key, jnp.asarray(alpha, dtype), shape, dtype)


def check_gamma(function: str, shape: Any, alpha: Any, beta: Any, dtype: Any, stateless: bool):
    """Canonical `(shape, alpha, beta, dtype)` for tf.random.gamma (`stateless=False`: the output
    shape is `shape` + the broadcast shape of alpha and beta) or tf.random.stateless_gamma (the
    output shape is `shape`, which must end with that broadcast shape). Returns the full output
    shape, alpha broadcast against beta (in `dtype`), beta (in `dtype`) and the dtype name."""
    dtype = _checks.dtype_name(function, dtype, GAMMA_DTYPES)
    shape = _checks.shape(function, shape)
    alpha = _parameter(function, "alpha", alpha, dtype)
    beta = _parameter(function, "beta", 1 if beta is None else beta, dtype)
    try:
        joint = np.broadcast_shapes(alpha.shape, beta.shape)
    except ValueError:
        _errors.value_error(function, "beta", f"broadcastable with alpha's shape {list(alpha.shape)}",
                            f"an array of shape {list(beta.shape)}")
    alpha = jnp.broadcast_to(alpha, joint) if alpha.shape != joint else alpha
    if stateless:
        if math.prod(shape) and (len(joint) > len(shape) or tuple(shape[len(shape) - len(joint):]) != joint):
            _errors.value_error(function, "shape", f"a shape ending with alpha and beta's broadcast "
                                f"shape {list(joint)}", list(shape))
        if math.prod(shape) and math.prod(joint) == 0:
            _errors.value_error(function, "alpha", "a non-empty array", f"an array of shape {list(joint)}")
        full = tuple(shape)
    else:
        full = tuple(shape) + tuple(joint)
    return full, alpha, beta, dtype


def _parameter(function: str, argument: str, value: Any, dtype: str):
    """A distribution parameter converted to `dtype` as tf.convert_to_tensor(value, dtype) does
    (recorded, TF 2.21): Python numbers, bools and lists of them, NumPy arrays and scalars of any
    numeric or bool dtype (cast); a jax array must already have `dtype`, as a tensor must."""
    accepted = f"a number or an array of numbers convertible to {dtype}"
    if isinstance(value, (str, bytes)) or value is None:
        _errors.type_error(function, argument, accepted, value)
    if isinstance(value, jax.Array):
        if jnp.issubdtype(value.dtype, jax.dtypes.prng_key):
            _errors.type_error(function, argument, accepted, value)
        if np.dtype(value.dtype).name != dtype:
            _errors.value_error(function, argument, f"an array of dtype {dtype}",
                                f"an array of dtype {value.dtype}", "Cast it first, or pass a NumPy array.")
        return value
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        _errors.type_error(function, argument, accepted, value)
    if array.dtype.kind not in "biuf" and not (array.dtype == object and array.size == 0):
        _errors.type_error(function, argument, accepted, value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 1e7 as float16 is inf, as in TensorFlow
        converted = array.astype(np.float64).astype(jnp.dtype(dtype))
    with jax.enable_x64(dtype == "float64"):
        return jnp.asarray(converted)


def gamma(key: jax.Array, alpha: Any, shape=None, dtype: Any = "float32", beta: Any = None) -> jax.Array:
    """Gamma samples: `shape` (default: alpha's shape, which `shape` must end with) values whose
    alphas are `alpha` broadcast over the leading dimensions, divided by `beta` (rate; default 1),
    then raised to the dtype's smallest normal number (as TensorFlow's Python wrappers do).

    On a Philox key: StatelessRandomGammaV3 at the key's position, so
    `tf.random.stateless_gamma(shape, seed, alpha, beta)` is
    `keyrng.tf.gamma(keyrng.tf_stateless_key(seed), alpha, shape, beta=beta)`.

    >>> import keyrng, keyrng.tf
    >>> keyrng.tf.gamma(keyrng.tf_stateless_key([1, 2]), [0.5, 1.0, 4.0], [2, 3])
    Array([[0.06695361, 2.2487352 , 4.520267  ],
           [0.62823546, 1.8935091 , 3.4091506 ]], dtype=float32)
    """
    function = "keyrng.tf.gamma"
    if shape is None:
        shape = np.shape(alpha)
    full, alpha_b, beta_a, dtype = check_gamma(function, shape, alpha, beta, dtype, stateless=True)
    return finish_gamma(draw_gamma(key, full, alpha_b, dtype), beta_a)


@jax.jit
def _finish(raw, beta):
    with jax.enable_x64(True):
        wide = raw.astype(jnp.float64)
        # XLA rewrites `x / broadcast(b)` into `x * broadcast(1 / b)` (1 ulp off in float64): the
        # divisor goes in at the quotient's full shape, behind a value XLA cannot look through.
        shape = jnp.broadcast_shapes(raw.shape, beta.shape)
        divisor = _libm._opaque(jnp.broadcast_to(beta.astype(jnp.float64), shape),
                                _zero(jnp.broadcast_to(wide, shape)))
        quotient = wide / divisor
        quotient = _to_output(quotient, raw.dtype.name)
        return jnp.maximum(jnp.asarray(np.finfo(raw.dtype).tiny, raw.dtype), quotient)


@jax.jit
def _finish_reciprocal(raw, reciprocal):
    with jax.enable_x64(True):
        # The product of two values of the dtype is exact in the next wider type: one rounding.
        wider = jnp.float64 if raw.dtype == jnp.float32 else jnp.float32
        if raw.dtype == jnp.float64:
            product = raw * reciprocal
        else:
            product = (raw.astype(wider) * reciprocal.astype(wider)).astype(raw.dtype)
        return jnp.maximum(jnp.asarray(np.finfo(raw.dtype).tiny, raw.dtype), product)


def finish_gamma(raw, beta, reciprocal: bool = False):
    """TensorFlow's Python step after the kernel: `maximum(tiny, raw / beta)` in the raw dtype.

    The quotient is computed in float64 and rounded to the dtype (through float32 for float16):
    that is the correctly rounded quotient, as TensorFlow's (and Eigen's half) division gives,
    while XLA:CPU's float32 division is not always correctly rounded.

    `reciprocal=True` is the same step in a tf.function graph whose `beta` is a constant (and whose
    gamma op is not folded away, i.e. not a stateless op of a constant seed): Grappler's constant
    folding (`ReduceDivToReciprocalMul`) makes `raw / beta` into `raw * Reciprocal(beta)`, the
    reciprocal rounded to the dtype (half: `1.0f / float(b)` rounded to half, as Eigen's) and the
    product rounded once. `beta` must then be concrete.

    >>> import numpy as np
    >>> raw = np.float32([1.000000238418579])
    >>> [float(finish_gamma(raw, np.float32(3.0), reciprocal=r)[0]) for r in (False, True)]
    [0.33333340287208557, 0.33333343267440796]
    """
    if reciprocal:
        beta = np.asarray(beta)
        dtype = np.dtype(raw.dtype)
        if dtype == np.float16:
            inverse = (np.float32(1.0) / beta.astype(np.float32)).astype(np.float16)
        else:
            inverse = (dtype.type(1.0) / beta.astype(dtype)).astype(dtype)
        with jax.enable_x64(True):
            return _finish_reciprocal(raw, jnp.asarray(inverse))
    with jax.enable_x64(True):
        return _finish(raw, jnp.asarray(beta))


# --- Poisson -------------------------------------------------------------------------------------

def _poisson_values(key, counter, rate, samples: int, highest: float):
    """Float64 Poisson samples in output-number order for float64 `rate` (one per parameter)."""
    count = rate.shape[0] * samples
    rate = jnp.repeat(rate, samples) if samples > 1 else rate
    starts = _stream_counters(counter, count)
    knuth = rate < 10.0
    exp_neg_rate = _libm64.exp(-rate)
    log_rate = _libm.log(jnp.where(knuth, 1.0, rate))
    b = 0.931 + _hide(2.53 * jnp.sqrt(rate))
    a = -0.059 + _hide(0.02483 * b)
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2.0)
    f64 = jnp.float64
    zeros = jnp.zeros((count,), f64)

    def attempt(state):
        j, urem, u0, u1, prod, x, done, out = state
        active = ~done
        # Knuth: one uniform per step, two per block (last-first).
        refill = active & knuth & (urem == 0)
        r0, r1 = _doubles(_block_at(key, starts, j))
        u0, u1 = jnp.where(refill, r0, u0), jnp.where(refill, r1, u1)
        urem = jnp.where(refill, 2, urem) - (active & knuth).astype(jnp.int32)
        prod = jnp.where(active & knuth, prod * jnp.where(urem == 1, u1, u0), prod)
        found = active & knuth & (prod <= exp_neg_rate) & (x <= highest)
        out = jnp.where(found, x, out)
        x = jnp.where(active & knuth & ~found, x + 1.0, x)
        # Hormann: one block per attempt, u from its second double and v from its first.
        u = r1 - 0.5
        v = r0
        u_shifted = 0.5 - jnp.abs(u)
        k = jnp.floor(_hide(((2.0 * a) / u_shifted + b) * u) + rate + 0.43)
        trying = active & ~knuth & ~(k > highest)
        quick = trying & (u_shifted >= 0.07) & (v <= v_r)
        trying = trying & ~quick & ~((k < 0) | ((u_shifted < 0.013) & (v > u_shifted)))

        def log_test(_):
            s = _libm.log(v * inv_alpha / (a / _hide(u_shifted * u_shifted) + b))
            t = (-rate + _hide(k * log_rate)) - _libm64.lgamma(jnp.where(trying, k, 0.0) + 1.0)
            return trying & (s <= t)

        # the logs only when some output reaches the test (most steps of a Knuth-only call never do)
        accepted = quick | _when(jnp.any(trying), log_test, trying)
        out = jnp.where(accepted, k, out)
        j = j + (refill | (active & ~knuth)).astype(jnp.uint32)
        return j, urem, u0, u1, prod, x, done | found | accepted, out

    izeros = jnp.zeros((count,), jnp.int32)
    state = (jnp.zeros((count,), jnp.uint32), izeros, zeros, zeros, jnp.ones((count,), f64), zeros,
             jnp.zeros((count,), bool), zeros)
    return lax.while_loop(lambda s: ~jnp.all(s[6]), attempt, state)[7]


@jax.jit
def _poisson_kernel(key, rate, highest):
    (k0, k1), counter = _impl.position_words(key)
    with jax.enable_x64(True):
        return _poisson_values((k0, k1), counter, rate, 1, highest)


def _poisson_philox(key, rate, shape, samples: int, dtype: str):
    key = _raw(key)
    with jax.enable_x64(True):
        rows = math.prod(rate.shape)
        values = _poisson_kernel(key, _per_output(jnp.asarray(rate), samples=samples, fill=0.0),
                                 jnp.float64(_HIGHEST[dtype]))
        return _arrange(values, rows=rows, samples=samples, shape=shape, dtype=dtype)


def draw_poisson(key, shape, rate, dtype: str) -> jax.Array:
    """Poisson samples of `shape` (which ends with `rate`'s shape) after the checks
    (`check_poisson`); raw key data allowed."""
    shape = tuple(shape)
    size = math.prod(shape)
    if size == 0:
        return jnp.zeros(shape, dtype)
    samples = size // math.prod(rate.shape)
    if _impl.draws_philox(key):
        return _poisson_philox(key, rate, shape, samples, dtype)
    with jax.enable_x64(True):
        lam = jnp.broadcast_to(jnp.asarray(rate).astype(jnp.float32), shape)
        return jax.random.poisson(key, lam, shape).astype(dtype)


def check_poisson(function: str, shape: Any, lam: Any, dtype: Any, stateless: bool):
    """Canonical `(full shape, rate, dtype)` for tf.random.poisson (`stateless=False`: the output
    shape is `shape` + lam's shape) or tf.random.stateless_poisson (`shape` must end with lam's
    shape). `lam` is converted by `rate_array` without a preferred dtype (as for
    StatelessRandomPoisson) unless it already is an array; RandomPoissonV2's callers pass
    `rate_array(function, lam, "float64")`."""
    dtype = _checks.dtype_name(function, dtype, POISSON_DTYPES)
    shape = _checks.shape(function, shape)
    rate = rate_array(function, lam)
    if not isinstance(rate, jax.core.Tracer) and math.prod(rate.shape):
        with jax.enable_x64(True):
            values = np.asarray(rate).astype(np.float64)
        if np.isnan(values).any() or (values > _HIGHEST[dtype]).any():
            _errors.value_error(function, "lam", f"rates that are not NaN and at most {dtype}'s largest "
                                "value", lam, "TensorFlow's kernel never returns for them.")
    if stateless:
        joint = rate.shape
        if math.prod(shape) and (len(joint) > len(shape) or tuple(shape[len(shape) - len(joint):]) != joint):
            _errors.value_error(function, "shape", f"a shape ending with lam's shape {list(joint)}",
                                list(shape))
        full = tuple(shape)
    else:
        full = tuple(shape) + tuple(rate.shape)
    return full, rate, dtype


def rate_array(function: str, lam: Any, preferred: str | None = None, graph: bool = False):
    """`lam` as the tensor TensorFlow's op gets: the rate's values and dtype (half, float32,
    float64, int32 or int64), as a NumPy array (or the jax array given).

    Eagerly, TensorFlow converts an op input whose type attribute has a default with that
    default as the preferred dtype (RandomPoissonV2: float64; recorded in TF 2.21 by which calls
    share a kernel, and by the values): Python numbers and NumPy arrays of any numeric or bool
    dtype become `preferred`; Python lists are inferred (floats float32, ints int32); NumPy
    scalars keep an allowed dtype (NumPy float64 included); jax arrays keep theirs, as tensors
    do. In a graph (`graph`, a compat.function) and without `preferred` (StatelessRandomPoisson)
    everything is inferred (Python floats float32), and arrays keep an allowed dtype.

    >>> rate_array("f", 0.1, "float64").dtype, rate_array("f", [0.1], "float64").dtype, rate_array("f", 0.1).dtype
    (dtype('float64'), dtype('float32'), dtype('float32'))
    """
    accepted = "a number or an array of half, float32, float64, int32 or int64 numbers"
    if isinstance(lam, (str, bytes)) or lam is None:
        _errors.type_error(function, "lam", accepted, lam)
    if isinstance(lam, jax.Array):
        if jnp.issubdtype(lam.dtype, jax.dtypes.prng_key) or np.dtype(lam.dtype).name not in RATE_DTYPES:
            _errors.type_error(function, "lam", accepted, f"an array of dtype {lam.dtype}")
        return lam
    if isinstance(lam, np.ndarray):
        if lam.dtype.kind not in "biuf":
            _errors.type_error(function, "lam", accepted, f"an array of dtype {lam.dtype}")
        if preferred is not None and not (graph and lam.dtype.name in RATE_DTYPES):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return lam.astype(preferred)
        if lam.dtype.name not in RATE_DTYPES:
            _errors.type_error(function, "lam", accepted, f"an array of dtype {lam.dtype}")
        return lam
    if isinstance(lam, np.generic):
        if lam.dtype.name in RATE_DTYPES:
            return np.asarray(lam)
        if preferred is None or lam.dtype.kind not in "biuf":
            _errors.type_error(function, "lam", accepted, f"a NumPy {lam.dtype}")
        return np.asarray(lam).astype(preferred)
    if preferred is not None and ((isinstance(lam, (int, float)) and not graph)
                                  or np.asarray(lam).dtype == np.bool_):
        try:
            array = np.asarray(lam, dtype=np.float64)
        except (TypeError, ValueError):
            _errors.type_error(function, "lam", accepted, lam)
        return array.astype(preferred)
    try:
        array = np.asarray(lam)
    except (TypeError, ValueError):
        _errors.type_error(function, "lam", accepted, lam)
    if array.dtype.kind == "f":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 1e300 as float32 is inf (then refused as a rate)
            return array.astype(np.float32)
    if array.dtype.kind in "iu" and array.dtype != np.bool_:
        if array.size and (array.min() < -2**31 or array.max() >= 2**31):
            return array.astype(np.int64)
        return array.astype(np.int32)
    _errors.type_error(function, "lam", accepted, lam)


def poisson(key: jax.Array, lam: Any, shape=None, dtype: Any = "int32") -> jax.Array:
    """Poisson samples: `shape` (default: lam's shape, which `shape` must end with) values whose
    rates are `lam` over the leading dimensions.

    On a Philox key: StatelessRandomPoisson at the key's position, so
    `tf.random.stateless_poisson(shape, seed, lam, dtype)` is
    `keyrng.tf.poisson(keyrng.tf_stateless_key(seed), lam, shape, dtype)`.

    >>> import keyrng, keyrng.tf
    >>> keyrng.tf.poisson(keyrng.tf_stateless_key([12, 34]), [5.0, 15.0], [3, 2])
    Array([[ 8,  8],
           [ 8, 18],
           [ 5, 19]], dtype=int32)
    """
    function = "keyrng.tf.poisson"
    if shape is None:
        shape = np.shape(lam)
    full, rate, dtype = check_poisson(function, shape, lam, dtype, stateless=True)
    return draw_poisson(key, full, rate, dtype)
