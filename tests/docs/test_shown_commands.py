"""The commands the guides show work as shown.

A ```console block preceded by ``<!-- tested -->`` is a session: each ``$ ``
line is run with the installed ``leadwire`` in a fresh directory (blocks of a
page share it, in order), must exit 0 (or the code of an ``# exits N``
comment), and the output lines shown under it must appear in its output
(``...`` stands for lines left out). Only commands that touch nothing outside
that directory may be marked.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from docs_support import marked_blocks

from leadwire.plugins import ENV_PLUGINS

#: The commands a page may mark as tested: they write only below the cwd.
SAFE = {"init", "check", "plugins", "new-plugin"}
PAGES = ["quickstart.md", "agency.md", "integrators.md"]
LEADWIRE = Path(sys.executable).parent / "leadwire"
_FRAME = re.compile(r"[│┃┏┓┗┛━─┡┩╇┳┻└┘┼┬┴╭╮╰╯]+")
_EXITS = re.compile(r"#\s*exits\s+(\d+)\s*$")


def _normal(text: str) -> str:
    """Text without table frames and with single spaces, for comparison."""
    return " ".join(_FRAME.sub(" ", text).split())


def _sessions(page: str) -> list[tuple[str, list[str]]]:
    """(command, shown output lines) of the page's tested blocks, in order."""
    steps: list[tuple[str, list[str]]] = []
    for block in marked_blocks(page, "tested"):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps and line.strip() and line.strip() != "...":
                steps[-1][1].append(line)
    return steps


def _environment() -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LEADWIRE_") and key != ENV_PLUGINS
    }
    environment["PATH"] = f"{LEADWIRE.parent}{os.pathsep}{environment['PATH']}"
    return environment


@pytest.mark.parametrize("page", PAGES)
def test_page_has_tested_commands(page):
    """Each guide that starts with commands shows at least one tested session."""
    assert _sessions(page), f"docs/{page} has no <!-- tested --> console block"


@pytest.mark.parametrize("page", PAGES)
def test_tested_commands_are_safe(page):
    """Only commands that write below the working directory are marked tested."""
    for command, _ in _sessions(page):
        words = shlex.split(command, comments=True)
        assert words[0] == "leadwire", command
        assert words[1] in SAFE, f"{command!r} is not safe to run in tests"


@pytest.mark.parametrize("page", PAGES)
def test_shown_commands_work_as_shown(page, tmp_path):
    """Each tested command exits as the page says and prints the lines it shows."""
    for command, shown in _sessions(page):
        expected = _EXITS.search(command)
        result = subprocess.run(
            [str(LEADWIRE), *shlex.split(command, comments=True)[1:]],
            cwd=tmp_path,
            env=_environment(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        output = _normal(result.stdout + result.stderr)

        code = int(expected[1]) if expected else 0
        assert result.returncode == code, f"{command}: {result.stderr[-2000:]}"
        for line in shown:
            assert _normal(line) in output, f"{command}: {line!r} not in output"


def test_frames_are_ignored_when_comparing():
    """A table row shown with other column widths still matches."""
    shown = "│ telegram  │ 0.1.0   │"
    printed = "│ telegram │ 0.1.0 │ leadwire_register_channels │"

    assert _normal(shown) in _normal(printed)


def test_exit_comment_gives_the_expected_code():
    """`# exits N` after a command sets the exit code the session expects."""
    assert _EXITS.search("leadwire check --config x.tml   # exits 1")[1] == "1"
    assert _EXITS.search("leadwire check --config x.toml") is None
