"""Differential fuzzing of Keras 3 on TensorFlow against Keras 3 on JAX with
`compat.keras.use_tensorflow_numbers()`: a scenario generator and its recorder.

`generate(seed, count)` makes `count` random Keras cases from a fixed `random.Random(seed)`, so a
generator seed always makes the same cases: `keras.random.*` with int seeds, SeedGenerators drawn
repeatedly and seed=None after `keras.utils.set_random_seed`; initializers alone and on layers;
the random layers (Dropout, SpatialDropout*, GaussianNoise, GaussianDropout, AlphaDropout); the
random preprocessing layers (their outputs, or their random transformations for the layers that
interpolate); `model.fit`'s sample order; and rejected calls (`err`). Every case starts with
`keras.utils.set_random_seed`, so cases are independent and many run in one process. The names in
scope are those of keras_record.py (keras, np, out, err, jit).

Usage: python keras_fuzz_record.py OUT.json GENERATOR_SEED:COUNT [...]
(runs /tmp/tf/bin/python children with KERAS_BACKEND=tensorflow; each child runs a batch of cases;
a case that raises records {"error": <type name>} as its last output). Cases already in OUT (same
code, same versions) are kept, not recorded again. tests/test_keras_fuzz.py replays OUT.
"""
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BATCH = 40  # cases per TensorFlow process


# --- the generator -------------------------------------------------------------------------------

FLOATS = ("float16", "bfloat16", "float32")


def _shape(r, rank=None, big=False):
    rank = r.choice((0, 1, 1, 2, 2, 3)) if rank is None else rank
    dims = [r.choice((0, 1, 2, 3, 4, 5, 7)) if r.random() < 0.1 else r.randint(1, 7) for _ in range(rank)]
    if big and dims and r.random() < 0.25:
        dims[-1] = r.choice((64, 129, 300, 1031))
        while int(np.prod(dims)) > 4200:
            dims[0] = 1 if dims[0] > 1 else dims[0]
            dims[-1] = min(dims[-1], 1031) if len(dims) > 1 and int(np.prod(dims)) <= 4200 else 300
            if int(np.prod(dims)) > 4200:
                dims = dims[-2:]
    return tuple(dims)


def _int_seed(r):
    return r.choice((
        lambda: r.randint(0, 100), lambda: r.randint(0, 2**31), lambda: r.randint(2**31 - 4, 2**31 + 4),
        lambda: r.randint(0, 2**63 - 1), lambda: -r.randint(1, 2**40), lambda: r.randint(2**32 - 3, 2**32 + 3),
        lambda: r.choice((0, 2**31 - 2, 2**31 - 1, 2**62, -2**63, 2**63 - 1, -1)),
    ))()


def _num(r, lo, hi, digits=3):
    return round(r.uniform(lo, hi), digits)


def _seed_setup(r):
    """(setup code, seed expression, after-draws code): an int, a SeedGenerator, or None."""
    kind = r.choice(("int", "int", "gen", "gen", "none"))
    if kind == "int":
        return "", repr(_int_seed(r)), ""
    if kind == "gen":
        seed = r.choice((repr(r.randint(0, 2**31)), repr(r.randint(2**31, 2**32 - 1)), repr(r.randint(0, 9)), ""))
        return f"g = keras.random.SeedGenerator({seed})\n", "g", "out(g.state)\n"
    return "", "None", ""


def _dtype_arg(r, choices=FLOATS):
    dtype = r.choice(choices + (None,))
    return "" if dtype is None else f", dtype={dtype!r}"


def _random_call(r, op):
    call = _random_call_of(r, op)
    if "((), " in call and "bfloat16" in call:  # TensorFlow cannot hand out a 0-d bfloat16 array
        call = f"keras.ops.expand_dims({call}, 0)"
    return call


