"""Keras 3 on the JAX backend with the TensorFlow backend's random numbers.

`compat.keras.use_tensorflow_numbers()` replaces the random functions of Keras's JAX backend
(the module `keras.src.backend.jax.random`, which `keras.random.*`, every initializer and every
layer reach) by functions that do what Keras's TensorFlow backend does
(`keras/src/backend/tensorflow/random.py`), on compat's TensorFlow ops:

==========================  ==================================================================
`keras.random.`             TensorFlow backend's op, here
==========================  ==================================================================
`uniform`                   `compat.stateless_uniform(shape, s, tf.cast(minval), tf.cast(maxval))`
`normal`                    `compat.stateless_normal(shape, s, mean, stddev)`
`truncated_normal`          `compat.stateless_truncated_normal(shape, s, mean, stddev)`
`randint`                   `compat.stateless_uniform(shape, s, minval, maxval, int32/int64)`
`dropout`                   `compat.nn.experimental.stateless_dropout(x, rate, s, noise_shape)`
`shuffle`                   `take(x, argsort(compat.stateless_uniform([n], s)), axis)`
`categorical`               `compat.stateless_categorical(logits, num_samples, s)`
`gamma`                     `compat.stateless_gamma(shape, s, alpha)`
`binomial`                  `compat.stateless_binomial(shape, s, counts, probs)`
`beta`                      `g(s, alpha) / (g(s, alpha) + g(s + 12, beta))`, `g` stateless_gamma
==========================  ==================================================================

The stateless seed `s` is the TensorFlow backend's `_cast_seed(draw_seed(seed))`: an int32 pair
`floormod([seed, counter], 2**31 - 2)` where `[seed, counter]` is

- `[seed, 0]` for an int `seed` (any int of the int64 range; TensorFlow's int64 arithmetic);
- a `keras.random.SeedGenerator`'s state before its `next()` (which adds `[0, 1]`);
- for `seed=None`, the state of Keras's global generator before its unordered step
  `state = (state + 1) * 5387 % 933199`, done in int64 as on the TensorFlow backend (the JAX
  backend's uint32 state would wrap). `keras.utils.set_random_seed` drops the global generator;
  the next one starts at `[random.randint(1, 10**9), 0]`, as does a `SeedGenerator()` or an
  initializer built without a seed (Python's `random`, seeded by `set_random_seed`).

A typed jax key (for instance a keyrng key: `keyrng.tf_stateless_key([1, 2])`) is accepted as
`seed` by `uniform`, `normal`, `truncated_normal`, `randint`, `dropout` and `shuffle`, and draws
the keyrng call at that key (`keyrng.uniform(key, ...)` and so on): for
`keyrng.tf_stateless_key(s)` the numbers equal those of the stateless seed `s`.

`categorical`, `gamma`, `binomial` and `beta` call `compat.stateless_categorical`,
`compat.stateless_gamma` and `compat.stateless_binomial`, looked up when they are called; they
raise NotImplementedError while compat lacks them.

The ten functions are public here too (`compat.keras.uniform(shape, minval, maxval, dtype, seed)`
and so on, the signatures of Keras's backend random module); they import keras when called.

Importing compat never imports keras; `use_tensorflow_numbers` does, and requires the JAX backend
and a Keras release of `SUPPORTED_KERAS` (the releases whose TensorFlow backend was recorded).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import sys
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import keyrng

from compat import _guard

__all__ = ["SUPPORTED_KERAS", "RECORDED_KERAS", "active", "fit_permutation", "use_keras_numbers",
           "use_tensorflow_numbers",
           # the TensorFlow backend's functions, with the signatures of Keras's backend random module
           "beta", "binomial", "categorical", "dropout", "gamma", "normal", "randint", "shuffle",
           "truncated_normal", "uniform"]

SUPPORTED_KERAS = ">=3.15.1,<3.16"
"""The Keras releases `use_tensorflow_numbers` accepts (the `keras` extra pins the same range)."""
RECORDED_KERAS = "3.15.1"
"""The Keras release (on TensorFlow 2.21) whose TensorFlow backend's outputs tests/data records."""

_FUNCTION = "compat.keras.use_tensorflow_numbers"
_NAMES = ("normal", "uniform", "categorical", "randint", "truncated_normal", "dropout", "shuffle",
          "gamma", "binomial", "beta")
_CAST_MODULUS = 2**31 - 2  # tf.int32.max - 1, the TensorFlow backend's _cast_seed
_ORIGINALS: dict[str, Any] = {}  # the JAX backend's own functions while ours are installed
_MODE = {"xla": False}  # use_tensorflow_numbers(xla=...): XLA's numbers in Keras's jitted steps


