# Scenarios for tf.data's shuffle order (compat.data), recorded with TensorFlow 2.21.0 (CPU) by
# tf_data_record.py into tf_data_expected.json; the names in scope are listed there.
import random as _random

SCENARIOS = []


def scenario(name):
    def add(src):
        SCENARIOS.append((name, src))
    return add


# --- A. Op seed only: sizes against buffers (smaller, equal, larger), tiny inputs, seed forms ------

scenario("op_seed_sizes")("""
for n, b in [(10, 3), (10, 10), (10, 11), (10, 1000), (10, 1), (1, 1), (1, 5), (0, 3), (2, 1),
             (2, 2), (5, 4), (37, 8), (100, 7), (100, 99), (100, 100), (257, 64), (1000, 1000)]:
    out(D.shuffle_order(n, b, seed=5))
    out(D.shuffle_order(n, b, seed=5, reshuffle_each_iteration=False))
""")

scenario("op_seed_forms")("""
for s in [0, 1, 2, 7, 42, 1234, 2**31 - 2, 2**31 - 1, 2**31, 2**32 + 3, 2**40, 2**62 + 11, -1, -5,
          -2**31, True]:
    out(D.shuffle_order(50, 10, seed=s))
    out(D.shuffle_order(50, 10, seed=s, reshuffle_each_iteration=False))
""")

scenario("op_seed_float_and_numpy")("""
out(D.shuffle_order(20, 6, seed=np.int64(9)))
out(D.shuffle_order(20, 6, seed=np.int32(9)))
out(D.shuffle_order(20, 6, seed=np.uint32(2**32 - 1)))
""")

scenario("buffer_size_forms")("""
out(D.shuffle_order(20, np.int64(6), seed=3))
out(D.shuffle_order(20, np.int32(6), seed=3))
out(D.shuffle_order(20, True, seed=3))
out(D.shuffle_order(20, 100000, seed=3))
""")

# --- B. Global seed only, both, and the op-seed sequence shared with tf.random ops ----------------

scenario("global_only")("""
D.set_seed(1)
out(D.shuffle_order(10, 3))
out(D.shuffle_order(10, 3))
out(D.shuffle_order(30, 30, reshuffle_each_iteration=False))
""")

scenario("global_only_seed0")("""
D.set_seed(0)
out(D.shuffle_order(12, 5))
out(D.shuffle_order(12, 5, reshuffle_each_iteration=False))
out(D.shuffle_order(12, 5, seed=0))
out(D.shuffle_order(12, 5, seed=0, reshuffle_each_iteration=False))
""")

scenario("global_and_op")("""
D.set_seed(1234)
out(D.shuffle_order(40, 9, seed=7))
out(D.shuffle_order(40, 9, seed=7, reshuffle_each_iteration=False))
out(D.shuffle_order(40, 9))
D.set_seed(2**31 + 5)
out(D.shuffle_order(40, 9, seed=2**31 + 9))
""")

scenario("uniform_then_shuffle")("""
D.set_seed(1)
out(D.uniform([1]))
out(D.shuffle_order(16, 4))
out(D.uniform([1]))
""")

scenario("shuffle_between_ops")("""
D.set_seed(1)
out(D.uniform([2]))
ds = D.dataset(16, 4)
out(D.uniform([2]))
out(D.normal([3]))
out(D.elements(ds))
out(D.uniform([2]))
""")

scenario("seeded_shuffle_draws_no_op_seed")("""
D.set_seed(3)
ds = D.dataset(16, 4, seed=11)
out(D.uniform([2]))
out(D.elements(ds))
ds2 = D.dataset(16, 4)
out(D.uniform([2]))
out(D.elements(ds2))
""")

scenario("set_seed_resets_dataset_draws")("""
D.set_seed(8)
out(D.shuffle_order(20, 5))
D.set_seed(8)
out(D.shuffle_order(20, 5))
out(D.shuffle_order(20, 5))
""")

# --- C. Epochs and reshuffling ---------------------------------------------------------------------