def _random_call_of(r, op):
    shape = _shape(r, big=True)
    if op == "uniform":
        bounds = r.choice(("", f", minval={_num(r, -3, 0)}, maxval={_num(r, 0.001, 3)}",
                           f", minval={r.randint(-3, 0)}, maxval={r.randint(1, 4)}", ", maxval=0.5",
                           f", minval={_num(r, -1e4, 1e4, 1)}, maxval=1e4", f", minval={_num(r, 0, 2)}, maxval=-1.5",
                           f", minval=np.float32({_num(r, -1, 0)}), maxval=np.float64({_num(r, 0, 1, 9)})"))
        return f"keras.random.uniform({shape}{bounds}{_dtype_arg(r)}, seed=SEED)"
    if op in ("normal", "truncated_normal"):
        params = r.choice(("", f", mean={_num(r, -5, 5)}", f", stddev={_num(r, 0, 4)}",
                           f", mean={_num(r, -2, 2)}, stddev={_num(r, 0.01, 3)}", ", stddev=0.0",
                           f", mean={_num(r, -1e3, 1e3, 5)}, stddev={_num(r, -2, 0.0)}", ", stddev=1e-3, mean=7.1"))
        return f"keras.random.{op}({shape}{params}{_dtype_arg(r)}, seed=SEED)"
    if op == "randint":
        dtype = r.choice(("int32", "int32", "int8", "int16", "uint8", "uint16", "uint32", "int64", None))
        lo = r.choice((0, 0, r.randint(-200, 0), -2**31, r.randint(-2**31, 0)))
        hi = r.choice((lo + 1, lo + r.randint(1, 10), lo + r.randint(1, 1000), 2**31 - 1))
        hi = min(hi, 2**31 - 1)
        if dtype in ("uint8", "uint16", "uint32"):
            lo, hi = abs(lo) % 1000, abs(lo) % 1000 + r.randint(1, 300)
        dt = "" if dtype is None else f", dtype={dtype!r}"
        return f"keras.random.randint({shape}, {lo}, {hi}{dt}, seed=SEED)"
    if op == "dropout":
        shape = _shape(r, rank=r.randint(1, 4), big=True)
        dtype = r.choice(FLOATS)
        rate = r.choice((0.0, 1.0, 0.5, _num(r, 0.01, 0.99, 2), _num(r, 0.01, 0.99, 6)))
        noise = ""
        if r.random() < 0.4:
            noise = ", noise_shape=" + repr(tuple(r.choice((None, 1, d)) for d in shape))
        return (f"keras.random.dropout(np.arange(1, {int(np.prod(shape)) + 1}, dtype='float32').reshape({shape})"
                f".astype({dtype!r}), {rate}{noise}, seed=SEED)")
    if op == "shuffle":
        shape = _shape(r, rank=r.randint(1, 3), big=True)
        axis = r.randrange(-len(shape), len(shape))
        dtype = r.choice(("int64", "float32", "float16", "bfloat16"))
        x = f"np.arange({int(np.prod(shape))}).reshape({shape})"
        if dtype != "int64":
            x = f"keras.ops.cast({x}, {dtype!r})"
        return f"keras.random.shuffle({x}, axis={axis}, seed=SEED)"
    if op == "categorical":
        batch, classes = r.randint(1, 4), r.randint(1, 6)
        logits = np.round(np.array([[r.uniform(-3, 3) for _ in range(classes)] for _ in range(batch)]), 2).tolist()
        if r.random() < 0.2:
            logits[0][0] = r.choice((-1e30, 30.0, -50.0))
        dtype = r.choice(("int32", None, "int64", "float32"))
        dt = "" if dtype is None else f", dtype={dtype!r}"
        return f"keras.random.categorical(np.array({logits}, 'float32'), {r.randint(1, 12)}{dt}, seed=SEED)"
    if op == "gamma":
        alpha = r.choice((_num(r, 0.05, 1), _num(r, 1, 10), 1.0, 0.5, 1e-3, 100.0, _num(r, 0.001, 0.05, 4)))
        return f"keras.random.gamma({_shape(r)}, {alpha}{_dtype_arg(r)}, seed=SEED)"
    if op == "beta":
        return (f"keras.random.beta({_shape(r)}, {_num(r, 0.2, 5)}, {_num(r, 0.2, 5)}{_dtype_arg(r)}, "
                "seed=SEED)")
    if op == "binomial":
        return (f"keras.random.binomial({_shape(r)}, {float(r.choice((r.randint(1, 60), 0, 1, r.randint(100, 5000))))}, "
                f"{r.choice((_num(r, 0, 1, 2), 0.0, 1.0, _num(r, 0, 1, 6)))}"
                f"{_dtype_arg(r, ('float16', 'float32'))}, seed=SEED)")
    raise AssertionError(op)


