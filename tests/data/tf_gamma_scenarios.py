# Scenarios of tf.random.gamma, poisson, stateless_gamma and stateless_poisson, recorded with
# TensorFlow 2.21.0 (CPU) by record.py into tf_gamma_expected.json:
#   /tmp/tf/bin/python tests/data/record.py tests/data/tf_gamma_scenarios.py tests/data/tf_gamma_expected.json
# Same conventions as tf_core_scenarios.py. NaN rates and rates past the output type's range are
# left out: TensorFlow's Poisson loop never ends for them (compat refuses them).
S = []


def scenario(name):
    def add(src):
        S.append((name, src))
    return add


# --- tf.random.gamma (RandomGamma) ---------------------------------------------------------------

scenario("gamma_repeated_calls_share_counter")("""
R.set_seed(1)
out(R.gamma([5], 0.5, seed=3))
out(R.gamma([5], 0.5, seed=3))
out(R.gamma([4], 1.0, seed=3))
out(R.gamma([3, 2], [0.3, 2.5]))
out(R.gamma([3, 2], [0.3, 2.5]))
""")

scenario("gamma_alpha_range")("""
R.set_seed(2)
alphas = [1e-3, 0.01, 0.1, 0.5, 0.999, 1.0, 1.001, 1.5, 3.0, 10.0, 100.0, 1e4, 1e7]
out(R.gamma([40], alphas, seed=5))
out(R.gamma([7], np.array(alphas, np.float64), dtype=R.float64, seed=5))
out(R.gamma([7], alphas, dtype=R.float16, seed=5))
""")

scenario("gamma_beta_broadcast")("""
R.set_seed(3)
alpha = np.array([[1.0], [3.0], [5.0]], np.float32)
beta = np.array([[3.0, 4.0]], np.float32)
out(R.gamma([30], alpha, beta=beta, seed=1))
out(R.gamma([4], 2.0, beta=2.5, seed=1))
out(R.gamma([2, 2], [0.2, 0.7, 1.0, 6.0], beta=[1.0, 10.0, 0.1, 1e30], seed=1))
out(R.gamma([3], [0.5, 2.0], beta=[[1.0], [4.0]], seed=1))
""")

scenario("gamma_tiny_and_zero_results")("""
R.set_seed(4)
out(R.gamma([50], [1e-4, 0.0, 0.01], seed=2))
out(R.gamma([20], 1e-4, dtype=R.float64, seed=2))
out(R.gamma([20], 0.05, dtype=R.float16, seed=2))
out(R.gamma([5], -0.5, seed=2))
out(R.gamma([5], 2.0, beta=-1.0, seed=2))
out(R.gamma([5], 2.0, beta=0.0, seed=2))
""")

scenario("gamma_float64_many")("""
R.set_seed(5)
out(R.gamma([200], [0.25, 1.0, 2.0, 30.0], dtype=R.float64, seed=9))
out(R.gamma([3, 1], 0.8, dtype=R.float64))
out(R.gamma([3, 1], 0.8, dtype=R.float64))
""")

scenario("gamma_large_float32")("""
R.set_seed(6)
out(R.gamma([2000], 0.7, seed=1))
out(R.gamma([500, 3], [1.0, 4.5, 0.3], seed=1))
""")

scenario("gamma_op_seed_only_and_global_only")("""
out(R.gamma([6], 2.0, seed=7))
out(R.gamma([6], 2.0, seed=7))
out(R.gamma([6], 2.0, dtype=R.float64, seed=7))
R.set_seed(99)
out(R.gamma([6], 2.0))
out(R.gamma([6], 2.0))
out(R.gamma([6], 2.0, seed=7))
""")

scenario("gamma_shapes_and_empty")("""
R.set_seed(8)
out(R.gamma([], 3.0, seed=1))
out(R.gamma([0], 3.0, seed=1))
out(R.gamma([2, 0, 3], [1.5, 0.5], seed=1))
out(R.gamma([4], 3.0, seed=1))
out(R.gamma(np.array([2, 3], np.int64), [[1.5], [0.5]], seed=1))
out(R.gamma((2,), np.float32(0.9), seed=1))
""")

