"""Random junk at every public function: always a TypeError or ValueError in the project's template
that names one of the function's arguments, never an error from deep inside jax, and never a
change of compat's state (or of a generator's) on a rejected call.

The functions are the public names of `keyrng.__all__`, `compat.__all__` and `compat.Generator`
as they are when the tests run; a name without a recipe below is reported as skipped, never
guessed at.
"""

from __future__ import annotations

import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import compat
import keyrng

THREEFRY = keyrng.seed(1)
PHILOX = keyrng.tf_key(5, 1)
# Not constants the tests rely on, only values to throw: kept tiny so no junk allocates much.
JUNK = [
    None, True, False, 0, 1, -1, 3, -2**31 - 1, 2**32, 2**63, -2**63 - 1, 2**64, 2**200, -2**200,
    1.5, -0.0, float("nan"), float("inf"), 1e300, 1j, "", "abc", "float32", "philox", b"x",
    [], [-1], [1, -1], [2, 2.5], [[1, 2]], [None], (2**64,), [0, 2**63 - 1], [2**40, 2**40],
    {}, {"format": "keyrng.compat.state/1"}, {1, 2}, object(), type, print, slice(1),
    np.float32(1.5), np.int64(-3), np.uint64(2**64 - 1), np.bool_(True), np.int8(5),
    np.array([]), np.array([1.5, 2.5]), np.array([[1, 2], [3, 4]]), np.array(3), np.array("a"),
    np.array([1, 2, 3], np.uint8), np.array([-1, 2]), np.array(2**40), np.zeros((2, 3, 1), np.float32),
    np.array([1 + 2j]), np.array([True, False]), np.array(np.nan), jnp.float16, jnp.int8,
    jnp.uint32, "complex64", np.dtype("complex64"), "float128", "int64", "float64", "uint64",
    jnp.zeros((2,), jnp.int32), jnp.array(7, jnp.int64 if jax.config.jax_enable_x64 else jnp.int32),
    THREEFRY, PHILOX, keyrng.split(THREEFRY, 2), keyrng.split(PHILOX, 3), jax.random.key_data(PHILOX),
    jax.random.PRNGKey(0), jax.random.key(0, impl="rbg"), np.zeros(6, np.uint32),
    # Forms TensorFlow reads in its own way (some accepted, some refused; test_fidelity.py has
    # which): its dtype names, NumPy type codes, Python types, None in shapes, complex scalars.
    "f4", "half", "double", int, float, [None, 1], (None, 3), np.complex64(1 + 2j), np.float64(-0.0),
    np.array([2, 3], np.uint64), np.array([1.0, 2.0], np.float16),
]

_shape = st.sampled_from([(), [3], (2, 2), [0]])
_float_dtype = st.sampled_from(["float32", jnp.float16])
_real = st.sampled_from([0, 1, -2.5, 3.0, np.float32(0.5)])
_op_seed = st.sampled_from([None, 1, 7, np.int64(3)])
_pair = st.sampled_from([[1, 2], (3, 4), np.array([5, 6])])
_alg = st.sampled_from(["philox", "auto_select", 1])
_key = st.sampled_from([THREEFRY, PHILOX])
_name = st.sampled_from([None, "op"])

