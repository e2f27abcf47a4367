"""Scenarios for the candidate samplers, second set (tests/test_samplers2.py): the learned unigram
sampler inside functions (its kernel keeps learned weights per node), `set_seed` and the learned
weights, `fixed_unigram_candidate_sampler(vocab_file=...)` on files the scenario writes (TensorFlow's
CSV parsing and its errors), and randomised scenarios of all five samplers (repeated calls, global
and op seeds, inside functions). Recorded by tests/data/record.py with TensorFlow 2.21 into
tests/data/tf_samplers2_expected.json; replayed by tests/replay.py against compat. Names used:
R.set_seed, R.function and the five R.*_candidate_sampler."""

import random

SCENARIOS = []


def add(name, code):
    SCENARIOS.append((name, code))


# --- learned_unigram_candidate_sampler inside a function ----------------------------------------
add("learned_fn_same_function_called_again", """
@R.function
def f():
    return R.learned_unigram_candidate_sampler([[2, 2, 2], [1, 2, 3]], 3, 6, True, 8, seed=21)
for _ in range(5):
    out(f())
""")
add("learned_fn_two_nodes", """
def out_all(results):
    for result in results:
        out(result)
@R.function
def f():
    a = R.learned_unigram_candidate_sampler([[4, 4]], 2, 5, False, 6, seed=3)
    b = R.learned_unigram_candidate_sampler([[4, 4]], 2, 5, False, 6, seed=3)
    c = R.learned_unigram_candidate_sampler([[0, 1]], 2, 5, False, 6, seed=3)
    return a, b, c
for _ in range(4):
    out_all(f())
""")
add("learned_fn_eager_mixing", """
@R.function
def f():
    return R.learned_unigram_candidate_sampler([[5, 5, 5]], 3, 4, False, 7, seed=9)
out(R.learned_unigram_candidate_sampler([[5, 5, 5]], 3, 4, False, 7, seed=9))
out(f())
out(R.learned_unigram_candidate_sampler([[5, 5, 5]], 3, 4, False, 7, seed=9))
out(f())
out(R.learned_unigram_candidate_sampler([[1, 1, 1]], 3, 4, False, 7, seed=9))
out(f())
out(R.learned_unigram_candidate_sampler([[5, 5, 5]], 3, 4, False, 7, seed=9))
""")
add("learned_fn_retrace", """
@R.function
def f(n):
    return R.learned_unigram_candidate_sampler([[3, 3]], 2, n, False, 6, seed=4)
out(f(3))
out(f(3))
out(f(4))
out(f(3))
out(f(4))
out(R.tracing_count(f))
""")
add("learned_fn_global_seed_and_set_seed", """
def out_all(results):
    for result in results:
        out(result)
R.set_seed(17)
@R.function
def f():
    return (R.learned_unigram_candidate_sampler([[1, 1]], 2, 4, True, 5),
            R.learned_unigram_candidate_sampler([[2, 3]], 2, 4, False, 5),
            R.learned_unigram_candidate_sampler([[1, 1]], 2, 4, True, 5, seed=2))
out_all(f())
out_all(f())
out_all(f())
R.set_seed(17)
out_all(f())
out_all(f())
R.set_seed(18)
out_all(f())
""")
add("learned_eager_set_seed", """
R.set_seed(3)
for _ in range(3):
    out(R.learned_unigram_candidate_sampler([[2, 2]], 2, 4, False, 5, seed=7))
R.set_seed(3)
for _ in range(2):
    out(R.learned_unigram_candidate_sampler([[2, 2]], 2, 4, False, 5, seed=7))
R.set_seed(4)
out(R.learned_unigram_candidate_sampler([[2, 2]], 2, 4, False, 5, seed=7))
R.set_seed(3)
out(R.learned_unigram_candidate_sampler([[2, 2]], 2, 4, False, 5))
out(R.learned_unigram_candidate_sampler([[2, 2]], 2, 4, False, 5))
""")
add("learned_eager_batch_shapes_share_the_kernel", """
out(R.learned_unigram_candidate_sampler([[2, 2]], 2, 4, False, 5, seed=7))
out(R.learned_unigram_candidate_sampler([[1, 2], [3, 4], [4, 4]], 2, 4, False, 5, seed=7))
out(R.learned_unigram_candidate_sampler(np.array([[0, 0]], np.int64), 2, 4, False, 5, seed=7))
out(R.learned_unigram_candidate_sampler([[2, 2]], 2, 4, True, 5, seed=7))
out(R.learned_unigram_candidate_sampler([[2, 2]], 2, 4, False, 5, seed=7))
""")
add("learned_fn_many_calls", """
@R.function
def f():
    return R.learned_unigram_candidate_sampler([[0, 1, 1, 1]], 4, 3, False, 10, seed=5)
for _ in range(25):
    out(f())
""")
add("learned_fn_other_samplers_beside", """
def out_all(results):
    for result in results:
        out(result)
R.set_seed(2)
@R.function
def f():
    return (R.uniform_candidate_sampler([[1]], 1, 3, True, 9),
            R.learned_unigram_candidate_sampler([[1]], 1, 3, True, 9),
            R.log_uniform_candidate_sampler([[1]], 1, 3, True, 9),
            R.learned_unigram_candidate_sampler([[1]], 1, 3, True, 9))
for _ in range(3):
    out_all(f())
out(R.learned_unigram_candidate_sampler([[1]], 1, 3, True, 9))
""")
add("learned_fn_errors", """
@R.function
def f():
    return R.learned_unigram_candidate_sampler([[9]], 1, 3, True, 9, seed=1)
err(f)
@R.function
def g():
    return R.learned_unigram_candidate_sampler([[1]], 1, 10, True, 9, seed=1)
err(g)
""")

