"""Keras 3 scenarios recorded on the TensorFlow backend (keras_record.py) and replayed on the JAX
backend after `compat.keras.use_tensorflow_numbers()` (tests/test_keras.py).

Names in scope: keras, np, out, err, and `jit` (tf.function when recording, jax.jit when replaying:
a compiled step whose seeds are values of the trace, as in Keras's train_step on either backend).
A scenario that draws without a seed calls keras.utils.set_random_seed first.
"""

SCENARIOS = []


def scenario(name, code):
    SCENARIOS.append((name, code))


R = "keras.random."

# --- keras.random with int seeds ------------------------------------------------------------------
scenario("uniform_int_seeds", """
for seed in (0, 1, 42, 1337, 2**31 - 3, 2**31 - 2, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**40 + 5,
             2**63 - 1, -1, -12345, -2**63):
    out(keras.random.uniform((5,), seed=seed))
""")
scenario("uniform_shapes_bounds", """
out(keras.random.uniform((3, 4), seed=7))
out(keras.random.uniform((2, 3, 5), minval=-2.0, maxval=3.0, seed=7))
out(keras.random.uniform((7,), minval=-0.1, maxval=0.1, seed=8))
out(keras.random.uniform((7,), minval=1, maxval=3, seed=8))
out(keras.random.uniform((1000,), seed=9))
out(keras.random.uniform((), seed=10))
out(keras.random.uniform((0, 3), seed=10))
out(keras.random.uniform([4], minval=np.float32(0.3), maxval=np.float32(0.7), seed=11))
""")
scenario("uniform_dtypes", """
for dtype in ("float16", "bfloat16", "float32"):
    out(keras.random.uniform((9,), seed=3, dtype=dtype))
    out(keras.random.uniform((9,), minval=-0.3, maxval=1.7, seed=3, dtype=dtype))
    out(keras.random.uniform((9,), minval=0.1, maxval=0.2, seed=4, dtype=dtype))
""")
scenario("normal_int_seeds", """
for seed in (0, 1, 42, 2**31 - 2, 2**33 + 1, -7):
    out(keras.random.normal((6,), seed=seed))
out(keras.random.normal((3, 5), mean=1.5, stddev=0.25, seed=5))
out(keras.random.normal((257,), mean=-3.0, stddev=2.0, seed=6))
out(keras.random.normal((4,), stddev=0.0, seed=6))
for dtype in ("float16", "bfloat16", "float32"):
    out(keras.random.normal((9,), mean=0.5, stddev=0.1, seed=3, dtype=dtype))
""")
scenario("truncated_normal_int_seeds", """
for seed in (0, 1, 42, 2**31 - 2, -7):
    out(keras.random.truncated_normal((6,), seed=seed))
out(keras.random.truncated_normal((3, 5), mean=1.5, stddev=0.25, seed=5))
out(keras.random.truncated_normal((513,), seed=6))
for dtype in ("float16", "bfloat16", "float32"):
    out(keras.random.truncated_normal((9,), mean=0.5, stddev=0.1, seed=3, dtype=dtype))
""")
scenario("randint_int_seeds", """
out(keras.random.randint((10,), 0, 10, seed=1))
out(keras.random.randint((3, 4), -5, 5, seed=2))
out(keras.random.randint((8,), 0, 2**31 - 1, seed=3))
out(keras.random.randint((8,), -2**31, 2**31 - 1, seed=3))
out(keras.random.randint((8,), 7, 8, seed=4))
for dtype in ("int8", "int16", "uint8"):
    out(keras.random.randint((6,), 0, 100, seed=5, dtype=dtype))
""")
scenario("dropout_int_seeds", """
x = np.arange(1, 25, dtype="float32").reshape(4, 6)
for rate in (0.1, 0.25, 0.5, 0.9):
    out(keras.random.dropout(x, rate, seed=1))
out(keras.random.dropout(x, 0.5, noise_shape=(1, 6), seed=2))
out(keras.random.dropout(x, 0.5, noise_shape=(None, 1), seed=2))
out(keras.random.dropout(x, 0.0, seed=2))
out(keras.random.dropout(x, 1.0, seed=2))
out(keras.random.dropout(x.astype("float16"), 0.3, seed=3))
out(keras.random.dropout(np.ones((2, 3, 4), "float32"), 0.5, seed=-4))
""")
scenario("shuffle_int_seeds", """
x = np.arange(24).reshape(6, 4)
out(keras.random.shuffle(x, seed=1))
out(keras.random.shuffle(x, axis=1, seed=1))
out(keras.random.shuffle(np.arange(100, dtype="float32"), seed=2))
out(keras.random.shuffle(np.arange(1), seed=3))
out(keras.random.shuffle(np.arange(5000), seed=4))
""")
scenario("bad_seeds", """
err(lambda: keras.random.uniform((2,), seed=2**63))
err(lambda: keras.random.uniform((2,), seed=-2**63 - 1))
err(lambda: keras.random.uniform((2,), seed=1.5))
err(lambda: keras.random.uniform((2,), seed="a"))
err(lambda: keras.random.normal((2,), seed=np.int64(3)))
err(lambda: keras.random.uniform((2,), seed=True))
err(lambda: keras.random.uniform((2,), seed=2**64))
err(lambda: keras.random.uniform((2,), seed=[1, 2]))
err(lambda: keras.random.uniform((2,), seed=3))
""")

