# TensorFlow 2.21 programs with random ops under a GradientTape, in tf.range loops, in tf.cond
# branches and in tf.vectorized_map, inside tf.function. record.py --style tf --list S runs each TF
# source in a fresh process with `tf` and `np` in scope and `out(x)` recording tensors;
# tests/test_function.py runs the compat port beside it and compares bits.
# Arithmetic on the draws is exact (bit operations, products with powers of two), so that
# every output compares bit for bit. Each entry: (name, TensorFlow source).
S = []


def scenario(name):
    def add(src):
        S.append((name, src))
    return add


_STEP = """
v = tf.Variable(np.arange(1, 7, dtype=np.float32).reshape(3, 2) / 4)
@tf.function
def step():
    before = tf.random.uniform([2]{seed_a})
    with tf.GradientTape() as tape:
        h = tf.nn.dropout(v, 0.5{seed_b}) + tf.random.normal([3, 2]{seed_c})
        loss = tf.reduce_sum(h)
    grad = tape.gradient(loss, v)
    after = tf.random.uniform([2]{seed_d})
    return h, grad, before, after
{set_seed}
for _ in range(3):
    out(step())
"""

scenario("tape_step_global_seed")(_STEP.format(
    seed_a="", seed_b="", seed_c="", seed_d="", set_seed="tf.random.set_seed(1234)"))
scenario("tape_step_op_seeds")(_STEP.format(
    seed_a=", seed=3", seed_b=", seed=5", seed_c=", seed=7", seed_d=", seed=9",
    set_seed="tf.random.set_seed(99)"))
scenario("tape_step_op_seeds_only")(_STEP.format(
    seed_a=", seed=3", seed_b=", seed=5", seed_c=", seed=7", seed_d=", seed=9", set_seed=""))

_LOOP = """
{set_seed}
@tf.function
def run(n):
    first = tf.random.uniform([2]{seed_a})
    acc = tf.zeros([2], tf.uint32)
    for i in tf.range(n):
        acc = (acc * 3) ^ tf.bitcast(tf.random.uniform([2]{seed_b}), tf.uint32)
        acc = acc ^ tf.bitcast(tf.random.normal([2]{seed_c}), tf.uint32)
    last = tf.random.uniform([2]{seed_d})
    return first, acc, last
out(run(tf.constant(3)))
out(run(tf.constant(2)))
out(run(tf.constant(0)))
out(run(tf.constant(1)))
"""

scenario("loop_global_seed")(_LOOP.format(
    seed_a="", seed_b="", seed_c="", seed_d="", set_seed="tf.random.set_seed(1234)"))
scenario("loop_op_seeds")(_LOOP.format(
    seed_a=", seed=3", seed_b=", seed=5", seed_c=", seed=7", seed_d=", seed=9",
    set_seed="tf.random.set_seed(99)"))
scenario("loop_op_seed_only")(_LOOP.format(
    seed_a="", seed_b=", seed=5", seed_c=", seed=7", seed_d="", set_seed="") .replace(
    "first = tf.random.uniform([2])", "first = tf.random.uniform([2], seed=3)").replace(
    "last = tf.random.uniform([2])", "last = tf.random.uniform([2], seed=9)"))

scenario("nested_loops_global_seed")("""
tf.random.set_seed(7)
@tf.function
def run(n):
    acc = tf.zeros([1], tf.uint32)
    for i in tf.range(n):
        acc = acc ^ tf.bitcast(tf.random.uniform([1]), tf.uint32)
        for j in tf.range(2):
            acc = (acc * 3) ^ tf.bitcast(tf.random.uniform([1]), tf.uint32)
    return acc, tf.random.uniform([1])
out(run(tf.constant(2)))
out(run(tf.constant(1)))
""")

_COND = """
{set_seed}
@tf.function
def pick(p):
    first = tf.random.uniform([2]{seed_a})
    y = tf.cond(p, lambda: tf.random.uniform([2]{seed_b}),
                lambda: tf.random.normal([2]{seed_c}) * tf.random.uniform([2]{seed_e}))
    last = tf.random.uniform([2]{seed_d})
    return first, y, last
for p in (True, True, False, True, False, False):
    out(pick(tf.constant(p)))
"""

scenario("cond_global_seed")(_COND.format(
    seed_a="", seed_b="", seed_c="", seed_d="", seed_e="", set_seed="tf.random.set_seed(1234)"))
scenario("cond_op_seeds")(_COND.format(
    seed_a=", seed=3", seed_b=", seed=5", seed_c=", seed=7", seed_d=", seed=9", seed_e=", seed=11",
    set_seed="tf.random.set_seed(99)"))

scenario("vectorized_map_uniform")("""
tf.random.set_seed(1234)
@tf.function
def f(x):
    return tf.vectorized_map(lambda row: row + tf.random.uniform([2], seed=1), x)
@tf.function
def g():
    return tf.random.uniform([3, 2], seed=1)
x = tf.zeros([3, 2])
out(f(x))
out(f(x))
out(g())
out(g())
""")

scenario("generator_captured_by_function")("""
g = tf.random.Generator.from_seed(1234)
@tf.function
def f(n):
    a = g.normal([2])
    acc = tf.zeros([2], tf.uint32)
    for i in tf.range(n):
        acc = acc ^ tf.bitcast(g.uniform([2]), tf.uint32)
    return a, acc, g.uniform([3])
out(f(tf.constant(2)))
out(g.uniform([2]))
out(f(tf.constant(1)))
out(f(tf.constant(0)))
out(tf.constant(g.state.numpy()))
""")
