"""Differential fuzzing: generated Keras cases, Keras 3.15.1 on TensorFlow 2.21 (CPU) against Keras
3.15.1 on JAX with `compat.keras.use_tensorflow_numbers()`, bit for bit.

Known answers: tests/data/keras_fuzz_expected.json, recorded by tests/data/keras_fuzz_record.py
(its generator, `random.Random(seed)` per generator seed, makes the same cases every time). The
default group replays a handful of cheap cases; the slow group replays them all in one process
(every case starts with keras.utils.set_random_seed, so they are independent).
"""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import random
import sys

import numpy as np
import pytest

DATA = pathlib.Path(__file__).parent / "data"

if importlib.util.find_spec("keras") is None:
    pytest.skip("keras is not installed (pip install 'keyrng[keras]')", allow_module_level=True)
if "keras" not in sys.modules:
    os.environ["KERAS_BACKEND"] = "jax"

import jax  # noqa: E402
import keras  # noqa: E402

import compat  # noqa: E402
import compat.keras  # noqa: E402

pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")

if keras.backend.backend() != "jax":
    pytest.skip(f"keras was imported on the {keras.backend.backend()!r} backend", allow_module_level=True)

_spec = importlib.util.spec_from_file_location("keras_fuzz_record", DATA / "keras_fuzz_record.py")
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)

RECORDING = json.loads((DATA / "keras_fuzz_expected.json").read_text())
CASES = {s["name"]: s for s in RECORDING["scenarios"]}

# Cases the default group replays: cheap ones (float32 uniform and dropout draws: int seeds, a
# SeedGenerator, the global generator, rejected calls).
DEFAULT = {"g3_093_errors", "g4_018_errors", "g3_109_random", "g2_043_random_layer", "g4_136_odd"}
# The slow group replays the cases of one generator seed (the whole recording takes about 4 min of
# CPU, over the slow budget): all of them with KERAS_FUZZ_ALL=1.
SLOW_SEED = "g4_"

# Cases whose recording is not reproduced, and why (docs/keras_fuzz.md).
NOT_COVERED: dict[str, str] = {}


def compare(name, expected, got):
    """None if the records agree bit for bit (with the dtype rules of tests/test_keras.py), else
    the first difference."""
    if len(got) != len(expected):
        return f"{len(got)} outputs, TensorFlow's backend {len(expected)}: {got[-1:]} / {expected[-1:]}"
    for index, (want, have) in enumerate(zip(expected, got)):
        where = f"output {index}"
        if "error" in want:
            if "error" not in have or (have["error"] is None) != (want["error"] is None):
                return f"{where}: TensorFlow's backend {want}; JAX's {have}"
            if want.get("uncaught") != have.get("uncaught"):
                return f"{where}: TensorFlow's backend {want}; JAX's {have}"
            if want.get("uncaught") and want["error"] != have["error"]:  # TypeError vs ValueError
                return f"{where}: TensorFlow's backend raised {want['error']}; JAX's {have}"
            continue
        if "error" in have:
            return f"{where}: raised {have}"
        if have["shape"] != want["shape"]:
            return f"{where}: shape {have['shape']}, TensorFlow's {want['shape']}"
        if not (have["dtype"] == want["dtype"] or (want["dtype"], have["dtype"]) == ("int64", "uint32") or (
                (want["dtype"], have["dtype"]) == ("int64", "int32") and not jax.config.jax_enable_x64)):
            return f"{where}: dtype {have['dtype']}, TensorFlow's {want['dtype']}"
        if have["bits"] != want["bits"]:
            bad = [i for i, (a, b) in enumerate(zip(want["bits"], have["bits"])) if a != b]
            return (f"{where}: {len(bad)} of {len(want['bits'])} elements differ, first {bad[0]}: "
                    f"bits {have['bits'][bad[0]]}, TensorFlow's {want['bits'][bad[0]]}")
    return None


def replay(names):
    failures = {}
    py_state, np_state = random.getstate(), np.random.get_state()
    try:
        with compat.keras.use_tensorflow_numbers():
            for name in names:
                case = CASES[name]
                got = fuzz.run_case(case["code"], keras, jax.jit)
                problem = compare(name, case["outputs"], got)
                if problem:
                    failures[name] = problem
    finally:
        compat.reset()
        random.setstate(py_state)
        np.random.set_state(np_state)
    return failures


def test_generator_is_fixed():
    """The committed cases are the generator's: same seeds, same code."""
    for spec in RECORDING["generators"]:
        seed, count = map(int, spec.split(":"))
        for name, code in fuzz.generate(seed, count):
            assert CASES[name]["code"] == code, name


def test_fuzz_default():
    assert replay(sorted(DEFAULT)) == {}


@pytest.mark.slow
def test_fuzz_slow():
    failures = replay([n for n in CASES if n.startswith(SLOW_SEED) and n not in DEFAULT | set(NOT_COVERED)])
    assert not failures, "\n".join(f"{name}: {problem}" for name, problem in failures.items())


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("KERAS_FUZZ_ALL"), reason="all 880 cases: set KERAS_FUZZ_ALL=1")
def test_fuzz_all():
    failures = replay([n for n in CASES if not n.startswith(SLOW_SEED) and n not in DEFAULT | set(NOT_COVERED)])
    assert not failures, "\n".join(f"{name}: {problem}" for name, problem in failures.items())
