"""The tests here run on SQLite and, when a server is given, on PostgreSQL."""

import pytest

from tests.conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param
