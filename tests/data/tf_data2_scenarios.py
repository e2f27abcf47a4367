# Scenarios for tf.data.Dataset.random and tf.data.Dataset.sample_from_datasets (compat.data),
# recorded with TensorFlow 2.21.0 (CPU) by tf_data_record.py into tf_data2_expected.json; the names
# in scope are listed there (D.random_dataset, D.random, D.sample_dataset, D.sample, D.tensor).
import random as _random

SCENARIOS = []


def scenario(name):
    def add(src):
        SCENARIOS.append((name, src))
    return add


# --- A. Dataset.random: op seeds, counts, flags ------------------------------------------------------

scenario("random_op_seeds")("""
for s in [0, 1, 2, 5, 42, 2**31 - 1, 2**31, 2**40 + 7, -1, -3, True, np.int64(9), np.int32(9)]:
    out(D.random(9, seed=s))
    out(D.random(9, seed=s, rerandomize_each_iteration=False))
    out(D.random(9, seed=s, rerandomize_each_iteration=True))
""")

scenario("random_counts")("""
for n in [0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 1000, 4099]:
    out(D.random(n, seed=11))
    out(D.random(n, seed=11, rerandomize_each_iteration=True))
""")

scenario("random_global_only")("""
D.set_seed(1)
out(D.random(5))
out(D.random(5))
out(D.uniform([2]))
out(D.random(5, rerandomize_each_iteration=True))
out(D.random(5, seed=3))
out(D.random(5))
""")

scenario("random_global_and_op")("""
D.set_seed(7)
out(D.random(6, seed=0))
out(D.random(6, seed=3))
out(D.random(6, seed=3, rerandomize_each_iteration=True))
D.set_seed(2**40)
out(D.random(6, seed=3))
""")

scenario("random_shares_op_seeds_with_shuffle")("""
D.set_seed(5)
out(D.uniform([1]))
out(D.random(4))
out(D.shuffle_order(6, 2))
out(D.random(4, rerandomize_each_iteration=True))
out(D.normal([1]))
""")

for _r in (None, False, True):
    scenario(f"random_epochs_{_r}")(f"""
out(D.random(6, seed=3, rerandomize_each_iteration={_r}, epochs=3))
out(D.random(1, seed=3, rerandomize_each_iteration={_r}, epochs=5))
out(D.random(0, seed=3, rerandomize_each_iteration={_r}, epochs=4))
out(D.random(4, seed=3, rerandomize_each_iteration={_r}, epochs=0))
out(D.take(D.random_dataset(3, seed=3, rerandomize_each_iteration={_r}, epochs=-1), 14))
out(D.take(D.random_dataset(3, seed=3, rerandomize_each_iteration={_r}, epochs=None), 14))
D.set_seed(4)
out(D.random(4, rerandomize_each_iteration={_r}, epochs=2))
""")

scenario("random_iterate_twice")("""
for r in (None, False, True):
    ds = D.random_dataset(5, seed=3, rerandomize_each_iteration=r)
    out(D.elements(ds))
    out(D.elements(ds))
    out(D.take(ds, 2))
    out(D.elements(ds))
""")

scenario("random_partial_passes_epochs")("""
ds = D.random_dataset(4, seed=8, rerandomize_each_iteration=True, epochs=3)
out(D.take(ds, 4))
out(D.take(ds, 5))
out(D.take(ds, 0))
out(D.take(ds, 12))
out(D.elements(ds))
ds = D.random_dataset(4, seed=8, rerandomize_each_iteration=True, epochs=3)
it1 = D.iterator(ds)
it2 = D.iterator(ds)
out(D.next(it1, 3))
out(D.next(it2, 6))
out(D.next(it1, 20))
out(D.next(it2, 20))
""")

scenario("random_endless")("""
for r in (None, False, True):
    ds = D.random_dataset(None, seed=12, rerandomize_each_iteration=r)
    out(D.take(ds, 10))
    out(D.take(ds, 7))
    it = D.iterator(ds)
    out(D.next(it, 3))
    out(D.next(it, 1500))
""")

scenario("random_flag_forms")("""
D.set_seed(3)
err(lambda: D.random_dataset(3, rerandomize_each_iteration=1))
out(D.random(3))
err(lambda: D.random_dataset(3, rerandomize_each_iteration="yes"))
out(D.random(3))
out(D.random(3, rerandomize_each_iteration=0))
err(lambda: D.random_dataset(3, rerandomize_each_iteration=np.bool_(True)))
out(D.random(3))
out(D.random(3, rerandomize_each_iteration=""))
out(D.random(3))
""")