for reshuffle in (None, True, False):
    scenario(f"epochs_reshuffle_{reshuffle}")(f"""
for n, b, e in [(10, 3, 3), (10, 10, 2), (10, 20, 2), (7, 1, 3), (1, 1, 4), (0, 2, 3), (33, 8, 5)]:
    out(D.shuffle_order(n, b, seed=5, reshuffle_each_iteration={reshuffle}, epochs=e))
D.set_seed(77)
out(D.shuffle_order(25, 6, reshuffle_each_iteration={reshuffle}, epochs=3))
""")

# --- D. Iterating a dataset more than once, and partial passes -------------------------------------

scenario("iterate_twice")("""
for reshuffle in (None, False):
    ds = D.dataset(12, 4, seed=9, reshuffle_each_iteration=reshuffle)
    out(D.elements(ds))
    out(D.elements(ds))
    out(D.elements(ds))
""")

scenario("iterate_twice_epochs")("""
ds = D.dataset(9, 4, seed=2, epochs=2)
out(D.elements(ds))
out(D.elements(ds))
D.set_seed(5)
ds = D.dataset(9, 4, epochs=3)
out(D.elements(ds))
out(D.elements(ds))
""")

scenario("partial_passes")("""
ds = D.dataset(20, 5, seed=4)
out(D.take(ds, 3))
out(D.elements(ds))
it = D.iterator(ds)
out(D.next(it, 7))
out(D.next(it, 100))
out(D.elements(ds))
""")

scenario("interleaved_iterators")("""
ds = D.dataset(15, 6, seed=21)
a = D.iterator(ds)
b = D.iterator(ds)
out(D.next(a, 4))
out(D.next(b, 4))
out(D.next(a, 100))
out(D.next(b, 100))
""")

# --- E. Errors (and whether a rejected dataset used up an op seed) ---------------------------------

scenario("errors_buffer_size")("""
D.set_seed(6)
err(lambda: D.dataset(10, 0))
out(D.uniform([1]))
err(lambda: D.dataset(10, -1))
out(D.uniform([1]))
err(lambda: D.dataset(10, -2))
out(D.uniform([1]))
err(lambda: D.dataset(10, 1.5))
out(D.uniform([1]))
err(lambda: D.dataset(10, None))
out(D.uniform([1]))
err(lambda: D.dataset(10, "3"))
out(D.uniform([1]))
""")

scenario("errors_seed")("""
D.set_seed(6)
err(lambda: D.dataset(10, 3, seed="a"))
out(D.uniform([1]))
err(lambda: D.dataset(10, 3, seed=1.5))
out(D.uniform([1]))
err(lambda: D.dataset(10, 3, seed=[1, 2]))
out(D.uniform([1]))
""")

scenario("errors_num_elements")("""
err(lambda: D.dataset(1.5, 3, seed=1))
err(lambda: D.dataset("3", 3, seed=1))
out(D.shuffle_order(-3, 3, seed=1))
""")

scenario("determinism_needs_seed")("""
D.enable_op_determinism()
err(lambda: D.dataset(10, 3))
out(D.shuffle_order(10, 3, seed=1))
D.set_seed(2)
out(D.shuffle_order(10, 3))
""")

scenario("errors_epochs")("""
err(lambda: D.dataset(10, 3, seed=1, epochs=1.5))
err(lambda: D.shuffle_order(10, 3, seed=1, epochs=0))
err(lambda: D.shuffle_order(10, 3, seed=1, epochs=-2))
out(D.shuffle_order(10, 3, seed=1, epochs=np.int64(2)))
out(D.take(D.dataset(6, 3, seed=5, epochs=-1), 20))
out(D.take(D.dataset(6, 3, seed=5, epochs=None), 20))
out(D.take(D.dataset(6, 3, seed=5, epochs=None, reshuffle_each_iteration=False), 20))
""")

scenario("errors_drawn_op_seed")("""
D.set_seed(6)
err(lambda: D.shuffle_order(10, 3, epochs=0))
out(D.uniform([1]))
err(lambda: D.dataset(10, -3))
out(D.uniform([1]))
err(lambda: D.dataset(10, 3, seed=2.0))
out(D.uniform([1]))
""")

