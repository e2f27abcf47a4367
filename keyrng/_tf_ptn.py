"""TensorFlow's StatelessParameterizedTruncatedNormal CPU kernel (`TruncatedNormalFunctorV2` in
`parameterized_truncated_normal_op.cc`, TensorFlow 2.21) as a pure function of a Philox position.

The output has shape `sample_shape + batch_shape`, `batch_shape` the broadcast shape of the four
parameters (one float dtype T: float16, float32 or float64). Kernel index `k = b * samples + s`
(batch member b, sample s) is stored at output position `s * num_batches + b`.

- Work split: `tensorflow::Shard` over the `num_elements` kernel indices with a per-element cost
  of `batchCost` (Eigen's TensorOpCost units, `ptn_cost`); Eigen's parallelFor cuts them into
  shards of `keyrng.tf.parallel_for_block_size(num_elements, cost, threads)` (TensorFlow's
  intra-op threads, `keyrng.tf.tf_cpu_threads()`). A shard starting at kernel index `start`
  skips `(start * 2000 + K - 1) // K` blocks (K = 4 values per block, 2 for float64) and then
  reads the stream in order for its indices, batch member after batch member.
- Per batch member, in T: if `minval` is -inf or `maxval < mean`, the bounds swap and stddev
  changes sign; `normMin = (minval - mean) / stddev`, `normMax` alike. Then
  * normal rejection if `(normMin < -1.3 and normMax >= 0) or (normMax > 1.3 and normMin <= 0)`:
    one block of Box-Muller normals per round (4 float / 2 double), each kept when in
    `[normMin, normMax]`;
  * uniform rejection if `normMax - normMin < cutoff`: per round one block of uniforms `r` and
    one of `u`; `z = r * diff + normMin` is kept when `u <= exp((plus - z*z) / 2)`;
  * exponential rejection otherwise: per round one block of uniforms, read in pairs
    `(r, u)`: `z = -log(r) / alpha + normMin` is kept when `u <= exp(-x*x/2)` and `z < normMax`.
  A kept value is `z * stddev + mean`. When a batch member is full (or the shard ends) the rest
  of the round's values are dropped and the next member starts on the next block.
- Math: float32 uses glibc's `logf` (keyrng/_libm.py) and `expf` (keyrng/_libm_expf.py);
  float64 glibc's `log` and `exp`; float16 computes each operation in float32 and rounds to
  half (Eigen::half), with `expf`/`logf`. Products are rounded before they are added (the kernel
  is built without FMA contraction).

TensorFlow raises InvalidArgument ("Invalid parameters") when a batch member has `stddev <= 0`,
`minval >= maxval`, both bounds infinite or a NaN in these tests; `check_ptn` makes that check
on concrete parameters, and the draw returns NaN for such a member when the parameters are
traced. The kernel's other errors (1000 rejections in a row) do not happen for valid parameters
in practice; the draw fills NaN from there on in that shard.
"""

from __future__ import annotations

import warnings
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keyrng import _bits, _checks, _errors, _impl, _libm, _libm_expf, _philox, _tf_kernels
from keyrng._tf_discrete import _eigen_parallel_for_blocks, tf_cpu_threads

PTN_DTYPES = ("float16", "float32", "float64")
_MAX_ITERATIONS = 1000
_TF = {"float16": jnp.float16, "float32": jnp.float32, "float64": jnp.float64}
_UNSIGNED = {"float16": jnp.uint16, "float32": jnp.uint32, "float64": jnp.uint64}


# --- cost model ----------------------------------------------------------------------------------

# Eigen's NumTraits<T>::AddCost/MulCost, scalar_sqrt_op and scalar_exp_op costs (TensorFlow's
# x86-64 build: AVX without FMA, EIGEN_FAST_MATH), PhiloxRandom::kElementCost = 10 and
# UniformDistribution::kElementCost = 3.
_COSTS = {  # dtype: (add, mul, sqrt, exp)
    "float32": (1, 1, 8, 34),
    "float64": (1, 1, 28, 51),
    "float16": (1, 1, 8, 43),  # GenericNumTraits costs; exp: the non-float branch, div cost 8
}


