"""Candidate samplers, second set: the learned unigram sampler inside `compat.function`, its
learned weights as compat state (`set_seed`, `reset`, `get_state` / `set_state`),
`fixed_unigram_candidate_sampler(vocab_file=...)`, and randomised scenarios of all five samplers.

Known answers: the scenarios of tests/data/tf_samplers2_scenarios.py, recorded with TensorFlow
2.21.0 CPU (each scenario in a fresh process, by tests/data/record.py) into
tests/data/tf_samplers2_expected.json and replayed here bit for bit (candidates, expected counts,
errors). The randomised ones (`fuzz2_*`) and those that compile many functions run in the slow group.
A TensorFlow loop (`TF_SCENARIOS` there, recorded into tests/data/tf_samplers2_loops_expected.json)
is ported by hand: `test_learned_in_a_loop_body_as_recorded`.
"""

from __future__ import annotations

import json
from pathlib import Path

import jax
import numpy as np
import pytest

import compat
import keyrng
import keyrng.tf as tfk
from keyrng import _tf_samplers
from tests import replay
from tests.test_replay import check

_DIR = Path(__file__).parent / "data"
SCENARIOS = {scenario["name"]: scenario
             for scenario in json.loads((_DIR / "tf_samplers2_expected.json").read_text())["scenarios"]}
# The default group replays the learned-unigram and vocabulary scenarios that compile few functions.
_DEFAULT = ("learned_fn_same_function_called_again", "learned_fn_eager_mixing", "learned_eager_set_seed",
            "learned_eager_batch_shapes_share_the_kernel", "vocab_basic", "vocab_line_forms",
            "vocab_special_values", "vocab_errors", "vocab_kernel_keeps_the_file")


@pytest.mark.parametrize("name", [name if name in _DEFAULT else pytest.param(name, marks=pytest.mark.slow)
                                  for name in sorted(SCENARIOS)])
def test_recorded_scenario(name):
    check(SCENARIOS[name], replay.run(SCENARIOS[name]["code"]))


def _same(a, b):
    for x, y in zip(a, b):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


# --- learned weights: closed form, state, checkpoints --------------------------------------------

def test_learned_weights_closed_form_is_repeated_updates(monkeypatch):
    true = np.array([[1, 1, 3], [0, 3, 3]])
    weights = np.ones([5], np.int64)
    for runs in range(6):
        np.testing.assert_array_equal(tfk.learned_unigram_weights(5, true, runs), weights)
        weights = tfk.learned_unigram_update(weights, true)
    # The int32 total: the update that reaches it adds only its first classes, later ones nothing.
    monkeypatch.setattr(_tf_samplers, "_INT32_MAX", 20)
    weights = np.ones([5], np.int64)
    for runs in range(6):
        np.testing.assert_array_equal(tfk.learned_unigram_weights(5, true, runs), weights)
        weights = tfk.learned_unigram_update(weights, true)
    assert int(weights.sum()) == 20


def test_learned_snapshot_restores_the_weights():
    compat.reset()
    compat.set_seed(3)
    call = lambda: compat.learned_unigram_candidate_sampler([[2, 2, 4]], 3, 6, False, 7, seed=5)  # noqa: E731
    call()
    call()
    snapshot = json.loads(json.dumps(compat.get_state()))
    assert snapshot["samplers"] == [["LearnedUnigramCandidateSampler", "int64", 3, 6, 0, 7, 3, 5, [[2, 5], [4, 3]]]]
    after = [call() for _ in range(3)]
    compat.set_state(snapshot)
    for expected in after:
        _same(call(), expected)
    compat.reset()
    compat.set_state(snapshot)  # into a fresh state, as in another process
    _same(call(), after[0])


def test_set_seed_and_reset_drop_the_learned_weights():
    call = lambda: compat.learned_unigram_candidate_sampler([[2, 2]], 2, 4, False, 5, seed=7)  # noqa: E731
    compat.reset()
    first = [call() for _ in range(2)]
    compat.reset()
    _same(call(), first[0])
    compat.set_seed(9)
    again = call()
    compat.set_seed(9)
    _same(call(), again)