# --- fixed_unigram_candidate_sampler(vocab_file=...) -----------------------------------------------
_VOCAB = '''
import os, tempfile
_dir = tempfile.mkdtemp()
_count = [0]
def vocab(data):
    _count[0] += 1
    path = os.path.join(_dir, "vocab%d.csv" % _count[0])
    with open(path, "wb") as f:
        f.write(data)
    return path
def fixed(path, n, range_max, unique=False, true=((0,),), **kw):
    return R.fixed_unigram_candidate_sampler([list(t) for t in true], len(true[0]), n, unique, range_max,
                                             vocab_file=path, **kw)
'''
add("vocab_basic", _VOCAB + """
p = vocab(b"the,100\\nof,50\\nand,30\\nto,29\\na,10.5\\nin,3\\n")
out(fixed(p, 8, 6, seed=1))
out(fixed(p, 8, 6, seed=1))
out(fixed(p, 5, 6, True, true=((0, 5), (1, 2)), seed=1))
out(fixed(p, 8, 6, distortion=0.75, seed=1))
out(fixed(p, 8, 6, distortion=0.0, seed=1))
out(fixed(p, 8, 8, num_reserved_ids=2, true=((0, 7),), seed=1))
out(fixed(p, 8, 3, num_shards=2, shard=0, seed=1))
out(fixed(p, 8, 3, num_shards=2, shard=1, seed=1))
out(fixed(p, 8, 4, num_reserved_ids=3, num_shards=2, shard=1, seed=1))
out(fixed(p, 8, 5, num_reserved_ids=3, num_shards=2, shard=0, seed=1))
""")
add("vocab_line_forms", _VOCAB + """
forms = [b"a,1\\nb,3\\n", b"a,1\\nb,3", b"a,1\\r\\nb,3\\r\\n", b"a,1\\n\\nb,3\\n", b"a,1\\r\\n\\r\\nb,3\\n", b"1\\n3\\n",
         b" 1 \\n3\\t\\n", b"a,0x10\\nb,3\\n", b"a,1e1\\nb,3\\n", b"a,.5\\nb,3\\n", b"a,5.\\nb,3\\n", b"a,+1\\nb,3\\n",
         b"a,b,c,2.5\\nb,3\\n", b"a,1e-50\\nb,3\\n", b"a,0.1\\nb,0.2\\n", b"a,1\\nb,3\\n\\n\\n", b"x,y,1\\x0b\\nb,3\\x0c\\n",
         b"a,1" + b"0" * 40 + b"\\nb,1" + b"0" * 39 + b"\\n", b"a,0x1p-2\\nb,3\\n", b"a,3.4028235e38\\nb,1e38\\n",
         b'"a,b",2\\n"c",7\\n', b"\\xc3\\xa9,4\\n\\xe2\\x82\\xac,5\\n"]
for data in forms:
    out(fixed(vocab(data), 6, 2, seed=3))
""")
add("vocab_special_values", _VOCAB + """
for data in (b"a,-1\\nb,3\\n", b"a,0\\nb,3\\n", b"a,0\\nb,0\\n", b"a,inf\\nb,3\\n", b"a,nan\\nb,3\\n",
             b"a,INF\\nb,3\\n", b"a,infinity\\nb,3\\n", b"a,-inf\\nb,3\\n", b"a,1e50\\nb,3\\n"):
    out(fixed(vocab(data), 6, 2, seed=3))
""")
add("vocab_errors", _VOCAB + """
err(lambda: fixed(vocab(b"a,1\\nb,3x\\n"), 4, 2, seed=3))
err(lambda: fixed(vocab(b"a,1,\\nb,3\\n"), 4, 2, seed=3))
err(lambda: fixed(vocab(b"a,\\nb,3\\n"), 4, 2, seed=3))
err(lambda: fixed(vocab(b"a,1 2\\nb,3\\n"), 4, 2, seed=3))
err(lambda: fixed(vocab(b"a,  \\nb,3\\n"), 4, 2, seed=3))
err(lambda: fixed(vocab(b"a,1\\x00\\nb,3\\n"), 4, 2, seed=3))
err(lambda: fixed(vocab(b"a;1\\nb,3\\n"), 4, 2, seed=3))
err(lambda: fixed(vocab(b"a,1\\n \\nb,3\\n"), 4, 3, seed=3))
err(lambda: fixed(vocab(b"a,1\\rb,3\\n"), 4, 2, seed=3))
err(lambda: fixed(vocab(b"a,1\\nb,3\\n"), 4, 3, seed=3))
err(lambda: fixed(vocab(b""), 4, 1, seed=3))
err(lambda: fixed(vocab(b"\\n"), 4, 1, seed=3))
err(lambda: fixed(_dir + "/missing.csv", 4, 2, seed=3))
err(lambda: fixed(_dir, 4, 2, seed=3))
err(lambda: R.fixed_unigram_candidate_sampler([[0]], 1, 4, False, 2, vocab_file=vocab(b"a,1\\nb,3\\n"),
                                              unigrams=[1.0, 3.0], seed=3))
out(fixed(vocab(b"a,1\\nb,x\\nc,5\\n"), 4, 2, num_shards=2, shard=0, seed=3))
err(lambda: fixed(vocab(b"a,1\\nb,x\\nc,5\\n"), 4, 1, num_shards=2, shard=1, seed=3))
out(fixed(vocab(b"a,1\\nb,3\\n"), 4, 2, seed=3))
""")
add("vocab_kernel_keeps_the_file", _VOCAB + """
p = vocab(b"a,1\\nb,3\\nc,5\\n")
out(fixed(p, 6, 3, seed=4))
with open(p, "wb") as f:
    f.write(b"a,5\\nb,1\\nc,1\\n")
out(fixed(p, 6, 3, seed=4))
out(fixed(p, 6, 3, seed=5))
out(fixed(p, 6, 3, seed=4))
R.set_seed(1)
out(fixed(p, 6, 3, seed=4))
""")
add("vocab_global_seed_and_function", _VOCAB + """
p = vocab(b"w0,4\\nw1,1\\nw2,2\\nw3,8\\nw4,0.5\\n")
R.set_seed(123)
out(fixed(p, 4, 5, True))
out(fixed(p, 4, 5, True))
@R.function
def f():
    return fixed(p, 4, 5, True), fixed(p, 6, 5, False, distortion=0.5, seed=2)
for _ in range(3):
    for result in f():
        out(result)
""")
add("vocab_larger_file", _VOCAB + """
lines = b"".join(b"word%d,%d\\n" % (i, (i * 7919) % 1000 + 1) for i in range(500))
p = vocab(lines)
out(fixed(p, 40, 500, True, true=((1, 2, 3), (499, 0, 7)), seed=11))
out(fixed(p, 40, 500, False, true=((1, 2, 3),), distortion=0.75, seed=11))
out(fixed(p, 40, 166, False, num_shards=3, shard=2, num_reserved_ids=1, seed=11))
err(lambda: fixed(p, 40, 167, False, num_shards=3, shard=2, num_reserved_ids=1, seed=11))
out(fixed(p, 40, 169, False, num_shards=3, shard=0, num_reserved_ids=4, true=((1,),), seed=11))
""")

