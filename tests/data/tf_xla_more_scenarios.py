# TensorFlow 2.21 CPU under tf.function(jit_compile=True), second batch (tests/test_xla.py): XLA's
# truncated normal over many seeds, sizes and dtypes (its erfinv, rounded as TensorFlow's XLA
# program rounds it); float64 stateless_uniform with bounds, the seed a constant and an argument
# (where TensorFlow rounds `raw * (max - min) + min` once or twice); a seed written as a Python
# list holding a traced scalar; integer uniform with minval == maxval.
# `record.py tf_xla_more_scenarios.py tf_xla_more_expected.json --list S
#  --note 'tf.function(jit_compile=True)'` records them.
S = []


def scenario(name):
    def add(src):
        S.append((name, src))
        return src
    return add


_SEEDS = ("[[1, 2], [0, 0], [-3, 7], [2**31 - 1, -1], [12345, -2**31], [5, 6], [-1, -1], [77, 3],"
          " [1000003, 99], [-424242, 17], [3, -5], [2**30, 2**30 + 1]]")

scenario("xla_tn_seed_argument")(f"""
for dt in (R.float32, R.float64, R.float16, R.bfloat16):
    t = R.function(lambda s: R.stateless_truncated_normal([1000], seed=s, dtype=dt), jit_compile=True)
    for seed in {_SEEDS}:
        out(t(R.constant(seed)))
""")
scenario("xla_tn_constant_seed")("""
for dt in (R.float32, R.float64, R.float16, R.bfloat16):
    for shape in ([7], [2, 3], [3, 5, 2], [64], [1001]):
        for seed in ([1, 2], [-3, 7]):
            f = R.function(lambda: R.stateless_truncated_normal(shape, seed=seed, dtype=dt), jit_compile=True)
            out(f())
""")
scenario("xla_tn_moments")(f"""
for dt in (R.float32, R.float64, R.float16, R.bfloat16):
    t = R.function(lambda s: R.stateless_truncated_normal([500], seed=s, mean=0.7, stddev=2.9, dtype=dt),
                   jit_compile=True)
    for seed in {_SEEDS}[:4]:
        out(t(R.constant(seed)))
    f = R.function(lambda: (R.stateless_truncated_normal([300], seed=[9, 8], mean=-4.0, stddev=0.1, dtype=dt),
                            R.stateless_truncated_normal([300], seed=[-9, 8], dtype=dt) * 2.0 + 1.0),
                   jit_compile=True)
    out(f())
""")
scenario("xla_tn_generator")("""
for dt in (R.float32, R.float64, R.float16, R.bfloat16):
    g = R.Generator.from_seed(31)
    f = R.function(lambda: g.truncated_normal([777], dtype=dt), jit_compile=True)
    for _ in range(3):
        out(f())
    out(g.state)
""")
scenario("xla_uniform_f64_bounds_argument")("""
for lo, hi in ((-1.1, 2.3), (-2.5, 3.0)):
    for n in (6, 7, 16, 33, 64, 100, 200, 1000):
        t = R.function(lambda s: R.stateless_uniform([n], seed=s, minval=lo, maxval=hi, dtype=R.float64),
                       jit_compile=True)
        for seed in ([4, 5], [1, 2], [0, 0]):
            out(t(R.constant(seed)))
""")
scenario("xla_uniform_f64_bounds_constant")("""
for lo, hi in ((-1.1, 2.3), (-2.5, 3.0)):
    for n in (5, 6, 7, 8, 16, 17, 32, 33, 64, 65, 100, 101, 200):
        for seed in ([4, 5], [1, 2]):
            f = R.function(lambda: R.stateless_uniform([n], seed=seed, minval=lo, maxval=hi, dtype=R.float64),
                           jit_compile=True)
            out(f())
""")
scenario("xla_uniform_f32_bounds_argument")("""
for n in (6, 100, 1000):
    t = R.function(lambda s: R.stateless_uniform([n], seed=s, minval=-1.1, maxval=2.3), jit_compile=True)
    for seed in ([4, 5], [1, 2]):
        out(t(R.constant(seed)))
""")
scenario("xla_list_seed_traced")("""
for jit in (True, False):
    g = R.function(lambda n: R.stateless_uniform([3], seed=[n, 1]) * 2.0, jit_compile=jit)
    out(g(R.constant(1)))
    out(g(R.constant(2)))
    h = R.function(lambda n, m: (R.stateless_normal([4], seed=[m, n]), R.stateless_truncated_normal([2, 2], seed=(n, 5)),
                                 R.stateless_uniform([2], seed=[7, n], minval=0, maxval=100, dtype=R.int32)),
                   jit_compile=jit)
    out(h(R.constant(3), R.constant(-4)))
    out(h(R.constant(-3), R.constant(9)))
    k = R.function(lambda n: R.stateless_uniform([5], seed=[n, 2], dtype=R.float64), jit_compile=jit)
    out(k(R.constant(6, R.int64)))
    out(k(R.constant(-2**40, R.int64)))
    c = R.function(lambda n: R.stateless_categorical(R.constant([[0.0, 1.0, 2.0]]), 4, seed=[n, n]), jit_compile=jit)
    out(c(R.constant(8)))
""")
scenario("xla_int_equal_bounds")("""
g = R.Generator.from_seed(2)
f = R.function(lambda: g.uniform([3], minval=4, maxval=4, dtype=R.int32), jit_compile=True)
out(f())
out(g.state)
out(f())
out(g.state)
h = R.Generator.from_seed(-9)
k = R.function(lambda: (h.uniform([2, 2], minval=-7, maxval=-7, dtype=R.int64), h.uniform([2])), jit_compile=True)
out(k())
out(h.state)
out(R.function(lambda: R.stateless_uniform([3], seed=[1, 2], minval=5, maxval=5, dtype=R.int32), jit_compile=True)())
out(R.function(lambda: R.stateless_uniform([4], seed=[-3, 7], minval=0, maxval=0, dtype=R.int64), jit_compile=True)())
out(R.function(lambda: R.stateless_uniform([], seed=[0, 0], minval=9, maxval=9, dtype=R.int32), jit_compile=True)())
err(lambda: out(R.function(lambda: R.stateless_uniform([3], seed=[1, 2], minval=6, maxval=5, dtype=R.int32), jit_compile=True)()))
g2 = R.Generator.from_seed(3)
err(lambda: out(R.function(lambda: g2.uniform([3], minval=6, maxval=5, dtype=R.int32), jit_compile=True)()))
out(g2.state)
""")
scenario("xla_tn_small_constant")("""
for dt in (R.float32, R.float64, R.float16, R.bfloat16):
    for shape in ([], [1], [2], [3], [4], [2, 2], [5], [8]):
        for seed in ([1, 2], [-3, 7], [2**31 - 1, -1], [5, 6], [-1, -1], [77, 3])[:6 if dt in (R.float32, R.float64) else 2]:
            f = R.function(lambda: R.stateless_truncated_normal(shape, seed=seed, dtype=dt), jit_compile=True)
            out(f())
    f = R.function(lambda: R.stateless_truncated_normal([3], seed=[4, 4], mean=0.5, stddev=1.5, dtype=dt), jit_compile=True)
    out(f())
""")
