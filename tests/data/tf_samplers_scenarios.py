"""Scenarios for the shuffles and candidate samplers (tests/test_shuffle_samplers.py): run by
tests/data/record.py against TensorFlow 2.21 (tests/data/tf_samplers_expected.json) and by
tests/replay.py against compat. Names used: R.stateless_shuffle, R.index_shuffle,
R.stateless_split, R.stateless_fold_in, R.uniform_candidate_sampler,
R.log_uniform_candidate_sampler, R.learned_unigram_candidate_sampler,
R.fixed_unigram_candidate_sampler, R.all_candidate_sampler, R.nn_samplers (tf.nn)."""

SCENARIOS = []


def add(name, code):
    SCENARIOS.append((name, code))


# --- stateless_shuffle ---------------------------------------------------------------------------
add("sshuffle_doc", "out(R.stateless_shuffle(np.array([[1, 2], [3, 4], [5, 6]], np.int32), seed=[8, 9]))")
add("sshuffle_sizes", """
for n in (0, 1, 2, 3, 5, 8, 17, 100, 1000):
    out(R.stateless_shuffle(np.arange(n, dtype=np.int32), seed=[1, 2]))
for seed in ([0, 0], [1, 0], [0, 1], [-1, 5], [2**31 - 1, -2**31], [123456, 654321]):
    out(R.stateless_shuffle(np.arange(10, dtype=np.int32), seed=seed))
out(R.stateless_shuffle(np.arange(24, dtype=np.float32).reshape(6, 4), seed=[3, 4]))
out(R.stateless_shuffle(np.arange(24, dtype=np.float32).reshape(2, 3, 4), seed=[3, 4]))
out(R.stateless_shuffle(np.arange(7, dtype=np.float32), seed=np.array([5, 6], np.int64)))
out(R.stateless_shuffle(np.arange(7, dtype=np.int32), seed=[5, 6], alg="philox"))
out(R.stateless_shuffle(np.float32(3.5), seed=[5, 6]))
""")
add("sshuffle_errors", """
err(lambda: R.stateless_shuffle(np.arange(5, dtype=np.int32), seed=[1, 2, 3]))
err(lambda: R.stateless_shuffle(np.arange(5, dtype=np.int32), seed=[1.5, 2]))
err(lambda: R.stateless_shuffle(np.arange(5, dtype=np.int32), seed=[1, 2], alg="threefry"))
err(lambda: R.stateless_shuffle(np.arange(5, dtype=np.int32), seed=[1, 2]))
""")

