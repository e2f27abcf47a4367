"""keyrng.seed / split / fold_in / derive: accepted forms, errors, and pinned known answers."""

import os
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import keyrng


def data(key):
    return np.asarray(jax.random.key_data(key)).tolist()


@pytest.mark.parametrize("impl", ["threefry2x32", "philox"])
@pytest.mark.parametrize("value", [0, 1234, 2**32 + 5, 2**64 - 1, -1, 2**200, np.int64(7),
                                   np.uint32(9), np.int8(-3), np.array(5), jnp.int32(6), "name",
                                   "", b"bytes", bytearray(b"x")])
def test_every_accepted_seed_form_makes_a_key(value, impl):
    key = keyrng.seed(value, impl=impl)
    assert key.shape == ()
    assert jnp.issubdtype(key.dtype, jax.dtypes.prng_key)
    assert keyrng.impl_name(key) == ("tf_philox4x32" if impl == "philox" else "threefry2x32")


def test_small_ints_match_jax_random_key():
    for value in (0, 1, 1234, 2**32 - 1):
        assert data(keyrng.seed(value)) == data(jax.random.key(value))


def test_numpy_and_python_ints_agree():
    assert data(keyrng.seed(np.int64(77))) == data(keyrng.seed(77))
    assert data(keyrng.seed(np.array(77, np.int32))) == data(keyrng.seed(77))


def test_philox_seed_is_tensorflow_kernel_with_seed2_zero():
    assert data(keyrng.seed(2**40 + 3, impl="philox")) == data(keyrng.tf_key(2**40 + 3, 0))


def test_seed_known_answers():
    # Pinned: these must never change (the seed rule in keyrng/_keys.py).
    assert data(keyrng.seed("experiment-7")) == [1150921656, 1837130804]
    assert data(keyrng.seed(b"experiment-7")) == [215007535, 2449915934]
    assert data(keyrng.seed(-1)) == [679986606, 305330467]
    assert data(keyrng.seed(2**64)) == [2948330655, 4178274460]
    assert data(keyrng.seed(2**40 + 7)) == [256, 7]


@pytest.mark.parametrize("value,kind", [
    (1.5, TypeError), (None, TypeError), (True, TypeError), (np.bool_(False), TypeError),
    (np.float32(1.0), TypeError), ([1, 2], TypeError), (np.array([1, 2]), ValueError),
    (np.array(1.5), TypeError), (object(), TypeError),
])
def test_bad_seeds_raise_the_documented_error(value, kind):
    with pytest.raises(kind, match=r"^`keyrng.seed`: `value` must be an int, a numpy integer, "
                                   r"a 0-d integer array, a str or bytes; got "):
        keyrng.seed(value)


def test_bad_impl():
    with pytest.raises(ValueError, match=r"^`keyrng.seed`: `impl` must be 'threefry2x32' or 'philox'"):
        keyrng.seed(1, impl="mersenne")


def test_seed_under_jit_with_a_traced_value():
    key = jax.jit(lambda s: keyrng.seed(s))(jnp.uint32(42))
    assert data(key) == data(keyrng.seed(42))


def test_fold_in_int_is_jax_fold_in():
    key = keyrng.seed(3)
    assert data(keyrng.fold_in(key, 11)) == data(jax.random.fold_in(key, 11))
    assert data(keyrng.fold_in(key, -1)) == data(jax.random.fold_in(key, 0xFFFFFFFF))


def test_derive_is_a_chain_of_fold_ins():
    key = keyrng.seed(0)
    chained = keyrng.fold_in(keyrng.fold_in(keyrng.fold_in(key, "encoder"), 3), "dropout")
    assert data(keyrng.derive(key, "encoder", 3, "dropout")) == data(chained)
    assert data(keyrng.derive(key)) == data(key)


def test_derive_known_answers():
    # Pinned: derive must give these keys in every process, on every machine, in every release.
    assert data(keyrng.derive(keyrng.seed(0), "encoder", 3, "dropout")) == [1968799427, 773895647]
    assert data(keyrng.fold_in(keyrng.seed(0), "dropout")) == [1826605450, 2211928250]
    assert data(keyrng.derive(keyrng.seed(7, impl="philox"), "encoder", 3, "dropout")) == \
        [540135235, 1612870375, 0, 0, 2756476351, 3267189708]


