"""compat.data: tf.data's shuffle order, replayed against TensorFlow 2.21's recordings
(tests/data/tf_data_expected.json, made by tests/data/tf_data_record.py from
tests/data/tf_data_scenarios.py), and resumed through compat.get_state / set_state."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import compat
import keyrng.tf

DATA = Path(__file__).resolve().parent / "data"
RECORDING = json.loads((DATA / "tf_data_expected.json").read_text())
SCENARIOS = {s["name"]: s for s in RECORDING["scenarios"]}
HEAVY = {"large"}  # replayed in the slow group


def namespace():
    """The `D` of tf_data_record.py, bound to compat."""
    D = type("D", (), {})()
    D.set_seed = compat.set_seed
    D.uniform = compat.uniform
    D.normal = compat.normal
    D.enable_op_determinism = compat.enable_op_determinism
    D.function = compat.function
    D.dataset = compat.data.ShuffleOrder
    D.elements = lambda order: iter(order).next_indices(2**62)
    D.shuffle_order = compat.data.shuffle_order
    D.take = lambda order, k: iter(order).next_indices(k)
    D.iterator = iter
    D.next = lambda it, k: it.next_indices(k)
    D.batch_all = lambda order, total: iter(order).next_indices(total)
    D.sorted = np.sort
    D.constant = lambda x, dtype: np.asarray(x, dtype)
    D.int32, D.int64 = np.int32, np.int64
    D.length = lambda order: np.int64(len(order))
    D.same = lambda x, y: np.int64(np.array_equal(np.asarray(x), np.asarray(y)))
    return D


def replay(code: str, D=None) -> list[dict]:
    records = []

    def record(x):
        a = np.asarray(x)
        if a.dtype.kind in "iub":
            records.append({"dtype": "int64", "shape": list(a.shape), "ints": a.reshape(-1).tolist()})
        else:
            bits = a.view({4: np.uint32, 8: np.uint64}[a.dtype.itemsize])
            records.append({"dtype": a.dtype.name, "shape": list(a.shape), "bits": bits.reshape(-1).tolist()})

    def out(x):
        for t in (x if isinstance(x, (tuple, list)) else [x]):
            record(t)

    def err(fn):
        try:
            fn()
        except (TypeError, ValueError, RuntimeError) as e:
            records.append({"error": type(e).__name__, "message": str(e)})
            return
        records.append({"error": None})

    exec(compile(code, "<scenario>", "exec"), {"D": D or namespace(), "out": out, "err": err, "np": np})
    return records


def check(scenario: dict, got: list[dict]) -> None:
    want_all = scenario["outputs"]
    assert len(got) == len(want_all), f"{scenario['name']}: {len(got)} outputs, TensorFlow {len(want_all)}"
    for index, (want, have) in enumerate(zip(want_all, got)):
        where = f"{scenario['name']} output {index}"
        if "error" in want:
            assert "error" in have and (have["error"] is None) == (want["error"] is None), \
                f"{where}: TensorFlow {'raised ' + want['error'] if want['error'] else 'did not raise'}; got {have}"
            if have["error"] is not None:
                assert have["message"].startswith("`compat."), have["message"]  # the house template
            continue
        assert "error" not in have, f"{where}: raised {have}"
        assert have["shape"] == want["shape"], where
        if want["dtype"] == "int64":
            assert have["dtype"] == "int64" and have["ints"] == want["bits"], where
        else:
            assert have["dtype"] == want["dtype"] and have["bits"] == want["bits"], where


@pytest.mark.parametrize("name", [n for n in SCENARIOS if n not in HEAVY])
def test_replay(name):
    """TensorFlow 2.21 recordings (tests/data/tf_data_expected.json), element for element."""
    check(SCENARIOS[name], replay(SCENARIOS[name]["code"]))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HEAVY & set(SCENARIOS)))
def test_replay_heavy(name):
    check(SCENARIOS[name], replay(SCENARIOS[name]["code"]))


def test_recording_covers_the_rules():
    """The recording holds every seed rule, epochs, second passes and errors."""
    assert RECORDING["recorded_with"] == "tensorflow 2.21.0 (CPU)"
    for name in ("op_seed_sizes", "global_only", "global_and_op", "shuffle_between_ops",
                 "epochs_reshuffle_None", "epochs_reshuffle_False", "iterate_twice",
                 "errors_buffer_size", "no_seed_is_a_permutation", "in_function"):
        assert name in SCENARIOS, name


# --- the lazy form ---------------------------------------------------------------------------------

def test_lazy_equals_array_in_any_chunks():
    whole = compat.data.shuffle_order(3000, 77, seed=4, epochs=3)
    it = iter(compat.data.ShuffleOrder(3000, 77, seed=4, epochs=3))
    parts, sizes = [], [1, 5, 1023, 1024, 1, 2000, 4000, 10, 10**6]
    for size in sizes:
        parts.append(it.next_indices(size))
    assert np.array_equal(np.concatenate(parts), whole)
    assert len(it.next_indices(5)) == 0 and next(it, None) is None


def test_lazy_memory_is_the_buffer():
    """A pass over 10**9 elements holds the buffer and one chunk, not the data."""
    it = iter(compat.data.ShuffleOrder(10**9, 100, seed=1))
    first = it.next_indices(3000)
    assert first.max() < 3100 and len(set(first.tolist())) == 3000
    assert len(it._cursor.buffer) <= 100


def test_forever():
    it = iter(compat.data.ShuffleOrder(5, 2, seed=1, epochs=None))
    got = it.next_indices(5 * 7)
    assert all(sorted(got[5 * e:5 * e + 5].tolist()) == [0, 1, 2, 3, 4] for e in range(7))
    assert np.array_equal(got[:10], compat.data.shuffle_order(5, 2, seed=1, epochs=2))
    assert list(compat.data.ShuffleOrder(0, 2, seed=1, epochs=None)) == []


# --- resuming through compat.get_state / set_state (issue #18 item 5) ----------------------------

def _run(stop_after: int | None, snapshot_json: str | None = None):
    """A 'training run': a seeded program with random ops around a two-pass shuffle order; it
    reads `stop_after` indices then saves, or restores `snapshot_json` first."""
    if snapshot_json is None:
        compat.set_seed(11)
        compat.uniform([2])
    else:
        compat.set_state(json.loads(snapshot_json))
    order = compat.data.ShuffleOrder(500, 64, epochs=2, name="train")
    if snapshot_json is None:
        it = iter(order)
        head = it.next_indices(stop_after)
        return head, json.dumps(compat.get_state())
    rest = iter(order).next_indices(10**6)
    return rest, np.asarray(compat.uniform([3])), list(order)


@pytest.mark.parametrize("stop", [0, 1, 63, 64, 65, 499, 500, 501, 777, 999])
def test_interrupted_and_restored_equals_uninterrupted(stop):
    """Saved after `stop` indices, reset as a new process would be, restored: the rest of the pass,
    the random ops after it and the next pass equal those of an uninterrupted run."""
    compat.reset()
    compat.set_seed(11)
    compat.uniform([2])
    order = compat.data.ShuffleOrder(500, 64, epochs=2, name="train")
    whole = iter(order).next_indices(10**6)
    after = np.asarray(compat.uniform([3]))
    second = list(order)

    compat.reset()
    head, saved = _run(stop)
    del head
    compat.reset()  # a fresh process
    rest, after2, second2 = _run(None, saved)
    assert np.array_equal(np.concatenate([whole[:stop], rest]), whole)
    assert np.array_equal(after2, after)
    assert second2 == second


def test_saved_after_a_whole_pass_resumes_with_the_next_pass():
    """Saved right after the last index of a pass: the pass is over (TensorFlow's repeat has
    nothing left to make), so after restoring, `iter(order)` is the next pass."""
    compat.set_seed(4)
    order = compat.data.ShuffleOrder(30, 7, epochs=2, name="p")
    first = list(order)
    saved = json.dumps(compat.get_state())
    second = list(order)
    compat.reset()
    compat.set_state(json.loads(saved))
    again = compat.data.ShuffleOrder(30, 7, epochs=2, name="p")
    assert list(again) == second and second != first


def test_restore_in_place_rewinds_the_live_iterator():
    """set_state rewinds the order's newest iterator in place; `iter(order)` also continues it."""
    compat.set_seed(3)
    order = compat.data.ShuffleOrder(200, 16, epochs=3)
    it = iter(order)
    it.next_indices(150)
    saved = compat.get_state()
    rest = it.next_indices(10**6).tolist()
    compat.set_state(saved)
    assert it.next_indices(10**6).tolist() == rest
    following = list(order)  # a new pass: the seed generator's iterators 3, 4, 5
    compat.set_state(saved)
    assert list(order) == rest  # iter(order) continues the restored pass
    assert list(order) == following


