"""Plugin discovery, the typed facade, and the failures it reports."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import click
import pytest
from click.testing import CliRunner

from leadwire import AuditEvent, Entity, hookimpl
from leadwire.plugins import ENV_PLUGINS, PluginHost, load_plugins

REGISTERS_ECHO = """
    from leadwire import hookimpl
    from core_samples import ECHO

    @hookimpl
    def leadwire_register_channels(register):
        register(ECHO)
"""


def test_plugins_load_through_entry_points(write_plugin):
    """A module named in the entry-point group is registered with its hooks."""
    point = write_plugin("sample_echo", REGISTERS_ECHO)

    host = load_plugins([point])

    assert [plugin.name for plugin in host.plugins] == ["sample_echo"]
    assert host.plugins[0].hooks == ("leadwire_register_channels",)
    assert host.registry.channels["echo"].summary == "a channel for tests"
    assert host.owner_of("channels", "echo") == "sample_echo"
    assert host.failures == []


def test_environment_variable_limits_plugins(write_plugin, monkeypatch):
    """Only plugins named in LEADWIRE_PLUGINS load; the rest are left alone."""
    wanted = write_plugin("sample_wanted", REGISTERS_ECHO)
    unwanted = write_plugin("sample_unwanted", "raise RuntimeError('never imported')")
    monkeypatch.setenv(ENV_PLUGINS, "sample_wanted")

    host = load_plugins([wanted, unwanted])

    assert [plugin.name for plugin in host.plugins] == ["sample_wanted"]
    assert host.failures == []


def test_empty_environment_variable_loads_no_plugin(write_plugin, monkeypatch):
    """LEADWIRE_PLUGINS set to nothing loads no plugin at all."""
    point = write_plugin("sample_echo", REGISTERS_ECHO)
    monkeypatch.setenv(ENV_PLUGINS, "")

    assert load_plugins([point]).plugins == []


def test_plugin_named_but_not_installed_is_reported(monkeypatch):
    """Asking for a plugin that is not installed is a reported failure."""
    monkeypatch.setenv(ENV_PLUGINS, "nowhere")

    host = load_plugins([])

    assert [failure.plugin for failure in host.failures] == ["nowhere"]
    assert "not installed" in str(host.failures[0])


def test_broken_plugin_is_reported_and_others_load(write_plugin):
    """A plugin that fails to import is reported by name; the others still load."""
    broken = write_plugin("sample_broken", "import not_a_module_anywhere")
    good = write_plugin("sample_echo", REGISTERS_ECHO)

    host = load_plugins([broken, good])

    assert [plugin.name for plugin in host.plugins] == ["sample_echo"]
    assert [failure.plugin for failure in host.failures] == ["sample_broken"]
    assert "ModuleNotFoundError" in str(host.failures[0])
    assert "echo" in host.registry.channels


def test_unknown_hook_is_reported_and_plugin_left_out(write_plugin):
    """A plugin implementing a hook leadwire does not know is reported, not loaded."""
    typo = write_plugin(
        "sample_typo",
        """
        from leadwire import hookimpl

        @hookimpl
        def leadwire_register_channel(register):
            pass
        """,
    )

    host = load_plugins([typo])

    assert host.plugins == []
    assert "leadwire_register_channel" in str(host.failures[0])
    assert host.failures[0].plugin == "sample_typo"


def test_wrong_hook_signature_is_reported(write_plugin):
    """An implementation asking for an argument the hook does not give is reported."""
    wrong = write_plugin(
        "sample_wrong",
        """
        from leadwire import hookimpl

        @hookimpl
        def leadwire_register_crms(register, portal):
            pass
        """,
    )

    host = load_plugins([wrong])

    assert host.plugins == []
    assert "portal" in str(host.failures[0])


def test_failing_registration_spares_other_plugins(write_plugin):
    """A registration hook that raises is reported; other plugins' kinds remain."""
    failing = write_plugin(
        "sample_failing",
        """
        from leadwire import hookimpl

        @hookimpl
        def leadwire_register_channels(register):
            raise RuntimeError("settings module missing")
        """,
    )
    good = write_plugin("sample_echo", REGISTERS_ECHO)

    host = load_plugins([failing, good])

    assert list(host.registry.channels) == ["echo"]
    assert [failure.plugin for failure in host.failures] == ["sample_failing"]
    assert "settings module missing" in str(host.failures[0])