# --- SeedGenerator --------------------------------------------------------------------------------
scenario("seed_generator_repeated", """
g = keras.random.SeedGenerator(42)
for _ in range(4):
    out(keras.random.uniform((3,), seed=g))
out(g.state)
for _ in range(3):
    out(keras.random.normal((3,), seed=g))
    out(keras.random.truncated_normal((3,), seed=g))
    out(keras.random.randint((3,), 0, 100, seed=g))
    out(keras.random.dropout(np.ones((2, 4), "float32"), 0.5, seed=g))
    out(keras.random.shuffle(np.arange(8), seed=g))
out(g.state)
""")
scenario("seed_generator_seeds", """
for seed in (0, 1, 2**31 - 2, 2**31 - 1, 2**31, 2**32 - 1):
    g = keras.random.SeedGenerator(seed)
    out(keras.random.uniform((2,), seed=g))
    out(keras.random.uniform((2,), seed=g))
    out(g.state)
""")
scenario("seed_generator_unseeded", """
keras.utils.set_random_seed(1234)
g = keras.random.SeedGenerator()
h = keras.random.SeedGenerator()
out(keras.random.uniform((3,), seed=g))
out(keras.random.uniform((3,), seed=h))
out(keras.random.uniform((3,), seed=g))
out(g.state)
out(h.state)
""")
scenario("seed_generator_next_unordered", """
g = keras.random.SeedGenerator(123456789)
out(g.next(ordered=False))
out(g.state)
out(keras.random.uniform((3,), seed=g))
""")

# --- seed=None after set_random_seed --------------------------------------------------------------
scenario("global_generator_sequence", """
keras.utils.set_random_seed(42)
out(keras.random.uniform((4,)))
out(keras.random.uniform((4,)))
out(keras.random.normal((4,)))
out(keras.random.truncated_normal((4,)))
out(keras.random.randint((4,), 0, 1000))
out(keras.random.dropout(np.ones((3, 3), "float32"), 0.5))
out(keras.random.shuffle(np.arange(10)))
for _ in range(5):
    out(keras.random.uniform((2,)))
""")
scenario("global_generator_reset", """
for seed in (0, 1, 7, 2**31 - 1, 10**9, 2**32 - 1):
    keras.utils.set_random_seed(seed)
    out(keras.random.uniform((3,)))
    out(keras.random.uniform((3,)))
keras.utils.set_random_seed(7)
out(keras.random.normal((3,)))
""")
scenario("global_generator_interleaved", """
keras.utils.set_random_seed(5)
g = keras.random.SeedGenerator(3)
out(keras.random.uniform((2,)))
out(keras.random.uniform((2,), seed=g))
out(keras.random.uniform((2,), seed=11))
out(keras.random.uniform((2,)))
keras.utils.set_random_seed(5)
out(keras.random.uniform((2,)))
""")

# --- initializers ---------------------------------------------------------------------------------
INITIALIZERS = ["RandomUniform()", "RandomUniform(minval=-1.0, maxval=2.0)", "RandomNormal()",
                "RandomNormal(mean=1.0, stddev=0.3)", "TruncatedNormal()", "TruncatedNormal(mean=-1.0, stddev=2.0)",
                "VarianceScaling()", "VarianceScaling(scale=2.0, mode='fan_out', distribution='untruncated_normal')",
                "VarianceScaling(scale=0.5, mode='fan_avg', distribution='uniform')",
                "GlorotUniform()", "GlorotNormal()", "HeUniform()", "HeNormal()", "LecunUniform()", "LecunNormal()"]


