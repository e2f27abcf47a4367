"""compat.function with random ops in jax.custom_vjp / custom_jvp functions and under
jax.checkpoint, against TensorFlow 2.21 CPU recordings of `tf.custom_gradient` and
`tf.recompute_grad` inside a tf.function under a GradientTape
(tests/data/tf_function_v3_scenarios.py, recorded with `record.py --style tf --list S`).
"""

from __future__ import annotations

import json
import pathlib

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax

import compat

_V3 = {s["name"]: s["outputs"] for s in json.loads(
    (pathlib.Path(__file__).parent / "data" / "tf_function_v3_expected.json").read_text())["scenarios"]}


def _bits(outputs):
    return [np.asarray(x).view(np.uint32).reshape(-1).tolist() for x in outputs]


def _assert_tf(name, produced):
    assert [b for out in produced for b in _bits(out)] == [o["bits"] for o in _V3[name]]


def _v():
    return 2.0 ** jnp.arange(-2, 4, dtype=jnp.float32).reshape(3, 2)


def _tape_step(custom, seed_a, seed_c, seed_d):
    """The recorded TensorFlow step around a custom-gradient function `custom`: a draw before the
    tape, `custom(v) + normal` under it (value_and_grad with the activations as aux), a draw after."""
    @compat.function
    def step(v):
        before = compat.uniform([2], seed=seed_a)

        def loss(v):
            h = custom(v) + compat.normal([3, 2], seed=seed_c)
            return jnp.sum(h), h

        (_, h), grad = jax.value_and_grad(loss, has_aux=True)(v)
        after = compat.uniform([2], seed=seed_d)
        return h, grad, before, after

    return step


# --- a random op in the forward function of a custom gradient ---------------------------------

def _forward_port(seeds, kind):
    """TensorFlow's `scaled` (tf.custom_gradient: noise drawn in the forward function, used by
    its grad_fn) as a jax.custom_vjp or custom_jvp, in a value_and_grad step."""
    seed_a, seed_b, seed_c, seed_d = seeds
    if kind == "vjp":
        @jax.custom_vjp
        def scaled(x):
            return x * compat.uniform([3, 2], seed=seed_b)

        def forward(x):
            noise = compat.uniform([3, 2], seed=seed_b)
            return x * noise, noise

        scaled.defvjp(forward, lambda noise, dy: (dy * noise * 2.0,))
    else:
        @jax.custom_jvp
        def scaled(x):
            return x * compat.uniform([3, 2], seed=seed_b)

        @scaled.defjvp
        def _(primals, tangents):
            noise = compat.uniform([3, 2], seed=seed_b)
            return primals[0] * noise, tangents[0] * noise * 2.0

    return _tape_step(scaled, seed_a, seed_c, seed_d)


_FORWARD = [("custom_gradient_forward_global_seed", 1234, (None,) * 4),
            ("custom_gradient_forward_op_seeds", 99, (3, 5, 7, 9)),
            ("custom_gradient_forward_op_seeds_only", None, (3, 5, 7, 9))]


@pytest.mark.parametrize("kind", ["vjp", pytest.param("jvp", marks=pytest.mark.slow)])
@pytest.mark.parametrize("name,global_seed,seeds", _FORWARD[:1])
def test_custom_gradient_forward_op_draws_tensorflows_numbers(name, global_seed, seeds, kind):
    compat.set_seed(global_seed)
    step = _forward_port(seeds, kind)
    v = _v()
    _assert_tf(name, [step(v) for _ in range(3)])


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["vjp", "jvp"])
@pytest.mark.parametrize("name,global_seed,seeds", _FORWARD[1:])
def test_custom_gradient_forward_op_seeds(name, global_seed, seeds, kind):
    if global_seed is not None:
        compat.set_seed(global_seed)
    step = _forward_port(seeds, kind)
    v = _v()
    _assert_tf(name, [step(v) for _ in range(3)])


@pytest.mark.slow
def test_custom_vjp_called_twice_is_two_nodes_and_primal_only_draws():
    # Without differentiation the body (`fun`) runs; two calls are two ops, as two calls of a
    # tf.custom_gradient function are; the numbers are those of the same ops written inline.
    compat.set_seed(1234)

    @jax.custom_vjp
    def scaled(x):
        return x * compat.uniform([2])

    scaled.defvjp(lambda x: (scaled(x), None), lambda _, g: (g,))

    @compat.function
    def f(x):
        return scaled(x), scaled(x)

    @compat.function
    def g(x):
        return x * compat.uniform([2]), x * compat.uniform([2])

    one = jnp.ones([2], jnp.float32)
    first = [f(one) for _ in range(2)]
    compat.set_seed(1234)
    assert _bits([a for pair in first for a in pair]) == _bits([a for _ in range(2) for a in g(one)])


