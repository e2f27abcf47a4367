# Whole TensorFlow 2.21 / Keras 3.15.1 programs, as a user writes them, recorded into
# programs_expected.json:  python tests/data/programs_record.py tests/data/programs_expected.json
# (needs tensorflow and keras). Each program runs in a fresh process (KERAS_BACKEND=tensorflow)
# with `tf`, `keras`, `np` and `out` in scope; `out(x)` records a tensor, a Keras variable or a
# list/tuple of them (dtype, shape, bits, values). The random parts of a program (initial weights,
# masks, data order, augmentations) are recorded on their own, so that tests/test_programs.py can
# compare them bit for bit and the trained values (matmuls, gradients) with a tolerance.
import json
import os
import subprocess
import sys

PROGRAMS = [("mlp_custom_loop", """
tf.random.set_seed(7)
def glorot(shape):
    limit = np.sqrt(6.0 / (shape[0] + shape[1]))
    return tf.random.uniform(shape, -limit, limit)
W1 = tf.Variable(tf.random.truncated_normal([4, 8], stddev=0.5))
b1 = tf.Variable(tf.zeros([8]))
W2 = tf.Variable(glorot([8, 3]))
out([W1, W2])                                   # initial weights
x = tf.random.normal([16, 4], seed=1)
y = tf.random.uniform([16], maxval=3, dtype=tf.int32, seed=2)
out([x, y])

@tf.function
def train_step(x, y, step):
    xd = tf.nn.dropout(x, 0.25)
    with tf.GradientTape() as tape:
        h = tf.nn.relu(xd @ W1 + b1)
        logits = h @ W2
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits))
    grads = tape.gradient(loss, [W1, b1, W2])
    for v, g in zip([W1, b1, W2], grads):
        v.assign_sub(0.1 * g)
    noise = tf.zeros([2])
    for i in tf.range(3):
        noise += tf.random.normal([2])
    extra = tf.cond(step % 2 == 0, lambda: tf.random.uniform([2]), lambda: tf.random.normal([2], seed=5))
    return loss, xd, noise, extra

for epoch in range(2):
    for step in range(3):
        loss, xd, noise, extra = train_step(x, y, tf.constant(epoch * 3 + step))
        out([xd, noise, extra])                 # the random parts of the step, bit for bit
        out(loss)                               # arithmetic: with a tolerance
out([W1, b1, W2])
"""), ("generator_and_stateless_steps", """
g = tf.random.Generator.from_seed(42)
w = tf.Variable(g.normal([3, 2]))
out(w)

@tf.function
def step(x, g, step):
    noise = g.normal(tf.shape(x))
    keep = g.uniform(tf.shape(x)) > 0.3
    s = tf.random.stateless_uniform([2], seed=[step, 0])
    t = tf.random.stateless_normal([2], seed=tf.stack([tf.constant(11, tf.int64), tf.cast(step, tf.int64)]))
    u = tf.random.stateless_truncated_normal([3], seed=[1, step])
    z = tf.where(keep, x + noise, tf.zeros_like(x))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum((z @ w) ** 2)
    w.assign_sub(0.01 * tape.gradient(loss, w))
    return z, s, t, u

x = tf.reshape(tf.range(12, dtype=tf.float32), [4, 3]) / 10.0
for i in range(4):
    out(step(x, g, tf.constant(i)))
    out(g.uniform([2]))                          # eager draws between the calls
out(g.state)
out(w)
"""), ("data_pipeline_stateless_augment", """
def augment(i):
    image = tf.reshape(tf.cast(tf.range(i * 48, i * 48 + 48) % 256, tf.float32) / 255.0, [4, 4, 3])
    seed = tf.stack([i, tf.constant(7, tf.int64)])
    image = tf.image.stateless_random_flip_left_right(image, seed)
    image = tf.image.stateless_random_crop(image, [3, 3, 3], seed)
    image = tf.image.stateless_random_brightness(image, 0.2, seed + 1)
    return i, image

ds = tf.data.Dataset.range(10).shuffle(6, seed=3).map(augment).batch(4).repeat(2)
for idx, images in ds:
    out([idx, images])
"""), ("data_pipeline_stateful_augment", """
tf.random.set_seed(5)
def augment(i):
    image = tf.reshape(tf.cast(tf.range(i * 48, i * 48 + 48) % 256, tf.float32) / 255.0, [4, 4, 3])
    image = tf.image.random_flip_left_right(image, seed=1)
    image = tf.image.random_crop(image, [3, 3, 3])
    image = tf.image.random_brightness(image, 0.2)
    return i, image

ds = tf.data.Dataset.range(8).shuffle(8).map(augment).batch(3)
for epoch in range(2):
    for idx, images in ds:
        out([idx, images])
"""), ("keras_fit_sequential", """
keras.utils.set_random_seed(1)
model = keras.Sequential([
    keras.Input((6,)),
    keras.layers.Dense(8, activation="relu"),
    keras.layers.Dropout(0.25),
    keras.layers.GaussianNoise(0.1),
    keras.layers.Dense(2),
])
out(model.get_weights())                        # initial weights
x = np.arange(72, dtype="float32").reshape(12, 6) / 72.0
y = np.stack([np.sin(np.arange(12)), np.cos(np.arange(12))], axis=1).astype("float32")
model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
history = model.fit(x, y, batch_size=4, epochs=2, shuffle=True, verbose=0)
out(np.array(history.history["loss"], "float32"))
out(model.get_weights())
out([model(x[:3], training=True), model(x[:3], training=True)])
out(model.predict(x[:3], verbose=0))
"""), ("keras_fit_order_exact", """
# A model whose training is exact arithmetic (a weight per sample, dyadic values), so that its
# trained weights tell the order fit fed the samples in.
keras.utils.set_random_seed(3)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
x = np.eye(8, dtype="float32")
y = np.arange(1, 9, dtype="float32").reshape(8, 1)
model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mae")
seen = []
class Order(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        seen.append(np.array(self.model.get_weights()[0]).reshape(-1))
model.fit(x, y, batch_size=2, epochs=2, shuffle=True, verbose=0, callbacks=[Order()])
out(seen)
"""), ("keras_functional_embedding", """
keras.utils.set_random_seed(11)
tokens = keras.Input((5,), dtype="int32")
h = keras.layers.Embedding(20, 4)(tokens)
h = keras.layers.SpatialDropout1D(0.3)(h)
h = keras.layers.GlobalAveragePooling1D()(h)
h = keras.layers.Dense(3, kernel_initializer="glorot_normal")(h)
model = keras.Model(tokens, h)
out(model.get_weights())
x = (np.arange(15).reshape(3, 5) * 7) % 20
out([model(x, training=True) for _ in range(3)])
out(model(x, training=False))
"""), ("keras_random_flip", """
keras.utils.set_random_seed(2)
model = keras.Sequential([
    keras.Input((4, 4, 1)),
    keras.layers.RandomFlip("horizontal"),
    keras.layers.Flatten(),
    keras.layers.Dense(2),
])
out(model.get_weights())
x = np.arange(32, dtype="float32").reshape(2, 4, 4, 1)
out([model.layers[0](x, training=True) for _ in range(3)])
"""), ("mixed_seed_resets", """
out(tf.random.uniform([2], seed=3))
tf.random.set_seed(10)
out(tf.random.normal([3]))
out(tf.random.uniform([2], seed=3))
tf.random.set_seed(10)                           # again: the same numbers as after the first
out(tf.random.normal([3]))
out(tf.random.uniform([2], seed=3))
init = tf.keras.initializers.GlorotUniform(seed=5)
out([init([2, 3]), init([2, 3])])                # called twice: Keras 3 gives the same values
keras.utils.set_random_seed(10)                  # Python's random, NumPy's, tf.random.set_seed
init2 = tf.keras.initializers.RandomNormal()     # unseeded: a seed from Python's random
out([init2([3]), init2([3])])
out(tf.random.normal([3]))                       # tf.random's global seed is 10 again

@tf.function
def noisy(x):
    return x + tf.random.uniform(tf.shape(x))
out(noisy(tf.zeros([2])))
out(noisy(tf.zeros([3])))                        # a retrace: a new trace, new kernels
out(noisy(tf.zeros([2])))                        # back to the first trace
out(noisy(tf.zeros([3, 1])))
out(noisy.experimental_get_tracing_count())
"""), ("text_generation_sampling", """
tf.random.set_seed(99)
vocab = 7
emb = tf.random.normal([vocab, vocab], stddev=2.0)
out(emb)

@tf.function
def next_token(tokens, temperature):
    logits = tf.gather(emb, tokens[:, -1]) / temperature
    return tf.random.categorical(logits, 1, dtype=tf.int32)

tokens = tf.constant([[0], [3]], tf.int32)
for t in range(6):
    tokens = tf.concat([tokens, next_token(tokens, tf.constant(0.8))], axis=1)
out(tokens)
for t in range(3):                                # eager sampling too
    out(tf.random.categorical(tf.math.log([[0.2, 0.3, 0.5]]), 5))
"""), ("shuffle_batch_in_function", """
tf.random.set_seed(2024)
x = tf.reshape(tf.range(24), [8, 3])

@tf.function
def batches(x):
    shuffled = tf.random.shuffle(x)
    idx = tf.random.shuffle(tf.range(8), seed=1)
    return shuffled, tf.gather(x, idx), tf.random.uniform([], 0, 8, dtype=tf.int32)

for _ in range(3):
    out(batches(x))
out(tf.random.shuffle(x))                          # eager, after the function
"""), ("keras_fit_twice_batch_shuffle_validation", """
# The exact model of keras_fit_order_exact: its weights after each batch tell the order.
keras.utils.set_random_seed(21)
model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
x = np.eye(10, dtype="float32")
y = np.arange(1, 11, dtype="float32").reshape(10, 1) * 4
model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mae")
seen = []
class Order(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        seen.append(np.array(self.model.get_weights()[0]).reshape(-1))
model.fit(x, y, batch_size=3, epochs=2, shuffle=True, verbose=0, callbacks=[Order()])
model.fit(x, y, batch_size=3, epochs=1, shuffle=True, verbose=0, callbacks=[Order()])   # fit again
out(tf.random.uniform([2]))                     # tf.random after fit: the global seed's first draw?
model.fit(x, y, batch_size=4, epochs=2, shuffle=True, validation_split=0.2, verbose=0, callbacks=[Order()])
keras.utils.set_random_seed(0)
model.fit(x, y, batch_size=4, epochs=1, shuffle=True, verbose=0, callbacks=[Order()])
out(seen)
"""), ("keras_fit_batch_shuffle", """
keras.utils.set_random_seed(21)
model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
x = np.eye(10, dtype="float32")
y = np.arange(1, 11, dtype="float32").reshape(10, 1) * 4
model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mae")
seen = []
class Order(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        seen.append(np.array(self.model.get_weights()[0]).reshape(-1))
model.fit(x, y, batch_size=4, epochs=2, shuffle="batch", verbose=0, callbacks=[Order()])
out(seen)
"""), ("data_pipeline_repeat_generator", """
tf.random.set_seed(8)
g = tf.random.Generator.from_seed(3)
def noisy(i):
    return i, tf.random.uniform([2], seed=2), tf.random.normal([]), g.uniform([])
ds = tf.data.Dataset.range(5).shuffle(5, seed=4, reshuffle_each_iteration=False).map(noisy).repeat(2)
for row in ds:
    out(row)
for row in ds.take(2):                          # a second iterator over the same dataset
    out(row)
out(g.state)
"""), ("map_fn_augment_and_signature", """
tf.random.set_seed(31)
images = tf.reshape(tf.range(4 * 3 * 3 * 2, dtype=tf.float32), [4, 3, 3, 2])

@tf.function
def augment_batch(images):
    flipped = tf.map_fn(lambda im: tf.image.random_flip_left_right(im), images)
    noisy = tf.map_fn(lambda im: im + tf.random.normal(tf.shape(im), seed=3), flipped)
    return flipped, noisy

out(augment_batch(images))
out(augment_batch(images))

@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
def jitter(x):
    return x + tf.random.uniform(tf.shape(x), -1.0, 1.0)

for n in (2, 5, 1):
    out(jitter(tf.zeros([n, 3])))
out(jitter.experimental_get_tracing_count())
"""), ("stateless_split_fold_in_loop", """
seed = tf.constant([123, 456], tf.int64)
step_seeds = tf.random.experimental.stateless_split(seed, num=3)
out(step_seeds)
x = tf.reshape(tf.range(1, 13, dtype=tf.float32), [3, 4])

@tf.function
def step(x, s):
    d = tf.nn.experimental.stateless_dropout(x, 0.5, seed=s)
    s2 = tf.random.experimental.stateless_fold_in(s, 7)
    n = tf.random.stateless_normal([2], seed=s2)
    c = tf.random.stateless_categorical(tf.math.log([[0.1, 0.2, 0.7]]), 4, seed=s, dtype=tf.int32)
    return d, s2, n, c

for i in range(3):
    out(step(x, step_seeds[i]))
"""), ("keras_layers_custom_loop", """
keras.utils.set_random_seed(5)
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(6, activation="relu"),
                          keras.layers.Dropout(0.5), keras.layers.Dense(1)])
out(model.get_weights())
optimizer = keras.optimizers.SGD(0.125)
x = np.linspace(-1.0, 1.0, 32, dtype="float32").reshape(8, 4)
y = np.linspace(0.0, 1.0, 8, dtype="float32").reshape(8, 1)

@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        hidden = model.layers[0](x)
        dropped = model.layers[1](hidden, training=True)
        loss = tf.reduce_mean((model.layers[2](dropped) - y) ** 2)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss, tf.cast(tf.equal(dropped, 0.0), tf.int32) - tf.cast(tf.equal(hidden, 0.0), tf.int32)

for _ in range(3):
    loss, dropped_only = train_step(x, y)
    out([loss, dropped_only])                  # 1 where dropout (not relu) zeroed
out(model.get_weights())
"""), ("keras_augmentation_model", """
keras.utils.set_random_seed(17)
augment = keras.Sequential([
    keras.layers.RandomFlip("horizontal_and_vertical"),
    keras.layers.RandomCrop(3, 3),
    keras.layers.RandomContrast(0.5),
    keras.layers.RandomBrightness(0.25, value_range=(0.0, 1.0)),
    keras.layers.RandomTranslation(0.2, 0.2, fill_mode="constant"),
    keras.layers.RandomRotation(0.1, fill_mode="constant"),
    keras.layers.RandomZoom(0.2, fill_mode="constant"),
])
x = (np.arange(2 * 5 * 5 * 1, dtype="float32") % 16 / 16.0).reshape(2, 5, 5, 1)
for layer in augment.layers:                    # each layer apart, twice
    out([layer(x if layer.name != "random_crop" else x, training=True) for _ in range(2)])
out([augment(x, training=True) for _ in range(2)])
out(augment(x, training=False))
"""), ("map_fn_eager", """
tf.random.set_seed(41)
xs = tf.zeros([12, 2])
out(tf.map_fn(lambda v: v + tf.random.uniform([2], seed=6), xs))
out(tf.map_fn(lambda v: v + tf.random.uniform([2], seed=6), xs, parallel_iterations=1))
"""), ("augmentation_tutorial", """
# tensorflow.org's data augmentation tutorial, its two ways with stateless ops (small images).
tf.random.set_seed(1)
IMG_SIZE = 4
images = tf.reshape(tf.range(6 * IMG_SIZE * IMG_SIZE * 3) % 251, [6, IMG_SIZE, IMG_SIZE, 3])
train_datasets = tf.data.Dataset.from_tensor_slices((images, tf.range(6)))

def augment(image_label, seed):
    image, label = image_label
    image = tf.cast(image, tf.float32) / 255.0
    image = tf.image.resize_with_crop_or_pad(image, IMG_SIZE + 2, IMG_SIZE + 2)
    new_seed = tf.random.split(seed, num=1)[0, :]
    image = tf.image.stateless_random_crop(image, size=[IMG_SIZE, IMG_SIZE, 3], seed=seed)
    image = tf.image.stateless_random_brightness(image, max_delta=0.5, seed=new_seed)
    image = tf.clip_by_value(image, 0, 1)
    return image, label

counter = tf.data.experimental.Counter()
train_ds = tf.data.Dataset.zip((train_datasets, (counter, counter)))
train_ds = train_ds.shuffle(1000).map(augment).batch(4)
for epoch in range(2):
    for image, label in train_ds:
        out([label, image])

rng = tf.random.Generator.from_seed(123, alg='philox')
def f(x, y):
    seed = rng.make_seeds(2)[0]
    image, label = augment((x, y), seed)
    return image, label
train_ds = train_datasets.shuffle(1000).map(f).batch(4)
for epoch in range(2):
    for image, label in train_ds:
        out([label, image])
out(rng.state)
"""), ("generator_checkpoint_split", """
import tempfile, os
g = tf.random.Generator.from_seed(5)
ckpt = tf.train.Checkpoint(generator=g)
out(g.normal([3]))
path = ckpt.write(os.path.join(tempfile.mkdtemp(), "ckpt"))
after_save = [g.uniform([2]), g.normal([2])]
out(after_save)
ckpt.read(path)                                   # back to the saved state
out([g.uniform([2]), g.normal([2])])
children = g.split(2)
out([children[0].uniform([3]), children[1].uniform([3]), g.uniform([1])])
g.reset_from_seed(7)
out(g.truncated_normal([4]))
t = tf.random.Generator.from_seed(5, alg="threefry")
try:                                              # TensorFlow's CPU kernels have no ThreeFry
    t.uniform([3])
except tf.errors.UnimplementedError:
    out(t.state)                                  # the failed draw left the state
"""), ("input_signature_varying_batch", """
tf.random.set_seed(2)
g = tf.random.Generator.from_seed(1)

@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def step(x):
    acc = tf.zeros_like(x)
    for i in tf.range(2):
        acc += tf.random.uniform(tf.shape(x))
    return acc, tf.random.uniform([2]), g.uniform(tf.shape(x)), tf.nn.dropout(x, 0.5), tf.random.shuffle(x)

for n in (2, 3, 2, 5, 1):
    out(step(tf.range(1, n + 1, dtype=tf.float32)))
out(step.experimental_get_tracing_count())
out(g.state)
""")]