def _initializer_code(text, seeded):
    if seeded:
        make = f"keras.initializers.{text[:-1]}{', ' if text[-2] != '(' else ''}seed=17)"
        pre = ""
    else:
        make = f"keras.initializers.{text}"
        pre = "keras.utils.set_random_seed(99)\n"
    return pre + f"""init = {make}
for shape in ((5,), (3, 4), (6, 2), (3, 3, 2, 4), (1000, 3)):
    out(init(shape))
out(init((3, 4)))
init2 = {make}
out(init2((3, 4)))
out(init((2, 2), dtype="float16"))
"""


for index, text in enumerate(INITIALIZERS):
    scenario(f"initializer_{index}_{text.split('(')[0]}_seeded", _initializer_code(text, True))
    scenario(f"initializer_{index}_{text.split('(')[0]}_unseeded", _initializer_code(text, False))
scenario("initializer_seed_generator", """
g = keras.random.SeedGenerator(5)
init = keras.initializers.GlorotUniform(seed=g)
out(init((3, 4)))
out(init((3, 4)))
out(keras.initializers.RandomNormal(seed=g)((2, 2)))
""")

# --- models ---------------------------------------------------------------------------------------
scenario("sequential_initial_weights", """
keras.utils.set_random_seed(2024)
model = keras.Sequential([
    keras.Input((8, 8, 3)),
    keras.layers.Conv2D(4, 3, activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Flatten(),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dropout(0.5),
    keras.layers.Dense(10, kernel_initializer="he_normal", bias_initializer="random_normal"),
])
out(model.get_weights())
""")
scenario("functional_initial_weights", """
keras.utils.set_random_seed(7)
inputs = keras.Input((5,))
a = keras.layers.Dense(6, kernel_initializer=keras.initializers.TruncatedNormal(seed=3))(inputs)
b = keras.layers.Dense(6, activation="tanh")(inputs)
c = keras.layers.Concatenate()([a, b])
c = keras.layers.Dropout(0.3, seed=1)(c)
t = keras.layers.Embedding(11, 4)(keras.ops.cast(inputs, "int32"))
outputs = keras.layers.Dense(2, kernel_initializer="lecun_uniform")(c)
model = keras.Model(inputs, [outputs, t])
out(model.get_weights())
""")
scenario("sequential_seeded_layers", """
model = keras.Sequential([
    keras.Input((4,)),
    keras.layers.Dense(3, kernel_initializer=keras.initializers.GlorotNormal(seed=1),
                       bias_initializer=keras.initializers.RandomUniform(seed=2)),
    keras.layers.Dense(2, kernel_initializer=keras.initializers.HeUniform(seed=3)),
])
out(model.get_weights())
""")

# --- dropout-like layers, eager -------------------------------------------------------------------
scenario("dropout_layer_repeated", """
x = np.arange(1, 41, dtype="float32").reshape(5, 8)
layer = keras.layers.Dropout(0.4, seed=3)
for _ in range(4):
    out(layer(x, training=True))
out(layer(x, training=False))
out(layer.seed_generator.state)
keras.utils.set_random_seed(11)
unseeded = keras.layers.Dropout(0.5)
for _ in range(3):
    out(unseeded(x, training=True))
spatial = keras.layers.SpatialDropout1D(0.5, seed=4)
out(spatial(np.ones((2, 3, 4), "float32"), training=True))
out(spatial(np.ones((2, 3, 4), "float32"), training=True))
""")
scenario("noise_layers", """
x = np.linspace(-1, 1, 24, dtype="float32").reshape(4, 6)
for layer in (keras.layers.GaussianNoise(0.3, seed=1), keras.layers.GaussianDropout(0.3, seed=2),
              keras.layers.AlphaDropout(0.3, seed=3)):
    out(layer(x, training=True))
    out(layer(x, training=True))
""")

