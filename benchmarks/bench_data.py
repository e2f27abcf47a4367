"""tf.data's randomness: the time to compute one pass's order with `compat.data` against
TensorFlow producing the same pass (`tf.data`, the whole pass as one batch, `get_single_element`).

Each case is a pair of sources: ours against `compat`, TensorFlow's against `tf`; both give the
same elements (tests/test_data.py and tests/test_data2.py check the orders bit for bit). compat
computes the order (indices) and TensorFlow runs the pipeline over `Dataset.range` (or a tensor
of labels), which is what a TensorFlow program pays for the same order.

    python benchmarks/bench_data.py [repeats]    # KEYRNG_TF_PYTHON adds TensorFlow's column
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _timing import interleaved_medians, tensorflow_side  # noqa: E402

N = 10**5
LABELS = "[int(i % 5 == 0) for i in range(N)]"  # 20% of class 1
# (name, elements per call, compat source, TensorFlow source)
CASES = [
    ("shuffle_order 10^5, buffer 1024", N,
     "compat.data.shuffle_order(N, 1024, seed=7)",
     "tf.data.Dataset.range(N).shuffle(1024, seed=7).batch(N).get_single_element()"),
    ("shuffle_order 10^5, buffer 10^5", N,
     "compat.data.shuffle_order(N, N, seed=7)",
     "tf.data.Dataset.range(N).shuffle(N, seed=7).batch(N).get_single_element()"),
    ("random 10^5", N,
     "compat.data.random(N, seed=7)",
     "tf.data.Dataset.random(seed=7).take(N).batch(N).get_single_element()"),
    ("sample_from_datasets_order 3 x 10^5/3", N,
     "compat.data.sample_from_datasets_order([N // 3, N // 3, N - 2 * (N // 3)], [0.5, 0.3, 0.2], seed=7)",
     "tf.data.Dataset.sample_from_datasets([tf.data.Dataset.range(N // 3), tf.data.Dataset.range(N // 3), "
     "tf.data.Dataset.range(N - 2 * (N // 3))], [0.5, 0.3, 0.2], seed=7).batch(N).get_single_element()"),
    ("rejection_resample_order 10^5 labels", N,
     f"compat.data.rejection_resample_order({LABELS}, [0.5, 0.5], [0.8, 0.2], seed=7)",
     f"tf.data.Dataset.from_tensor_slices(tf.constant({LABELS}, tf.int32)).rejection_resample("
     "lambda x: x, [0.5, 0.5], [0.8, 0.2], seed=7).batch(N).get_single_element()"),
]


def measure(side: str, repeats: int) -> dict:
    """Seconds per call of every case on `side` ("compat" or "tensorflow"); missing where it fails."""
    if side == "compat":
        import compat
        namespace, column = {"compat": compat, "N": N}, 2
    else:
        import tensorflow as tf
        namespace, column = {"tf": tf, "N": N}, 3
    calls, missing = {}, {}
    for case in CASES:
        source = case[column]
        call = eval(f"lambda: {source}", namespace)  # noqa: S307
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - a missing op or argument form, reported
            missing[case[0]] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:80]}"
            continue
        calls[case[0]] = call
    return {"seconds": interleaved_medians(calls, repeats), "missing": missing}


def report(repeats: int) -> None:
    theirs = tensorflow_side(measure, __file__, repeats)
    ours = measure("compat", repeats)
    print(f"{'':44s}{'compat':>10s}{'TF':>10s}{'TF/compat':>11s}   (ms per pass)")
    for name, _, _, _ in CASES:
        if name in ours["missing"]:
            print(f"  {name:42s}  not measured: {ours['missing'][name]}")
            continue
        mine = ours["seconds"][name]
        line = f"  {name:42s}{mine * 1e3:10.1f}"
        if theirs and name in theirs["seconds"]:
            line += f"{theirs['seconds'][name] * 1e3:10.1f}{theirs['seconds'][name] / mine:11.2f}"
        elif theirs:
            line += f"{'—':>10s}   TF: {theirs['missing'].get(name, '')}"
        print(line)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--tensorflow":
        print(json.dumps(measure("tensorflow", int(sys.argv[2]))))
    else:
        report(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
