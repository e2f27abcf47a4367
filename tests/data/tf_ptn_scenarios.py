"""TensorFlow 2.21 scenarios for tf.random.stateless_parameterized_truncated_normal (recorded by
tests/data/record.py into tests/data/tf_ptn_expected.json; replayed by tests/test_ptn.py).

R has `stateless_parameterized_truncated_normal` and the dtypes; `function` is tf.function.
Regimes of the kernel (TruncatedNormalFunctorV2): normal rejection (a bound at least 1.3
stddevs beyond the mean on one side, the mean inside), uniform rejection (a narrow interval),
exponential rejection (an interval in one tail). Large outputs split over threads."""

SCENARIOS = []


def add(name, code):
    SCENARIOS.append((name, code))


P = "R.stateless_parameterized_truncated_normal"

add("ptn_doc_example", f"""
out({P}(shape=[10], seed=[1, 2], means=0.0, stddevs=1.0, minvals=-1.0, maxvals=1.0))
out({P}(shape=[2, 3], seed=[1, 2], means=[0.0, 1.0, 2.0]))
out({P}([7], [0, 0]))
""")
add("ptn_defaults_seeds", f"""
for seed in ([1, 2], [0, 0], [-5, 7], [2**31 - 1, 3], [123, 456]):
    out({P}([33], seed))
out({P}([33], np.array([3, 4], np.int64)))
out({P}([33], R.int64([5, 6]) if False else np.array([5, 6], np.int32)))
out({P}(np.array([4, 5], np.int64), [3, 4]))
""")
add("ptn_normal_regime", f"""
out({P}([101], [1, 2], 0.0, 1.0, -3.0, 3.0))
out({P}([101], [1, 2], 0.0, 1.0, -np.inf, 0.5))
out({P}([101], [1, 2], 0.0, 1.0, -0.2, np.inf))
out({P}([101], [1, 2], 5.0, 2.0, 1.0, 6.0))
out({P}([101], [1, 2], -5.0, 0.5, -5.0, 100.0))
out({P}([64], [9, 9], 0.0, 1.0, -1.31, 0.0))
out({P}([64], [9, 9], 0.0, 1.0, -1.2, 1.4))
""")
add("ptn_uniform_regime", f"""
out({P}([101], [1, 2], 0.0, 1.0, -1.0, 1.0))
out({P}([101], [1, 2], 0.0, 1.0, 0.5, 1.0))
out({P}([101], [1, 2], 0.0, 1.0, -1.0, -0.5))
out({P}([101], [1, 2], 3.0, 0.1, 3.5, 3.51))
out({P}([101], [1, 2], 0.0, 1.0, 10.0, 10.01))
out({P}([101], [1, 2], 0.0, 1.0, -1.2, 1.2))
out({P}([64], [4, 4], 1.0, 2.0, 0.0, 1.5))
""")
add("ptn_exponential_regime", f"""
out({P}([101], [1, 2], 0.0, 1.0, 2.0, np.inf))
out({P}([101], [1, 2], 0.0, 1.0, -np.inf, -2.5))
out({P}([101], [1, 2], 0.0, 1.0, 1.0, 4.0))
out({P}([101], [1, 2], 0.0, 1.0, 5.0, 50.0))
out({P}([101], [1, 2], 10.0, 3.0, 20.0, 1e30))
out({P}([101], [1, 2], 0.0, 1.0, -8.0, -3.0))
out({P}([64], [4, 4], 0.0, 1.0, 0.5, 3.0))
""")
add("ptn_dtypes", f"""
for dt in (R.float16, R.float32, R.float64):
    m = R_m = np.array(0.0, dt.as_numpy_dtype) if hasattr(dt, 'as_numpy_dtype') else None
""" if False else f"""
for dt in (np.float16, np.float32, np.float64):
    z = lambda v: np.array(v, dt)
    out({P}([40], [1, 2], z(0.0), z(1.0), z(-2.0), z(2.0)))
    out({P}([40], [1, 2], z(0.0), z(1.0), z(-0.5), z(0.5)))
    out({P}([40], [1, 2], z(0.0), z(1.0), z(1.5), z(np.inf)))
    out({P}([40], [1, 2], z(1.0), z(0.3), z(-np.inf), z(0.2)))
    out({P}([3, 5], [7, 8], z([0.0, 1.0, 2.0, 3.0, 4.0]), z(1.0), z([-3.0, 0.0, 2.5, 3.9, 1.0]), z([3.0, 1.5, np.inf, 4.0, 9.0])))
""")
add("ptn_broadcast_batch", f"""
m = np.array([0.0, 1.0, -2.0, 10.0], np.float32)
s = np.array([1.0, 0.5, 2.0, 3.0], np.float32)
lo = np.array([-1.0, 1.2, -np.inf, 11.0], np.float32)
hi = np.array([1.0, 3.0, -1.0, np.inf], np.float32)
out({P}([4], [1, 2], m, s, lo, hi))
out({P}([5, 4], [1, 2], m, s, lo, hi))
out({P}([2, 3, 4], [1, 2], m, s, lo, hi))
out({P}([3, 4], [1, 2], m, 1.0, -2.0, hi))
out({P}([3, 2, 4], [5, 6], np.zeros([2, 1], np.float32), s, lo, np.float32(20.0)))
out({P}([2, 2, 4], [5, 6], np.zeros([2, 4], np.float32), 1.0, lo, 20.0))
out({P}([6, 1], [5, 6], m[:1], s[:1], lo[:1], hi[:1]))
out({P}([3, 4], [5, 6], [[0.0], [1.0], [2.0]], 1.0, [-1.0, 0.0, 1.0, 2.0], 3.0))
""")
add("ptn_many_members", f"""
rng = np.random.RandomState(0)
m = rng.normal(size=[50]).astype(np.float32)
s = rng.uniform(0.1, 3.0, size=[50]).astype(np.float32)
lo = (m + rng.uniform(-4.0, 3.0, size=[50]) * s).astype(np.float32)
hi = (lo + rng.uniform(0.01, 5.0, size=[50]) * s).astype(np.float32)
out({P}([50], [11, 12], m, s, lo, hi))
out({P}([3, 50], [11, 12], m, s, lo, hi))
out({P}([7, 50], [13, 14], m.astype(np.float64), s.astype(np.float64), lo.astype(np.float64), hi.astype(np.float64)))
out({P}([7, 50], [13, 14], m.astype(np.float16), s.astype(np.float16), lo.astype(np.float16), hi.astype(np.float16) + np.float16(0.1)))
""")
add("ptn_shapes_small", f"""
out({P}([], [1, 2]))
out({P}([0], [1, 2]))
out({P}([0, 3], [1, 2], [0.0, 1.0, 2.0]))
out({P}([1], [1, 2]))
out({P}([2, 0], [1, 2]))
out({P}([5], [1, 2], 0.0, 1.0, -1.0, 1.0))
out({P}([3], [1, 2], 0.0, 1.0, 2.0, np.inf))
out({P}([4, 1, 3], [1, 2], 0.0, 1.0, 2.0, 2.5))
out({P}([1, 1, 1, 7], [3, 1], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]))
""")
# Large outputs: every 13th value (or every 101st) is recorded, enough to see each shard's start.
for n in (999, 1000, 1500, 2500, 4000, 10000, 30000, 100000):
    step = 1 if n <= 2500 else (13 if n <= 10000 else 101)
    add(f"ptn_threads_{n}", (f"""
out({P}([{n}], [1, 2]))
out({P}([{n}], [3, 4], 0.0, 1.0, -0.5, 0.5))
out({P}([{n}], [5, 6], 0.0, 1.0, 1.5, np.inf))
out({P}([{n}], [1, 2], np.float64(0.0), np.float64(1.0), np.float64(-2.0), np.float64(2.0)))
out({P}([{n}], [3, 4], np.float64(0.0), np.float64(1.0), np.float64(-0.5), np.float64(0.5)))
out({P}([{n}], [5, 6], np.float64(0.0), np.float64(1.0), np.float64(1.5), np.float64(np.inf)))
out({P}([{n}], [1, 2], np.float16(0.0), np.float16(1.0), np.float16(-2.0), np.float16(2.0)))
out({P}([{n}], [3, 4], np.float16(0.0), np.float16(1.0), np.float16(-0.5), np.float16(0.5)))
""").replace("))\n", f"))[::{step}])\n").replace("out(R.", "out((R."))
add("ptn_threads_batched", f"""
out({P}([500, 4], [1, 2], [0.0, 1.0, 2.0, 3.0], 1.0, [-1.0, 2.0, 0.0, 3.5], [1.0, 3.0, 9.0, 4.0]))
out({P}([4, 800], [1, 2], np.linspace(0, 1, 800).astype(np.float32), 1.0, -1.0, 1.0))
err(lambda: {P}([60, 100], [7, 7], np.linspace(0, 1, 100), 1.0, -0.5, 2.0))
out({P}([60, 100], [7, 7], np.linspace(0, 1, 100), np.float64(1.0), np.float64(-0.5), np.float64(2.0)))
""")
add("ptn_function", f"""
f = R.function(lambda s: {P}([9], s, 0.0, 1.0, -1.0, 1.0))
out(f(np.array([1, 2], np.int32)))
out(f(np.array([3, 4], np.int32)))
g = R.function(lambda m: {P}([2, 3], [5, 6], m, 1.0, 0.0, 3.0))
out(g(np.array([0.0, 1.0, 2.0], np.float32)))
""")
add("ptn_errors", f"""
err(lambda: {P}([3], [1, 2], 0.0, -1.0))
err(lambda: {P}([3], [1, 2], 0.0, 0.0))
err(lambda: {P}([3], [1, 2], 0.0, 1.0, 1.0, 1.0))
err(lambda: {P}([3], [1, 2], 0.0, 1.0, 2.0, 1.0))
err(lambda: {P}([3], [1, 2], 0.0, 1.0, -np.inf, np.inf))
err(lambda: {P}([3], [1, 2], 0.0, 1.0, np.nan, 1.0))
err(lambda: {P}([3], [1, 2], np.nan, 1.0, -1.0, 1.0))
err(lambda: {P}([3], [1, 2], [0.0, 1.0]))
err(lambda: {P}([2, 3], [1, 2], [0.0, 1.0]))
err(lambda: {P}([3], [1, 2], [0.0, 1.0, 2.0], [1.0, 2.0]))
err(lambda: {P}([3], [1, 2, 3]))
err(lambda: {P}([3], [[1, 2]]))
err(lambda: {P}([3], [1.0, 2.0]))
err(lambda: {P}([3], [1, 2], np.float64(0.0)))
err(lambda: {P}([3], [1, 2], 0, 1, -2, 2))
err(lambda: {P}([3], [1, 2], np.int32(0)))
err(lambda: {P}([-1], [1, 2]))
err(lambda: {P}([[3]], [1, 2]))
err(lambda: {P}([3], [1, 2], np.float16(0.0)))
err(lambda: {P}([0], [1, 2], 0.0, -1.0))
err(lambda: {P}([3], [1, 2], [0.0, 1.0, 2.0], 1.0, [0.5, 5.0, 1.0], 2.0))
""")
add("ptn_after_errors", f"""
out({P}([3], [1, 2], np.float64(0.0), np.float64(1.0), np.float64(-1.0), np.float64(1.0)))
""")
add("ptn_xla", f"""
f = R.function(lambda s: {P}([9], s, 0.0, 1.0, -1.0, 1.0), jit_compile=True)
err(lambda: out(f(np.array([1, 2], np.int32))))
""")