# --- compiled steps -------------------------------------------------------------------------------
scenario("stateless_call_jit", """
keras.utils.set_random_seed(3)
model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(6, kernel_initializer="ones"),
                          keras.layers.Dropout(0.5, seed=9)])
x = np.ones((4, 6), "float32")
trainable = [v.value for v in model.trainable_variables]
non_trainable = [v.value for v in model.non_trainable_variables]
step = jit(lambda t, n, x: model.stateless_call(t, n, x, training=True))
for _ in range(3):
    y, non_trainable = step(trainable, non_trainable, x)
    out(y)
    out(list(non_trainable))
""")
# Training whose arithmetic is exact on any backend (small integers, dyadic learning rate and
# batch means), so the weights after fit are a function of the dropout masks alone.
FIT_EXACT = """
model = keras.Sequential([keras.Input((4,)), keras.layers.Dropout(0.5, seed=SEED),
                          keras.layers.Dense(2, kernel_initializer="zeros", bias_initializer="zeros")])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.125), loss="mse", JIT)
x = np.array([[1, 2, 3, 4], [4, 3, 2, 1], [1, 0, 1, 0], [2, 2, 0, 1]] * 2, "float32")
y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]] * 2, "float32")
model.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0)
out(model.get_weights())
out(model.layers[0].seed_generator.state)
"""
scenario("fit_exact_dropout_eager_tf", FIT_EXACT.replace("SEED", "5").replace("JIT", "jit_compile=False"))
scenario("fit_exact_dropout_default", FIT_EXACT.replace("SEED", "6").replace(", JIT", ""))
scenario("fit_exact_dropout_xla", FIT_EXACT.replace("SEED", "6").replace("JIT", "jit_compile=True"))
FIT_MODEL = """
keras.utils.set_random_seed(31)
model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dropout(0.25), keras.layers.Dense(3)])
out(model.get_weights())
model.compile(optimizer="adam", loss="mse", JIT)
x = np.linspace(-1, 1, 40, dtype="float32").reshape(8, 5)
y = np.linspace(0, 1, 24, dtype="float32").reshape(8, 3)
model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
out(model.layers[1].seed_generator.state)
out(model.get_weights())
"""
scenario("fit_model_eager_tf", FIT_MODEL.replace("JIT", "jit_compile=False"))
scenario("fit_model_default", FIT_MODEL.replace(", JIT", ""))

# --- ops compat gets from other areas (tests skip while compat lacks them) -------------------------
scenario("categorical", """
logits = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], "float32"))
out(keras.random.categorical(logits, 6, seed=1))
out(keras.random.categorical(logits, 3, seed=2, dtype="int64"))
g = keras.random.SeedGenerator(4)
out(keras.random.categorical(logits, 5, seed=g))
out(keras.random.categorical(logits, 5, seed=g))
keras.utils.set_random_seed(3)
out(keras.random.categorical(np.zeros((3, 10), "float32"), 4))
""")
scenario("gamma", """
out(keras.random.gamma((5,), 1.0, seed=1))
out(keras.random.gamma((2, 3), 0.5, seed=2))
out(keras.random.gamma((4,), 3.0, seed=3, dtype="float16"))
out(keras.random.gamma((4,), 3.0, seed=3, dtype="bfloat16"))
g = keras.random.SeedGenerator(8)
out(keras.random.gamma((3,), 2.0, seed=g))
out(keras.random.gamma((3,), 2.0, seed=g))
""")
scenario("binomial", """
out(keras.random.binomial((5,), 10, 0.5, seed=1))
out(keras.random.binomial((2, 3), 100, 0.1, seed=2))
out(keras.random.binomial((4,), 5.0, 0.9, seed=3, dtype="float16"))
g = keras.random.SeedGenerator(8)
out(keras.random.binomial((3,), 20, 0.3, seed=g))
out(keras.random.binomial((3,), 20, 0.3, seed=g))
""")
scenario("beta", """
out(keras.random.beta((5,), 1.0, 2.0, seed=1))
out(keras.random.beta((2, 3), 0.5, 0.5, seed=2))
out(keras.random.beta((2, 3), [0.5, 1.0, 2.0], 3.0, seed=2))
out(keras.random.beta((4,), 2.0, 3.0, seed=2**31 - 5))
g = keras.random.SeedGenerator(8)
out(keras.random.beta((3,), 2.0, 2.0, seed=g))
out(keras.random.beta((3,), 2.0, 2.0, seed=g))
""")

