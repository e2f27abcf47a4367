"""compat.function: tf.function's random semantics compiled with jax.jit.

Known answers come from TensorFlow 2.21.0 CPU (`tf.function` and `tf.random` run in a fresh
process, printed with float(); the value of each float32 is exact). The scenarios of
../shared/tf_reference run in test_replay.py; these cover the rest: nested functions, set_seed
inside a function, array arguments, no global seed, the guard against other jax transformations,
trace counts, threads and the exported counters.
"""

from __future__ import annotations

import json
import threading
from collections import Counter

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

import compat
import keyrng
from compat import _function


def values(outputs):
    """A function's outputs as a flat list of Python floats."""
    if not isinstance(outputs, (tuple, list)):
        outputs = [outputs]
    return [float(v) for x in outputs for v in np.asarray(x).reshape(-1)]


# --- TensorFlow's numbers -------------------------------------------------------------------------

def test_documented_functions_restart_op_seeds():
    # TensorFlow 2.21.0 CPU, and the tf.random.set_seed documentation.
    compat.set_seed(1234)

    @compat.function
    def f():
        return compat.uniform([1]), compat.uniform([1])

    @compat.function
    def g():
        return compat.uniform([1]), compat.uniform([1])

    assert values(f()) == values(g()) == [np.float32(0.13047123), np.float32(0.1689806)]
    assert values(f()) == [np.float32(0.6087816), np.float32(0.7539084)]


def test_nested_functions_are_inlined_with_a_kernel_per_call_site():
    # TensorFlow 2.21.0 CPU: the inner function's op gets op seed 0 of its own graph at every
    # call site, each site its own kernel; the outer op seeds go on 0, 1 past the inner calls.
    compat.set_seed(1234)

    @compat.function
    def inner():
        return compat.uniform([1])

    @compat.function
    def outer():
        return compat.uniform([1]), inner(), inner(), compat.uniform([1])

    assert values(outer()) == [0.13047122955322266] * 3 + [0.16898059844970703]
    assert values(outer()) == [0.6087815761566162] * 3 + [0.7539083957672119]
    assert values(inner()) == [0.13047122955322266]
    assert values(inner()) == [0.6087815761566162]
    assert values(outer()) == [0.19648587703704834] * 3 + [0.4243431091308594]


def test_nested_function_keeps_the_seed_of_its_first_trace():
    # TensorFlow 2.21.0 CPU: inner2 traced under seed 1234 keeps it inside outer2 (traced under 99).
    compat.set_seed(1234)

    @compat.function
    def inner2():
        return compat.uniform([1])

    assert values(inner2()) == [0.13047122955322266]
    compat.set_seed(99)

    @compat.function
    def outer2():
        return inner2(), compat.uniform([1])

    assert values(outer2()) == [0.13047122955322266, 0.8015985488891602]
    assert values(outer2()) == [0.6087815761566162, 0.7238160371780396]
    assert values(inner2()) == [0.13047122955322266]  # set_seed(99) reset its kernel


def test_set_seed_inside_a_function_sets_only_that_trace_seed():
    # TensorFlow 2.21.0 CPU: graph-mode set_seed changes the graph seed, not the op-seed counter,
    # and not the eager global seed.
    compat.set_seed(1)

    @compat.function
    def s():
        a = compat.uniform([1])
        compat.set_seed(1234)
        return a, compat.uniform([1]), compat.uniform([1])

    assert values(s()) == [0.8126964569091797, 0.16898059844970703, 0.5276287794113159]
    assert values(s()) == [0.5272892713546753, 0.7539083957672119, 0.38491034507751465]
    # The eager global seed is still 1, its op-seed draw untouched: the first eager draw of seed 1.
    assert values(compat.uniform([1])) == [0.16513085365295410]


def test_get_seed_inside_a_function_uses_the_trace_counter():
    compat.set_seed(1234)
    seen = []

    @compat.function
    def f():
        seen.append(compat.get_seed())
        return compat.uniform([1])

    assert values(f()) == [np.float32(0.1689806)]  # op seed 1: get_seed used up op seed 0
    assert seen == [(1234, 0)]


