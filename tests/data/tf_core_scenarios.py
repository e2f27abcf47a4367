# More scenarios for the core ops, recorded with TensorFlow 2.21.0 (CPU) by
# ../shared/tf_reference/record.py into tf_core_expected.json. Same conventions as
# ../shared/tf_reference/scenarios.py.
S = []


def scenario(name):
    def add(src):
        S.append((name, src))
    return add


scenario("half_types_scaled")("""
R.set_seed(11)
out(R.uniform([9], 0.3, 7.7, dtype=R.float16, seed=4))
out(R.uniform([9], -2.5, 1.1, dtype=R.bfloat16, seed=4))
out(R.normal([9], 0.7, 3.3, dtype=R.float16, seed=4))
out(R.normal([9], -1.2, 0.3, dtype=R.bfloat16, seed=4))
out(R.truncated_normal([9], 0.5, 2.5, dtype=R.float16, seed=4))
out(R.truncated_normal([9], 0.5, 2.5, dtype=R.bfloat16))
""")

scenario("maxval_only_and_negative_zero")("""
R.set_seed(3)
out(R.uniform([8], maxval=-1.0, seed=2))
out(R.uniform([8], minval=0.0, maxval=-1.0, seed=2))
out(R.uniform([8], maxval=10, seed=2))
out(R.uniform([8], minval=1, maxval=2, seed=2))
""")

scenario("float64_scaled_and_truncated")("""
R.set_seed(77)
out(R.uniform([7], -3.0, 9.5, dtype=R.float64, seed=1))
out(R.normal([7], 2.0, 0.1, dtype=R.float64, seed=1))
out(R.truncated_normal([9], dtype=R.float64, seed=1))
out(R.truncated_normal([9], 1.5, 4.0, dtype=R.float64))
""")

scenario("int_ranges")("""
R.set_seed(5)
out(R.uniform([], maxval=3, dtype=R.int32, seed=10))
out(R.uniform([], maxval=3, dtype=R.int32, seed=10))
out(R.uniform([7], minval=-2**31, maxval=2**31 - 1, dtype=R.int32, seed=10))
out(R.uniform([5], minval=-2**63, maxval=2**63 - 1, dtype=R.int64, seed=10))
out(R.uniform([5], minval=7, maxval=8, dtype=R.int64))
""")

scenario("odd_shapes_share_counter")("""
out(R.uniform([3, 1, 2], seed=9))
out(R.normal([5], seed=9))
out(R.uniform([2, 0], seed=9))
out(R.uniform([7], seed=9))
out(R.normal([1, 3], seed=9))
out(R.truncated_normal([6], seed=9))
out(R.truncated_normal([6], seed=9))
""")

scenario("global_seed_draws_across_ops")("""
R.set_seed(2024)
out(R.normal([2]))
out(R.truncated_normal([3]))
out(R.uniform([2], dtype=R.float16))
out(R.uniform([2], maxval=100, dtype=R.int32))
R.set_seed(2024)
out(R.normal([2]))
""")

scenario("big_and_negative_op_seeds")("""
out(R.uniform([2], seed=2**31 - 1))
out(R.uniform([2], seed=2**31))
out(R.uniform([2], seed=-1))
out(R.uniform([2], seed=2**40 + 5))
R.set_seed(-2**40)
out(R.uniform([2]))
out(R.uniform([2], seed=0))
""")

scenario("zero_seeds_everywhere")("""
R.set_seed(0)
out(R.uniform([2]))
out(R.uniform([2], seed=0))
out(R.normal([2], seed=2**31 - 1))
""")

scenario("set_seed_none_then_op_seed")("""
R.set_seed(9)
out(R.uniform([2], seed=1))
R.set_seed(None)
out(R.uniform([2], seed=1))
out(R.uniform([2], seed=1))
""")

scenario("function_mixed_seeds_and_args")("""
R.set_seed(321)
@R.function
def f(n, scale):
    a = R.uniform([n], seed=3)
    b = R.normal([n]) * scale
    c = R.truncated_normal([2])
    return a, b, c
out(f(2, 1.0))
out(f(2, 1.0))
out(f(3, 1.0))
out(f(2, 2.0))
out(R.uniform([1], seed=3))
""")

scenario("function_set_seed_zero")("""
R.set_seed(0)
@R.function
def f():
    return R.uniform([2]), R.uniform([2]), R.normal([2], seed=0)
out(f())
out(f())
""")

scenario("function_traced_before_set_seed_change")("""
R.set_seed(1)
@R.function
def f():
    return R.uniform([2])
out(f())
R.set_seed(99)
out(f())
out(f())
""")

scenario("function_tensor_argument")("""
R.set_seed(8)
@R.function
def f(x):
    return x + R.uniform([3])
out(f(R.uniform([3], seed=1)))
out(f(R.uniform([3], seed=1)))
""")

# Inside a tf.function every seed is a graph constant: the scaling must still round the product
# and the sum separately (no fused multiply-add), also with Python-number bounds.
scenario("function_affine_scaling_with_constant_seeds")("""
R.set_seed(1)
@R.function
def f():
    return (R.uniform([9, 7, 9], minval=10.0, seed=5), R.uniform([130], minval=-2.5, maxval=10.0, seed=6),
            R.normal([5, 6, 6], mean=10.0, seed=7), R.truncated_normal([300], mean=-3.0, stddev=7.0, seed=8),
            R.uniform([64], minval=0.3, maxval=7.7, dtype=R.float16, seed=9))
out(f())
out(f())
""")

# TensorFlow's graph optimizer drops `+ 0.0` inside a tf.function, so a -0.0 product stays -0.0
# (eagerly, -0.0 + 0.0 is +0.0): half-precision underflow and a zero stddev.
scenario("function_drops_adding_a_zero_mean")("""
R.set_seed(3)
@R.function
def f():
    return (R.normal([64], stddev=1e-9, dtype=R.float16, seed=5),
            R.truncated_normal([64], mean=0.0, stddev=1e-9, dtype=R.float16, seed=5),
            R.normal([64], stddev=0.0, seed=6), R.normal([64], mean=0, stddev=-0.0, seed=6),
            R.stateless_normal([64], seed=[1, 2], stddev=0.0),
            R.stateless_uniform([64], seed=[1, 2], minval=0.0, maxval=-0.0))
out(f())
out(R.normal([64], stddev=1e-9, dtype=R.float16, seed=5))
out(R.normal([64], stddev=0.0, seed=6))
out(R.stateless_normal([64], seed=[1, 2], stddev=0.0))
""")
SCENARIOS = S
