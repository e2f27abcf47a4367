# TensorFlow 2.21 CPU under tf.function(jit_compile=True): the XLA lowering of its random ops
# (tf2xla's stateless_random_ops_v2.cc / stateful_random_ops.cc and XLA's prng.cc). Nearly every
# function here is compiled with jit_compile=True (a few plain ones are called from, or call, such
# functions); the same functions run through compat.function in tests/test_xla.py.
# `record.py tf_xla_scenarios.py OUT.json --list S --note 'tf.function(jit_compile=True)'` records
# them all (tf_xla_expected.json holds them, recorded in batches in the order below).
# S: the deterministic scenarios (replayed bit for bit); STATEFUL: the stateful ops, recorded
# twice in separate processes as evidence of what TensorFlow does (see docs/xla.md).
S = []
STATEFUL = []


def scenario(name, where=S):
    def add(src):
        where.append((name, src))
        return src
    return add


_FLOAT = """
for dt in {dtypes}:
    for shape in {shapes}:
        for seed in {seeds}:
            f = R.function(lambda: R.{op}(shape, seed=seed, dtype=dt{extra}), jit_compile=True)
            out(f())
"""
_DTYPES = "(R.float32, R.float16, R.bfloat16, R.float64)"
_SEEDS_SMALL = "([1, 2], [0, 0])"
_SEEDS_WIDE = "([1, 2], [0, 0], [-3, 7], [2**31 - 1, -1], [12345, -2**31])"
for op, extra in (("stateless_uniform", ""), ("stateless_normal", ""),
                  ("stateless_truncated_normal", "")):
    scenario(f"xla_{op}_dtypes")(_FLOAT.format(
        dtypes=_DTYPES, shapes="([5], [2, 3], [3, 1, 3], [], [1], [4, 1], [3, 5], [0], [1000])",
        seeds=_SEEDS_SMALL, op=op, extra=extra))
    scenario(f"xla_{op}_seeds")(_FLOAT.format(
        dtypes="(R.float32, R.float64)", shapes="([7], [2, 2])", seeds=_SEEDS_WIDE, op=op,
        extra=extra))
scenario("xla_stateless_uniform_bounds")(_FLOAT.format(
    dtypes=_DTYPES, shapes="([6],)", seeds=_SEEDS_SMALL, op="stateless_uniform",
    extra=", minval=-2.5, maxval=3"))
scenario("xla_stateless_normal_moments")(_FLOAT.format(
    dtypes=_DTYPES, shapes="([6], [3])", seeds=_SEEDS_SMALL, op="stateless_normal",
    extra=", mean=1.5, stddev=0.25"))
scenario("xla_stateless_truncated_normal_moments")(_FLOAT.format(
    dtypes=_DTYPES, shapes="([6], [3])", seeds=_SEEDS_SMALL, op="stateless_truncated_normal",
    extra=", mean=-1, stddev=3"))

