"""Record Keras 3's outputs on the TensorFlow backend for the scenarios in keras_scenarios.py.

Each scenario is Python source run with these names in scope:
  keras  Keras 3 (on the TensorFlow backend here; on the JAX backend after
         `compat.keras.use_tensorflow_numbers()` in tests/test_keras.py)
  np     numpy
  out    records an array, or a list/tuple of arrays (model.get_weights()), as the next outputs
  err    calls a zero-argument callable and records whether it raised
  jit    tf.function here; jax.jit in the replay
Every scenario runs in a fresh process (KERAS_BACKEND=tensorflow), so no state leaks between them.

Usage: KERAS_BACKEND=tensorflow python keras_record.py keras_scenarios.py keras_expected.json
(needs tensorflow and keras installed). `run(code, keras)` is the shared part the replay uses.
"""
import json
import os
import subprocess
import sys

ENCODE = {  # dtype name -> numpy view dtype of its bit pattern
    "float16": "uint16", "bfloat16": "uint16", "float32": "uint32", "float64": "uint64",
    "int8": "int8", "int16": "int16", "int32": "int32", "int64": "int64",
    "uint8": "uint8", "uint16": "uint16", "uint32": "uint32", "uint64": "uint64", "bool": "uint8",
}


def run(code, keras, jit):
    """Run one scenario's source; returns its records."""
    import numpy as np
    records = []

    def record(x):
        if isinstance(x, keras.Variable):  # a SeedGenerator's state, a model's weight
            x = x.value
        a = np.asarray(keras.ops.convert_to_numpy(x))
        name = str(a.dtype)
        records.append({"dtype": name, "shape": list(a.shape),
                        "bits": [int(b) for b in a.view(ENCODE[name]).reshape(-1)]})

    def out(x):
        if isinstance(x, (tuple, list)):
            for t in x:
                record(t)
        else:
            record(x)

    def err(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - recording what Keras raised
            records.append({"error": type(e).__name__})
            return
        records.append({"error": None})

    exec(compile(code, "<scenario>", "exec"), {"keras": keras, "out": out, "err": err, "np": np, "jit": jit})
    return records


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--child":
        os.environ["KERAS_BACKEND"] = "tensorflow"
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import keras
        assert keras.backend.backend() == "tensorflow"
        import tensorflow as tf
        print(json.dumps(run(sys.stdin.read(), keras, tf.function)))
        return
    src, dst = sys.argv[1], sys.argv[2]
    namespace = {}
    exec(open(src).read(), namespace)
    scenarios = namespace["SCENARIOS"]
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    versions = subprocess.run(
        [sys.executable, "-c", "import tensorflow as tf, keras; print(tf.__version__, keras.__version__)"],
        capture_output=True, text=True, check=True, env=env).stdout.split()
    result = {"recorded_with": f"tensorflow {versions[0]} (CPU), keras {versions[1]}",
              "keras_version": versions[1], "tensorflow_version": versions[0], "scenarios": []}
    # A scenario already in OUT with the same source and versions is kept, not recorded again.
    done = {}
    if os.path.exists(dst):
        previous = json.load(open(dst))
        if previous.get("recorded_with") == result["recorded_with"]:
            done = {(s["name"], s["code"]): s for s in previous["scenarios"]}
    for name, code in scenarios:
        if (name, code) in done:
            result["scenarios"].append(done[(name, code)])
            continue
        proc = subprocess.run([sys.executable, __file__, "--child"], input=code,
                              capture_output=True, text=True, env=env)
        if proc.returncode:
            sys.exit(f"{name} failed:\n{proc.stderr}")
        outputs = json.loads(proc.stdout.strip().splitlines()[-1])
        result["scenarios"].append({"name": name, "code": code, "outputs": outputs})
        print(name, len(outputs), file=sys.stderr)
        with open(dst, "w") as f:  # after every scenario, so a failure keeps what was recorded
            json.dump(result, f, indent=1)
    with open(dst, "w") as f:
        json.dump(result, f, indent=1)

if __name__ == "__main__":
    main()
