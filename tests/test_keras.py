"""compat.keras: Keras 3 on the JAX backend with the TensorFlow backend's random numbers.

Known answers: tests/data/keras_expected.json, Keras 3.15.1 on TensorFlow 2.21 (CPU), recorded by
tests/data/keras_record.py from tests/data/keras_scenarios.py (each scenario in a fresh
TensorFlow-backend process) and replayed here on the JAX backend, bit for bit. Skipped without
keras; Keras must be imported with KERAS_BACKEND=jax, so this module sets it before importing
keras (and skips if another test imported keras on another backend first).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import pathlib
import random
import subprocess
import sys

import numpy as np
import pytest

DATA = pathlib.Path(__file__).parent / "data"

if importlib.util.find_spec("keras") is None:
    pytest.skip("keras is not installed (pip install 'keyrng[keras]')", allow_module_level=True)
if "keras" not in sys.modules:
    os.environ["KERAS_BACKEND"] = "jax"

import jax  # noqa: E402
import keras  # noqa: E402

import compat  # noqa: E402
import compat.keras  # noqa: E402
import keyrng  # noqa: E402

# Keras 3.15.1's Variable.numpy() (model.get_weights) warns under NumPy >= 2: Keras's own warning.
pytestmark = pytest.mark.filterwarnings(
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")

if keras.backend.backend() != "jax":
    pytest.skip(f"keras was imported on the {keras.backend.backend()!r} backend", allow_module_level=True)

_spec = importlib.util.spec_from_file_location("keras_record", DATA / "keras_record.py")
keras_record = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(keras_record)

RECORDING = json.loads((DATA / "keras_expected.json").read_text())
SCENARIOS = {s["name"]: s for s in RECORDING["scenarios"]}

# TensorFlow ops other areas of compat provide; a scenario that needs one skips while it is missing.
NEEDS = {"keras.random.categorical": "stateless_categorical", "keras.random.gamma": "stateless_gamma",
         "keras.random.beta": "stateless_gamma", "keras.random.binomial": "stateless_binomial"}

# Scenarios the default group replays (one compile each is cheap); the slow group replays them all.
DEFAULT = {"uniform_int_seeds", "seed_generator_seeds", "global_generator_reset",
           "initializer_9_GlorotUniform_unseeded", "dropout_layer_repeated", "bad_seeds"}

# Scenarios whose recording is not reproduced, and why (see docs/keras.md).
NOT_COVERED = {
    "seed_generator_next_unordered": "SeedGenerator.next(ordered=False) called by hand steps the JAX "
    "backend's uint32 state, which wraps where TensorFlow's int64 does not (Keras's global generator, "
    "the one caller of the unordered step, is stepped in int64 by compat.keras)",
    "orthogonal_initializer": "Orthogonal is a QR decomposition of TensorFlow's normal values; the QR's "
    "bits depend on the linear algebra library (recorded: 10 of 16 and 7 of 18 values differ, by up to "
    "108 ulp)",
}


# Scenarios recorded with model.compile(jit_compile=True): TensorFlow then compiles the train step
# with XLA, whose kernels give other numbers than the CPU kernels; replayed with
# use_tensorflow_numbers(xla=True) (docs/keras.md).
XLA = {"fit_exact_dropout_xla"}


# Scenarios of which only the first outputs are compared, and why (see docs/keras.md).
# Adam's updates round differently in XLA and in TensorFlow's kernels: after 4 steps, 4 of the 67
# trained values are 1 or 2 ulp apart (the dropout masks are the same: fit_exact_dropout_* shows it).
COMPARED_PREFIX = {
    "fit_model_eager_tf": (5, "initial weights and the Dropout generator's state after fit"),
    "fit_model_default": (5, "initial weights and the Dropout generator's state after fit"),
}


@pytest.fixture
def tf_numbers():
    """TensorFlow's numbers for one test; Python's and NumPy's global random states restored."""
    py_state, np_state = random.getstate(), np.random.get_state()
    with compat.keras.use_tensorflow_numbers():
        yield
    random.setstate(py_state)
    np.random.set_state(np_state)


