import pytest


@pytest.fixture(autouse=True)
def _fresh_compat_state():
    """Every test and doctest starts from a fresh process's compat state."""
    import compat

    compat.reset()
    yield
    compat.reset()
