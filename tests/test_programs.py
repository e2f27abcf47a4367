"""Whole TensorFlow 2.21 / Keras 3.15.1 programs, ported to compat, compared with TensorFlow.

`tests/data/programs_expected.json` holds what each program of `tests/data/programs_record.py`
(plain TensorFlow / Keras code, a fresh process each) produced, as bits. Each function below is
the port of one program, written as docs/migration.md tells a user to write it, run from a fresh
compat state. Every random number (initial weights, dropout masks, noise, data order,
augmentations, samples) must equal TensorFlow's bit for bit; the outputs listed in `ARITHMETIC`
come out of matmuls, gradients and optimizer updates, which XLA and TensorFlow's kernels round
differently (docs/migration.md, "Traps"), and are compared with a tolerance.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import compat

# Keras 3.15.1's Variable.numpy() (model.get_weights) warns under NumPy >= 2: Keras's own warning.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")

RECORDING = json.loads((Path(__file__).parent / "data" / "programs_expected.json").read_text())
EXPECTED = {program["name"]: program["outputs"] for program in RECORDING["programs"]}
_VIEW = {"float32": np.uint32, "float64": np.uint64, "int32": np.int32, "int64": np.int64}

# The outputs that arithmetic (not a random op) makes: compared with RTOL / ATOL.
ARITHMETIC = {
    "mlp_custom_loop": [7, 11, 15, 19, 23, 27, 28, 29, 30],    # losses, trained weights
    "generator_and_stateless_steps": [22],                      # trained w
    "keras_fit_sequential": [4, 5, 6, 7, 8, 9, 10, 11],         # loss history, trained weights, outputs
    "keras_functional_embedding": [3, 4, 5, 6],                 # model outputs
    "keras_layers_custom_loop": [6, 8, 10, 11, 12, 13],         # losses after a step, trained weights
    # RandomTranslation / RandomRotation / RandomZoom: TensorFlow's ImageProjectiveTransformV3
    # against Keras's JAX interpolation, 1 or 2 ulp apart in some pixels (their draws are equal:
    # other draws would move whole pixels).
    "keras_augmentation_model": [8, 9, 10, 11, 12, 13, 14, 15],
}
RTOL, ATOL = 1e-5, 1e-6
KERAS = {"keras_fit_sequential", "keras_fit_order_exact", "keras_functional_embedding",
         "keras_random_flip", "mixed_seed_resets", "keras_fit_twice_batch_shuffle_validation",
         "keras_fit_batch_shuffle", "keras_layers_custom_loop", "keras_augmentation_model"}
DEFAULT = {"shuffle_batch_in_function", "map_fn_eager", "keras_fit_order_exact"}  # cheap; the rest: slow


def _keras():
    """Keras on the JAX backend, or a skip (the test installs TensorFlow's numbers around a port)."""
    if importlib.util.find_spec("keras") is None:
        pytest.skip("keras is not installed (pip install 'keyrng[keras]')")
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = "jax"
    import keras

    if keras.backend.backend() != "jax":
        pytest.skip(f"keras was imported on the {keras.backend.backend()!r} backend")
    return keras


def mlp_custom_loop():
    compat.set_seed(7)
    def glorot(shape):
        limit = np.sqrt(6.0 / (shape[0] + shape[1]))
        return compat.uniform(shape, -limit, limit)
    params = {"W1": compat.truncated_normal([4, 8], stddev=0.5), "b1": jnp.zeros([8]), "W2": glorot([8, 3])}
    outs = [params["W1"], params["W2"]]
    x = compat.normal([16, 4], seed=1)
    y = compat.uniform([16], maxval=3, dtype=compat.int32, seed=2)
    outs += [x, y]

    @compat.function                             # @tf.function
    def train_step(params, x, y, step):
        xd = compat.dropout(x, 0.25)
        def loss_fn(p):
            h = jax.nn.relu(xd @ p["W1"] + p["b1"])
            logits = h @ p["W2"]
            return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1))
        loss, grads = jax.value_and_grad(loss_fn)(params)
        params = jax.tree.map(lambda v, g: v - 0.1 * g, params, grads)
        noise = jax.lax.fori_loop(  # for i in tf.range(3)
            0, 3, lambda i, n: n + compat.normal([2]), jnp.zeros([2]))
        extra = jax.lax.cond(  # tf.cond
            step % 2 == 0, lambda: compat.uniform([2]), lambda: compat.normal([2], seed=5))
        return params, loss, xd, noise, extra

    for epoch in range(2):
        for step in range(3):
            params, loss, xd, noise, extra = train_step(params, x, y, jnp.int32(epoch * 3 + step))
            outs += [xd, noise, extra, loss]
    outs += [params["W1"], params["b1"], params["W2"]]
    return outs