scenario("random_errors_seed")("""
err(lambda: D.random_dataset(3, seed=1.5))
err(lambda: D.random_dataset(3, seed="a"))
err(lambda: D.random_dataset(3, seed=[1, 2]))
err(lambda: D.random_dataset(3, seed=2**63))
out(D.random(3, seed=np.float64(4.0)))
out(D.random(3, seed=-2**63))
""")

scenario("random_determinism_needs_seed")("""
D.enable_op_determinism()
err(lambda: D.random_dataset(3))
out(D.random(3, seed=1))
D.set_seed(2)
out(D.random(3))
""")

scenario("random_in_function")("""
D.set_seed(3)
@D.function
def f():
    return D.batch_all(D.random_dataset(5), 5), D.batch_all(D.random_dataset(5, seed=4), 5), D.uniform([1])
out(f())
out(f())
out(D.random(5))
""")

scenario("random_large")("""
out(D.random(70000, seed=21))
out(D.random(20000, seed=21, rerandomize_each_iteration=True, epochs=2))
""")

# --- B. sample_from_datasets ------------------------------------------------------------------------

scenario("sample_uniform")("""
for lengths in [[5, 5], [3, 7], [10, 0, 4], [1, 1, 1, 1], [0, 0], [20, 20, 20, 20, 20], [6]]:
    out(D.sample(lengths, seed=4))
    out(D.sample(lengths, seed=4, stop_on_empty_dataset=True))
""")

scenario("sample_weights_list")("""
for lengths, w in [([8, 8], [0.5, 0.5]), ([8, 8], [0.9, 0.1]), ([8, 8], [3.0, 1.0]),
                   ([10, 10, 10], [0.2, 0.3, 0.5]), ([10, 10, 10], [0.1, 10.0, 100.0]),
                   ([5, 6, 7, 8, 9, 10, 11], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]),
                   ([4, 4], [1.0, 1e-3]), ([12, 12], [0.25, 0.75])]:
    out(D.sample(lengths, weights=w, seed=9))
    out(D.sample(lengths, weights=w, seed=9, stop_on_empty_dataset=True))
""")

scenario("sample_weights_zero_and_negative")("""
D.set_seed(6)
out(D.sample([4, 5, 6], weights=[0.0, 1.0, 2.0], seed=1))
out(D.sample([4, 5, 6], weights=[0.5, -1.0, 0.5], seed=1))
out(D.sample([4, 5, 6], weights=[0.0, 1.0, 0.0]))
out(D.sample([4, 5, 6], weights=[0.0, 0.0, 0.0]))
out(D.sample([4, 5, 6], weights=[float("nan"), 1.0, 1.0], seed=2))
out(D.sample([4, 5, 6]))
out(D.random(3))
""")

scenario("sample_weights_numpy")("""
out(D.sample([6, 6, 6], weights=np.array([0.2, 0.3, 0.5]), seed=3))
out(D.sample([6, 6, 6], weights=np.array([0.2, 0.3, 0.5], np.float32), seed=3))
out(D.sample([6, 6, 6], weights=[np.float64(0.2), 0.3, 0.5], seed=3))
out(D.sample([6, 6], weights=(1, 2.0), seed=3))
out(D.sample([6, 6, 6, 6], weights=[1.0, 2.0, 3.0, 4.0], seed=3))
""")

scenario("sample_weights_tensor")("""
out(D.sample([6, 6, 6], weights=D.tensor([0.2, 0.3, 0.5], D.float32), seed=3))
out(D.sample([6, 6, 6], weights=D.tensor([0.0, 0.3, 0.5], D.float32), seed=3, stop_on_empty_dataset=True))
out(D.take(D.sample_dataset([6, 6, 6], weights=D.tensor([0.0, 0.3, 0.5], D.float32), seed=3), 12))
out(D.sample([6, 6, 6], weights=D.tensor([0.2, 0.3, 0.5], D.float64), seed=3))
out(D.sample([6], weights=D.tensor([0.5], D.float32), seed=3))
""")