def _supported(version: str) -> bool:
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(c for c in piece if c.isdigit()) or "0"
        parts.append(int(digits))
    while len(parts) < 3:
        parts.append(0)
    return (3, 15, 1) <= tuple(parts) < (3, 16, 0)


def _jax_random_module():
    keras = sys.modules.get("keras")
    if keras is None:
        if importlib.util.find_spec("keras") is None:
            keyrng.errors.runtime_error(_FUNCTION, "Keras must be installed", "no module named keras",
                                        f"Install it: `pip install 'keyrng[keras]'` (keras{SUPPORTED_KERAS}).")
        try:
            import keras  # noqa: F811 - imported only here: importing compat never imports keras
        except ImportError as error:
            keyrng.errors.runtime_error(
                _FUNCTION, "Keras must import on the JAX backend", f"{type(error).__name__}: {error}",
                "Set the environment variable KERAS_BACKEND=jax before importing keras.")
    version = getattr(keras, "__version__", "unknown")
    if not _supported(version):
        keyrng.errors.runtime_error(
            _FUNCTION, f"the Keras release must be in {SUPPORTED_KERAS} (the releases whose "
            "TensorFlow backend was recorded)", f"keras {version}",
            "Install a supported one with `pip install 'keyrng[keras]'`.")
    backend = keras.backend.backend()
    if backend != "jax":
        keyrng.errors.runtime_error(
            _FUNCTION, "Keras must run on the JAX backend", f"the {backend!r} backend",
            "Set the environment variable KERAS_BACKEND=jax before importing keras.")
    import keras.src.backend.jax.random as module
    return module


def active() -> bool:
    """Whether the TensorFlow backend's numbers are installed in Keras's JAX backend.

    >>> import compat.keras
    >>> compat.keras.active() in (True, False)
    True
    """
    return bool(_ORIGINALS)


def _install() -> None:
    module = _jax_random_module()
    if _ORIGINALS:
        return
    for name in _NAMES:
        _ORIGINALS[name] = getattr(module, name)
        setattr(module, name, _REPLACEMENTS[name])
    _install_fit_order()


def use_keras_numbers() -> None:
    """Restore the JAX backend's own random functions (jax.random's threefry numbers); a no-op
    when they are installed."""
    if not _ORIGINALS:
        return
    module = sys.modules["keras.src.backend.jax.random"]
    for name, function in _ORIGINALS.items():
        setattr(module, name, function)
    _ORIGINALS.clear()
    for (owner, name), function in _FIT_ORIGINALS.items():
        setattr(owner, name, function)
    _FIT_ORIGINALS.clear()


class use_tensorflow_numbers(contextlib.AbstractContextManager):
    """From now on, Keras's JAX backend returns the TensorFlow backend's random numbers.

    A plain call installs them (a second call changes nothing); as a context manager it restores,
    on exit, what was installed before it (Keras's own numbers, unless they were already
    TensorFlow's). Needs Keras on the JAX backend (`KERAS_BACKEND=jax`), a release of
    `SUPPORTED_KERAS`; raises RuntimeError otherwise.

    `xla=True` reproduces a Keras model compiled with XLA on TensorFlow (`model.compile(...,
    jit_compile=True)`, the default on GPUs): draws that jax traces (Keras's jitted train, test
    and predict steps) then take TensorFlow's XLA kernels' numbers (docs/xla.md), while eager
    draws (initial weights, layers called outside a step) keep the CPU kernels', as on
    TensorFlow. A step takes the mode in force when jax first traces it.

    With Keras installed (`KERAS_BACKEND=jax`):

        import compat.keras, keras
        compat.keras.use_tensorflow_numbers()
        keras.random.uniform([3], seed=1)   # what the TensorFlow backend returns
        with compat.keras.use_tensorflow_numbers():
            model = keras.Sequential([...])  # TensorFlow's initial weights
    """

    def __init__(self, xla: bool = False) -> None:
        if not isinstance(xla, bool):
            keyrng.errors.type_error(_FUNCTION, "xla", "a bool", xla)
        self._was_active = active()
        self._was_xla = _MODE["xla"]
        _install()
        _MODE["xla"] = self._xla = xla

    def __exit__(self, *exc_info) -> None:
        _MODE["xla"] = self._was_xla
        if not self._was_active:
            use_keras_numbers()
        return None

    def __repr__(self) -> str:
        return "compat.keras.use_tensorflow_numbers(" + ("xla=True)" if self._xla else ")")


