"""All benchmarks side by side, in one process: `python benchmarks/run.py [repeats]`.

(a) Throughput of TensorFlow-exact float32 fills (`keyrng.uniform` / `normal` /
    `truncated_normal` on a Philox key, under `jax.jit`) at 2^20 and 2^24 values, against
    `jax.random` with threefry keys in the same process, and against TensorFlow's `tf.function`
    when TensorFlow is importable here or KEYRNG_TF_PYTHON names an interpreter that has it.
(a') The machine's limits beside them: Philox words per second of a words-only kernel, a big
    copy's bandwidth, and a 2^24 fill into a fresh buffer against a donated one (page faults)
    (benchmarks/bench_limits.py); `python benchmarks/run.py 15 fills` runs (a) and (a') alone.
(b) Eager per-call time of `compat.uniform([1])` with an op seed and with only a global seed,
    against jax eager `jax.random.uniform(key, [1])` and TensorFlow eager.
(c) `compat.function`'s step time against the same step written with explicit keyrng keys
    (benchmarks/bench_function.py).
(d) Time to the first number: the first eager call of new shapes (1 to 10^6 values), compat
    against jax eager and TensorFlow eager, and compat for every dtype
    (benchmarks/bench_first_call.py: interleaved rounds, a pause before each timed call).
(e) The wider surface (gamma, poisson, binomial, shuffles, samplers, tf.image), each op compiled on
    both sides, compat against TensorFlow (benchmarks/bench_ops.py).
(f) tf.data's randomness: one pass's order from `compat.data` (shuffle, Dataset.random,
    sample_from_datasets, rejection_resample) against TensorFlow running the same pipeline
    (benchmarks/bench_data.py).

Every figure is a median over `repeats` interleaved rounds after a warm-up; compare the ratios,
which come from one run on one machine. No figure here is asserted anywhere.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import jax  # noqa: E402

import compat  # noqa: E402
import keyrng  # noqa: E402
from _timing import interleaved_medians, per_call_medians  # noqa: E402

import bench_tensorflow  # noqa: E402

SIZES = (2**20, 2**24)
KINDS = ("uniform", "normal", "truncated_normal")


def _jax_fill(kind: str, size: int):
    if kind == "uniform":
        return jax.jit(lambda key: jax.random.uniform(key, (size,)))
    if kind == "normal":
        return jax.jit(lambda key: jax.random.normal(key, (size,)))
    return jax.jit(lambda key: jax.random.truncated_normal(key, -2.0, 2.0, (size,)))


def throughput(repeats: int) -> dict:
    """Seconds per fill, ours and jax threefry's: {(kind, size): {"keyrng": s, "jax": s}}."""
    philox = keyrng.tf_key(87654321, 1)
    threefry = jax.random.key(1)
    calls = {}
    for size in SIZES:
        for kind in KINDS:
            ours = jax.jit(lambda key, kind=kind, size=size: getattr(keyrng, kind)(key, [size]))
            theirs = _jax_fill(kind, size)
            calls[(kind, size, "keyrng")] = lambda f=ours: f(philox).block_until_ready()
            calls[(kind, size, "jax")] = lambda f=theirs: f(threefry).block_until_ready()
    seconds = interleaved_medians(calls, repeats)
    return {(kind, size): {who: seconds[(kind, size, who)] for who in ("keyrng", "jax")}
            for size in SIZES for kind in KINDS}


def eager(repeats: int) -> dict:
    """Seconds per eager call of `uniform([1])`: compat with an op seed / a global seed, jax."""
    compat.reset()
    compat.set_seed(1)
    threefry = jax.random.key(1)
    block = jax.block_until_ready
    return per_call_medians({
        "compat_op_seed": (lambda: compat.uniform([1], seed=1), block),
        "compat_global_seed": (lambda: compat.uniform([1]), block),
        "jax": (lambda: jax.random.uniform(threefry, (1,)), block),
    }, repeats)


def _rate(seconds: float, size: int) -> str:
    return f"{size / seconds / 1e9:7.3f}"