def test_no_global_seed_at_trace_time():
    # TensorFlow 2.21.0 CPU: an op seed alone gives (87654321, 3) with the trace's own counter;
    # a later set_seed resets the counter but keeps the trace-time seed (None).
    @compat.function
    def f():
        return compat.uniform([1]), compat.uniform([1], seed=3)

    first, second = f(), f()
    assert values(first)[1] == 0.38692939281463623
    assert values(second)[1] == 0.6633445024490356
    compat.set_seed(5)
    again = f()
    assert values(again)[1] == 0.38692939281463623
    assert 0.0 <= values(again)[0] < 1.0  # unseeded: fresh entropy, as TensorFlow's OS seeds


def test_array_arguments_are_traced_and_new_shapes_retrace():
    # TensorFlow 2.21.0 CPU: same shape, same trace (its counter moves on); a new shape is a new
    # trace with fresh kernels.
    compat.set_seed(7)

    @compat.function
    def h(x):
        return x + compat.uniform([1])

    assert values(h(jnp.array([1.0, 2.0]))) == [1.7537285089492798, 2.7537283897399902]
    assert values(h(np.array([5.0, 6.0], np.float32))) == [5.587601661682129, 6.587601661682129]
    assert values(h(jnp.array([1.0, 2.0, 3.0]))) == [1.7537285089492798, 2.7537283897399902,
                                                      3.7537283897399902]
    assert values(h(jnp.array([0.0, 0.0]))) == [0.39710164070129395] * 2
    assert h.experimental_get_tracing_count() == 2


def test_python_values_are_static_and_each_value_has_its_own_trace():
    # TensorFlow 2.21.0 CPU.
    compat.set_seed(7)

    @compat.function
    def k(n, scale):
        return compat.uniform([n]) * scale

    assert values(k(2, 1.0)) == [0.7537285089492798, 0.07793760299682617]
    assert values(k(2, 2.0)) == [1.5074570178985596, 0.15587520599365234]
    assert values(k(2, 1.0)) == [0.39710164070129395, 0.6849350929260254]
    k(n=2, scale=1.0)  # bound to the same parameters: the same trace, as in TensorFlow
    assert k.experimental_get_tracing_count() == 2


def test_shuffle_moves_its_kernel_by_its_own_block_count():
    # TensorFlow 2.21.0 CPU: RandomShuffle moves by ceil((n - 1) / 4) blocks per call (2 for n = 7,
    # 3 for n = 10, none for n = 1), not by a multiple of 256; its nodes use up op seeds as any
    # other random op does.
    compat.set_seed(1234)

    @compat.function
    def f():
        return (compat.shuffle(jnp.arange(7)), compat.uniform([2]),
                compat.shuffle(jnp.arange(10), seed=5), compat.shuffle(jnp.arange(1)),
                compat.uniform([1]))

    expected = [
        [[2, 4, 6, 5, 0, 3, 1], [0.16898059844970703, 0.9725481271743774],
         [4, 2, 6, 1, 3, 9, 7, 8, 5, 0], [0], [0.9604687690734863]],
        [[4, 1, 0, 2, 5, 6, 3], [0.4243431091308594, 0.4340393543243408],
         [0, 2, 6, 4, 5, 8, 1, 9, 7, 3], [0], [0.836215615272522]],
        [[2, 5, 3, 4, 0, 6, 1], [0.699417233467102, 0.6507694721221924],
         [7, 3, 1, 2, 0, 6, 8, 9, 4, 5], [0], [0.5105090141296387]],
    ]
    for want in expected:
        assert [np.asarray(x).tolist() for x in f()] == want
    [row] = [row for row in _function.export_state() if row["function"].endswith(".f")]
    assert row["offsets"] == [3 * 2, 3 * 2 * 256, 3 * 3, 0, 3 * 256]


# --- jit agrees with the explicit keyrng calls ------------------------------------------------------

