# TensorFlow 2.21 programs with random ops inside `tf.custom_gradient` functions (forward pass and
# grad_fn) and inside `tf.recompute_grad`, in a tf.function under a GradientTape.
# record.py --style tf --list S runs each TF source in a fresh process with `tf`, `np` and `out` in
# scope; tests/test_function_v3.py runs the compat port (jax.custom_vjp / custom_jvp /
# jax.checkpoint) beside it and compares bits. Arithmetic on the draws is exact (products with
# powers of two: the variable holds powers of two), so every output compares bit for bit.
# Each entry: (name, TensorFlow source).
S = []


def scenario(name):
    def add(src):
        S.append((name, src))
    return add


# A random op in the forward function of a custom gradient: one node of the function's graph.
_FORWARD = """
{set_seed}
v = tf.Variable(2.0 ** np.arange(-2, 4, dtype=np.float32).reshape(3, 2))
@tf.custom_gradient
def scaled(x):
    noise = tf.random.uniform([3, 2]{seed_b})
    def grad(dy):
        return dy * noise * 2.0
    return x * noise, grad
@tf.function
def step():
    before = tf.random.uniform([2]{seed_a})
    with tf.GradientTape() as tape:
        h = scaled(v) + tf.random.normal([3, 2]{seed_c})
        loss = tf.reduce_sum(h)
    grad = tape.gradient(loss, v)
    after = tf.random.uniform([2]{seed_d})
    return h, grad, before, after
for _ in range(3):
    out(step())
"""

scenario("custom_gradient_forward_global_seed")(_FORWARD.format(
    seed_a="", seed_b="", seed_c="", seed_d="", set_seed="tf.random.set_seed(1234)"))
scenario("custom_gradient_forward_op_seeds")(_FORWARD.format(
    seed_a=", seed=3", seed_b=", seed=5", seed_c=", seed=7", seed_d=", seed=9",
    set_seed="tf.random.set_seed(99)"))
scenario("custom_gradient_forward_op_seeds_only")(_FORWARD.format(
    seed_a=", seed=3", seed_b=", seed=5", seed_c=", seed=7", seed_d=", seed=9", set_seed=""))

# A random op in the grad_fn: built when tape.gradient runs, one node of the function's graph
# that runs once per call (in the backward pass).
_BACKWARD = """
{set_seed}
v = tf.Variable(2.0 ** np.arange(-2, 4, dtype=np.float32).reshape(3, 2))
@tf.custom_gradient
def noisy(x):
    def grad(dy):
        return dy * tf.random.uniform([3, 2]{seed_b})
    return x * 2.0, grad
@tf.function
def step():
    before = tf.random.uniform([2]{seed_a})
    with tf.GradientTape() as tape:
        h = noisy(v) + tf.random.normal([3, 2]{seed_c})
        loss = tf.reduce_sum(h)
    grad = tape.gradient(loss, v)
    after = tf.random.uniform([2]{seed_d})
    return h, grad, before, after
for _ in range(3):
    out(step())
"""

scenario("custom_gradient_backward_global_seed")(_BACKWARD.format(
    seed_a="", seed_b="", seed_c="", seed_d="", set_seed="tf.random.set_seed(1234)"))
scenario("custom_gradient_backward_op_seeds")(_BACKWARD.format(
    seed_a=", seed=3", seed_b=", seed=5", seed_c=", seed=7", seed_d=", seed=9",
    set_seed="tf.random.set_seed(99)"))

# tf.recompute_grad with dropout: at the function's level, and in a tf.range loop.
_RECOMPUTE = """
{set_seed}
v = tf.Variable(2.0 ** np.arange(-2, 4, dtype=np.float32).reshape(3, 2))
@tf.recompute_grad
def block(x):
    return tf.nn.dropout(x, 0.5{seed_b}) * 2.0
@tf.function
def step(n):
    with tf.GradientTape() as tape:
        h = v * 1.0
        {loop}
        loss = tf.reduce_sum(h)
    grad = tape.gradient(loss, v)
    return h, grad
out(step(tf.constant(3)))
out(step(tf.constant(2)))
out(step(tf.constant(1)))
"""

scenario("recompute_grad_global_seed")(_RECOMPUTE.format(
    seed_b="", set_seed="tf.random.set_seed(1234)", loop="h = block(h)"))
scenario("recompute_grad_op_seed")(_RECOMPUTE.format(
    seed_b=", seed=5", set_seed="tf.random.set_seed(99)", loop="h = block(h)"))
scenario("recompute_grad_loop_global_seed")(_RECOMPUTE.format(
    seed_b="", set_seed="tf.random.set_seed(1234)",
    loop="for i in tf.range(n):\n            h = block(h)"))
scenario("recompute_grad_loop_op_seed")(_RECOMPUTE.format(
    seed_b=", seed=5", set_seed="tf.random.set_seed(99)",
    loop="for i in tf.range(n):\n            h = block(h)"))
