"""Record TensorFlow's outputs for tf_state_scenarios.py (the Generator, retracing and seed scenarios).

The records have ../shared/tf_reference/record.py's format, and `R` has record.py's names plus the
ones these scenarios need:
  get_global_generator, set_global_generator, create_rng_state   tf.random's
  general_dropout, stateless_dropout                              tf.nn.experimental's
  nn_dropout                                                      tf.nn.dropout
  tracing_count(f)   f.experimental_get_tracing_count() as an int32 tensor
  constant(x, dtype) tf.constant
Every scenario runs in a fresh process, so no state leaks between them.

Usage: /path/to/python-with-tensorflow tf_state_record.py tf_state_scenarios.py tf_state_expected.json
"""
import json
import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ENCODE = {"float16": "uint16", "bfloat16": "uint16", "float32": "uint32", "float64": "uint64",
          "int32": "int32", "int64": "int64", "uint32": "uint32", "uint64": "uint64",
          "int8": "int8", "int16": "int16", "uint8": "uint8", "uint16": "uint16"}


def namespace():
    import tensorflow as tf
    R = type("R", (), {})()
    for name in ("set_seed", "uniform", "normal", "truncated_normal", "stateless_uniform",
                 "stateless_normal", "stateless_truncated_normal", "split", "fold_in", "shuffle",
                 "categorical", "Generator", "get_global_generator", "set_global_generator",
                 "create_rng_state"):
        setattr(R, name, getattr(tf.random, name))
    R.function = tf.function
    R.dropout = tf.nn.dropout
    R.nn_dropout = tf.nn.dropout
    R.general_dropout = tf.nn.experimental.general_dropout
    R.stateless_dropout = tf.nn.experimental.stateless_dropout
    R.enable_op_determinism = tf.config.experimental.enable_op_determinism
    R.tracing_count = lambda f: tf.constant(f.experimental_get_tracing_count(), tf.int32)
    R.constant = tf.constant
    for name in ENCODE:
        setattr(R, name, getattr(tf, name))
    return R


def run_one(code):
    import numpy as np
    R = namespace()
    records = []

    def record_tensor(t):
        a = t.numpy()
        name = t.dtype.name
        bits = a.view(ENCODE[name]) if name != "bfloat16" else a.view(np.uint16)
        records.append({"dtype": name, "shape": list(a.shape),
                        "bits": [int(b) for b in bits.reshape(-1)],
                        "values": [float(v) for v in a.astype(np.float64).reshape(-1)]})

    def out(x):
        for t in (x if isinstance(x, (tuple, list)) else [x]):
            record_tensor(t)

    def err(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - recording what TensorFlow raised
            records.append({"error": type(e).__name__})
            return
        records.append({"error": None})

    exec(compile(code, "<scenario>", "exec"), {"R": R, "out": out, "err": err, "np": np})
    return records


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--child":
        print(json.dumps(run_one(sys.stdin.read())))
        return
    src, dst = sys.argv[1], sys.argv[2]
    namespace_ = {}
    exec(open(src).read(), namespace_)
    import tensorflow as tf
    result = {"recorded_with": f"tensorflow {tf.__version__} (CPU)", "scenarios": []}
    for name, code in namespace_["S"]:
        proc = subprocess.run([sys.executable, __file__, "--child"], input=code,
                              capture_output=True, text=True, check=True)
        outputs = json.loads(proc.stdout.strip().splitlines()[-1])
        result["scenarios"].append({"name": name, "code": code, "outputs": outputs})
        print(name, len(outputs), file=sys.stderr)
    with open(dst, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
