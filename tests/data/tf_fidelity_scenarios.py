# Argument forms, signs of zero, rounding of array-valued scaling, float64 dropout and
# categorical's dtypes and sample counts, recorded with TensorFlow 2.21.0 (CPU) by
# ../shared/tf_reference/record.py into tf_fidelity_expected.json. Same conventions as
# ../shared/tf_reference/scenarios.py; the sources are generated from the tables below, so every
# combination is a scenario line of its own.
S = []


def scenario(name):
    def add(src):
        S.append((name, src))
    return add


# Generated scenarios call `o(lambda: ...)`: the value, or that the call raised (TensorFlow refuses
# some forms for some dtypes, such as a bool bound for bfloat16); inside a function a refused
# call returns None, recorded as an error after the call.
_PRELUDE = """
def o(f):
    try:
        value = f()
    except Exception:
        err(f)
        return
    out(value)
def t(f):
    try:
        return f()
    except Exception:
        return None
def outs(values):
    for value in values:
        if value is None:
            err(lambda: 1 / 0)
        else:
            out(value)
"""


def _eager(calls):
    return _PRELUDE + "\n".join(f"o(lambda: {c})" for c in calls) + "\n"


def _function(calls):
    body = "\n".join(f"        t(lambda: {c})," for c in calls)
    return _PRELUDE + f"@R.function\ndef f():\n    return [\n{body}\n    ]\nouts(f())\n"


# --- signs of zero: uniform bounds and normal parameters, eager and inside a function ------------

# Bounds whose scaled value is zero (or underflows to zero in the half types), of every kind.
_ZERO_BOUNDS = ["0", "0.0", "-0.0", "-1", "-1.0", "1", "2.5", "np.float32(0)", "np.float32(-0.0)",
                "np.float64(-0.0)", "np.int64(0)", "False", "True", "-1e-30", "1e-30",
                "np.array([0.0, -0.0, 1.0, -1.0])", "[0.0, -0.0, 0.0, -0.0]", "np.array(-0.0)"]
_DTYPES = ["float32", "float16", "bfloat16", "float64"]

for _dtype in _DTYPES:
    _calls = [f"R.uniform([4], {a}, {b}, dtype=R.{_dtype}, seed=1)"
              for a in _ZERO_BOUNDS for b in _ZERO_BOUNDS if a != b or a in ("0", "0.0", "-0.0")]
    scenario(f"zero_sign_uniform_eager_{_dtype}")(_eager(_calls))
    scenario(f"zero_sign_uniform_function_{_dtype}")(_function(_calls))

_MEANS = ["0", "0.0", "-0.0", "1", "np.float32(0)", "np.float32(-0.0)", "False", "-1e-30",
          "np.array([0.0, -0.0, 0.0, -0.0])", "np.array(-0.0)", "[0.0, 0.0, -0.0, -0.0]"]
_STDDEVS = ["0", "0.0", "-0.0", "-1.0", "1", "1.0", "-1", "np.float32(0)", "np.float32(-0.0)",
            "False", "True", "1e-30", "-1e-30", "np.array([0.0, -0.0, 1.0, -1.0])", "np.array(-0.0)"]
for _op in ("normal", "truncated_normal"):
    for _dtype in _DTYPES:
        _calls = [f"R.{_op}([4], {m}, {s}, dtype=R.{_dtype}, seed=1)" for m in _MEANS for s in _STDDEVS]
        scenario(f"zero_sign_{_op}_eager_{_dtype}")(_eager(_calls))
        scenario(f"zero_sign_{_op}_function_{_dtype}")(_function(_calls))

for _dtype in _DTYPES:
    _calls = [f"R.stateless_uniform([4], [1, 2], {a}, {b}, dtype=R.{_dtype})"
              for a in _ZERO_BOUNDS[:12] for b in _ZERO_BOUNDS[:12]]
    _calls += [f"R.stateless_normal([4], [1, 2], {m}, {s}, dtype=R.{_dtype})"
               for m in _MEANS[:8] for s in _STDDEVS[:12]]
    scenario(f"zero_sign_stateless_eager_{_dtype}")(_eager(_calls))
    scenario(f"zero_sign_stateless_function_{_dtype}")(_function(_calls))

# --- rounding: array-valued mean / stddev / bounds that broadcast ----------------------------------

scenario("array_scaling_float32")("""
m = np.linspace(-3.3, 7.1, 37).astype(np.float32).reshape(37, 1)
s = np.linspace(0.1, 9.7, 11).astype(np.float32)
out(R.normal([37, 11], m, s, seed=3))
out(R.truncated_normal([37, 11], m, s, seed=3))
out(R.normal([37, 11], 1.7, s, seed=4))
out(R.truncated_normal([37, 11], m, 3.3, seed=4))
out(R.uniform([37, 11], m, m + s, seed=5))
out(R.uniform([37, 11], -1.3, s, seed=5))
out(R.stateless_normal([37, 11], [4, 5], m, s))
out(R.stateless_truncated_normal([37, 11], [4, 5], m, s))
out(R.stateless_uniform([37, 11], [4, 5], m, m + s))
@R.function
def f():
    return (R.normal([37, 11], m, s, seed=6), R.truncated_normal([37, 11], m, s, seed=6),
            R.uniform([37, 11], m, m + s, seed=6), R.stateless_normal([37, 11], [4, 5], m, s))
out(f())
""")

scenario("array_scaling_other_dtypes")("""
m = np.linspace(-3.3, 7.1, 13).reshape(13, 1)
s = np.linspace(0.1, 9.7, 5)
for d in (R.float16, R.bfloat16, R.float64):
    out(R.normal([13, 5], m, s, dtype=d, seed=3))
    out(R.truncated_normal([13, 5], m, s, dtype=d, seed=3))
    out(R.uniform([13, 5], m, m + s, dtype=d, seed=3))
out(R.normal([13, 5], m.astype(np.float32), s.astype(np.float32), dtype=R.float64, seed=7))
""")