RANDOM_OPS = ("uniform", "normal", "truncated_normal", "randint", "dropout", "shuffle", "categorical",
              "gamma", "beta", "binomial")


def _case_random(r):
    setup, seed, after = _seed_setup(r)
    ops = [r.choice(RANDOM_OPS) for _ in range(r.randint(1, 3))]
    code = setup
    for _ in range(r.randint(1, 3)):
        for op in ops:
            code += f"out({_random_call(r, op).replace('SEED', seed)})\n"
    return code + after


INITIALIZERS = ("RandomUniform", "RandomNormal", "TruncatedNormal", "VarianceScaling", "GlorotUniform",
                "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform", "LecunNormal")


def _initializer(r, seeded=None):
    name = r.choice(INITIALIZERS)
    args = []
    if name == "RandomUniform" and r.random() < 0.6:
        args += [f"minval={_num(r, -2, 0)}", f"maxval={_num(r, 0.01, 2)}"]
    if name in ("RandomNormal", "TruncatedNormal") and r.random() < 0.6:
        args += [f"mean={_num(r, -1, 1)}", f"stddev={_num(r, 0.01, 2)}"]
    if name == "VarianceScaling":
        args += [f"scale={_num(r, 0.1, 3)}", f"mode={r.choice(('fan_in', 'fan_out', 'fan_avg'))!r}",
                 f"distribution={r.choice(('truncated_normal', 'untruncated_normal', 'uniform'))!r}"]
    seeded = r.random() < 0.5 if seeded is None else seeded
    if seeded:
        args.append(f"seed={_int_seed(r) % 2**31}")
    return f"keras.initializers.{name}({', '.join(args)})"


def _case_initializer(r):
    code = f"init = {_initializer(r)}\n"
    for _ in range(r.randint(1, 3)):
        shape = _shape(r, rank=r.randint(1, 4), big=True)
        dtype = r.choice((None, None, "float16", "bfloat16"))
        code += f"out(init({shape}{'' if dtype is None else f', dtype={dtype!r}'}))\n"
    return code


def _case_layer_weights(r):
    kind = r.choice(("Dense", "Conv1D", "Conv2D", "Embedding", "LSTM", "GRU", "SimpleRNN", "Conv2DTranspose",
                     "SeparableConv2D", "DepthwiseConv2D"))
    k, b = _initializer(r), _initializer(r)
    bias = f", bias_initializer={b}" if r.random() < 0.5 else ""
    if kind == "Dense":
        layer = f"keras.layers.Dense({r.randint(1, 9)}, kernel_initializer={k}{bias})"
        inp = (r.randint(1, 9),)
    elif kind == "Conv1D":
        layer = f"keras.layers.Conv1D({r.randint(1, 5)}, {r.randint(1, 3)}, kernel_initializer={k}{bias})"
        inp = (r.randint(3, 8), r.randint(1, 4))
    elif kind in ("Conv2D", "Conv2DTranspose"):
        layer = f"keras.layers.{kind}({r.randint(1, 5)}, {r.randint(1, 3)}, kernel_initializer={k}{bias})"
        inp = (r.randint(3, 6), r.randint(3, 6), r.randint(1, 3))
    elif kind == "SeparableConv2D":
        layer = (f"keras.layers.SeparableConv2D({r.randint(1, 4)}, 2, depthwise_initializer={k}, "
                 f"pointwise_initializer={_initializer(r)}{bias})")
        inp = (r.randint(3, 6), r.randint(3, 6), r.randint(1, 3))
    elif kind == "DepthwiseConv2D":
        layer = f"keras.layers.DepthwiseConv2D(2, depthwise_initializer={k}{bias})"
        inp = (r.randint(3, 6), r.randint(3, 6), r.randint(1, 3))
    elif kind == "Embedding":
        layer = f"keras.layers.Embedding({r.randint(2, 50)}, {r.randint(1, 8)}, embeddings_initializer={k})"
        inp = (r.randint(1, 5),)
    else:
        layer = (f"keras.layers.{kind}({r.randint(1, 5)}, kernel_initializer={k}, "
                 f"recurrent_initializer={_initializer(r)}{bias})")
        inp = (r.randint(2, 5), r.randint(1, 4))
    code = f"model = keras.Sequential([keras.Input({inp}), {layer}])\nout(model.get_weights())\n"
    if r.random() < 0.3:  # a second model: the initializers' generators move on
        code += code.replace("model", "model2")
    return code


