"""TensorFlow 2.21 scenarios for stateless_binomial, Generator.binomial, stateless_categorical and
stateless_parameterized_truncated_normal (recorded by tests/data/record.py into
tests/data/tf_binomial_expected.json; replayed by tests/test_binomial.py)."""

SCENARIOS = []


def add(name, code):
    SCENARIOS.append((name, code))


# --- stateless_binomial: the regimes ----------------------------------------------------------
add("binomial_doc_example", """
out(R.stateless_binomial(shape=[2], seed=[123, 456], counts=[10., 20.], probs=0.8))
out(R.stateless_binomial(shape=[3, 2], seed=[123, 456], counts=[10., 20.], probs=0.8))
""")
add("binomial_inversion_small", """
for seed in ([1, 2], [0, 0], [-5, 7], [2**31 - 1, 3]):
    out(R.stateless_binomial([64], seed, 5., 0.3))
out(R.stateless_binomial([40], [3, 4], 1., 0.5))
out(R.stateless_binomial([40], [3, 4], 19., 0.5))   # n*p = 9.5: inversion
out(R.stateless_binomial([40], [3, 4], 10.5, 0.25))
out(R.stateless_binomial([40], [3, 4], 1000., 0.001))
""")
add("binomial_btrs", """
out(R.stateless_binomial([300], [1, 2], 100., 0.4))
out(R.stateless_binomial([300], [7, 8], 20., 0.5))   # n*p = 10 exactly: BTRS
out(R.stateless_binomial([300], [7, 8], 1000000., 0.5))
out(R.stateless_binomial([100], [7, 8], 50.7, 0.33))
out(R.stateless_binomial([100], [9, 9], 1e9, 1e-3))
out(R.stateless_binomial([100], [9, 9], 1e12, 1e-10))
""")
add("binomial_q_branch", """
out(R.stateless_binomial([200], [1, 2], 15., 0.8))    # n*q = 3: inversion on q
out(R.stateless_binomial([200], [1, 2], 1000., 0.7))  # BTRS on q
out(R.stateless_binomial([200], [1, 2], 100., 0.9))   # n*q = 10 in float32
out(R.stateless_binomial([200], [1, 2], 30., 0.5000001))
""")
add("binomial_edges", """
out(R.stateless_binomial([6], [1, 2], [0., -3., 5., 5., 5., 7.], [0.5, 0.5, 0., -0.5, 1., 1.5]))
out(R.stateless_binomial([4], [1, 2], 0., 0.))
out(R.stateless_binomial([0], [1, 2], 5., 0.5))
out(R.stateless_binomial([0, 3], [1, 2], 5., 0.5))
""")
add("binomial_nan_prob", """
out(R.stateless_binomial([3], [1, 2], 5., float('nan'), output_dtype=R.float32))
out(R.stateless_binomial([3], [1, 2], 5., float('nan'), output_dtype=R.float64))
""")
add("binomial_broadcasting", """
counts = np.array([[5.], [50.], [500.]], np.float32)
probs = np.array([0.1, 0.5, 0.7, 0.95], np.float32)
out(R.stateless_binomial([3, 4], [11, 12], counts, probs))
out(R.stateless_binomial([2, 3, 4], [11, 12], counts, probs))
out(R.stateless_binomial([5, 1, 4], [11, 12], 30., probs[None, :]))
out(R.stateless_binomial([7, 3], [11, 12], [3., 40., 400.], [0.2, 0.6, 0.3]))
""")
add("binomial_dtypes", """
for dt in (R.float16, R.float32, R.float64, R.int32, R.int64):
    out(R.stateless_binomial([50], [5, 6], 60., 0.3, output_dtype=dt))
for t in (np.float16, np.float64):
    c = np.array([4., 40., 400.], t)
    p = np.array([0.3, 0.6, 0.45], t)
    out(R.stateless_binomial([20, 3], [5, 6], c, p))
    out(R.stateless_binomial([20, 3], [5, 6], c, p, output_dtype=R.float64))
out(R.stateless_binomial([20], [5, 6], np.float16(20.), np.float16(0.5)))  # n*p = 10 in half
out(R.stateless_binomial([20], [5, 6], np.float16(2049.), np.float16(0.3)))
""")
add("binomial_seed_forms", """
out(R.stateless_binomial([10], np.array([1, 2], np.int64), 40., 0.4))
out(R.stateless_binomial([10], (3, 4), 40., 0.4))
out(R.stateless_binomial([10], np.array([3, 4], np.int32), 40., 0.4))
out(R.stateless_binomial(np.array([10], np.int64), [3, 4], 40., 0.4))
""")
add("binomial_large", """
p = np.linspace(0.001, 0.999, 37).astype(np.float32)
c = np.array([1., 3., 9., 27., 81., 243., 729., 2187.], np.float32)[:, None]
out(R.stateless_binomial([3, 8, 37], [21, 22], c, p))
out(R.stateless_binomial([2000], [23, 24], 12., 0.45))
""")
add("binomial_errors", """
err(lambda: R.stateless_binomial([3], [1, 2], [1., 2.], 0.5))            # shape must end with [2]
err(lambda: R.stateless_binomial([2, 3], [1, 2], [1., 2.], [0.1, 0.2, 0.3]))
err(lambda: R.stateless_binomial([2], [1, 2], np.array([1, 2], np.int32), 0.5))
err(lambda: R.stateless_binomial([2], [1, 2], np.array([1., 2.], np.float64), np.float32(0.5)))
err(lambda: R.stateless_binomial([2], [1, 2, 3], 5., 0.5))
err(lambda: R.stateless_binomial([2], [1, 2], 5., 0.5, output_dtype=R.uint32))
err(lambda: R.stateless_binomial([-1], [1, 2], 5., 0.5))
err(lambda: R.stateless_binomial([2], [1.5, 2], 5., 0.5))
err(lambda: R.stateless_binomial([2], [1, 2], 5, 0.5))
err(lambda: R.stateless_binomial([2], [1, 2], 5., 1))
err(lambda: R.stateless_binomial([[2]], [1, 2], 5., 0.5))
err(lambda: R.stateless_binomial([2], [1, 2], "5", 0.5))
""")
add("binomial_in_function", """
@R.function
def f(seed):
    return R.stateless_binomial([4, 3], seed, [5., 50., 500.], [0.2, 0.5, 0.9])
out(f(np.array([1, 2], np.int32)))
out(f(np.array([3, 4], np.int32)))
@R.function
def h():
    return R.stateless_binomial([4, 3], [1, 2], [5., 50., 500.], [0.2, 0.5, 0.9])
out(h())
@R.function
def k(c, p):
    return R.stateless_binomial([6, 2], [9, 9], c, p)
out(k(np.array([8., 80.], np.float32), np.array([0.3, 0.7], np.float32)))
""")