def ptn_cost(dtype: str) -> int:
    """The per-element cost the kernel passes to `Shard` (`batchCost`), in Eigen's cost units."""
    add, mul, sqrt, exp = _COSTS[dtype]
    init = (add + mul) * 2 + add + mul + sqrt + mul * 4 + exp + add
    sample = 10 + 3
    rejection = sample + mul + add + mul * 2 + add + sample + exp + mul + add
    return init + rejection * 2


def shard_size(num_elements: int, dtype: str, threads: int) -> int:
    """Kernel indices per shard for `num_elements` outputs of `dtype` on `threads` threads."""
    return _eigen_parallel_for_blocks(num_elements, ptn_cost(dtype), threads)


# --- arithmetic in T -----------------------------------------------------------------------------

def _hide(x, dtype):
    """`x` (a value of dtype T) as a value the compilers cannot look through: no contraction of
    a product into a later addition, no removal of a float16 rounding (XLA may keep float16
    values in float32 between operations)."""
    unsigned = _UNSIGNED[dtype]
    bits = lax.bitcast_convert_type(x, unsigned)
    return lax.bitcast_convert_type(bits | _tf_kernels.opaque_false(bits).astype(unsigned), x.dtype)


def _op(dtype, fn, *args, product=False):
    """One arithmetic operation rounded in T (float16: computed in float32, rounded to half).
    `product`: a product that is then added to something, kept rounded (never an FMA)."""
    if dtype == "float16":
        return _hide(fn(*(a.astype(jnp.float32) for a in args)).astype(jnp.float16), dtype)
    out = fn(*args)
    return _hide(out, dtype) if product else out


def _exp(dtype, x):
    if dtype == "float64":
        from keyrng import _libm64
        return _libm64.exp(x)
    if dtype == "float16":
        return _libm_expf.expf(x.astype(jnp.float32)).astype(jnp.float16)
    return _libm_expf.expf(x)


def _log(dtype, x):
    if dtype == "float64":
        return _libm.log(x)
    if dtype == "float16":
        return _libm.logf(x.astype(jnp.float32)).astype(jnp.float16)
    return _libm.logf(x)


def _sqrt(dtype, x):
    return _op(dtype, jnp.sqrt, x)


# --- one round of candidates ---------------------------------------------------------------------

def _uniforms(dtype, w):
    if dtype == "float64":
        return [_bits.to_unit_double(w[0], w[1]), _bits.to_unit_double(w[2], w[3])]
    return [_bits.to_unit_float(x, dtype) for x in w]


def _normals(dtype, w):
    if dtype == "float64":
        return list(_tf_kernels.box_muller_double(*w))
    values = [*_tf_kernels.box_muller_float(w[0], w[1]), *_tf_kernels.box_muller_float(w[2], w[3])]
    return [_hide(v.astype(_TF[dtype]), dtype) for v in values]


def _params(dtype, mean, stddev, minval, maxval):
    """The kernel's per-member set-up: (regime 0/1/2, normMin, normMax, diff, plus, alpha, stddev, mean)."""
    T = _TF[dtype]
    c = lambda v: jnp.asarray(v, T)  # noqa: E731
    swap = (jnp.isinf(minval) & (minval < c(0))) | (maxval < mean)
    minval, maxval = jnp.where(swap, maxval, minval), jnp.where(swap, minval, maxval)
    stddev = jnp.where(swap, -stddev, stddev)
    sub, mul, div, add = (lambda a, b: a - b), (lambda a, b: a * b), (lambda a, b: a / b), (lambda a, b: a + b)
    norm_min = _op(dtype, div, _op(dtype, sub, minval, mean), stddev)
    norm_max = _op(dtype, div, _op(dtype, sub, maxval, mean), stddev)
    sqrt_factor = _sqrt(dtype, _op(dtype, add, _op(dtype, mul, norm_min, norm_min, product=True), c(4)))
    inner = _op(dtype, add, c(0.5), _op(dtype, div, _op(dtype, mul, norm_min, _op(dtype, sub, norm_min, sqrt_factor)), c(4)))
    cutoff = _op(dtype, div, _op(dtype, mul, c(2), _hide(_exp(dtype, inner), dtype)), _op(dtype, add, norm_min, sqrt_factor))
    diff = _op(dtype, sub, norm_max, norm_min)
    k = c(1.3)
    use_normal = ((norm_min < -k) & (norm_max >= c(0))) | ((norm_max > k) & (norm_min <= c(0)))
    regime = jnp.where(use_normal, 0, jnp.where(diff < cutoff, 1, 2)).astype(jnp.int32)
    plus = jnp.where(norm_min < c(0), c(0), _op(dtype, mul, norm_min, norm_min))
    alpha = _op(dtype, div, _op(dtype, add, norm_min, sqrt_factor), c(2))
    return regime, norm_min, norm_max, diff, plus, alpha, stddev