# --- seeds ---------------------------------------------------------------------------------------

def _is_key(seed) -> bool:
    return isinstance(seed, jax.Array) and jax.dtypes.issubdtype(seed.dtype, jax.dtypes.prng_key)


def _tf_seed(seed, function):
    """The TensorFlow backend's `_cast_seed(draw_seed(seed))`: an int32 pair."""
    from keras.src.random import seed_generator as sg

    if isinstance(seed, sg.SeedGenerator):
        state = seed.next()  # uint32 [seed, counter] on the JAX backend; TensorFlow's int64 values
        if isinstance(state, jax.core.Tracer):  # a compiled step's value (train_step, stateless_call)
            return (jnp.asarray(state, jnp.uint32) % jnp.uint32(_CAST_MODULUS)).astype(jnp.int32)
        return (np.asarray(state).astype(np.int64) % _CAST_MODULUS).astype(np.int32)
    if isinstance(seed, int) and not isinstance(seed, bool):
        # TensorFlow's convert_to_tensor([seed, 0]) (int32 or int64) cast to int64, then floormod
        if not -2**63 <= seed < 2**63:
            keyrng.errors.value_error(function, "seed", "an int of the int64 range, a "
                                      "keras.random.SeedGenerator or None", seed)
        return np.array([seed % _CAST_MODULUS, 0], np.int32)
    if seed is None:
        generator = sg.global_seed_generator()  # raises Keras's error under a jax trace
        state = np.asarray(generator.state.value).astype(np.int64)
        generator.state.assign(np.asarray((state + 1) * 5387 % 933199, np.uint32))
        return (state % _CAST_MODULUS).astype(np.int32)
    # bools too: TensorFlow cannot convert the mixed list [True, 0]
    keyrng.errors.value_error(function, "seed", "an int, a keras.random.SeedGenerator, None or a "
                              "typed jax key", seed)


def _dtype(dtype):
    from keras.src.backend.common import standardize_dtype
    from keras.src.backend.config import floatx
    return standardize_dtype(dtype or floatx())


def _cast(x, dtype):
    """`tf.cast(x, dtype)` of a result, with jax's 32-bit types for 64-bit ones when its x64 mode
    is off (as everywhere on Keras's JAX backend)."""
    if not jax.config.jax_enable_x64:
        dtype = {"int64": "int32", "uint64": "uint32", "float64": "float32"}.get(dtype, dtype)
    return jnp.asarray(x).astype(dtype)


def _tf_cast(value, dtype):
    """`tf.cast(value, dtype)`: a Python number becomes a tensor first (float32 for a float,
    int32 or int64 for an int), then is cast. A concrete result is handed on as the Python number
    it equals (exactly representable in `dtype`, so compat's conversion keeps it)."""
    if isinstance(value, bool):
        cast = np.asarray(value).astype(dtype)
    elif isinstance(value, int):
        cast = np.asarray(value, np.int32 if -2**31 <= value < 2**31 else np.int64).astype(dtype)
    elif isinstance(value, float):
        cast = np.asarray(np.float32(value)).astype(dtype)
    else:
        cast = jnp.asarray(value).astype(dtype)
        if isinstance(cast, jax.core.Tracer) or cast.ndim:
            return cast
    return cast.item() if dtype.startswith("int") or dtype.startswith("uint") else float(cast)


def _compat(*path):
    import compat
    target = compat
    for name in path:
        target = getattr(target, name, None)
        if target is None:
            raise NotImplementedError(
                f"`keras.random` under `{_FUNCTION}` needs `compat.{'.'.join(path)}` "
                "(TensorFlow's op underneath), which this compat does not have yet.")
    return target


def _keys_only_for(name, seed):
    if _is_key(seed):
        keyrng.errors.type_error(f"keras.random.{name}", "seed", "an int, a "
                                 "keras.random.SeedGenerator or None (typed keys are taken by uniform, normal, "
                                 "truncated_normal, randint, dropout and shuffle)", seed)


# --- the TensorFlow backend's functions ----------------------------------------------------------

