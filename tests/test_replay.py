"""Every scenario TensorFlow 2.21 (CPU) recorded in tests/data (and ../shared, if present), replayed on compat.

Every output must match bit for bit: floats of every family, integers, and which calls raise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import compat
from tests import replay

SCENARIOS = replay.scenarios()
IDS = [scenario["name"] for _, scenario in SCENARIOS]


def _needs_missing_api(code: str) -> str | None:
    for name in ("function", "stateless_uniform", "stateless_normal", "stateless_truncated_normal",
                 "split", "fold_in", "shuffle", "categorical", "Generator", "dropout",
                 "enable_op_determinism"):
        if f"R.{name}" in code and not hasattr(compat, name):
            return f"compat.{name} does not exist yet"
    return None


def check(scenario: dict, got: list[dict]) -> None:
    """Assert `got` (tests/replay.py's records) equals the recording: the same errors, dtypes,
    shapes and bit patterns (no allowance of any kind)."""
    expected = scenario["outputs"]
    assert len(got) == len(expected), f"{len(got)} outputs, TensorFlow recorded {len(expected)}"
    for index, (want, have) in enumerate(zip(expected, got)):
        where = f"{scenario['name']} output {index}"
        if "error" in want:
            assert "error" in have and (have["error"] is None) == (want["error"] is None), \
                f"{where}: TensorFlow {'raised' if want['error'] else 'did not raise'}; we got {have}"
            continue
        assert "error" not in have or have["error"] is None, f"{where}: raised {have}"
        assert have["dtype"] == want["dtype"], where
        assert have["shape"] == want["shape"], where
        if have["bits"] != want["bits"]:
            first = next(i for i, (a, b) in enumerate(zip(want["bits"], have["bits"])) if a != b)
            pytest.fail(f"{where}: element {first} has bits {have['bits'][first]}, "
                        f"TensorFlow {want['bits'][first]} (values must match bit for bit)")


@pytest.mark.parametrize("source,scenario", SCENARIOS, ids=IDS)
def test_scenario(source, scenario):
    missing = _needs_missing_api(scenario["code"])
    if missing:
        pytest.xfail(missing)
    check(scenario, replay.run(scenario["code"]))


@pytest.mark.slow
@pytest.mark.parametrize("source,scenario", SCENARIOS, ids=IDS)
def test_scenario_in_fresh_process_with_x64(source, scenario):
    missing = _needs_missing_api(scenario["code"])
    if missing:
        pytest.xfail(missing)
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, str(root / "tests" / "replay.py"), scenario["name"]],
                          capture_output=True, text=True, cwd=root, check=True,
                          env={**os.environ, "PYTHONPATH": str(root), "JAX_ENABLE_X64": "1"})
    check(scenario, json.loads(proc.stdout.strip().splitlines()[-1]))