def _candidates(dtype, key, counter, regime, norm_min, norm_max, diff, plus, alpha, used=(True, True, True)):
    """The round's candidates `(values z, accepted)` and how many blocks it read.

    `used`: whether any element takes regime 0, 1, 2 (unbatched booleans, possibly traced); a
    regime nobody takes is not computed (a `lax.cond`, which stays one under `vmap` since its
    predicate is not batched): its candidates would all be discarded.
    """
    T = _TF[dtype]
    c = lambda v: jnp.asarray(v, T)  # noqa: E731
    sub, mul, div, add = (lambda a, b: a - b), (lambda a, b: a * b), (lambda a, b: a / b), (lambda a, b: a + b)
    w0 = _philox.block(key, counter)
    w1 = _philox.block(key, _philox.add_small(counter, jnp.uint32(1)))
    size = 2 if dtype == "float64" else 4
    half = size // 2

    def when(flag, compute, like):
        if flag is True:
            return compute()
        return lax.cond(flag, compute, lambda: jax.tree.map(jnp.zeros_like, like))

    def normal():
        normals = _normals(dtype, w0)
        return normals, [(v >= norm_min) & (v <= norm_max) for v in normals]

    def uniform():
        rand, u = _uniforms(dtype, w0), _uniforms(dtype, w1)
        uz = [_op(dtype, add, _op(dtype, mul, r, diff, product=True), norm_min) for r in rand]
        ug = [_op(dtype, div, _op(dtype, sub, plus, _op(dtype, mul, z, z, product=True)), c(2)) for z in uz]
        return uz, [ui <= _exp(dtype, g) for ui, g in zip(u, ug)]

    def exponential():  # pairs (r, u) of one block
        rand = _uniforms(dtype, w0)
        ez, e_ok = [], []
        for i in range(0, size, 2):
            z = _op(dtype, add, _op(dtype, div, -_log(dtype, rand[i]), alpha), norm_min)
            x = jnp.where(norm_min < alpha, _op(dtype, sub, alpha, z), _op(dtype, sub, norm_min, alpha))
            g = _exp(dtype, _op(dtype, div, _op(dtype, mul, -x, x), c(2)))
            ez.append(z)
            e_ok.append((rand[i + 1] <= g) & (z < norm_max))
        return ez, e_ok

    shape = jnp.broadcast_shapes(jnp.shape(w0[0]), jnp.shape(norm_min))
    zeros = ([jnp.zeros(shape, T)] * size, [jnp.zeros(shape, bool)] * size)
    normals, n_ok = when(used[0], normal, zeros)
    uz, u_ok = when(used[1], uniform, zeros)
    ez, e_ok = when(used[2], exponential, (zeros[0][:half], zeros[1][:half]))
    count = jnp.where(regime == 2, len(ez), size)
    pad = [c(0)] * (size - len(ez))
    values = [jnp.where(regime == 0, normals[i], jnp.where(regime == 1, uz[i], (ez + pad)[i])) for i in range(size)]
    ok = [jnp.where(regime == 0, n_ok[i], jnp.where(regime == 1, u_ok[i], (e_ok + [False] * len(pad))[i]))
          for i in range(size)]
    blocks = jnp.where(regime == 1, 2, 1).astype(jnp.uint32)
    return values, ok, count, blocks


def _shard_start(counter, start, per_block):
    """The counter a shard starting at kernel index `start` begins at (it skips
    `(start * 2000 + K - 1) // K` blocks)."""
    skip = (start.astype(jnp.uint64) * np.uint64(2 * _MAX_ITERATIONS) + np.uint64(per_block - 1)) // np.uint64(per_block)
    return _philox.add(counter, (skip.astype(jnp.uint32), (skip >> np.uint64(32)).astype(jnp.uint32),
                                 jnp.uint32(0), jnp.uint32(0)))


