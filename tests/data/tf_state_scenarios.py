# Scenarios for the Generator's state, seeds of every integer dtype, tf.function's retracing keys
# and nested tracing counts, set_global_generator(None), create_rng_state and the tf.nn dropouts.
# Recorded with TensorFlow 2.21.0 (CPU) by record.py (`--list S`) into tf_state_expected.json; the
# names in scope are record.py's `namespace`.
import random as _random

S = []


def scenario(name):
    def add(src):
        S.append((name, src))
    return add


# --- A. Generator sequences over mixed calls ------------------------------------------------------

scenario("gen_mixed_int_draws")("""
g = R.Generator.from_seed(5)
out(g.uniform([3], 0, 10, dtype=R.int32))
out(g.uniform([5]))
out(g.uniform([2, 3], -5, 100, dtype=R.int64))
out(g.uniform([3]))
out(g.uniform_full_int([3], dtype=R.int32))
out(g.uniform([3]))
out(g.uniform_full_int([5], dtype=R.int64))
out(g.uniform([3]))
out(g.uniform_full_int([3], dtype=R.uint32))
out(g.uniform([3]))
out(g.uniform_full_int([7], dtype=R.uint64))
out(g.uniform([], 0, 7, dtype=R.int32))
out(g.uniform([3], None, None, dtype=R.int64))
out(g.uniform([3]))
out(g.state)
""")

scenario("gen_mixed_float64_normals")("""
g = R.Generator.from_seed(7)
out(g.normal([3], dtype=R.float64))
out(g.uniform([3]))
out(g.normal([5], 1.5, 0.25, dtype=R.float64))
out(g.uniform([3]))
out(g.normal([1], dtype=R.float64))
out(g.truncated_normal([5], dtype=R.float64))
out(g.uniform([5], -2.0, 5.0, dtype=R.float64))
out(g.normal([3], dtype=R.float16))
out(g.normal([3], dtype=R.bfloat16))
out(g.normal([], dtype=R.float64))
out(g.truncated_normal([257], dtype=R.float64))
out(g.uniform([3]))
out(g.state)
""")

scenario("gen_int32_draws_without_x64")("""
g = R.Generator.from_seed(11)
out(g.uniform([3], 0, 10, dtype=R.int32))
out(g.uniform_full_int([3], dtype=R.int32))
out(g.uniform_full_int([5], dtype=R.uint32))
out(g.uniform([300], -4, 2**31 - 1, dtype=R.int32))
out(g.normal([7]))
out(g.uniform([], None, None, dtype=R.int32))
out(g.truncated_normal([301]))
out(g.uniform([3]))
""")

scenario("gen_global_generator_sequences")("""
G = R.get_global_generator()
G.reset_from_seed(30)
out(G.normal([3]))
out(R.get_global_generator().uniform([3], 0, 100, dtype=R.int32))
out(R.get_global_generator().uniform_full_int([3], dtype=R.int32))
out(R.get_global_generator().normal([3]))
out(R.uniform([2], seed=3))
R.set_seed(5)
out(R.get_global_generator().normal([3]))
R.set_global_generator(R.Generator.from_seed(31))
out(R.get_global_generator().normal([3]))
out(R.get_global_generator().uniform([2], 0, 9, dtype=R.int32))
""")

scenario("gen_skip_wraps_in_64_bits")("""
g = R.Generator.from_seed(5)
out(g.skip(2**56))
out(g.state)
out(g.skip(-1))
out(g.state)
out(g.skip(np.uint64(2**63 + 1)))
out(g.state)
out(g.skip(np.int64(-2)))
out(g.skip(3.0))
out(g.skip(True))
out(g.state)
h = R.Generator.from_seed(1234)
h.skip(5)
h.skip(-5)
out(h.state)
out(h.uniform([2]))
err(lambda: h.skip(2**63))
out(h.state)
""")

scenario("gen_counter_carries")("""
g = R.Generator.from_seed(2**64 - 256 * 3 + 1)
out(g.normal([5]))
out(g.state)
out(g.uniform([1000], 0, 2**40, dtype=R.int64))
h = R.Generator.from_state([-3, -1, 5], "philox")
out(h.normal([9], dtype=R.float64))
out(h.truncated_normal([9], dtype=R.float64))
out(h.state)
""")