scenario("xla_stateless_int")("""
for dt, lo, hi in ((R.int32, 0, 10), (R.int32, -5, 7), (R.int32, -2**31, 2**31 - 1),
                   (R.int64, 0, 10), (R.int64, -2**40, 2**41 + 5), (R.int64, -2**63, 2**63 - 1),
                   (R.int32, 3, 4)):
    for shape in ([5], [2, 3], [], [1]):
        for seed in ([1, 2], [0, 0], [-3, 7]):
            f = R.function(lambda: R.stateless_uniform(shape, seed=seed, minval=lo, maxval=hi,
                                                        dtype=dt), jit_compile=True)
            out(f())
""")
scenario("xla_stateless_full_int")("""
for dt in (R.int32, R.int64, R.uint32, R.uint64):
    for shape in ([5], [2, 3], [], [1]):
        for seed in ([1, 2], [0, 0], [-3, 7]):
            f = R.function(lambda: R.stateless_uniform(shape, seed=seed, minval=None, maxval=None,
                                                        dtype=dt), jit_compile=True)
            out(f())
""")
scenario("xla_stateless_seed_forms")("""
for seed in (R.constant([2**40 + 3, 5], R.int64), R.constant([-1, -2], R.int64),
             R.constant([7, 2**33 - 1], R.int64), R.constant([1, 2], R.int64),
             R.constant([-1, 4], R.int32)):
    for op in (R.stateless_uniform, R.stateless_normal):
        f = R.function(lambda: op([5], seed=seed), jit_compile=True)
        out(f())
    f = R.function(lambda s: R.stateless_uniform([3], seed=s), jit_compile=True)
    out(f(seed))
f = R.function(lambda s: R.stateless_uniform([3], seed=s), jit_compile=True)
out(f(R.constant([1, 2])))
out(f(R.constant([3, 4])))
out(f(R.constant([1, 2])))
""")
scenario("xla_stateless_repeat")("""
f = R.function(lambda: (R.stateless_uniform([4], seed=[5, 6]), R.stateless_normal([4], seed=[5, 6]),
                        R.stateless_truncated_normal([4], seed=[5, 6])), jit_compile=True)
for _ in range(3):
    out(f())
g = R.function(lambda n: R.stateless_uniform([3], seed=[n, 1]) * 2.0, jit_compile=True)
out(g(R.constant(1)))
out(g(R.constant(2)))
""")
scenario("xla_stateless_errors")("""
err(lambda: R.function(lambda: R.stateless_uniform([3], seed=[1, 2], minval=5, maxval=5,
                                                   dtype=R.int32), jit_compile=True)())
err(lambda: R.function(lambda: R.stateless_uniform([3], seed=[1, 2, 3]), jit_compile=True)())
err(lambda: R.function(lambda: R.stateless_uniform([3], seed=[1, 2], maxval=None,
                                                   dtype=R.int32), jit_compile=True)())
err(lambda: R.function(lambda: R.stateless_uniform([-1], seed=[1, 2]), jit_compile=True)())
out(R.function(lambda: R.stateless_uniform([2], seed=[1, 2]), jit_compile=True)())
""")
scenario("xla_split_fold_in")("""
for seed in ([1, 2], [0, 0], [-3, 7]):
    f = R.function(lambda: (R.split(seed, 3), R.fold_in(seed, 5), R.fold_in(seed, -1)),
                   jit_compile=True)
    out(f())
""")
scenario("xla_stateless_dropout")("""
x = R.constant(np.arange(1, 25, dtype=np.float32).reshape(4, 6))
for rate in (0.0, 0.25, 0.5, 0.9):
    for seed in ([1, 2], [0, 0], [-3, 7]):
        f = R.function(lambda: R.stateless_dropout(x, rate, seed=seed), jit_compile=True)
        out(f())
f = R.function(lambda: R.stateless_dropout(x, 0.5, seed=[1, 2], noise_shape=[4, 1]),
               jit_compile=True)
out(f())
xh = R.constant(np.arange(1, 11, dtype=np.float64).reshape(2, 5))
out(R.function(lambda: R.stateless_dropout(xh, 0.3, seed=[4, 4]), jit_compile=True)())
""")
scenario("xla_stateless_categorical")("""
logits = R.constant(np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], np.float32)))
for seed in ([1, 2], [0, 0], [-3, 7]):
    for n in (1, 5, 8):
        f = R.function(lambda: R.stateless_categorical(logits, n, seed=seed), jit_compile=True)
        out(f())
f = R.function(lambda: R.stateless_categorical(logits, 4, seed=[1, 2], dtype=R.int32),
               jit_compile=True)
out(f())
l64 = R.constant(np.array([[0.0, 1.0, 2.0, 3.0]], np.float64))
out(R.function(lambda: R.stateless_categorical(l64, 6, seed=[9, 9]), jit_compile=True)())
""")
scenario("xla_generator_draws")("""
g = R.Generator.from_seed(7)
f = R.function(lambda: (g.uniform([3]), g.normal([4]), g.truncated_normal([3]),
                        g.uniform_full_int([2], dtype=R.int64), g.uniform_full_int([3]),
                        g.uniform([5], minval=0, maxval=10, dtype=R.int32),
                        g.uniform([2], dtype=R.float64), g.normal([3], dtype=R.float16)),
               jit_compile=True)
for _ in range(3):
    out(f())
    out(g.state)
out(g.uniform([2]))
out(f())
out(g.state)
h = R.Generator.from_seed(123)
k = R.function(lambda: (h.normal([2, 3], mean=1.0, stddev=2.0), h.uniform([1], minval=-1.0, maxval=1.0),
                        h.uniform([7], dtype=R.bfloat16)), jit_compile=True)
out(k())
out(k())
out(h.state)
""")
scenario("xla_generator_make_seeds")("""
g = R.Generator.from_seed(11)
f = R.function(lambda: g.make_seeds(3), jit_compile=True)
out(f())
out(f())
out(g.state)
f2 = R.function(lambda: R.stateless_uniform([4], seed=g.make_seeds(1)[:, 0]), jit_compile=True)
out(f2())
out(f2())
out(g.state)
""")
scenario("xla_generator_states")("""
for seed in (0, 1, 2**40 + 5, -7):
    g = R.Generator.from_seed(seed)
    f = R.function(lambda: (g.uniform([5]), g.normal([5])), jit_compile=True)
    out(f())
    out(f())
g = R.Generator.from_state([5, 6, 7], alg="philox")
f = R.function(lambda: g.uniform([4]), jit_compile=True)
out(f())
out(g.state)
g = R.Generator.from_state([2**64 - 3, 2**64 - 1, 9], alg="philox")
f = R.function(lambda: g.uniform([6]), jit_compile=True)
out(f())
out(f())
out(g.state)
""")