def _case_random_layer(r):
    kind = r.choice(("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
                     "GaussianDropout", "AlphaDropout"))
    rank = {"SpatialDropout1D": 3, "SpatialDropout2D": 4, "SpatialDropout3D": 5}.get(kind, r.randint(1, 4))
    shape = tuple(r.randint(1, 5) for _ in range(rank))
    rate = r.choice((0.5, _num(r, 0.01, 0.95, 2)))
    seed = r.choice(("", f", seed={r.randint(0, 2**31)}"))
    extra = ""
    if kind == "Dropout" and r.random() < 0.3:
        extra = ", noise_shape=" + repr(tuple(r.choice((None, 1, d)) for d in shape))
    if kind in ("SpatialDropout2D", "SpatialDropout3D") and r.random() < 0.4:
        extra = f", data_format={r.choice(('channels_first', 'channels_last'))!r}"
    seed += r.choice(("", "", "", ", dtype='float16'", ", dtype='mixed_float16'", ", dtype='bfloat16'",
                      ", dtype='mixed_bfloat16'"))
    if kind == "GaussianNoise":
        layer = f"keras.layers.GaussianNoise({_num(r, 0.01, 1)}{seed})"
    else:
        layer = f"keras.layers.{kind}({rate}{extra}{seed})"
    dtype = r.choice(("float32", "float32", "float16"))
    code = (f"layer = {layer}\n"
            f"x = (np.arange({int(np.prod(shape))}, dtype='float32').reshape({shape}) / 8 + 1).astype({dtype!r})\n")
    for _ in range(r.randint(1, 4)):
        code += "out(layer(x, training=True))\n"
    if r.random() < 0.3:
        code += "out(layer(x, training=False))\n"
    return code


def _case_preprocessing(r):
    kind = r.choice(("RandomFlip", "RandomCrop", "RandomContrast", "RandomBrightness", "RandomRotation",
                     "RandomZoom", "RandomTranslation"))
    batch, h, w, c = r.randint(1, 3), r.randint(2, 7), r.randint(2, 7), r.choice((1, 3))
    seed = r.choice(("", f", seed={r.randint(0, 2**31)}"))
    f = _num(r, 0.0, 0.9, 2)
    if kind == "RandomFlip":
        layer = f"keras.layers.RandomFlip({r.choice(('horizontal', 'vertical', 'horizontal_and_vertical'))!r}{seed})"
    elif kind == "RandomCrop":
        layer = f"keras.layers.RandomCrop({r.randint(1, h)}, {r.randint(1, w)}{seed})"
    elif kind == "RandomContrast":
        layer = f"keras.layers.RandomContrast({r.choice((f, (0.0, f), (f / 2, f)))}{seed})"
    elif kind == "RandomBrightness":
        layer = (f"keras.layers.RandomBrightness({r.choice((f, (-f, f / 2), (0.0, f)))}"
                 f"{r.choice(('', ', value_range=(0, 1)'))}{seed})")
    elif kind == "RandomRotation":
        layer = (f"keras.layers.RandomRotation({r.choice((f, (-f, f / 2)))}, "
                 f"fill_mode={r.choice(('reflect', 'constant', 'nearest', 'wrap'))!r}{seed})")
    elif kind == "RandomZoom":
        layer = f"keras.layers.RandomZoom({r.choice((-f, f, (-f, f / 2)))}, {r.choice(('None', -f / 2))}{seed})"
    else:
        layer = f"keras.layers.RandomTranslation({r.choice((f, (-f, f / 2)))}, {_num(r, 0, 0.5, 2)}{seed})"
    code = (f"layer = {layer}\n"
            f"x = (np.arange({batch * h * w * c}, dtype='float32').reshape(({batch}, {h}, {w}, {c})) % 11) / 11\n")
    # RandomContrast's output takes the mean of each image, summed in another order by XLA
    exact_output = kind in ("RandomFlip", "RandomCrop", "RandomBrightness")
    for _ in range(r.randint(1, 3)):
        if exact_output:
            code += "out(layer(x, training=True))\n"
        else:  # the transform Keras draws; the interpolation is each backend's own arithmetic
            code += ("t = layer.get_random_transformation(x, training=True)\n"
                     "out([t[k] for k in sorted(t) if t[k] is not None and k != 'input_shape'])\n")
    return code