def _random_call(rng):
    kind = rng.choice(["u", "u", "ui", "ufi", "n", "tn", "skip", "ms", "split"])
    shape = rng.choice(["[]", "[1]", "[2]", "[3]", "[5]", "[7]", "[2, 3]", "[3, 1, 3]", "[0]",
                        "[4, 0]", "[9]", "[17]", "[129]", "[257]", "(2, 5)"])
    if kind == "u":
        dtype = rng.choice(["R.float32", "R.float16", "R.bfloat16", "R.float64"])
        bounds = rng.choice(["", ", -3.5, 2.25", ", 1, 4", ", maxval=7.0", ", -1e3, 1e3"])
        return f"out(G.uniform({shape}{bounds}, dtype={dtype}))"
    if kind == "ui":
        dtype = rng.choice(["R.int32", "R.int64"])
        pairs = [(0, 10), (-5, 5), (0, 1), (-2**31, 2**31 - 1), (3, 2**20)]
        if dtype == "R.int64":
            pairs += [(-2**63, 2**63 - 1), (0, 2**40), (-7, 2**33)]
        low, high = rng.choice(pairs)
        return f"out(G.uniform({shape}, {low}, {high}, dtype={dtype}))"
    if kind == "ufi":
        dtype = rng.choice(["R.int32", "R.int64", "R.uint32", "R.uint64"])
        return f"out(G.uniform_full_int({shape}, dtype={dtype}))"
    if kind == "n":
        dtype = rng.choice(["R.float32", "R.float64", "R.float64", "R.float16", "R.bfloat16"])
        moments = rng.choice(["", ", 1.5, 0.25", ", -2.0", ", stddev=3.0"])
        return f"out(G.normal({shape}{moments}, dtype={dtype}))"
    if kind == "tn":
        dtype = rng.choice(["R.float32", "R.float64", "R.float16", "R.bfloat16"])
        return f"out(G.truncated_normal({shape}, dtype={dtype}))"
    if kind == "skip":
        return f"out(G.skip({rng.choice([0, 1, 3, 1000, 2**20, -7])}))"
    if kind == "ms":
        return f"out(G.make_seeds({rng.choice([1, 2, 3])}))"
    return f"out([g.normal([2]) for g in G.split({rng.choice([1, 2, 3])})])"


_STARTS = [
    "G = R.Generator.from_seed({n})",
    "G = R.Generator.from_seed(np.int64({n}))",
    "G = R.Generator.from_seed(-1)",
    "G = R.Generator.from_seed(2**64 - 300)",
    "G = R.Generator.from_state([2**63 - 1000, -1, 77], 'philox')",
    "G = R.Generator.from_key_counter(123, [2**64 - 2**20, 5], 'philox')",
    "R.set_global_generator(R.Generator.from_seed({n})); G = R.get_global_generator()",
    "G = R.get_global_generator(); G.reset_from_seed({n})",
]

for _i in range(8):  # many mixed calls, from every kind of starting state
    _rng = _random.Random(_i)
    _lines = [_STARTS[_i].format(n=_rng.randrange(2**20))]
    _lines += [_random_call(_rng) for _ in range(14)] + ["out(G.state)"]
    S.append((f"gen_random_mix_{_i}", "\n" + "\n".join(_lines) + "\n"))


# --- B. Retracing keys of Python values -----------------------------------------------------------

scenario("retrace_python_scalars_by_value")("""
R.set_seed(1)
@R.function
def f(x):
    return R.uniform([1])
out(f(1.0))
out(f(1))
out(f(True))
out(R.tracing_count(f))
out(f(0))
out(f(False))
out(f(-0.0))
out(f(2))
out(f(2.0))
out(f(float("nan")))
out(f(float("nan")))
out(f(1 + 0j))
out(R.tracing_count(f))
""")

