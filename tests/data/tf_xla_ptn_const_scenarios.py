# TensorFlow 2.21 CPU under tf.function(jit_compile=True): stateless_parameterized_truncated_normal
# with parameters that are constant numpy ARRAYS of the function (captured, not arguments), the seed
# an argument (docs/xla2.md, "Where compat differs"; tests/test_xla2.py).
# `record.py tf_xla_ptn_const_scenarios.py tf_xla_ptn_const_expected.json --list S
#  --note 'tf.function(jit_compile=True)'` records them.
S = []

S.append(("xla2_ptn_constant_arrays", """
P = R.stateless_parameterized_truncated_normal
f32, f64 = np.float32, np.float64
rng = np.random.RandomState(3)
cases = [
    ([4], f32([0.5, -0.3]), 1.0, -2.0, 2.0),
    ([4], f32([0.0, 0.0]), 1.0, -2.0, 2.0),
    ([4], 0.0, f32([1.0, 2.5]), -2.0, 2.0),
    ([4], 0.0, 1.0, f32([-1.0, 0.5]), 2.0),
    ([4], 0.0, 1.0, -2.0, f32([1.0, 3.0])),
    ([4], f32([0.5, -0.3, 0.1, 2.0]), f32([1.0, 2.0, 0.5, 1.5]), -2.0, 2.0),
    ([2, 3], f32([0.1, 0.2, 0.3]), f32([1.0, 0.5, 2.0]), f32([-1.0, -0.5, 0.0]), f32([1.0, 2.0, 4.0])),
    ([8], f32([0.25, -1.5]), f32(0.75), f32(-3.0), f32(np.inf)),
    ([16], rng.normal(0, 1, 16).astype(f32), 1.0, -2.0, 2.0),
    ([33], rng.normal(0, 1, 33).astype(f32), rng.uniform(0.5, 2, 33).astype(f32), -3.0, 3.0),
    ([200], f32([0.5, -0.3]), 1.0, -2.0, 2.0),
    ([4], f64([0.5, -0.3]), f64(1.0), f64(-2.0), f64(2.0)),
    ([7], f64(0.0), rng.uniform(0.5, 2, 7), f64(-1.0), f64(1.5)),
]
for shape, *params in cases:
    f = R.function(lambda s: P(shape, s, *params), jit_compile=True)
    for seed in ([1, 2], [3, 4], [-5, 11]):
        out(f(np.array(seed, np.int32)))
g = R.function(lambda s, m: P([4], s, m, f32([1.0, 2.0]), -2.0, 2.0), jit_compile=True)
out(g(np.array([3, 4], np.int32), f32(0.5)))
"""))

# A second batch, recorded after the rule "a tiled constant mean is not folded"
# (keyrng/_tf_xla_ptn.py::_tiled) was written from the first: other shapes, dtypes and values.
S.append(("xla2_ptn_constant_arrays_tiled", """
P = R.stateless_parameterized_truncated_normal
f16, f32, f64 = np.float16, np.float32, np.float64
rng = np.random.RandomState(11)
cases = [
    ([6], f32([0.4, -1.2, 2.0]), 1.3, -2.5, 2.5),
    ([2, 4], f32([1.5, -0.5]), 0.8, -1.0, 3.0),
    ([4, 2], f32([[0.3, -0.2], [1.1, 0.0]]), 1.0, -2.0, 2.0),
    ([12], rng.normal(0, 1, 4).astype(f32), 1.2, -2.0, 2.0),
    ([6], 0.2, f32([0.7, 1.9, 3.1]), -1.5, 1.5),
    ([6], 0.2, 1.0, f32([-1.5, -0.5, 0.5]), f32([2.0, 1.0, 2.5])),
    ([10], f32([-0.7, 0.9]), f32(2.0), f32(-np.inf), f32(1.0)),
    ([64], rng.normal(0, 1, 8).astype(f32), 1.0, -2.0, 2.0),
    ([6], f64([0.4, -1.2, 2.0]), f64(1.3), f64(-2.5), f64(2.5)),
    ([8], f64(0.5), f64([1.0, 2.0]), f64(-1.0), f64(3.0)),
    ([6], f16([0.4, -1.2, 2.0]), f16(1.3), f16(-2.5), f16(2.5)),
]
for shape, *params in cases:
    f = R.function(lambda s: P(shape, s, *params), jit_compile=True)
    for seed in ([1, 2], [7, -8], [123, 456], [-5, 11]):
        out(f(np.array(seed, np.int32)))
"""))

