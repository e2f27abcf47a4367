"""`compat.get_state` / `compat.set_state`: a JSON snapshot that resumes exactly where it was taken."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import compat

ROOT = Path(__file__).resolve().parents[1]


@compat.function
def _compiled_step(scale):
    """Compiled counters: one op with an op seed, two that take op seeds from the trace."""
    return compat.uniform([2], seed=1) * scale, compat.normal([3]), compat.uniform([2], maxval=scale)


def _warm_up():
    """Some history: op-seed draws, kernels of several ops and dtypes, a moved counter."""
    compat.set_seed(7)
    compat.uniform([3])
    compat.uniform([2], seed=1)
    compat.uniform([2], seed=1)
    compat.normal([5])
    compat.uniform([4], maxval=10, dtype=compat.int32, seed=3)
    compat.truncated_normal([2, 3], seed=4)
    compat.set_global_generator(compat.Generator.from_seed(5))
    compat.get_global_generator().uniform([2])
    _compiled_step(2.0)
    _compiled_step(2.0)
    _compiled_step(3)


def _continue():
    """What comes next: unseeded calls (op-seed draws) and seeded calls (kernel counters)."""
    return [np.asarray(x).tolist() for x in (
        compat.uniform([3]),
        compat.uniform([2], seed=1),
        compat.normal([5]),
        compat.uniform([4], maxval=10, dtype=compat.int32, seed=3),
        compat.truncated_normal([2, 3], seed=4),
        compat.uniform([2], seed=99),
        compat.get_global_generator().normal([2]),
        *_compiled_step(2.0),
        *_compiled_step(3),
        *_compiled_step(3),
    )]


def test_snapshot_is_json_and_holds_the_parts():
    _warm_up()
    state = compat.get_state()
    assert json.loads(json.dumps(state)) == json.loads(json.dumps(state))
    assert state["format"] == "keyrng.compat.state/1"
    assert state["global_seed"] == 7
    assert ["RandomUniform", "float32", "int32", 7, 1, 2 * 2 * 256] in state["kernels"]
    assert state["determinism"] is False


def test_round_trip_through_json_resumes_exactly():
    _warm_up()
    saved = json.dumps(compat.get_state())
    uninterrupted = _continue()
    _continue()  # move on, then go back
    compat.set_state(json.loads(saved))
    assert _continue() == uninterrupted


def test_round_trip_after_reset_and_other_seed():
    _warm_up()
    saved = json.dumps(compat.get_state())
    uninterrupted = _continue()
    compat.reset()
    compat.set_seed(12345)
    compat.uniform([7])
    compat.set_state(json.loads(saved))
    assert _continue() == uninterrupted


def test_round_trip_without_global_seed():
    compat.uniform([2], seed=5)
    saved = compat.get_state()
    assert saved["global_seed"] is None
    expected = compat.uniform([2], seed=5)
    compat.set_state(saved)
    np.testing.assert_array_equal(compat.uniform([2], seed=5), expected)


def test_determinism_switch_is_restored():
    compat.enable_op_determinism()
    saved = compat.get_state()
    compat.reset()
    compat.set_state(saved)
    with pytest.raises(RuntimeError, match="op determinism"):
        compat.uniform([1])


def test_global_generator_is_restored():
    compat.set_global_generator(compat.Generator.from_seed(11))
    compat.get_global_generator().normal([3])
    saved = json.loads(json.dumps(compat.get_state()))
    assert saved["global_generator"] == {"state": [11 + 3 * 256, 0, 0], "algorithm": 1}
    expected = compat.get_global_generator().uniform([4])
    compat.reset()
    compat.set_state(saved)
    np.testing.assert_array_equal(compat.get_global_generator().uniform([4]), expected)


def test_threefry_global_generator_is_restored():
    compat.set_global_generator(compat.Generator.from_seed(5, alg="threefry"))
    saved = json.loads(json.dumps(compat.get_state()))
    assert saved["global_generator"] == {"state": [5, 0], "algorithm": 2}
    compat.reset()
    compat.set_state(saved)
    assert compat.get_global_generator().algorithm == 2
    assert np.asarray(compat.get_global_generator().state).tolist() == [5, 0]
    saved["global_generator"]["state"] = [1, 2, 3]  # a Philox state for a ThreeFry generator
    with pytest.raises(ValueError, match="global_generator"):
        compat.set_state(saved)


def test_no_global_generator_stays_none():
    saved = compat.get_state()
    assert saved["global_generator"] is None
    compat.set_global_generator(compat.Generator.from_seed(11))
    compat.set_state(saved)
    assert compat.get_state()["global_generator"] is None


@pytest.mark.slow
def test_round_trip_through_json_in_a_fresh_process():
    _warm_up()
    saved = json.dumps(compat.get_state())
    uninterrupted = _continue()
    script = (
        "import json, sys, compat\n"
        "from tests.test_checkpoint import _continue\n"
        "compat.reset()\n"
        "compat.set_state(json.loads(sys.stdin.read()))\n"
        "print(json.dumps(_continue()))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", script], input=saved, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(json.dumps(uninterrupted))


def _malformed(good: dict):
    """(name, bad state, expected exception) for ways a snapshot can be wrong or foreign."""
    def edit(change):
        state = copy.deepcopy(good)
        change(state)
        return state

    words = good["op_seed_draw"][1]
    yield "not a dict", [good], TypeError
    yield "None", None, TypeError
    yield "json text", json.dumps(good), TypeError
    yield "empty", {}, ValueError
    yield "foreign format", edit(lambda s: s.update(format="tensorflow/1")), ValueError
    yield "missing part", edit(lambda s: s.pop("kernels")), ValueError
    yield "extra part", edit(lambda s: s.update(extra=1)), ValueError
    yield "seed a float", edit(lambda s: s.update(global_seed=7.0)), ValueError
    yield "seed a bool", edit(lambda s: s.update(global_seed=True)), ValueError
    yield "draw not a list", edit(lambda s: s.update(op_seed_draw="abc")), ValueError
    yield "draw version", edit(lambda s: s["op_seed_draw"].__setitem__(0, 2)), ValueError
    yield "draw short", edit(lambda s: s["op_seed_draw"].__setitem__(1, words[:-1])), ValueError
    yield "draw word too big", edit(lambda s: s["op_seed_draw"][1].__setitem__(0, 2**32)), ValueError
    yield "draw word negative", edit(lambda s: s["op_seed_draw"][1].__setitem__(5, -1)), ValueError
    yield "draw position", edit(lambda s: s["op_seed_draw"][1].__setitem__(624, 625)), ValueError
    yield "draw all zero", edit(lambda s: s["op_seed_draw"].__setitem__(1, [0] * 624 + [1])), ValueError
    yield "draw gauss", edit(lambda s: s["op_seed_draw"].__setitem__(2, "x")), ValueError
    yield "kernels a dict", edit(lambda s: s.update(kernels={})), ValueError
    yield "kernel row short", edit(lambda s: s["kernels"].append([5])), ValueError
    yield "kernel offset negative", edit(lambda s: s["kernels"][0].__setitem__(-1, -256)), ValueError
    yield "kernel offset float", edit(lambda s: s["kernels"][0].__setitem__(-1, 256.0)), ValueError
    yield "kernel key float", edit(lambda s: s["kernels"][0].__setitem__(3, 7.5)), ValueError
    yield "kernel twice", edit(lambda s: s["kernels"].append(list(s["kernels"][0]))), ValueError
    yield "determinism an int", edit(lambda s: s.update(determinism=1)), ValueError
    yield "generator a list", edit(lambda s: s.update(global_generator=[1, 0, 0])), ValueError
    yield "generator short", edit(lambda s: s.update(global_generator={"state": [1], "algorithm": 1})), ValueError
    yield "generator alg", edit(lambda s: s.update(global_generator={"state": [1, 0, 0], "algorithm": 9})), ValueError
    yield "generator word", edit(lambda s: s.update(global_generator={"state": [2**64, 0, 0], "algorithm": 1})), ValueError
    yield "function counters a dict", edit(lambda s: s.update(functions={"f": 1})), ValueError
    yield "function counters junk", edit(lambda s: s.update(functions=[{"function": "f"}])), ValueError


def _bad_cases():
    compat.reset()
    _warm_up()
    good = json.loads(json.dumps(compat.get_state()))
    compat.reset()
    return list(_malformed(good))


BAD = _bad_cases()


@pytest.mark.parametrize("name, bad, kind", BAD, ids=[case[0] for case in BAD])
def test_malformed_state_raises_and_changes_nothing(name, bad, kind):
    _warm_up()
    before = compat.get_state()
    with pytest.raises(kind, match=r"^`compat.set_state`: `state` must be a dict made by compat.get_state"):
        compat.set_state(bad)
    assert compat.get_state() == before
    uninterrupted = _continue()
    compat.set_state(before)
    assert _continue() == uninterrupted


def test_compiled_function_counters_are_in_the_snapshot():
    _warm_up()
    rows = compat.get_state()["functions"]
    assert sorted(row["calls"] for row in rows) == [1, 2]
