"""TensorFlow's XLA numbers, second part (docs/xla.md): `stateless_parameterized_truncated_normal`
under `jit_compile=True`, `Generator.make_seeds` inside compat.function (plain and jit_compile), and
the ThreeFry algorithm (Generators with alg="threefry", stateless ops with alg="threefry"), which only
TensorFlow's XLA bridge runs, against TensorFlow 2.21 CPU, bit for bit.

Known answers: `tests/data/tf_xla2_expected.json`, recorded with TensorFlow 2.21.0 (CPU) by
`tests/data/record.py tf_xla2_scenarios.py OUT.json --list S` from `tests/data/tf_xla2_scenarios.py`
(each scenario's source is in the file); `tf_xla2_run2.json` is the same recording made again in
other processes (TensorFlow gave the same values: `test_recordings_are_deterministic`).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jax
import numpy as np
import pytest

import compat
import keyrng
from tests import replay
from tests.test_replay import check

DATA = Path(__file__).parent / "data"
SCENARIOS = {s["name"]: s for s in json.loads((DATA / "tf_xla2_expected.json").read_text())["scenarios"]}
RUN2 = {s["name"]: s for s in json.loads((DATA / "tf_xla2_run2.json").read_text())["scenarios"]}

# Every scenario compiles a few functions of its own, so the slow group replays them all; the
# default group checks the kernels directly (below).

# Where compat differs from TensorFlow 2.21 (docs/xla2.md): {scenario: {output index: why}}.
DEVIATIONS = {
    # make_seeds(-1) inside a function: TensorFlow reads and skips the state by 256 * -1 before the
    # draw's shape check fails (InvalidArgumentError), so its counter goes back by 256; compat
    # refuses the call before touching the state (a rejected call changes nothing).
    "xla2_make_seeds_more": {17: "state moved back by 256 by a refused make_seeds(-1)"},
}


def _replay(name: str) -> None:
    scenario = copy.deepcopy(SCENARIOS[name])
    got = replay.run(scenario["code"])
    for index in DEVIATIONS.get(name, {}):
        want, have = scenario["outputs"][index]["bits"], got[index]["bits"]
        assert want == [have[0] - 256, *have[1:]], f"{name} output {index}"
        scenario["outputs"][index] = got[index]
    check(scenario, got)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_recorded_scenario_slow(name):
    _replay(name)


# The parameterized truncated normal with parameters that are constant ARRAYS of the function (seed
# an argument): tests/data/tf_xla_ptn_const_expected.json (TensorFlow 2.21.0 CPU, from
# tests/data/tf_xla_ptn_const_scenarios.py; five batches, each recorded after the rule of the ones
# before was written, the fifth matching it unchanged). Whether XLA folds a bound's cdf depends on
# which parameters tf2xla's BroadcastTo tiles (keyrng/_tf_xla_ptn.py::_folds, docs/xla2.md).
PTN_CONST = {s["name"]: s for s in json.loads((DATA / "tf_xla_ptn_const_expected.json").read_text())["scenarios"]}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PTN_CONST))
def test_ptn_constant_arrays_slow(name):
    check(PTN_CONST[name], replay.run(PTN_CONST[name]["code"]))


def test_recordings_are_deterministic():
    """TensorFlow gave the same values in two recordings made in separate processes."""
    assert set(SCENARIOS) == set(RUN2)
    for name, scenario in SCENARIOS.items():
        assert [o.get("bits", o.get("error")) for o in scenario["outputs"]] == \
            [o.get("bits", o.get("error")) for o in RUN2[name]["outputs"]], name


def test_threefry_bits_are_xlas():
    """keyrng's ThreeFry words against TensorFlow's recorded uint32 full-range draws: stateless
    (key from the seed, counter 0) and from a Generator's state [counter, key]."""
    outputs = SCENARIOS["xla2_threefry_stateless_dtypes"]["outputs"]
    record = [o for o in outputs if o.get("dtype") == "uint32"][1]  # shape [2, 3], seed [1, 2]
    got = keyrng.tf.threefry_draw_full_int(keyrng.tf.threefry_stateless_position("t", [1, 2]), (2, 3), "uint32")
    assert record["shape"] == [2, 3] and np.asarray(got).reshape(-1).tolist() == record["bits"]
    # A Generator's state [counter, key] (from_state([1, 2], "threefry")): docs/xla2.md's doctest.
    assert SCENARIOS["xla2_threefry_generator_states"]["outputs"][0]["bits"] == \
        [789480391, 1926950080, 1670636444, 2041387099]


