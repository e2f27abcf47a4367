"""The eager path of `keyrng._eager`: a fixed ladder of flat kernels serves every output shape.

Its values must be the per-shape jitted kernels' bit for bit (the jitted path is what a call
under `jax.jit` runs; the replay tests pin that one to TensorFlow 2.21's recordings), and after
the ladder is compiled a new shape must compile nothing. No timings here: benchmarks/run.py.
"""

from __future__ import annotations

import contextlib
import math
import threading

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import compat
import keyrng
from keyrng import _eager

# A position whose counter carries through three words within a few blocks, so a draw spanning
# several kernel calls moves the 128-bit counter across the carries.
NEAR_CARRY = (2**63 + 5, (2**32 - 1) * 2**32 + 2**32 - 40 + (2**32 - 1) * 2**64)


def _key(position=NEAR_CARRY):
    return keyrng.philox_key(*position)


def _same_bits(eager, jitted):
    assert eager.shape == jitted.shape and eager.dtype == jitted.dtype
    a, b = np.asarray(eager), np.asarray(jitted)
    assert a.tobytes() == b.tobytes(), "eager and jitted values differ"


def _wide(dtype):
    return jax.enable_x64(True) if dtype in ("float64", "int64") else contextlib.nullcontext()


def _both(function, key, *args):
    """`function(key, *args)` eagerly (the ladder) and under jax.jit (the per-shape kernel)."""
    eager = function(key, *args)
    jitted = jax.jit(lambda k: function(k, *args))(key)
    return eager, jitted


UNIFORM_CASES = [
    # shape, dtype, minval, maxval
    ((), "float32", 0, None),
    ((0,), "float32", 0, None),
    ((3, 0, 2), "float16", -1.0, 1.0),
    ((5,), "float32", -1.0, 1.0),
    ((333, 17), "float32", 0, 1),
    ((7, 11), "bfloat16", 0, 3.5),
    ((1001,), "float16", -2.5, 7.0),
    ((3, 5, 7), "float64", -1.0, 1.0),
    ((262145,), "float32", 0, None),  # several kernel calls, one value into the last group
    ((66, 1001), "float32", -3.0, 3.0),
    ((9,), "int32", -5, 17),
    ((13, 3), "int32", -2**31, 2**31 - 1),
    ((10,), "int64", -2**40, 2**62),
    ((1, 1), "float32", np.float32(0.5), np.float32(2.0)),  # NumPy scalars
    ((6,), "float32", jnp.asarray(-1.0), jnp.asarray(4.0)),  # 0-d arrays: runtime scalars
    ((2, 3), "float32", jnp.asarray([-1.0, 0.0, 1.0]), 2.0),  # shaped bounds: jitted path
]


@pytest.mark.parametrize("shape, dtype, minval, maxval", UNIFORM_CASES)
def test_uniform_eager_bits_equal_jitted(shape, dtype, minval, maxval):
    with _wide(dtype):
        eager, jitted = _both(keyrng.uniform, _key(), shape, dtype, minval, maxval)
    _same_bits(eager, jitted)


NORMAL_CASES = [
    # kind, shape, dtype, mean, stddev
    ("normal", (), "float32", 0.0, 1.0),
    ("normal", (0, 4), "float32", 0.0, 1.0),
    ("normal", (333, 17), "float32", 0.0, 1.0),
    ("normal", (5,), "float16", 0.0, 1.0),
    ("normal", (7, 3), "bfloat16", 1.5, 0.25),
    ("normal", (1001,), "float32", -2.0, 3.0),
    ("normal", (3, 7), "float64", 0.0, 1.0),
    ("normal", (300001,), "float32", 0.0, 1.0),
    ("normal", (6,), "float32", None, 2.0),  # no addition (a compat.function's zero mean)
    ("normal", (4, 2), "float32", jnp.asarray(1.0), jnp.asarray(0.5)),
    ("normal", (2, 3), "float32", jnp.asarray([0.0, 1.0, 2.0]), 1.0),  # jitted path
    ("truncated_normal", (), "float32", 0.0, 1.0),
    ("truncated_normal", (0,), "float32", 0.0, 1.0),
    ("truncated_normal", (333, 17), "float32", 0.0, 1.0),
    ("truncated_normal", (70001,), "float32", 0.5, 2.0),
    ("truncated_normal", (9, 3), "float16", 0.0, 1.0),
    ("truncated_normal", (5,), "bfloat16", 0.0, 1.0),
    ("truncated_normal", (3, 7), "float64", 0.0, 1.0),
    ("truncated_normal", (40001,), "float64", -1.0, 2.0),
]