@pytest.mark.slow
def test_derive_and_fold_in_str_stable_across_processes():
    code = ("import jax, keyrng; k = keyrng.seed(0); "
            "print(jax.random.key_data(keyrng.derive(k, 'encoder', 3, 'dropout')).tolist(), "
            "jax.random.key_data(keyrng.fold_in(k, 'x')).tolist(), "
            "jax.random.key_data(keyrng.seed('s')).tolist())")
    root = Path(__file__).resolve().parents[1]
    outputs = set()
    for hash_seed in ("1", "2", "random"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(root)}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=env, check=True).stdout
        outputs.add(out)
    assert len(outputs) == 1


@pytest.mark.parametrize("bad,kind", [(1.5, TypeError), (True, TypeError), (2**32, ValueError),
                                      (-2**31 - 1, ValueError), (None, TypeError), (b"x", TypeError),
                                      (np.array([1, 2]), TypeError)])
def test_fold_in_rejects_bad_data(bad, kind):
    with pytest.raises(kind, match=r"^`keyrng.fold_in`: `data` must be "):
        keyrng.fold_in(keyrng.seed(0), bad)


def test_split_shapes_and_errors():
    assert keyrng.split(keyrng.seed(0)).shape == (2,)
    assert keyrng.split(keyrng.seed(0, impl="philox"), 5).shape == (5,)
    with pytest.raises(ValueError, match=r"^`keyrng.split`: `num` must be a non-negative int; got -1\.$"):
        keyrng.split(keyrng.seed(0), -1)
    with pytest.raises(TypeError, match=r"^`keyrng.split`: `num` must be a non-negative int; got 2\.0\.$"):
        keyrng.split(keyrng.seed(0), 2.0)


def test_philox_split_equals_tensorflow_generator_split():
    # TensorFlow 2.21.0 CPU: tf.random.Generator.from_seed(np.int64(7)).split(2) gives children
    # with state [0, 0, key]: keys 13837866057460644397 and 1580108719113026114.
    children = keyrng.split(keyrng.seed(7, impl="philox"), 2)
    keys = [keyrng.position(child)[0] for child in children]
    assert keys == [13837866057460644397, 1580108719113026114]
    assert [keyrng.position(child)[1] for child in children] == [0, 0]


@pytest.mark.parametrize("function", [keyrng.split, keyrng.fold_in, keyrng.derive])
def test_functions_reject_non_keys(function):
    args = (1,) if function is not keyrng.split else ()
    with pytest.raises(TypeError, match=r"must be a typed key"):
        function(np.array([0, 1], np.uint32), *args)
    with pytest.raises(ValueError, match=r"must be a single key of shape \(\)"):
        function(keyrng.split(keyrng.seed(0), 2), *args)


def test_keys_work_with_jit_vmap_and_key_data():
    for impl in ("threefry2x32", "philox"):
        keys = keyrng.split(keyrng.seed(1, impl=impl), 4)
        raw = jax.random.key_data(keys)
        rewrapped = jax.random.wrap_key_data(raw, impl=keyrng.PHILOX if impl == "philox" else impl)
        assert np.array_equal(jax.random.key_data(rewrapped), raw)
        batched = jax.jit(jax.vmap(lambda k: keyrng.uniform(k, [3])))(keys)
        looped = np.stack([np.asarray(keyrng.uniform(k, [3])) for k in keys])
        assert np.array_equal(np.asarray(batched), looped)
        folded = jax.vmap(lambda k: keyrng.fold_in(k, "layer"))(keys)
        assert np.array_equal(jax.random.key_data(folded),
                              np.stack([jax.random.key_data(keyrng.fold_in(k, "layer")) for k in keys]))


def test_jax_random_accepts_philox_keys():
    key = keyrng.seed(3, impl="philox")
    assert jax.random.uniform(key, (4,)).shape == (4,)
    assert jax.random.normal(key, (2, 2)).shape == (2, 2)
    assert jax.random.randint(key, (3,), 0, 5).dtype == jnp.int32
    # 32-bit random bits are TensorFlow's word stream: block 0's four words, then block 1's.
    from keyrng import _philox
    u32 = np.uint32
    first = [int(w) for w in _philox.block((u32(3), u32(0)), (u32(0), u32(0), u32(0), u32(0)))]
    second = [int(w) for w in _philox.block((u32(3), u32(0)), (u32(1), u32(0), u32(0), u32(0)))]
    assert np.asarray(jax.random.bits(key, (5,))).tolist() == first + second[:1]
