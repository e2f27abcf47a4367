"""Statistical quality on 2^20 (> 10^6) values from fixed seeds, for both algorithms.

The seeds are fixed, so each test is deterministic: it either always passes or always fails. The
thresholds (p-values above 1e-3, moments within 5 standard errors) are the ones a sound generator
passes for all but a rare seed; a broken layout, a reused block or a biased conversion fails
them by orders of magnitude.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import stats

import keyrng

N = 2**20
ALGORITHMS = ("philox", "threefry2x32")
P_MIN = 1e-3

pytestmark = pytest.mark.slow


@pytest.fixture(params=ALGORITHMS)
def key(request):
    return keyrng.seed(20260125, impl=request.param)


def _sigmas(value, expected, standard_error):
    return abs(value - expected) / standard_error


# --- distributions ---------------------------------------------------------------------------------

def test_uniform_float32(key):
    x = np.asarray(keyrng.uniform(key, [N]), np.float64)
    assert x.min() >= 0.0 and x.max() < 1.0
    assert stats.kstest(x, "uniform").pvalue > P_MIN
    counts = np.bincount((x * 1000).astype(np.int64), minlength=1000)
    assert stats.chisquare(counts).pvalue > P_MIN
    # The low bits matter too: float32 uniforms are k / 2^23, and the low 8 bits of k are uniform.
    steps = (x * 2**23).astype(np.int64)
    assert np.array_equal(steps, x * 2**23)
    assert stats.chisquare(np.bincount(steps & 0xFF, minlength=256)).pvalue > P_MIN


def test_uniform_float64(key):
    with jax.enable_x64(True):
        x = np.asarray(keyrng.uniform(key, [N], "float64", -3.0, 5.0))
    assert x.min() >= -3.0 and x.max() < 5.0
    assert stats.kstest(x, stats.uniform(-3.0, 8.0).cdf).pvalue > P_MIN


def test_normal(key):
    x = np.asarray(keyrng.normal(key, [N]), np.float64)
    assert _sigmas(x.mean(), 0.0, np.sqrt(1 / N)) < 5
    assert _sigmas(x.var(), 1.0, np.sqrt(2 / N)) < 5
    assert _sigmas(stats.skew(x), 0.0, np.sqrt(6 / N)) < 5
    assert _sigmas(stats.kurtosis(x), 0.0, np.sqrt(24 / N)) < 5
    assert stats.kstest(x, "norm").pvalue > P_MIN


def test_normal_scaled(key):
    x = np.asarray(keyrng.normal(key, [N], mean=3.0, stddev=0.5), np.float64)
    assert _sigmas(x.mean(), 3.0, 0.5 * np.sqrt(1 / N)) < 5
    assert stats.kstest(x, stats.norm(3.0, 0.5).cdf).pvalue > P_MIN


def test_truncated_normal(key):
    x = np.asarray(keyrng.truncated_normal(key, [N]), np.float64)
    assert np.abs(x).max() < 2.0
    law = stats.truncnorm(-2.0, 2.0)
    assert _sigmas(x.mean(), 0.0, law.std() / np.sqrt(N)) < 5
    fourth = law.moment(4) - law.var() ** 2  # variance of (x - mean)^2 for a symmetric law
    assert _sigmas(x.var(), law.var(), np.sqrt(fourth / N)) < 5
    assert stats.kstest(x, law.cdf).pvalue > P_MIN


def test_truncated_normal_scaled_bounds(key):
    x = np.asarray(keyrng.truncated_normal(key, [N], mean=-1.0, stddev=3.0), np.float64)
    assert x.min() > -1.0 - 6.0 - 1e-5 and x.max() < -1.0 + 6.0 + 1e-5


@pytest.mark.parametrize("low, high", [(0, 10), (-7, 993), (0, 2**31 - 1), (-2**31, 2**31 - 1)])
def test_integer_uniformity(key, low, high):
    x = np.asarray(keyrng.uniform(key, [N], "int32", low, high), np.int64)
    assert x.min() >= low and x.max() < high
    span = high - low
    bins = min(span, 1000)
    counts = np.bincount((x - low) * bins // span, minlength=bins)
    assert stats.chisquare(counts).pvalue > P_MIN


# --- children of split / fold_in / derive -------------------------------------------------------

def _rows(keys) -> np.ndarray:
    data = np.asarray(jax.random.key_data(keys))
    return data.reshape(data.shape[0], -1)


def _count_distinct(rows: np.ndarray) -> int:
    return len(np.unique(np.ascontiguousarray(rows).view(np.dtype((np.void, rows.itemsize * rows.shape[1])))))


def _children(key, how: str, count: int):
    index = jnp.arange(count, dtype=jnp.uint32)
    if how == "split":
        return keyrng.split(key, count)
    if how == "fold_in":
        return jax.vmap(lambda i: keyrng.fold_in(key, i))(index)
    return jax.vmap(lambda i: keyrng.derive(key, "layer", i, "dropout"))(index)


@pytest.mark.parametrize("how", ["split", "fold_in", "derive"])
def test_no_equal_children_among_a_million(key, how):
    count = 10**6
    rows = _rows(_children(key, how, count))
    assert rows.shape[0] == count
    assert _count_distinct(np.vstack([rows, _rows(key[None])])) == count + 1


def test_children_of_different_verbs(key):
    """Philox: split, fold_in and derive children never meet. Threefry: jax's own rule makes
    `split(k, n)[i]` the same key as `fold_in(k, i)` (docs/guarantees.md); derive meets neither."""
    count = 10**5
    split, fold_in, derive = (_rows(_children(key, how, count)) for how in ("split", "fold_in", "derive"))
    if keyrng.impl_name(key) == "threefry2x32":
        assert np.array_equal(split, fold_in)
        assert _count_distinct(np.vstack([split, derive])) == 2 * count
    else:
        assert _count_distinct(np.vstack([split, fold_in, derive])) == 3 * count


@pytest.mark.parametrize("how", ["split", "fold_in", "derive"])
def test_no_correlation_between_child_streams(key, how):
    streams, length = 1000, 1000
    children = _children(key, how, streams)
    values = np.asarray(jax.vmap(lambda k: keyrng.uniform(k, [length]))(children), np.float64)
    # Every pair of streams: sqrt(length) * r is close to N(0, 1) for independent streams.
    z = np.corrcoef(values)[np.triu_indices(streams, 1)] * np.sqrt(length)
    assert abs(z.mean()) < 0.02  # 499500 pairs: 0.02 is about 14 standard errors of an exact N(0,1)
    assert 0.98 < z.std() < 1.02
    assert np.abs(z).max() < 6.0
    # Neighbours in the child order, where a weak derivation would show first.
    adjacent = [np.corrcoef(values[i], values[i + 1])[0, 1] for i in range(streams - 1)]
    assert stats.kstest(np.array(adjacent) * np.sqrt(length), "norm").pvalue > P_MIN
    # And each stream is uniform on its own: the pooled values pass KS.
    assert stats.kstest(values.reshape(-1), "uniform").pvalue > P_MIN


def _pairs(words: np.ndarray) -> np.ndarray:
    """Every run of two consecutive uint32 words, as one 64-bit value."""
    words = words.astype(np.uint64)
    return words[:-1] << np.uint64(32) | words[1:]


def test_parent_and_child_streams_do_not_overlap(key):
    """No run of two words of a child's stream appears in its parent's first 2^20 words: a block
    reused would show at once, while chance meetings among 2^64 values are out of reach."""
    parent = _pairs(np.asarray(jax.random.bits(key, (N,), jnp.uint32)))
    for child in (keyrng.split(key, 2)[1], keyrng.fold_in(key, 1), keyrng.derive(key, "a")):
        words = np.asarray(jax.random.bits(child, (4096,), jnp.uint32))
        assert len(np.intersect1d(parent, _pairs(words))) == 0


def test_block_index_does_not_wrap_at_2_to_the_32():
    """The blocks of a fill are `counter + start + stride*i` exactly, also past 2^32."""
    from keyrng import _philox, _stream

    key = (jnp.uint32(1), jnp.uint32(2))
    counter = tuple(jnp.uint32(0) for _ in range(4))
    got = np.stack([np.asarray(w) for w in _stream.blocks(key, counter, _stream.flat(3), stride=2**31)], axis=-1)
    want = np.stack([np.asarray(_philox.block(key, tuple(jnp.uint32(w) for w in _philox.int_to_words(c, 4))))
                     for c in (0, 2**31, 2**32)])
    np.testing.assert_array_equal(got, want)
    # With a start offset that carries into the high word too.
    got = np.stack([np.asarray(w) for w in _stream.blocks(key, counter, _stream.flat(3), stride=2**31, start=5)], axis=-1)
    want = np.stack([np.asarray(_philox.block(key, tuple(jnp.uint32(w) for w in _philox.int_to_words(c + 5, 4))))
                     for c in (0, 2**31, 2**32)])
    np.testing.assert_array_equal(got, want)