def _case_rnn_dropout(r):
    """An RNN layer's dropout masks (the layer's outputs are each backend's own arithmetic)."""
    kind = r.choice(("LSTM", "GRU", "SimpleRNN"))
    units, steps, features, batch = r.randint(1, 5), r.randint(1, 4), r.randint(1, 5), r.randint(1, 3)
    rates = f"dropout={r.choice((0.0, 0.5, _num(r, 0.05, 0.9, 2)))}, recurrent_dropout={r.choice((0.0, 0.5, _num(r, 0.05, 0.9, 2)))}"
    seed = r.choice(("", f", seed={r.randint(0, 2**31)}"))
    code = (f"layer = keras.layers.{kind}({units}, {rates}{seed})\n"
            f"x = np.ones(({batch}, {steps}, {features}), 'float32')\n"
            "layer.build(x.shape)\n")
    for _ in range(r.randint(1, 3)):
        code += "layer(x, training=True)\nout(layer.cell.seed_generator.state)\n"
    code += ("layer.cell.reset_dropout_mask()\nlayer.cell.reset_recurrent_dropout_mask()\n"
             "m = layer.cell.get_dropout_mask(x[:, 0, :])\nout(m if m is not None else [])\n"
             f"m = layer.cell.get_recurrent_dropout_mask(np.ones(({batch}, {units}), 'float32'))\n"
             "out(m if m is not None else [])\nout(layer.cell.seed_generator.state)\n")
    return code


def _case_global(r):
    """seed=None draws (Keras's global generator), unseeded generators and initializers, interleaved."""
    code = ""
    for _ in range(r.randint(3, 12)):
        what = r.random()
        if what < 0.5:
            code += f"out({_random_call(r, r.choice(RANDOM_OPS[:6])).replace('SEED', 'None')})\n"
        elif what < 0.7:
            code += f"out({_initializer(r, seeded=False)}({_shape(r, rank=2)}))\n"
        elif what < 0.8:
            code += "g = keras.random.SeedGenerator()\nout(keras.random.uniform((2,), seed=g))\nout(g.state)\n"
        elif what < 0.9:
            code += f"keras.utils.set_random_seed({r.randint(0, 2**32 - 1)})\n"
        else:
            code += "out(keras.random.SeedGenerator().state)\n"
    return code


def _case_fit_random_layers(r):
    """fit's jitted train step with Dropout / RandomFlip in the model; exact arithmetic, so the
    weights after each batch tell the masks and flips."""
    n = r.randint(3, 12)
    layers = []
    if r.random() < 0.8:
        layers.append(f"keras.layers.Dropout({r.choice((0.5, 0.75))}{r.choice(('', f', seed={r.randint(0, 99)}'))})")
    if r.random() < 0.5:
        layers += [f"keras.layers.Reshape((1, {n}, 1))",
                   f"keras.layers.RandomFlip('horizontal'{r.choice(('', f', seed={r.randint(0, 99)}'))})",
                   "keras.layers.Flatten()"]
    if r.random() < 0.3:
        layers.append(f"keras.layers.GaussianDropout(0.0)")
    code = f"""model = keras.Sequential([keras.Input(({n},)), {', '.join(layers)}{', ' if layers else ''}keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
model.compile(optimizer=keras.optimizers.SGD(0.25), loss=keras.losses.MeanAbsoluteError(reduction="sum"){r.choice(('', ', jit_compile=False'))})
seen = []
class Order(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        seen.append(np.array(self.model.get_weights()[0]).reshape(-1))
x = np.eye({n}, dtype="float32")
y = np.arange(1, {n + 1}, dtype="float32").reshape({n}, 1) * 64
model.fit(x, y, batch_size={r.randint(1, 5)}, epochs={r.randint(1, 3)}, shuffle={r.choice(('True', 'False'))}, verbose=0, callbacks=[Order()])
out(seen)
out([v for v in model.non_trainable_variables])
"""
    return code


