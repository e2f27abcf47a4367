"""keyrng.uniform / normal / truncated_normal: transformations, dtypes, scaling, errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import keyrng
from keyrng import _stream

DRAWS = {
    "uniform": lambda k, dtype: keyrng.uniform(k, [3, 5], dtype),
    "uniform_scaled": lambda k, dtype: keyrng.uniform(k, [7], dtype, -2.5, 3.0),
    "normal": lambda k, dtype: keyrng.normal(k, [9], dtype, 1.0, 2.0),
    "truncated_normal": lambda k, dtype: keyrng.truncated_normal(k, [2, 5], dtype),
}
FLOATS = ["float16", "bfloat16", "float32"]


@pytest.fixture(params=["philox", "threefry2x32"])
def key(request):
    return keyrng.seed(20240601, impl=request.param)


def bits(x):
    x = np.asarray(x)
    return x.view(f"uint{x.dtype.itemsize * 8}")


@pytest.mark.parametrize("draw", DRAWS)
@pytest.mark.parametrize("dtype", FLOATS)
def test_jit_equals_eager(key, draw, dtype):
    eager = DRAWS[draw](key, dtype)
    compiled = jax.jit(lambda k: DRAWS[draw](k, dtype))(key)
    assert np.array_equal(bits(eager), bits(compiled))


@pytest.mark.parametrize("draw", DRAWS)
def test_vmap_equals_loop(key, draw):
    keys = jax.random.split(key, 4)
    batched = jax.vmap(lambda k: DRAWS[draw](k, "float32"))(keys)
    looped = np.stack([np.asarray(DRAWS[draw](k, "float32")) for k in keys])
    assert np.array_equal(bits(batched), bits(looped))


def test_integers_jit_vmap(key):
    draw = lambda k: keyrng.uniform(k, [11], "int32", -7, 100)  # noqa: E731
    keys = jax.random.split(key, 3)
    assert np.array_equal(np.asarray(jax.vmap(draw)(keys)), np.stack([np.asarray(draw(k)) for k in keys]))
    assert np.array_equal(np.asarray(jax.jit(draw)(key)), np.asarray(draw(key)))
    values = np.asarray(draw(key))
    assert values.min() >= -7 and values.max() < 100


def test_int32_full_span_and_wrapping():
    values = np.asarray(keyrng.uniform(keyrng.tf_key(1, 2), [1000], "int32", -2**31, 2**31 - 1))
    assert values.dtype == np.int32 and values.min() < -2**30 and values.max() > 2**30


def test_sixty_four_bit_dtypes_need_x64():
    key = keyrng.seed(0, impl="philox")
    for dtype in ("float64", "int64", jnp.float64, np.dtype("int64")):
        with pytest.raises(ValueError, match=r"while jax's 64-bit mode is off; got .*jax_enable_x64"):
            keyrng.uniform(key, [2], dtype, 0, 5)


def test_sixty_four_bit_dtypes_with_x64():
    key = keyrng.tf_key(87654321, 2)
    with jax.enable_x64(True):
        wide = keyrng.uniform(key, [5], "float64")
        assert wide.dtype == jnp.float64
        assert np.all((np.asarray(wide) >= 0) & (np.asarray(wide) < 1))
        ints = keyrng.uniform(key, [4], "int64", -2**40, 2**40)
        assert ints.dtype == jnp.int64
        assert keyrng.normal(key, [3], "float64").dtype == jnp.float64


def test_float32_does_not_switch_x64_on():
    keyrng.normal(keyrng.seed(0, impl="philox"), [4])
    assert not jax.config.jax_enable_x64
    assert jnp.zeros(1).dtype == jnp.float32


def test_scaling_is_three_separately_rounded_operations():
    key = keyrng.tf_key(87654321, 1)
    raw = np.asarray(keyrng.uniform(key, [4096]))
    low, high = np.float32(-3.5), np.float32(0.25)
    expected = (raw * (high - low)).astype(np.float32) + low  # numpy rounds each op
    got = np.asarray(keyrng.uniform(key, [4096], minval=-3.5, maxval=0.25))
    assert np.array_equal(bits(got), bits(expected))
    jitted = np.asarray(jax.jit(lambda k: keyrng.uniform(k, [4096], minval=-3.5, maxval=0.25))(key))
    assert np.array_equal(bits(jitted), bits(expected))


def test_normal_scaling_is_two_separately_rounded_operations():
    key = keyrng.tf_key(5, 9)
    raw = np.asarray(keyrng.normal(key, [4096]))
    expected = (raw * np.float32(0.37)).astype(np.float32) + np.float32(1.3)
    assert np.array_equal(bits(keyrng.normal(key, [4096], mean=1.3, stddev=0.37)), bits(expected))


@pytest.mark.slow
def test_scaling_rounds_twice_under_jit_with_a_constant_key():
    # A key closed over by `jit` makes every key word a compile-time constant; the product must
    # still be rounded before the addition (no fused multiply-add).
    key = keyrng.tf_key(1, 5)
    draws = [lambda k: keyrng.uniform(k, [9, 7, 9], minval=10.0),
             lambda k: keyrng.normal(k, [300], mean=10.0, stddev=3.0),
             lambda k: keyrng.truncated_normal(k, [300], mean=-3.0, stddev=7.0)]
    for draw in draws:
        constant = np.asarray(jax.jit(lambda draw=draw: draw(key))())
        assert np.array_equal(bits(constant), bits(draw(key)))
    raw = np.asarray(keyrng.uniform(key, [567]))
    separate = raw * np.float32(-9.0) + np.float32(10.0)  # NumPy rounds each operation
    got = np.asarray(jax.jit(lambda: keyrng.uniform(key, [567], minval=10.0))())
    assert np.array_equal(bits(got), bits(separate))


@pytest.mark.slow
def test_unit_scaling_shortcut_gives_the_scaled_bits():
    # mean 0, stddev 1 (Python numbers) skip `raw * 1 + 0` for float32/float64; NumPy scalars take
    # the scaled path. Both must agree on every bit.
    key = keyrng.tf_key(11, 12)
    one, zero = np.float32(1.0), np.float32(0.0)
    for draw in (keyrng.normal, keyrng.truncated_normal):
        assert np.array_equal(bits(draw(key, [2**16])), bits(draw(key, [2**16], mean=zero, stddev=one)))
    with jax.enable_x64(True):
        for draw in (keyrng.normal, keyrng.truncated_normal):
            assert np.array_equal(bits(draw(key, [2**12], "float64")),
                                  bits(draw(key, [2**12], "float64", np.float64(0.0), np.float64(1.0))))


def test_mean_none_leaves_out_the_addition():
    key = keyrng.tf_key(3, 4)
    with_mean = np.asarray(keyrng.normal(key, [256], stddev=0.0, mean=0.0))
    without = np.asarray(keyrng.normal(key, [256], stddev=0.0, mean=None))
    raw = np.asarray(keyrng.normal(key, [256]))
    assert not np.signbit(with_mean).any()
    assert np.array_equal(np.signbit(without), np.signbit(raw))
    assert np.array_equal(bits(keyrng.normal(key, [256], mean=None, stddev=2.0)), bits(raw * np.float32(2.0)))
    truncated = keyrng.truncated_normal(key, [256], mean=None, stddev=0.0)
    assert np.signbit(np.asarray(truncated)).any()


def test_tensorflow_scaling_rule_int_zero_and_one():
    key = keyrng.tf_key(3, 4)
    raw = np.asarray(keyrng.uniform(key, [64]))
    # The ints 0 and 1 return the raw sample; a zero int minval only multiplies, so 0 * -1 stays -0.0.
    assert np.array_equal(bits(keyrng.uniform(key, [64], minval=0, maxval=1)), bits(raw))
    times = np.asarray(keyrng.uniform(key, [64], minval=0, maxval=-1.0))
    assert np.array_equal(bits(times), bits(raw * np.float32(-1.0)))
    affine = np.asarray(keyrng.uniform(key, [64], minval=0.0, maxval=-1.0))
    assert np.array_equal(bits(affine), bits(raw * np.float32(-1.0) + np.float32(0.0)))


def test_truncated_normal_bounds_and_layout():
    values = np.asarray(keyrng.truncated_normal(keyrng.tf_key(1, 1), [10000]))
    assert np.all(np.abs(values) < 2)
    prefix = np.asarray(keyrng.truncated_normal(keyrng.tf_key(1, 1), [10]))
    assert np.array_equal(prefix, values[:10])


# Shapes whose blocks are indexed over their rows (keyrng/_stream.grid): whole rows, groups of
# rows, shifted rows (rows of 129 and more values), and one-dimensional sizes laid out as rows;
# (3, 5) and (2, 2, 2, 3) keep one flat range. (8, 1001) and (16, 130) are big enough for the
# conditional kernels and truncated normal's fast path.
GRID_SHAPES = [(4, 6), (8, 1001), (2, 3, 8), (16, 130), (3, 129), (2, 3, 200), (3, 5), (2, 2, 2, 3),
               (5, 0), (6, 2), (8008,), (2 * 1001,), (4096,), (127,)]
# Truncated normal compiles slowly (a loop of float64 logarithms and sines): one shape per layout.
SHORT_LIST = [(8, 1001), (4, 6), (3, 129), (3, 5), (8008,)]
PHILOX_DRAWS = {
    "uniform": lambda k, s: keyrng.uniform(k, s),
    "uniform-bfloat16": lambda k, s: keyrng.uniform(k, s, "bfloat16", -1.0, 2.0),
    "uniform-float64": lambda k, s: keyrng.uniform(k, s, "float64", -1.0, 2.0),
    "int32": lambda k, s: keyrng.uniform(k, s, "int32", -5, 1000),
    "int64": lambda k, s: keyrng.uniform(k, s, "int64", -5, 2**40),
    "normal": lambda k, s: keyrng.normal(k, s, "float32", 1.0, 3.0),
    "normal-float64": lambda k, s: keyrng.normal(k, s, "float64"),
    "truncated_normal": lambda k, s: keyrng.truncated_normal(k, s),
    "truncated_normal-float64": lambda k, s: keyrng.truncated_normal(k, s, "float64"),
}


def _one_flat_range(shape, k):
    return _stream.Grid(tuple(shape), k, (), -(-int(np.prod(shape)) // k))


@pytest.mark.slow
@pytest.mark.parametrize("draw", PHILOX_DRAWS)
def test_philox_layouts_by_rows_give_the_flat_stream(draw, monkeypatch):
    # TensorFlow fills every shape from one flat range of blocks; keyrng indexes the blocks by
    # rows where it can (for sharding). The values must be the same.
    key = keyrng.tf_key(20240601, 7, 3)

    shapes = SHORT_LIST if draw.startswith("truncated") else GRID_SHAPES

    def draw_all(k):
        return [PHILOX_DRAWS[draw](k, list(shape)) for shape in shapes]

    with jax.enable_x64(True):  # one compiled program per draw: the test is mostly compile time
        got = jax.jit(draw_all)(key)
        with monkeypatch.context() as patch:
            patch.setattr(_stream, "grid", _one_flat_range)
            jax.clear_caches()  # no trace made with the row layouts may be reused
            expected = jax.jit(draw_all)(key)
        jax.clear_caches()
    for shape, g, e in zip(shapes, got, expected):
        assert g.shape == e.shape == shape
        assert np.array_equal(bits(g), bits(e)), shape


@pytest.mark.parametrize("shape,kind", [([-1], ValueError), ([2.0], TypeError), ("3", TypeError),
                                        (None, TypeError), ([True], TypeError), (-3, ValueError),
                                        (np.array([[1]]), TypeError)])
def test_bad_shapes(shape, kind):
    with pytest.raises(kind, match=r"^`keyrng.uniform`: `shape` must be a sequence of non-negative ints; got "):
        keyrng.uniform(keyrng.seed(0), shape)


@pytest.mark.parametrize("dtype,kind", [("int8", ValueError), (jnp.uint32, ValueError),
                                        ("complex64", ValueError), ("nonsense", TypeError),
                                        (3, TypeError), (None, TypeError)])
def test_bad_dtypes(dtype, kind):
    with pytest.raises(kind, match=r"^`keyrng.uniform`: `dtype` must be one of float16, bfloat16, float32"):
        keyrng.uniform(keyrng.seed(0), [2], dtype)


def test_normal_rejects_integer_dtypes():
    with pytest.raises(ValueError, match=r"^`keyrng.normal`: `dtype` must be one of float16, bfloat16, float32"):
        keyrng.normal(keyrng.seed(0), [2], "int32")


def test_integer_bounds():
    key = keyrng.seed(0, impl="philox")
    with pytest.raises(ValueError, match=r"^`keyrng.uniform`: `maxval` must be given for integer dtype int32; got None"):
        keyrng.uniform(key, [2], "int32")
    with pytest.raises(ValueError, match=r"^`keyrng.uniform`: `minval` must be less than maxval \(5\); got 5\.$"):
        keyrng.uniform(key, [2], "int32", 5, 5)
    # Python ints convert as TensorFlow converts them: wrapped to int32 (2**32 is 0) up to int64.
    with pytest.raises(ValueError, match=r"^`keyrng.uniform`: `minval` must be less than maxval \(0\); got 0\.$"):
        keyrng.uniform(key, [2], "int32", 0, 2**32)
    with pytest.raises(ValueError, match=r"^`keyrng.uniform`: `maxval` must be an int or a NumPy number "
                       r"\(converted to int32\) in the int64 range; got 9223372036854775808"):
        keyrng.uniform(key, [2], "int32", 0, 2**63)
    with pytest.raises(TypeError, match=r"^`keyrng.uniform`: `minval` must be an int or a NumPy number "
                       r"\(converted to int32\); got 0\.5"):
        keyrng.uniform(key, [2], "int32", 0.5, 3)
    # TensorFlow returns an empty tensor before it checks the bounds.
    assert keyrng.uniform(key, [0], "int32", 5, 5).shape == (0,)


def test_bad_keys():
    with pytest.raises(TypeError, match=r"^`keyrng.normal`: `key` must be a typed key"):
        keyrng.normal(np.zeros(2, np.uint32), [2])
    with pytest.raises(ValueError, match=r"^`keyrng.uniform`: `key` must be a single key of shape \(\); got "
                                         r"'a key array of shape \(3,\)'\. Use jax.vmap"):
        keyrng.uniform(keyrng.split(keyrng.seed(0), 3), [2])


def test_bad_bounds():
    with pytest.raises(TypeError, match=r"^`keyrng.uniform`: `maxval` must be a real number or an array of them; got '1'"):
        keyrng.uniform(keyrng.seed(0), [2], maxval="1")
    with pytest.raises(TypeError, match=r"^`keyrng.normal`: `stddev` must be a real number"):
        keyrng.normal(keyrng.seed(0), [2], stddev=None)


def test_threefry_keys_use_jax_random():
    key = keyrng.seed(5)
    assert np.array_equal(np.asarray(keyrng.uniform(key, [4])), np.asarray(jax.random.uniform(key, (4,))))
    assert np.array_equal(np.asarray(keyrng.normal(key, [4])), np.asarray(jax.random.normal(key, (4,))))



@pytest.mark.parametrize("kind, dtype, scaling", [
    ("normal", "float32", {}), ("normal", "float32", {"mean": None, "stddev": 0.3}),
    ("truncated_normal", "float32", {}), ("uniform", "float32", {"maxval": 3.0}),
    ("normal", "float64", {}), ("uniform", "float64", {"maxval": 3.0}),
])
def test_last_product_is_not_contracted_into_the_consumer(kind, dtype, scaling):
    # TensorFlow rounds a kernel's output, then adds: `draw(k) + x` compiled in one jit must round
    # the same way (XLA:CPU would otherwise fuse the last multiply and the addition into an FMA:
    # before keyrng._tf_kernels.rounded, 70 to 175 of these 600 values differed).
    with jax.enable_x64(dtype == "float64"):
        def draw(key):
            return getattr(keyrng, kind)(key, [600], dtype, **scaling)

        key = keyrng.tf_key(5, 1)
        values = np.asarray(draw(key))
        x = np.linspace(-1, 1, values.size, dtype=values.dtype)
        fused = np.asarray(jax.jit(lambda k, x: draw(k) + x)(key, jnp.asarray(x)))
        unsigned = f"u{values.itemsize}"
        assert np.array_equal(fused.view(unsigned), (values + x).view(unsigned))


# --- truncated normal's loop-free round: 2 blocks for every group, the third for a few per row ---

def _fast_round_only(monkeypatch):
    """Make `truncated_normal` return its loop-free round as it is (NaN where a group is short)
    instead of remaking the fill with the loop."""
    from keyrng import _tf_kernels

    cond = _tf_kernels.lax.cond

    def no_fallback(pred, true_fun, false_fun, *operands):
        if true_fun.__name__ == "again":
            return false_fun(*operands)
        return cond(pred, true_fun, false_fun, *operands)
    monkeypatch.setattr(_tf_kernels.lax, "cond", no_fallback)


@pytest.mark.slow
@pytest.mark.parametrize("shape,dtype", [((2**20,), "float32"), ((1000, 1000), "float32"), ((7, 3, 4099), "float32"),
                                         ((1000, 1000), "float64"), ((3, 4099), "float64")])
def test_truncated_normal_later_blocks_for_few_groups_equal_the_loop(shape, dtype, monkeypatch):
    """The loop-free round (keyrng/_tf_kernels.truncated_normal) equals the exact loop bit for bit
    without falling back: about 1e-5 of float32 groups (4e-4 of float64 ones) are short after 2
    blocks, and they get their later blocks; positions where the 128-bit counter carries between
    groups."""
    _fast_round_only(monkeypatch)
    with jax.enable_x64(dtype == "float64"):
        _check_later_blocks(shape, dtype)


def _check_later_blocks(shape, dtype):
    from keyrng import _tf_kernels

    layout = _stream.grid(shape, 2 if dtype == "float64" else 4)
    loop = jax.jit(lambda k, c: layout.arrange(_tf_kernels._truncated_normal_loop(k, c, layout, dtype)))
    positions = [((5, 6), (1, 2, 3, 4)), ((1, 99), (7, 0xFFFFFF00, 0xFFFFFFFF, 7)), ((2**31, 3), (2**32 - 1, 0, 0, 0))]
    expected = []
    for key, counter in positions:
        words = (tuple(jnp.uint32(w) for w in key), tuple(jnp.uint32(w) for w in counter))
        expected.append((words, bits(loop(*words))))
    fast = jax.jit(lambda k, c: _tf_kernels.truncated_normal(k, c, shape, dtype))
    for words, want in expected:
        got = np.asarray(fast(*words))
        assert not np.isnan(got).any()
        assert np.array_equal(bits(got), want)
    if dtype == "float32" and layout.count >= 2**18:  # float64: about 180 short groups per 10^6 values
        # groups that needed a third block: fewer than 4 of their first 8 candidates accepted
        # (about 7 expected over the three positions)
        short_after_two = 0
        for words, _ in expected:
            first_two = [np.asarray(_tf_kernels._box_muller_blocks(*words, layout, stride=256, start=t))
                         for t in range(2)]
            short_after_two += int((sum((np.abs(v) < 2).sum(axis=-1) for v in first_two) < 4).sum())
        assert short_after_two > 0  # the third-block path ran