@pytest.mark.slow
def test_snapshot_survives_json_and_subprocess():
    """Another process restores a snapshot and continues the pass."""
    compat.set_seed(5)
    order = compat.data.ShuffleOrder(1000, 100, name="x")
    it = iter(order)
    it.next_indices(333)
    saved = json.dumps(compat.get_state())
    rest = it.next_indices(10**6).tolist()
    code = ("import compat, json, sys\n"
            "compat.set_state(json.loads(sys.stdin.read()))\n"
            "print(json.dumps(list(compat.data.ShuffleOrder(1000, 100, name='x'))))\n")
    proc = subprocess.run([sys.executable, "-c", code], input=saved, capture_output=True, text=True,
                          check=True)
    assert json.loads(proc.stdout) == rest


def test_snapshot_without_orders_keeps_the_old_keys():
    state = compat.get_state()
    assert "data" not in state
    compat.set_state(state)
    order = compat.data.ShuffleOrder(10, 3, seed=1)
    state = compat.get_state()
    assert set(state["data"]) == {order.name}
    old = {k: v for k, v in state.items() if k != "data"}  # a snapshot of an older compat
    it = iter(order)
    first = it.next_indices(4)
    compat.set_state(old)  # leaves the orders as they are
    assert len(first) == 4 and len(it.next_indices(100)) == 6