# --- index_shuffle -------------------------------------------------------------------------------
add("ishuffle_doc", """
out(R.index_shuffle(np.arange(4, dtype=np.int32), seed=[5, 9], max_index=3))
out(R.index_shuffle(np.arange(10, dtype=np.int64), [5, 8], np.int64(9)))
for i in range(4):
    out(R.index_shuffle(i, [5, 9], 3))
""")
add("ishuffle_sizes", """
for m in (0, 1, 2, 3, 7, 100, 255, 256, 257, 1000, 65535, 65536, 65537, 100000, 2**20, 2**24 + 3):
    out(R.index_shuffle(np.arange(min(m + 1, 64), dtype=np.int32), [7, 11], np.int32(m)))
for seed in ([0, 0], [-1, -1], [2**31 - 1, 12345], [42, 0]):
    out(R.index_shuffle(np.arange(50, dtype=np.int32), seed, np.int32(49)))
""")
add("ishuffle_dtypes", """
out(R.index_shuffle(np.arange(20, dtype=np.uint32), [3, 4], np.uint32(19)))
out(R.index_shuffle(np.arange(20, dtype=np.int64), [3, 4], np.int64(19)))
out(R.index_shuffle(np.arange(20, dtype=np.uint64), [3, 4], np.uint64(19)))
out(R.index_shuffle(np.arange(20, dtype=np.int32), np.array([3, 4], np.int64), np.int32(19)))
out(R.index_shuffle(np.arange(20, dtype=np.int32), np.array([3, 4], np.uint32), np.int32(19)))
out(R.index_shuffle(np.arange(20, dtype=np.int32), np.array([2**40 + 3, -4], np.int64), np.int32(19)))
out(R.index_shuffle(np.array([5, 2**33, 2**40 + 1], np.int64), [1, 2], np.int64(2**41)))
out(R.index_shuffle(np.array([5, 2**33, 2**50 + 1], np.int64), [1, 2], np.int64(2**52 + 7)))
out(R.index_shuffle(np.array([5, 2**62, 17], np.uint64), [1, 2], np.uint64(2**64 - 1)))
out(R.index_shuffle(np.array([5, 2**62, 17], np.int64), [1, 2], np.int64(2**63 - 1)))
out(R.index_shuffle(np.array([0, 1, 2**49], np.int64), [9, 9], np.int64(2**50 + 1)))
out(R.index_shuffle(np.array([0, 1, 2**49], np.int64), [9, 9], np.int64(2**49)))
""")
add("ishuffle_vectorised", """
out(R.index_shuffle(np.arange(6, dtype=np.int32), [1, 2], np.array([5, 10, 100, 1000, 70000, 7], np.int32)))
out(R.index_shuffle(np.int32(2), [1, 2], np.array([5, 10, 100], np.int32)))
out(R.index_shuffle(np.arange(3, dtype=np.int32), [1, 2], np.int32(2)))
out(R.index_shuffle(np.array([0, 5, 3], np.int32), [1, 2], np.int32(5)))
out(R.index_shuffle(np.int32(0), [1, 2], np.int32(0)))
err(lambda: R.index_shuffle(np.array([7, 20, 3], np.int32), [1, 2], np.int32(5)))
err(lambda: R.index_shuffle(np.array([-1, -5], np.int32), [1, 2], np.int32(5)))
err(lambda: R.index_shuffle(np.int32(0), [1, 2], np.int32(-1)))
err(lambda: R.index_shuffle(np.int32(4), np.array([[1, 2]], np.int32), np.int32(9)))
err(lambda: R.index_shuffle(np.int32(3), np.array([[i, 2 * i + 1] for i in range(6)], np.int32), np.int32(9)))
err(lambda: R.index_shuffle(np.int32(3), np.array([1], np.int32), np.int32(9)))
out(R.index_shuffle(np.int32(3), np.array([1, 2], np.int32), np.int32(9)))
""")
add("ishuffle_errors", """
err(lambda: R.index_shuffle(np.arange(4, dtype=np.int32), [1, 2, 3], 3))
err(lambda: R.index_shuffle(np.arange(4, dtype=np.int32), np.ones([3, 2], np.int32), 3))
err(lambda: R.index_shuffle(np.arange(4, dtype=np.int32), [1, 2], np.array([3, 4], np.int32)))
err(lambda: R.index_shuffle(np.arange(4, dtype=np.float32), [1, 2], 3.0))
err(lambda: R.index_shuffle(np.arange(4, dtype=np.int32), [1, 2], np.int64(3)))
err(lambda: R.index_shuffle(np.zeros([2, 2], np.int32), [1, 2], 3))
err(lambda: R.index_shuffle(np.arange(4, dtype=np.int32), [1.0, 2.0], 3))
err(lambda: R.index_shuffle(np.arange(4, dtype=np.int32), [1, 2], 3))
""")
add("stateless_split_fold_in", """
out(R.stateless_split([1, 2], 3))
out(R.stateless_split(np.array([5, 6], np.int64), 2))
out(R.stateless_fold_in([1, 2], 3))
out(R.stateless_fold_in(np.array([1, 2], np.int64), np.int64(2**40)))
""")