def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    if _is_key(seed):
        return keyrng.normal(seed, tuple(shape), dtype, mean, stddev)
    import compat
    seed = _tf_seed(seed, "keras.random.normal")
    return compat.stateless_normal(list(shape), seed, mean, stddev, dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    if _is_key(seed):
        return keyrng.uniform(seed, tuple(shape), dtype, _tf_cast(minval, dtype), _tf_cast(maxval, dtype))
    import compat
    seed = _tf_seed(seed, "keras.random.uniform")  # drawn first, as the TensorFlow backend does
    return compat.stateless_uniform(list(shape), seed, _tf_cast(minval, dtype), _tf_cast(maxval, dtype),
                                    dtype)


def categorical(logits, num_samples, dtype="int64", seed=None):
    _keys_only_for("categorical", seed)
    op = _compat("stateless_categorical")
    seed = _tf_seed(seed, "keras.random.categorical")
    # TensorFlow's int64 class indices; int32 holds them too when jax's 64-bit mode is off
    output = op(logits, num_samples, seed=seed, dtype="int64" if jax.config.jax_enable_x64 else "int32")
    return _cast(output, _dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    dtype = _dtype(dtype)
    intermediate = dtype if dtype in ("int32", "int64") else "int64"  # TensorFlow's int64 kernel
    if not _is_key(seed):
        seed = _tf_seed(seed, "keras.random.randint")
    # int8, uint8, ... come from the int64 kernel (two words a value), then a cast: with 64-bit
    # types for this block only, as keyrng's float64 kernels do, when jax's x64 mode is off
    with keyrng.tf.wide_types(intermediate == "int64" and not jax.config.jax_enable_x64):
        if _is_key(seed):
            output = keyrng.uniform(seed, tuple(shape), intermediate, minval, maxval)
        else:
            import compat
            output = compat.stateless_uniform(list(shape), seed, minval, maxval, intermediate)
        if dtype != "int64":
            output = output.astype(dtype)
    return _cast(output, dtype)  # int64 is int32 when jax's x64 mode is off


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    if _is_key(seed):
        return keyrng.truncated_normal(seed, tuple(shape), dtype, mean, stddev)
    import compat
    seed = _tf_seed(seed, "keras.random.truncated_normal")
    return compat.stateless_truncated_normal(list(shape), seed, mean, stddev, dtype)


def _noise_shape(inputs, noise_shape):
    if noise_shape is None:
        return list(inputs.shape)
    return [inputs.shape[i] if value is None else value for i, value in enumerate(noise_shape)]


def dropout(inputs, rate, noise_shape=None, seed=None):
    if rate == 1.0:
        return jnp.zeros_like(inputs)
    if rate == 0.0:
        return inputs
    inputs = jnp.asarray(inputs)
    if _is_key(seed):
        return keyrng.dropout(seed, inputs, rate, _noise_shape(inputs, noise_shape))
    import compat
    seed = _tf_seed(seed, "keras.random.dropout")
    return compat.nn.experimental.stateless_dropout(inputs, rate=rate, seed=seed,
                                                    noise_shape=_noise_shape(inputs, noise_shape))


def shuffle(x, axis=0, seed=None):
    x = jnp.asarray(x)
    size = x.shape[axis]
    if _is_key(seed):
        values = keyrng.uniform(seed, (size,), jnp.float32)
    else:
        import compat
        values = compat.stateless_uniform([size], _tf_seed(seed, "keras.random.shuffle"))
    # tf.argsort (ascending) is top_k of the negated values: ties keep the lower index first
    return jnp.take(x, jnp.argsort(values, stable=True), axis=axis)


def _gamma_dtype(dtype):
    return "float32" if dtype == "bfloat16" else dtype


def gamma(shape, alpha, dtype=None, seed=None):
    _keys_only_for("gamma", seed)
    dtype = _dtype(dtype)
    op = _compat("stateless_gamma")
    seed = _tf_seed(seed, "keras.random.gamma")
    return _cast(op(list(shape), seed=seed, alpha=alpha, dtype=_gamma_dtype(dtype)), dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    _keys_only_for("binomial", seed)
    dtype = _dtype(dtype)
    op = _compat("stateless_binomial")
    seed = _tf_seed(seed, "keras.random.binomial")
    return _cast(op(shape=list(shape), seed=seed, counts=counts, probs=probabilities,
                    output_dtype=_gamma_dtype(dtype)), dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    _keys_only_for("beta", seed)
    dtype = _dtype(dtype)
    op = _compat("stateless_gamma")
    seed_1 = _tf_seed(seed, "keras.random.beta")
    seed_2 = jnp.asarray(seed_1, jnp.int32) + jnp.int32(12)  # TensorFlow's int32 add (wraps)
    intermediate = _gamma_dtype(dtype)
    alpha = jnp.broadcast_to(_tf_convert(alpha, intermediate), tuple(shape))
    beta = jnp.broadcast_to(_tf_convert(beta, intermediate), tuple(shape))
    gamma_a = _cast(op(shape=list(shape), seed=seed_1, alpha=alpha, dtype=intermediate), dtype)
    gamma_b = _cast(op(shape=list(shape), seed=seed_2, alpha=beta, dtype=intermediate), dtype)
    return gamma_a / (gamma_a + gamma_b)


def _tf_convert(value, dtype):
    """`tf.convert_to_tensor(value, dtype)`: Python numbers convert straight to dtype."""
    if isinstance(value, (jax.Array, np.ndarray)):
        return jnp.asarray(value).astype(dtype)
    return jnp.asarray(np.asarray(value, dtype))


def _in_mode(function):
    """`function` drawing TensorFlow's XLA kernels' numbers while jax traces it, when installed
    with `use_tensorflow_numbers(xla=True)` (compat._guard.xla_numbers)."""
    @functools.wraps(function)
    def call(*args, **kwargs):
        with _guard.xla_numbers(_MODE["xla"]):
            return function(*args, **kwargs)
    return call


_REPLACEMENTS = {name: _in_mode(globals()[name]) for name in _NAMES}


# --- keras.utils.set_random_seed and model.fit(shuffle=True) -------------------------------------
# On the TensorFlow backend `keras.utils.set_random_seed(n)` also calls `tf.random.set_seed(n)`,
# and `fit` on arrays with `shuffle=True` orders the samples by `tf.random.shuffle(tf.range(n))`
# in a tf.data map function (ArrayDataAdapter.get_tf_dataset): the first unseeded op of that
# function's graph, so op seed 0 with the global seed, in a kernel that tf.data makes afresh for
# every iterator, i.e. every epoch. So every epoch (and every `fit`) takes the same permutation,
# `keyrng.shuffle(keyrng.tf_key(*keyrng.tf_seed_pair(global_seed, 0)), range(n))` (recorded:
# tests/data/programs_record.py, `keras_fit_order_exact`). The JAX backend takes
# `np.random.permutation` each epoch instead; with the TensorFlow backend's numbers installed,
# `set_random_seed` also calls `compat.set_seed` and `fit` takes TensorFlow's permutation. Without
# a global seed TensorFlow's shuffle is seeded from OS entropy, and NumPy's permutation stays.
_FIT_ORIGINALS: dict = {}  # (owner, attribute) -> Keras's own function, while ours are installed


def fit_permutation(num_samples: int):
    """The order in which `model.fit(x, y, shuffle=True)` feeds the samples of an array data set
    in every epoch on Keras's TensorFlow backend, at compat's global seed; None without one.

    >>> import compat, compat.keras
    >>> compat.set_seed(3)                    # keras.utils.set_random_seed(3) on TensorFlow
    >>> compat.keras.fit_permutation(8).tolist()
    [7, 4, 2, 6, 5, 3, 0, 1]
    >>> compat.reset()
    """
    from compat import _state

    seed = _state.state.global_seed
    if seed is None:
        return None
    key = keyrng.tf_key(*keyrng.tf_seed_pair(seed, 0))
    return np.asarray(keyrng.shuffle(key, jnp.arange(num_samples, dtype=jnp.int32))).astype(np.int64)


def _install_fit_order() -> None:
    from keras.src import tree
    from keras.src import utils
    from keras.src.trainers.data_adapters import array_data_adapter
    from keras.src.utils import rng_utils

    adapter = array_data_adapter.ArrayDataAdapter
    own_iterator = adapter._get_iterator
    own_set_random_seed = rng_utils.set_random_seed

    def _get_iterator(self, slice_and_convert_fn, inputs):  # Keras 3.15's, with TF's permutation
        order = None
        if self._shuffle and self._shuffle != "batch":
            order = fit_permutation(self._num_samples)
        if order is None:
            yield from own_iterator(self, slice_and_convert_fn, inputs)
            return
        for i in range(self._size):
            start = i * self._batch_size
            stop = min((i + 1) * self._batch_size, self._num_samples)
            convert = functools.partial(slice_and_convert_fn, indices=order[start:stop])
            yield tree.map_structure(convert, inputs, none_is_leaf=False)

    @functools.wraps(own_set_random_seed)
    def set_random_seed(seed):
        own_set_random_seed(seed)
        import compat

        compat.set_seed(seed)  # tf.random.set_seed(seed), as on the TensorFlow backend

    keras = sys.modules["keras"]
    for owner, name, function in ((adapter, "_get_iterator", _get_iterator),
                                  (rng_utils, "set_random_seed", set_random_seed),
                                  (utils, "set_random_seed", set_random_seed),
                                  (keras.utils, "set_random_seed", set_random_seed)):
        _FIT_ORIGINALS[(owner, name)] = getattr(owner, name)
        setattr(owner, name, function)