ODD = (
    "keras.random.uniform([2, 3], seed=SEED)", "keras.random.uniform(np.array([2, 3]), seed=SEED)",
    "keras.random.uniform((np.int64(2), 3), seed=SEED)", "keras.random.uniform((4,), dtype='int32', maxval=9, seed=SEED)",
    "keras.random.uniform((4,), minval=np.array(0.5, 'float16'), dtype='float16', seed=SEED)",
    "keras.random.normal((2, 3), mean=np.array([0.0, 1.0, 2.0], 'float32'), seed=SEED)",
    "keras.random.normal((2, 3), stddev=np.array([[1.0], [2.0]], 'float32'), seed=SEED)",
    "keras.random.truncated_normal((3,), mean=np.float32(2.5), stddev=np.float64(0.1), seed=SEED)",
    "keras.random.randint((5,), np.int32(-3), np.int64(3), seed=SEED)", "keras.random.randint((5,), 0.0, 9.0, seed=SEED)",
    "keras.random.randint((5,), 0, 2**31, seed=SEED)", "keras.random.randint((5,), -2**31 - 1, 0, dtype='int64', seed=SEED)",
    "keras.random.randint([3], 2, 2, seed=SEED)", "keras.random.randint((3,), 0, 5, dtype='float32', seed=SEED)",
    "keras.random.dropout(np.ones((3, 4), 'float32'), np.float32(0.25), seed=SEED)",
    "keras.random.dropout(np.ones((3, 4), 'float32'), 0.5, noise_shape=[3, 1], seed=SEED)",
    "keras.random.dropout(np.ones((3, 4), 'float64').astype('float32'), 0.999999, seed=SEED)",
    "keras.random.dropout(np.ones((3, 4), 'float32'), 1e-7, seed=SEED)",
    "keras.random.dropout(np.arange(12).reshape(3, 4), 0.5, seed=SEED)",
    "keras.random.shuffle([5, 6, 7, 8], seed=SEED)", "keras.random.shuffle(np.arange(6).reshape(2, 3), axis=-2, seed=SEED)",
    "keras.random.shuffle(np.zeros((0, 3), 'float32'), seed=SEED)",
    "keras.random.categorical(np.array([[1.0, 2.0, 3.0]], 'float16'), 5, seed=SEED)",
    "keras.random.categorical(np.array([[1.0, 2.0, 3.0]], 'float32'), 0, seed=SEED)",
    "keras.random.categorical(np.zeros((0, 3), 'float32'), 4, seed=SEED)",
    "keras.random.categorical(np.array([[0.0, -np.inf, 1.0]], 'float32'), 8, seed=SEED)",
    "keras.random.gamma((3,), np.array([0.5, 1.0, 2.0], 'float32'), seed=SEED)",
    "keras.random.gamma((2, 3), np.array([0.5, 1.0, 2.0], 'float32'), seed=SEED)",
    "keras.random.gamma((4,), 0.0, seed=SEED)", "keras.random.gamma((4,), 1, seed=SEED)",
    "keras.random.beta((2, 3), np.array([0.5, 1.0, 2.0], 'float32'), 2.0, seed=SEED)",
    "keras.random.beta((3,), 1, 2, seed=SEED)",
    "keras.random.binomial((3,), np.array([1.0, 5.0, 10.0], 'float32'), 0.5, seed=SEED)",
    "keras.random.binomial((2, 3), 5.0, np.array([0.1, 0.5, 0.9], 'float32'), seed=SEED)",
    "keras.random.binomial((3,), 5, 0.5, seed=SEED)",
    "keras.random.binomial((3,), 5.0, 0.5, dtype='int32', seed=SEED)",
    "keras.initializers.GlorotUniform(seed=SEEDINT)((3, 4))", "keras.initializers.HeNormal(seed=SEEDINT)((2, 2, 3, 4))",
    "keras.initializers.VarianceScaling(seed=SEEDINT, mode='fan_avg')((7,))",
    "keras.initializers.RandomNormal(seed=SEEDINT)((2, 3), dtype='float16')",
    "keras.initializers.TruncatedNormal(seed=SEEDINT)((0, 3))",
    "keras.initializers.LecunUniform(seed=SEEDINT)((2, 3, 4, 5, 6))",
    "keras.initializers.get('glorot_uniform')((3, 3))", "keras.initializers.get('he_normal')((3, 3))",
    "keras.initializers.get({'class_name': 'RandomUniform', 'config': {'seed': SEEDINT}})((3,))",
)