def _shard_regime(dtype, means, stddevs, minvals, maxvals, state, *, samples):
    """The regime (0, 1, 2) of the batch member a shard's next round draws for."""
    b = state[1] // samples
    return _params(dtype, means[b], stddevs[b], minvals[b], maxvals[b])[0]


def _shard_round(dtype, key, means, stddevs, minvals, maxvals, start, limit, state, *, samples, size, length,
                 used=(True, True, True)):
    """One round of one shard (kernel indices start..limit-1): the next state and, per candidate,
    where in the shard's buffer of `length + 1` values it goes (`length`, the spare slot, when
    it is not kept) and its value."""
    counter, idx, member, iterations, failed = state
    b = idx // samples
    mean, stddev, minval, maxval = means[b], stddevs[b], minvals[b], maxvals[b]
    iterations = jnp.where(b == member, iterations, 0)
    regime, norm_min, norm_max, diff, plus, alpha, sd = _params(dtype, mean, stddev, minval, maxval)
    values, ok, count, blocks = _candidates(dtype, key, counter, regime, norm_min, norm_max, diff, plus, alpha,
                                            used)
    active = jnp.bool_(True)
    slots, outs = [], []
    for i in range(size):
        live = active & (i < count) & ~failed
        accept = live & ok[i]
        outs.append(_op(dtype, lambda a, m: a + m, _op(dtype, lambda a, s_: a * s_, values[i], sd, product=True), mean))
        slots.append(jnp.where(accept, idx - start, length))
        # normal rejection fails after more than 1000 rejections; the others when the 1000th
        # candidate in a row is rejected
        fail = live & ~ok[i] & jnp.where(regime == 0, iterations + 1 > _MAX_ITERATIONS,
                                         iterations + 1 >= _MAX_ITERATIONS)
        failed = failed | fail
        idx = jnp.where(accept, idx + 1, idx)
        done = accept & ((idx % samples == 0) | (idx >= limit))
        iterations = jnp.where(accept, 0, jnp.where(live, iterations + 1, iterations))
        active = active & ~done & ~fail
    counter = _philox.add_small(counter, blocks)
    return (counter, idx, b, iterations, failed), jnp.stack(slots), jnp.stack(outs)


def _shards(dtype, key, counter, means, stddevs, minvals, maxvals, starts, limits, *, samples, size, length):
    """Every shard's outputs as buffers `(shards, length + 1)`, the shards' rounds run side by side.

    The rounds are vmapped but the buffer is one flat array outside the vmap, written with one
    scatter per candidate slot (a shard's row offset added to its index): a vmapped scatter
    into a loop-carried buffer makes XLA:CPU copy the whole buffer on every round.
    """
    T = _TF[dtype]
    shards = starts.shape[0]
    per_block = 2 if dtype == "float64" else 4
    regime_ = jax.vmap(partial(_shard_regime, dtype, means, stddevs, minvals, maxvals, samples=samples))
    rows = jnp.arange(shards, dtype=starts.dtype) * (length + 1)

    def running(state):
        return (state[1] < limits) & ~state[4]

    def body(carry):
        state, buf = carry
        live = running(state)
        # Only the regimes some running shard takes are computed (see `_candidates`).
        regimes = regime_(state)
        used = tuple(jnp.any(live & (regimes == k)) for k in range(3))
        round_ = jax.vmap(partial(_shard_round, dtype, key, means, stddevs, minvals, maxvals,
                                  samples=samples, size=size, length=length, used=used))
        moved, slots, outs = round_(starts, limits, state)
        state = jax.tree.map(lambda new, old: jnp.where(live, new, old), moved, state)
        slots = jnp.where(live[:, None], slots, length)
        for i in range(size):
            buf = buf.at[rows + slots[:, i]].set(outs[:, i], unique_indices=True)
        return state, buf

    state = (jax.vmap(partial(_shard_start, counter, per_block=per_block))(starts), starts,
             starts * 0 - 1, jnp.zeros(shards, jnp.int32), jnp.zeros(shards, bool))
    buf = jnp.full((shards * (length + 1),), jnp.nan, T)
    (_, idx, _, _, failed), buf = lax.while_loop(lambda c: jnp.any(running(c[0])), body, (state, buf))
    positions = starts[:, None] + jnp.arange(length + 1, dtype=starts.dtype)[None, :]
    return jnp.where(failed[:, None] & (positions >= idx[:, None]), jnp.nan, buf.reshape(shards, length + 1))


