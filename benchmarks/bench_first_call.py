"""Time to the first number: the first eager call of a shape the process has never drawn.

`run(rounds)` measures, side by side and interleaved round by round, the first call of new shapes
(sizes from 1 to 10^6 values) of:

- compat: `compat.uniform / normal / truncated_normal(shape)` (float32), after a few calls
  (nothing else: the first call of each kind and dtype, timed and printed, compiles that
  family's one fixed kernel);
- jax: `jax.random.uniform / normal / truncated_normal(key, shape)` eagerly, after a few calls;
- TensorFlow eager: `tf.random.uniform / normal / truncated_normal(shape)`, in this interpreter
  when `import tensorflow` works, else in a child process of the interpreter named by
  KEYRNG_TF_PYTHON (this file run as `python bench_first_call.py --child`), which receives each
  shape as a line on stdin while the rounds run, so its figures interleave with the others;
- compat for the other dtypes (float16, bfloat16, float64 and int64 under x64, int32).

Quiet-run protocol: every timed call is preceded by a pause (`PAUSE` seconds) so that other
threads' work has settled; the rounds are interleaved (round r times every system on shape set
r before round r + 1), so load that changes during the run hits every system alike; the load
average is printed at the start and the end. Compare the ratios of one run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PAUSE = 0.05
KINDS = ("uniform", "normal", "truncated_normal")
SIZE_CLASSES = (1, 10, 100, 10**3, 10**4, 10**5, 10**6)
ENVIRONMENT_VARIABLE = "KEYRNG_TF_PYTHON"


def shape_for(size_class: int, round_index: int, offset: int = 0) -> list[int]:
    """A shape of about `size_class` values (at most 10^6) that no other (class, round, offset)
    gets: rank-r all-ones shapes for one value, else two dimensions."""
    r = round_index * 8 + offset
    if size_class == 1:
        return [1] * (r + 1)
    rows = r + 2
    return [rows, max(1, size_class // rows)]


# XLA compiles seen by a jax.monitoring listener: (event, seconds) in order. `_timed` notes which
# timed calls compiled anything, so a slow first call can be told apart from a slow draw.
_COMPILES: list = []
_LISTENING = False


def _listen_for_compiles() -> None:
    global _LISTENING
    if _LISTENING:
        return
    import jax

    import threading
    main = threading.get_ident()

    def listener(event, duration, **kwargs):  # this thread's compiles, not compat's background ones
        if event == "/jax/core/compile/backend_compile_duration" and threading.get_ident() == main:
            _COMPILES.append((event, duration))
    jax.monitoring.register_event_duration_secs_listener(listener)
    _LISTENING = True


def _timed(call, name=None, compiled_during=None) -> float:
    time.sleep(PAUSE)
    before = len(_COMPILES)
    start = time.perf_counter()
    call()
    seconds = time.perf_counter() - start
    if compiled_during is not None and len(_COMPILES) > before:
        compiled_during.append((name, seconds, [d for _, d in _COMPILES[before:]]))
    return seconds


# --- TensorFlow (here or in a child process) -------------------------------------------------

class _TensorFlowHere:
    def __init__(self):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf
        self.tf = tf
        self.version = tf.__version__
        for kind in KINDS:  # a few calls first, as the other systems get
            for n in (1, 7, 100):
                getattr(tf.random, kind)([n]).numpy()

    def first_call(self, kind: str, shape: list[int]) -> float:
        op = getattr(self.tf.random, kind)
        return _timed(lambda: op(shape).numpy())

    def close(self):
        pass


class _TensorFlowChild:
    def __init__(self, python: str):
        self.process = subprocess.Popen([python, __file__, "--child"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True,
                                        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
        self.version = json.loads(self._read())["version"]

    def _read(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the TensorFlow benchmark child exited")
        return line

    def first_call(self, kind: str, shape: list[int]) -> float:
        self.process.stdin.write(json.dumps({"kind": kind, "shape": shape}) + "\n")
        self.process.stdin.flush()
        return json.loads(self._read())["seconds"]

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def _child() -> None:
    here = _TensorFlowHere()
    print(json.dumps({"version": here.version}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        print(json.dumps({"seconds": here.first_call(request["kind"], request["shape"])}), flush=True)


def tensorflow():
    """TensorFlow's side, or None when it is not available."""
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        python = os.environ.get(ENVIRONMENT_VARIABLE)
        if not python:
            return None
        try:
            return _TensorFlowChild(python)
        except (OSError, RuntimeError, ValueError) as error:
            print(f"TensorFlow child in {python} failed: {error}", file=sys.stderr)
            return None
    return _TensorFlowHere()


# --- keyrng / jax ------------------------------------------------------------------------------

OTHER_DTYPES = (("float16", KINDS), ("bfloat16", KINDS), ("float64", KINDS), ("int32", ("uniform",)),
                ("int64", ("uniform",)))


def _compat_call(kind: str, shape: list[int], dtype: str = "float32"):
    import jax

    import compat
    op = getattr(compat, kind)
    wide = dtype in ("float64", "int64")
    if dtype.startswith("int"):
        def call():
            with jax.enable_x64(wide):
                op(shape, 0, 1000, dtype=dtype).block_until_ready()
    else:
        def call():
            with jax.enable_x64(wide):
                op(shape, dtype=dtype).block_until_ready()
    return call