def test_bad_data_snapshot_changes_nothing():
    compat.set_seed(2)
    order = compat.data.ShuffleOrder(10, 3, name="a")
    it = iter(order)
    it.next_indices(2)
    good = compat.get_state()
    for breakage in (lambda s: s["data"].update(a=5),
                     lambda s: s["data"]["a"].update(sizes=[11, 3, True, 1]),
                     lambda s: s["data"]["a"]["iteration"]["cursor"][3].append(1),
                     lambda s: s.update(data=[])):
        bad = copy.deepcopy(good)
        breakage(bad)
        before = compat.get_state()
        with pytest.raises(ValueError, match="compat.set_state"):
            compat.set_state(bad)
        assert compat.get_state() == before
    compat.reset()
    compat.set_state(good)
    compat.data.ShuffleOrder(11, 3, name="b")  # fine: nothing saved under "b"
    with pytest.raises(ValueError, match="saved state"):  # "a" was saved with 10 elements
        compat.data.ShuffleOrder(11, 3, name="a")


# --- arguments ---------------------------------------------------------------------------------------

def test_rejected_calls_name_the_argument():
    with pytest.raises(TypeError, match=r"`compat.data.shuffle_order`: `reshuffle_each_iteration`"):
        compat.data.shuffle_order(10, 3, reshuffle_each_iteration=1)
    with pytest.raises(ValueError, match=r"`compat.data.shuffle_order`: `epochs`"):
        compat.data.shuffle_order(10, 3, epochs=-1)
    with pytest.raises(TypeError, match=r"`compat.data.ShuffleOrder`: `name`"):
        compat.data.ShuffleOrder(10, 3, name=3)


def test_rejected_calls_use_op_seeds_as_tensorflow_does():
    """TensorFlow refuses bad `num_elements` / `buffer_size` types before `get_seed`, and a bad
    buffer size value, `reshuffle_each_iteration` or `epochs` after it (recorded:
    errors_drawn_op_seed, errors_drawn_op_seed_2); compat uses up the op seed in the same cases."""
    def first_after(rejected):
        compat.set_seed(1)
        with pytest.raises((TypeError, ValueError)):
            rejected()
        return compat.data.shuffle_order(10, 3).tolist()

    compat.set_seed(1)
    first = compat.data.shuffle_order(10, 3).tolist()
    second = compat.data.shuffle_order(10, 3).tolist()
    for early in (lambda: compat.data.shuffle_order(1.5, 3), lambda: compat.data.shuffle_order(10, None),
                  lambda: compat.data.ShuffleOrder(10, "3"), lambda: compat.data.shuffle_order(10, 3, seed=2.0),
                  lambda: compat.data.ShuffleOrder(10, 3, name=1)):
        assert first_after(early) == first
    for late in (lambda: compat.data.shuffle_order(10, 0), lambda: compat.data.shuffle_order(10, -3),
                 lambda: compat.data.shuffle_order(10, 3, reshuffle_each_iteration="yes"),
                 lambda: compat.data.shuffle_order(10, 3, epochs=0),
                 lambda: compat.data.ShuffleOrder(10, 3, epochs=1.5)):
        assert first_after(late) == second


def test_keyrng_by_hand():
    """The keyrng call behind compat.data.shuffle_order (docs/data.md)."""
    compat.set_seed(1234)
    got = compat.data.shuffle_order(50, 8, epochs=2)
    import random
    op_seed = random.Random(1234).randint(0, 2**31 - 1)
    seed, seed2 = keyrng.tf.seed_pair(1234, op_seed)
    assert np.array_equal(got, keyrng.tf.data_shuffle_order(seed, seed2, 50, 8, True, 2))


