"""`leadwire new-plugin` writes a package whose contract tests pass as generated."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from leadwire.cli import build_cli
from leadwire.cli._common import Context
from leadwire.cli.scaffold import leadwire_source
from leadwire.plugins import PluginHost


def new_plugin(*args: str):
    return CliRunner().invoke(build_cli(Context(PluginHost())), ["new-plugin", *args])


@pytest.mark.parametrize("family", ["channel", "crm", "llm"])
def test_scaffold_passes_its_own_contract_tests(family, tmp_path):
    """The generated package declares its entry point and its contract tests pass."""
    target = tmp_path / "plugin"

    result = new_plugin(f"acme_{family}", "--family", family, "--dir", str(target))

    assert result.exit_code == 0, result.output
    project = tomllib.loads((target / "pyproject.toml").read_text("utf-8"))
    entry_points = project["project"]["entry-points"]["leadwire"]
    assert entry_points == {f"acme_{family}": f"leadwire_acme_{family}"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=target,
        env={**os.environ, "PYTHONPATH": str(target / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout


def test_scaffold_refuses_a_bad_name(tmp_path):
    """A name that cannot be a module name is refused with what to use instead."""
    result = new_plugin("Acme-CRM", "--dir", str(tmp_path / "x"))

    assert result.exit_code == 2
    assert "lower case letters" in result.output


def test_scaffold_never_overwrites(tmp_path):
    """A non-empty target directory is left alone."""
    (tmp_path / "keep.txt").write_text("mine", "utf-8")

    result = new_plugin("acme", "--dir", str(tmp_path))

    assert result.exit_code == 1
    assert (tmp_path / "keep.txt").read_text("utf-8") == "mine"


def test_scaffold_refuses_a_name_already_taken(tmp_path):
    """A name a loaded plugin or connector already uses is refused."""
    from core_samples import ECHO

    from leadwire import hookimpl

    class Echo:
        @hookimpl
        def leadwire_register_channels(self, register):
            register(ECHO)

    host = PluginHost()
    host.add("sample", Echo())
    cli = build_cli(Context(host))

    result = CliRunner().invoke(cli, ["new-plugin", "echo", "--dir", str(tmp_path)])

    assert result.exit_code == 2
    assert "already a loaded plugin or connector" in result.output


def test_readme_installs_leadwire_before_the_plugin(tmp_path):
    """The generated README's command installs leadwire first, then the plugin."""
    result = new_plugin("acme", "--dir", str(tmp_path / "p"))

    readme = (tmp_path / "p" / "README.md").read_text("utf-8")
    assert result.exit_code == 0
    # The suite runs from an editable install, so the checkout is found.
    assert (Path(leadwire_source()) / "pyproject.toml").is_file()
    install = (
        f"pip install -e {leadwire_source()} && .venv/bin/pip install -e '.[test]'"
    )
    assert install in readme


@pytest.mark.parametrize("family", ["channel", "crm", "llm"])
def test_readme_configuration_is_valid(family, tmp_path, monkeypatch):
    """The table the generated README shows is valid for the plugin's settings."""
    import importlib
    import re

    from leadwire.config import converter

    target = tmp_path / "plugin"
    new_plugin(f"acme_{family}", "--family", family, "--dir", str(target))
    readme = (target / "README.md").read_text("utf-8")
    shown = tomllib.loads(re.search(r"```toml\n(.*?)```", readme, re.DOTALL)[1])
    monkeypatch.syspath_prepend(str(target / "src"))
    host = PluginHost()
    host.add(f"acme_{family}", importlib.import_module(f"leadwire_acme_{family}"))
    registry = host.registry
    kinds = {"channel": registry.channels, "crm": registry.crms, "llm": registry.llms}

    table = dict(
        shown["channels"][f"acme_{family}"] if family == "channel" else shown[family]
    )
    kind = kinds[family][table.pop("plugin")]

    settings = converter.structure(table, kind.settings)

    assert attrs.has(type(settings))