def test_threefry_generator_refuses_eager_draws_and_changes_nothing():
    g = compat.Generator.from_seed(5, alg="threefry")
    assert g.state.tolist() == [5, 0] and g.algorithm == 2
    for draw in (lambda: g.uniform([3]), lambda: g.normal([2]), lambda: g.skip(1),
                 compat.function(lambda: g.uniform([3]))):
        with pytest.raises(RuntimeError, match="threefry"):
            draw()
    assert g.state.tolist() == [5, 0]
    with pytest.raises(RuntimeError, match="threefry"):
        compat.stateless_normal([2], seed=[1, 2], alg="threefry")
    with pytest.raises(RuntimeError, match="threefry"):
        compat.split([1, 2], alg="threefry")
    with pytest.raises(ValueError, match="'auto_select', 'philox' or 'threefry'"):
        compat.split([1, 2], alg="threefree")


def test_make_seeds_in_a_plain_function_moves_the_state():
    g = compat.Generator.from_seed(11)
    f = compat.function(lambda: g.make_seeds(3))
    with jax.enable_x64(True):
        want = SCENARIOS["xla2_make_seeds"]["outputs"]
        assert np.asarray(f()).reshape(-1).tolist() == want[0]["bits"]
        assert np.asarray(f()).reshape(-1).tolist() == want[1]["bits"]
        assert g.state.tolist() == want[2]["bits"] == [11 + 6 * 256, 0, 0]


def test_fused_erf_is_clamped_as_in_tensorflow():
    """TensorFlow 2.21's XLA:CPU float32 Erf (tests/data/tf_xla2_erf_expected.json, recorded by
    tests/data/tf_xla2_erf_record.py): fused with a division (as in the parameterized truncated
    normal's program) it is clamped at 3.7439 (keyrng/_tf_xla_ptn.py's `_erf`, all 11,762 values);
    alone or fused with a subtraction it saturates to 1 there. Below the clamp all three
    are one polynomial, which `_erf` takes from `lax.erf`; above it `_erf` does not use `lax.erf`,
    whose saturation differs between jax releases (jax 0.9.0's is clamped, later ones saturate)."""
    from jax import lax

    from keyrng import _tf_xla_ptn
    recorded = json.loads((DATA / "tf_xla2_erf_expected.json").read_text())
    a = np.array(recorded["inputs"], np.uint32).view(np.float32)
    clamped = np.asarray(jax.jit(_tf_xla_ptn._erf)(a)).view(np.uint32)
    assert clamped.tolist() == recorded["divided"]
    assert recorded["minus"] == recorded["alone"]
    alone = np.array(recorded["alone"], np.uint32)
    below = np.abs(a) < np.float32(3.7439211627767994)
    assert (alone[below] == np.asarray(jax.jit(lax.erf)(a)).view(np.uint32)[below]).all()
    assert (alone[below] == clamped[below]).all()
    assert (alone[~below] != clamped[~below]).any()  # the fused Erf is not TensorFlow's plain one


def test_threefry_generator_int_uniform_with_equal_bounds_is_minval_plus_bits():
    """TensorFlow 2.21 CPU, `tf.random.Generator.from_seed(3, alg='threefry')` and
    `g.uniform([3], minval=5, maxval=5, dtype=tf.int32)` in `tf.function(jit_compile=True)`:
    [-1196702506, 87550859, -1402092864], state [771, 0] (XLA's remainder by the zero range is the
    dividend, as for Philox: tests/test_xla.py's xla_int_equal_bounds)."""
    g = compat.Generator.from_seed(3, alg="threefry")
    f = compat.function(lambda: g.uniform([3], minval=5, maxval=5, dtype="int32"), jit_compile=True)
    assert np.asarray(f()).tolist() == [-1196702506, 87550859, -1402092864]
    assert np.asarray(g.state).tolist() == [771, 0]