def test_snapshots_without_learned_weights_keep_their_keys():
    compat.reset()
    compat.uniform_candidate_sampler([[1]], 1, 2, True, 5, seed=1)
    assert "samplers" not in compat.get_state()


@pytest.mark.parametrize("rows", [
    "x", [["LearnedUnigramCandidateSampler", "int64", 1, 2, 0, 5, 1, 2]],
    [["UniformCandidateSampler", "int64", 1, 2, 0, 5, 1, 2, []]],
    [["LearnedUnigramCandidateSampler", "int64", 1, 2, 0, 5, 1, 2, [[5, 2]]]],
    [["LearnedUnigramCandidateSampler", "int64", 1, 2, 0, 5, 1, 2, [[1, 0]]]],
    [["LearnedUnigramCandidateSampler", "int64", 1, 2, 0, 5, 1, 2, [[1.5, 2]]]],
])
def test_set_state_refuses_bad_learned_rows_and_changes_nothing(rows):
    compat.reset()
    compat.set_seed(4)
    snapshot = compat.get_state()
    snapshot["samplers"] = rows
    before = compat.get_state()
    with pytest.raises(ValueError, match=r"^`compat.set_state`: `state` must be"):
        compat.set_state(snapshot)
    assert compat.get_state() == before


LOOPS = json.loads((_DIR / "tf_samplers2_loops_expected.json").read_text())["scenarios"]


@pytest.mark.slow
def test_learned_in_a_loop_body_as_recorded():
    # The port of TF_SCENARIOS' learned_in_a_loop (tests/data/tf_samplers2_scenarios.py): a
    # `for i in tf.range(n)` loop in a tf.function is a lax.fori_loop here.
    @compat.function
    def f(n):
        def body(i, total):
            return total * 10 + compat.learned_unigram_candidate_sampler([[3, 3]], 2, 4, False, 6, seed=2)[0]
        return jax.lax.fori_loop(0, n, body, jax.numpy.zeros([4], jax.numpy.int64))

    compat.reset()
    got = []
    with jax.enable_x64(True):
        for n in (3, 2, 4):
            got.append(f(jax.numpy.int32(n)))
        compat.set_seed(5)
        got.append(f(jax.numpy.int32(2)))
    (scenario,) = LOOPS
    check(scenario, [{"dtype": "int64", "shape": [4], "bits": [int(v) for v in np.asarray(g)]} for g in got])


@pytest.mark.slow
def test_learned_in_a_loop_is_one_kernel_run_per_iteration():
    # TensorFlow's loop body op is one kernel: its weights learn on every iteration, as an eager
    # kernel's do on every call (the same seeds, a counter that starts at 0).
    @compat.function
    def f():
        def body(i, total):
            sampled = compat.learned_unigram_candidate_sampler([[3, 3]], 2, 4, False, 6, seed=2)[0]
            return total + sampled * (10 ** (4 * i))
        return jax.lax.fori_loop(0, 3, body, jax.numpy.zeros([4], jax.numpy.int64))

    compat.reset()
    with jax.enable_x64(True):
        looped = np.asarray(f())
    compat.reset()
    eager = [np.asarray(compat.learned_unigram_candidate_sampler([[3, 3]], 2, 4, False, 6, seed=2)[0])
             for _ in range(3)]
    np.testing.assert_array_equal(looped, sum(e * 10 ** (4 * i) for i, e in enumerate(eager)))


def test_learned_in_a_function_is_keyrngs_call_by_hand():
    @compat.function
    def f():
        return compat.learned_unigram_candidate_sampler([[1, 4]], 2, 3, True, 6, seed=8)

    compat.reset()
    for run in range(3):
        key = keyrng.tf_key(87654321, 8, run * tfk.sampler_blocks(3))
        _same(f(), tfk.draw_learned_unigram(key, 6, np.array([[1, 4]]), 3, True))


def test_learned_traced_true_classes_are_refused():
    @compat.function
    def f(true):
        return compat.learned_unigram_candidate_sampler(true, 1, 3, True, 6, seed=8)

    with pytest.raises(TypeError, match=r"^`compat.learned_unigram_candidate_sampler`: `true_classes`"):
        f(np.array([[1]]))