# --- Generator.binomial ------------------------------------------------------------------------
add("generator_binomial", """
g = R.Generator.from_seed(1234)
out(g.binomial([2], counts=[10., 20.], probs=0.5))
out(g.state)
out(g.binomial([5, 2], counts=[10., 200.], probs=[0.8, 0.3]))
out(g.state)
out(g.binomial([7], counts=3., probs=0.25))
out(g.state)
out(g.binomial([1], counts=3., probs=0.25))
out(g.state)
out(g.uniform([2]))
out(g.state)
""")
add("generator_binomial_dtypes", """
g = R.Generator.from_seed(77)
out(g.binomial([3, 4], counts=np.float64(40.), probs=np.array([0.1, 0.4, 0.6, 0.99]), dtype=R.float64))
out(g.state)
out(g.binomial([6], counts=np.float16(30.), probs=np.float16(0.5), dtype=R.int64))
out(g.state)
out(g.binomial([300], counts=100., probs=0.45, dtype=R.float32))
out(g.state)
out(g.binomial([0], counts=100., probs=0.45))
out(g.state)
g = R.Generator.from_seed(5)
out(g.binomial([], counts=100., probs=0.45))
out(g.state)
""")
add("generator_binomial_errors", """
g = R.Generator.from_seed(1234)
err(lambda: g.binomial([2], counts=[10, 20], probs=0.5))
out(g.state)
err(lambda: g.binomial([3], counts=[10., 20.], probs=0.5))
out(g.state)
g2 = R.Generator.from_seed(1234, alg="auto_select")
err(lambda: g2.binomial([2], counts=[10., 20.], probs=0.5))
out(g2.state)
g3 = R.Generator.from_seed(9, alg="philox")
out(g3.binomial([2], counts=[10., 20.], probs=0.5))
out(g3.state)
""")
add("generator_binomial_in_function", """
g = R.Generator.from_seed(42)
@R.function
def f():
    return g.binomial([3, 2], counts=[10., 200.], probs=[0.3, 0.6])
out(f())
out(g.state)
out(f())
out(g.state)
out(g.binomial([3, 2], counts=[10., 200.], probs=[0.3, 0.6]))
out(g.state)
""")

