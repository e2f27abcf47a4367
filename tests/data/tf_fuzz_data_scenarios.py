"""Randomised tf.data programs (differential fuzzing against TensorFlow 2.21; recorded by
tf_data_record.py into tf_fuzz_data_expected.json, replayed by tests/test_fuzz_data.py with
compat.data). The names in scope are tf_data_record.py's `D`.

Each program makes several datasets -- `shuffle` (buffer sizes 1..n+5 and -2, every seed form,
reshuffle_each_iteration None/True/False, `repeat` epochs), `Dataset.random` and
`sample_from_datasets` (weights lists, arrays, tensors; stop_on_empty_dataset; endless inputs) --
under a global seed or none, and then iterates them: whole passes, partial passes, iterators of
several datasets alive at once (interleaved `next` calls), `tf.random` ops, rejected calls and
`set_seed` between them, and a few datasets consumed inside `D.function`.

Where TensorFlow's own result changes from run to run, the generator does not go (each was found
by this fuzzing: TensorFlow's iterator runs ahead of the caller on a prefetch thread, and an
epoch it starts early draws from the dataset's seed generator early; docs/fuzz_data.md):
- a shuffle pass is never left within eight elements of an epoch's end (5 was seen to start the
  next epoch), nor within eight elements of n - b for a buffer b over n elements (its input runs
  out there);
- a `Dataset.random` or `sample_from_datasets` pass is never left before its end, and asks for
  its end (their prefetch runs far ahead; at the end of a pass RepeatDataset makes one more input
  iterator, a draw);
- a dataset with a live iterator gets no other pass or iterator (the idle iterator may run into
  its next epoch at any time).
Batch 1 (before these rules were all known) and batch 2 (wider: rejected calls, endless shuffles,
sizes up to 600) and batch 3 (a fresh seed) share the generator. Generated from a fixed Python
seed per batch: the file always makes the same scenarios.
"""

import random as _random

BATCH = 1  # rebound per batch below
_r = _random.Random(0)
WIDE = False  # batch 2 on: rejected calls among the valid ones, endless shuffles, larger sizes
SCENARIOS = []


def _seed():
    return _r.choice([None, None, 0, 1, _r.randrange(100), 2**31 - 1, 2**31, _r.randrange(2**31, 2**62),
                      -_r.randrange(1, 2**31)])


def _shuffle(n):
    b = _r.choice([1, 2, _r.randint(1, n + 5), _r.randint(1, n + 5), n, n + 1, -2]) if n > 0 else _r.choice([1, 3])
    b = max(b, 1) if b != -2 else b
    reshuffle = _r.choice([None, True, False])
    epochs = _r.choice([1, 1, 2, 3, 4] + ([-1] if WIDE and n > 0 else []))
    return (f"D.dataset({n}, {b}, seed={_seed()}, reshuffle_each_iteration={reshuffle}, epochs={epochs})", n, epochs,
            "shuffle", n if b == -2 else min(b, n))


def _random_ds():
    n = _r.choice([0, 1, 2, 3, 5, 8, 17, 40])
    flag = _r.choice([None, False, True])
    epochs = _r.choice([1, 2, 3])
    return f"D.random_dataset({n}, seed={_seed()}, rerandomize_each_iteration={flag}, epochs={epochs})", n, epochs, "random", 0


def _weights(k):
    form = _r.choice(["none", "list", "list", "array64", "tensor32", "tensor64"])
    w = [round(_r.choice([_r.uniform(0.01, 3.0), _r.uniform(0.01, 3.0), 1.0, 0.5]), 4) for _ in range(k)]
    if form == "none":
        return "None"
    if form == "list":
        if _r.random() < 0.2 and k > 2:
            w[_r.randrange(k)] = 0.0  # a dropped input (Python's `weight > 0` filter)
        return repr(w)
    if form == "array64":
        return f"np.array({w!r}, np.float64)"
    return f"D.tensor({w!r}, D.float{form[-2:]})"