scenario("xla_stateful_op_seeds", STATEFUL)("""
f = R.function(lambda: (R.uniform([3], seed=3), R.normal([3], seed=4), R.truncated_normal([3], seed=5)),
               jit_compile=True)
for _ in range(3):
    out(f())
R.set_seed(5)
f = R.function(lambda: (R.uniform([3], seed=3), R.uniform([3]), R.normal([2])), jit_compile=True)
for _ in range(2):
    out(f())
R.set_seed(5)
out(f())
x = R.constant(np.arange(1, 9, dtype=np.float32))
d = R.function(lambda: R.dropout(x, 0.5, seed=1), jit_compile=True)
out(d())
out(d())
""")
scenario("xla_stateful_global_seed", STATEFUL)("""
R.set_seed(1234)
f = R.function(lambda: (R.uniform([4]), R.normal([4]), R.uniform([2], maxval=10, dtype=R.int32)),
               jit_compile=True)
for _ in range(2):
    out(f())
R.set_seed(1234)
g = R.function(lambda: (R.uniform([4]), R.normal([4]), R.uniform([2], maxval=10, dtype=R.int32)),
               jit_compile=True)
out(g())
logits = R.constant(np.log(np.array([[0.1, 0.2, 0.7]], np.float32)))
c = R.function(lambda: R.categorical(logits, 5, seed=3), jit_compile=True)
out(c())
out(c())
s = R.function(lambda: R.shuffle(R.constant(np.arange(8, dtype=np.int32)), seed=3), jit_compile=True)
err(s)
""")

scenario("xla_nested_functions")("""
inner = R.function(lambda: R.stateless_uniform([3], seed=[1, 2]))
outer = R.function(lambda: (inner(), R.stateless_normal([2], seed=[1, 2])), jit_compile=True)
out(outer())
xla_inner = R.function(lambda: R.stateless_uniform([3], seed=[-3, 7]), jit_compile=True)
plain_outer = R.function(lambda: (xla_inner(), R.stateless_uniform([2], seed=[-3, 7])))
out(plain_outer())
off = R.function(lambda: R.stateless_uniform([3], seed=[1, 2]), jit_compile=False)
out(off())
g = R.Generator.from_seed(3)
gi = R.function(lambda: g.normal([3]))
go = R.function(lambda: (gi(), g.uniform([2])), jit_compile=True)
out(go())
out(go())
out(g.state)
""")
scenario("xla_generator_eager_interleaved")("""
g = R.Generator.from_seed(42)
f = R.function(lambda: (g.normal([2, 3]), g.truncated_normal([5], dtype=R.float64)), jit_compile=True)
out(g.normal([2]))
out(f())
out(g.uniform([3], minval=-1.0, maxval=4.0))
out(f())
out(g.state)
h = R.Generator.from_seed(5)
k = R.function(lambda: (h.uniform([4], minval=-2.5, maxval=3.0), h.uniform([4], dtype=R.float64, minval=-2.5, maxval=3.0),
                        h.uniform([3], minval=-7, maxval=9, dtype=R.int64), h.uniform_full_int([3], dtype=R.uint32),
                        h.normal([1], dtype=R.bfloat16), h.truncated_normal([4], dtype=R.float16)), jit_compile=True)
out(k())
out(k())
out(h.state)
""")

scenario("xla_affine_rounding")("""
for dt in (R.float32, R.float64, R.float16, R.bfloat16):
    f = R.function(lambda: (R.stateless_normal([200], seed=[4, 5], mean=-1.3, stddev=3.7, dtype=dt),
                            R.stateless_truncated_normal([200], seed=[4, 5], mean=0.7, stddev=2.9, dtype=dt),
                            R.stateless_uniform([200], seed=[4, 5], minval=-1.1, maxval=2.3, dtype=dt)),
                   jit_compile=True)
    out(f())
    t = R.function(lambda s: (R.stateless_normal([200], seed=s, mean=-1.3, stddev=3.7, dtype=dt),
                              R.stateless_uniform([200], seed=s, minval=-1.1, maxval=2.3, dtype=dt)),
                   jit_compile=True)
    out(t(R.constant([4, 5])))
    g = R.Generator.from_seed(9)
    k = R.function(lambda: (g.normal([200], mean=-1.3, stddev=3.7, dtype=dt),
                            g.truncated_normal([200], mean=0.7, stddev=2.9, dtype=dt),
                            g.uniform([200], minval=-1.1, maxval=2.3, dtype=dt)), jit_compile=True)
    out(k())
""")

