"""Every hook is typed, documented in one shape, and has a test of its own."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from leadwire.hookspecs import FAMILIES

TESTS = Path(__file__).parents[1]

HOOKS = [
    function
    for family in FAMILIES
    for name, function in vars(family).items()
    if name.startswith("leadwire_") and callable(function)
]


def test_hooks_are_found():
    """The families hold the hooks the engine calls (the list below cannot be empty)."""
    assert {hook.__name__ for hook in HOOKS} >= {
        "leadwire_register_channels",
        "leadwire_register_crms",
        "leadwire_register_llms",
        "leadwire_register_consent_stores",
        "leadwire_register_recognizers",
        "leadwire_register_commands",
        "leadwire_audit_event",
    }


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook.__name__)
def test_hook_is_fully_typed(hook):
    """Every parameter and the return value of a hook carry a type annotation."""
    signature = inspect.signature(hook)

    assert signature.return_annotation is not inspect.Signature.empty
    for parameter in signature.parameters.values():
        assert parameter.annotation is not inspect.Parameter.empty, parameter.name


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook.__name__)
def test_hook_docstring_has_the_house_shape(hook):
    """Summary, one :param per argument, the return contract, and an example."""
    doc = inspect.getdoc(hook) or ""
    summary = doc.splitlines()[0] if doc else ""

    assert summary.endswith("."), "the first line is a one-sentence summary"
    for name in inspect.signature(hook).parameters:
        assert f":param {name}:" in doc
    assert re.search(r"The return value|Stops at the first", doc)
    assert "Example::" in doc


@pytest.mark.parametrize("hook", HOOKS, ids=lambda hook: hook.__name__)
def test_hook_has_a_test_of_its_own(hook):
    """Some test module defines test_<hook name>, so no hook goes untested."""
    pattern = re.compile(rf"^(async )?def test_{hook.__name__}\b", re.MULTILINE)
    sources = (path.read_text("utf-8") for path in TESTS.rglob("test_*.py"))

    assert any(pattern.search(source) for source in sources)
