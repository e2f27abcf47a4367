"""stateless_parameterized_truncated_normal against TensorFlow 2.21.0 CPU, bit for bit
(tests/data/tf_ptn_expected.json, recorded by tests/data/record.py from
tests/data/tf_ptn_scenarios.py), and the glibc expf port against the C library.

The default group replays the error scenarios (no kernel compiles) and checks expf on a sample;
every scenario is replayed in the slow group (each dtype and size bucket compiles the kernel
for several seconds).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
from pathlib import Path

import numpy as np
import pytest

import compat
import keyrng
from keyrng import _libm_expf
from tests import replay
from tests.test_replay import check

DATA = json.loads((Path(__file__).parent / "data" / "tf_ptn_expected.json").read_text())
SCENARIOS = {scenario["name"]: scenario for scenario in DATA["scenarios"]}
CHEAP = ("ptn_errors",)
# Recorded under tf.function(jit_compile=True): replayed with the XLA kernel (keyrng/_tf_xla_ptn.py)
# like the others; tests/test_xla2.py has the wider XLA recordings.
NOT_REPLAYED = ()


@pytest.mark.parametrize("name", [n for n in CHEAP if n in SCENARIOS])
def test_recorded_cheap(name):
    check(SCENARIOS[name], replay.run(SCENARIOS[name]["code"]))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(set(SCENARIOS) - set(CHEAP) - set(NOT_REPLAYED)))
def test_recorded(name):
    check(SCENARIOS[name], replay.run(SCENARIOS[name]["code"]))


def _glibc_expf(values):
    libm = ctypes.CDLL(ctypes.util.find_library("m"))
    libm.expf.restype = ctypes.c_float
    libm.expf.argtypes = [ctypes.c_float]
    return np.array([libm.expf(float(v)) for v in values], np.float32)


def _check_expf(values):
    values = np.asarray(values, np.float32)
    want = _glibc_expf(values)
    got = np.asarray(_libm_expf.expf(values))
    # XLA:CPU flushes subnormal results to zero; the kernel only compares them with uniforms
    # (multiples of 2^-23), where a subnormal and 0 decide alike.
    normal = ~(np.abs(want) < np.finfo(np.float32).tiny)
    assert np.array_equal(want[normal].view(np.uint32), got[normal].view(np.uint32))
    assert np.all(got[~normal] <= want[~normal])


def test_expf_matches_glibc():
    rng = np.random.default_rng(1)
    _check_expf(np.concatenate([rng.uniform(-20, 2, 3000), -rng.uniform(0, 1, 2000) ** 2,
                                [0.0, -0.0, 1.0, -1.0, 88.7, 88.8, -103.9, -104.0, np.inf, -np.inf, np.nan]]))


@pytest.mark.slow
def test_expf_matches_glibc_many():
    rng = np.random.default_rng(2)
    _check_expf(np.concatenate([rng.uniform(-20, 1, 300000), rng.uniform(-104, 89, 100000),
                                -rng.uniform(0, 1, 100000) ** 2]))


def test_checks_refuse_before_drawing():
    f = "compat.stateless_parameterized_truncated_normal"
    with pytest.raises(ValueError, match="Invalid parameters"):
        compat.stateless_parameterized_truncated_normal([3], [1, 2], 0.0, -1.0)
    with pytest.raises(TypeError, match="dtype of means"):
        compat.stateless_parameterized_truncated_normal([3], [1, 2], np.float64(0.0))
    with pytest.raises(TypeError):
        compat.stateless_parameterized_truncated_normal([3], [1, 2], 0, 1, -2, 2)
    with pytest.raises(ValueError, match="ends with the broadcast shape"):
        compat.stateless_parameterized_truncated_normal([2, 3], [1, 2], [0.0, 1.0])
    assert f in keyrng.errors.message(f, "shape", "x", 1)


def test_empty_and_cost_model():
    out = compat.stateless_parameterized_truncated_normal([0, 3], [1, 2], [0.0, 1.0, 2.0])
    assert out.shape == (0, 3) and out.dtype == np.float32
    assert keyrng.tf.parameterized_truncated_normal_cost("float32") == 187
    assert keyrng.tf.parameterized_truncated_normal_shard_size(999, "float32", 1) == 999


@pytest.mark.slow
def test_xla_kernel_under_jit_compile():
    """TensorFlow 2.21's XLA values (recorded `ptn_xla`): the inverse-CDF kernel, not the CPU one."""
    f = compat.function(lambda s: compat.stateless_parameterized_truncated_normal([9], s, 0.0, 1.0, -1.0, 1.0),
                        jit_compile=True)
    got = np.asarray(f(np.array([1, 2], np.int32))).view(np.uint32).tolist()
    assert got == SCENARIOS["ptn_xla"]["outputs"][0]["bits"]