# --- dropout on every float dtype ------------------------------------------------------------------

scenario("dropout_dtypes_and_rates")("""
x = np.linspace(-5.0, 5.0, 60).reshape(6, 10)
for rate in (0.1, 0.3, 1.0 / 3.0, 0.5, 0.7, 0.9, np.float32(0.3), np.float64(0.3)):
    for d in (np.float64, np.float32, np.float16):
        out(R.dropout(x.astype(d), rate, seed=1))
out(R.dropout(x.astype(np.float64), 0.37, noise_shape=[6, 1], seed=2))
@R.function
def f():
    return (R.dropout(x, 0.3, seed=3), R.dropout(x.astype(np.float32), 0.3, seed=3))
out(f())
""")

scenario("dropout_noise_shape_forms")("""
x = np.ones((3, 4), np.float32)
out(R.dropout(x, 0.5, noise_shape=[None, 1], seed=1))
out(R.dropout(x, 0.5, noise_shape=(1, None), seed=1))
out(R.dropout(x, 0.5, noise_shape=[None, None], seed=1))
out(R.dropout(x, 0.5, noise_shape=np.array([3, 1], np.int64), seed=1))
out(R.dropout(x, 0.5, noise_shape=(np.int64(1), 4), seed=1))
err(lambda: R.dropout(x, 0.5, noise_shape=[None], seed=1))
err(lambda: R.dropout(x, 0.5, noise_shape=[None, 1, 1], seed=1))
err(lambda: R.dropout(x, 0.5, noise_shape=[2, None], seed=1))
""")

# --- categorical: logits dtypes and many samples ---------------------------------------------------

scenario("categorical_logits_dtypes")("""
logits = np.log(np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.25, 0.125, 0.125], [1e-3, 0.9, 0.05, 0.049]]))
for d in (np.float32, np.float64, np.float16):
    out(R.categorical(logits.astype(d), 9, dtype=R.int32, seed=1))
out(R.categorical(R.float32(logits) if False else logits.astype(np.float32), 9, seed=2))
wide = np.linspace(-30.0, 30.0, 3 * 50).reshape(3, 50)
for d in (np.float32, np.float64, np.float16):
    out(R.categorical(wide.astype(d), 40, dtype=R.int32, seed=3))
""")

scenario("categorical_many_samples")("""
logits = np.log(np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.25, 0.125, 0.125]], np.float32))
for n in (1, 3, 4, 5, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 2049):
    out(R.categorical(logits, n, dtype=R.int32, seed=1))
out(R.categorical(np.zeros((40, 7), np.float32), 300, dtype=R.int32, seed=2))
out(R.categorical(np.zeros((1, 3), np.float64), 5000, dtype=R.int32, seed=3))
out(R.categorical(np.zeros((1, 3), np.float32), 5000, dtype=R.int32, seed=3))
""")

# --- argument forms TensorFlow accepts, with their values ---------------------------------------

scenario("bound_forms_float")(_PRELUDE + """
for a in (False, True, np.float16(0.5), np.float64(-2.5), np.int8(-3), np.uint16(7), np.uint64(9),
          np.bool_(True), np.array(0.25), np.array(2), np.array(True), 2**40, 2**64, (0.5, 1.5),
          np.complex64(1.5 + 2j), np.array([True, False])):
    for d in (R.float32, R.float16, R.bfloat16):
        o(lambda: R.uniform([2], minval=a, maxval=3.0, dtype=d, seed=1))
        o(lambda: R.uniform([2], maxval=a, dtype=d, seed=1))
        o(lambda: R.normal([2], mean=a, dtype=d, seed=1))
        o(lambda: R.normal([2], stddev=a, dtype=d, seed=1))
        o(lambda: R.truncated_normal([2], mean=a, stddev=a, dtype=d, seed=1))
        o(lambda: R.stateless_uniform([2], [1, 2], minval=a, maxval=3.0, dtype=d))
        o(lambda: R.stateless_normal([2], [1, 2], mean=a, stddev=a, dtype=d))
o(lambda: R.uniform([3], minval=False, maxval=True, seed=2))
o(lambda: R.uniform([3], minval=False, maxval=-2.0, seed=2))
o(lambda: R.uniform([3], minval=True, maxval=False, seed=2))
""")

scenario("bound_forms_int")("""
for d in (R.int32, R.int64):
    for a, b in ((False, True), (False, 5), (True, 9), (np.float32(2.7), 11), (np.float64(-3.9), 4),
                 (np.uint64(3), np.int8(20)), (np.array(1.5), np.array(6)), (-2**31 - 5, 2**31),
                 (np.bool_(False), np.float16(3.5)), (0, 2**32 + 7), (2**40, 2**40 + 3)):
        err(lambda: R.uniform([5], minval=a, maxval=b, dtype=d, seed=1))
        try:
            out(R.uniform([5], minval=a, maxval=b, dtype=d, seed=1))
        except Exception:
            pass
        err(lambda: R.stateless_uniform([5], [1, 2], minval=a, maxval=b, dtype=d))
        try:
            out(R.stateless_uniform([5], [1, 2], minval=a, maxval=b, dtype=d))
        except Exception:
            pass
    err(lambda: R.uniform([5], minval=0.0, maxval=5, dtype=d, seed=1))
    err(lambda: R.uniform([5], minval=0, maxval=2**63, dtype=d, seed=1))
    err(lambda: R.uniform([5], minval=np.array([0, 1]), maxval=5, dtype=d, seed=1))
""")
SCENARIOS = S
