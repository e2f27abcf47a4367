# TensorFlow 2.21 CPU under tf.function(jit_compile=True), second part (docs/xla.md): the
# parameterized truncated normal's XLA lowering, Generator.make_seeds inside functions, and the
# ThreeFry algorithm (Generators with alg="threefry" and stateless ops with alg="threefry"), which
# only XLA runs. Replayed through compat by tests/test_xla2.py.
# `record.py tf_xla2_scenarios.py OUT.json --list S --note 'tf.function(jit_compile=True)'` records
# them; tf_xla2_expected.json holds them and tf_xla2_run2.json a second recording in other
# processes (the test checks both are the same: TensorFlow is deterministic here).
S = []


def scenario(name):
    def add(src):
        S.append((name, src))
        return src
    return add


P = "R.stateless_parameterized_truncated_normal"

# --- parameterized truncated normal -------------------------------------------------------------
scenario("xla2_ptn_traced")(f"""
f32 = lambda v: np.array(v, np.float32)
f = R.function(lambda s, m, sd, lo, hi: {P}([6, 4], s, m, sd, lo, hi), jit_compile=True)
for seed in ([1, 2], [0, 0], [-3, 7], [2**31 - 1, -2**31]):
    s = np.array(seed, np.int32)
    out(f(s, f32([0.0, 1.0, 2.0, 3.0]), f32(1.0), f32([-1.0, 2.0, 0.0, 3.5]), f32([1.0, 3.0, 9.0, 4.0])))
    out(f(s, f32(0.0), f32([0.5, 1.0, 2.0, 3.0]), f32(-2.0), f32(2.0)))
    out(f(s, f32(0.0), f32(1.0), f32([2.0, 4.0, 6.0, 9.0]), f32(np.inf)))
    out(f(s, f32(0.0), f32(1.0), f32(-np.inf), f32([-2.0, -4.0, -6.0, 0.0])))
    out(f(s, f32([10.0, -10.0, 0.0, 5.0]), f32([0.1, 3.0, 1e-3, 7.0]), f32([9.9, -30.0, -1e-4, 5.0]), f32([10.2, 30.0, 1e-4, 5.5])))
    out(f(s, f32(0.0), f32(1.0), f32([0.1, -0.3, 3.5, -8.0]), f32([0.1001, -0.2, 3.7, -7.5])))
g = R.function(lambda s, m, sd, lo, hi: {P}([3], s, m, sd, lo, hi), jit_compile=True)
for args in ((0.0, 1.0, -1.0, 1.0), (0.0, 1.0, 2.0, np.inf), (0.0, 1.0, -np.inf, -3.0), (5.0, 2.0, 4.0, 4.5),
             (0.0, 1.0, 3.8, 3.9), (0.0, 1.0, 5.0, 6.0), (1.0, 0.5, -np.inf, np.inf), (0.0, 1.0, 0.0, 1e-6)):
    out(g(np.array([4, 5], np.int32), *(f32(a) for a in args)))
""")
scenario("xla2_ptn_shapes_dtypes")(f"""
for dt in (np.float32, np.float64, np.float16):
    c = lambda v: np.array(v, dt)
    f = R.function(lambda s, m, sd, lo, hi: {P}([2, 3, 4], s, m, sd, lo, hi), jit_compile=True)
    out(f(np.array([1, 2], np.int32), c([[0.0, 1.0, 2.0, 3.0]] * 3), c([1.0, 2.0, 0.5, 1.5]), c(-1.0), c([1.0, 4.0, 3.0, 6.0])))
    out(f(np.array([9, 8], np.int32), c(0.0), c(1.0), c([[-3.0], [0.5], [2.5]]), c(np.inf)))
    g = R.function(lambda s, m, sd, lo, hi: {P}([], s, m, sd, lo, hi), jit_compile=True)
    out(g(np.array([1, 2], np.int32), c(0.0), c(1.0), c(-1.0), c(1.0)))
    h = R.function(lambda s, m, sd, lo, hi: {P}([0, 3], s, m, sd, lo, hi), jit_compile=True)
    out(h(np.array([1, 2], np.int32), c(0.0), c(1.0), c(-1.0), c(1.0)))
    k = R.function(lambda s, m, sd, lo, hi: {P}([1000], s, m, sd, lo, hi), jit_compile=True)
    out(k(np.array([5, 6], np.int32), c(0.5), c(2.0), c(-3.0), c(np.inf)))
    out(k(np.array([5, 6], np.int32), c(0.0), c(1.0), c(-1.0), c(1.0)))
""")
scenario("xla2_ptn_constant_params")(f"""
for args in ((0.0, 1.0, -1.0, 1.0), (0.0, 1.0, 2.0, float("inf")), (0.0, 1.0, float("-inf"), -3.0),
             (5.0, 2.0, 4.0, 4.5), (0.0, 1.0, 3.8, 3.9), (0.0, 1.0, 5.0, 6.0), (0.0, 1.0, 1.0, 0.5),
             (2.0, 3.0, -10.0, 30.0)):
    f = R.function(lambda s: {P}([7], s, *args), jit_compile=True)
    out(f(np.array([3, 4], np.int32)))
    out(f(np.array([-5, 11], np.int32)))
g = R.function(lambda s: {P}([5], s, np.float64(0.0), np.float64(1.0), np.float64(2.0), np.float64(np.inf)), jit_compile=True)
out(g(np.array([3, 4], np.int32)))
h = R.function(lambda s: {P}([5], s, np.float16(0.0), np.float16(1.0), np.float16(2.0), np.float16(np.inf)), jit_compile=True)
out(h(np.array([3, 4], np.int32)))
k = R.function(lambda m: {P}([6], [3, 4], m, 1.0, -0.5, 0.5), jit_compile=True)
out(k(np.float32(0.25)))
c = R.function(lambda: {P}([6], [3, 4], 0.0, 1.0, 2.0, float("inf")), jit_compile=True)
out(c())
""")
scenario("xla2_ptn_fuzz")(f"""
rng = np.random.RandomState(7)
f = R.function(lambda s, m, sd, lo, hi: {P}([9, 5], s, m, sd, lo, hi), jit_compile=True)
for trial in range(12):
    m = rng.normal(0, 3, size=[5]).astype(np.float32)
    sd = rng.uniform(0.05, 4.0, size=[5]).astype(np.float32)
    a = rng.uniform(-6.0, 5.0, size=[5])
    w = np.exp(rng.uniform(-6.0, 2.5, size=[5]))
    lo = (m + a * sd).astype(np.float32)
    hi = (m + (a + w) * sd).astype(np.float32)
    hi = np.where(hi > lo, hi, lo + np.float32(1)).astype(np.float32)
    kind = trial % 4
    if kind == 1:
        lo = np.where(rng.rand(5) < 0.5, np.float32(-np.inf), lo).astype(np.float32)
    if kind == 2:
        hi = np.where(rng.rand(5) < 0.5, np.float32(np.inf), hi).astype(np.float32)
    seed = np.array([rng.randint(-2**31, 2**31 - 1), rng.randint(-2**31, 2**31 - 1)], np.int32)
    out(f(seed, m, sd, lo, hi))
g = R.function(lambda s, m, sd, lo, hi: {P}([40], s, m, sd, lo, hi), jit_compile=True)
for trial in range(6):
    m, sd = np.float64(rng.normal(0, 2)), np.float64(rng.uniform(0.1, 3))
    lo = np.float64(m + rng.uniform(-6, 5) * sd)
    hi = np.float64(np.inf) if trial % 2 else np.float64(lo + rng.uniform(0.01, 5) * sd)
    out(g(np.array([trial, 7], np.int32), m, sd, lo, hi))
""")
scenario("xla2_ptn_repeat_and_errors")(f"""
f32 = lambda v: np.array(v, np.float32)
f = R.function(lambda s, lo: {P}([4], s, 0.0, 1.0, lo, 3.0), jit_compile=True)
for _ in range(3):
    out(f(np.array([1, 2], np.int32), f32(0.5)))
err(lambda: out(f(np.array([1, 2], np.int64), f32(0.5))))
out(f(np.array([1, 2], np.int32), f32(4.0)))
out(f(np.array([1, 2], np.int32), f32(np.nan)))
e = R.function(lambda s, sd: {P}([4], s, 0.0, sd, -1.0, 1.0), jit_compile=True)
out(e(np.array([1, 2], np.int32), f32(-1.0)))
out(e(np.array([1, 2], np.int32), f32(0.0)))
err(lambda: R.function(lambda s: {P}([4], s, [0.0, 1.0], 1.0, -1.0, 1.0), jit_compile=True)(np.array([1, 2], np.int32)))
err(lambda: R.function(lambda s: {P}([4], s, np.float64(0.0), 1.0, -1.0, 1.0), jit_compile=True)(np.array([1, 2], np.int32)))
err(lambda: R.function(lambda s: {P}([-1], s), jit_compile=True)(np.array([1, 2], np.int32)))
out(R.function(lambda s: {P}([2, 2], s, f32([0.0, 1.0])), jit_compile=True)(np.array([1, 2], np.int32)))
""")