# --- candidate samplers --------------------------------------------------------------------------
SAMPLER_CALLS = {
    "uniform": "R.uniform_candidate_sampler({t}, {k}, {n}, {u}, {r}, seed={s})",
    "log_uniform": "R.log_uniform_candidate_sampler({t}, {k}, {n}, {u}, {r}, seed={s})",
    "learned": "R.learned_unigram_candidate_sampler({t}, {k}, {n}, {u}, {r}, seed={s})",
}
for kind, call in SAMPLER_CALLS.items():
    lines = []
    for n, r, u in ((1, 1, True), (1, 10, False), (5, 5, True), (8, 10, True), (8, 10, False), (20, 1000, True),
                    (64, 100, True), (64, 100, False), (100, 2**20, True), (300, 350, True), (7, 3, False)):
        if kind == "learned" and r >= 2**31 - 1:
            continue
        t = "np.array([[0, 1], [2, %d]], np.int64)" % (r - 1) if r > 2 else "np.zeros([2, 2], np.int64)"
        lines.append("out(" + call.format(t=t, k=2, n=n, u=u, r=r, s=11) + ")")
    add(f"sampler_{kind}_sizes", "\n".join(lines))
    add(f"sampler_{kind}_counters", "\n".join([
        "for _ in range(3):",
        "    out(" + call.format(t="[[3]]", k=1, n=6, u=True, r=12, s=5) + ")",
        "out(" + call.format(t="[[3]]", k=1, n=6, u=False, r=12, s=5) + ")",
        "out(" + call.format(t="[[3]]", k=1, n=6, u=True, r=12, s=5) + ")",
        "out(" + call.format(t="[[3], [4]]", k=1, n=6, u=True, r=12, s=5) + ")",
        "out(" + call.format(t="[[3]]", k=1, n=7, u=True, r=12, s=5) + ")",
    ]))
    add(f"sampler_{kind}_global_seed", "\n".join([
        "R.set_seed(1234)",
        "for _ in range(3):",
        "    out(" + call.format(t="[[1, 2]]", k=2, n=5, u=True, r=30, s=None) + ")",
        "out(" + call.format(t="[[1, 2]]", k=2, n=5, u=False, r=30, s=9) + ")",
        "R.set_seed(1234)",
        "out(" + call.format(t="[[1, 2]]", k=2, n=5, u=True, r=30, s=None) + ")",
        "out(" + call.format(t="[[1, 2]]", k=2, n=5, u=False, r=30, s=9) + ")",
    ]))
    add(f"sampler_{kind}_big_range", "\n".join([
        "out(" + call.format(t="[[0]]", k=1, n=50, u=False, r=2**31 - 2 if kind != "learned" else 2**20 + 7, s=3) + ")",
        "out(" + call.format(t="[[0]]", k=1, n=50, u=True, r=1000003, s=3) + ")",
    ] + (["out(" + call.format(t="[[0]]", k=1, n=50, u=False, r=2**62 + 12345, s=3) + ")",
          "out(" + call.format(t="[[0]]", k=1, n=50, u=True, r=3 * 2**61, s=4) + ")"] if kind != "learned" else [])))
    add(f"sampler_{kind}_errors", "\n".join([
        "err(lambda: " + call.format(t="[[1, 2]]", k=1, n=3, u=False, r=10, s=1) + ")",
        "err(lambda: " + call.format(t="[1, 2]", k=1, n=3, u=False, r=10, s=1) + ")",
        "err(lambda: " + call.format(t="[[10]]", k=1, n=3, u=False, r=10, s=1) + ")",
        "err(lambda: " + call.format(t="[[-1]]", k=1, n=3, u=False, r=10, s=1) + ")",
        "err(lambda: " + call.format(t="[[1]]", k=1, n=11, u=True, r=10, s=1) + ")",
        "err(lambda: " + call.format(t="[[0]]", k=1, n=3, u=False, r=0, s=1) + ")",
        "err(lambda: " + call.format(t="[[1]]", k=1, n=10, u=True, r=10, s=1) + ")",
        "out(" + call.format(t="[[1]]", k=1, n=4, u=True, r=10, s=1) + ")",
    ]))