# A third batch, recorded after the rule became "a tiled constant mean or bound is not folded":
# tiled lower and upper bounds alone, tiled stddevs with tiled or untiled bounds, 2-d tilings.
S.append(("xla2_ptn_constant_arrays_bounds", """
P = R.stateless_parameterized_truncated_normal
f32, f64 = np.float32, np.float64
rng = np.random.RandomState(19)
cases = [
    ([6], 0.1, 1.0, f32([-1.8, -0.6, 0.4]), 2.2),
    ([6], -0.1, 1.2, -2.1, f32([0.3, 1.4, 2.6])),
    ([8], 0.0, f32([0.6, 1.7]), f32([-2.0, -0.5]), 1.9),
    ([8], 0.3, f32([0.6, 1.7, 0.9, 2.4]), -1.7, 2.2),
    ([4, 6], 0.0, 1.0, f32([-2.0, -1.0, 0.0]), f32(np.inf)),
    ([4, 6], f32([[0.2], [-0.4]]), 1.1, -2.3, 2.3),
    ([9], f32([0.5, -0.5, 1.5]), f32([1.0, 0.7, 1.3]), f32([-1.0, -2.0, -1.5]), f32([2.0, 1.0, 3.0])),
    ([100], 0.0, 1.0, rng.uniform(-3, 0, 4).astype(f32), rng.uniform(0.5, 3, 4).astype(f32)),
    ([6], f64(0.1), f64(1.0), f64([-1.8, -0.6, 0.4]), f64(2.2)),
    ([6], f64(-0.1), f64([1.2, 0.8]), f64(-2.1), f64(2.6)),
]
for shape, *params in cases:
    f = R.function(lambda s: P(shape, s, *params), jit_compile=True)
    for seed in ([1, 2], [7, -8], [123, 456], [-5, 11]):
        out(f(np.array(seed, np.int32)))
"""))

# A fourth batch, recorded after the rule became keyrng/_tf_xla_ptn.py::_folds (a tiled stddev
# keeps the cdfs at run time unless the mean and both bounds are scalars).
S.append(("xla2_ptn_constant_arrays_stddev", """
P = R.stateless_parameterized_truncated_normal
f32, f64 = np.float32, np.float64
rng = np.random.RandomState(23)
cases = [
    ([4, 3], f32([[0.1, -0.2, 0.3]]), f32([[0.8], [1.6]]), -2.0, 2.0),
    ([8], 0.0, f32([0.8, 1.6]), -2.0, f32([1.2, 2.4])),
    ([4, 3], 0.1, f32([[0.5], [2.0]]), f32([[-1.0, -2.0, -0.5]]), 2.5),
    ([6], f32([0.3]), f32([0.5, 1.0, 2.0]), -2.0, 2.0),
    ([4, 6], 0.0, f32([[0.7], [1.9]]), -1.5, 2.5),
    ([8], rng.normal(0, 1, 8).astype(f32), 1.3, rng.uniform(-3, -1, 8).astype(f32), 2.0),
    ([6], 0.2, rng.uniform(0.5, 2, 6).astype(f32), rng.uniform(-3, -1, 6).astype(f32), rng.uniform(1, 3, 6).astype(f32)),
    ([6], f64(0.0), f64([0.9, 2.2]), f64(-1.0), f64(2.0)),
    ([6], f64(0.0), f64([0.9, 2.2]), f64([-1.0, -0.5]), f64(2.0)),
]
for shape, *params in cases:
    f = R.function(lambda s: P(shape, s, *params), jit_compile=True)
    for seed in ([1, 2], [7, -8], [123, 456], [-5, 11]):
        out(f(np.array(seed, np.int32)))
"""))

# A fifth batch, recorded after the fourth added "a tiled stddev that is not folded divides".
S.append(("xla2_ptn_constant_arrays_check", """
P = R.stateless_parameterized_truncated_normal
f16, f32, f64 = np.float16, np.float32, np.float64
cases = [
    ([6, 2], f32([[0.4, -0.6]]), f32([[0.9], [2.1], [1.3]]), -1.8, 2.2),
    ([6, 2], 0.0, f32([[0.9], [2.1], [1.3]]), -1.8, 2.2),
    ([4, 4], 0.2, f32([[1.1], [0.6]]), f32([[-1.0, -2.0, -1.5, -0.2]]), f32(np.inf)),
    ([10], f32(-0.3), f32([0.6, 1.4]), f32(-np.inf), f32(0.9)),
    ([4, 2], f64([[0.1, 0.2]]), f64([[0.5], [1.5]]), f64(-2.0), f64(2.0)),
    ([4, 2], f16([[0.1, 0.2]]), f16([[0.5], [1.5]]), f16(-2.0), f16(2.0)),
    ([6], f16(0.0), f16([0.5, 1.5, 1.0]), f16(-1.0), f16(2.0)),
]
for shape, *params in cases:
    f = R.function(lambda s: P(shape, s, *params), jit_compile=True)
    for seed in ([1, 2], [7, -8], [123, 456], [-5, 11]):
        out(f(np.array(seed, np.int32)))
"""))
