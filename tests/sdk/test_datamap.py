"""The data map lists every flow the setup's connectors declare, and feeds consent."""

from __future__ import annotations

import json

import attrs
import pytest
from click.testing import CliRunner
from core_samples import NoSettings

from leadwire import ConnectorType, DataFlow, hookimpl
from leadwire.cli import build_cli
from leadwire.cli._common import Context
from leadwire.config import parse_config
from leadwire.datamap import build_datamap
from leadwire.plugins import PluginHost

FLOWS = {
    "chat": DataFlow(("name", "phone", "message text"), "Chat Inc.", "US", "chat"),
    "crm": DataFlow(("name", "phone"), "CRM portal", "RU", "leads", False, True),
    "model": DataFlow(("message text",), "Model Co.", "US", "replies", True),
    "ledger": DataFlow(("consent decisions",), "ledger", "RU", "evidence"),
}


@attrs.define
class Declaring:
    flows: list[DataFlow]
    closed: bool = False

    def data_flows(self):
        return self.flows

    async def aclose(self):
        self.closed = True


def kind(name: str, *flows: DataFlow) -> ConnectorType:
    return ConnectorType(name, NoSettings, lambda s, c: Declaring(list(flows)))


class Plugin:
    @hookimpl
    def leadwire_register_channels(self, register):
        register(kind("chat", FLOWS["chat"]))
        register(
            ConnectorType(
                "broken", NoSettings, lambda s, c: (_ for _ in ()).throw(OSError)
            )
        )

    @hookimpl
    def leadwire_register_crms(self, register):
        register(kind("crm", FLOWS["crm"]))

    @hookimpl
    def leadwire_register_llms(self, register):
        register(kind("model", FLOWS["model"]))

    @hookimpl
    def leadwire_register_consent_stores(self, register):
        register(kind("ledger", FLOWS["ledger"]))


CONFIG = {
    "business": {"name": "Студия «Тест»"},
    "consent": {
        "version": "2",
        "operator": "ИП Тестов",
        "purpose": "запись",
        "data": ["имя", "телефон"],
        "term": "1 год",
        "withdraw": "напишите «стоп»",
    },
    "channels": {"main": {"plugin": "chat"}},
    "crm": {"plugin": "crm"},
    "llm": {"plugin": "model"},
    "consent_store": {"plugin": "ledger"},
    "retention": {"contacts_days": 700, "audit_days": 900},
    "staff": {"members": {"owner-one": "owner"}},
}


@pytest.fixture
def host() -> PluginHost:
    host = PluginHost()
    host.add("declaring", Plugin())
    return host


def config_of(host: PluginHost, **changes):
    return parse_config({**CONFIG, **changes}, host.registry, require_env=False)


async def test_every_declared_flow_is_on_the_map(host):
    """Each connector's declarations appear once, with its component and retention."""
    built = await build_datamap(config_of(host), host)

    rows = {(row.component, row.flow) for row in built.flows}
    assert ("channel main", FLOWS["chat"]) in rows
    assert ("crm", FLOWS["crm"]) in rows
    assert ("llm", FLOWS["model"]) in rows
    assert ("consent store", FLOWS["ledger"]) in rows
    assert next(r for r in built.flows if r.component == "crm").retention == "700 days"
    assert built.problems == ()


async def test_cross_border_flows_are_listed_with_their_form(host):
    """Only the flows leaving Russia are cross-border, each saying if pseudonymised."""
    built = await build_datamap(config_of(host), host)

    leaving = {row.flow.recipient: row.flow.pseudonymised for row in built.cross_border}
    assert leaving == {"Chat Inc.": False, "Model Co.": True}


async def test_consent_text_names_every_recipient(host):
    """The consent text built from the map names each recipient and where it is."""
    config = config_of(host)
    built = await build_datamap(config, host)

    text = config.consent.render(built.recipients())

    assert "Chat Inc. (за пределами России)" in text
    assert "Model Co. (за пределами России, в псевдонимизированном виде)" in text
    assert "CRM portal (в России)" in text
    assert "Версия согласия: 2." in text


async def test_access_lists_members_and_their_rights(host):
    """Who has access comes from the staff roles."""
    built = await build_datamap(config_of(host), host)

    assert built.access == (
        ("owner-one", "owner", ("export", "erase", "audit", "purge")),
    )


def test_cli_prints_json_markdown_and_html(host, tmp_path):
    """`leadwire datamap` prints the map in each format from a configuration file."""
    path = tmp_path / "leadwire.toml"
    path.write_text(
        "\n".join(
            [
                '[business]\nname = "Студия"',
                '[consent]\nversion = "2"\noperator = "ИП Тестов"\npurpose = "запись"',
                'data = ["имя"]\nterm = "1 год"\nwithdraw = "стоп"',
                '[channels.main]\nplugin = "chat"',
                '[crm]\nplugin = "crm"\n[llm]\nplugin = "model"',
                '[consent_store]\nplugin = "ledger"',
                '[storage]\nvault_key = "env:SAMPLE_VAULT_KEY"',
            ]
        ),
        "utf-8",
    )
    cli = build_cli(Context(host))
    env = {"SAMPLE_VAULT_KEY": "k"}

    as_json = CliRunner().invoke(
        cli, ["datamap", "-c", str(path), "--format", "json"], env=env
    )
    as_md = CliRunner().invoke(cli, ["datamap", "-c", str(path)], env=env)
    as_html = CliRunner().invoke(
        cli, ["datamap", "-c", str(path), "--format", "html"], env=env
    )

    assert as_json.exit_code == 0, as_json.output
    assert len(json.loads(as_json.output)["cross_border"]) == 2
    assert "| crm | crm | name, phone | CRM portal | RU |" in as_md.output
    assert "<td>Model Co.</td>" in as_html.output


async def test_connector_that_cannot_declare_is_reported(host):
    """A connector failing to start is named in problems, and the rest still map."""
    config = config_of(
        host, channels={"main": {"plugin": "chat"}, "x": {"plugin": "broken"}}
    )

    built = await build_datamap(config, host)

    assert built.problems == ("channel x: could not be created (OSError)",)
    assert any(row.component == "channel main" for row in built.flows)


def test_own_systems_are_not_named_as_recipients():
    """Flows to the operator's own systems stay on the map but not in the consent."""
    from leadwire.datamap import DataMap, Flow

    own = DataFlow(("name",), "our server", "RU", "replies", third_party=False)
    built = DataMap("ИП Тестов", "Студия", (Flow("llm", "x", own, "-"),), ())

    assert built.recipients() == []
    text = parse_config(CONFIG, require_env=False).consent.render(built.recipients())
    assert "Третьим лицам данные не передаются." in text
