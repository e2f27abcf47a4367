"""compat.function against the same function written by hand with explicit keyrng keys.

The function draws `uniform([1])` from 100 unseeded ops (op seeds 0..99 under global seed 1234).
By hand, that is 100 Philox keys `keyrng.tf_key(1234, i)` passed into a `jax.jit` function that
draws from them and returns them moved on by 256 blocks: the same numbers, which `run` checks.
Three hand-written variants are timed: keys as a typed key array, as raw uint32 key data
wrapped inside the compiled code, and constant `tf_key`s moved on by `keyrng.advance(key,
calls * 256)` from a traced call count (what compat.function compiles to); the fastest is the
reference.

Per-call time: `calls` calls back to back, then one `block_until_ready`, divided by `calls`; the
median over `repeats` such rounds. Run: `python benchmarks/bench_function.py [repeats]`.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jax  # noqa: E402
import numpy as np  # noqa: E402

import compat  # noqa: E402
import keyrng  # noqa: E402

OPS = 100
SEED = 1234


def _compat_step():
    @compat.function
    def step():
        return tuple(compat.uniform([1]) for _ in range(OPS))

    return step


@jax.jit
def _by_hand_typed(keys):
    values = tuple(keyrng.uniform(keys[i], [1]) for i in range(OPS))
    return values, jax.vmap(lambda key: keyrng.advance(key, 256))(keys)


@jax.jit
def _by_hand_raw(data):
    keys = jax.random.wrap_key_data(data, impl=keyrng.PHILOX)
    values = tuple(keyrng.uniform(keys[i], [1]) for i in range(OPS))
    moved = jax.vmap(lambda key: keyrng.advance(key, 256))(keys)
    return values, jax.random.key_data(moved)


@jax.jit
def _by_hand_counter(calls):
    values = tuple(keyrng.uniform(keyrng.advance(keyrng.tf_key(SEED, i), calls * 256), [1])
                   for i in range(OPS))
    return values, calls + 1


def _start_keys():
    return jax.numpy.stack([keyrng.tf_key(SEED, i) for i in range(OPS)])


def _per_call(call, calls: int, repeats: int) -> float:
    """Median seconds per call of `call()` (a closure that keeps its own state)."""
    jax.block_until_ready(call())  # compile and warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls - 1):
            call()
        jax.block_until_ready(call())
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def run(repeats: int = 60, calls: int = 50) -> dict:
    """Time both versions; returns medians in microseconds per call and the ratio.

    Keys: `compat_function_us`, `by_hand_typed_keys_us`, `by_hand_raw_keys_us`,
    `by_hand_call_count_us`, `by_hand_us` (the fastest of the three), `ratio` (compat.function / by hand), `ops`, `calls`, `repeats`,
    `traces` (of the compat.function; 1 expected), `same_numbers` (first three calls agree bit
    for bit).
    """
    compat.set_seed(SEED)
    step = _compat_step()
    typed = {"keys": _start_keys()}
    raw = {"data": jax.random.key_data(_start_keys())}
    counter = {"calls": jax.numpy.uint32(0)}

    def by_hand_typed():
        values, typed["keys"] = _by_hand_typed(typed["keys"])
        return values

    def by_hand_raw():
        values, raw["data"] = _by_hand_raw(raw["data"])
        return values

    def by_hand_counter():
        values, counter["calls"] = _by_hand_counter(counter["calls"])
        return values

    same = all(
        len({np.asarray(x).tobytes() for x in outputs}) == 1
        for _ in range(3)
        for outputs in zip(step(), by_hand_typed(), by_hand_raw(), by_hand_counter()))

    # Short rounds, interleaved in a shuffled order, so that changes in machine load hit all alike.
    versions = {"compat": step, "typed": by_hand_typed, "raw": by_hand_raw, "counter": by_hand_counter}
    samples = {name: [] for name in versions}
    order = list(versions)
    shuffler = random.Random(0)
    for _ in range(repeats):
        shuffler.shuffle(order)
        for name in order:
            samples[name].append(_per_call(versions[name], calls, 1))
    medians = {name: statistics.median(values) * 1e6 for name, values in samples.items()}
    by_hand = min(medians["typed"], medians["raw"], medians["counter"])
    return {
        "ops": OPS,
        "calls": calls,
        "repeats": repeats,
        "compat_function_us": medians["compat"],
        "by_hand_typed_keys_us": medians["typed"],
        "by_hand_raw_keys_us": medians["raw"],
        "by_hand_call_count_us": medians["counter"],
        "by_hand_us": by_hand,
        "ratio": medians["compat"] / by_hand,
        "traces": step.experimental_get_tracing_count(),
        "same_numbers": same,
    }


def main(argv: list[str]) -> None:
    repeats = int(argv[1]) if len(argv) > 1 else 60
    result = run(repeats)
    print(f"compat.function vs keyrng by hand: {result['ops']} random ops per call, "
          f"median of {result['repeats']} rounds of {result['calls']} calls")
    print(f"  compat.function             {result['compat_function_us']:9.1f} us per call "
          f"({result['traces']} trace)")
    print(f"  by hand, typed key array    {result['by_hand_typed_keys_us']:9.1f} us per call")
    print(f"  by hand, raw uint32 keys    {result['by_hand_raw_keys_us']:9.1f} us per call")
    print(f"  by hand, advance(calls*256) {result['by_hand_call_count_us']:9.1f} us per call")
    print(f"  ratio compat.function / best by hand: {result['ratio']:.3f}")
    print(f"  same numbers: {result['same_numbers']}")


if __name__ == "__main__":
    main(sys.argv)