def replay(name):
    scenario = SCENARIOS[name]
    for call, op in NEEDS.items():
        if call + "(" in scenario["code"] and not hasattr(compat, op):
            pytest.skip(f"compat.{op} (TensorFlow's op under {call}) is not in this compat yet")
    if name in NOT_COVERED:
        pytest.skip(NOT_COVERED[name])
    got = keras_record.run(scenario["code"], keras, jax.jit)
    expected = scenario["outputs"]
    if name in COMPARED_PREFIX:
        count, _ = COMPARED_PREFIX[name]
        assert len(got) == len(expected), name
        got, expected = got[:count], expected[:count]
    assert len(got) == len(expected), f"{name}: {len(got)} outputs, TensorFlow's backend {len(expected)}"
    for index, (want, have) in enumerate(zip(expected, got)):
        where = f"{name} output {index}"
        if "error" in want:
            assert "error" in have and (have["error"] is None) == (want["error"] is None), \
                f"{where}: Keras on TensorFlow {'raised' if want['error'] else 'did not raise'}; we got {have}"
            continue
        assert "error" not in have or have["error"] is None, f"{where}: raised {have}"
        assert have["shape"] == want["shape"], where
        # A SeedGenerator's state is int64 on the TensorFlow backend and uint32 on the JAX backend
        # (each backend's random_seed_dtype); its values, all non-negative, have the same bits.
        # Without jax's 64-bit mode, int64 data (np.arange) is int32 on the JAX backend.
        assert have["dtype"] == want["dtype"] or (want["dtype"], have["dtype"]) == ("int64", "uint32") or (
            (want["dtype"], have["dtype"]) == ("int64", "int32") and not jax.config.jax_enable_x64), where
        if have["bits"] != want["bits"]:
            first = next(i for i, (a, b) in enumerate(zip(want["bits"], have["bits"])) if a != b)
            pytest.fail(f"{where}: element {first} has bits {have['bits'][first]}, Keras on TensorFlow "
                        f"{want['bits'][first]} (values must match bit for bit)")


@pytest.mark.parametrize("name", DEFAULT)
def test_recorded_default(name, tf_numbers):
    replay(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in SCENARIOS if n not in DEFAULT | XLA and not n.startswith("x64_")])
def test_recorded(name, tf_numbers):
    replay(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(XLA))
def test_recorded_xla(name):
    """A Keras train step TensorFlow compiled with XLA: its dropout masks are XLA's numbers."""
    with compat.keras.use_tensorflow_numbers(xla=True):
        replay(name)
    with compat.keras.use_tensorflow_numbers():
        with pytest.raises(pytest.fail.Exception):  # the CPU kernels' masks are other numbers
            replay(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in SCENARIOS if n.startswith("x64_")])