# --- Generator.make_seeds inside functions ------------------------------------------------------
scenario("xla2_make_seeds")("""
for jit in (False, True):
    g = R.Generator.from_seed(11)
    f = R.function(lambda: g.make_seeds(3), jit_compile=jit)
    out(f())
    out(f())
    out(g.state)
    out(g.make_seeds(2))
    out(f())
    out(g.state)
    h = R.function(lambda: (g.make_seeds(1), g.uniform([2]), g.make_seeds(4)), jit_compile=jit)
    out(h())
    out(g.state)
    k = R.function(lambda: R.stateless_normal([3], seed=g.make_seeds(2)[:, 1]), jit_compile=jit)
    out(k())
    out(k())
    out(g.state)
    z = R.function(lambda: g.make_seeds(0), jit_compile=jit)
    out(z())
    out(g.state)
for state in ([2**63 - 1, -1, 5], [-256, 3, -9]):
    g = R.Generator.from_state(state, alg="philox")
    for jit in (False, True):
        out(R.function(lambda: g.make_seeds(2), jit_compile=jit)())
        out(g.state)
g = R.Generator.from_seed(3, alg="auto_select")
out(R.function(lambda: g.make_seeds(5), jit_compile=True)())
out(g.state)
""")

# --- ThreeFry -----------------------------------------------------------------------------------
scenario("xla2_threefry_generator")("""
for seed in (0, 5, -7, 2**40 + 3):
    g = R.Generator.from_seed(seed, alg="threefry")
    out(g.state)
    f = R.function(lambda: (g.uniform([5]), g.normal([5]), g.truncated_normal([5])), jit_compile=True)
    out(f())
    out(f())
    out(g.state)
g = R.Generator.from_seed(9, alg="threefry")
for shape in ([2, 3], [3, 1, 3], [], [1], [4, 1], [3, 5], [0], [7], [2, 2, 2]):
    f = R.function(lambda: (g.uniform(shape), g.normal(shape), g.truncated_normal(shape),
                            g.uniform_full_int(shape, dtype=R.uint32)), jit_compile=True)
    out(f())
    out(g.state)
""")
scenario("xla2_threefry_generator_dtypes")("""
g = R.Generator.from_seed(21, alg="threefry")
for dt in (R.float32, R.float64, R.float16, R.bfloat16):
    for shape in ([5], [2, 3], [3, 3]):
        f = R.function(lambda: (g.uniform(shape, dtype=dt), g.normal(shape, dtype=dt),
                                g.truncated_normal(shape, dtype=dt),
                                g.uniform(shape, minval=-2.5, maxval=3.0, dtype=dt),
                                g.normal(shape, mean=1.5, stddev=0.25, dtype=dt)), jit_compile=True)
        out(f())
        out(g.state)
for dt in (R.int32, R.int64, R.uint32, R.uint64):
    for shape in ([5], [2, 3], []):
        f = R.function(lambda: g.uniform_full_int(shape, dtype=dt), jit_compile=True)
        out(f())
        out(g.state)
for dt, lo, hi in ((R.int32, 0, 10), (R.int32, -5, 7), (R.int32, -2**31, 2**31 - 1), (R.int64, 0, 10),
                   (R.int64, -2**40, 2**41 + 5), (R.int64, -2**63, 2**63 - 1)):
    for shape in ([5], [2, 3]):
        f = R.function(lambda: g.uniform(shape, minval=lo, maxval=hi, dtype=dt), jit_compile=True)
        out(f())
        out(g.state)
""")
scenario("xla2_threefry_generator_states")("""
for state in ([1, 2], [0, 0], [2**63 - 1, 7], [-1, -1], [-256, 12345], [-2, 2**40]):
    g = R.Generator.from_state(state, alg="threefry")
    f = R.function(lambda: (g.uniform_full_int([4], dtype=R.uint32), g.uniform([3])), jit_compile=True)
    out(f())
    out(g.state)
    out(f())
    out(g.state)
for alg in (2, "threefry"):
    g = R.Generator.from_seed(4, alg=alg)
    out(R.function(lambda: g.uniform([3]), jit_compile=True)())
    out(g.state)
g = R.Generator.from_seed(13, alg="threefry")
f = R.function(lambda: (g.make_seeds(3), g.uniform([2])), jit_compile=True)
out(f())
out(f())
out(g.state)
h = R.Generator.from_seed(13, alg="threefry")
inner = R.function(lambda: h.normal([3]))
outer = R.function(lambda: (inner(), h.uniform([2])), jit_compile=True)
out(outer())
out(h.state)
""")
scenario("xla2_threefry_eager_errors")("""
g = R.Generator.from_seed(5, alg="threefry")
out(g.state)
err(lambda: g.uniform([3]))
out(g.state)
err(lambda: g.normal([3]))
err(lambda: g.uniform_full_int([3], dtype=R.uint32))
err(lambda: g.make_seeds(2))
out(g.state)
err(lambda: R.function(lambda: g.uniform([3]))())
out(g.state)
err(lambda: R.stateless_uniform([3], seed=[1, 2], alg="threefry"))
err(lambda: R.stateless_normal([3], seed=[1, 2], alg="threefry"))
err(lambda: R.stateless_truncated_normal([3], seed=[1, 2], alg="threefry"))
err(lambda: R.stateless_uniform([3], seed=[1, 2], minval=0, maxval=5, dtype=R.int32, alg="threefry"))
err(lambda: R.stateless_uniform([3], seed=[1, 2], alg=2))
err(lambda: R.function(lambda: R.stateless_uniform([3], seed=[1, 2], alg="threefry"))())
err(lambda: R.function(lambda s: R.stateless_uniform([3], seed=s, alg="threefry"))(R.constant([1, 2])))
out(R.create_rng_state(5, "threefry"))
out(R.create_rng_state(-3, 2))
h = R.Generator.from_state([7, 8], alg="threefry")
out(h.state)
out(R.function(lambda: h.uniform([2]), jit_compile=True)())
err(lambda: h.uniform([2]))
out(h.state)
""")
scenario("xla2_threefry_stateless")("""
for seed in ([1, 2], [0, 0], [-3, 7], [2**31 - 1, -2**31]):
    for shape in ([5], [2, 3], [3, 1, 3], [], [4, 1], [3, 5], [6]):
        f = R.function(lambda: (R.stateless_uniform(shape, seed=seed, alg="threefry"),
                                R.stateless_normal(shape, seed=seed, alg="threefry"),
                                R.stateless_truncated_normal(shape, seed=seed, alg="threefry")), jit_compile=True)
        out(f())
t = R.function(lambda s: (R.stateless_uniform([5], seed=s, alg="threefry"),
                          R.stateless_normal([4], seed=s, alg=2)), jit_compile=True)
for seed in (R.constant([1, 2]), R.constant([-3, 7]), R.constant([2**40 + 3, -5], R.int64), R.constant([-1, 2**33], R.int64)):
    out(t(seed))
""")
scenario("xla2_threefry_stateless_dtypes")("""
for dt in (R.float32, R.float64, R.float16, R.bfloat16):
    for shape in ([5], [2, 3]):
        f = R.function(lambda: (R.stateless_uniform(shape, seed=[4, 5], dtype=dt, alg="threefry"),
                                R.stateless_normal(shape, seed=[4, 5], dtype=dt, alg="threefry"),
                                R.stateless_truncated_normal(shape, seed=[4, 5], dtype=dt, alg="threefry"),
                                R.stateless_uniform(shape, seed=[4, 5], minval=-2.5, maxval=3.0, dtype=dt, alg="threefry"),
                                R.stateless_normal(shape, seed=[4, 5], mean=1.5, stddev=0.25, dtype=dt, alg="threefry")),
                       jit_compile=True)
        out(f())
for dt, lo, hi in ((R.int32, 0, 10), (R.int32, -5, 7), (R.int32, -2**31, 2**31 - 1), (R.int64, 0, 10),
                   (R.int64, -2**40, 2**41 + 5), (R.int64, -2**63, 2**63 - 1), (R.int32, 3, 4)):
    for shape in ([5], [2, 3], []):
        f = R.function(lambda: R.stateless_uniform(shape, seed=[1, 2], minval=lo, maxval=hi, dtype=dt, alg="threefry"),
                       jit_compile=True)
        out(f())
for dt in (R.int32, R.int64, R.uint32, R.uint64):
    for shape in ([5], [2, 3], []):
        f = R.function(lambda: R.stateless_uniform(shape, seed=[1, 2], minval=None, maxval=None, dtype=dt, alg="threefry"),
                       jit_compile=True)
        out(f())
""")
scenario("xla2_threefry_other_ops")("""
x = R.constant(np.arange(1, 25, dtype=np.float32).reshape(4, 6))
for op in (lambda: R.stateless_dropout(x, 0.5, seed=[1, 2], rng_alg="threefry"),
           lambda: R.split([1, 2], 3, alg="threefry"),
           lambda: R.fold_in([1, 2], 5, alg="threefry"),
           lambda: R.stateless_uniform([3], seed=[1, 2], alg="philox"),
           lambda: R.stateless_uniform([3], seed=[1, 2], alg="auto_select")):
    err(lambda: out(R.function(op, jit_compile=True)()))
""")