scenario("sample_errors")("""
D.set_seed(1)
err(lambda: D.sample_dataset([], seed=1))
err(lambda: D.sample_dataset([3, 3], weights=[1.0], seed=1))
err(lambda: D.sample_dataset([3, 3], weights=[1, 2], seed=1))
err(lambda: D.sample_dataset([3, 3], weights=[0, 2], seed=1))
err(lambda: D.sample_dataset([3, 3], weights=D.tensor([1.0, 2.0, 3.0], D.float32), seed=1))
err(lambda: D.sample_dataset([3, 3], weights=D.tensor([1, 2], D.int32), seed=1))
err(lambda: D.sample_dataset([3, 3], seed=1.5))
out(D.random(3))
err(lambda: D.sample_dataset([3, 3], rerandomize_each_iteration=1))
out(D.random(3))
""")

scenario("sample_global_only")("""
D.set_seed(2)
out(D.sample([5, 5]))
out(D.sample([5, 5]))
out(D.uniform([1]))
out(D.sample([5, 5], rerandomize_each_iteration=True))
out(D.sample([5, 5], seed=5))
out(D.random(3))
""")

scenario("sample_endless")("""
out(D.take(D.sample_dataset([-1, -1], seed=2), 50))
out(D.take(D.sample_dataset([-1, -1, -1], weights=[0.1, 0.2, 0.7], seed=2), 50))
out(D.take(D.sample_dataset([-1, 3], seed=2), 50))
out(D.sample([-1, 3], seed=2, stop_on_empty_dataset=True))
out(D.take(D.sample_dataset([-1], seed=2), 5))
""")

for _r in (None, False, True):
    scenario(f"sample_epochs_{_r}")(f"""
out(D.sample([3, 4], seed=5, rerandomize_each_iteration={_r}, epochs=3))
ds = D.sample_dataset([3, 4, 2], seed=5, rerandomize_each_iteration={_r})
out(D.elements(ds))
out(D.elements(ds))
out(D.take(ds, 2))
out(D.elements(ds))
ds = D.sample_dataset([3, 4, 2], seed=5, rerandomize_each_iteration={_r}, stop_on_empty_dataset=True, epochs=2)
out(D.elements(ds))
out(D.elements(ds))
""")

scenario("sample_in_function")("""
D.set_seed(3)
@D.function
def f():
    return D.batch_all(D.sample_dataset([4, 4]), 8), D.batch_all(D.sample_dataset([4, 4], seed=4), 8), D.uniform([1])
out(f())
out(f())
out(D.sample([4, 4]))
""")

scenario("sample_large")("""
out(D.sample([3000, 2000, 1000], seed=13))
out(D.sample([3000, 2000, 1000], weights=[0.6, 0.3, 0.1], seed=13, stop_on_empty_dataset=True))
""")

# --- C. Differential fuzzing: random lengths, weights, seeds and flags -------------------------------

_rng = _random.Random(20261207 + 2)
for _i in range(6):
    lines = []
    for _j in range(10):
        k = _rng.choice([2, 2, 3, 4, 5, 7])
        lengths = [_rng.choice([0, 1, 2, 5, 9, 20]) for _ in range(k)]
        weights = _rng.choice([None, "list", "list", "tensor"])
        if weights == "list":
            weights = repr([_rng.choice([0.0, 0.01, 0.1, 0.5, 1.0, 2.5, 7.0]) for _ in range(k)])
        elif weights == "tensor":
            weights = "D.tensor(%r, D.float32)" % [_rng.choice([0.01, 0.1, 0.5, 1.0, 2.5]) for _ in range(k)]
        seed = _rng.choice([None, 0, 1, 17, 2**33 + 5, -4])
        stop = _rng.choice([False, True])
        rer = _rng.choice([None, False, True])
        epochs = _rng.choice([1, 1, 2])
        lines.append(f"out(D.sample({lengths}, weights={weights}, seed={seed}, "
                     f"stop_on_empty_dataset={stop}, rerandomize_each_iteration={rer}, epochs={epochs}))")
        n = _rng.choice([0, 1, 3, 17, 100])
        lines.append(f"out(D.random({n}, seed={seed}, rerandomize_each_iteration={rer}, epochs={epochs}))")
    scenario(f"fuzz_{_i}")("D.set_seed(%d)\n" % _rng.randrange(2**31) + "\n".join(lines) + "\n")

# --- D. rejection_resample ---------------------------------------------------------------------------

_rng = _random.Random(77)
_L3 = [_rng.choice([0, 1, 1, 2, 2, 2, 2, 2]) for _ in range(150)]
_L2 = [_rng.choice([0, 1, 1, 1, 1]) for _ in range(120)]