# name -> (the function, its name in error messages, {argument: strategy of valid values})
RECIPES = {
    "keyrng.seed": (keyrng.seed, {"value": st.sampled_from([0, 1234, "abc", b"x", 2**70]),
                                  "impl": st.sampled_from(["threefry2x32", "philox"])}),
    "keyrng.split": (keyrng.split, {"key": _key, "num": st.sampled_from([0, 2, 3])}),
    "keyrng.fold_in": (keyrng.fold_in, {"key": _key, "data": st.sampled_from([0, 5, -1, "x"])}),
    "keyrng.derive": (lambda key, data: keyrng.derive(key, "a", data),
                      {"key": _key, "data": st.sampled_from([0, 5, "x"])}),
    "keyrng.advance": (keyrng.advance, {"key": st.just(PHILOX), "blocks": st.sampled_from([0, 5, 2**70])}),
    "keyrng.position": (keyrng.position, {"key": st.just(PHILOX)}),
    "keyrng.philox_key": (keyrng.philox_key, {"key": st.sampled_from([0, 5, 2**64 - 1]),
                                              "counter": st.sampled_from([0, 2**100])}),
    "keyrng.tf_key": (keyrng.tf_key, {"seed": st.sampled_from([1, -5, 2**63]), "seed2": st.sampled_from([0, 7]),
                                      "offset": st.sampled_from([0, 256])}),
    "keyrng.tf_seed_pair": (keyrng.tf_seed_pair, {"global_seed": st.sampled_from([None, 1, 2**40]),
                                                  "op_seed": st.sampled_from([None, 2, 0])}),
    "keyrng.impl_name": (keyrng.impl_name, {"key": _key}),
    "keyrng.uniform": (keyrng.uniform, {"key": _key, "shape": _shape, "dtype": _float_dtype,
                                        "minval": _real, "maxval": _real}),
    "keyrng.normal": (keyrng.normal, {"key": _key, "shape": _shape, "dtype": _float_dtype,
                                      "mean": _real, "stddev": _real}),
    "keyrng.truncated_normal": (keyrng.truncated_normal, {"key": _key, "shape": _shape, "dtype": _float_dtype,
                                                          "mean": _real, "stddev": _real}),
    "keyrng.uniform_full_int": (keyrng.uniform_full_int, {"key": st.just(PHILOX), "shape": _shape,
                                                          "dtype": st.sampled_from(["uint32", "int32"])}),
    "keyrng.tf_stateless_key": (keyrng.tf_stateless_key, {"seed": _pair}),
    "keyrng.tf_stateless_split": (keyrng.tf_stateless_split, {"seed": _pair, "num": st.sampled_from([1, 2])}),
    "keyrng.tf_stateless_fold_in": (keyrng.tf_stateless_fold_in, {"seed": _pair, "data": st.sampled_from([0, 9])}),
    "keyrng.dropout": (keyrng.dropout, {"key": _key, "x": st.just(np.ones((2, 3), np.float32)),
                                        "rate": st.sampled_from([0.0, 0.5]),
                                        "noise_shape": st.sampled_from([None, [2, 1]])}),
    "keyrng.shuffle": (keyrng.shuffle, {"key": _key, "value": st.sampled_from([np.arange(5), np.zeros((3, 2))])}),
    "keyrng.categorical": (keyrng.categorical, {"key": _key, "logits": st.just(np.zeros((2, 3), np.float32)),
                                                "num_samples": st.sampled_from([1, 4]),
                                                "dtype": st.sampled_from([None, "int32"])}),
    "compat.set_seed": (compat.set_seed, {"seed": _op_seed}),
    "compat.get_seed": (compat.get_seed, {"op_seed": _op_seed}),
    "compat.uniform": (compat.uniform, {"shape": _shape, "minval": _real, "maxval": _real,
                                        "dtype": _float_dtype, "seed": _op_seed, "name": _name}),
    "compat.normal": (compat.normal, {"shape": _shape, "mean": _real, "stddev": _real,
                                      "dtype": _float_dtype, "seed": _op_seed, "name": _name}),
    "compat.truncated_normal": (compat.truncated_normal, {"shape": _shape, "mean": _real, "stddev": _real,
                                                          "dtype": _float_dtype, "seed": _op_seed, "name": _name}),
    "compat.stateless_uniform": (compat.stateless_uniform, {"shape": _shape, "seed": _pair, "minval": _real,
                                                            "maxval": _real, "dtype": _float_dtype, "alg": _alg}),
    "compat.stateless_normal": (compat.stateless_normal, {"shape": _shape, "seed": _pair, "mean": _real,
                                                          "stddev": _real, "dtype": _float_dtype, "alg": _alg}),
    "compat.stateless_truncated_normal": (
        compat.stateless_truncated_normal if hasattr(compat, "stateless_truncated_normal") else None,
        {"shape": _shape, "seed": _pair, "mean": _real, "stddev": _real, "dtype": _float_dtype, "alg": _alg}),
    "compat.split": (compat.split, {"seed": _pair, "num": st.sampled_from([1, 2]), "alg": _alg}),
    "compat.fold_in": (compat.fold_in, {"seed": _pair, "data": st.sampled_from([0, 3]), "alg": _alg}),
    "compat.dropout": (compat.dropout, {"x": st.just(np.ones((2, 3), np.float32)), "rate": st.sampled_from([0.0, 0.5]),
                                        "noise_shape": st.sampled_from([None, [2, 1]]), "seed": _op_seed}),
    "compat.shuffle": (compat.shuffle, {"value": st.sampled_from([np.arange(5), np.zeros((3, 2))]), "seed": _op_seed}),
    "compat.gamma": (compat.gamma, {"shape": _shape, "alpha": st.sampled_from([0.5, [1.0, 2.5], np.float32(3.0)]),
                                    "beta": st.sampled_from([None, 2.0, [1.0, 0.5]]), "dtype": _float_dtype,
                                    "seed": _op_seed, "name": _name}),
    "compat.poisson": (compat.poisson, {"shape": _shape, "lam": st.sampled_from([0.5, [3.0, 20.0], np.float32(12.0)]),
                                        "dtype": st.sampled_from(["float32", "int32"]), "seed": _op_seed,
                                        "name": _name}),
    "compat.stateless_gamma": (compat.stateless_gamma, {"shape": st.sampled_from([(), [3], [2, 2]]), "seed": _pair,
                                                        "alpha": st.sampled_from([0.5, 2.0]),
                                                        "beta": st.sampled_from([None, 2.0]), "dtype": _float_dtype,
                                                        "name": _name}),
    "compat.stateless_poisson": (compat.stateless_poisson, {"shape": st.sampled_from([(), [3], [2, 2]]), "seed": _pair,
                                                            "lam": st.sampled_from([0.5, 30.0]),
                                                            "dtype": st.sampled_from(["int32", "float32"]),
                                                            "name": _name}),
    "compat.stateless_binomial": (compat.stateless_binomial, {"shape": st.sampled_from([(), [3], [2, 2]]),
                                                              "seed": _pair, "counts": st.sampled_from([5.0, [10.0]]),
                                                              "probs": st.sampled_from([0.3, [0.5]]),
                                                              "output_dtype": st.sampled_from(["int32", "float32"]),
                                                              "name": _name}),
    # parameterized truncated normal
    "compat.stateless_parameterized_truncated_normal": (
        compat.stateless_parameterized_truncated_normal,
        # empty outputs: every check runs, no kernel compiles (tests/test_ptn.py draws values)
        {"shape": st.sampled_from([[0], [0, 1]]), "seed": _pair, "means": st.sampled_from([0.0, np.float32(0.5)]),
         "stddevs": st.sampled_from([1.0, np.float32(2.0)]), "minvals": st.sampled_from([-2.0, -1.0]),
         "maxvals": st.sampled_from([2.0, float("inf")]), "name": _name}),
    "compat.stateless_categorical": (compat.stateless_categorical, {"logits": st.just(np.zeros((2, 3), np.float32)),
                                                                    "num_samples": st.sampled_from([0, 4]),
                                                                    "seed": _pair,
                                                                    "dtype": st.sampled_from(["int32", "int64"]),
                                                                    "name": _name}),
    **{f"compat.{name}": (getattr(compat, name), {
        "true_classes": st.just(np.array([[1], [3]], np.int64)), "num_true": st.just(1),
        "num_sampled": st.sampled_from([1, 4]), "unique": st.sampled_from([True, False]),
        "range_max": st.sampled_from([5, 10]), "seed": _op_seed, "name": _name})
       for name in ("uniform_candidate_sampler", "log_uniform_candidate_sampler",
                    "learned_unigram_candidate_sampler")},
    "compat.fixed_unigram_candidate_sampler": (compat.fixed_unigram_candidate_sampler, {
        "true_classes": st.just(np.array([[1], [3]], np.int64)), "num_true": st.just(1),
        "num_sampled": st.sampled_from([1, 3]), "unique": st.sampled_from([True, False]),
        "range_max": st.just(5), "unigrams": st.just([1.0, 2.0, 3.0, 4.0, 5.0]),
        "distortion": st.sampled_from([1.0, 0.5]), "seed": _op_seed, "name": _name}),
    "compat.all_candidate_sampler": (compat.all_candidate_sampler, {
        "true_classes": st.just(np.array([[1], [3]], np.int64)), "num_true": st.just(1),
        "num_sampled": st.sampled_from([1, 4]), "unique": st.sampled_from([True, False]),
        "seed": _op_seed, "name": _name}),
    "compat.categorical": (compat.categorical, {"logits": st.just(np.zeros((2, 3), np.float32)),
                                                "num_samples": st.sampled_from([1, 4]),
                                                "dtype": st.sampled_from([None, "int32"]), "seed": _op_seed}),
    "compat.set_state": (compat.set_state, {"state": st.builds(lambda: compat.get_state())}),
    "compat.set_global_generator": (compat.set_global_generator,
                                    {"generator": st.builds(lambda: compat.Generator.from_seed(3))}),
    "compat.function": (getattr(compat, "function", None), {"fn": st.just(lambda: compat.uniform([1]))}),
    "compat.create_rng_state": (compat.create_rng_state,
                                {"seed": st.sampled_from([1, 2**70, [1, 2], np.uint64(5)]),
                                 "alg": st.sampled_from(["philox", "threefry", 3])}),
    "compat.Generator": (compat.Generator, {"state": st.sampled_from([[1, 0, 0], np.array([0, 0, 5])]),
                                            "alg": _alg}),
    "compat.Generator.from_seed": (compat.Generator.from_seed, {"seed": st.sampled_from([1, 2**70, [1, 2]]),
                                                                "alg": _alg}),
    "compat.Generator.from_state": (compat.Generator.from_state, {"state": st.just([1, 0, 0]), "alg": _alg}),
    "compat.Generator.from_key_counter": (compat.Generator.from_key_counter,
                                          {"key": st.sampled_from([0, 5]), "counter": st.just([1, 0]), "alg": _alg}),
}
# The methods of a generator, called on a fresh one; the generator's state is checked too.
METHODS = {
    "uniform": {"shape": _shape, "minval": _real, "maxval": _real, "dtype": _float_dtype, "name": _name},
    "normal": {"shape": _shape, "mean": _real, "stddev": _real, "dtype": _float_dtype, "name": _name},
    "truncated_normal": {"shape": _shape, "mean": _real, "stddev": _real, "dtype": _float_dtype, "name": _name},
    "uniform_full_int": {"shape": _shape, "dtype": st.sampled_from(["uint32", "int32"]), "name": _name},
    "skip": {"delta": st.sampled_from([0, 5])},
    "binomial": {"shape": st.sampled_from([[3], (2, 2)]), "counts": st.just(np.float32(5.0)),
                 "probs": st.just(np.float32(0.3)), "dtype": st.sampled_from(["int32", "float32"]), "name": _name},
    "make_seeds": {"count": st.sampled_from([1, 3])},
    "split": {"count": st.sampled_from([1, 2])},
    "reset": {"state": st.just([1, 0, 0])},
    "reset_from_seed": {"seed": st.sampled_from([1, 2**70])},
    "reset_from_key_counter": {"key": st.just(5), "counter": st.just([1, 0])},
}
# Names that take no arguments, or are not functions: nothing to throw junk at.
NOTHING_TO_THROW = {"PHILOX", "bfloat16", "float16", "float32", "float64", "int32", "int64", "uint32",
                    "uint64", "reset", "get_state", "get_global_generator", "enable_op_determinism",
                    "nn", "errors", "philox", "tf", "typing", "TF_VERSION", "TensorSpec",
                    "data", "experimental", "Algorithm", "image"}  # namespaces, an enum, a constant (compat.data's junk: tests/test_data.py)