# --- stateless_categorical ----------------------------------------------------------------------
add("stateless_categorical_basic", """
logits = np.log(np.array([[0.5, 0.5], [0.1, 0.9]], np.float32))
out(R.stateless_categorical(logits, 5, seed=[7, 17], dtype=R.int32))
out(R.stateless_categorical(logits, 5, seed=[7, 17], dtype=R.int64))
out(R.stateless_categorical(logits, 5, seed=[1, 2]))  # int64 default
out(R.stateless_categorical(np.array([[1., 2., 3., -np.inf]], np.float64), 9, seed=[3, 3], dtype=R.int32))
out(R.stateless_categorical(np.zeros([3, 10], np.float16), 4, seed=[3, 3], dtype=R.int32))
out(R.stateless_categorical(logits, 0, seed=[3, 3], dtype=R.int32))
""")
add("stateless_categorical_large", """
logits = np.linspace(-3, 3, 40 * 7).reshape(40, 7).astype(np.float32)
out(R.stateless_categorical(logits, 300, seed=[5, 6], dtype=R.int32))
out(R.stateless_categorical(logits[:4], 300, seed=[5, 6], dtype=R.int32))
""")
add("stateless_categorical_errors", """
logits = np.zeros([2, 3], np.float32)
err(lambda: R.stateless_categorical(logits, 3, seed=[1, 2], dtype=R.float32))
err(lambda: R.stateless_categorical(logits, -1, seed=[1, 2], dtype=R.int32))
err(lambda: R.stateless_categorical(np.zeros([3], np.float32), 3, seed=[1, 2], dtype=R.int32))
err(lambda: R.stateless_categorical(logits, 3, seed=[1, 2, 3], dtype=R.int32))
err(lambda: R.stateless_categorical(np.zeros([2, 3], np.int32), 3, seed=[1, 2], dtype=R.int32))
@R.function
def f(seed):
    return R.stateless_categorical(logits + 1, 4, seed=seed, dtype=R.int32)
out(f(np.array([1, 2], np.int32)))
""")


# --- second batch: conversions, more edges, repeated calls --------------------------------------
add("binomial_mixed_dtypes", """
out(R.stateless_binomial([8, 2], [4, 4], np.array([20.000001, 19.9999999], np.float64), np.float32(0.5)))
out(R.stateless_binomial([8, 2], [4, 4], np.array([20, 21], np.int32), 0.5))
out(R.stateless_binomial([8, 2], [4, 4], np.array([20, 21], np.int64), 0.5))
out(R.stateless_binomial([8, 2], [4, 4], [10, 20], [0.5, 0.7]))
out(R.stateless_binomial([8, 2], [4, 4], np.array([20., 21.], np.float32), np.array([0.5, 0.5000001], np.float64)))
out(R.stateless_binomial([8], [4, 4], 21., 0.5, output_dtype="float32"))
""")
add("binomial_more_edges", """
out(R.stateless_binomial([6], [2, 3], [5.5, 0.5, 7.9, 1e-3, 3., 3.], [1., 0.3, 0.9999, 0.5, -0.0, 1.0000001]))
out(R.stateless_binomial([50], [2, 3], 2.**40, 0.3))
out(R.stateless_binomial([50], [2, 3], 1e31, 1e-30))
out(R.stateless_binomial([50], [2, 3], 1e8, 0.9999999))
# A NaN probability with an integer output is undefined in TensorFlow (static_cast of NaN):
# TF 2.21 returned 0 0 0 for int32 and unrelated numbers for int64, so neither is recorded.
out(R.stateless_binomial([3], [2, 3], 5., float('nan'), output_dtype=R.float16))
""")
add("binomial_sample_dims", """
c = np.array([[[2.], [20.], [200.]]], np.float32)
p = np.array([0.05, 0.5, 0.95, 0.33], np.float32)
out(R.stateless_binomial([2, 5, 1, 3, 4], [31, 32], c, p))
out(R.stateless_binomial([1, 3, 4], [31, 32], c, p))
""")
add("generator_binomial_repeated", """
g = R.Generator.from_seed(2024)
for _ in range(4):
    out(g.binomial([3], counts=[4., 40., 400.], probs=[0.5, 0.5, 0.5]))
out(g.state)
@R.function
def f():
    a = g.binomial([2, 2], counts=[4., 40.], probs=[0.2, 0.9])
    b = g.normal([2])
    c = g.binomial([5], counts=70., probs=0.1)
    return a, b, c
out(f())
out(f())
out(g.state)
g = R.Generator.from_key_counter(key=7, counter=[2**32 - 5, 1], alg="philox")
out(g.binomial([4], counts=30., probs=0.5))
out(g.state)
""")
add("stateless_categorical_more", """
logits = np.log(np.array([[0.2, 0.3, 0.5]] * 3, np.float32))
out(R.stateless_categorical(logits, 7, seed=np.array([9, 10], np.int64), dtype=R.int64))
out(R.stateless_categorical(logits, 7, seed=[9, 10], dtype=R.int32))
out(R.stateless_categorical(logits, 7, seed=[10, 9], dtype=R.int32))
@R.function
def f():
    return R.stateless_categorical(logits, 7, seed=[9, 10], dtype=R.int32)
out(f())
""")
