"""The set-up commands as a user runs them: plugins, init, check."""

from __future__ import annotations

import json

from click.testing import CliRunner
from core_samples import ECHO

from leadwire import hookimpl
from leadwire.cli import build_cli
from leadwire.cli._common import Context
from leadwire.plugins import PluginHost


class _Echo:
    @hookimpl
    def leadwire_register_channels(self, register):
        register(ECHO)


def run(host: PluginHost, *args: str):
    return CliRunner().invoke(build_cli(Context(host)), list(args))


def test_plugins_lists_names_hooks_and_kinds():
    """`plugins --json` lists each plugin with its hooks and what it provides."""
    host = PluginHost()
    host.add("sample", _Echo(), "1.2.3")

    result = run(host, "plugins", "--json")

    assert result.exit_code == 0
    listed = json.loads(result.output)
    assert listed["plugins"] == [
        {
            "name": "sample",
            "version": "1.2.3",
            "hooks": ["leadwire_register_channels"],
            "provides": ["channel:echo"],
        }
    ]


def test_plugins_reports_failures_and_exits_1():
    """A plugin that could not load is listed on stderr and the exit code is 1."""
    host = PluginHost()
    host._fail("broken", "failed to import broken: ImportError: nope")

    result = run(host, "plugins")

    assert result.exit_code == 1
    assert "plugin 'broken'" in result.output


def test_init_writes_config_and_secrets_once(tmp_path):
    """`init` writes a starter file and a private .env; it never overwrites silently."""
    target = tmp_path / "salon"

    first = run(PluginHost(), "init", str(target))
    second = run(PluginHost(), "init", str(target))

    assert first.exit_code == 0
    assert (target / "leadwire.toml").read_text("utf-8").startswith("# leadwire")
    env = (target / ".env").read_text("utf-8")
    assert "LEADWIRE_WEBSITE_SECRET=" in env
    assert "LEADWIRE_VAULT_KEY=" in env
    assert (target / ".env").stat().st_mode & 0o077 == 0
    assert second.exit_code == 1
    assert "--force" in second.output


def test_check_prints_every_problem_and_exits_1(tmp_path):
    """`check` on a broken file lists each problem with its key path, exit 1."""
    path = tmp_path / "leadwire.toml"
    path.write_text('[business]\nname = 5\n[channels.echo]\ntoken = "plain"\n', "utf-8")
    host = PluginHost()
    host.add("sample", _Echo())

    result = run(host, "check", "--config", str(path))

    assert result.exit_code == 1
    for expected in ("business.name", "consent", "crm", "llm", "channels.echo.token"):
        assert expected in result.output


def test_check_missing_file_exits_1(tmp_path):
    """`check` on a file that does not exist says how to make one."""
    result = run(PluginHost(), "check", "--config", str(tmp_path / "none.toml"))

    assert result.exit_code == 1
    assert "leadwire init" in result.output