def _public_names():
    for module in (keyrng, compat):
        for name in module.__all__:
            yield f"{module.__name__}.{name}"
    for name in dir(compat.Generator):
        if not name.startswith("_") and callable(getattr(compat.Generator, name)):
            yield f"compat.Generator.{name}"


def _snapshot(generator=None):
    return compat.get_state(), None if generator is None else generator.state.tolist()


def _arguments(recipe: dict):
    """Each argument valid or junk; returns (kwargs, names of the junk arguments)."""
    names = sorted(recipe)
    return st.tuples(*(st.one_of(recipe[n].map(lambda v: (v, False)),
                                 st.sampled_from(JUNK).map(lambda v: (v, True))) for n in names)).map(
        lambda values: ({n: v for n, (v, _) in zip(names, values)},
                        {n for n, (_, junk) in zip(names, values) if junk}))


_TEMPLATE = re.compile(r"^`(?P<function>[\w.()]+)`: `(?P<argument>\w+)` must ")


def _check_rejection(name, error, arguments, before, after):
    text = str(error)
    match = _TEMPLATE.match(text)
    assert match, f"{name}: {type(error).__name__} not in the project's template: {text[:300]}"
    assert match["argument"] in arguments, f"{name}: names `{match['argument']}`, not an argument: {text[:300]}"
    assert after == before, f"{name}: a rejected call changed the state ({text[:200]})"