def main(argv: list[str]) -> None:
    repeats = int(argv[1]) if len(argv) > 1 else 15
    if len(argv) > 2 and argv[2] == "first-call":  # section (d) alone
        first_call(max(1, repeats // 3))
        return
    fills_only = len(argv) > 2 and argv[2] == "fills"  # section (a) and the machine's limits alone
    print(f"keyrng benchmarks: jax {jax.__version__}, {jax.devices()[0].platform}, "
          f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), "
          f"load average {os.getloadavg()[0]:.1f}; medians of {repeats} interleaved rounds")
    tensorflow = bench_tensorflow.run(SIZES, repeats, repeats)
    if tensorflow is None:
        print("TensorFlow: not measured (not importable here, and KEYRNG_TF_PYTHON is not set)")
    else:
        print(f"TensorFlow {tensorflow['version']}: measured in the same run")

    fills = throughput(repeats)
    print("\n(a) float32 fills, G values/s (ratio = keyrng / other)")
    header = f"{'':24s}{'keyrng':>8s}{'jax':>8s}{'ratio':>8s}"
    if tensorflow:
        header += f"{'TF':>8s}{'ratio':>8s}"
    print(header)
    for size in SIZES:
        for kind in KINDS:
            row = fills[(kind, size)]
            line = (f"{kind + f' 2^{size.bit_length() - 1}':24s}{_rate(row['keyrng'], size):>8s}"
                    f"{_rate(row['jax'], size):>8s}{row['jax'] / row['keyrng']:8.2f}")
            if tensorflow:
                tf_seconds = tensorflow["fills"][f"{kind}/{size}"]
                line += f"{_rate(tf_seconds, size):>8s}{tf_seconds / row['keyrng']:8.2f}"
            print(line)
    print("\n(a') the machine's limits: Philox words/s, copy bandwidth, fresh against donated output "
          "(benchmarks/bench_limits.py)")
    import bench_limits
    bench_limits.report(bench_limits.measure(repeats))
    if fills_only:
        return

    calls = eager(repeats)
    print("\n(b) eager uniform([1]), microseconds per call (ratio = compat / other)")
    jax_us = calls["jax"] * 1e6
    for name, label, tf_name in (("compat_op_seed", "op seed", "op_seed"),
                                 ("compat_global_seed", "global seed only", "global_seed")):
        us = calls[name] * 1e6
        line = f"  compat, {label:17s}{us:8.1f}   jax eager {jax_us:6.1f} (ratio {us / jax_us:.2f})"
        if tensorflow:
            tf_us = tensorflow["eager"][tf_name] * 1e6
            line += f"   TF eager {tf_us:7.1f} (ratio {us / tf_us:.3f})"
        print(line)

    print("\n(c) compat.function step against the same step with explicit keyrng keys")
    try:
        import bench_function
    except ImportError:
        print("  benchmarks/bench_function.py is missing")
    else:
        step = bench_function.run(repeats)
        print(f"  compat.function {step['compat_function_us']:8.1f} us per call, by hand "
              f"{step['by_hand_us']:8.1f} us: ratio {step['ratio']:.3f} "
              f"({step['ops']} ops per step, same numbers: {step['same_numbers']})")

    first_call(max(1, repeats // 3))

    print(f"\n(e) the wider surface, compiled (compat.function / tf.function), {max(3, repeats // 3)} rounds")
    import bench_ops
    bench_ops.report(max(3, repeats // 3))

    print(f"\n(f) tf.data orders, one pass (compat.data / tf.data), {max(3, repeats // 3)} rounds")
    import bench_data
    bench_data.report(max(3, repeats // 3))


def first_call(rounds: int) -> None:
    """Section (d); `python benchmarks/run.py 15 first-call` runs it alone (rounds = 15 // 3)."""
    import bench_first_call
    print(f"\n(d) time to the first number: new shapes, {rounds} interleaved rounds")
    bench_first_call.report(bench_first_call.run(rounds))


if __name__ == "__main__":
    main(sys.argv)
