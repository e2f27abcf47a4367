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

import record  # noqa: E402
import tf_data_record  # noqa: E402


def record_forked(code: str, style_r: bool) -> list:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        status = 0
        try:
            outputs = record.run_one(code, "R") if style_r else tf_data_record.run_one(code)
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
    import tensorflow as tf  # noqa: PLC0415 (imported once, before the forks; not at collection)

    args = [a for a in sys.argv[1:] if a != "--R"]
    style_r = len(args) < len(sys.argv) - 1
    src, dst, prefixes = args[0], args[1], tuple(args[2:])
    scope = {}
    with open(src) as f:
        exec(f.read(), scope)
    result = {"recorded_with": f"tensorflow {tf.__version__} (CPU)", "scenarios": []}
    if prefixes and os.path.exists(dst):
        with open(dst) as f:
            result = json.load(f)
    done = {s["name"]: i for i, s in enumerate(result["scenarios"])}
    for name, code in scope["SCENARIOS"]:
        if prefixes and not name.startswith(prefixes):
            continue
        try:
            outputs = record_forked(code, style_r)
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
