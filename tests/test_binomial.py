"""stateless_binomial, Generator.binomial and stateless_categorical against TensorFlow 2.21.0 CPU
(tests/data/tf_binomial_expected.json, recorded by tests/data/record.py from
tests/data/tf_binomial_scenarios.py), bit for bit; and the glibc log1p port against the C library.

The default group replays the scenarios that compile no binomial kernel (errors, state checks,
stateless_categorical); every scenario is replayed in the slow group (each new kernel size
compiles for a few seconds).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import jax
import numpy as np
import pytest

import compat
import keyrng
from keyrng import _libm64
from tests import replay
from tests.test_replay import check

DATA = json.loads((Path(__file__).parent / "data" / "tf_binomial_expected.json").read_text())
SCENARIOS = {scenario["name"]: scenario for scenario in DATA["scenarios"]}
CHEAP = ("stateless_categorical_errors",)


@pytest.mark.parametrize("name", CHEAP)
def test_recorded_cheap(name):
    check(SCENARIOS[name], replay.run(SCENARIOS[name]["code"]))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(set(SCENARIOS) - set(CHEAP)))
def test_recorded(name):
    check(SCENARIOS[name], replay.run(SCENARIOS[name]["code"]))


def test_rejected_call_keeps_state():
    g = compat.Generator.from_seed(1234)
    with pytest.raises(TypeError):
        g.binomial([2], counts=[10, 20], probs=0.5)
    with pytest.raises(ValueError):
        g.binomial([3], counts=[10., 20.], probs=0.5)
    assert g.state.tolist() == [1234, 0, 0]
    with pytest.raises(ValueError, match="compat.stateless_binomial"):
        compat.stateless_binomial([3], [1, 2], [1., 2.], 0.5)


def test_blocks():
    # num_batches * 200 * (samples + 3) // 4, in units of 256 blocks (RngReadAndSkip's count)
    assert keyrng.tf.binomial_blocks((2,), 1) == 400
    assert keyrng.tf.binomial_blocks((5, 2), 1) == 800
    assert keyrng.tf.binomial_blocks((7,), 0) == 500
    assert keyrng.tf.binomial_blocks((0,), 1) == 0


def _glibc_log1p(values):
    return np.array([math.log1p(v) for v in values])


def _check_log1p(values):
    with jax.enable_x64(True):
        got = np.asarray(_libm64.log1p(values))
    want = _glibc_log1p(values)
    same = (got.view(np.int64) == want.view(np.int64)) | (np.isnan(got) & np.isnan(want))
    assert same.all(), values[~same][:5]


def test_log1p_matches_glibc():
    rng = np.random.default_rng(0)
    _check_log1p(np.concatenate([-rng.random(2000) * 0.5, rng.random(500) * 4, -np.exp(rng.uniform(-70, 0, 500)),
                                 [0.0, -0.0, -0.2929, 0.41422, 1e-300, -1e-17, 2.0**-30, np.inf]]))


@pytest.mark.slow
def test_log1p_matches_glibc_many():
    """2M inputs: the probabilities the kernel sees (-p for p in (0, 0.5], float32 and float16
    ones too) and the whole range."""
    rng = np.random.default_rng(3)
    _check_log1p(np.concatenate([
        -rng.random(1_000_000) * 0.5, -np.float32(rng.random(200_000) * 0.5).astype(np.float64),
        -np.exp(rng.uniform(-80, 0, 200_000)), rng.random(200_000) * 10, -rng.random(200_000),
        np.exp(rng.uniform(-700, 700, 200_000)), -np.float16(rng.random(2000) * 0.5).astype(np.float64)]))


@pytest.mark.slow
def test_float64_log_matches_glibc_on_kernel_arguments():
    """The kernel's logs (uniforms in [0, 1) and BTRS ratios of any size) go through
    keyrng._libm.log; check it off its documented (0, 1] domain too."""
    from keyrng import _libm
    rng = np.random.default_rng(4)
    values = np.concatenate([np.exp(rng.uniform(-700, 700, 300_000)), rng.random(300_000) * 100,
                             np.arange(1, 50_000, dtype=np.float64)])
    with jax.enable_x64(True):
        got = np.asarray(_libm.log(values))
    assert (got.view(np.int64) == np.array([math.log(v) for v in values]).view(np.int64)).all()


@pytest.mark.slow
def test_statistics():
    """Mean and variance of many samples in both regimes (a sanity check beside the bits)."""
    for n, p in ((7., 0.3), (400., 0.35), (300., 0.9)):
        x = np.asarray(compat.stateless_binomial([4096], [5, 6], n, p, output_dtype=compat.float32))
        assert abs(x.mean() - n * p) < 5 * math.sqrt(n * p * (1 - p) / 4096)
        assert 0.85 < x.var() / (n * p * (1 - p)) < 1.15