# --- randomised: all five samplers, repeated calls, seeds, functions ------------------------------
_rng = random.Random(1207)
_KINDS = ("uniform", "log_uniform", "learned", "fixed", "all")


def _call(kind, t, k, n, u, r, s, w, d):
    seed = f", seed={s}" if s is not None else ""
    if kind == "uniform":
        return f"R.uniform_candidate_sampler({t}, {k}, {n}, {u}, {r}{seed})"
    if kind == "log_uniform":
        return f"R.log_uniform_candidate_sampler({t}, {k}, {n}, {u}, {r}{seed})"
    if kind == "learned":
        return f"R.learned_unigram_candidate_sampler({t}, {k}, {n}, {u}, {r}{seed})"
    if kind == "fixed":
        return f"R.fixed_unigram_candidate_sampler({t}, {k}, {n}, {u}, {r}, unigrams={w}, distortion={d}{seed})"
    return f"R.all_candidate_sampler({t}, {k}, {n}, {u}{seed})"


def _random_call(kind):
    r = _rng.choice([1, 2, 5, 13, 50, 100, 777, 4096, 65537, 10**6])
    if kind == "fixed":
        r = min(r, 200)
    k = _rng.randint(1, 3)
    batch = _rng.randint(1, 4)
    u = _rng.random() < 0.5
    n = _rng.randint(1, min(r, 120) if u else 150)
    if kind == "all":
        r = n
    t = [[_rng.randrange(r) for _ in range(k)] for _ in range(batch)]
    s = _rng.choice([None, None, _rng.randrange(0, 2**31), 1, 5])
    w = [round(_rng.random() * 10, 2) for _ in range(r)] if kind == "fixed" else None
    d = _rng.choice([1.0, 0.75, 0.5, 2.0])
    return _call(kind, t, k, n, u, r, s, w, d), s


