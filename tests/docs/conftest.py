"""Fixtures of the documentation tests."""

from __future__ import annotations

from types import ModuleType

import pytest
from docs_support import load_docs_gen


@pytest.fixture(scope="session")
def reference() -> ModuleType:
    """The generators of the reference pages."""
    return load_docs_gen("leadwire_reference")


@pytest.fixture(scope="session")
def hooks() -> ModuleType:
    """The mkdocs hooks."""
    load_docs_gen("leadwire_reference")
    return load_docs_gen("hooks")
