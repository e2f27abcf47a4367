# TensorFlow's side of docs/migration.md, recorded with TensorFlow 2.21.0 (CPU) into
# migration_expected.json:  python tests/data/migration_record.py tests/data/migration_expected.json
# (needs tensorflow). Each snippet is plain TensorFlow code, run in a fresh process with `tf`,
# `np` and `out` in scope; `out(x)` records a tensor (or a tuple/list of them) in the format of
# ../shared/tf_reference/record.py (dtype, shape, bits, values).
import json
import os
import subprocess
import sys

SNIPPETS = [("seed_rules", """
tf.random.set_seed(1234)
out(tf.random.uniform([2]))                  # global seed only
out(tf.random.uniform([2], seed=1))          # global and op seed
out(tf.random.normal([2], seed=1))
out(tf.random.truncated_normal([2], seed=1))
"""), ("op_seed_only", """
out(tf.random.uniform([3], seed=1))
out(tf.random.uniform([3], seed=1))
"""), ("stateless", """
out(tf.random.stateless_uniform([3], seed=[1, 2]))
out(tf.random.stateless_normal([3], seed=[1, 2]))
out(tf.random.stateless_truncated_normal([3], seed=[1, 2]))
"""), ("generator", """
g = tf.random.Generator.from_seed(1234)
out(g.normal([3]))
out(g.uniform([2]))
"""), ("dropout_shuffle_categorical", """
out(tf.nn.dropout(tf.constant([-1.0, -2.0, 3.0, -4.0, 5.0]), 0.5, seed=1))
out(tf.random.shuffle(tf.range(6), seed=1))
out(tf.random.categorical(tf.math.log([[0.5, 0.5]]), 4, dtype=tf.int32, seed=1))
"""), ("function", """
tf.random.set_seed(42)
@tf.function
def step():
    return tf.random.uniform([2]), tf.random.normal([3], seed=7)
out(step())
out(step())
"""), ("function_shuffle", """
tf.random.set_seed(3)
@tf.function
def f():
    return tf.random.shuffle(tf.range(10)), tf.random.uniform([2]), tf.random.shuffle(tf.range(5), seed=4)
out(f())
out(f())
"""), ("quickstart_weights_in_function", """
# The TensorFlow Core quickstart's model: weights drawn on the first call, inside tf.function.
tf.random.set_seed(22)
class LinearRegression(tf.Module):
    def __init__(self):
        self.built = False
    @tf.function
    def __call__(self, x):
        if not self.built:
            rand_w = tf.random.uniform(shape=[x.shape[-1], 1])
            rand_b = tf.random.uniform(shape=[])
            self.w = tf.Variable(rand_w)
            self.b = tf.Variable(rand_b)
            self.built = True
        y = tf.add(tf.matmul(x, self.w), self.b)
        return tf.squeeze(y, axis=1)
model = LinearRegression()
model(tf.zeros([1, 9]))
out(model.w)
out(model.b)
"""), ("quickstart_dropout_in_function", """
# Weights drawn on the first call, dropout on every call. A tf.function that creates variables is
# traced twice; the calls run the second trace, whose op seeds count from 0 again.
tf.random.set_seed(22)
class Model(tf.Module):
    def __init__(self):
        self.built = False
    @tf.function
    def __call__(self, x):
        if not self.built:
            self.w = tf.Variable(tf.random.uniform(shape=[x.shape[-1], 1]))
            self.built = True
        return tf.nn.dropout(x, 0.5) * tf.reshape(self.w, [-1])
model = Model()
x = tf.ones([4, 3])
out(model(x))
out(model(x))
out(model.w)
"""), ("quickstart_weights_eager", """
# The same draws made eagerly: other op seeds, other numbers.
tf.random.set_seed(22)
out(tf.random.uniform(shape=[9, 1]))
out(tf.random.uniform(shape=[]))
"""), ("sgd_step", """
# One gradient-descent update, as the quickstart's training loop writes it: eagerly, then in a
# tf.function (TensorFlow's graph runtime, no XLA).
w = tf.random.uniform([1000], seed=1)
g = tf.random.normal([1000], seed=2)
out(w - 0.1 * g)
v = tf.Variable(w)
@tf.function
def update(g):
    v.assign_sub(0.1 * g)
update(g)
out(v)
"""), ("wide_dtypes", """
out(tf.random.uniform([2], dtype=tf.float64, seed=3))
out(tf.random.uniform([2], maxval=10, dtype=tf.int64, seed=3))
""")]


def _child():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import numpy as np
    import tensorflow as tf

    view = {"float16": np.uint16, "bfloat16": np.uint16, "float32": np.uint32, "float64": np.uint64,
            "int32": np.int32, "int64": np.int64}
    records = []

    def record(t):
        a = t.numpy()
        records.append({"dtype": t.dtype.name, "shape": list(a.shape),
                        "bits": [int(b) for b in a.view(view[t.dtype.name]).reshape(-1)],
                        "values": [float(v) for v in a.astype(np.float64).reshape(-1)]})

    def out(x):
        for t in (x if isinstance(x, (tuple, list)) else [x]):
            record(tf.convert_to_tensor(t))

    exec(compile(sys.stdin.read(), "<snippet>", "exec"), {"tf": tf, "np": np, "out": out})
    print(json.dumps(records))


def main():
    if sys.argv[1:] == ["--child"]:
        _child()
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    result = {"recorded_with": f"tensorflow {tf.__version__} (CPU)", "scenarios": []}
    for name, code in SNIPPETS:
        done = subprocess.run([sys.executable, __file__, "--child"], input=code, capture_output=True,
                              text=True, check=True)
        result["scenarios"].append({"name": name, "code": code,
                                    "outputs": json.loads(done.stdout.strip().splitlines()[-1])})
    with open(sys.argv[1], "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
