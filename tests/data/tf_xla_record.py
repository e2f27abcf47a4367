"""Record TensorFlow's outputs for tf_xla_scenarios.py (functions compiled with jit_compile=True).

The records have record.py's format. `R` has tf_state_record.py's names plus
  stateless_categorical   tf.random.stateless_categorical
Every scenario runs in a fresh process, so no state leaks between them.

Usage: /path/to/python-with-tensorflow tf_xla_record.py tf_xla_scenarios.py S|STATEFUL OUT.json
"""
import json
import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def run_one(code):
    import tensorflow as tf

    import tf_state_record
    namespace = tf_state_record.namespace

    def extended():
        R = namespace()
        R.stateless_categorical = tf.random.stateless_categorical
        return R

    tf_state_record.namespace = extended
    return tf_state_record.run_one(code)


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--child":
        print(json.dumps(run_one(sys.stdin.read())))
        return
    src, group, dst = sys.argv[1], sys.argv[2], sys.argv[3]
    namespace_ = {}
    exec(open(src).read(), namespace_)
    import tensorflow as tf
    result = {"recorded_with": f"tensorflow {tf.__version__} (CPU, tf.function(jit_compile=True))",
              "scenarios": []}
    for name, code in namespace_[group]:
        proc = subprocess.run([sys.executable, __file__, "--child"], input=code,
                              capture_output=True, text=True)
        if proc.returncode:
            print(name, "FAILED", proc.stderr[-3000:], file=sys.stderr)
            continue
        outputs = json.loads(proc.stdout.strip().splitlines()[-1])
        result["scenarios"].append({"name": name, "code": code, "outputs": outputs})
        print(name, len(outputs), file=sys.stderr)
    with open(dst, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
