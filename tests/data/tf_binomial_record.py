"""Record tests/data/tf_binomial_scenarios.py with TensorFlow into tf_binomial_expected.json, as
record.py does, two scenarios at a time, and report (not stop at) a scenario that crashes.

Usage: /path/to/python-with-tensorflow tests/data/tf_binomial_record.py
"""
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    namespace = {}
    exec((HERE / "tf_binomial_scenarios.py").read_text(), namespace)
    import tensorflow as tf

    def one(item):
        name, code = item
        proc = subprocess.run([sys.executable, str(HERE / "record.py"), "--child"], input=code,
                              capture_output=True, text=True)
        if proc.returncode:
            print(name, "FAILED:", proc.stderr.strip().splitlines()[-1], file=sys.stderr)
            return None
        print(name, "ok", file=sys.stderr)
        return {"name": name, "code": code, "outputs": json.loads(proc.stdout.strip().splitlines()[-1])}

    with ThreadPoolExecutor(2) as pool:
        done = [s for s in pool.map(one, namespace["SCENARIOS"]) if s is not None]
    result = {"recorded_with": f"tensorflow {tf.__version__} (CPU)", "scenarios": done}
    (HERE / "tf_binomial_expected.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