scenario("retrace_containers_and_strings")("""
R.set_seed(2)
import collections
P = collections.namedtuple("P", "a b")
Q = collections.namedtuple("Q", "a b")
@R.function
def f(x):
    return R.uniform([1])
out(f((1, 2)))
out(f([1, 2]))
out(f((1.0, 2)))
out(f(P(1, 2)))
out(f(Q(1, 2)))
out(f(P(1.0, True)))
out(f({"a": 1, "b": 2}))
out(f({"b": 2.0, "a": 1}))
out(f(()))
out(f([]))
out(f("a"))
out(f(b"a"))
out(f("a"))
out(f(None))
out(f(None))
out(f(frozenset([1])))
out(f(frozenset([1.0])))
out(R.tracing_count(f))
""")

scenario("retrace_keyword_and_default_values")("""
R.set_seed(3)
@R.function
def f(x, n=2, scale=1.0):
    return R.uniform([n]) * scale
out(f(R.constant([1.0]), 2))
out(f(R.constant([1.0]), n=2.0))
out(f(R.constant([2.0])))
out(f(R.constant([1.0]), 2, True))
out(f(R.constant([1.0]), 3))
out(R.tracing_count(f))
""")


# --- C. Nested functions: one concrete function per signature -------------------------------------

scenario("nested_function_traced_once")("""
R.set_seed(4)
@R.function
def g():
    return R.uniform([2])
@R.function
def f(k):
    return g(), g()
out(f(1))
out(f(1))
out(f(2))
out(R.tracing_count(g))
out(R.tracing_count(f))
out(g())
out(R.tracing_count(g))
""")

scenario("nested_function_traced_at_top_level_first")("""
R.set_seed(5)
@R.function
def g(n):
    return R.normal([n])
out(g(2))
@R.function
def f():
    return g(2), g(3)
out(f())
out(f())
out(R.tracing_count(g))
out(g(3))
out(g(2))
out(R.tracing_count(g))
out(R.tracing_count(f))
""")


# --- D. Seeds given as arrays of any integer dtype ---------------------------------------------------

scenario("seeds_of_every_integer_dtype")("""
for dt in ("uint64", "uint32", "int8", "uint8", "int16", "uint16", "int32", "int64"):
    out(R.stateless_uniform([3], seed=np.array([7, 3], dt)))
out(R.stateless_uniform([2], seed=np.array([2**63 + 5, 1], np.uint64)))
out(R.stateless_uniform([2], seed=np.array([2**64 - 1, 3], np.uint64)))
out(R.stateless_uniform([2], seed=np.array([2**32 - 1, 3], np.uint32)))
out(R.stateless_uniform([2], seed=np.array([-1, 3], np.int8)))
out(R.stateless_uniform([2], seed=[np.uint32(5), 1]))
out(R.stateless_normal([2], seed=np.array([5, 3], np.uint64)))
out(R.stateless_truncated_normal([2], seed=np.array([5, 3], np.uint32)))
out(R.stateless_uniform([2], seed=np.array([5, 3], np.uint64), minval=0, maxval=9, dtype=R.int32))
out(R.stateless_uniform([2], seed=np.array([5, 3], np.uint64), minval=None, maxval=None, dtype=R.int32))
out(R.fold_in(np.array([5, 3], np.uint32), 3))
out(R.fold_in(np.array([2**63 + 5, 1], np.uint64), 3))
out(R.fold_in(np.array([5, 3], np.int8), 3))
out(R.split([np.uint32(5), 3]))
err(lambda: R.split(np.array([5, 3], np.uint64)))
err(lambda: R.split(np.array([5, 3], np.int8)))
out(R.stateless_dropout(R.constant([1.0, 2.0, 3.0, 4.0]), 0.5, seed=np.array([5, 3], np.uint64)))
""")