def _case_odd(r):
    """Unusual arguments, each call alone: TensorFlow's backend takes or refuses it, and so must we."""
    code = "def tryout(f):\n    try:\n        value = f()\n    except Exception:\n        err(f)\n        return\n    out(value)\n"
    floatx = r.choice((None, None, "float16", "bfloat16"))
    if floatx:
        code += f"keras.config.set_floatx({floatx!r})\n"
    for _ in range(r.randint(2, 6)):
        call = r.choice(ODD).replace("SEEDINT", repr(_int_seed(r) % 2**40 - 2**20))
        call = call.replace("SEED", r.choice(("None", repr(_int_seed(r)), "keras.random.SeedGenerator(3)")))
        code += f"tryout(lambda: {call})\n"
    if floatx:
        code += f"tryout(lambda: keras.random.normal((3,), seed=2))\ntryout(lambda: keras.initializers.GlorotNormal(seed=1)((2, 3)))\n"
        code += "tryout(lambda: keras.layers.Dropout(0.5, seed=1)(np.ones((2, 3)), training=True))\n"
    return code + "out(keras.random.uniform((2,)))\n"


def _case_fit(r):
    n = r.randint(3, 16)
    batch = r.randint(1, 6)
    epochs = r.randint(1, 3)
    shuffle = r.choice(("True", "True", "True", "'batch'", "False"))
    split = r.choice(("", "", ", validation_split=0.25", ", validation_split=0.5"))
    code = f"""model = keras.Sequential([keras.Input(({n},)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
model.compile(optimizer=keras.optimizers.SGD(0.25), loss=keras.losses.MeanAbsoluteError(reduction="sum"))
seen = []
class Order(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        seen.append(np.array(self.model.get_weights()[0]).reshape(-1))
x = np.eye({n}, dtype="float32")
y = np.arange(1, {n + 1}, dtype="float32").reshape({n}, 1) * 64
model.fit(x, y, batch_size={batch}, epochs={epochs}, shuffle={shuffle}{split}, verbose=0, callbacks=[Order()])
"""
    if r.random() < 0.3:
        code += f"model.fit(x, y, batch_size={r.randint(1, 6)}, epochs=1, shuffle=True, verbose=0, callbacks=[Order()])\n"
    return code + "out(seen)\n"


def _case_errors(r):
    """Calls TensorFlow's backend rejects or takes: the same on the JAX backend?"""
    op = r.choice(("uniform", "normal", "truncated_normal", "randint", "dropout", "shuffle"))
    good = _random_call(r, op)
    bad_seed = r.choice(("1.5", "'a'", "True", "np.int64(3)", "np.int32(2)", "[1, 2]", "(1, 2)", "2**64", "-2**63 - 1",
                         "np.array([1, 2])", "None"))
    lines = [f"err(lambda: {good.replace('SEED', bad_seed)})"]
    if op == "randint":
        lines.append(f"err(lambda: keras.random.randint((3,), {r.randint(0, 5)}, {r.randint(-5, 0)}, seed=1))")
    if op in ("uniform", "normal"):
        lines.append(f"err(lambda: keras.random.{op}(({r.randint(-3, -1)}, 2), seed=1))")
    if op == "dropout":
        lines.append(f"err(lambda: keras.random.dropout(np.ones((2, 2), 'float32'), {r.choice((-0.5, 1.5, 2))}, seed=1))")
    code = ""
    if r.random() < 0.5:  # a rejected call with a generator: does it move the state?
        code = "g = keras.random.SeedGenerator(5)\n"
        lines.append(f"err(lambda: keras.random.uniform(({r.randint(-3, -1)},), seed=g))")
        lines.append("out(g.state)")
        lines.append("out(keras.random.uniform((2,), seed=g))")
    lines.append("out(keras.random.uniform((2,)))")  # the global generator: moved by a rejected call?
    return code + "\n".join(lines) + "\n"


