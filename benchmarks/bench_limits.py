"""How close the float32 fills are to this machine's limits: `python benchmarks/bench_limits.py [rounds]`.

- Philox words per second on XLA:CPU: a jitted kernel that only runs Philox-4x32-10 over a
  `[blocks, 4]` grid and writes the words (`keyrng.philox.block` on an iota of counters, the same
  layout as the fills), 2^20 and 2^24 words;
- memory bandwidth: a jitted copy of a 2^24-float32 array (`x + 1`: read 64 MB, write 64 MB);
- page faults of a fresh output: the 2^24 float32 uniform fill into a fresh buffer (as every
  ordinary call) against the same fill into a donated buffer that jax hands back to XLA on the
  next call (no first touch of new pages), and the copy above into fresh / donated buffers.

Rounds are interleaved, with a pause before each timed call, wall and CPU-time medians printed;
the load average at the start and the end. Compare figures of one run.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

import keyrng  # noqa: E402
import keyrng.philox  # noqa: E402

PAUSE = 0.05


def _words_kernel(count: int):
    """Philox words of `count // 4` consecutive blocks as a `[blocks, 4]` uint32 array."""
    blocks = count // 4

    def words(key0, key1):
        index = lax.broadcasted_iota(jnp.uint32, (blocks,), 0)
        zero = jnp.zeros_like(index)
        w = keyrng.philox.block((key0, key1), (index, zero, zero, zero))
        column = lax.broadcasted_iota(jnp.int32, (blocks, 4), 1)
        out = w[3][:, None]
        for j in (2, 1, 0):
            out = jnp.where(column == j, w[j][:, None], out)
        return out
    return jax.jit(words)


def measure(rounds: int = 9) -> dict:
    """Seconds (wall, cpu) medians of each case, and the sizes."""
    key = keyrng.tf_key(87654321, 1)
    k0, k1 = jnp.uint32(87654321), jnp.uint32(1)
    big = 2**24
    source = jnp.zeros((big,), jnp.float32)
    fresh_fill = jax.jit(lambda key: keyrng.uniform(key, [big]))
    donated_fill = jax.jit(lambda buffer, key: keyrng.uniform(key, [big]), donate_argnums=0)
    fresh_copy = jax.jit(lambda x: x + 1.0)
    donated_copy = jax.jit(lambda out, x: x + 1.0, donate_argnums=0)
    words = {n: _words_kernel(n) for n in (2**20, 2**24)}
    state = {"fill": jnp.zeros((big,), jnp.float32), "copy": jnp.zeros((big,), jnp.float32)}

    def run_donated_fill():
        state["fill"] = donated_fill(state["fill"], key)
        state["fill"].block_until_ready()

    def run_donated_copy():
        state["copy"] = donated_copy(state["copy"], source)
        state["copy"].block_until_ready()

    calls = {
        "philox words 2^20": lambda: words[2**20](k0, k1).block_until_ready(),
        "philox words 2^24": lambda: words[2**24](k0, k1).block_until_ready(),
        "copy 2^24 fresh": lambda: fresh_copy(source).block_until_ready(),
        "copy 2^24 donated": run_donated_copy,
        "uniform 2^24 fresh": lambda: fresh_fill(key).block_until_ready(),
        "uniform 2^24 donated": run_donated_fill,
    }
    for call in calls.values():
        call()
        call()
    wall = {name: [] for name in calls}
    cpu = {name: [] for name in calls}
    load_start = os.getloadavg()[0]
    for _ in range(rounds):
        for name, call in calls.items():
            time.sleep(PAUSE)
            start, start_cpu = time.perf_counter(), time.process_time()
            call()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return {"wall": {k: statistics.median(v) for k, v in wall.items()},
            "cpu": {k: statistics.median(v) for k, v in cpu.items()},
            "load": (load_start, os.getloadavg()[0]), "rounds": rounds}


def report(result: dict) -> None:
    wall, cpu = result["wall"], result["cpu"]
    print(f"  load average {result['load'][0]:.1f} at the start, {result['load'][1]:.1f} at the end; "
          f"medians of {result['rounds']} interleaved rounds, wall / CPU time")
    for name in wall:
        n = 2**20 if name.endswith("2^20") else 2**24
        extra = ""
        if name.startswith("copy"):
            extra = f"  {2 * 4 * n / wall[name] / 1e9:6.2f} GB/s (read + write)"
        print(f"  {name:22s}{wall[name] * 1e3:9.2f} ms {cpu[name] * 1e3:9.2f} ms cpu"
              f"{n / wall[name] / 1e9:8.3f} G/s{extra}")
    print(f"  fresh / donated output: uniform 2^24 {wall['uniform 2^24 fresh'] / wall['uniform 2^24 donated']:.2f}x, "
          f"copy 2^24 {wall['copy 2^24 fresh'] / wall['copy 2^24 donated']:.2f}x; "
          f"uniform 2^24 (donated) / Philox words 2^24: "
          f"{wall['uniform 2^24 donated'] / wall['philox words 2^24']:.2f}")


if __name__ == "__main__":
    report(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 9))
