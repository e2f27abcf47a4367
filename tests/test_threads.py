"""Eager compat calls from many threads never share a counter offset and never skip one.

8 threads x 100 calls must give, as a multiset, exactly the values of 800 sequential calls: a
shared offset would repeat a value and lose another, a skipped one would bring in a value the
sequential run never reaches.
"""

from __future__ import annotations

import threading
from collections import Counter

import numpy as np
import pytest

import compat

THREADS = 8
CALLS = 100


def _sequential(draw, total):
    return [draw() for _ in range(total)]


def _threaded(draw, threads=THREADS, calls=CALLS):
    start = threading.Barrier(threads)
    results = [[] for _ in range(threads)]
    errors = []

    def work(index):
        try:
            start.wait()
            for _ in range(calls):
                results[index].append(draw())
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors, errors
    return [value for part in results for value in part]


def _as_multiset(values):
    return Counter(np.asarray(value).tobytes() for value in values)


DRAWS = {
    "op seed": lambda: compat.uniform([1], seed=1),
    "global seed only": lambda: compat.uniform([1]),
    "int op seed": lambda: compat.uniform([3], maxval=1000, dtype=compat.int32, seed=2),
    "normal, global seed only": lambda: compat.normal([2]),
}


@pytest.mark.parametrize("case", sorted(DRAWS))
def test_threads_give_the_sequential_values(case):
    draw = DRAWS[case]
    compat.set_seed(7)
    expected = _sequential(draw, THREADS * CALLS)
    compat.set_seed(7)
    got = _threaded(draw)
    assert len(got) == THREADS * CALLS
    assert _as_multiset(got) == _as_multiset(expected)
    # ... and the state after the threads is the state after the sequential calls.
    compat.set_seed(7)
    _sequential(draw, THREADS * CALLS)
    sequential_state = compat.get_state()
    compat.set_seed(7)
    _threaded(draw)
    assert compat.get_state() == sequential_state


def test_threads_leave_the_kernel_counter_where_sequential_calls_do():
    compat.set_seed(7)
    _threaded(DRAWS["op seed"])
    [row] = compat.get_state()["kernels"]
    assert row == ["RandomUniform", "float32", "int32", 7, 1, THREADS * CALLS * 256]


def test_threads_mixing_ops_and_seeds():
    """Different kernels drawn at once from many threads: each kernel's values are its own."""
    draws = [DRAWS["op seed"], DRAWS["int op seed"], DRAWS["global seed only"]]

    def mixed_sequential():
        return {i: _sequential(d, 2 * CALLS) for i, d in enumerate(draws)}

    compat.set_seed(3)
    expected = mixed_sequential()
    compat.set_seed(3)
    start = threading.Barrier(2 * len(draws))
    results = {i: [] for i in range(len(draws))}
    lock = threading.Lock()

    def work(i):
        start.wait()
        for _ in range(CALLS):
            value = draws[i]()
            with lock:
                results[i].append(value)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(len(draws)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    # Unseeded calls interleave their op-seed draws with nothing else here (the seeded kernels
    # draw no op seed), so each kernel's multiset matches its own sequential run.
    for i in range(len(draws)):
        assert _as_multiset(results[i]) == _as_multiset(expected[i])


def test_eager_draws_do_not_wait_for_a_tracing_function():
    """A compat.function traces and compiles holding no global lock: while its body is being
    traced (held up here on purpose), another thread's eager draws go ahead."""
    compat.set_seed(7)
    tracing, drawn = threading.Event(), threading.Event()

    @compat.function
    def slow():
        tracing.set()
        assert drawn.wait(30), "the eager draw waited for the trace"
        return compat.uniform([1])

    def draw():
        assert tracing.wait(30)
        compat.uniform([1], seed=1)
        drawn.set()

    other = threading.Thread(target=draw)
    other.start()
    slow()
    other.join()
    assert drawn.is_set()


def test_a_traced_body_may_join_a_thread_that_draws_eagerly():
    """The deadlock case: a body that waits for a thread which draws eagerly (and calls another
    compiled function) finishes."""
    compat.set_seed(7)

    @compat.function
    def other_function():
        return compat.uniform([1])

    @compat.function
    def body():
        worker = threading.Thread(target=lambda: (compat.uniform([2]), other_function()))
        worker.start()
        worker.join(30)
        assert not worker.is_alive(), "deadlock: the eager draw waited for this trace"
        return compat.normal([1])

    body()
    body()


def test_calls_of_one_function_from_many_threads_never_share_a_count():
    compat.set_seed(5)

    @compat.function
    def f():
        return compat.uniform([1])

    expected = [f() for _ in range(THREADS * 20)]
    compat.set_seed(5)
    got = _threaded(f, calls=20)
    assert _as_multiset(got) == _as_multiset(expected)