def _sample():
    k = _r.randint(1, 4)
    endless = _r.random() < 0.2
    lengths = [-1 if endless and _r.random() < 0.5 else _r.randint(0, 12) for _ in range(k)]
    weights = _weights(k)
    if "0.0" in weights and any(n < 0 for n in lengths):
        weights = "None"
    stop = _r.choice([False, False, True])
    flag = _r.choice([None, False, True])
    epochs = _r.choice([1, 1, 2, 3])
    src = (f"D.sample_dataset({lengths}, weights={weights}, seed={_seed()}, stop_on_empty_dataset={stop}, "
           f"rerandomize_each_iteration={flag}, epochs={epochs})")
    if any(n < 0 for n in lengths):
        if all(n < 0 for n in lengths):
            return src, None, epochs, "sample_endless", 0
        return None  # (a pass ends when a finite input runs out: see _safe_stop)
    return src, (None if stop else sum(lengths)), epochs, "sample", 0


def _safe_stop(kind, n, epochs, start, want, b=0):
    """Where a pass may stop: not within eight elements before an epoch's end, nor, for a shuffle of
    buffer b, within eight elements of n - b (where its input runs out and the fused
    ShuffleAndRepeat may start the next epoch's input early); a `Dataset.random` or
    `sample_from_datasets` pass only at its end (TensorFlow's prefetch runs far ahead of those
    cheap datasets: 7 and 13 elements before an epoch's end were seen to start the next epoch, or
    to reach the end of the pass, where RepeatDataset makes one more input iterator, a draw);
    None when no such point is in reach."""
    if n is None:
        return start + want if kind == "sample_endless" else None
    total = n * epochs if epochs > 0 else None
    for k in range(start + want, min(start + want + 2 * n + 8, total if total is not None else 10**9) + 1):
        if k == start:
            return k
        if k == total:  # (a random / sample pass asks for its end: a take of exactly its length races)
            return total + 1 if kind in ("random", "sample") else total
        if kind in ("random", "sample"):
            continue
        r = k % n if n else 0
        if n and (r >= n - 8 or (r == 0 and kind != "shuffle") or (kind == "shuffle" and abs(r - (n - b)) <= 8)):
            continue
        return k
    if total is not None and kind in ("random", "sample"):
        return total + 1
    return total  # the end of a finite pass is always safe; an endless one: None


# Calls TensorFlow refuses (some after drawing the op seed: the seed accounting is compared too).
_REJECTED = ["D.dataset(10, 0)", "D.dataset(10, -1)", "D.dataset(10, -3, seed=4)", "D.dataset(10, 1.5)",
             "D.dataset(10, None)", "D.dataset(10, 3, seed=1.5)", "D.dataset(10, 3, seed=[1, 2])",
             "D.dataset(1.5, 3)", "D.dataset(10, 3, epochs=1.5)", "D.shuffle_order(10, 3, epochs=0)",
             "D.shuffle_order(10, 3, seed=2, epochs=-2)", "D.dataset(10, 3, reshuffle_each_iteration=1)",
             "D.dataset(10, 3, reshuffle_each_iteration='yes')", "D.shuffle_order(8, 3, seed=np.float64(1.5))",
             "D.random_dataset(3, rerandomize_each_iteration=1)", "D.random_dataset(3, seed=1.5)",
             "D.random_dataset(3, seed=2**63)", "D.random_dataset(3, rerandomize_each_iteration=np.bool_(True))",
             "D.sample_dataset([3, 3], weights=[1.0])", "D.sample_dataset([3, 3], weights=[1, 2])",
             "D.sample_dataset([3, 3], weights=D.tensor([1, 2], D.int32))", "D.sample_dataset([3, 3], seed=1.5)",
             "D.sample_dataset([3, 3], rerandomize_each_iteration=1)", "D.sample_dataset([])",
             "D.sample_dataset([3, 3], weights=D.tensor([1.0, 2.0, 3.0], D.float32))"]