def test_each_node_draws_from_its_tf_key():
    compat.set_seed(1234)

    @compat.function
    def f():
        return (compat.uniform([3]), compat.normal([2, 2], seed=5), compat.truncated_normal([5]),
                compat.uniform([4], 0, 10, dtype=compat.int32))

    for call in range(3):
        got = f()
        want = (keyrng.uniform(keyrng.tf_key(1234, 0, call * 3 * 256), [3]),
                keyrng.normal(keyrng.tf_key(1234, 5, call * 4 * 256), [2, 2]),
                keyrng.truncated_normal(keyrng.tf_key(1234, 1, call * 5 * 256), [5]),
                keyrng.uniform(keyrng.tf_key(1234, 2, call * 4 * 256), [4], "int32", 0, 10))
        for a, b in zip(got, want):
            assert a.dtype == b.dtype and np.array_equal(np.asarray(a), np.asarray(b))


def test_counters_past_two_to_the_32_blocks():
    compat.set_seed(3)

    @compat.function
    def f():
        return compat.uniform([2**16])

    f()
    trace = next(iter(f._traces.values()))
    calls = 2**20 + 3  # calls * 2**24 blocks needs 45 bits
    _function.import_state([dict(trace.export(), calls=calls, offsets=[])])
    got = f()
    want = keyrng.uniform(keyrng.tf_key(3, 0, calls * 2**16 * 256), [2**16])
    assert np.array_equal(np.asarray(got), np.asarray(want))


def test_shuffle_offsets_past_two_to_the_32_blocks():
    compat.set_seed(3)

    @compat.function
    def f():
        return compat.shuffle(jnp.arange(10)), compat.uniform([3])

    f()
    trace = next(iter(f._traces.values()))
    calls = 2**31 + 5  # calls * 3 blocks needs 34 bits
    _function.import_state([dict(trace.export(), calls=calls, offsets=[])])
    shuffled, drawn = f()
    seed, seed2 = keyrng.tf_seed_pair(3, 0)
    want = keyrng.shuffle(keyrng.tf_key(seed, seed2, calls * 3), jnp.arange(10))
    assert np.array_equal(np.asarray(shuffled), np.asarray(want))
    seed, seed2 = keyrng.tf_seed_pair(3, 1)
    want = keyrng.uniform(keyrng.tf_key(seed, seed2, calls * 3 * 256), [3])
    assert np.array_equal(np.asarray(drawn), np.asarray(want))


# --- traces --------------------------------------------------------------------------------------

def test_hundred_ops_thousand_calls_trace_once():
    compat.set_seed(1234)
    traced = []

    @compat.function
    def step():
        traced.append(1)
        return tuple(compat.uniform([1]) for _ in range(100))

    for _ in range(1000):
        last = step()
    assert len(traced) == 1
    assert step.experimental_get_tracing_count() == 1
    want = [keyrng.uniform(keyrng.tf_key(1234, i, 999 * 256), [1]) for i in (0, 57, 99)]
    assert [float(last[i][0]) for i in (0, 57, 99)] == [float(w[0]) for w in want]


def test_set_seed_and_reset_do_not_retrace():
    compat.set_seed(1234)

    @compat.function
    def f():
        return compat.uniform([1])

    first = values(f())
    f()
    compat.set_seed(1234)
    assert values(f()) == first
    compat.reset()
    assert values(f()) == first  # the trace keeps its trace-time seed; its counter restarts
    assert f.experimental_get_tracing_count() == 1


def test_function_without_random_ops_and_pytrees():
    @compat.function
    def f(tree, scale):
        return {"sum": tree["a"] + tree["b"][0] * scale}

    out = f({"a": jnp.ones(2), "b": [jnp.arange(2.0)]}, 3)
    assert np.array_equal(np.asarray(out["sum"]), [1.0, 4.0])


def test_methods():
    compat.set_seed(1234)

    class Layer:
        @compat.function
        def __call__(self):
            return compat.uniform([1])

    layer = Layer()
    assert values(layer()) == [np.float32(0.13047123)]
    assert values(layer()) == [np.float32(0.6087816)]


