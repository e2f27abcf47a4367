"""Throughput of the gamma and Poisson ops: keyrng (compat under compat.function, i.e. one jitted
call) against TensorFlow's CPU kernels under tf.function.

    python benchmarks/bench_gamma.py            # keyrng side (this interpreter)
    /path/to/tf/python benchmarks/bench_gamma.py  # TensorFlow side (an interpreter with TensorFlow)

Each prints one line per case: `case size seconds-per-call values-per-second`. The cases draw
`size` values: gamma with alpha 0.5 (the boost path), 2.0 and 1.0 (the exponential), Poisson with
rate 3 (Knuth) and 100 (Hormann), and the stateless forms with alpha 2 / rate 100. Medians of
interleaved rounds (benchmarks/_timing.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import interleaved_medians  # noqa: E402

SIZES = (10_000, 100_000)
CASES = (("gamma a=0.5", "gamma", 0.5), ("gamma a=2", "gamma", 2.0), ("gamma a=1", "gamma", 1.0),
         ("poisson lam=3", "poisson", 3.0), ("poisson lam=100", "poisson", 100.0),
         ("stateless_gamma a=2", "stateless_gamma", 2.0), ("stateless_poisson lam=100", "stateless_poisson", 100.0))


def _calls_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    tf.random.set_seed(1)
    ops = {"gamma": lambda n, p: tf.random.gamma([n], p),
           "poisson": lambda n, p: tf.random.poisson([n], p),
           "stateless_gamma": lambda n, p: tf.random.stateless_gamma([n], [1, 2], p),
           "stateless_poisson": lambda n, p: tf.random.stateless_poisson([n], [1, 2], p)}
    calls = {}
    for size in SIZES:
        for case, op, parameter in CASES:
            fill = tf.function(lambda op=ops[op], size=size, parameter=parameter: op(size, parameter))
            calls[(case, size)] = lambda fill=fill: fill().numpy()
    return f"tensorflow {tf.__version__}", calls


def _calls_keyrng():
    import jax

    import compat

    compat.set_seed(1)
    ops = {"gamma": lambda n, p: compat.gamma([n], p),
           "poisson": lambda n, p: compat.poisson([n], p),
           "stateless_gamma": lambda n, p: compat.stateless_gamma([n], [1, 2], p),
           "stateless_poisson": lambda n, p: compat.stateless_poisson([n], [1, 2], p)}
    calls = {}
    for size in SIZES:
        for case, op, parameter in CASES:
            fill = compat.function(lambda op=ops[op], size=size, parameter=parameter: op(size, parameter))
            calls[(case, size)] = lambda fill=fill: jax.block_until_ready(fill())
    return f"jax {jax.__version__}", calls


def main() -> None:
    try:
        import tensorflow  # noqa: F401
        name, calls = _calls_tensorflow()
    except ImportError:
        name, calls = _calls_keyrng()
    seconds = interleaved_medians(calls, repeats=int(os.environ.get("REPEATS", "7")))
    print(name)
    for (case, size), value in seconds.items():
        print(f"{case:28s} {size:7d} {value * 1e3:9.2f} ms {size / value / 1e6:8.2f} M/s")


if __name__ == "__main__":
    main()
