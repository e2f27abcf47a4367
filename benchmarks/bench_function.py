"""compat.function against the same function written by hand with explicit keyrng keys.

The function draws `uniform([1])` from 100 unseeded ops (op seeds 0..99 under global seed 1234).
By hand, the same numbers come from 100 Philox positions `keyrng.tf_key(1234, i, calls * 256)`
inside one `jax.jit` function; `run` checks that all versions agree bit for bit. Three hand-written
variants are timed, each correct for any number of calls (like compat.function's, up to 2**64):

- typed: a typed key array of the 100 keys, passed in and returned moved on by 256 blocks;
- raw: the same as raw uint32 key data, wrapped inside the compiled code;
- counter: one uint32[3] state, `calls * 256` in 96 bits (what compat.function threads through);
  key i is the key data `[1234, 0, low, middle, high + i, 0]`, built inside the compiled code.

The fastest of the three is the reference. Timing: rounds of `calls` calls back to back, then one
`block_until_ready`, divided by `calls`; each round times every version once, in a shuffled order,
so that changes in the machine's load hit all alike; the figures are medians over the rounds.
Run: `python benchmarks/bench_function.py [rounds]`.
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
def _by_hand_counter(clock):
    low, middle, high = clock[0], clock[1], clock[2]
    values = tuple(
        keyrng.uniform(jax.random.wrap_key_data(
            jax.numpy.stack([jax.numpy.uint32(SEED), jax.numpy.uint32(0), low, middle,
                             high + jax.numpy.uint32(i), jax.numpy.uint32(0)]),
            impl=keyrng.PHILOX), [1])
        for i in range(OPS))
    # calls * 256 moves on by 256, with carries: no overflow before 2**64 calls.
    new_low = low + jax.numpy.uint32(256)
    carry = (new_low < low).astype(jax.numpy.uint32)
    new_middle = middle + carry
    new_high = high + (new_middle < middle).astype(jax.numpy.uint32)
    return values, jax.numpy.stack([new_low, new_middle, new_high])


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


MIN_ROUNDS = 150


def run(repeats: int = 200, calls: int = 20) -> dict:
    """Time compat.function and the hand-written versions; medians in microseconds per call.

    `repeats` rounds, at least MIN_ROUNDS (short rounds, many of them: medians that hold on a
    loaded machine). Keys: `compat_function_us`, `by_hand_typed_keys_us`, `by_hand_raw_keys_us`,
    `by_hand_call_count_us`, `by_hand_us` (the fastest of the three), `ratio` (compat.function /
    by hand), `ops`, `calls`, `repeats` (rounds timed), `traces` (of the compat.function; 1
    expected), `same_numbers` (the first three calls of every version agree bit for bit).
    """
    rounds = max(repeats, MIN_ROUNDS)
    compat.set_seed(SEED)
    step = _compat_step()
    typed = {"keys": _start_keys()}
    raw = {"data": jax.random.key_data(_start_keys())}
    counter = {"clock": jax.numpy.zeros(3, jax.numpy.uint32)}

    def by_hand_typed():
        values, typed["keys"] = _by_hand_typed(typed["keys"])
        return values

    def by_hand_raw():
        values, raw["data"] = _by_hand_raw(raw["data"])
        return values

    def by_hand_counter():
        values, counter["clock"] = _by_hand_counter(counter["clock"])
        return values

    same = all(
        len({np.asarray(x).tobytes() for x in outputs}) == 1
        for _ in range(3)
        for outputs in zip(step(), by_hand_typed(), by_hand_raw(), by_hand_counter()))

    versions = {"compat": step, "typed": by_hand_typed, "raw": by_hand_raw, "counter": by_hand_counter}
    samples = {name: [] for name in versions}
    order = list(versions)
    shuffler = random.Random(0)
    for _ in range(rounds):
        shuffler.shuffle(order)
        for name in order:
            samples[name].append(_per_call(versions[name], calls, 1))
    medians = {name: statistics.median(values) * 1e6 for name, values in samples.items()}
    by_hand = min(medians["typed"], medians["raw"], medians["counter"])
    return {
        "ops": OPS,
        "calls": calls,
        "repeats": rounds,
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
    repeats = int(argv[1]) if len(argv) > 1 else 200
    result = run(repeats)
    print(f"compat.function vs keyrng by hand: {result['ops']} random ops per call, "
          f"median of {result['repeats']} rounds of {result['calls']} calls")
    print(f"  compat.function             {result['compat_function_us']:9.1f} us per call "
          f"({result['traces']} trace)")
    print(f"  by hand, typed key array    {result['by_hand_typed_keys_us']:9.1f} us per call")
    print(f"  by hand, raw uint32 keys    {result['by_hand_raw_keys_us']:9.1f} us per call")
    print(f"  by hand, calls*256 state    {result['by_hand_call_count_us']:9.1f} us per call")
    print(f"  ratio compat.function / best by hand: {result['ratio']:.3f}")
    print(f"  same numbers: {result['same_numbers']}")


if __name__ == "__main__":
    main(sys.argv)