# The large truncated-normal fills compile the fixed kernels of their dtype: slow.
NORMAL_PARAMS = [pytest.param(*case, marks=pytest.mark.slow)
                 if case[0] == "truncated_normal" and (math.prod(case[1]) > 10_000 or case[2] != "float32")
                 else case for case in NORMAL_CASES]


@pytest.mark.parametrize("kind, shape, dtype, mean, stddev", NORMAL_PARAMS)
def test_normal_eager_bits_equal_jitted(kind, shape, dtype, mean, stddev):
    with _wide(dtype):
        eager, jitted = _both(getattr(keyrng, kind), _key(), shape, dtype, mean, stddev)
    _same_bits(eager, jitted)


@pytest.mark.parametrize("position", [(0, 0), (87654321, 256 * 7), (2**64 - 1, 2**128 - 3)])
def test_flat_fills_continue_across_kernel_calls(position):
    """A draw made of several ladder calls is the flat stream: its tail is a later draw's head."""
    key = _key(position)
    blocks = _eager.LADDER[-1]
    size = 4 * (blocks + _eager.LADDER[0]) + 3
    whole = np.asarray(keyrng.uniform(key, [size]))
    later = keyrng.philox_key(position[0], (position[1] + blocks) % 2**128)
    np.testing.assert_array_equal(whole[4 * blocks:], np.asarray(keyrng.uniform(later, [size - 4 * blocks])))


@pytest.mark.slow
def test_compat_eager_calls_equal_function_calls():
    """compat's eager draws (the ladder) and a compat.function's (per-shape kernels) agree."""
    for shape in [[3], [5, 7], [333, 17], []]:
        for op in (compat.uniform, compat.normal, compat.truncated_normal):
            compat.set_seed(11)
            eager = op(shape, seed=3)
            compat.set_seed(11)
            traced = compat.function(lambda: op(shape, seed=3))()  # noqa: B023 (called at once)
            _same_bits(eager, traced)