scenario("resample_given_mixing")(f"""
labels = {_L3}
out(D.resample(labels, [0.4, 0.4, 0.2], [0.125, 0.25, 0.625], seed=3))
out(D.resample(labels, [0.4, 0.4, 0.2], [0.125, 0.25, 0.625], seed=4))
out(D.resample(labels, [0.2, 0.3, 0.5], [0.3, 0.3, 0.4], seed=3))
out(D.resample(labels[:40], [1.0, 1.0, 1.0], [0.1, 0.2, 0.7], seed=3))
""")

scenario("resample_given_filter_only")(f"""
labels = {_L3}
out(D.resample(labels, [0.0, 0.5, 0.5], [0.125, 0.25, 0.625], seed=3))
out(D.resample(labels, [0.0, 0.9, 0.1], [0.125, 0.25, 0.625], seed=5))
out(D.resample(labels, [0.0, 0.9, 0.1], [0.125, 0.25, 0.625], seed=5, epochs=2))
""")

scenario("resample_given_no_randomness")(f"""
labels = {_L3}
out(D.resample(labels[:30], [0.125, 0.25, 0.625], [0.125, 0.25, 0.625], seed=3))
out(D.resample(labels[:30], [0.5, 0.5, 0.0], [0.0, 0.5, 0.5], seed=3))
""")

scenario("resample_estimated")(f"""
out(D.resample({_L2}, [0.5, 0.5], seed=3))
out(D.resample({_L3}, [0.3, 0.3, 0.4], seed=8))
out(D.resample({_L3}[:70], [0.3, 0.3, 0.4], seed=8))
""")

scenario("resample_seed_rules")(f"""
labels = {_L3}
D.set_seed(5)
out(D.resample(labels, [0.4, 0.4, 0.2], [0.125, 0.25, 0.625], seed=3))
out(D.resample(labels, [0.0, 0.5, 0.5], [0.125, 0.25, 0.625], seed=3))
out(D.resample({_L2}, [0.5, 0.5], seed=3))
out(D.random(3))
""")

scenario("resample_global_seed_only")(f"""
labels = {_L3}
D.set_seed(5)
out(D.resample(labels, [0.4, 0.4, 0.2], [0.125, 0.25, 0.625]))
out(D.resample(labels, [0.0, 0.5, 0.5], [0.125, 0.25, 0.625]))
out(D.random(3))
""")

scenario("resample_iterate_twice")(f"""
labels = {_L3}
for target, initial in (([0.4, 0.4, 0.2], [0.125, 0.25, 0.625]), ([0.0, 0.5, 0.5], [0.125, 0.25, 0.625]),
                        ([0.3, 0.3, 0.4], None)):
    ds = D.resample_dataset(labels, target, initial, seed=3)
    out(D.elements(ds))
    out(D.elements(ds))
    out(D.take(ds, 5))
    out(D.elements(ds))
""")

# --- E. Differential fuzzing of rejection_resample: random labels, distributions and seeds -----------

_rng = _random.Random(4242)
for _i in range(4):
    lines = ["D.set_seed(%d)" % _rng.randrange(2**31)]
    for _j in range(6):
        k = _rng.choice([2, 3, 4])
        n = _rng.choice([1, 5, 31, 32, 33, 64, 100])
        labels = [_rng.randrange(k) for _ in range(n)]
        target = [_rng.choice([0.0, 0.1, 0.25, 0.5, 1.0]) for _ in range(k)]
        if not any(target):
            target[0] = 1.0
        initial = _rng.choice([None, [_rng.choice([0.05, 0.1, 0.3, 0.5, 0.9]) for _ in range(k)]])
        seed = _rng.choice([None, 0, 3, 2**33 + 1])
        epochs = _rng.choice([1, 1, 2]) if initial is not None and min(
            t / i for t, i in zip(target, initial)) == 0 else 1
        lines.append(f"out(D.resample({labels}, {target}, {initial}, seed={seed}, epochs={epochs}))")
    scenario(f"fuzz_resample_{_i}")("\n".join(lines) + "\n")

# --- F. Differential fuzzing of sample_from_datasets' weights: dtypes, NumPy arrays, tensors ---------