def _program(index):
    g = _r.choice([None, 0, 1, 42, _r.randrange(2**31), _r.randrange(2**31, 2**40)])
    lines = [] if g is None else [f"D.set_seed({g})"]
    datasets = []  # (name, n, epochs, kind, shuffle buffer)
    iterators = []  # (name, dataset tuple, position)
    # A dataset with a live iterator gets no other pass: that iterator may have run ahead (on
    # TensorFlow's prefetch thread) into its next epoch, a seed generator draw, at any time.
    busy = set()

    def free():
        return [d for d in datasets if d[0] not in busy]
    for j in range(_r.randint(10, 20)):
        u = _r.random()
        if u < 0.3 or not datasets:
            maker = _r.choice([_shuffle, _shuffle, _random_ds, _sample])
            sizes = [0, 1, 2, 3, 5, 9, 16, 33, 64, 150] + ([_r.randint(1, 600), _r.randint(1, 40)] if WIDE else [])
            made = maker(_r.choice(sizes)) if maker is _shuffle else maker()
            if made is None:
                continue
            src, n, epochs, kind, b = made
            if g is None and "seed=None" in src:
                src = src.replace("seed=None", f"seed={_r.randrange(1000)}")  # OS entropy otherwise
            name = f"d{j}"
            lines.append(f"{name} = {src}")
            datasets.append((name, n, epochs, kind, b))
        elif u < 0.45:
            if not free():
                continue
            name, n, epochs, kind, b = _r.choice(free())
            if kind == "sample_endless":
                lines.append(f"out(D.take({name}, {_r.randint(0, 40)}))")
            elif epochs == -1:
                k = _safe_stop(kind, n, epochs, 0, _r.randint(0, 3 * n + 3), b)
                if k is not None:
                    lines.append(f"out(D.take({name}, {k}))")
            else:
                lines.append(f"out(D.elements({name}))")
        elif u < 0.6:
            if not free():
                continue
            ds = _r.choice(free())
            name, n, epochs, kind, b = ds
            if n is None and kind != "sample_endless":
                continue
            k = _safe_stop(kind, n, epochs, 0, _r.randint(0, (n or 20) * abs(epochs) + 3), b)
            if k is not None:
                lines.append(f"out(D.take({name}, {k}))")
        elif u < 0.75:
            if not free():
                continue
            ds = _r.choice(free())
            if ds[1] is None and ds[3] != "sample_endless":
                continue
            busy.add(ds[0])
            it = f"i{j}"
            lines.append(f"{it} = D.iterator({ds[0]})")
            iterators.append([it, ds, 0])
        elif u < 0.85 and iterators:
            entry = _r.choice(iterators)
            it, (name, n, epochs, kind, b), at = entry
            k = _safe_stop(kind, n, epochs, at, _r.randint(0, (n or 10) + 2), b)
            if k is None:
                continue
            lines.append(f"out(D.next({it}, {k - at}))")
            entry[2] = k
        elif u < 0.93:
            unseeded = g is not None or _r.random() < 0.5
            lines.append(f"out(D.uniform([{_r.randint(1, 3)}]))" if unseeded and g is not None
                         else f"out(D.uniform([2], seed={_r.randrange(100)}))")  # (no seed at all: OS entropy)
        elif u < 0.96 or not WIDE:
            if g is not None or _r.random() < 0.5:
                g = _r.choice([0, 7, _r.randrange(2**31)])
                lines.append(f"D.set_seed({g})")
        else:
            lines.append(f"err(lambda: {_r.choice(_REJECTED)})")
    # Finish each live iterator's pass where that is safe, so its end is compared too.
    for it, (name, n, epochs, kind, b), at in iterators:
        if n is not None and epochs > 0 and _r.random() < 0.5:
            lines.append(f"out(D.next({it}, {n * epochs - at + 2}))")
    return "\n".join(lines) + "\n"


def _batch(number):
    global BATCH, WIDE, _r
    BATCH, WIDE = number, number >= 2
    _r = _random.Random(9_2026_1207 + BATCH)
    for i in range(36):
        SCENARIOS.append((f"data_fuzz_{BATCH}_{i}", _program(i)))
    # Datasets consumed inside a function: the trace's op seeds, every call the same order.
    for i in range(4):
        g = _r.choice([1, 5, _r.randrange(2**31)])
        n = _r.choice([3, 7, 12, 20])
        b = _r.randint(1, n + 3)
        seed = _r.choice([None, _r.randrange(100)])
        reshuffle = _r.choice([None, True, False])
        e = _r.choice([1, 2])
        SCENARIOS.append((f"data_fuzz_fn_{BATCH}_{i}", f"""D.set_seed({g})
out(D.uniform([1]))
@D.function
def f():
    return D.batch_all(D.dataset({n}, {b}, seed={seed}, reshuffle_each_iteration={reshuffle}, epochs={e}), {n * e}), D.uniform([2])
out(f())
out(f())
out(D.shuffle_order({n}, {b}))
out(f())
"""))


for _number in (1, 2, 3):
    _batch(_number)
