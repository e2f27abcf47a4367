"""compat's gamma and Poisson ops against TensorFlow 2.21.0 (CPU): the recorded scenarios of
tests/data/tf_gamma_scenarios.py (tf_gamma_expected.json, recorded by tests/data/record.py),
replayed bit for bit, and the glibc ports they rest on (keyrng/_libm64.py) against the C library.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import compat
import keyrng
import keyrng.tf
from keyrng import _libm64
from tests import replay
from tests.test_replay import check

DATA = json.loads((Path(__file__).parent / "data" / "tf_gamma_expected.json").read_text())
SCENARIOS = {scenario["name"]: scenario for scenario in DATA["scenarios"]}
# The default group replays these (a few compiled shapes each); the slow group replays them all.
DEFAULT = ("gamma_repeated_calls_share_counter", "poisson_small_rates", "stateless_gamma_basic",
           "stateless_poisson_basic", "gamma_errors", "poisson_errors", "stateless_gamma_errors",
           "stateless_poisson_errors")


def _replay(name):
    scenario = SCENARIOS[name]
    got = replay.run(scenario["code"])
    check(scenario, got)


@pytest.mark.parametrize("name", DEFAULT)
def test_recorded(name):
    _replay(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in SCENARIOS if n not in DEFAULT])
def test_recorded_slow(name):
    _replay(name)