def test_positional_keyword_and_default_calls_share_one_trace_and_counter():
    # The positional hot path must land on the trace binding chooses, also when a default value
    # is an array (then it is an argument of the compiled function, not a constant).
    compat.set_seed(7)

    @compat.function
    def h(x, offset=jnp.array([10.0, 20.0]), scale=1):
        return (x + offset) * scale + compat.uniform([1])

    x = jnp.zeros(2)
    got = [h(x), h(x=x), h(x), h(x, jnp.array([10.0, 20.0])), h(np.zeros(2, np.float32), scale=1), h(x)]
    seed, seed2 = keyrng.tf_seed_pair(7, 0)
    for call, out in enumerate(got):
        u = keyrng.uniform(keyrng.tf_key(seed, seed2, call * 256), [1])
        assert np.array_equal(np.asarray(out), np.asarray(jnp.array([10.0, 20.0]) + u))
    assert h.experimental_get_tracing_count() == 1
    for call, out in enumerate([h(x, scale=2), h(x, jnp.array([10.0, 20.0]), 2)]):  # a new trace
        u = keyrng.uniform(keyrng.tf_key(seed, seed2, call * 256), [1])
        assert np.array_equal(np.asarray(out), np.asarray(jnp.array([20.0, 40.0]) + u))
    assert h.experimental_get_tracing_count() == 2


def test_reimported_seed_retraces_also_on_the_positional_path():
    compat.set_seed(7)

    @compat.function
    def f(n):
        return compat.uniform([n])

    f(2)
    f(2)
    [row] = [row for row in _function.export_state() if row["function"].endswith(".f")]
    _function.import_state([dict(row, global_seed=8, calls=1, offsets=[])])
    seed, seed2 = keyrng.tf_seed_pair(8, 0)
    for calls in (1, 2):  # the trace of global seed 7 is gone; the new one reads seed 8
        assert values(f(2)) == values(keyrng.uniform(keyrng.tf_key(seed, seed2, calls * 2 * 256), [2]))


# --- the guard -------------------------------------------------------------------------------------

GUARDED = (r"^`compat.uniform`: implicit-seed random ops must run eagerly or at a compat.function.s own "
           r"trace level; got a call inside jax.jit, jax.vmap, jax.grad")

TRANSFORMATIONS = {
    "jit": lambda: jax.jit(lambda: compat.uniform([1]))(),
    "vmap": lambda: jax.vmap(lambda x: x + compat.uniform([]))(jnp.ones(3)),
    "grad": lambda: jax.grad(lambda x: x * compat.uniform([]))(1.0),
    "scan": lambda: lax.scan(lambda c, _: (c, compat.uniform([1])), 0.0, None, length=3),
    "cond": lambda: lax.cond(True, lambda: compat.uniform([1]), lambda: jnp.zeros(1)),
}


@pytest.mark.parametrize("name", sorted(TRANSFORMATIONS))
def test_implicit_ops_refuse_jax_transformations(name):
    compat.set_seed(1234)
    with pytest.raises(RuntimeError, match=GUARDED + r".*Wrap the function in compat.function"):
        TRANSFORMATIONS[name]()
    assert values(compat.uniform([1])) == [np.float32(0.5380393)]  # no op seed drawn, no counter moved


@pytest.mark.parametrize("name", sorted(TRANSFORMATIONS))
def test_transformations_inside_a_function_are_refused_too(name):
    compat.set_seed(1234)

    @compat.function
    def f():
        return TRANSFORMATIONS[name]()

    with pytest.raises(RuntimeError, match=GUARDED + r".*at the function's own level"):
        f()
    assert f.experimental_get_tracing_count() == 0


@pytest.mark.parametrize("op", [compat.normal, compat.truncated_normal])
def test_guard_names_the_op(op):
    with pytest.raises(RuntimeError, match=rf"^`compat.{op.__name__}`: implicit-seed"):
        jax.jit(lambda: op([2]))()


def test_compiled_function_and_set_seed_refuse_other_traces():
    @compat.function
    def f():
        return compat.uniform([1])

    with pytest.raises(RuntimeError, match=r"^`compat.function`: calling the compiled function"):
        jax.jit(lambda: f())()
    with pytest.raises(RuntimeError, match=r"^`compat.set_seed`: set_seed must run eagerly"):
        jax.jit(lambda: compat.set_seed(1) or 0.0)()
    assert compat.get_seed(1) == (87654321, 1)


# --- errors ------------------------------------------------------------------------------------------

def test_function_needs_a_callable():
    with pytest.raises(TypeError, match=r"^`compat.function`: `fn` must be a callable; got 3\.$"):
        compat.function(3)