_rng = _random.Random(9090)
for _i in range(3):
    lines = ["D.set_seed(%d)" % _rng.randrange(2**31)]
    for _j in range(10):
        k = _rng.choice([2, 3, 5, 7])
        lengths = [_rng.choice([0, 1, 4, 15, 40]) for _ in range(k)]
        w = [_rng.choice([0.0, 0.01, 0.07, 0.5, 1.0, 3.0]) for _ in range(k)]
        form = _rng.choice(["list", "f64", "f32", "tensor32", "tensor64"])
        if form == "list":
            weights = repr(w)
        elif form == "f64":
            weights = f"np.array({w!r}, np.float64)"
        elif form == "f32":
            weights = f"np.array({w!r}, np.float32)"
        else:
            w = [max(v, 0.01) for v in w]  # a zero Tensor weight may never end the pass
            weights = f"D.tensor({w!r}, D.float{form[-2:]})"
        if form.startswith("tensor") and k > 3 and form == "tensor64":
            weights = f"D.tensor({w[:3]!r}, D.float64)"
            lengths = lengths[:3]
        seed = _rng.choice([None, 5, 2**40 + 3])
        stop = _rng.choice([False, True])
        lines.append(f"out(D.sample({lengths}, weights={weights}, seed={seed}, stop_on_empty_dataset={stop}))")
    scenario(f"fuzz_weights_{_i}")("\n".join(lines) + "\n")

# --- G. sample_from_datasets with a weights dataset (one weight vector per selection) ----------------

_rng = _random.Random(5151)
_ROWS2 = [[_rng.choice([0.0, 0.1, 0.5, 1.0, 2.0]) or 0.3, _rng.choice([0.1, 0.5, 1.0, 2.0])] for _ in range(40)]
_ROWS3 = [[_rng.choice([0.1, 0.5, 1.0, 2.0]) for _ in range(3)] for _ in range(60)]

scenario("sample_weights_dataset")(f"""
rows2, rows3 = {_ROWS2}, {_ROWS3}
out(D.sample([30, 30], weights=D.weights_dataset(rows2, D.float32), seed=4))
out(D.sample([5, 30], weights=D.weights_dataset(rows2, D.float32), seed=4))
out(D.sample([5, 30], weights=D.weights_dataset(rows2, D.float32), seed=4, stop_on_empty_dataset=True))
out(D.sample([-1, -1], weights=D.weights_dataset(rows2, D.float64), seed=4))
out(D.sample([10, 10, 10], weights=D.weights_dataset(rows3, D.float32), seed=7))
out(D.sample([-1, 3, -1], weights=D.weights_dataset(rows3, D.float64), seed=7, stop_on_empty_dataset=True))
out(D.sample([-1], weights=D.weights_dataset([[1.0]] * 7, D.float32), seed=7))
out(D.sample([3, 3], weights=D.weights_dataset(np.zeros((0, 2)), D.float32), seed=7))
out(D.sample([20, 20], weights=D.weights_dataset(rows2[:12], D.float32), seed=4, epochs=2))
D.set_seed(3)
out(D.sample([20, 20], weights=D.weights_dataset(rows2, D.float32)))
out(D.sample([20, 20], weights=D.weights_dataset(rows2, D.float32), rerandomize_each_iteration=True, epochs=2))
out(D.random(3))
""")

# --- H. Long weight vectors: TensorFlow's Log runs Eigen's packet logarithm on whole SIMD packets ------

_rng = _random.Random(6262)
_W = [[_rng.choice([0.013, 0.07, 0.31, 0.5, 0.77, 1.0, 2.9, 7.0]) for _ in range(k)] for k in (8, 9, 12, 17)]
scenario("sample_long_weights")(f"""
for w in {_W}:
    n = len(w)
    out(D.sample([6] * n, weights=w, seed=11))
    out(D.sample([6] * n, weights=np.array(w, np.float64), seed=11))
    out(D.sample([6] * n, weights=D.tensor(w, D.float32), seed=11, stop_on_empty_dataset=True))
    out(D.sample([6] * n, weights=D.tensor(w, D.float64), seed=11, stop_on_empty_dataset=True))
    out(D.sample([-1] * n, weights=D.weights_dataset([w, w[::-1]] * 30, D.float32), seed=11))
    out(D.sample([-1] * n, weights=D.weights_dataset([w, w[::-1]] * 30, D.float64), seed=11))
out(D.take(D.sample_dataset([-1] * 8, weights={_W[0]}, seed=2), 3000))
""")
