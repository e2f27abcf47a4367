import pytest


@pytest.fixture(autouse=True)
def _fresh_compat_state():
    """Every test and doctest starts from a fresh process's compat state."""
    import compat

    compat.reset()
    yield
    compat.reset()


# The default run's time budget (README: at most 4 minutes on a 2-core machine). These tests are
# the heaviest of the default group (each compiles many kernels) and run in the slow group instead
# (`pytest -m slow`, which CI runs too); nothing else about them changes.
HEAVY = {
    "tests/test_first_call.py::test_new_shapes_compile_nothing_after_warm_up",
    "tests/test_replay.py::test_scenario[function_mixed_seeds_and_args]",
    "tests/test_replay.py::test_scenario[truncated_normal_float32]",
    "tests/test_replay.py::test_scenario[float64_scaled_and_truncated]",
    "tests/test_junk.py::test_junk_gives_a_clear_error_and_changes_nothing[compat.Generator.truncated_normal]",
    "tests/test_extra_ops.py::test_recorded_scenario[stateless_normal_family]",
    "tests/test_function.py::test_each_node_draws_from_its_tf_key",
    "tests/test_function.py::test_shuffle_offsets_past_two_to_the_32_blocks",
    "tests/test_stateless.py::test_stateless_key_jit_and_vmap_agree_with_eager",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid in HEAVY:
            item.add_marker(pytest.mark.slow)