KINDS = ((_case_random, 6), (_case_initializer, 3), (_case_layer_weights, 3), (_case_random_layer, 3),
         (_case_preprocessing, 3), (_case_fit, 1), (_case_errors, 2), (_case_rnn_dropout, 2), (_case_global, 2),
         (_case_fit_random_layers, 1), (_case_odd, 3))


def generate(seed, count):
    """[(name, code)]: `count` cases from `random.Random(seed)`."""
    r = random.Random(seed)
    kinds = [k for k, weight in KINDS for _ in range(weight)]
    cases = []
    for index in range(count):
        kind = r.choice(kinds)
        body = kind(r)
        code = f"keras.utils.set_random_seed({r.randint(0, 10**6)})\n" + body
        cases.append((f"g{seed}_{index:03d}_{kind.__name__[6:]}", code))
    return cases


# --- running a batch of cases (in the TensorFlow child, and in the replay) -------------------------

def _reset_config(keras):
    """floatx float32 and no global dtype policy: Keras caches the policy of the floatx in force
    when the first layer is built, which would carry one case's `set_floatx` into the next."""
    from keras.src.backend.common import global_state

    keras.config.set_floatx("float32")
    global_state.set_global_attribute("dtype_policy", None)


def run_case(code, keras, jit):
    """keras_record.run, keeping the records made before an uncaught error, which ends them as
    {"error": type name, "uncaught": True}."""
    sys.path.insert(0, HERE)
    import keras_record

    # keras_record.run returns its records only when the code returns: the code runs in a `try`
    wrapped = "try:\n" + "".join("    " + line + "\n" for line in code.splitlines()) + (
        "except Exception as _error:\n    _uncaught.append(_error)\n")
    uncaught = []
    _reset_config(keras)
    import builtins
    builtins._uncaught = uncaught
    try:
        records = keras_record.run(wrapped, keras, jit)
    finally:
        del builtins._uncaught
        _reset_config(keras)
    if uncaught:
        error = uncaught[0]
        records.append({"error": type(error).__name__, "uncaught": True, "message": str(error)[:300]})
    return records


def run_cases(codes, keras, jit):
    return [run_case(code, keras, jit) for code in codes]


def main():
    if sys.argv[1:] == ["--child"]:
        os.environ["KERAS_BACKEND"] = "tensorflow"
        import keras
        import tensorflow as tf
        codes = json.loads(sys.stdin.read())
        print(json.dumps(run_cases(codes, keras, tf.function)))
        return
    dst, specs = sys.argv[1], sys.argv[2:]
    python = os.environ.get("TF_PYTHON", "/tmp/tf/bin/python")
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    versions = subprocess.run([python, "-c", "import tensorflow as tf, keras; print(tf.__version__, keras.__version__)"],
                              capture_output=True, text=True, check=True, env=env).stdout.split()
    result = {"recorded_with": f"tensorflow {versions[0]} (CPU), keras {versions[1]}",
              "keras_version": versions[1], "tensorflow_version": versions[0],
              "generators": specs, "scenarios": []}
    done = {}
    if os.path.exists(dst):
        previous = json.load(open(dst))
        if previous.get("recorded_with") == result["recorded_with"]:
            done = {(s["name"], s["code"]): s for s in previous["scenarios"]}
    cases = []
    for spec in specs:
        seed, count = spec.split(":")
        cases += generate(int(seed), int(count))
    todo = [c for c in cases if c not in done]
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        proc = subprocess.run([python, __file__, "--child"], input=json.dumps([c for _, c in batch]),
                              capture_output=True, text=True, env=env)
        if proc.returncode:
            sys.exit(f"batch at {batch[0][0]} failed:\n{proc.stderr[-3000:]}")
        outputs = json.loads(proc.stdout.strip().splitlines()[-1])
        for (name, code), records in zip(batch, outputs):
            done[(name, code)] = {"name": name, "code": code, "outputs": records}
        print(f"recorded {start + len(batch)} of {len(todo)}", file=sys.stderr)
    result["scenarios"] = [done[c] for c in cases]
    with open(dst, "w") as f:
        json.dump(result, f, indent=0)


import numpy as np  # noqa: E402 - the generator sizes arrays with it

if __name__ == "__main__":
    main()
