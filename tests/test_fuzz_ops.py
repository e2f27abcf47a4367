"""Differential fuzz of the random ops against TensorFlow 2.21.0 (CPU).

tests/data/tf_fuzz_ops_scenarios.py generates the scenarios (fixed generator seeds: uniform /
normal / truncated_normal / shuffle / categorical / gamma / poisson / dropout eager and inside
`function`, with and without a global seed or op seeds, repeated calls; the stateless family with
every seed and `alg` form; argument errors each followed by a draw); tests/data/record.py recorded
them with TensorFlow 2.21.0 into tests/data/tf_fuzz_ops_expected.json; here compat replays them
bit for bit (values, dtypes, shapes, and whether a call raised). The scenarios are in the slow
group (every sixth; all with KEYRNG_FUZZ_ALL=1); the focused tests of what the fuzz found are
below.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests import replay
from tests.test_replay import check

_DATA = json.loads((Path(__file__).parent / "data" / "tf_fuzz_ops_expected.json").read_text())
SCENARIOS = {scenario["name"]: scenario for scenario in _DATA["scenarios"]}
# Each scenario compiles kernels of its own (shapes, dtypes, functions): 5-20 s apiece on this
# machine, too much for the default group. The slow group replays every sixth scenario (about
# 1.5 min); KEYRNG_FUZZ_ALL=1 replays them all (about 10-15 min).
_ALL = os.environ.get("KEYRNG_FUZZ_ALL") == "1"
_SLOW = sorted(SCENARIOS)[::6]


_KNOWN: dict = {}  # scenario name -> why it is expected to fail (none now)


def _param(name):
    if name in _KNOWN:
        return pytest.param(name, marks=[pytest.mark.slow, pytest.mark.xfail(reason=_KNOWN[name], strict=True)])
    if name in _SLOW:
        return pytest.param(name, marks=pytest.mark.slow)
    return pytest.param(name, marks=[pytest.mark.slow, pytest.mark.skipif(not _ALL, reason="KEYRNG_FUZZ_ALL=1 replays it")])


@pytest.mark.parametrize("name", [_param(name) for name in sorted(SCENARIOS)])
def test_fuzz_scenario(name):
    check(SCENARIOS[name], replay.run(SCENARIOS[name]["code"]))


# --- focused tests for what the fuzz found ---------------------------------------------------------

def test_gamma_divides_by_a_broadcast_beta_exactly():
    """`tf.random.gamma`'s `raw / beta` is IEEE division; XLA rewrites `x / broadcast(b)` into
    `x * (1 / b)`, 1 ulp off in float64 (found by fuzz_ops_a_eager_0: beta of shape [2, 1])."""
    import jax
    import numpy as np

    import keyrng.tf as tfk

    raw = np.random.RandomState(0).gamma(1.0, size=(31, 2, 3))
    with jax.enable_x64(True):
        for beta in (np.array([[200.0], [0.9315]]), np.array([0.9315, 3.0, 1.1]),
                     np.float64(3.0)):
            got = np.asarray(tfk.finish_gamma(raw, beta))
            np.testing.assert_array_equal(got.view(np.uint64), np.maximum(np.finfo(np.float64).tiny, raw / beta).view(np.uint64))


@pytest.mark.slow
def test_stateless_normal_with_a_constant_seed_in_a_function_is_not_folded():
    """A constant seed inside a function: XLA would constant-fold the whole draw, and its
    evaluator rounds the products that the compiled glibc `log` port fuses (FMA). TensorFlow 2.21
    recording fuzz_ops_a_stateless_47: stateless_normal([], [2, 0] int64, float64)."""
    import jax
    import numpy as np

    import compat

    with jax.enable_x64(True):
        seed = np.array([2, 0], np.int64)
        inside = compat.function(lambda: compat.stateless_normal([], seed, dtype=np.float64))()
        assert int(np.asarray(inside).view(np.uint64)) == 13827187258592305354


@pytest.mark.slow
def test_scaling_is_never_contracted_in_any_eager_kernel_size():
    """`raw * stddev + mean` (`minval + raw * span`) rounded twice, as TensorFlow's Python-level
    scaling, in every fixed eager kernel size: found by fuzz_ops_b_stateless_5, where the float64
    truncated normal's 256-group kernel contracted 21 of 1360 values into multiply-adds (the
    opaque zero of `_tf_kernels._separate_add` made from the sample's bits alone)."""
    import jax
    import numpy as np

    import keyrng
    from keyrng import _eager

    with jax.enable_x64(True):
        words = _eager.concrete_words(keyrng.tf.stateless_key("test", np.array([1, 3]))[0])
        n = 4 * max(keyrng.tf.EAGER_LADDER) + 3
        for dtype in ("float32", "float64"):
            t = np.dtype(dtype).type
            for kind in ("normal", "truncated_normal", "uniform"):
                if kind == "uniform":
                    unit = np.asarray(_eager.uniform(words, (n,), dtype, 0, 1, sizes=(16,)))
                    want = t(100.0) + unit * (t(10000.1) - t(100.0))
                else:
                    unit = np.asarray(_eager.normal(kind, words, (n,), dtype, 0.0, 1.0, sizes=(16,)))
                    want = unit * t(10000.1) + t(100.0)
                for size in keyrng.tf.EAGER_LADDER:
                    if kind == "uniform":
                        got = _eager.uniform(words, (n,), dtype, 100.0, 10000.1, sizes=(size,))
                    else:
                        got = _eager.normal(kind, words, (n,), dtype, 100.0, 10000.1, sizes=(size,))
                    bad = int((np.asarray(got) != want).sum())
                    assert bad == 0, f"{kind} {dtype} at {size} groups: {bad} values contracted"