@pytest.mark.parametrize("ladder", [_eager.LADDER, _eager.LADDER[-1:], (16, 16384), _eager.LADDER[1:]])
def test_plan_covers_the_groups_with_few_calls(ladder):
    """From the whole ladder or from the sizes compiled so far (compat starts a family with the
    largest alone): enough groups, less than one call more than needed, few calls."""
    for groups in [0, 1, 15, 16, 17, 100, 769, 1416, 4095, 4097, 65535, 65536, 87381, 250000, 10**6]:
        sizes = _eager.plan(groups, ladder)
        assert all(size in ladder for size in sizes)
        assert sum(sizes) >= groups
        assert sum(sizes) - max(groups, 1) < max(sizes)
        assert len(sizes) <= 3 * (len(ladder) - 1) + 1 + -(-groups // ladder[-1])
    assert sorted(set(_eager.plan(_eager.WARM_UP_GROUPS))) == list(_eager.LADDER)


class _Compiles:
    """Counts XLA compilations (jax.monitoring's backend-compile events) in this thread."""

    EVENT = "/jax/core/compile/backend_compile_duration"

    def __init__(self):
        self.count = 0
        self.thread = threading.get_ident()

    def __call__(self, event, duration, **kwargs):
        if event == self.EVENT and threading.get_ident() == self.thread:
            self.count += 1

    def __enter__(self):
        jax.monitoring.register_event_duration_secs_listener(self)
        return self

    def __exit__(self, *exc):
        jax.monitoring.unregister_event_duration_listener(self)


def test_compile_counter_sees_a_compile():
    with _Compiles() as compiles:
        jax.jit(lambda x: x * 3 + 1)(jnp.arange(7.0)).block_until_ready()
    assert compiles.count >= 1


def test_new_shapes_compile_nothing_after_warm_up():
    _eager.warm_up(kinds=("uniform", "normal", "truncated_normal"), dtypes=("float32",), scalings=("unit",))
    _eager.warm_up(kinds=("uniform",), dtypes=("float32",), scalings=("affine",))
    key = keyrng.tf_key(5, 1)
    compat.set_seed(1234)
    compat.uniform([2])  # compat's own first call (seed bookkeeping)
    shapes = [[1], [3], [333, 17], [5, 1, 9], [4097], [1000, 1000], [77777], [2, 3, 4, 5], []]
    with _Compiles() as compiles:
        for shape in shapes:
            for op in (compat.uniform, compat.normal, compat.truncated_normal):
                op(shape).block_until_ready()
                op(shape, seed=9).block_until_ready()
            compat.uniform(shape, -1.0, 2.0).block_until_ready()
            for draw in (keyrng.uniform, keyrng.normal, keyrng.truncated_normal):
                draw(key, shape).block_until_ready()
    assert compiles.count == 0, f"{compiles.count} compiles for new shapes after warm-up"
    assert math.prod([1000, 1000]) <= 10**6


@pytest.mark.slow
def test_a_shape_drawn_again_gets_its_own_kernel_with_the_same_values():
    """compat compiles a shape's own kernel in the background after its second eager draw, then
    uses it; the values stay those of the fixed kernels."""
    import time

    from compat import _ops

    def states():
        return [state for signature, state in _ops._DRAWN.items() if (17, 3) in signature]

    for dtype in ("float32", "bfloat16"):
        compat.set_seed(3)
        first = [compat.uniform([17, 3], dtype=dtype), compat.normal([17, 3], dtype=dtype)]
        compat.uniform([17, 3], dtype=dtype)
        compat.normal([17, 3], dtype=dtype)
    deadline = time.monotonic() + 300
    while any(state != _ops._COMPILED for state in states()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert states() and all(state == _ops._COMPILED for state in states())
    compat.set_seed(3)
    again = [compat.uniform([17, 3], dtype="bfloat16"), compat.normal([17, 3], dtype="bfloat16")]
    for a, b in zip(first, again):
        _same_bits(a, b)


@pytest.mark.slow
def test_truncated_normal_fill_left_short_is_made_again(monkeypatch):
    """The eager ladder's truncated normal runs the loop-free kernel and makes a fill again with
    the whole kernel when it left a NaN: forced here with one block per group in the loop-free
    round and no later blocks (about a sixth of the groups short), at a kernel size no other
    test compiles."""
    from keyrng import _distributions, _tf_kernels
    key = _key((99, 12345))
    words = np.asarray(jax.random.key_data(key), np.uint32)
    jitted = jax.jit(lambda k: keyrng.truncated_normal(k, (5, 23)))(key)
    monkeypatch.setattr(_tf_kernels, "_FAST_BLOCKS", 1)
    monkeypatch.setattr(_tf_kernels, "_LATER_BLOCKS", {"float32": (), "float64": ()})
    short = _distributions._normal_philox(words, None, None, shape=(4 * 7,), dtype="float32",
                                          kind="truncated_normal", fallback=False)
    assert np.isnan(np.asarray(short)).any()
    eager = _eager.normal("truncated_normal", words, (5, 23), "float32", None, None, sizes=(7,))
    _same_bits(eager, jitted)
    nan_mean = _eager.normal("truncated_normal", words, (3,), "float32", float("nan"), 1.0, sizes=(7,))
    assert np.isnan(np.asarray(nan_mean)).all()


def test_compat_compiles_a_family_once():
    """compat's eager draws of a family run its largest fixed kernel alone: after the family's
    first draw, draws of new shapes compile nothing in the calling thread (the shape's own kernel,
    after its second draw, compiles on the background thread)."""
    compat.set_seed(2)
    first = compat.normal([3, 5], 0.5, 2.0, dtype="bfloat16")  # compiles the family's kernel
    with _Compiles() as compiles:
        later = [compat.normal(shape, 0.5, 2.0, dtype="bfloat16") for shape in ([1000], [7, 9], [3, 5], [40001])]
    assert compiles.count == 0
    compat.set_seed(2)
    with _Compiles() as compiles:
        _same_bits(first, compat.normal([3, 5], 0.5, 2.0, dtype="bfloat16"))
    assert compiles.count == 0
    assert later[-1].shape == (40001,)