def _sweep(name, call, recipe, make_generator=None):
    @settings(max_examples=25, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(drawn=_arguments(recipe))
    def run(drawn):
        kwargs, junk = drawn
        compat.reset()
        generator = make_generator() if make_generator else None
        before = _snapshot(generator)
        target = getattr(generator, call) if generator is not None else call
        try:
            target(**kwargs)
        except (TypeError, ValueError) as error:
            _check_rejection(name, error, set(recipe), before, _snapshot(generator))
        except Exception as error:  # noqa: BLE001 - anything else is the failure we look for
            raise AssertionError(f"{name}{kwargs!r} raised {type(error).__module__}."
                                 f"{type(error).__name__}: {str(error)[:300]}") from error

    run()


@pytest.mark.parametrize("name", sorted(set(_public_names())))
def test_junk_gives_a_clear_error_and_changes_nothing(name):
    short = name.split(".", 1)[1]
    if short in NOTHING_TO_THROW or name.rsplit(".", 1)[1] in NOTHING_TO_THROW - {"reset"}:
        pytest.skip(f"{name} takes no arguments")
    if name.startswith("compat.Generator.") and name.rsplit(".", 1)[1] in METHODS:
        method = name.rsplit(".", 1)[1]
        _sweep(name, method, METHODS[method], make_generator=lambda: compat.Generator.from_seed(7))
        return
    if name == "compat.Generator.from_non_deterministic_state":
        _sweep(name, compat.Generator.from_non_deterministic_state, {"alg": _alg})
        return
    function, recipe = RECIPES.get(name, (None, None))
    if function is None:
        pytest.skip(f"no recipe for {name}: add one to RECIPES")
    _sweep(name, function, recipe)


def test_every_public_name_has_a_recipe_or_a_reason():
    """New public names show up here first (a skip is not enough to notice them)."""
    missing = [name for name in _public_names()
               if name not in RECIPES and name.split(".", 1)[1] not in NOTHING_TO_THROW
               and name.rsplit(".", 1)[1] not in METHODS and not name.endswith("from_non_deterministic_state")]
    assert not missing, f"add recipes for {missing}"