for dt, tag in (("float32", "f32"), ("float64", "f64"), ("float16", "f16")):
    add(f"ptn_fuzz_{tag}", f"""
rng = np.random.RandomState({ {"f32": 1, "f64": 2, "f16": 3}[tag] })
dt = np.{dt}
for trial in range(6):
    k = rng.randint(1, 40)
    m = rng.normal(0, 3, size=[k]).astype(dt)
    s = rng.uniform(0.05, 4.0, size=[k]).astype(dt)
    a = rng.uniform(-5.0, 4.0, size=[k])
    w = np.exp(rng.uniform(-5.0, 2.5, size=[k]))
    lo = (m + a * s).astype(dt)
    hi = (m + (a + w) * s).astype(dt)
    hi = np.where(hi > lo, hi, lo + dt(1)).astype(dt)
    kind = rng.randint(4)
    if kind == 1:
        lo = np.where(rng.rand(k) < 0.3, dt(-np.inf), lo).astype(dt)
    if kind == 2:
        hi = np.where(rng.rand(k) < 0.3, dt(np.inf), hi).astype(dt)
    n = int(rng.randint(1, 30))
    seed = [int(rng.randint(-2**31, 2**31 - 1)), int(rng.randint(-2**31, 2**31 - 1))]
    out({P}([n, k], seed, m, s, lo, hi))
""")
add("ptn_param_forms", f"""
err(lambda: {P}([4], [1, 2], [0.5], [2.0], [-1.0], [3.0]))   # shape must END with [1]
err(lambda: {P}([2, 4], [1, 2], [[0.5]], 1.0, -1.0, 3.0))
out({P}([4, 1], [1, 2], [0.5], [2.0], [-1.0], [3.0]))
out({P}([2, 1, 1], [1, 2], [[0.5]], 1.0, -1.0, 3.0))
out({P}([3, 1], [1, 2], [[0.0], [1.0], [2.0]], 1.0, 0.0, 1.0))
out({P}([5, 3, 4], [1, 2], [[0.0], [1.0], [2.0]], [1.0, 2.0, 3.0, 4.0], -3.0, 1.0))
out({P}([2, 2], [1, 2], np.array([1e30, -1e30], np.float32), 1e30, -np.inf, np.array([1e30, 0.0], np.float32)))
out({P}([8], [1, 2], 0.0, 1e-30, -1e-30, 1e-30))
out({P}([8], [1, 2], 100.0, 1e-3, 99.0, 100.0000001))
out({P}([8], [1, 2], np.float64(0.0), np.float64(1e-300), np.float64(-1e-300), np.float64(1e-300)))
out({P}([8], [1, 2], np.float16(0.0), np.float16(1.0), np.float16(-65504.0), np.float16(np.inf)))
out({P}([8], [1, 2], np.float16(1000.0), np.float16(0.001), np.float16(-np.inf), np.float16(1000.0)))
out({P}([8], [2**31 - 1, -2**31]))
out({P}([8], np.array([2**40, -2**50], np.int64)))
""")
add("ptn_function_traced_params", f"""
f = R.function(lambda m, s, lo, hi: {P}([3, 4], [5, 6], m, s, lo, hi))
out(f(np.array([0.0, 1.0, 2.0, 3.0], np.float32), np.float32(1.0), np.array([-1.0, 2.0, 0.0, 3.5], np.float32), np.float32(4.0)))
out(f(np.array([0.0, 1.0, 2.0, 3.0], np.float32), np.float32(0.5), np.array([-1.0, 0.0, 10.0, 3.5], np.float32), np.float32(12.0)))
""")
add("ptn_xla_more", f"""
f = R.function(lambda s, m, sd, lo, hi: {P}([5, 4], s, m, sd, lo, hi), jit_compile=True)
f32 = lambda v: np.array(v, np.float32)
out(f(np.array([1, 2], np.int32), f32([0.0, 1.0, 2.0, 3.0]), f32(1.0), f32([-1.0, 2.0, 0.0, 3.5]), f32([1.0, 3.0, 9.0, 4.0])))
out(f(np.array([7, -3], np.int32), f32(0.0), f32([0.5, 1.0, 2.0, 3.0]), f32(-2.0), f32(2.0)))
out(f(np.array([7, 8], np.int32), f32(0.0), f32(1.0), f32(2.0), f32(np.inf)))
g = R.function(lambda s: {P}([3, 6], s, np.float64(1.0), np.float64(2.0), np.float64(-1.0), np.float64(4.0)), jit_compile=True)
out(g(np.array([1, 2], np.int32)))
h = R.function(lambda s: {P}([10], s, np.float16(0.0), np.float16(1.0), np.float16(-1.0), np.float16(1.5)), jit_compile=True)
out(h(np.array([1, 2], np.int32)))
k = R.function(lambda: {P}([6], [3, 4], 0.0, 1.0, -0.5, 0.5), jit_compile=True)
out(k())
e = R.function(lambda s: {P}([4], s, 0.0, 1.0, 1.0, 0.5), jit_compile=True)
err(lambda: out(e(np.array([1, 2], np.int32))))
i64 = R.function(lambda s: {P}([4], s), jit_compile=True)
err(lambda: out(i64(np.array([1, 2], np.int64))))
""")