# --- second batch -------------------------------------------------------------------------------
scenario("xla2_ptn_partly_constant")(f"""
f32 = lambda v: np.array(v, np.float32)
rng = np.random.RandomState(11)
for trial in range(5):
    m, sd = float(rng.normal(0, 2)), float(rng.uniform(0.2, 3))
    lo = float(m + rng.uniform(-6, 5) * sd)
    hi = float("inf") if trial % 3 == 0 else float(lo + rng.uniform(0.01, 6) * sd)
    f = R.function(lambda s: {P}([3, 5], s, m, sd, lo, hi), jit_compile=True)
    out(f(np.array([trial, -trial], np.int32)))
    g = R.function(lambda s, mm: {P}([5], s, mm, sd, lo, hi), jit_compile=True)
    out(g(np.array([trial, 3], np.int32), f32(m)))
    h = R.function(lambda s, l: {P}([5], s, m, sd, l, hi), jit_compile=True)
    out(h(np.array([trial, 3], np.int32), f32(lo)))
for dt in (np.float64, np.float16):
    for args in ((0.0, 1.0, -1.0, 1.0), (0.0, 1.0, 2.0, np.inf), (1.0, 2.0, -3.0, 0.5), (0.0, 1.0, 3.0, 4.0)):
        a = [dt(v) for v in args]
        f = R.function(lambda s: {P}([6], s, *a), jit_compile=True)
        out(f(np.array([1, 2], np.int32)))
for lo in (3.70, 3.7439, 3.75, 5.3):
    f = R.function(lambda s, l: {P}([4], s, 0.0, 0.70710677, l, np.float32(np.inf)), jit_compile=True)
    out(f(np.array([2, 2], np.int32), f32(lo / np.sqrt(2))))
    out(f(np.array([2, 2], np.int32), f32(-lo)))
""")
scenario("xla2_threefry_more")("""
g = R.Generator.from_key_counter(77, [5], alg="threefry")
out(g.state)
f = R.function(lambda: (g.uniform([1000]), g.normal([3, 5, 7]), g.truncated_normal([5, 3]),
                        g.uniform([7], dtype=R.float64), g.normal([5], dtype=R.float64)), jit_compile=True)
for _ in range(2):
    r = f()
    out([x[::37] if len(x.shape) == 1 else x for x in r])
    out(g.state)
h = R.Generator.from_state([-300, 9], alg="threefry")
k = R.function(lambda: (h.uniform_full_int([2], dtype=R.int64), h.uniform([3])), jit_compile=True)
for _ in range(3):
    out(k())
    out(h.state)
x16 = R.constant(np.arange(1, 13, dtype=np.float16).reshape(3, 4))
out(R.function(lambda: R.stateless_dropout(x16, 0.4, seed=[8, 1], rng_alg="threefry", noise_shape=[1, 4]), jit_compile=True)())
t = R.function(lambda s: (R.split(s, 4, alg="threefry"), R.fold_in(s, 7, alg="threefry")), jit_compile=True)
out(t(R.constant([3, 9])))
out(t(R.constant([2**40, -7], R.int64)))
q = R.Generator.from_seed(31, alg="threefry")
m = R.function(lambda: R.stateless_uniform([4], seed=q.make_seeds(1)[:, 0], alg="threefry"), jit_compile=True)
out(m())
out(m())
out(q.state)
err(lambda: q.split(2))
out(q.state)
e = R.Generator.from_seed(3, alg="threefry")
err(lambda: R.function(lambda: e.uniform([-1]), jit_compile=True)())
out(e.state)
err(lambda: R.function(lambda: e.binomial([2], counts=[10.0, 20.0], probs=0.5), jit_compile=True)())
out(e.state)
""")
scenario("xla2_make_seeds_more")("""
g = R.Generator.from_seed(5)
inner = R.function(lambda: g.make_seeds(2))
outer = R.function(lambda: (inner(), g.make_seeds(1)), jit_compile=True)
out(outer())
out(g.state)
plain = R.function(lambda: (inner(), g.normal([2])))
out(plain())
out(g.state)
out(g.uniform([2]))
out(plain())
out(g.state)
for count in (1, 7, 64):
    out(R.function(lambda: g.make_seeds(count))())
    out(g.state)
err(lambda: R.function(lambda: g.make_seeds(-1))())
out(g.state)
""")