scenario("gamma_in_function")("""
R.set_seed(10)
@R.function
def f():
    return R.gamma([4], [0.5, 2.0]), R.gamma([3], 1.0, seed=4), R.gamma([2], 0.1, dtype=R.float64)
out(f())
out(f())
out(R.gamma([4], [0.5, 2.0]))
""")

scenario("gamma_errors")("""
R.set_seed(11)
err(lambda: R.gamma([-1], 1.0, seed=1))
err(lambda: R.gamma(3, 1.0, seed=1))
err(lambda: R.gamma([2], [], seed=1))
err(lambda: R.gamma([2], 1.0, dtype=R.int32, seed=1))
err(lambda: R.gamma([2], [1.0, 2.0], beta=[1.0, 2.0, 3.0], seed=1))
err(lambda: R.gamma([2.5], 1.0, seed=1))
err(lambda: R.gamma([2], "a", seed=1))
out(R.gamma([3], 1.5, seed=1))
""")

# --- tf.random.poisson (RandomPoissonV2) ---------------------------------------------------------

scenario("poisson_small_rates")("""
R.set_seed(1)
out(R.poisson([20], [0.0, 0.5, 1.0, 3.0, 9.99], seed=2))
out(R.poisson([20], [0.0, 0.5, 1.0, 3.0, 9.99], seed=2))
out(R.poisson([6], 2.5))
""")

scenario("poisson_large_rates")("""
R.set_seed(2)
out(R.poisson([30], [10.0, 15.5, 100.0, 1e4, 1e6, 3e8], seed=2))
out(R.poisson([10], np.array([10.0, 47.3, 1e9], np.float64), dtype=R.float64, seed=2))
""")

scenario("poisson_output_dtypes")("""
R.set_seed(3)
lam = [0.7, 4.0, 12.0, 250.0]
for dt in (R.float16, R.float32, R.float64, R.int32, R.int64):
    out(R.poisson([8], lam, dtype=dt, seed=4))
out(R.poisson([8], np.array(lam, np.float64), dtype=R.int64, seed=4))
out(R.poisson([8], np.array([1, 5, 11, 40], np.int32), dtype=R.int32, seed=4))
out(R.poisson([8], np.array([1, 5, 11, 40], np.int64), seed=4))
out(R.poisson([8], np.array(lam, np.float16), dtype=R.float16, seed=4))
""")

scenario("poisson_negative_empty_shapes")("""
R.set_seed(4)
out(R.poisson([5], [-1.0, -20.0, 2.0], seed=1))
out(R.poisson([0], [1.0, 20.0], seed=1))
out(R.poisson([3], np.zeros([0], np.float32), seed=1))
out(R.poisson([], 3.0, seed=1))
out(R.poisson([2, 3], [[1.0, 30.0]], seed=1))
out(R.poisson([4], 3.0, seed=1))
""")

scenario("poisson_many")("""
R.set_seed(5)
out(R.poisson([1000], [0.3, 6.0, 10.0, 55.0], dtype=R.int32, seed=8))
""")

scenario("poisson_seed_rules_and_function")("""
out(R.poisson([4], 5.0, seed=3))
out(R.poisson([4], 5.0, seed=3))
R.set_seed(6)
@R.function
def f():
    return R.poisson([3], [2.0, 20.0]), R.poisson([2], 1.0, dtype=R.int32, seed=1)
out(f())
out(f())
out(R.poisson([3], [2.0, 20.0]))
""")

scenario("poisson_errors")("""
R.set_seed(7)
err(lambda: R.poisson([-1], 1.0, seed=1))
err(lambda: R.poisson(3, 1.0, seed=1))
err(lambda: R.poisson([2], 1.0, dtype=R.uint32, seed=1))
err(lambda: R.poisson([2], "x", seed=1))
err(lambda: R.poisson([2], np.array([1, 2], np.uint8), seed=1))
out(R.poisson([3], 1.5, seed=1))
""")

