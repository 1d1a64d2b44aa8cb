# The fixed "now" and the diary fixtures live in tests/conftest.py; kept here for imports.
from tests.conftest import NOW, TODAY

__all__ = ["NOW", "TODAY"]