@pytest.mark.slow
def test_custom_vjp_in_a_loop_body_moves_every_iteration():
    compat.set_seed(1234)

    @jax.custom_vjp
    def noisy(x):
        return x + compat.uniform([], seed=1)

    noisy.defvjp(lambda x: (noisy(x), None), lambda _, g: (g,))

    @compat.function
    def f(n):
        return lax.fori_loop(0, n, lambda i, acc: acc.at[i].set(noisy(0.0)), jnp.zeros(4))

    @compat.function
    def g(n):
        return lax.fori_loop(0, n, lambda i, acc: acc.at[i].set(compat.uniform([], seed=1)),
                             jnp.zeros(4))

    got = [f(jnp.int32(3)), f(jnp.int32(2))]
    compat.set_seed(1234)
    assert _bits(got) == _bits([g(jnp.int32(3)), g(jnp.int32(2))])
    assert len(set(np.asarray(got[0])[:3].tolist())) == 3


# --- a random op in the grad_fn (the backward rule) -------------------------------------------

def _backward_port(seeds):
    seed_a, seed_b, seed_c, seed_d = seeds

    @jax.custom_vjp
    def noisy(x):
        return x * 2.0

    noisy.defvjp(lambda x: (x * 2.0, None),
                 lambda _, dy: (dy * compat.uniform([3, 2], seed=seed_b),))

    return _tape_step(noisy, seed_a, seed_c, seed_d)


@pytest.mark.slow
def test_custom_gradient_backward_op_draws_tensorflows_numbers():
    compat.set_seed(1234)
    step = _backward_port((None,) * 4)
    v = _v()
    _assert_tf("custom_gradient_backward_global_seed", [step(v) for _ in range(3)])


@pytest.mark.slow
def test_custom_gradient_backward_op_seeds():
    compat.set_seed(99)
    step = _backward_port((3, 5, 7, 9))
    v = _v()
    _assert_tf("custom_gradient_backward_op_seeds", [step(v) for _ in range(3)])


# --- jax.checkpoint against tf.recompute_grad --------------------------------------------------

def _recompute_port(seed):
    def block(x):
        return compat.dropout(x, 0.5, seed=seed) * 2.0

    @compat.function
    def step(v):
        def loss(v):
            h = jax.checkpoint(block)(v * 1.0)
            return jnp.sum(h), h

        (_, h), grad = jax.value_and_grad(loss, has_aux=True)(v)
        return h, grad

    return step


def test_checkpoint_reuses_the_numbers_as_recompute_grad_does_for_seeded_ops():
    # TensorFlow's recompute_grad runs the block again in the gradient: a new dropout node with
    # the same seeds, at the same counter (both run once per call), so the same mask. The
    # recomputation of jax.checkpoint reads the same position: the same numbers.
    compat.set_seed(99)
    step = _recompute_port(5)
    v = _v()
    _assert_tf("recompute_grad_op_seed", [step(v) for _ in range(3)])


@pytest.mark.slow
def test_recompute_grad_redraws_unseeded_ops_where_checkpoint_reuses():
    # With the global seed only, TensorFlow's recomputed dropout takes the next op seed of the
    # graph: its gradient uses another mask than its forward pass (recorded). jax.checkpoint
    # cannot draw other numbers in its recomputation: the forward pass is TensorFlow's, the
    # gradient is that of the forward pass (TensorFlow's without recompute_grad). docs/function.md.
    compat.set_seed(1234)
    step = _recompute_port(None)
    v = _v()
    produced = [step(v) for _ in range(3)]
    expected = [o["bits"] for o in _V3["recompute_grad_global_seed"]]
    h_tf = [np.array(bits, np.uint32).view(np.float32) for bits in expected[0::2]]
    grad_tf = [np.array(bits, np.uint32).view(np.float32) for bits in expected[1::2]]
    assert _bits([h for h, _ in produced]) == expected[0::2]  # the forward pass: TensorFlow's
    for (h, grad), tf_h, tf_grad in zip(produced, h_tf, grad_tf):
        mask = np.asarray(h).reshape(-1) != 0
        assert ((np.asarray(grad).reshape(-1) != 0) == mask).all()  # jax: the forward's mask
    assert any(((g != 0) != (h != 0)).any() for h, g in zip(h_tf, grad_tf))  # TF: another mask


def test_loops_and_branches_under_checkpoint_stay_refused():
    # Loop and branch counters are jax mutable references, which jax cannot differentiate
    # through a branch nor rematerialise; the refusal names the fix.
    compat.set_seed(99)

    @compat.function
    def f():
        return lax.fori_loop(0, 2, lambda i, x: x + jax.checkpoint(
            lambda y: y * compat.uniform([], seed=1))(x), 1.0)

    with pytest.raises(RuntimeError, match=r"^`compat.uniform`: random ops under jax.checkpoint"):
        f()
