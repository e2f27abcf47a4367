"""`python -m compat`: TensorFlow's `tf.random.set_seed` documentation, run on compat.

Each example prints our value beside the value TensorFlow's documentation shows (TensorFlow 2.x
on CPU), with a match mark, and a one-line verdict at the end. No TensorFlow needed.
"""

from __future__ import annotations

import sys

import numpy as np

import compat

_rows: list[bool] = []


def _show(label: str, ours, documented: float) -> None:
    value = np.float32(np.asarray(ours).reshape(-1)[0])
    match = value == np.float32(documented)
    _rows.append(bool(match))
    mark = "ok " if match else "DIFFERS"
    print(f"  {mark} {label:<40} {str(value):<12} TensorFlow: {str(np.float32(documented))}")


def main() -> int:
    print("keyrng compat: TensorFlow's set_seed examples, replayed without TensorFlow\n")

    print("Global seed only: each call draws a new op seed from the global seed")
    compat.set_seed(1234)
    _show("set_seed(1234); uniform([1])", compat.uniform([1]), 0.5380393)
    _show("uniform([1])", compat.uniform([1]), 0.3253647)

    print("\nGlobal seed only, inside functions: every function restarts the op seeds")
    compat.set_seed(1234)

    @compat.function
    def f():
        return compat.uniform([1]), compat.uniform([1])

    @compat.function
    def g():
        return compat.uniform([1]), compat.uniform([1])

    a, b = f()
    _show("f() first value", a, 0.13047123)
    _show("f() second value", b, 0.1689806)
    a, b = g()
    _show("g() first value (same as f)", a, 0.13047123)
    _show("g() second value", b, 0.1689806)

    print("\nOp seed only: the kernel's counter moves on with every call")
    compat.reset()
    _show("uniform([1], seed=1)", compat.uniform([1], seed=1), 0.2390374)
    _show("uniform([1], seed=1) again", compat.uniform([1], seed=1), 0.22267115)

    print("\nBoth seeds, and set_seed resets the counters")
    compat.set_seed(1234)
    _show("set_seed(1234); uniform([1], seed=1)", compat.uniform([1], seed=1), 0.1689806)
    _show("uniform([1], seed=1) again", compat.uniform([1], seed=1), 0.7539084)
    compat.set_seed(1234)
    _show("set_seed(1234); uniform([1], seed=1)", compat.uniform([1], seed=1), 0.1689806)
    _show("uniform([1], seed=1) again", compat.uniform([1], seed=1), 0.7539084)

    print("\nCounters inside a function live on across its calls")
    compat.set_seed(1234)

    @compat.function
    def bar():
        return compat.uniform([1]), compat.uniform([1])

    a, b = bar()
    _show("bar() first call, first value", a, 0.13047123)
    _show("bar() first call, second value", b, 0.1689806)
    a, b = bar()
    _show("bar() second call, first value", a, 0.6087816)
    _show("bar() second call, second value", b, 0.7539084)

    matched = sum(_rows)
    verdict = "every value matches TensorFlow" if matched == len(_rows) else "SOME VALUES DIFFER"
    print(f"\n{matched}/{len(_rows)} values match: {verdict}.")
    return 0 if matched == len(_rows) else 1


if __name__ == "__main__":
    sys.exit(main())
