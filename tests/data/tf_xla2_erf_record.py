"""Record TensorFlow 2.21's XLA:CPU float32 Erf in three compiled programs, over a grid, random
values and the region of the clamp at 3.7439211627767994: `erf(a / s)` with s = 1 an argument (a
division fused with the Erf, as in the parameterized truncated normal's program with a traced
stddev), `erf(a - b)` with b = 0 an argument, and `erf(a)` alone. The first is clamped (0.99999976
from 3.7439 on), the other two saturate to 1 (jax's `lax.erf`). Writes tf_xla2_erf_expected.json
(float32 bit patterns); tests/test_xla2.py checks keyrng/_tf_xla_ptn.py's `_erf` and `lax.erf`
against them.

Usage (needs TensorFlow): python tf_xla2_erf_record.py OUT.json
"""
import json
import sys

import numpy as np


def main(path: str) -> None:
    import tensorflow as tf

    rng = np.random.default_rng(0)
    a = np.concatenate([np.linspace(-6, 6, 6001), rng.standard_normal(3000) * 2.0,
                        np.linspace(3.735, 3.76, 2501), -np.linspace(3.735, 3.76, 251),
                        [np.inf, -np.inf, 0.0, -0.0, 1e-30, 3.7439211627767994, 4.0, 9.0, 1e30]]).astype(np.float32)
    divided = tf.function(lambda a, s: tf.math.erf(a / s), jit_compile=True)
    minus = tf.function(lambda a, b: tf.math.erf(a - b), jit_compile=True)
    alone = tf.function(lambda a: tf.math.erf(a), jit_compile=True)
    out = {"recorded_with": f"tensorflow {tf.__version__} (CPU, tf.function(jit_compile=True))",
           "inputs": a.view(np.uint32).tolist(),
           "divided": divided(a, np.float32(1.0)).numpy().view(np.uint32).tolist(),
           "minus": minus(a, np.zeros_like(a)).numpy().view(np.uint32).tolist(),
           "alone": alone(a).numpy().view(np.uint32).tolist()}
    with open(path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main(sys.argv[1])
