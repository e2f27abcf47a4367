"""Record TensorFlow's outputs for tf_function_v2_scenarios.py (TensorFlow sources with `tf`,
`np` and `out` in scope; each in a fresh process). The record format is record.py's.

Usage: python record_function_v2.py tf_function_v2_scenarios.py tf_function_v2_expected.json
"""
import json
import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ENCODE = {"float16": "uint16", "bfloat16": "uint16", "float32": "uint32", "float64": "uint64",
          "int32": "int32", "int64": "int64", "uint32": "uint32", "uint64": "uint64"}


def run_one(code):
    import numpy as np
    import tensorflow as tf
    records = []

    def record_tensor(t):
        a = np.asarray(t)
        name = t.dtype.name
        bits = a.view(np.uint16) if name == "bfloat16" else a.view(ENCODE[name])
        records.append({"dtype": name, "shape": list(a.shape),
                        "bits": [int(b) for b in bits.reshape(-1)],
                        "values": [float(v) for v in a.astype(np.float64).reshape(-1)]})

    def out(x):
        for t in (x if isinstance(x, (tuple, list)) else [x]):
            record_tensor(t)

    # From a real file, so that autograph can read the source (`for i in tf.range(n)`).
    import runpy
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as source:
        source.write(code)
    try:
        runpy.run_path(source.name, init_globals={"tf": tf, "np": np, "out": out})
    finally:
        os.unlink(source.name)
    return records


def main():
    if sys.argv[1:] == ["--child"]:
        print(json.dumps(run_one(sys.stdin.read())))
        return
    namespace = {}
    exec(open(sys.argv[1]).read(), namespace)
    import tensorflow as tf
    result = {"recorded_with": f"tensorflow {tf.__version__} (CPU)", "scenarios": []}
    for name, code in namespace["S"]:
        proc = subprocess.run([sys.executable, __file__, "--child"], input=code,
                              capture_output=True, text=True, check=True)
        outputs = json.loads(proc.stdout.strip().splitlines()[-1])
        result["scenarios"].append({"name": name, "code": code, "outputs": outputs})
        print(name, len(outputs), file=sys.stderr)
    with open(sys.argv[2], "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