# --- tf.random.stateless_gamma (StatelessRandomGammaV3) ------------------------------------------

scenario("stateless_gamma_basic")("""
out(R.stateless_gamma([10, 3], seed=[1, 2], alpha=[0.5, 1.0, 4.0]))
out(R.stateless_gamma([10, 3], seed=[1, 2], alpha=[0.5, 1.0, 4.0]))
out(R.stateless_gamma([5], seed=[7, 8], alpha=2.0))
out(R.stateless_gamma([30, 3, 2], seed=[12, 34], alpha=[[1.0], [3.0], [5.0]], beta=[[3.0, 4.0]]))
out(R.stateless_gamma([], seed=[1, 2], alpha=0.3))
out(R.stateless_gamma([0, 2], seed=[1, 2], alpha=[0.3, 1.0]))
""")

scenario("stateless_gamma_alpha_range")("""
alphas = [1e-3, 0.01, 0.1, 0.5, 0.999, 1.0, 1.001, 1.5, 3.0, 10.0, 100.0, 1e4, 1e7, 0.0]
out(R.stateless_gamma([40, 14], seed=[3, 4], alpha=alphas))
out(R.stateless_gamma([5, 14], seed=[3, 4], alpha=alphas, dtype=R.float64))
out(R.stateless_gamma([5, 14], seed=[3, 4], alpha=alphas, dtype=R.float16))
err(lambda: R.stateless_gamma([5, 14], seed=[3, 4], alpha=alphas, dtype=R.bfloat16))
""")

scenario("stateless_gamma_float64_many")("""
out(R.stateless_gamma([300, 4], seed=[5, 6], alpha=[0.25, 1.0, 2.0, 30.0], dtype=R.float64))
out(R.stateless_gamma([2000], seed=[-5, 2**40], alpha=0.7))
""")

scenario("stateless_gamma_seeds_and_beta")("""
out(R.stateless_gamma([4], seed=np.array([1, 2], np.int64), alpha=1.5))
out(R.stateless_gamma([4], seed=np.array([1, 2], np.int32), alpha=1.5, beta=0.5))
out(R.stateless_gamma([4, 2], seed=[9, 9], alpha=[0.4, 2.0], beta=[[2.0, 1e-3], [1.0, 1.0], [0.5, 8.0], [3.0, 3.0]]))
out(R.stateless_gamma([3], seed=[9, 9], alpha=2.0, beta=-1.0))
@R.function
def f(s):
    return R.stateless_gamma([3, 2], seed=s, alpha=[0.5, 3.0])
out(f(np.array([4, 5], np.int32)))
out(f(np.array([6, 7], np.int32)))
""")

scenario("stateless_gamma_errors")("""
err(lambda: R.stateless_gamma([3, 2], seed=[1, 2], alpha=[1.0, 2.0, 3.0]))
err(lambda: R.stateless_gamma([3], seed=[1, 2, 3], alpha=1.0))
err(lambda: R.stateless_gamma([-3], seed=[1, 2], alpha=1.0))
err(lambda: R.stateless_gamma([3], seed=[1, 2], alpha=1.0, dtype=R.int32))
err(lambda: R.stateless_gamma([3], seed=[1, 2], alpha=[]))
err(lambda: R.stateless_gamma([0], seed=[1, 2], alpha=[]))
err(lambda: R.stateless_gamma([2, 3], seed=[1, 2], alpha=[1.0, 2.0], beta=[[1.0], [2.0]]))
err(lambda: R.stateless_gamma([3], seed=[1.5, 2.0], alpha=1.0))
out(R.stateless_gamma([3], seed=[1, 2], alpha=1.0))
""")

# --- tf.random.stateless_poisson (StatelessRandomPoisson) ----------------------------------------