scenario("errors_drawn_op_seed_2")("""
D.set_seed(9)
err(lambda: D.dataset(10, 3, reshuffle_each_iteration="yes"))
out(D.uniform([1]))
err(lambda: D.dataset(10, 3, epochs=1.5))
out(D.uniform([1]))
err(lambda: D.dataset(1.5, 3))
out(D.uniform([1]))
err(lambda: D.dataset(10, None))
out(D.uniform([1]))
err(lambda: D.dataset(10, 2.0))
out(D.uniform([1]))
err(lambda: D.dataset(10, 3, reshuffle_each_iteration=1))
out(D.uniform([1]))
err(lambda: D.dataset(10, 0, seed=1))
out(D.uniform([1]))
""")

scenario("seed_float_forms")("""
out(D.shuffle_order(8, 3, seed=np.float64(3.0)))
err(lambda: D.shuffle_order(8, 3, seed=np.float64(1.5)))
err(lambda: D.shuffle_order(8, 3, seed=np.float32(2.0)))
err(lambda: D.shuffle_order(8, 3, seed=3.0))
err(lambda: D.shuffle_order(8, 3, seed=np.array(3)))
err(lambda: D.shuffle_order(8, 3, seed=np.int64(-4)))
out(D.shuffle_order(8, 3, seed=np.int64(-4)))
""")

scenario("buffer_unknown_cardinality")("""
for n in [0, 1, 5, 10, 33]:
    out(D.shuffle_order(n, -2, seed=5))
    out(D.shuffle_order(n, -2, seed=5, reshuffle_each_iteration=False, epochs=2))
D.set_seed(4)
out(D.shuffle_order(12, -2))
out(D.shuffle_order(12, -2, epochs=3))
""")

scenario("num_elements_forms")("""
out(D.shuffle_order(True, 3, seed=5))
out(D.shuffle_order(np.int64(9), 3, seed=5))
out(D.shuffle_order(np.int32(9), np.int64(-2), seed=5))
""")

# --- F. No seed at all: a fresh permutation from OS entropy ----------------------------------------

scenario("no_seed_is_a_permutation")("""
x = D.shuffle_order(200, 50)
y = D.shuffle_order(200, 50)
out(D.sorted(x))
out(D.same(x, y))
""")

# --- G. Inside tf.function -------------------------------------------------------------------------

scenario("in_function")("""
D.set_seed(3)
@D.function
def f():
    return D.batch_all(D.dataset(12, 5), 12), D.batch_all(D.dataset(12, 5, seed=4), 12), D.uniform([1])
out(f())
out(f())
out(D.shuffle_order(12, 5))
""")

# --- H. Larger inputs ------------------------------------------------------------------------------

scenario("large")("""
out(D.shuffle_order(20000, 1000, seed=1))
out(D.shuffle_order(5000, 5000, seed=2))
out(D.shuffle_order(3000, 100, seed=3, epochs=2))
""")

# --- I. Differential fuzzing: random sizes, seeds and flags ----------------------------------------

_rng = _random.Random(20261207)
for _i in range(6):
    lines = []
    for _j in range(12):
        n = _rng.choice([0, 1, 2, 3, 5, 8, 13, 50, 128, 300])
        b = _rng.choice([1, 2, 3, 4, 7, 16, 64, 100, 1000, 100000])
        seed = _rng.choice([None, 0, 1, 17, 2**31 - 1, 2**33 + 1, _rng.randrange(-2**40, 2**40)])
        reshuffle = _rng.choice([None, True, False])
        epochs = _rng.choice([1, 1, 2, 3])
        lines.append(f"out(D.shuffle_order({n}, {b}, seed={seed}, reshuffle_each_iteration={reshuffle}, epochs={epochs}))")
        if _rng.random() < 0.3:
            lines.append(f"out(D.uniform([{_rng.randrange(1, 4)}]))")
    g = _rng.choice([1, 2, 99, 2**31 + 1])
    SCENARIOS.append((f"fuzz_{_i}", f"D.set_seed({g})\n" + "\n".join(lines) + "\n"))

# --- J. Differential fuzzing of whole programs: passes, partial passes, random ops between --------