def _child():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import numpy as np
    import tensorflow as tf
    import keras

    view = {"float16": np.uint16, "float32": np.uint32, "float64": np.uint64,
            "int32": np.int32, "int64": np.int64, "bool": np.uint8, "uint32": np.uint32}
    records = []

    def record(t):
        a = np.asarray(keras.ops.convert_to_numpy(t) if not isinstance(t, (int, float)) else t)
        if isinstance(t, int):
            a = np.asarray(t, np.int64)
        name = str(a.dtype)
        records.append({"dtype": name, "shape": list(a.shape),
                        "bits": [int(b) for b in a.view(view[name]).reshape(-1)],
                        "values": [float(v) for v in a.astype(np.float64).reshape(-1)]})

    def out(x):
        for t in (x if isinstance(x, (tuple, list)) else [x]):
            record(t)

    # From a file, so that AutoGraph finds the source (tf.range loops, tf.cond in a tf.function).
    import runpy
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(sys.stdin.read())
    runpy.run_path(f.name, init_globals={"tf": tf, "keras": keras, "np": np, "out": out})
    print(json.dumps(records))


def main():
    if sys.argv[1:] == ["--child"]:
        _child()
        return
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    versions = subprocess.run(
        [sys.executable, "-c", "import tensorflow as tf, keras; print(tf.__version__, keras.__version__)"],
        capture_output=True, text=True, check=True, env=env).stdout.split()
    result = {"recorded_with": f"tensorflow {versions[0]} (CPU), keras {versions[1]}", "programs": []}
    only = set(sys.argv[2:])
    done = {}
    if only and os.path.exists(sys.argv[1]):  # re-record only the named programs
        done = {p["name"]: p for p in json.load(open(sys.argv[1]))["programs"]}
    for name, code in PROGRAMS:
        if only and name not in only and name in done:
            result["programs"].append(done[name])
            continue
        proc = subprocess.run([sys.executable, __file__, "--child"], input=code, capture_output=True,
                              text=True, env=env)
        if proc.returncode:
            sys.exit(f"{name} failed:\n{proc.stderr[-3000:]}")
        outputs = json.loads(proc.stdout.strip().splitlines()[-1])
        result["programs"].append({"name": name, "code": code, "outputs": outputs})
        print(name, len(outputs), file=sys.stderr)
    with open(sys.argv[1], "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