def test_unhashable_python_argument():
    @compat.function
    def f(x):
        return compat.uniform([1])

    with pytest.raises(TypeError, match=r"^`compat.function\(f\)`: `arguments` must be arrays or hashable"):
        f({1, 2})


def test_determinism_without_seed_fails_at_trace_time_and_stores_nothing():
    compat.enable_op_determinism()

    @compat.function
    def f():
        return compat.uniform([1])

    with pytest.raises(RuntimeError, match=r"^`compat.uniform`: random ops need a seed"):
        f()
    assert f.experimental_get_tracing_count() == 0
    compat.set_seed(1234)
    assert values(f()) == [np.float32(0.13047123)]


def test_error_in_the_body_stores_no_trace():
    compat.set_seed(1234)
    fail = [True]

    @compat.function
    def f():
        value = compat.uniform([1])
        if fail[0]:
            raise KeyError("boom")
        return value

    with pytest.raises(KeyError):
        f()
    fail[0] = False
    assert values(f()) == [np.float32(0.13047123)]


# --- threads ----------------------------------------------------------------------------------------

def test_threads_never_share_a_call():
    # 4 threads x 20 calls give, as a multiset, the outputs of 80 sequential calls.
    compat.set_seed(1234)

    @compat.function
    def f():
        return compat.uniform([2]), compat.normal([1])

    def row():
        return np.concatenate([np.asarray(x) for x in f()]).tobytes()

    expected = Counter(row() for _ in range(80))
    compat.set_seed(1234)
    results, start = [], threading.Barrier(4)

    def work():
        start.wait()
        results.extend([row() for _ in range(20)])

    workers = [threading.Thread(target=work) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert Counter(results) == expected


# --- exported counters ----------------------------------------------------------------------------

def _step_factory():
    @compat.function
    def step(n):
        return compat.uniform([n], seed=1), compat.normal([2]), compat.uniform([1])
    return step


def test_export_import_round_trip_through_json():
    compat.set_seed(7)
    step = _step_factory()
    step(2)
    step(2)
    step(3)
    saved = json.dumps(_function.export_state())
    uninterrupted = [values(step(2)) for _ in range(2)] + [values(step(3))]
    step(2)
    _function.import_state(json.loads(saved))
    assert [values(step(2)) for _ in range(2)] + [values(step(3))] == uninterrupted
    rows = json.loads(saved)
    mine = sorted((row for row in rows if row["function"].endswith("_step_factory.<locals>.step")),
                  key=lambda row: row["calls"])
    assert [(row["calls"], row["global_seed"]) for row in mine] == [(1, 7), (2, 7)]
    assert mine[1]["offsets"] == [2 * 2 * 256, 2 * 2 * 256, 2 * 1 * 256]


def test_import_before_the_first_trace_as_in_a_new_process():
    compat.set_seed(7)
    step = _step_factory()
    step(2)
    saved = json.loads(json.dumps(_function.export_state()))
    expected = values(step(2))
    compat.set_seed(99)  # the new process's global seed differs; the trace-time one is restored
    restarted = _step_factory()  # in a new process it would have `step`'s key; here it is `#n`
    for row in saved:
        if row["function"] == step.state_key:
            row["function"] = restarted.state_key
    _function.import_state(saved)
    assert values(restarted(2)) == expected
    assert restarted.experimental_get_tracing_count() == 1


def test_import_state_none_restarts_every_trace():
    compat.set_seed(7)
    step = _step_factory()
    first = values(step(2))
    step(2)
    _function.import_state(None)
    assert values(step(2)) == first


def test_unseeded_nodes_continue_their_entropy_after_import():
    @compat.function
    def f():
        return compat.uniform([3])

    f()
    saved = _function.export_state()
    after = [values(f()) for _ in range(2)]
    _function.import_state(saved)
    assert [values(f()) for _ in range(2)] == after


def _malformed(good):
    row = good[0]
    yield "not a list", {"rows": good}
    yield "row not a dict", [1]
    yield "missing key", [{k: v for k, v in row.items() if k != "calls"}]
    yield "calls negative", [dict(row, calls=-1)]
    yield "calls float", [dict(row, calls=1.0)]
    yield "calls bool", [dict(row, calls=True)]
    yield "entropy too big", [dict(row, entropy=2**64)]
    yield "seed a str", [dict(row, global_seed="7")]
    yield "offsets wrong", [dict(row, offsets=[1, 2, 3])]
    yield "twice", [row, dict(row)]


def test_malformed_import_raises_and_changes_nothing():
    compat.set_seed(7)
    step = _step_factory()
    step(2)
    good = [row for row in _function.export_state() if "_step_factory" in row["function"]]
    before = _function.export_state()
    for name, bad in _malformed(good):
        with pytest.raises(ValueError, match=r"^`compat._function.import_state`: `state` must be"):
            _function.import_state(bad)
        assert _function.export_state() == before, name
    assert values(step(2))[:2] == values(keyrng.uniform(keyrng.tf_key(7, 1, 2 * 256), [2]))


# --- trace keys of Python values, as TensorFlow's trace types ----------------------------------------
# (TensorFlow 2.21.0 CPU recordings: retrace_* and nested_* in tests/data/tf_state_expected.json)

def _counting():
    @compat.function
    def f(x):
        return compat.uniform([1])
    return f


@pytest.mark.parametrize("calls, traces", [
    ([1.0, 1, True], 1),  # Literal: equal by ==
    ([0, False, 0.0, -0.0], 1),
    ([float("nan"), float("nan")], 1),  # NaN matches NaN
    ([1 + 0j, 1], 1),
    (["a", b"a"], 2),
    ([(1, 2), [1, 2]], 2),  # tuple and list differ
    ([(1, 2), (1.0, 2)], 1),
    ([{"a": 1, "b": 2}, {"b": 2.0, "a": 1}], 1),
    ([(), []], 2),
    ([None, None], 1),
    ([1, 2, 1], 2),
])
def test_python_values_share_a_trace_when_equal(calls, traces):
    compat.set_seed(1)
    f = _counting()
    for value in calls:
        f(value)
        f(value)  # the second call of a kind takes the fast path: the same trace
    assert f.experimental_get_tracing_count() == traces


def test_fast_path_lands_on_the_trace_of_an_equal_value():
    compat.set_seed(1)
    f = _counting()
    first = [float(f(1.0)[0]), float(f(1.0)[0])]
    compat.set_seed(1)
    g = _counting()
    mixed = [float(g(1.0)[0]), float(g(True)[0]), float(g(1)[0]), float(g(1)[0])]
    assert mixed[:2] == first and g.experimental_get_tracing_count() == 1
    assert len(set(mixed)) == 4  # one kernel moving on, whichever equal value calls it


def test_objects_are_keyed_weakly_as_tensorflow_does():
    # TensorFlow keys an object that takes weak references by a weak reference: an equal object
    # shares the trace while the first lives, and a trace of an object that died serves no call.
    compat.set_seed(1)
    f = _counting()
    a, b = frozenset([1]), frozenset([1.0])
    f(a)
    f(b)
    assert f.experimental_get_tracing_count() == 1
    f(frozenset([2]))
    f(frozenset([2]))  # the first frozenset([2]) is gone
    assert f.experimental_get_tracing_count() == 3

    class Unhashable:
        def __eq__(self, other):
            return True

    with pytest.raises(TypeError, match="arrays or hashable Python values"):
        f(Unhashable())  # refused by TensorFlow too ("Could not generate a generic TraceType")


def test_signature_text_is_the_same_for_equal_numbers():
    # export_state's signature text must not depend on which of 1, 1.0 and True came first.
    compat.set_seed(1)
    f, g = _counting(), _counting()
    f(1)
    g(True)
    text = f._signature_text(next(iter(f._traces)))
    assert text == g._signature_text(next(iter(g._traces)))
    assert "number:1" in text


def test_a_nested_function_is_traced_once_per_signature():
    # TensorFlow 2.21.0 CPU: g traced once inside f, reused by f's later traces and at top level.
    compat.set_seed(4)

    @compat.function
    def g():
        return compat.uniform([2])

    @compat.function
    def f(k):
        return g(), g()

    f(1)
    f(1)
    f(2)
    assert (g.experimental_get_tracing_count(), f.experimental_get_tracing_count()) == (1, 2)
    g()
    assert g.experimental_get_tracing_count() == 1
