"""Timing helpers shared by the benchmarks (no jax or TensorFlow import here: the TensorFlow
part runs in an interpreter that may have only TensorFlow)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time


def interleaved_medians(calls: dict, repeats: int, warmup: int = 2) -> dict:
    """Median seconds of each zero-argument `calls[name]()` (which must block until done).

    Every round times each call once, in turn, so that drift in the machine's load hits all of
    them alike; the ratios of medians from one run are the figures to compare.
    """
    for call in calls.values():
        for _ in range(warmup):
            call()
    samples = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in samples.items()}


def per_call_medians(calls: dict, repeats: int, batch: int = 200) -> dict:
    """Median seconds per call of each `calls[name]()` over `repeats` rounds of `batch` calls.

    A call returns something `finish` (the dict's companion) can wait on; the rounds of the
    different calls are interleaved.
    """
    samples = {name: [] for name in calls}
    for name, (call, finish) in calls.items():
        for _ in range(batch // 4):  # warm-up: compile, fill caches
            finish(call())
    for _ in range(repeats):
        for name, (call, finish) in calls.items():
            start = time.perf_counter()
            for _ in range(batch - 1):
                call()
            finish(call())
            samples[name].append((time.perf_counter() - start) / batch)
    return {name: statistics.median(times) for name, times in samples.items()}


def tensorflow_side(measure, script: str, repeats: int) -> dict | None:
    """`measure("tensorflow", repeats)`: here when `import tensorflow` works, else by running
    `script` as `PYTHON script --tensorflow REPEATS` in the interpreter KEYRNG_TF_PYTHON names
    (the script prints the result as JSON on its last line); None without TensorFlow."""
    python = os.environ.get("KEYRNG_TF_PYTHON")
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        if not python:
            return None
    else:
        return measure("tensorflow", repeats)
    done = subprocess.run([python, script, "--tensorflow", str(repeats)], capture_output=True,
                          text=True, check=False, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    if done.returncode != 0:
        print(f"TensorFlow benchmark in {python} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])