def generator_and_stateless_steps():
    g = compat.Generator.from_seed(42)
    w = g.normal([3, 2])
    outs = [w]

    @compat.function
    def step(w, x, g, step):
        noise = g.normal(x.shape)
        keep = g.uniform(x.shape) > 0.3
        s = compat.stateless_uniform([2], seed=jnp.stack([step, 0]))
        t = compat.stateless_normal([2], seed=jnp.stack([jnp.int32(11), step]))
        u = compat.stateless_truncated_normal([3], seed=jnp.stack([1, step]))
        z = jnp.where(keep, x + noise, jnp.zeros_like(x))
        grad = jax.grad(lambda w: jnp.sum((z @ w) ** 2))(w)
        return w - 0.01 * grad, (z, s, t, u)

    x = jnp.arange(12, dtype=jnp.float32).reshape(4, 3) / jnp.full([4, 3], 10.0)  # exact, as TF's
    for i in range(4):
        w, got = step(w, x, g, jnp.int32(i))
        outs += [*got, g.uniform([2])]
    outs += [g.state, w]
    return outs


def image_of(i):
    # TensorFlow divides exactly here (eagerly and in a tf.data function); jnp's `x / 255.0`
    # multiplies by the reciprocal (XLA's rewrite of a division by a scalar), so divide by an array.
    x = ((jnp.arange(48) + i * 48) % 256).astype(jnp.float32)
    return (x / jnp.full(x.shape, 255.0, x.dtype)).reshape(4, 4, 3)


def data_pipeline_stateless_augment():
    def augment(i):
        image = image_of(i)
        seed = jnp.stack([i, 7])
        image = compat.image.stateless_random_flip_left_right(image, seed)
        image = compat.image.stateless_random_crop(image, [3, 3, 3], seed)
        return compat.image.stateless_random_brightness(image, 0.2, seed + 1)
    order = compat.data.shuffle_order(10, 6, seed=3, epochs=2)
    outs = []
    for epoch in range(2):
        idx = order[epoch * 10:(epoch + 1) * 10]
        for start in range(0, 10, 4):
            b = idx[start:start + 4]
            outs += [b, jnp.stack([augment(int(i)) for i in b])]
    return outs


def data_pipeline_stateful_augment():
    compat.set_seed(5)
    order = compat.data.ShuffleOrder(8, 8)       # made where TensorFlow made the dataset

    def make():  # the map function; tf.data instantiates it afresh for every iterator
        @compat.function
        def augment(image):
            image = compat.image.random_flip_left_right(image, seed=1)
            image = compat.image.random_crop(image, [3, 3, 3])
            return compat.image.random_brightness(image, 0.2)
        return augment
    outs = []
    for epoch in range(2):
        augment = make()                          # a new iterator: the map's kernels restart
        it = iter(order)
        while len(b := it.next_indices(3)):
            outs += [b, jnp.stack([augment(image_of(int(i))) for i in b])]
    return outs