scenario("stateless_poisson_basic")("""
out(R.stateless_poisson([10, 2], seed=[12, 34], lam=[5.0, 15.0]))
out(R.stateless_poisson([10, 2], seed=[12, 34], lam=[5.0, 15.0]))
out(R.stateless_poisson([30, 3, 1], seed=[12, 34], lam=[[1.0], [3.0], [5.0]]))
out(R.stateless_poisson([6], seed=[1, 2], lam=0.5))
out(R.stateless_poisson([], seed=[1, 2], lam=30.0))
out(R.stateless_poisson([0, 3], seed=[1, 2], lam=[1.0, 2.0, 3.0]))
""")

scenario("stateless_poisson_rates_and_dtypes")("""
lam = [0.0, 0.5, 3.0, 9.99, 10.0, 15.5, 100.0, 1e4, 1e6, -2.0]
out(R.stateless_poisson([50, 10], seed=[3, 4], lam=lam))
for dt in (R.int64, R.float16, R.float32, R.float64):
    out(R.stateless_poisson([5, 8], seed=[3, 4], lam=lam[:8], dtype=dt) if dt == R.float16
        else R.stateless_poisson([5, 10], seed=[3, 4], lam=lam, dtype=dt))
out(R.stateless_poisson([5, 4], seed=[3, 4], lam=np.array([1.0, 20.0, 3e3, 1e9], np.float64), dtype=R.int64))
out(R.stateless_poisson([5, 3], seed=[3, 4], lam=np.array([2, 40, 7], np.int32)))
out(R.stateless_poisson([5, 3], seed=[3, 4], lam=np.array([2, 40, 7], np.int64), dtype=R.float32))
out(R.stateless_poisson([5, 3], seed=[3, 4], lam=np.array([2, 40, 7], np.float16)))
""")

scenario("stateless_poisson_many_and_function")("""
out(R.stateless_poisson([1000, 4], seed=[8, 9], lam=[0.3, 6.0, 10.0, 55.0]))
@R.function
def f(s):
    return R.stateless_poisson([3, 2], seed=s, lam=[2.0, 30.0])
out(f(np.array([4, 5], np.int64)))
out(f(np.array([6, 7], np.int64)))
""")

scenario("stateless_poisson_errors")("""
err(lambda: R.stateless_poisson([3, 2], seed=[1, 2], lam=[1.0, 2.0, 3.0]))
err(lambda: R.stateless_poisson([3], seed=[1, 2, 3], lam=1.0))
err(lambda: R.stateless_poisson([-3], seed=[1, 2], lam=1.0))
err(lambda: R.stateless_poisson([3], seed=[1, 2], lam=1.0, dtype=R.uint32))
err(lambda: R.stateless_poisson([3], seed=[1, 2], lam=[]))
err(lambda: R.stateless_poisson([3], seed=[1, 2], lam="a"))
err(lambda: R.stateless_poisson([3], seed=[1, 2], lam=np.array([1], np.uint8)))
out(R.stateless_poisson([3], seed=[1, 2], lam=1.0))
""")

# --- differential fuzzing: many random parameters per call -------------------------------------

scenario("fuzz_gamma")("""
rs = np.random.RandomState(0)
alphas = np.exp(rs.uniform(np.log(1e-3), np.log(1e3), 64)).astype(np.float32)
betas = np.exp(rs.uniform(-3, 3, 64)).astype(np.float32)
R.set_seed(int(rs.randint(1, 10**6)))
out(R.gamma([16], alphas, beta=betas))
out(R.gamma([16], alphas.astype(np.float64), dtype=R.float64))
out(R.gamma([16], alphas.astype(np.float16), dtype=R.float16))
out(R.stateless_gamma([16, 64], seed=[int(rs.randint(0, 2**31)), int(rs.randint(0, 2**31))], alpha=alphas, beta=betas))
out(R.stateless_gamma([16, 64], seed=[7, 11], alpha=alphas.astype(np.float64), dtype=R.float64))
err(lambda: R.gamma([2], 1.0, dtype=R.bfloat16, seed=1))
""")