def test_second_registration_of_a_name_is_refused(write_plugin):
    """Two plugins register one name: the first wins, the second is reported."""
    first = write_plugin("sample_a", REGISTERS_ECHO)
    second = write_plugin("sample_b", REGISTERS_ECHO)

    host = load_plugins([first, second])

    assert host.owner_of("channels", "echo") == "sample_a"
    assert [failure.plugin for failure in host.failures] == ["sample_b"]


# --------------------------------------------------------------------------
# One test per hook: each registers through the facade and is seen.


class _Kinds:
    """A plugin object registering one kind of every family."""

    def __init__(self) -> None:
        from core_samples import ECHO, NoSettings

        from leadwire import ConnectorType

        self.channel = ECHO
        self.crm = ConnectorType("sample-crm", NoSettings, lambda s, c: object())
        self.llm = ConnectorType("sample-llm", NoSettings, lambda s, c: object())
        self.store = ConnectorType("sample-store", NoSettings, lambda s, c: object())

    @hookimpl
    def leadwire_register_channels(self, register):
        register(self.channel)

    @hookimpl
    def leadwire_register_crms(self, register):
        register(self.crm)

    @hookimpl
    def leadwire_register_llms(self, register):
        register(self.llm)

    @hookimpl
    def leadwire_register_consent_stores(self, register):
        register(self.store)


class _Iin:
    name = "sample-iin"
    entity_types = frozenset({"IIN"})

    def find(self, text: str) -> list[Entity]:
        start = text.find("IIN")
        return [] if start < 0 else [Entity("IIN", start, start + 3, "IIN")]


@pytest.fixture
def kinds_host() -> PluginHost:
    host = PluginHost()
    assert host.add("kinds", _Kinds())
    return host


def test_leadwire_register_channels(kinds_host):
    """leadwire_register_channels: registered channel kinds are in the registry."""
    assert list(kinds_host.registry.channels) == ["echo"]


def test_leadwire_register_crms(kinds_host):
    """leadwire_register_crms: registered CRM kinds are in the registry."""
    assert list(kinds_host.registry.crms) == ["sample-crm"]


def test_leadwire_register_llms(kinds_host):
    """leadwire_register_llms: registered LLM kinds are in the registry."""
    assert list(kinds_host.registry.llms) == ["sample-llm"]


def test_leadwire_register_consent_stores(kinds_host):
    """leadwire_register_consent_stores: registered store kinds are in the registry."""
    assert list(kinds_host.registry.consent_stores) == ["sample-store"]


def test_leadwire_register_recognizers():
    """leadwire_register_recognizers: registered recognizers are in the registry."""

    class Plugin:
        @hookimpl
        def leadwire_register_recognizers(self, register):
            register(_Iin())

    host = PluginHost()
    host.add("iin", Plugin())

    recognizer = host.registry.recognizers["sample-iin"]
    assert recognizer.find("my IIN") == [Entity("IIN", 3, 6, "IIN")]


def test_leadwire_register_commands():
    """leadwire_register_commands: a plugin's command runs from the command line."""
    from leadwire.cli import build_cli
    from leadwire.cli._common import Context

    class Plugin:
        @hookimpl
        def leadwire_register_commands(self, cli):
            @cli.command()
            def hello():
                """Say hello."""
                click.echo("hello from a plugin")

    host = PluginHost()
    host.add("greeter", Plugin())

    result = CliRunner().invoke(build_cli(Context(host)), ["hello"])

    assert result.exit_code == 0
    assert result.output == "hello from a plugin\n"


def test_leadwire_audit_event(caplog):
    """leadwire_audit_event: observers see each event; a failing one is only logged."""
    seen: list[AuditEvent] = []

    class Observer:
        @hookimpl
        def leadwire_audit_event(self, event):
            seen.append(event)

    class Failing:
        @hookimpl
        def leadwire_audit_event(self, event):
            raise RuntimeError("collector down")

    host = PluginHost()
    host.add("observer", Observer())
    host.add("failing", Failing())
    event = AuditEvent(
        seq=1,
        at=datetime(2026, 1, 1, tzinfo=UTC),
        actor="system",
        action="consent.granted",
        client_id="CLIENT_000000000001",
        outcome="ok",
    )

    with caplog.at_level(logging.ERROR, logger="leadwire"):
        host.audit_event(event)

    assert seen == [event]
    assert "failing" in caplog.text