# --- third batch: a constant stddev (XLA multiplies by its reciprocal) ---------------------------
scenario("xla2_ptn_constant_stddev")(f"""
rng = np.random.RandomState(5)
f32 = np.float32
for trial in range(6):
    m, sd = f32(rng.normal(0, 2)), f32(rng.uniform(0.2, 3))
    lo = f32(m + rng.uniform(-3, 2) * sd)
    hi = f32(lo + rng.uniform(0.1, 4) * sd) if trial % 2 else f32(np.inf)
    f = R.function(lambda s: {P}([16], s, m, sd, lo, hi), jit_compile=True)
    out(f(np.array([1, 2], np.int32)))
    g = R.function(lambda s, mm: {P}([16], s, mm, sd, lo, hi), jit_compile=True)
    out(g(np.array([1, 2], np.int32), m))
    h = R.function(lambda s, l, u: {P}([16], s, m, sd, l, u), jit_compile=True)
    out(h(np.array([1, 2], np.int32), lo, hi))
    k = R.function(lambda s, d: {P}([16], s, m, d, lo, hi), jit_compile=True)
    out(k(np.array([1, 2], np.int32), sd))
for dt in (np.float64, np.float16):
    for trial in range(3):
        m, sd = dt(rng.normal(0, 2)), dt(rng.uniform(0.2, 3))
        lo = dt(m + dt(rng.uniform(-3, 2)) * sd)
        f = R.function(lambda s: {P}([8], s, m, sd, lo, dt(np.inf)), jit_compile=True)
        out(f(np.array([3, 4], np.int32)))
        g = R.function(lambda s, mm: {P}([8], s, mm, sd, lo, dt(np.inf)), jit_compile=True)
        out(g(np.array([3, 4], np.int32), m))
v = R.function(lambda s, mm: {P}([3, 4], s, mm, f32([0.3, 1.7, 2.9, 0.45]), f32(-1.0), f32([0.5, 2.0, 7.0, np.inf])), jit_compile=True)
out(v(np.array([5, 6], np.int32), f32([0.1, -0.2, 0.3, 0.4])))
""")