for number in range(40):
    kinds = [_KINDS[number % 5]] + [_rng.choice(_KINDS) for _ in range(_rng.randint(0, 2))]
    lines = [f"R.set_seed({_rng.randrange(0, 2**31)})"]
    calls = []
    for kind in kinds:
        call, seed = _random_call(kind)
        calls.append(call)
    in_function = number % 3 == 0
    if in_function:
        lines.append("def out_all(results):")
        lines.append("    for result in results:")
        lines.append("        out(result)")
        lines.append("@R.function")
        lines.append("def f():")
        lines.append("    return (" + ", ".join(calls) + ",)")
        for _ in range(_rng.randint(1, 3)):
            lines.append("out_all(f())")
        if _rng.random() < 0.5:
            lines.append(f"R.set_seed({_rng.randrange(0, 2**31)})")
            lines.append("out_all(f())")
    else:
        for _ in range(_rng.randint(1, 3)):
            for call in calls:
                lines.append(f"out({call})")
        if _rng.random() < 0.4:
            lines.append("R.set_seed(%d)" % _rng.randrange(0, 2**31))
            lines.append(f"out({calls[0]})")
    add(f"fuzz2_{_KINDS[number % 5]}_{number}", "\n".join(lines))

# --- true classes as an argument of the function (traced) -----------------------------------------
add("function_true_classes_argument", """
R.set_seed(8)
@R.function
def f(true):
    return (R.uniform_candidate_sampler(true, 2, 4, True, 10),
            R.log_uniform_candidate_sampler(true, 2, 5, False, 50, seed=3),
            R.fixed_unigram_candidate_sampler(true, 2, 3, True, 10, unigrams=[float(i % 4 + 1) for i in range(10)]))
for true in ([[1, 2]], [[3, 9], [0, 0]], [[1, 2]], [[7, 7], [5, 5], [2, 4]]):
    for result in f(np.array(true, np.int64)):
        out(result)
@R.function
def g(true):
    return R.all_candidate_sampler(true, 2, 3, False, seed=1)
out(g(np.array([[1, 2]], np.int64)))
out(g(np.array([[0, 0], [2, 1]], np.int64)))
""")

