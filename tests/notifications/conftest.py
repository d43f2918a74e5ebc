import pytest

from . import kinds


@pytest.fixture
def leave_kind():
    """Registers the test kind for one test."""
    kinds.install()
    yield kinds.KIND
    kinds.uninstall()