add("sampler_learned_state", """
for _ in range(4):
    out(R.learned_unigram_candidate_sampler([[2, 2, 2], [1, 2, 3]], 3, 6, True, 8, seed=21))
out(R.learned_unigram_candidate_sampler([[2, 2, 2], [1, 2, 3]], 3, 6, False, 8, seed=21))
out(R.learned_unigram_candidate_sampler([[2, 2, 2], [1, 2, 3]], 3, 6, True, 8, seed=21))
out(R.learned_unigram_candidate_sampler([[0, 0, 0]], 3, 6, True, 8, seed=22))
R.set_seed(5)
out(R.learned_unigram_candidate_sampler([[2, 2, 2], [1, 2, 3]], 3, 6, True, 8, seed=21))
out(R.learned_unigram_candidate_sampler([[2, 2, 2], [1, 2, 3]], 3, 6, True, 8, seed=21))
for _ in range(30):
    out(R.learned_unigram_candidate_sampler([[7, 7, 7, 7, 7]], 5, 3, False, 8, seed=23))
""")
add("sampler_fixed", """
w = [1.0, 2.0, 3.0, 4.0, 0.5, 0.0, 10.0, 0.25]
for u in (True, False):
    out(R.fixed_unigram_candidate_sampler([[0, 6]], 2, 5, u, 8, unigrams=w, seed=2))
out(R.fixed_unigram_candidate_sampler([[0, 6]], 2, 5, True, 8, unigrams=w, seed=2))
out(R.fixed_unigram_candidate_sampler([[0, 6]], 2, 5, True, 8, unigrams=w, distortion=0.75, seed=2))
out(R.fixed_unigram_candidate_sampler([[0, 6]], 2, 5, True, 8, unigrams=w, distortion=0.0, seed=2))
out(R.fixed_unigram_candidate_sampler([[0, 6]], 2, 5, True, 8, unigrams=w, distortion=2.5, seed=2))
out(R.fixed_unigram_candidate_sampler([[0, 9]], 2, 5, True, 10, unigrams=w, num_reserved_ids=2, seed=2))
out(R.fixed_unigram_candidate_sampler([[0, 3]], 2, 3, True, 4, unigrams=w, num_shards=2, shard=1, seed=2))
out(R.fixed_unigram_candidate_sampler([[0, 4]], 2, 3, False, 6, unigrams=w, num_reserved_ids=3, num_shards=2,
                                      shard=0, seed=2))
err(lambda: R.fixed_unigram_candidate_sampler([[0, 4]], 2, 3, False, 5, unigrams=w, num_reserved_ids=3, num_shards=2,
                                              shard=0, seed=2))
out(R.fixed_unigram_candidate_sampler([[1]], 1, 40, False, 100, unigrams=[float((i * 37) % 11) + 0.1 for i in range(100)],
                                      distortion=0.5, seed=8))
out(R.fixed_unigram_candidate_sampler([[1]], 1, 60, True, 100, unigrams=[1.0 / (i + 1) for i in range(100)], seed=8))
R.set_seed(77)
out(R.fixed_unigram_candidate_sampler([[0, 6]], 2, 5, True, 8, unigrams=w))
out(R.fixed_unigram_candidate_sampler([[0, 6]], 2, 5, True, 8, unigrams=w))
""")
add("sampler_fixed_errors", """
err(lambda: R.fixed_unigram_candidate_sampler([[0]], 1, 2, False, 8, seed=2))
err(lambda: R.fixed_unigram_candidate_sampler([[0]], 1, 2, False, 7, unigrams=[1.0] * 8, seed=2))
err(lambda: R.fixed_unigram_candidate_sampler([[8]], 1, 2, False, 8, unigrams=[1.0] * 8, seed=2))
err(lambda: R.fixed_unigram_candidate_sampler([[0]], 1, 9, True, 8, unigrams=[1.0] * 8, seed=2))
out(R.fixed_unigram_candidate_sampler([[0]], 1, 8, True, 8, unigrams=[1.0] * 8, seed=2))
""")
add("sampler_all", """
out(R.all_candidate_sampler([[1, 2]], 2, 5, True, seed=1))
out(R.all_candidate_sampler([[1], [4]], 1, 5, False))
out(R.all_candidate_sampler(np.array([[0]], np.int64), 1, 1, False, seed=3))
err(lambda: R.all_candidate_sampler([[5]], 1, 5, True, seed=1))
""")
add("sampler_nn_spellings", """
out(R.nn_samplers.learned_unigram_candidate_sampler([[1]], 1, 3, True, 6, seed=4))
out(R.nn_samplers.fixed_unigram_candidate_sampler([[1]], 1, 3, True, 4, unigrams=[1.0, 1.0, 2.0, 5.0], seed=4))
out(R.nn_samplers.all_candidate_sampler([[1]], 1, 3, True, seed=4))
""")
add("sampler_shared_seed_kernels", """
R.set_seed(3)
out(R.uniform_candidate_sampler([[1]], 1, 4, True, 50, seed=1))
out(R.log_uniform_candidate_sampler([[1]], 1, 4, True, 50, seed=1))
out(R.uniform_candidate_sampler([[1]], 1, 4, True, 50, seed=1))
out(R.uniform_candidate_sampler([[1]], 1, 4, True, 51, seed=1))
out(R.uniform_candidate_sampler([[1]], 1, 4, True, 50, seed=1))
out(R.uniform([2], seed=1))
""")

# --- inside compat.function / tf.function --------------------------------------------------------
add("function_shuffles", """
@R.function
def f(x, seed):
    return R.stateless_shuffle(x, seed), R.index_shuffle(np.arange(10, dtype=np.int32), seed, np.int32(9))
out(f(np.arange(12, dtype=np.float32), np.array([4, 5], np.int32)))
out(f(np.arange(12, dtype=np.float32), np.array([6, 7], np.int32)))

@R.function
def g(m):
    return R.index_shuffle(np.arange(5, dtype=np.int32), [1, 2], m)
out(g(np.int32(4)))
out(g(np.int32(70000)))
out(g(np.int32(5)))
""")
add("function_samplers", """
R.set_seed(9)
@R.function
def f():
    return (R.uniform_candidate_sampler([[1]], 1, 5, True, 20),
            R.log_uniform_candidate_sampler([[1]], 1, 5, False, 20, seed=3),
            R.fixed_unigram_candidate_sampler([[1]], 1, 3, True, 4, unigrams=[1.0, 1.0, 2.0, 5.0], seed=4),
            R.all_candidate_sampler([[1]], 1, 3, True, seed=4))
for _ in range(2):
    for t in f():
        out(t)
""")