_rng = _random.Random(7_2026)
for _i in range(10):
    lines = [f"D.set_seed({_rng.choice([1, 5, 42, 1234, 2**31 - 1, 2**32 + 7])})"]
    names = []
    for _j in range(_rng.randrange(4, 9)):
        kind = _rng.random()
        if kind < 0.35 or not names:
            n = _rng.choice([0, 1, 2, 4, 9, 16, 31, 64, 200, 1000])
            b = _rng.choice([1, 2, 3, 5, 8, 32, 63, 64, 65, 500, 1000, 2000, -2])
            seed = _rng.choice([None, None, 3, 0, 2**31, _rng.randrange(0, 2**40)])
            reshuffle = _rng.choice([None, True, False])
            epochs = _rng.choice([1, 2, 3, -1])
            name = f"d{_j}"
            names.append((name, n, epochs))
            lines.append(f"{name} = D.dataset({n}, {b}, seed={seed}, reshuffle_each_iteration={reshuffle}, epochs={epochs})")
        elif kind < 0.55:
            name, n, epochs = _rng.choice(names)
            if epochs == -1:
                lines.append(f"out(D.take({name}, {_rng.randrange(0, 3 * n + 5)}))")
            else:
                lines.append(f"out(D.elements({name}))")
        elif kind < 0.75:
            name, n, epochs = _rng.choice(names)
            k = _rng.randrange(0, max(1, n * (epochs if epochs > 0 else 2)) + 2)
            lines.append(f"out(D.take({name}, {k}))")
        elif kind < 0.9:
            lines.append(f"out(D.uniform([{_rng.randrange(1, 5)}]))")
        else:
            lines.append(f"out(D.shuffle_order({_rng.choice([3, 10, 100])}, {_rng.choice([1, 4, 50])}))")
    SCENARIOS.append((f"program_fuzz_{_i}", "\n".join(lines) + "\n"))

# --- K. set_seed after a dataset is made; datasets with equal seeds --------------------------------

scenario("set_seed_after_dataset")("""
D.set_seed(10)
ds = D.dataset(14, 5)
ds_fixed = D.dataset(14, 5, reshuffle_each_iteration=False)
D.set_seed(10)
out(D.elements(ds))
out(D.elements(ds_fixed))
out(D.shuffle_order(14, 5))
out(D.elements(ds))
D.set_seed(11)
out(D.elements(ds))
out(D.elements(ds_fixed))
""")

scenario("equal_seeds_independent_generators")("""
a = D.dataset(20, 6, seed=3)
b = D.dataset(20, 6, seed=3)
out(D.elements(a))
out(D.elements(a))
out(D.elements(b))
out(D.elements(a))
out(D.elements(b))
""")

scenario("many_passes")("""
ds = D.dataset(7, 3, seed=12, epochs=2)
for _ in range(6):
    out(D.elements(ds))
""")

_rng = _random.Random(31_2026)
for _i in range(4):
    lines = [f"D.set_seed({_rng.randrange(0, 2**33)})"]
    for _j in range(6):
        n = _rng.randrange(0, 2000)
        b = _rng.choice([1, _rng.randrange(1, 50), _rng.randrange(1, 3000), n + 1, -2])
        seed = _rng.choice([None, _rng.randrange(-2**63, 2**63)])
        lines.append(f"out(D.shuffle_order({n}, {b}, seed={seed}, reshuffle_each_iteration="
                     f"{_rng.choice([None, True, False])}, epochs={_rng.choice([1, 2, 4])}))")
    SCENARIOS.append((f"size_fuzz_{_i}", "\n".join(lines) + "\n"))

# --- L. Passes stopped exactly at epoch boundaries; tensor seeds and sizes; len() ----------------

# TensorFlow's iterator may run a few elements ahead of the caller (asynchronously), so a pass
# stopped just before an epoch's end has or has not started the next epoch, at random (seen at
# 1 and 2 elements before it). From an epoch's last element on it always has: k = 10, 20.
scenario("boundary_takes")("""
for k in (0, 5, 10, 11, 15, 20, 21):
    ds = D.dataset(10, 4, seed=6, epochs=2)
    out(D.take(ds, k))
    out(D.elements(ds))
""")