# --- tf-style (record.py --list TF_SCENARIOS --style tf): a learned sampler in a loop body ---------
# Recorded into tests/data/tf_samplers2_loops_expected.json; ported by hand in tests/test_samplers2.py.
TF_SCENARIOS = [("learned_in_a_loop", """
@tf.function
def f(n):
    total = tf.zeros([4], tf.int64)
    for i in tf.range(n):
        total = total * 10 + tf.random.learned_unigram_candidate_sampler([[3, 3]], 2, 4, False, 6, seed=2)[0]
    return total
out(f(tf.constant(3)))
out(f(tf.constant(2)))
out(f(tf.constant(4)))
tf.random.set_seed(5)
out(f(tf.constant(2)))
""")]

# --- randomised vocabulary files (number forms, line ends, empty lines, shards, reserved ids) -------
_vocab_rng = random.Random(4242)


def _weight_text(rng):
    form = rng.randrange(9)
    value = rng.random() * 10 ** rng.randint(-3, 5)
    if form == 0:
        return str(rng.randint(0, 2**24 + 5))
    if form == 1:
        return repr(round(value, rng.randint(0, 9)))
    if form == 2:
        return "%.*e" % (rng.randint(0, 12), value)
    if form == 3:
        return " " * rng.randint(0, 2) + str(rng.randint(1, 999)) + "\t" * rng.randint(0, 1)
    if form == 4:
        return "+%.7g" % value
    if form == 5:
        return float(value).hex()
    if form == 6:
        return "%.20f" % value
    if form == 7:
        return str(rng.randint(10**8, 10**12))
    return "%.9g" % (value / 7)


for number in range(8):
    rows = []
    for i in range(_vocab_rng.randint(1, 60)):
        fields = ["tok%d" % i] * _vocab_rng.randint(0, 2)
        line = ",".join(fields + [_weight_text(_vocab_rng)])
        rows.append(line + _vocab_rng.choice(["\n", "\n", "\r\n"]))
        if _vocab_rng.random() < 0.1:
            rows.append("\n")
    data = "".join(rows)
    if _vocab_rng.random() < 0.3:
        data = data.rstrip("\n")
    count = sum(1 for line in data.split("\n") if line.rstrip("\r"))
    num_shards = _vocab_rng.choice([1, 1, 2, 3])
    shard = _vocab_rng.randrange(num_shards)
    reserved = _vocab_rng.choice([0, 0, 1, 4])
    start = sum(1 for i in range(reserved) if i % num_shards == shard)
    range_max = start + sum(1 for i in range(count) if (start + i) % num_shards == shard)
    if range_max == 0:
        num_shards, shard, range_max = 1, 0, reserved + count
    distortion = _vocab_rng.choice([1.0, 0.75, 0.5, 0.0, 1.7])
    calls = []
    for _ in range(_vocab_rng.randint(1, 3)):
        n = _vocab_rng.randint(1, 40)
        # unique only with equal weights: with weights far apart a unique draw takes millions of
        # tries, seconds in TensorFlow's C++ but minutes in the host kernel's Python loop
        unique = _vocab_rng.random() < 0.3 and n <= range_max and distortion == 0.0
        true = [[_vocab_rng.randrange(range_max)]]
        calls.append(f"out(fixed(p, {n}, {range_max}, {unique}, true={tuple(map(tuple, true))}, "
                     f"distortion={distortion}, num_reserved_ids={reserved}, num_shards={num_shards}, "
                     f"shard={shard}, seed=7))")
    add(f"fuzz2_vocab_{number}", _VOCAB + f"p = vocab({data.encode()!r})\n" + "\n".join(calls))