scenario("generator_seeds_of_every_integer_dtype")("""
out(R.Generator.from_seed(np.uint64(2**63 + 5)).state)
out(R.Generator.from_seed(np.uint32(7)).state)
out(R.Generator.from_seed(np.int8(-3)).state)
out(R.Generator.from_seed(np.array([2**63 + 5, 1], np.uint64)).state)
out(R.Generator.from_seed(np.array([1, 2, 3, 4], np.uint32)).state)
out(R.Generator.from_seed([np.uint32(5), 3]).state)
out(R.Generator.from_seed(5.7).state)
out(R.Generator.from_seed(np.array([5.7, -2.5])).state)
out(R.Generator.from_seed(np.array([True])).state)
out(R.Generator.from_state(np.array([2**63 + 5, 1, 2], np.uint64), "philox").state)
out(R.Generator.from_state(np.array([-1, 2, 3], np.int8), "philox").state)
out(R.Generator.from_key_counter(np.uint64(2**63 + 1), np.array([1, 2], np.uint64), "philox").state)
g = R.Generator.from_seed(1)
g.reset_from_seed(np.uint64(2**64 - 1))
out(g.state)
out(g.normal([3]))
g.reset(np.array([2**64 - 5, 0, 9], np.uint64))
out(g.uniform([3]))
""")


# --- E. set_global_generator(None) ------------------------------------------------------------------

scenario("set_global_generator_none")("""
R.set_global_generator(R.Generator.from_seed(8))
out(R.get_global_generator().normal([2]))
err(lambda: R.set_global_generator(None))
g = R.get_global_generator()
out(R.constant(int(g.state.shape[0]), R.int32))
g.reset_from_seed(8)
out(g.normal([2]))
""")


# --- F. create_rng_state and the tf.nn dropouts ------------------------------------------------------

scenario("create_rng_state")("""
out(R.create_rng_state(1234, "philox"))
out(R.create_rng_state([12, 34], "threefry"))
out(R.create_rng_state(2**130 + 7, "philox"))
out(R.create_rng_state(2**64 + 5, "threefry"))
out(R.create_rng_state(5, "auto_select"))
out(R.create_rng_state(5, 1))
out(R.create_rng_state(5, 2))
out(R.create_rng_state([1, 2, 3, 4, 5], "philox"))
out(R.create_rng_state(-1, "philox"))
out(R.create_rng_state(np.uint64(2**63 + 5), "philox"))
out(R.create_rng_state(1.5, "philox"))
out(R.create_rng_state([[1, 2], [3, 4]], "philox"))
out(R.create_rng_state([], "philox"))
out(R.create_rng_state(7, " Auto-Select"))
err(lambda: R.create_rng_state(5, None))
err(lambda: R.create_rng_state(5, "mt19937"))
""")

scenario("general_dropout_doc")("""
g = R.Generator.from_seed(7)
sampler = g.uniform
x = R.constant([1.1, 2.2, 3.3, 4.4, 5.5])
rate = 0.5
out(R.general_dropout(x, rate, sampler))
out(R.general_dropout(x, rate, sampler))
out(R.general_dropout(x, 0.0, sampler))
out(g.state)
out(R.general_dropout(R.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], R.float64), 0.25, g.uniform,
                      noise_shape=[1, 3]))
out(R.general_dropout(R.constant([1.0, 2.0, 3.0], R.float16), 0.3,
                      lambda shape, dtype: R.stateless_uniform(shape, seed=[1, 2], dtype=dtype)))
err(lambda: R.general_dropout(x, 1.0, sampler))
err(lambda: R.general_dropout(R.constant([1, 2]), 0.5, sampler))
""")

scenario("stateless_dropout_doc")("""
x = R.constant(np.ones([3, 5], np.float32))
out(R.stateless_dropout(x, rate=0.5, seed=[1, 0]))
out(R.stateless_dropout(x, rate=0.8, seed=[1, 0]))
out(R.stateless_dropout(x, rate=0.8, seed=[2, 0]))
out(R.stateless_dropout(x, rate=0.0, seed=[1, 0]))
x = R.constant(np.ones([3, 10], np.float32))
out(R.stateless_dropout(x, rate=2/3, noise_shape=[1, 10], seed=[1, 0]))
g = R.Generator.from_seed(7)
x = R.constant([1.1, 2.2, 3.3, 4.4, 5.5])
out(R.stateless_dropout(x, 0.5, g.make_seeds(1)[:, 0]))
out(R.stateless_dropout(x, 0.5, g.make_seeds(1)[:, 0]))
out(R.nn_dropout(x, 0.5, seed=3))
""")