scenario("xla_affine_folding")("""
for n in (6, 7, 16, 33, 64, 100, 200, 1000):
    f = R.function(lambda: R.stateless_uniform([n], seed=[4, 5], minval=-1.1, maxval=2.3, dtype=R.float64),
                   jit_compile=True)
    out(f())
f = R.function(lambda: (R.stateless_uniform([6], seed=[4, 5], minval=-1.1, maxval=2.3, dtype=R.float64),
                        R.stateless_normal([6], seed=[4, 5], dtype=R.float64)), jit_compile=True)
out(f())
f = R.function(lambda: (R.stateless_uniform([6], seed=[4, 5], minval=-1.1, maxval=2.3, dtype=R.float64),
                        R.stateless_uniform([6], seed=[7, 5], dtype=R.float64)), jit_compile=True)
out(f())
for n in (6, 200):
    f = R.function(lambda: R.stateless_uniform([n], seed=[4, 5], minval=-1.1, maxval=2.3), jit_compile=True)
    out(f())
    f = R.function(lambda: R.stateless_normal([n], seed=[4, 5], mean=-1.3, stddev=3.7, dtype=R.float64),
                   jit_compile=True)
    out(f())
""")

scenario("xla_more_errors_and_algs")("""
g = R.Generator.from_seed(2)
err(lambda: R.function(lambda: g.uniform([3], minval=4, maxval=4, dtype=R.int32), jit_compile=True)())
out(g.state)
err(lambda: R.function(lambda: R.stateless_normal([-2], seed=[1, 2]), jit_compile=True)())
err(lambda: R.function(lambda: R.stateless_uniform([2], seed=[1, 2], minval=0, maxval=5, dtype=R.uint32),
                       jit_compile=True)())
out(R.function(lambda: R.stateless_uniform([4], seed=[1, 2], alg="philox"), jit_compile=True)())
err(lambda: out(R.function(lambda: R.stateless_uniform([4], seed=[1, 2], alg="threefry"), jit_compile=True)()))
f = R.function(lambda s: (R.stateless_uniform([3], seed=s, dtype=R.float64),
                          R.stateless_normal([3], seed=s, dtype=R.float16)), jit_compile=True)
out(f(R.constant([2**40 + 9, -2**35 + 1], R.int64)))
out(f(R.constant([-5, 6], R.int64)))
x = R.constant(np.arange(1, 13, dtype=np.float16).reshape(3, 4))
out(R.function(lambda: R.stateless_dropout(x, 0.4, seed=[8, 1], noise_shape=[1, 4]), jit_compile=True)())
out(R.function(lambda: R.stateless_uniform([2, 0, 3], seed=[1, 1], minval=-9, maxval=9, dtype=R.int64),
               jit_compile=True)())
out(R.function(lambda: R.stateless_truncated_normal([3, 3], seed=[11, 12], dtype=R.bfloat16,
                                                    mean=2.0, stddev=0.5), jit_compile=True)())
""")

scenario("xla_alg_philox")("""
for op in (R.stateless_uniform, R.stateless_normal, R.stateless_truncated_normal):
    out(R.function(lambda: op([4], seed=[1, 2], alg="philox"), jit_compile=True)())
    out(R.function(lambda s: op([4], seed=s, alg="philox"), jit_compile=True)(R.constant([1, 2])))
    out(R.function(lambda s: op([4], seed=s), jit_compile=True)(R.constant([1, 2])))
""")
scenario("xla_more")("""
f = R.function(lambda s: (R.stateless_uniform([3], seed=s, dtype=R.float64),
                          R.stateless_normal([3], seed=s, dtype=R.float16)), jit_compile=True)
out(f(R.constant([2**40 + 9, -2**35 + 1], R.int64)))
out(f(R.constant([-5, 6], R.int64)))
x = R.constant(np.arange(1, 13, dtype=np.float16).reshape(3, 4))
out(R.function(lambda: R.stateless_dropout(x, 0.4, seed=[8, 1], noise_shape=[1, 4]), jit_compile=True)())
out(R.function(lambda: R.stateless_uniform([2, 0, 3], seed=[1, 1], minval=-9, maxval=9, dtype=R.int64),
               jit_compile=True)())
out(R.function(lambda: R.stateless_truncated_normal([3, 3], seed=[11, 12], dtype=R.bfloat16,
                                                    mean=2.0, stddev=0.5), jit_compile=True)())
""")