scenario("fuzz_poisson")("""
rs = np.random.RandomState(1)
lam = np.exp(rs.uniform(np.log(1e-2), np.log(1e5), 64)).astype(np.float32)
R.set_seed(int(rs.randint(1, 10**6)))
out(R.poisson([16], lam, dtype=R.int64))
out(R.poisson([16], lam.astype(np.float64), dtype=R.float32))
out(R.stateless_poisson([16, 64], seed=[int(rs.randint(0, 2**31)), 5], lam=lam))
out(R.stateless_poisson([16, 64], seed=[3, 9], lam=lam.astype(np.float64), dtype=R.float64))
""")

# --- how parameters convert, and which calls share a kernel (and its counter) --------------------

scenario("gamma_parameter_forms")("""
R.set_seed(21)
out(R.gamma([2], np.array([1.5, 2.0]), seed=1))
out(R.gamma([2], np.array([1.5, 2.0], np.float32), dtype=R.float64, seed=1))
out(R.gamma([2], np.array([1, 2]), seed=1))
out(R.gamma([2], 1.5, beta=np.array([1, 2], np.int32), seed=1))
out(R.gamma([2], True, seed=1))
out(R.gamma([3], [True, False], seed=1))
out(R.gamma([2], np.array([0.1], np.float16), seed=1))
out(R.gamma([2], np.float64(0.1), seed=1))
out(R.gamma([2], np.float32(0.1), dtype=R.float64, seed=1))
out(R.stateless_gamma([2], [1, 2], np.array([0.1, 2.0])))
out(R.stateless_gamma([2], [1, 2], 0.1, dtype=R.float64))
""")

scenario("poisson_rate_forms_share_kernels")("""
R.set_seed(22)
big = 1e6 + 0.1
out(R.poisson([40], big, seed=1))
out(R.poisson([40], [big], seed=1))
out(R.poisson([40], np.array([big], np.float32), seed=1))
out(R.poisson([40], np.array([big]), seed=1))
out(R.poisson([40], np.float32(big), seed=1))
out(R.poisson([40], np.float64(big), seed=1))
out(R.poisson([40], 1000000, seed=1))
out(R.poisson([40], [1000000], seed=1))
out(R.poisson([40], np.array([1000000], np.int64), seed=1))
out(R.poisson([4], True, seed=2))
out(R.poisson([4], np.array([True, False]), seed=2))
out(R.poisson([4], np.uint8(3), seed=2))
out(R.poisson([4], np.int64(3), seed=2))
out(R.poisson([4], np.array([3.0], np.float16), seed=2))
out(R.poisson([4], [3.0], dtype=R.int32, seed=2))
out(R.poisson([4], 3.0, dtype=R.int32, seed=2))
err(lambda: R.poisson([2], 3.0, dtype=R.bfloat16, seed=1))
""")

scenario("poisson_rate_forms_in_function")("""
R.set_seed(23)
big = 1e6 + 0.1
@R.function
def f():
    return (R.poisson([40], [big], seed=1), R.poisson([40], big, seed=1),
            R.poisson([40], np.array([big], np.float32), seed=1), R.poisson([40], [3], seed=2))
out(f())
out(f())
""")

scenario("stateless_parameter_forms")("""
big = 1e6 + 0.1
out(R.stateless_poisson([40], [1, 2], big))
out(R.stateless_poisson([40], [1, 2], np.float64(big)))
out(R.stateless_poisson([40], [1, 2], np.array(big)))
out(R.stateless_poisson([40], [1, 2], 3))
err(lambda: R.stateless_poisson([2], [1, 2], True))
err(lambda: R.stateless_poisson([2], [1, 2], np.array([3], np.uint8)))
err(lambda: R.stateless_poisson([2], [1, 2], 3.0, dtype=R.bfloat16))
""")

SCENARIOS = S
