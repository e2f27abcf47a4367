"""Differential fuzz of the random ops against TensorFlow 2.21.0 (CPU).

tests/data/tf_fuzz_ops_scenarios.py generates the scenarios (fixed generator seeds: uniform /
normal / truncated_normal / shuffle / categorical / gamma / poisson / dropout eager and inside
`function`, with and without a global seed or op seeds, repeated calls; the stateless family with
every seed and `alg` form; argument errors each followed by a draw); tests/data/record.py recorded
them with TensorFlow 2.21.0 into tests/data/tf_fuzz_ops_expected.json; here compat replays them
bit for bit (values, dtypes, shapes, and whether a call raised). Most scenarios are in the slow
group; a few cheap ones run by default.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import replay
from tests.test_replay import check

_DATA = json.loads((Path(__file__).parent / "data" / "tf_fuzz_ops_expected.json").read_text())
SCENARIOS = {scenario["name"]: scenario for scenario in _DATA["scenarios"]}
# The default group's share: cheap scenarios (kernels the rest of the default group compiles).
_DEFAULT: tuple[str, ...] = ()


@pytest.mark.parametrize("name", [name if name in _DEFAULT else pytest.param(name, marks=pytest.mark.slow)
                                  for name in sorted(SCENARIOS)])
def test_fuzz_scenario(name):
    check(SCENARIOS[name], replay.run(SCENARIOS[name]["code"]))