def keras_fit_sequential():
    keras = _keras()
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
        keras.layers.Dropout(0.25), keras.layers.GaussianNoise(0.1), keras.layers.Dense(2)])
    outs = list(model.get_weights())
    x = np.arange(72, dtype="float32").reshape(12, 6) / 72.0
    y = np.stack([np.sin(np.arange(12)), np.cos(np.arange(12))], axis=1).astype("float32")
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    history = model.fit(x, y, batch_size=4, epochs=2, shuffle=True, verbose=0)
    outs.append(np.array(history.history["loss"], "float32"))
    outs += model.get_weights()
    outs += [model(x[:3], training=True), model(x[:3], training=True)]
    outs.append(model.predict(x[:3], verbose=0))
    return outs


def keras_fit_order_exact():
    keras = _keras()
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
    x = np.eye(8, dtype="float32"); y = np.arange(1, 9, dtype="float32").reshape(8, 1)
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mae")
    seen = []
    class Order(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(np.array(self.model.get_weights()[0]).reshape(-1))
    model.fit(x, y, batch_size=2, epochs=2, shuffle=True, verbose=0, callbacks=[Order()])
    return seen


def keras_functional_embedding():
    keras = _keras()
    keras.utils.set_random_seed(11)
    tokens = keras.Input((5,), dtype="int32")
    h = keras.layers.Embedding(20, 4)(tokens)
    h = keras.layers.SpatialDropout1D(0.3)(h)
    h = keras.layers.GlobalAveragePooling1D()(h)
    h = keras.layers.Dense(3, kernel_initializer="glorot_normal")(h)
    model = keras.Model(tokens, h)
    outs = list(model.get_weights())
    x = (np.arange(15).reshape(3, 5) * 7) % 20
    outs += [model(x, training=True) for _ in range(3)]
    outs.append(model(x, training=False))
    return outs


def keras_random_flip():
    keras = _keras()
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.RandomFlip("horizontal"),
                              keras.layers.Flatten(), keras.layers.Dense(2)])
    outs = list(model.get_weights())
    x = np.arange(32, dtype="float32").reshape(2, 4, 4, 1)
    outs += [model.layers[0](x, training=True) for _ in range(3)]
    return outs


def mixed_seed_resets():
    keras = _keras()
    outs = [compat.uniform([2], seed=3)]
    compat.set_seed(10)
    outs += [compat.normal([3]), compat.uniform([2], seed=3)]
    compat.set_seed(10)
    outs += [compat.normal([3]), compat.uniform([2], seed=3)]
    init = keras.initializers.GlorotUniform(seed=5)
    outs += [init([2, 3]), init([2, 3])]
    keras.utils.set_random_seed(10)
    init2 = keras.initializers.RandomNormal()
    outs += [init2([3]), init2([3]), compat.normal([3])]
    @compat.function
    def noisy(x):
        return x + compat.uniform(x.shape)
    outs += [noisy(jnp.zeros([2])), noisy(jnp.zeros([3])), noisy(jnp.zeros([2])), noisy(jnp.zeros([3, 1]))]
    outs.append(np.int64(noisy.experimental_get_tracing_count()))
    return outs


def text_generation_sampling():
    compat.set_seed(99)
    vocab = 7
    emb = compat.normal([vocab, vocab], stddev=2.0)
    outs = [emb]
    @compat.function
    def next_token(tokens, temperature):
        logits = emb[tokens[:, -1]] / temperature
        return compat.categorical(logits, 1, dtype=compat.int32)
    tokens = jnp.array([[0], [3]], jnp.int32)
    for t in range(6):
        tokens = jnp.concatenate([tokens, next_token(tokens, jnp.float32(0.8))], axis=1)
    outs.append(tokens)
    with jax.enable_x64(True):               # tf.random.categorical's default dtype is int64
        for t in range(3):
            outs.append(np.asarray(compat.categorical(jnp.log(jnp.array([[0.2, 0.3, 0.5]])), 5)))
    return outs