@pytest.mark.slow
def test_resume_at_random_points_of_random_orders():
    """Self-consistency over many sizes: the lazy form in random chunks, saved and restored at a
    random point through JSON, equals the array form."""
    import random
    rng = random.Random(5)
    for _ in range(40):
        compat.reset()
        n, b = rng.randrange(0, 3000), rng.choice([1, 2, rng.randrange(1, 100), rng.randrange(1, 4000), -2])
        epochs, reshuffle = rng.choice([1, 2, 3]), rng.choice([None, True, False])
        compat.set_seed(rng.randrange(2**31))
        whole = compat.data.shuffle_order(n, b, reshuffle_each_iteration=reshuffle, epochs=epochs)
        second = compat.data.shuffle_order(n, b, reshuffle_each_iteration=reshuffle, epochs=epochs)
        compat.set_seed(compat.get_state()["global_seed"])
        order = compat.data.ShuffleOrder(n, b, reshuffle_each_iteration=reshuffle, epochs=epochs, name="o")
        it = iter(order)
        head = []
        stop = rng.randrange(0, len(whole) + 1)
        while len(head) < stop:
            chunk = it.next_indices(min(stop - len(head), rng.choice([1, 3, 100, 5000])))
            if not len(chunk):
                break
            head.extend(chunk.tolist())
        saved = json.dumps(compat.get_state())
        compat.reset()
        compat.set_state(json.loads(saved))
        rest = list(compat.data.ShuffleOrder(n, b, reshuffle_each_iteration=reshuffle, epochs=epochs, name="o"))
        assert head + rest == whole.tolist()
        assert compat.data.shuffle_order(n, b, reshuffle_each_iteration=reshuffle, epochs=epochs).tolist() \
            == second.tolist()


@pytest.mark.slow
def test_order_inside_compat_function():
    """Made inside a compat.function, the order is a constant of the trace: the graph's op seed,
    the same on every call (TensorFlow remakes the dataset on every call; recorded: in_function)."""
    import jax.numpy as jnp

    compat.set_seed(3)

    @compat.function
    def gather(x):
        return x[compat.data.shuffle_order(8, 3)]

    first = np.asarray(gather(jnp.arange(8) * 10))
    assert np.array_equal(first, np.asarray(gather(jnp.arange(8) * 10)))
    assert sorted(first.tolist()) == list(range(0, 80, 10))


def test_threads_share_one_pass():
    order = compat.data.ShuffleOrder(5000, 50, seed=1)
    it = iter(order)
    got = []

    def work():
        while len(chunk := it.next_indices(7)):
            got.extend(chunk.tolist())

    import threading
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(5000))


def refuses_junk(cases, template, related=lambda argument: {argument}) -> None:
    """Junk (test_junk.py's values) in each argument of each `(function, valid arguments)` case:
    a TypeError or ValueError whose message matches `template` (group 2 the argument named) and
    names an argument of `related(argument)`, never an error from numpy or jax; accepted junk
    gives int64 indices."""
    from tests.test_junk import JUNK

    for function, valid in cases:
        for argument in valid:
            for junk in JUNK:
                try:
                    result = function(**{**valid, argument: junk})
                except (TypeError, ValueError) as error:
                    match = template.match(str(error))
                    assert match and match.group(2) in related(argument), (function, argument, junk, str(error))
                else:
                    chunk = result if isinstance(result, np.ndarray) else iter(result).next_indices(10)
                    assert np.asarray(chunk).dtype == np.int64


@pytest.mark.slow
def test_junk_is_refused_in_the_template():
    """Junk in any argument: a TypeError or ValueError naming that argument (test_junk.py's
    values), never an error from numpy or jax."""
    import re

    template = re.compile(r"^`compat\.data\.(shuffle_order|ShuffleOrder)`: `(\w+)` must ")
    valid = {"num_elements": 5, "buffer_size": 2, "seed": 1, "reshuffle_each_iteration": True, "epochs": 2}
    refuses_junk([(compat.data.shuffle_order, valid), (compat.data.ShuffleOrder, valid)], template)


@pytest.mark.slow
def test_snapshots_while_other_threads_iterate_and_make_orders():
    """get_state / set_state and ShuffleOrder / iteration in other threads take their locks in
    one order: no deadlock."""
    import threading

    compat.set_seed(1)
    order = compat.data.ShuffleOrder(3000, 10, epochs=-1, name="t")
    stop = threading.Event()

    def iterate():
        it = iter(order)
        while not stop.is_set():
            it.next_indices(3)

    def make():
        while not stop.is_set():
            compat.data.ShuffleOrder(5, 2)

    threads = [threading.Thread(target=iterate), threading.Thread(target=make)]
    for t in threads:
        t.start()
    for _ in range(30):
        compat.set_state(compat.get_state())
    stop.set()
    for t in threads:
        t.join(timeout=20)
    assert not any(t.is_alive() for t in threads)