def _bucket(n: int, low: int = 1) -> int:
    """The next power of two >= max(n, low): kernels compile once per bucket, not per size."""
    return max(low, 1 << (max(n, 1) - 1).bit_length())


@partial(jax.jit, static_argnames=("dtype", "shards", "length"))
def _ptn_core(key, means, stddevs, minvals, maxvals, samples, n, block, *, dtype, shards, length):
    """Buffers `(shards, length + 1)`: shard s's values (kernel indices s*block ...) first."""
    with jax.enable_x64(True):
        (k0, k1), counter = _impl.position_words(key)
        size = 2 if dtype == "float64" else 4
        starts = jnp.arange(shards, dtype=jnp.int64) * block
        limits = jnp.minimum(starts + block, n)
        return _shards(dtype, (k0, k1), counter, means, stddevs, minvals, maxvals, starts, limits,
                       samples=samples, size=size, length=length)


def ptn_words(key, shape, means, stddevs, minvals, maxvals, dtype: str, batch_ndim: int, threads: int):
    """The kernel's output for `shape` (static) and parameters of dtype `dtype`, its work split
    for `threads` threads; `key` a Philox key or its uint32[6] data."""
    with jax.enable_x64(True):
        batch_shape = shape[len(shape) - batch_ndim:]
        num_batches = int(np.prod(batch_shape, dtype=np.int64))
        samples = int(np.prod(shape[:len(shape) - batch_ndim], dtype=np.int64))
        n = num_batches * samples
        padded = _bucket(num_batches, 64)
        flat = [jnp.pad(jnp.broadcast_to(jnp.asarray(p, dtype), batch_shape).reshape(-1),
                        (0, padded - num_batches), constant_values=1) for p in (means, stddevs, minvals, maxvals)]
        block = shard_size(n, dtype, threads)
        shards = -(-n // block)
        bufs = _ptn_core(key, *flat, jnp.int64(samples), jnp.int64(n), jnp.int64(block), dtype=dtype,
                         shards=_bucket(shards), length=_bucket(block, 1024))
        kernel_order = bufs[:shards, :block].reshape(-1)[:n]
        return kernel_order.reshape(num_batches, samples).T.reshape(shape)


def draw_ptn(key, shape, means, stddevs, minvals, maxvals, dtype: str, batch_ndim: int) -> jax.Array:
    """`ptn` after its checks (`check_ptn`); `key` may be a Philox key's raw uint32[6] data.
    Inputs with an invalid member (see the module docstring) give NaN for that member."""
    shape = tuple(int(d) for d in shape)
    if int(np.prod(shape, dtype=np.int64)) == 0:
        with jax.enable_x64(dtype == "float64"):
            return jnp.zeros(shape, dtype)
    with jax.enable_x64(True):
        params = [jnp.asarray(p, dtype) for p in (means, stddevs, minvals, maxvals)]
        if _impl.draws_philox(key):
            out = ptn_words(key, shape, *params, dtype, batch_ndim, tf_cpu_threads())
        else:  # threefry keys: jax's truncated normal on the standardized bounds
            mean, sd, lo, hi = (jnp.broadcast_to(p, shape) for p in params)
            lo_n, hi_n = (lo - mean) / sd, (hi - mean) / sd
            out = (jax.random.truncated_normal(key, lo_n, hi_n, shape, dtype) * sd + mean).astype(dtype)
        invalid = _invalid(*params)
        out = jnp.where(jnp.broadcast_to(invalid, shape), jnp.nan, out)
    if dtype != "float64":
        return out.astype(dtype)
    return out


def _invalid(mean, stddev, minval, maxval):
    return ~((stddev > 0) & (minval < maxval) & (jnp.isfinite(minval) | jnp.isfinite(maxval))) | jnp.isnan(mean)


# --- checks --------------------------------------------------------------------------------------

def _param(function: str, argument: str, value: Any):
    """`value` as TensorFlow's `convert_to_tensor` makes it (no hint): arrays keep their dtype,
    Python floats are float32, Python ints int32 (which the kernel refuses)."""
    accepted = "a float16, float32 or float64 array or a Python float"
    if isinstance(value, (str, bytes, bool)) or value is None:
        _errors.type_error(function, argument, accepted, value)
    if isinstance(value, jax.Array):
        if jnp.issubdtype(value.dtype, jax.dtypes.prng_key):
            _errors.type_error(function, argument, accepted, value)
        array = value
    elif isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
    else:
        try:
            with np.errstate(over="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                array = np.asarray(value)
        except (TypeError, ValueError, OverflowError):
            _errors.type_error(function, argument, accepted, value)
        with np.errstate(over="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if array.dtype == np.float64:
                array = array.astype(np.float32)
            elif array.dtype.kind in "iu":
                array = array.astype(np.int32)
    if array.dtype.name not in PTN_DTYPES:
        _errors.type_error(function, argument, accepted, f"an array of dtype {array.dtype.name}")
    return array


def check_ptn(function: str, shape: Any, means: Any, stddevs: Any, minvals: Any, maxvals: Any,
              check_values: bool = True):
    """Canonical `(shape, means, stddevs, minvals, maxvals, dtype name, batch_ndim)`, or the error.

    The four parameters must share one float dtype (float16, float32, float64; Python floats are
    float32), broadcast together, and `shape` must end with their broadcast shape. Concrete
    parameters must also pass the kernel's check: `stddev > 0`, `minval < maxval`, a finite bound
    (`check_values`; TensorFlow's XLA lowering makes no such check).
    """
    shape = _checks.shape(function, shape)
    names = ("means", "stddevs", "minvals", "maxvals")
    params = [_param(function, name, value) for name, value in zip(names, (means, stddevs, minvals, maxvals))]
    dtype = params[0].dtype.name
    for name, p in zip(names, params):
        if p.dtype.name != dtype:
            _errors.type_error(function, name, f"of the dtype of means ({dtype})", f"an array of dtype {p.dtype.name}")
    try:
        batch = np.broadcast_shapes(*(p.shape for p in params))
    except ValueError:
        _errors.value_error(function, "means", "parameters whose shapes broadcast together",
                            [list(p.shape) for p in params])
    if len(batch) > len(shape) or tuple(shape[len(shape) - len(batch):]) != tuple(batch):
        _errors.value_error(function, "shape", f"a shape that ends with the broadcast shape {list(batch)} "
                            "of means, stddevs, minvals and maxvals", list(shape))
    if check_values and int(np.prod(shape, dtype=np.int64)) \
            and not any(isinstance(p, jax.core.Tracer) for p in params):
        with jax.enable_x64(dtype == "float64"):
            concrete = [np.asarray(p).astype(np.float64) for p in params]
        bad = np.asarray(_invalid_np(*concrete))
        if bad.any():
            _errors.value_error(function, "stddevs", "positive, with minvals < maxvals and a finite bound "
                                "(TensorFlow's \"Invalid parameters\")",
                                "parameters " + ", ".join(f"{n}={np.asarray(p).tolist()!r}" for n, p in zip(names, params)))
    return tuple(shape), *params, dtype, len(batch)


def _invalid_np(mean, stddev, minval, maxval):
    with np.errstate(invalid="ignore"):
        return ~((stddev > 0) & (minval < maxval) & (np.isfinite(minval) | np.isfinite(maxval))) | np.isnan(mean)


def parameterized_truncated_normal(key: jax.Array, shape, means=0.0, stddevs=1.0, minvals=-2.0,
                                   maxvals=2.0) -> jax.Array:
    """TensorFlow's StatelessParameterizedTruncatedNormal at `key`'s position.

    >>> import keyrng
    >>> key = keyrng.tf_stateless_key([1, 2])
    >>> keyrng.tf.parameterized_truncated_normal(key, [3], 0.0, 1.0, -1.0, 1.0).shape  # doctest: +SKIP
    (3,)
    """
    from keyrng import _keys
    _keys.check_key("keyrng.tf.parameterized_truncated_normal", key)
    checked = check_ptn("keyrng.tf.parameterized_truncated_normal", shape, means, stddevs, minvals, maxvals)
    return draw_ptn(key, *checked)