def run(rounds: int = 5) -> dict:
    """First-call seconds: {"families": {(kind, dtype): s of its first call}, "load": (start,
    end), "tf_version": v or None, "samples": {(system, kind, dtype, size class): [seconds per
    round]}}."""
    import jax

    import compat

    _listen_for_compiles()
    load_start = os.getloadavg()[0]
    compat.set_seed(1)
    families = {}
    for dtype, kinds in (("float32", KINDS), *OTHER_DTYPES):  # the first call of each kind and dtype
        for kind in kinds:
            start = time.perf_counter()
            _compat_call(kind, [2], dtype)()
            families[(kind, dtype)] = time.perf_counter() - start
    key = jax.random.key(1)
    for kind in KINDS:  # a few calls more
        for n in (1, 7, 100):
            _compat_call(kind, [n])()
            getattr(jax.random, kind)(*((key, -2.0, 2.0) if kind == "truncated_normal" else (key,)),
                                      (n,)).block_until_ready()
    for dtype, kinds in OTHER_DTYPES:
        for kind in kinds:
            _compat_call(kind, [3], dtype)()

    tf_side = tensorflow()
    samples: dict = {}
    compiled_during: list = []  # (name, seconds of the call, [compile seconds]) of compat's timed calls

    def add(name, seconds):
        samples.setdefault(name, []).append(seconds)

    def jax_call(kind, shape):
        function = getattr(jax.random, kind)
        arguments = (key, -2.0, 2.0) if kind == "truncated_normal" else (key,)
        return lambda: function(*arguments, tuple(shape)).block_until_ready()

    try:
        for r in range(rounds):
            for size_class in SIZE_CLASSES:
                for k, kind in enumerate(KINDS):
                    shape = shape_for(size_class, r, k)
                    name = ("compat", kind, "float32", size_class)
                    add(name, _timed(_compat_call(kind, shape), (name, shape), compiled_during))
                    add(("jax", kind, "float32", size_class), _timed(jax_call(kind, shape)))
                    if tf_side is not None:
                        add(("tf", kind, "float32", size_class), tf_side.first_call(kind, shape))
                offset = len(KINDS)
                for dtype, kinds in OTHER_DTYPES:
                    for kind in kinds:
                        shape = shape_for(size_class, r, offset)
                        offset += 1
                        name = ("compat", kind, dtype, size_class)
                        add(name, _timed(_compat_call(kind, shape, dtype), (name, shape), compiled_during))
    finally:
        if tf_side is not None:
            tf_side.close()
    return {"families": families, "load": (load_start, os.getloadavg()[0]),
            "tf_version": None if tf_side is None else tf_side.version, "samples": samples,
            "compiled_during": compiled_during}


def report(result: dict) -> None:
    samples = result["samples"]
    has_tf = result["tf_version"] is not None
    print(f"  load average {result['load'][0]:.1f} at the start, {result['load'][1]:.1f} at the end; "
          f"pause {PAUSE * 1e3:.0f} ms before each timed call")
    print("  first call of each kind and dtype (once per process: compiles its fixed kernel), s:")
    for dtype in dict.fromkeys(d for _, d in result["families"]):
        print(f"    {dtype:9s}" + "   ".join(f"{kind} {seconds:.2f}" for (kind, d), seconds
                                         in result["families"].items() if d == dtype))

    def stats(values):
        return statistics.median(values) * 1e3, max(values) * 1e3

    print(f"  first call of a new float32 shape, ms (median / worst over {len(SIZE_CLASSES)} sizes x "
          f"rounds); ratio = compat / other, of medians")
    header = f"  {'':18s}{'compat':>16s}{'jax eager':>16s}{'ratio':>8s}"
    if has_tf:
        header += f"{'TF eager':>16s}{'ratio':>8s}"
    print(header)
    for kind in KINDS:
        ours = [s for c in SIZE_CLASSES for s in samples[("compat", kind, "float32", c)]]
        theirs = [s for c in SIZE_CLASSES for s in samples[("jax", kind, "float32", c)]]
        (om, ow), (jm, jw) = stats(ours), stats(theirs)
        line = f"  {kind:18s}{om:8.2f} /{ow:6.1f}{jm:8.1f} /{jw:6.0f}{om / jm:8.3f}"
        if has_tf:
            tm, tw = stats([s for c in SIZE_CLASSES for s in samples[("tf", kind, "float32", c)]])
            line += f"{tm:8.2f} /{tw:6.1f}{om / tm:8.2f}"
        print(line)
    print("  by size (compat median ms" + (", TF median ms" if has_tf else "") + "):")
    for kind in KINDS:
        cells = []
        for c in SIZE_CLASSES:
            cell = f"{statistics.median(samples[('compat', kind, 'float32', c)]) * 1e3:.2f}"
            if has_tf:
                cell += f"/{statistics.median(samples[('tf', kind, 'float32', c)]) * 1e3:.2f}"
            cells.append(f"{c:.0e}: {cell}")
        print(f"    {kind:18s}" + "  ".join(cells))
    print("  compat, other dtypes, first call of a new shape, ms (median / worst):")
    for dtype, kinds in OTHER_DTYPES:
        cells = []
        for kind in kinds:
            m, w = stats([s for c in SIZE_CLASSES for s in samples[("compat", kind, dtype, c)]])
            cells.append(f"{kind} {m:.2f} / {w:.1f}")
        print(f"    {dtype:9s}" + "   ".join(cells))
    compiled = result.get("compiled_during", [])
    print(f"  timed compat calls during which XLA compiled something: {len(compiled)}")
    for (name, shape), seconds, compiles in compiled:
        print(f"    {name[1]} {name[2]} {shape}: call {seconds * 1e3:.1f} ms, "
              f"{len(compiles)} compile(s) {sum(compiles) * 1e3:.1f} ms")
    slowest = sorted(((max(v), k) for k, v in samples.items() if k[0] == "compat"), reverse=True)[:5]
    print("  slowest compat first calls (ms): " + ", ".join(
        f"{k[1]} {k[2]} {k[3]:.0e}: {s * 1e3:.1f}" for s, k in slowest))


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        _child()
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        report(run(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