def shuffle_batch_in_function():
    compat.set_seed(2024)
    x = jnp.arange(24).reshape(8, 3)
    @compat.function
    def batches(x):
        shuffled = compat.shuffle(x)
        idx = compat.shuffle(jnp.arange(8), seed=1)
        return shuffled, x[idx], compat.uniform([], 0, 8, dtype=compat.int32)
    outs = []
    for _ in range(3):
        outs += list(batches(x))
    outs.append(compat.shuffle(x))
    return outs


def _exact_model_order(keras, seed, n):
    """The exact model of keras_fit_order_exact, with a callback that keeps its weights after every
    batch (which tell the samples of the batch)."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((n,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mae")
    seen = []

    class Order(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(np.array(self.model.get_weights()[0]).reshape(-1))

    return model, seen, Order()


def keras_fit_twice_batch_shuffle_validation():
    keras = _keras()
    model, seen, order = _exact_model_order(keras, 21, 10)
    x = np.eye(10, dtype="float32")
    y = np.arange(1, 11, dtype="float32").reshape(10, 1) * 4
    model.fit(x, y, batch_size=3, epochs=2, shuffle=True, verbose=0, callbacks=[order])
    model.fit(x, y, batch_size=3, epochs=1, shuffle=True, verbose=0, callbacks=[order])
    first = compat.uniform([2])                  # fit drew no eager op seed
    model.fit(x, y, batch_size=4, epochs=2, shuffle=True, validation_split=0.2, verbose=0, callbacks=[order])
    keras.utils.set_random_seed(0)
    model.fit(x, y, batch_size=4, epochs=1, shuffle=True, verbose=0, callbacks=[order])
    return [first, *seen]


def keras_fit_batch_shuffle():
    keras = _keras()
    model, seen, order = _exact_model_order(keras, 21, 10)
    x = np.eye(10, dtype="float32")
    y = np.arange(1, 11, dtype="float32").reshape(10, 1) * 4
    model.fit(x, y, batch_size=4, epochs=2, shuffle="batch", verbose=0, callbacks=[order])
    return seen


def data_pipeline_repeat_generator():
    compat.set_seed(8)
    g = compat.Generator.from_seed(3)
    order = compat.data.ShuffleOrder(5, 5, seed=4, reshuffle_each_iteration=False, epochs=2)

    def make():  # the map function, instantiated for each iterator; `repeat` keeps its kernels
        @compat.function
        def noisy():
            return compat.uniform([2], seed=2), compat.normal([]), g.uniform([])
        return lambda i: (np.int64(i), *noisy())   # the element passes through (int64)

    outs = []
    noisy = make()
    for i in order:                              # for row in ds: both epochs, one iterator
        outs += list(noisy(np.int64(i)))
    noisy = make()                               # ds.take(2): a new iterator
    it = iter(order)
    for _ in range(2):
        outs += list(noisy(np.int64(next(it))))
    return [*outs, g.state]


def map_fn(f, xs, parallel_iterations=10):
    """`tf.map_fn(f, xs)` inside a tf.function, in the order TensorFlow 2.21's executor runs the
    iterations' random ops: windows of `parallel_iterations` elements, each window last element
    first (recorded: `map_fn_augment_and_signature`; docs/migration.md)."""
    n = xs.shape[0]
    order = np.concatenate([np.arange(s, min(s + parallel_iterations, n))[::-1]
                            for s in range(0, n, parallel_iterations)])
    return jax.lax.map(f, xs[order])[order]      # `order` is its own inverse


def map_fn_augment_and_signature():
    compat.set_seed(31)
    images = jnp.arange(4 * 3 * 3 * 2, dtype=jnp.float32).reshape(4, 3, 3, 2)
    @compat.function                             # @tf.function
    def augment_batch(images):
        flipped = map_fn(lambda im: compat.image.random_flip_left_right(im), images)
        noisy = map_fn(lambda im: im + compat.normal(im.shape, seed=3), flipped)
        return flipped, noisy
    outs = [*augment_batch(images), *augment_batch(images)]
    @compat.function(input_signature=[compat.TensorSpec([None, 3], compat.float32)])
    def jitter(x):
        return x + compat.uniform(x.shape, -1.0, 1.0)
    for n in (2, 5, 1):
        outs.append(jitter(jnp.zeros([n, 3])))
    outs.append(np.int64(jitter.experimental_get_tracing_count()))
    return outs


def stateless_split_fold_in_loop():
    with jax.enable_x64(True):
        seed = jnp.array([123, 456], jnp.int64)
        step_seeds = compat.split(seed, num=3)
        outs = [np.asarray(step_seeds)]
        x = jnp.arange(1, 13, dtype=jnp.float32).reshape(3, 4)
        @compat.function
        def step(x, s):
            d = compat.nn.experimental.stateless_dropout(x, 0.5, seed=s)
            s2 = compat.fold_in(s, 7)
            n = compat.stateless_normal([2], seed=s2)
            c = compat.stateless_categorical(jnp.log(jnp.array([[0.1, 0.2, 0.7]])), 4, seed=s, dtype=compat.int32)
            return d, s2, n, c
        for i in range(3):
            outs += [np.asarray(v) for v in step(x, step_seeds[i])]
    return outs


def keras_layers_custom_loop():
    keras = _keras()
    keras.utils.set_random_seed(5)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(6, activation="relu"),
                              keras.layers.Dropout(0.5), keras.layers.Dense(1)])
    outs = list(model.get_weights())
    x = np.linspace(-1.0, 1.0, 32, dtype="float32").reshape(8, 4)
    y = np.linspace(0.0, 1.0, 8, dtype="float32").reshape(8, 1)
    dense0, dropout, dense1 = model.layers
    trainable = [v.value for v in model.trainable_variables]
    seed_state = [v.value for v in dropout.non_trainable_variables]
    @jax.jit                                     # Keras's JAX custom-loop pattern: stateless_call
    def train_step(trainable, seed_state, x, y):
        def loss_fn(trainable):
            hidden, _ = dense0.stateless_call(trainable[:2], [], x)
            dropped, state = dropout.stateless_call([], seed_state, hidden, training=True)
            pred, _ = dense1.stateless_call(trainable[2:], [], dropped)
            return jnp.mean((pred - y) ** 2), (hidden, dropped, state)
        (loss, (hidden, dropped, state)), grads = jax.value_and_grad(loss_fn, has_aux=True)(trainable)
        trainable = [v - 0.125 * g for v, g in zip(trainable, grads)]
        mask = (dropped == 0).astype(jnp.int32) - (hidden == 0).astype(jnp.int32)
        return trainable, state, loss, mask
    for _ in range(3):
        trainable, seed_state, loss, mask = train_step(trainable, seed_state, x, y)
        outs += [loss, mask]
    outs += trainable
    return outs


def keras_augmentation_model():
    keras = _keras()
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
    outs = []
    for layer in augment.layers:
        outs += [layer(x, training=True) for _ in range(2)]
    outs += [augment(x, training=True) for _ in range(2)]
    outs.append(augment(x, training=False))
    return outs


def map_fn_eager():
    compat.set_seed(41)
    xs = jnp.zeros([12, 2])
    # Eagerly, tf.map_fn runs the elements one after the other, whatever parallel_iterations.
    return [jnp.stack([v + compat.uniform([2], seed=6) for v in xs]),
            jnp.stack([v + compat.uniform([2], seed=6) for v in xs])]


def augmentation_tutorial():
    with jax.enable_x64(True):                   # Counter's and make_seeds' seeds are int64
        compat.set_seed(1)
        size = 4
        images = (np.arange(6 * size * size * 3) % 251).astype(np.int32).reshape(6, size, size, 3)
        labels = np.arange(6, dtype=np.int32)

        def augment(image_label, seed):
            image, label = image_label
            image = jnp.asarray(image, jnp.float32)
            image = image / jnp.full(image.shape, 255.0, jnp.float32)   # exact, as tf.data's
            image = jnp.pad(image, ((1, 1), (1, 1), (0, 0)))           # resize_with_crop_or_pad
            new_seed = compat.split(seed, num=1)[0, :]
            image = compat.image.stateless_random_crop(image, size=[size, size, 3], seed=seed)
            image = compat.image.stateless_random_brightness(image, max_delta=0.5, seed=new_seed)
            return jnp.clip(image, 0, 1), label

        outs = []
        order = compat.data.ShuffleOrder(6, 1000)  # train_ds.shuffle(1000): global seed only
        for epoch in range(2):
            it = iter(order)
            while len(batch := it.next_indices(4)):
                pairs = [augment((images[k], labels[k]), jnp.array([k, k], jnp.int64)) for k in batch]
                outs += [np.stack([l for _, l in pairs]), np.stack([np.asarray(i) for i, _ in pairs])]

        rng = compat.Generator.from_seed(123, alg="philox")
        order = compat.data.ShuffleOrder(6, 1000)
        for epoch in range(2):
            it = iter(order)
            while len(batch := it.next_indices(4)):
                pairs = [augment((images[k], labels[k]), rng.make_seeds(2)[0]) for k in batch]
                outs += [np.stack([l for _, l in pairs]), np.stack([np.asarray(i) for i, _ in pairs])]
        outs.append(np.asarray(rng.state))
    return outs


def generator_checkpoint_split():
    g = compat.Generator.from_seed(5)
    outs = [g.normal([3])]
    saved = g.state                               # tf.train.Checkpoint(generator=g).write(...)
    outs += [g.uniform([2]), g.normal([2])]
    g.reset(saved)                                # ckpt.read(path)
    outs += [g.uniform([2]), g.normal([2])]
    children = g.split(2)
    outs += [children[0].uniform([3]), children[1].uniform([3]), g.uniform([1])]
    g.reset_from_seed(7)
    outs.append(g.truncated_normal([4]))
    t = compat.Generator.from_seed(5, alg="threefry")
    try:
        t.uniform([3])
    except RuntimeError:                          # TensorFlow: UnimplementedError, no ThreeFry on CPU
        outs.append(t.state)
    return outs


def input_signature_varying_batch():
    compat.set_seed(2)
    g = compat.Generator.from_seed(1)

    @compat.function(input_signature=[compat.TensorSpec([None], compat.float32)])
    def step(x):
        acc = jax.lax.fori_loop(0, 2, lambda i, acc: acc + compat.uniform(x.shape), jnp.zeros_like(x))
        return acc, compat.uniform([2]), g.uniform(x.shape), compat.dropout(x, 0.5), compat.shuffle(x)

    outs = []
    for n in (2, 3, 2, 5, 1):
        outs += list(step(jnp.arange(1, n + 1, dtype=jnp.float32)))
    return [*outs, np.int64(step.experimental_get_tracing_count()), g.state]


PORTS = {f.__name__: f for f in (mlp_custom_loop, generator_and_stateless_steps,
                                 data_pipeline_stateless_augment, data_pipeline_stateful_augment,
                                 keras_fit_sequential, keras_fit_order_exact, keras_functional_embedding,
                                 keras_random_flip, mixed_seed_resets, text_generation_sampling,
                                 shuffle_batch_in_function, keras_fit_twice_batch_shuffle_validation,
                                 keras_fit_batch_shuffle, data_pipeline_repeat_generator,
                                 map_fn_augment_and_signature, stateless_split_fold_in_loop,
                                 keras_layers_custom_loop, keras_augmentation_model, map_fn_eager,
                                 augmentation_tutorial, generator_checkpoint_split,
                                 input_signature_varying_batch)}


def test_every_recorded_program_has_a_port():
    assert sorted(PORTS) == sorted(EXPECTED)


def _bits(value, dtype):
    return [int(b) for b in value.view(_VIEW[dtype]).reshape(-1)]


@pytest.mark.parametrize("name", [pytest.param(name, marks=() if name in DEFAULT else pytest.mark.slow)
                                  for name in sorted(PORTS)])
def test_program_gives_tensorflows_numbers(name):
    compat.reset()
    if name in KERAS:
        _keras()
        from compat import keras as compat_keras

        with compat_keras.use_tensorflow_numbers():  # Keras's own numbers again after the port
            got = [np.asarray(x) for x in PORTS[name]()]
    else:
        got = [np.asarray(x) for x in PORTS[name]()]
    want = EXPECTED[name]
    assert len(got) == len(want)
    for index, (value, record) in enumerate(zip(got, want)):
        where = f"{name} output {index}"
        assert str(value.dtype) == record["dtype"] and list(value.shape) == record["shape"], where
        if index in ARITHMETIC.get(name, ()):
            np.testing.assert_allclose(value.reshape(-1), record["values"], rtol=RTOL, atol=ATOL, err_msg=where)
        else:
            assert _bits(value, record["dtype"]) == record["bits"], f"{where}: {value} (TensorFlow {record['values']})"



@pytest.mark.slow
def test_input_signature_under_grad_goes_on_across_shapes():
    """A compat.function with an input_signature of unknown sizes is one trace for every shape,
    its kernels going on across shapes (`input_signature_varying_batch`), also for an op under
    jax.grad there: each call moves it by its own number of values, as TensorFlow's one concrete
    function does (recorded in tests/data/tf_fuzz_function_expected.json)."""
    compat.reset()
    compat.set_seed(2)

    @compat.function(input_signature=[compat.TensorSpec([None], compat.float32)])
    def grad(x):
        return jax.grad(lambda x: jnp.sum(x * compat.normal(x.shape)))(x)

    first = grad(jnp.ones([2]))
    second = grad(jnp.ones([3]))
    third = grad(jnp.ones([2]))
    import keyrng

    assert (np.asarray(first) == np.asarray(keyrng.normal(keyrng.tf_key(2, 0), [2]))).all()
    assert (np.asarray(second) == np.asarray(keyrng.normal(keyrng.tf_key(2, 0, 512), [3]))).all()
    assert (np.asarray(third) == np.asarray(keyrng.normal(keyrng.tf_key(2, 0, 512 + 768), [2]))).all()
    assert grad.experimental_get_tracing_count() == 1



def test_fit_order_hooks_come_and_go():
    """use_tensorflow_numbers installs TensorFlow's fit order and set_random_seed's global seed;
    use_keras_numbers (and leaving the context manager) restores Keras's own functions."""
    keras = _keras()
    import compat.keras
    from keras.src.trainers.data_adapters import array_data_adapter
    from keras.src.utils import rng_utils

    was_active = compat.keras.active()
    compat.keras.use_keras_numbers()
    own = (array_data_adapter.ArrayDataAdapter._get_iterator, rng_utils.set_random_seed,
           keras.utils.set_random_seed)
    try:
        with compat.keras.use_tensorflow_numbers():
            assert array_data_adapter.ArrayDataAdapter._get_iterator is not own[0]
            compat.reset()
            keras.utils.set_random_seed(3)       # also tf.random.set_seed(3)
            assert compat.keras.fit_permutation(8).tolist() == [7, 4, 2, 6, 5, 3, 0, 1]
            assert compat.get_seed(None)[0] == 3
        assert (array_data_adapter.ArrayDataAdapter._get_iterator, rng_utils.set_random_seed,
                keras.utils.set_random_seed) == own
    finally:
        if was_active:
            compat.keras.use_tensorflow_numbers()
        compat.reset()
