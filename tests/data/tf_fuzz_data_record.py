"""Record tf_fuzz_data_scenarios.py with TensorFlow: tf_data_record.py's `D` and record format, but
TensorFlow is imported once and every scenario runs in a forked child (a fresh eager context, no
op run in the parent before the fork), which is several times faster than a new process per
scenario on a busy machine.

Usage: /path/to/python-with-tensorflow tf_fuzz_data_record.py [--R] SCENARIOS.py OUT.json [NAME_PREFIX ...]
(with prefixes: only the scenarios whose names start with one of them, merged into an existing OUT.json;
with --R: record.py's `R` scenarios and record format instead, as for tf_fuzz_image2_scenarios.py)
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tensorflow as tf  # noqa: E402  (imported once, before the forks)

import record  # noqa: E402
import tf_data_record  # noqa: E402

STYLE_R = "--R" in sys.argv
if STYLE_R:
    sys.argv.remove("--R")


def record_forked(code: str) -> list:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        status = 0
        try:
            outputs = record.run_one(code, "R") if STYLE_R else tf_data_record.run_one(code)
            data = json.dumps(outputs).encode()
            with os.fdopen(write, "wb") as f:
                f.write(data)
        except BaseException as e:  # noqa: BLE001 - reported by the parent
            print("FAILED", repr(e), file=sys.stderr)
            status = 1
        os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    if status:
        raise RuntimeError("scenario failed")
    return json.loads(data)


def main():
    src, dst, prefixes = sys.argv[1], sys.argv[2], tuple(sys.argv[3:])
    scope = {}
    exec(open(src).read(), scope)
    result = {"recorded_with": f"tensorflow {tf.__version__} (CPU)", "scenarios": []}
    if prefixes and os.path.exists(dst):
        result = json.load(open(dst))
    done = {s["name"]: i for i, s in enumerate(result["scenarios"])}
    for name, code in scope["SCENARIOS"]:
        if prefixes and not name.startswith(prefixes):
            continue
        try:
            outputs = record_forked(code)
        except RuntimeError:
            print(name, "FAILED", file=sys.stderr, flush=True)
            continue
        entry = {"name": name, "code": code, "outputs": outputs}
        if name in done:
            result["scenarios"][done[name]] = entry
        else:
            result["scenarios"].append(entry)
        print(name, len(outputs), file=sys.stderr, flush=True)
    with open(dst, "w") as f:
        json.dump(result, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
