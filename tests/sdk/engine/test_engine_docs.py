"""docs/engine.md documents every step and every audit action."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leadwire.audit import AUDIT_ACTIONS
from leadwire.engine import STEPS

DOC = Path(__file__).parents[3] / "docs" / "engine.md"


def table_names(heading: str) -> list[str]:
    """The backticked names in the first column of the table under *heading*."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    section = re.split(r"\n#{1,3} ", section, maxsplit=1)[0]
    return re.findall(r"^\| `([a-z_.]+)` \|", section, flags=re.MULTILINE)


def test_every_step_is_documented_in_order():
    """The steps table lists exactly STEPS, in order."""
    assert table_names("### Steps") == list(STEPS)


def test_every_audit_action_is_documented():
    """The audit table lists exactly the actions the engine writes."""
    assert table_names("## The audit log") == list(AUDIT_ACTIONS)


@pytest.mark.parametrize(
    "source", sorted((Path(__file__).parents[3] / "sdk/leadwire").rglob("*.py"))
)
def test_no_undeclared_audit_action_in_the_code(source):
    """Every action literal passed to an audit append is a declared one."""
    text = source.read_text(encoding="utf-8")
    for literal in re.findall(r'action="([a-z_]+\.[a-z_]+)"', text):
        assert literal in AUDIT_ACTIONS
    for literal in re.findall(r'write,\s*"([a-z_]+\.[a-z_]+)"', text):
        assert literal in AUDIT_ACTIONS


def shown_synopses() -> list[str]:
    """The `leadwire` command lines of the page's sh blocks."""
    blocks = re.findall(r"```sh\n(.*?)\n```", DOC.read_text("utf-8"), re.DOTALL)
    lines = "\n".join(blocks).splitlines()
    return [line for line in lines if line.startswith("leadwire ")]


@pytest.mark.parametrize("synopsis", shown_synopses())
def test_every_shown_command_and_option_exists(synopsis):
    """Each command line the page shows names a command and options it has."""
    import click

    from leadwire.cli import build_cli
    from leadwire.cli._common import Context
    from leadwire.plugins import PluginHost

    command = build_cli(Context(PluginHost()))
    words = synopsis.split()[1:]
    while isinstance(command, click.Group):
        command = command.commands[words.pop(0)]
    options = {name for param in command.params for name in param.opts}
    shown = re.findall(r"--[a-z-]+", synopsis)

    assert shown
    assert set(shown) <= options, synopsis
