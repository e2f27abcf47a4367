"""Every scenario TensorFlow 2.21 (CPU) recorded in tests/data (and ../shared, if present), replayed on compat.

uniform and integer outputs must match bit for bit. normal and truncated normal outputs must be
within 3 ulp; the test prints the share that is bit-exact (the goal is all of them).
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
NORMAL_ULPS = 0


def _needs_missing_api(code: str) -> str | None:
    for name in ("function", "stateless_uniform", "stateless_normal", "stateless_truncated_normal",
                 "split", "fold_in", "shuffle", "categorical", "Generator", "dropout",
                 "enable_op_determinism"):
        if f"R.{name}" in code and not hasattr(compat, name):
            return f"compat.{name} does not exist yet"
    return None


def check(scenario: dict, got: list[dict]) -> tuple[int, int]:
    """Assert `got` matches the recording; returns (bit-exact, total) over normal-family values."""
    expected = scenario["outputs"]
    assert len(got) == len(expected), f"{len(got)} outputs, TensorFlow recorded {len(expected)}"
    uses_normal = "normal(" in scenario["code"]
    exact = total = 0
    for index, (want, have) in enumerate(zip(expected, got)):
        where = f"{scenario['name']} output {index}"
        if "error" in want:
            assert "error" in have and (have["error"] is None) == (want["error"] is None), \
                f"{where}: TensorFlow {'raised' if want['error'] else 'did not raise'}; we got {have}"
            continue
        assert "error" not in have or have["error"] is None, f"{where}: raised {have}"
        assert have["dtype"] == want["dtype"], where
        assert have["shape"] == want["shape"], where
        # Outputs of normal and truncated_normal (tagged by the replay; inside compiled functions,
        # any float output of a scenario that calls them) may be 3 ulp off; nothing else may.
        family = have.get("family")
        normal_family = want["dtype"].startswith(("float", "bfloat")) and (
            family == "normal" or (family is None and uses_normal))
        if have["bits"] == want["bits"]:
            if normal_family:
                exact += len(want["bits"])
                total += len(want["bits"])
            continue
        if not normal_family:
            first = next(i for i, (a, b) in enumerate(zip(want["bits"], have["bits"])) if a != b)
            pytest.fail(f"{where}: element {first} has bits {have['bits'][first]}, "
                        f"TensorFlow {want['bits'][first]} (values must match bit for bit)")
        distance = replay.ulp_distance(want["dtype"], want["bits"], have["bits"])
        assert distance.max() <= NORMAL_ULPS, f"{where}: {int(distance.max())} ulp apart"
        exact += int((distance == 0).sum())
        total += len(distance)
    return exact, total


@pytest.mark.parametrize("source,scenario", SCENARIOS, ids=IDS)
def test_scenario(source, scenario):
    missing = _needs_missing_api(scenario["code"])
    if missing:
        pytest.xfail(missing)
    exact, total = check(scenario, replay.run(scenario["code"]))
    if total:
        print(f"{scenario['name']}: {exact}/{total} normal-family values bit-exact "
              f"({100.0 * exact / total:.3f}%)")


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


@pytest.mark.parametrize("source,scenario", [s for s in SCENARIOS if "_bulk_" in s[1]["name"]],
                         ids=[s[1]["name"] for s in SCENARIOS if "_bulk_" in s[1]["name"]])
def test_normal_family_is_bit_exact(source, scenario):
    """The 3-ulp allowance above is the floor; the glibc-faithful libm port makes every value exact."""
    exact, total = check(scenario, replay.run(scenario["code"]))
    assert exact == total, f"{total - exact} of {total} values differ from TensorFlow in the last bits"