scenario("tensor_arguments")("""
D.set_seed(2)
out(D.shuffle_order(D.constant(12, D.int64), D.constant(5, D.int64), seed=D.constant(7, D.int64)))
out(D.shuffle_order(12, 5, seed=np.int32(7)))
out(D.shuffle_order(12, np.int32(5), seed=D.constant(2**40, D.int64)))
out(D.shuffle_order(12, 5, seed=D.constant(7, D.int64), epochs=D.constant(2, D.int64)))
""")

scenario("lengths")("""
out(D.length(D.dataset(10, 3, seed=1)))
out(D.length(D.dataset(10, 3, seed=1, epochs=4)))
out(D.length(D.dataset(0, 3, seed=1, epochs=4)))
err(lambda: D.length(D.dataset(10, 3, seed=1, epochs=-1)))
""")

# --- M. More whole programs: set_seed in between, endless repeats, many small passes -------------

_rng = _random.Random(99_2026)
for _i in range(12):
    lines = [f"D.set_seed({_rng.choice([3, 8, 77, 2**31 + 3, 10**12])})"]
    names = []
    for _j in range(_rng.randrange(5, 11)):
        kind = _rng.random()
        if kind < 0.3 or not names:
            n = _rng.choice([0, 1, 3, 6, 10, 25, 128, 257])
            b = _rng.choice([1, 2, 4, 9, 10, 11, 100, 300, -2])
            seed = _rng.choice([None, None, None, 1, 2**32, _rng.randrange(0, 2**31)])
            reshuffle = _rng.choice([None, True, False])
            epochs = _rng.choice([1, 2, 5, -1, None])
            name = f"d{_j}"
            names.append((name, n, epochs))
            lines.append(f"{name} = D.dataset({n}, {b}, seed={seed}, reshuffle_each_iteration={reshuffle}, epochs={epochs})")
        elif kind < 0.6:
            name, n, epochs = _rng.choice(names)
            total = n * (epochs if isinstance(epochs, int) and epochs > 0 else 3)
            lines.append(f"out(D.take({name}, {_rng.choice([0, 1, n, n + 1, total, total + 1, _rng.randrange(0, total + 2)])}))")
        elif kind < 0.7:
            name, n, epochs = _rng.choice(names)
            lines.append(f"it = D.iterator({name})")
            lines.append(f"out(D.next(it, {_rng.randrange(0, 2 * n + 2)}))")
            lines.append(f"out(D.next(it, {_rng.randrange(0, 2 * n + 2)}))")
        elif kind < 0.8:
            lines.append(f"out(D.uniform([{_rng.randrange(1, 4)}]))")
        elif kind < 0.88:
            lines.append(f"out(D.normal([2]))")
        elif kind < 0.94:
            lines.append(f"D.set_seed({_rng.randrange(0, 100)})")
        else:
            lines.append(f"out(D.shuffle_order({_rng.choice([5, 40])}, {_rng.choice([2, 40])}, epochs={_rng.choice([1, 3])}))")
    if _i == 7:  # stops a pass at an epoch's end; TensorFlow's asynchronous read-ahead started
        continue   # one more epoch in one of four runs (the other three agree with compat)
    SCENARIOS.append((f"program_fuzz_b{_i}", "\n".join(lines) + "\n"))

# --- N. Whole passes only, many per program (no partial passes: nothing racy) --------------------

_rng = _random.Random(1207)
for _i in range(8):
    lines = [f"D.set_seed({_rng.randrange(0, 2**40)})"]
    for _j in range(_rng.randrange(4, 9)):
        n = _rng.choice([0, 1, 2, 7, 64, 100, 513, 1500])
        b = _rng.choice([1, 2, 5, 63, 64, 65, 99, 100, 101, 512, 2048, -2])
        seed = _rng.choice([None, None, 0, 7, _rng.randrange(0, 2**62)])
        reshuffle = _rng.choice([None, True, False])
        epochs = _rng.choice([1, 2, 3])
        lines.append(f"d = D.dataset({n}, {b}, seed={seed}, reshuffle_each_iteration={reshuffle}, epochs={epochs})")
        for _p in range(_rng.randrange(1, 4)):
            lines.append("out(D.elements(d))")
        if _rng.random() < 0.4:
            lines.append(f"out(D.uniform([{_rng.randrange(1, 3)}]))")
    SCENARIOS.append((f"passes_fuzz_{_i}", "\n".join(lines) + "\n"))
