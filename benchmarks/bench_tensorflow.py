"""The TensorFlow side of the comparison; optional, never required.

`run(sizes, repeats, eager_repeats)` measures TensorFlow in this interpreter if `import
tensorflow` works. Otherwise, if the environment variable KEYRNG_TF_PYTHON names a Python
interpreter that has TensorFlow, it runs this file there (`python bench_tensorflow.py JSON`)
and reads the figures it prints. Without either it returns None.

Measured: `tf.function`-compiled `tf.random.uniform` / `normal` / `truncated_normal` float32
fills (seconds per fill), and eager `tf.random.uniform([1], seed=1)` and, with only a global
seed, `tf.random.uniform([1])` (seconds per call).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import interleaved_medians, per_call_medians  # noqa: E402

ENVIRONMENT_VARIABLE = "KEYRNG_TF_PYTHON"


def _measure(sizes, repeats: int, eager_repeats: int) -> dict:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    fills = {}
    for size in sizes:
        for name, op in (("uniform", tf.random.uniform), ("normal", tf.random.normal),
                         ("truncated_normal", tf.random.truncated_normal)):
            fill = tf.function(lambda op=op, size=size: op([size], seed=1))
            fills[(name, size)] = lambda fill=fill: fill().numpy()
    fill_seconds = interleaved_medians(fills, repeats)

    def seeded():
        return tf.random.uniform([1], seed=1)

    def global_only():
        return tf.random.uniform([1])

    tf.random.set_seed(1)
    eager = per_call_medians({"op_seed": (seeded, lambda x: x.numpy()),
                              "global_seed": (global_only, lambda x: x.numpy())},
                             eager_repeats, batch=100)
    return {
        "version": tf.__version__,
        "fills": {f"{name}/{size}": seconds for (name, size), seconds in fill_seconds.items()},
        "eager": eager,
    }


def run(sizes, repeats: int, eager_repeats: int) -> dict | None:
    """TensorFlow's figures, or None when TensorFlow is not available (see the module docstring)."""
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        pass
    else:
        return _measure(sizes, repeats, eager_repeats)
    python = os.environ.get(ENVIRONMENT_VARIABLE)
    if not python:
        return None
    request = json.dumps({"sizes": list(sizes), "repeats": repeats, "eager_repeats": eager_repeats})
    done = subprocess.run([python, __file__, request], capture_output=True, text=True, check=False,
                          env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    if done.returncode != 0:
        print(f"TensorFlow benchmark in {python} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    arguments = json.loads(sys.argv[1])
    print(json.dumps(_measure(arguments["sizes"], arguments["repeats"], arguments["eager_repeats"])))
