"""Per-call times of the shuffles and candidate samplers: compat (keyrng) against TensorFlow.

    .venv/bin/python benchmarks/samplers.py            # compat
    /path/to/tf/python benchmarks/samplers.py --tf     # TensorFlow 2.21, the same calls

Each case is timed after a warm-up call (compile excluded), median of several runs, in ms.
"""

import statistics
import sys
import time

import numpy as np

USE_TF = "--tf" in sys.argv
if USE_TF:
    import tensorflow as tf
    R = tf.random
    E = tf.random.experimental
else:
    import compat
    R = compat
    E = compat.experimental


def block(x):
    for item in (x if isinstance(x, tuple) else (x,)):
        np.asarray(item)


CASES = {
    "stateless_shuffle 10k": lambda: E.stateless_shuffle(np.arange(10_000, dtype=np.int32), seed=[1, 2]),
    "index_shuffle 100k": lambda: E.index_shuffle(np.arange(100_000, dtype=np.int32), [1, 2], np.int32(99_999)),
    "uniform_candidate_sampler 1000 unique": lambda: R.uniform_candidate_sampler(
        np.zeros([64, 1], np.int64), 1, 1000, True, 100_000, seed=1),
    "log_uniform_candidate_sampler 1000 unique": lambda: R.log_uniform_candidate_sampler(
        np.zeros([64, 1], np.int64), 1, 1000, True, 100_000, seed=1),
    "fixed_unigram_candidate_sampler 1000": lambda: R.fixed_unigram_candidate_sampler(
        np.zeros([64, 1], np.int64), 1, 1000, False, 1000, unigrams=[1.0 + i % 7 for i in range(1000)], seed=1),
    "learned_unigram_candidate_sampler 1000": lambda: R.learned_unigram_candidate_sampler(
        np.zeros([64, 1], np.int64), 1, 1000, False, 100_000, seed=1),
}

for name, call in CASES.items():
    block(call())
    times = []
    for _ in range(7):
        start = time.perf_counter()
        block(call())
        times.append((time.perf_counter() - start) * 1e3)
    print(f"{'tensorflow' if USE_TF else 'compat':10s} {name:45s} {statistics.median(times):9.3f} ms")