# --- vocab_file ------------------------------------------------------------------------------------

def test_parse_float_is_strtof():
    assert tfk.parse_float(b" 2.5\t") == np.float32(2.5)
    assert tfk.parse_float(b"0x1p-2") == np.float32(0.25)
    assert tfk.parse_float(b"1e-50") == np.float32(0.0)
    assert np.isinf(tfk.parse_float(b"1e50")) and np.isnan(tfk.parse_float(b"nan"))
    assert tfk.parse_float(b"0.1") == np.float32(0.1)
    for bad in (b"", b"  ", b"3x", b"1 2", b"1\x00", b"a"):
        assert tfk.parse_float(bad) is None, bad


def test_parse_float_without_a_c_library_agrees(monkeypatch):
    texts = [b"1", b" 2.5 ", b"0x10", b".5", b"5.", b"+1", b"-1", b"1e1", b"0.1", b"1e-50", b"3x", b"", b"  ", b"1 2"]
    with_libc = [tfk.parse_float(t) for t in texts]
    monkeypatch.setattr(_tf_samplers, "_STRTOF", None)
    assert [tfk.parse_float(t) for t in texts] == with_libc


def test_vocab_file_is_the_unigrams(tmp_path):
    path = tmp_path / "vocab.csv"
    path.write_text("the,100\nof,50\nand,30.5\n")
    compat.reset()
    from_file = compat.fixed_unigram_candidate_sampler([[0]], 1, 5, False, 3, vocab_file=str(path), seed=2)
    compat.reset()
    _same(from_file, compat.fixed_unigram_candidate_sampler([[0]], 1, 5, False, 3, unigrams=[100, 50, 30.5], seed=2))


def test_rejected_vocab_file_changes_no_state(tmp_path):
    compat.reset()
    compat.set_seed(6)
    with pytest.raises(ValueError, match=r"^`compat.fixed_unigram_candidate_sampler`: `vocab_file` must be"):
        compat.fixed_unigram_candidate_sampler([[0]], 1, 2, False, 2, vocab_file=str(tmp_path / "missing"))
    bad = tmp_path / "bad.csv"
    bad.write_text("a,1\nb,x\n")
    with pytest.raises(ValueError, match="Wrong vocabulary format at line"):
        compat.fixed_unigram_candidate_sampler([[0]], 1, 2, False, 2, vocab_file=str(bad))
    with pytest.raises(TypeError, match=r"`vocab_file` must be"):
        compat.fixed_unigram_candidate_sampler([[0]], 1, 2, False, 2, vocab_file=3)
    after_errors = compat.uniform([2])
    compat.set_seed(6)
    np.testing.assert_array_equal(compat.uniform([2]), after_errors)


@pytest.mark.slow
def test_traced_true_classes_out_of_range_have_nan_counts():
    # TensorFlow's kernel raises at run time; a compiled function cannot, so the counts are NaN.
    @compat.function
    def f(true):
        return compat.uniform_candidate_sampler(true, 1, 3, False, 10, seed=2)

    compat.reset()
    sampled, true_count, _ = f(np.array([[1], [12], [-1]], np.int32))
    compat.reset()
    eager = compat.uniform_candidate_sampler([[1]], 1, 3, False, 10, seed=2)
    np.testing.assert_array_equal(sampled, eager[0])
    assert true_count[0, 0] == eager[1][0, 0] and np.isnan(np.asarray(true_count)[1:]).all()


def test_unseeded_learned_kernel_still_learns():
    # Without seeds TensorFlow's kernel (attributes seed = seed2 = 0) draws from OS entropy, but
    # it is one cached kernel, whose weights learn across calls.
    compat.reset()
    for _ in range(2):
        compat.learned_unigram_candidate_sampler([[1, 1]], 2, 3, False, 4)
    assert compat.get_state()["samplers"] == [["LearnedUnigramCandidateSampler", "int64", 2, 3, 0, 4, 0, 0, [[1, 5]]]]