# --- 64-bit types (replayed with jax's 64-bit mode on) ---------------------------------------------
scenario("x64_float64_and_int64", """
out(keras.random.uniform((7,), seed=3, dtype="float64"))
out(keras.random.uniform((7,), minval=-0.1, maxval=0.3, seed=3, dtype="float64"))
out(keras.random.normal((7,), mean=0.5, stddev=2.0, seed=4, dtype="float64"))
out(keras.random.truncated_normal((7,), seed=5, dtype="float64"))
out(keras.random.randint((7,), -2**40, 2**40, seed=6, dtype="int64"))
out(keras.random.randint((7,), 0, 10, seed=6, dtype="int64"))
g = keras.random.SeedGenerator(9)
out(keras.random.uniform((3,), seed=g, dtype="float64"))
out(keras.random.dropout(np.ones((3, 4)), 0.5, seed=g))
out(keras.initializers.GlorotNormal(seed=1)((3, 4), dtype="float64"))
""")
scenario("x64_floatx_float64_model", """
keras.config.set_floatx("float64")
keras.utils.set_random_seed(8)
model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(4), keras.layers.Dropout(0.5, seed=2),
                          keras.layers.Dense(2, kernel_initializer="he_uniform")])
out(model.get_weights())
out(model.layers[1](np.ones((2, 4)), training=True))
""")

# --- more shapes and layers -------------------------------------------------------------------------
scenario("dropout_many_shapes", """
for shape, rate, seed in (((1,), 0.5, 1), ((3,), 0.7, 2), ((5, 7), 0.2, 3), ((2, 3, 4, 5), 0.5, 4),
                          ((1000,), 0.33, 5), ((4, 257), 0.05, 6), ((16, 16), 0.999, 7)):
    out(keras.random.dropout(np.ones(shape, "float32"), rate, seed=seed))
g = keras.random.SeedGenerator(77)
x = np.linspace(-3, 3, 60, dtype="float32").reshape(3, 4, 5)
for _ in range(6):
    out(keras.random.dropout(x, 0.5, noise_shape=(3, 1, 5), seed=g))
""")
scenario("orthogonal_initializer", """
out(keras.initializers.Orthogonal(seed=1)((4, 4)))
out(keras.initializers.Orthogonal(gain=2.0, seed=2)((6, 3)))
""")
scenario("recurrent_initial_weights", """
keras.utils.set_random_seed(12)
model = keras.Sequential([keras.Input((5, 3)),
                          keras.layers.LSTM(4, recurrent_initializer="glorot_uniform", dropout=0.5),
                          keras.layers.Dense(2)])
out(model.get_weights())
gru = keras.layers.GRU(3, recurrent_initializer=keras.initializers.HeNormal(seed=4), seed=5)
gru.build((None, 5, 3))
out(gru.get_weights())
""")
scenario("embedding_and_conv_initializers", """
keras.utils.set_random_seed(21)
layers = [keras.layers.Embedding(50, 8), keras.layers.Conv1D(4, 3), keras.layers.Conv2DTranspose(2, 3),
          keras.layers.DepthwiseConv2D(3), keras.layers.SeparableConv2D(3, 3),
          keras.layers.Dense(5, kernel_initializer="lecun_normal", bias_initializer="truncated_normal")]
shapes = [(None, 4), (None, 10, 3), (None, 6, 6, 2), (None, 6, 6, 2), (None, 6, 6, 2), (None, 7)]
for layer, shape in zip(layers, shapes):
    layer.build(shape)
    out(layer.get_weights())
""")

# --- edges: rejected calls, NumPy scalars, negative axes ------------------------------------------
scenario("edges", """
g = keras.random.SeedGenerator(3)
err(lambda: keras.random.uniform((-1,), seed=g))
out(keras.random.uniform((2,), seed=g))
out(g.state)
err(lambda: keras.random.randint((3,), 5, 5, seed=1))
err(lambda: keras.random.randint((3,), 6, 5, seed=1))
out(keras.random.normal((3,), mean=np.float32(0.25), stddev=np.float32(3.0), seed=2))
out(keras.random.uniform((3,), minval=np.float32(-1.5), maxval=np.float32(0.5), seed=2))
out(keras.random.shuffle(np.arange(12, dtype="float32").reshape(3, 4), axis=-1, seed=5))
out(keras.random.dropout(np.ones((2, 5), "float32"), np.float32(0.4), seed=6))
out(keras.random.truncated_normal((2, 2), mean=-1.0, stddev=0.0, seed=7))
out(keras.random.uniform((2, 3), minval=2.0, maxval=2.0, seed=8))
""")