def test_recorded_x64(name):
    """float64 and int64 scenarios, in a process with jax's 64-bit mode on."""
    code = ("import jax; jax.config.update('jax_enable_x64', True)\n"
            "import compat.keras, tests.test_keras as t\n"
            f"with compat.keras.use_tensorflow_numbers(): t.replay({name!r})\n")
    env = dict(os.environ, KERAS_BACKEND="jax", JAX_ENABLE_X64="1")
    proc = subprocess.run([sys.executable, "-W", "ignore::DeprecationWarning", "-c", code],
                          cwd=DATA.parent.parent, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.mark.slow
def test_other_backends_are_refused():
    code = ("import compat.keras, keras\n"
            "try:\n    compat.keras.use_tensorflow_numbers()\n"
            "except RuntimeError as e:\n    print(e)\n")
    env = dict(os.environ, KERAS_BACKEND="numpy")
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "Keras must run on the JAX backend; got the 'numpy' backend." in proc.stdout


def test_recording_names_versions():
    assert RECORDING["keras_version"] == compat.keras.RECORDED_KERAS
    assert RECORDING["tensorflow_version"] == compat.TF_VERSION


def test_context_manager_restores_keras_numbers():
    assert not compat.keras.active()
    keras_own = np.asarray(keras.random.uniform((3,), seed=1))
    with compat.keras.use_tensorflow_numbers() as handle:
        assert compat.keras.active()
        tf_numbers = np.asarray(keras.random.uniform((3,), seed=1))
        with compat.keras.use_tensorflow_numbers():  # nested: leaves the outer one in place
            pass
        assert compat.keras.active()
        np.testing.assert_array_equal(keras.random.uniform((3,), seed=1), tf_numbers)
    assert repr(handle) == "compat.keras.use_tensorflow_numbers()"
    assert not compat.keras.active()
    np.testing.assert_array_equal(keras.random.uniform((3,), seed=1), keras_own)
    # tf.random.stateless_uniform([3], seed=[1, 0]), what Keras's TensorFlow backend draws for seed=1
    np.testing.assert_array_equal(tf_numbers, compat.stateless_uniform([3], seed=[1, 0]))


def test_plain_call_is_idempotent():
    try:
        compat.keras.use_tensorflow_numbers()
        compat.keras.use_tensorflow_numbers()
        assert compat.keras.active()
        np.testing.assert_array_equal(keras.random.normal((2,), seed=3), compat.stateless_normal([2], seed=[3, 0]))
    finally:
        compat.keras.use_keras_numbers()
    assert not compat.keras.active()


def test_keyrng_keys_as_seeds(tf_numbers):
    key = keyrng.tf_stateless_key([5, 0])
    np.testing.assert_array_equal(keras.random.uniform((4,), seed=key), keras.random.uniform((4,), seed=5))
    np.testing.assert_array_equal(keras.random.normal((4,), seed=key), keras.random.normal((4,), seed=5))
    x = np.ones((3, 4), "float32")
    np.testing.assert_array_equal(keras.random.dropout(x, 0.5, seed=key), keras.random.dropout(x, 0.5, seed=5))
    np.testing.assert_array_equal(keras.random.randint((4,), 0, 9, seed=key), keras.random.randint((4,), 0, 9, seed=5))
    with pytest.raises(TypeError, match="`keras.random.gamma`: `seed` must be"):
        keras.random.gamma((2,), 1.0, seed=key)


def test_seed_generator_under_jit(tf_numbers):
    """A SeedGenerator's state as a value of a jax.jit trace, as in Keras's compiled train_step."""
    generator = keras.random.SeedGenerator(7)

    @jax.jit
    def draw(state):
        with keras.StatelessScope(state_mapping=[(generator.state, state)]) as scope:
            values = keras.random.uniform((3,), seed=generator)
        return values, scope.get_current_value(generator.state)

    values, state = draw(generator.state.value)
    np.testing.assert_array_equal(values, compat.stateless_uniform([3], seed=[7, 0]))
    np.testing.assert_array_equal(state, [7, 1])


def test_unsupported_version(monkeypatch):
    monkeypatch.setattr(keras, "__version__", "3.14.0")
    with pytest.raises(RuntimeError, match=r"must be in >=3.15.1,<3.16.*got keras 3.14.0"):
        compat.keras.use_tensorflow_numbers()
    assert not compat.keras.active()


def test_supported_range():
    supported = compat.keras._supported
    assert supported("3.15.1") and supported("3.15.9") and supported("3.15.2rc1")
    assert not supported("3.15.0") and not supported("3.16.0") and not supported("4.0")


def test_compat_imports_keras_only_inside_functions():
    tree = ast.parse((DATA.parent.parent / "compat" / "keras.py").read_text())
    top = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    names = [alias.name for node in top for alias in node.names] + [
        node.module or "" for node in top if isinstance(node, ast.ImportFrom)]
    assert not [n for n in names if n.split(".")[0] == "keras"], names


@pytest.mark.slow
def test_importing_compat_never_imports_keras():
    code = "import sys, compat, compat.keras; assert 'keras' not in sys.modules, 'keras imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
