"""The data map: where a client setup's personal data comes from and goes.

Built from the configuration and from what each enabled connector declares in
``data_flows()``: which data each channel collects, where each piece is kept and
for how long, which flows leave Russia and in what form, and who has access. A
business attaches it to its processing records, and the consent text names the
recipients it lists, so the text matches what the setup really does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

import attrs
import httpx
import jinja2

from leadwire.config import ClientConfig, ConnectorConfig
from leadwire.connectors import ConnectorContext
from leadwire.models import DataFlow
from leadwire.plugins import PluginHost

__all__ = ["DataMap", "Flow", "build_datamap", "components_of", "datamap_from"]


@attrs.frozen
class Flow:
    """One row of the map: a component of the setup and one flow it declares."""

    component: str  # "channel whatsapp", "crm", "llm", "consent store", "leadwire"
    plugin: str
    flow: DataFlow
    retention: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "plugin": self.plugin,
            "data": list(self.flow.data),
            "recipient": self.flow.recipient,
            "location": self.flow.location,
            "purpose": self.flow.purpose,
            "cross_border": self.flow.cross_border,
            "pseudonymised": self.flow.pseudonymised,
            "system_of_record": self.flow.system_of_record,
            "third_party": self.flow.third_party,
            "retention": self.retention,
        }


@attrs.frozen
class DataMap:
    """The processing map of one client setup."""

    operator: str
    business: str
    flows: tuple[Flow, ...]
    access: tuple[tuple[str, str, tuple[str, ...]], ...]  # member, role, actions
    problems: tuple[str, ...] = ()  # connectors that could not declare

    @property
    def cross_border(self) -> tuple[Flow, ...]:
        """The flows that leave Russia."""
        return tuple(flow for flow in self.flows if flow.flow.cross_border)

    def recipients(self) -> list[str]:
        """The third parties who receive data, each once, in order."""
        seen: dict[str, None] = {}
        for row in self.flows:
            if row.flow.third_party:
                seen.setdefault(_recipient_line(row.flow))
        return list(seen)

    def as_dict(self) -> dict[str, Any]:
        return {
            "operator": self.operator,
            "business": self.business,
            "flows": [flow.as_dict() for flow in self.flows],
            "cross_border": [flow.as_dict() for flow in self.cross_border],
            "access": [
                {"member": member, "role": role, "actions": list(actions)}
                for member, role, actions in self.access
            ],
            "recipients": self.recipients(),
            "problems": list(self.problems),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def to_markdown(self) -> str:
        return _render("datamap.md.j2", self)

    def to_html(self) -> str:
        return _render("datamap.html.j2", self)


def _recipient_line(flow: DataFlow) -> str:
    where = "за пределами России" if flow.cross_border else "в России"
    form = ", в псевдонимизированном виде" if flow.pseudonymised else ""
    return f"{flow.recipient} ({where}{form})"


def _render(template: str, datamap: DataMap) -> str:
    root = resources.files("leadwire").joinpath("templates")
    environment = jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: root.joinpath(name).read_text(encoding="utf-8")
        ),
        autoescape=jinja2.select_autoescape(["html.j2"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template(template).render(map=datamap)


def _own_flows(config: ClientConfig) -> list[Flow]:
    """What the engine itself keeps in its database, beside the local stores."""
    contacts = f"{config.retention.contacts_days} days"
    own = [
        (
            ("name", "phone", "e-mail"),
            "answering the client and filing the request (encrypted at rest)",
            False,
            contacts,
        ),
        (
            ("message texts",),
            "the assistant's context",
            True,
            contacts,
        ),
        (
            ("pseudonym vault",),
            "putting real values back into replies (encrypted at rest)",
            False,
            contacts,
        ),
        (
            ("audit log: actions, pseudonymous ids, no values",),
            "security event registration",
            True,
            f"{config.retention.audit_days} days",
        ),
    ]
    return [
        Flow(
            "leadwire",
            "leadwire",
            DataFlow(
                data,
                "leadwire database",
                config.storage.location,
                purpose,
                pseudonymised=pseudonymised,
                system_of_record=True,
                third_party=False,
            ),
            kept,
        )
        for data, purpose, pseudonymised, kept in own
    ]


def _kept(config: ClientConfig, component: str) -> str:
    """How long leadwire keeps what a component of the setup receives."""
    retention = config.retention
    if component.startswith("channel "):
        return f"raw events {retention.raw_events_days} day(s)"
    if component == "llm":
        return "not kept by leadwire"
    return f"{retention.contacts_days} days"


def datamap_from(
    config: ClientConfig,
    connectors: Sequence[tuple[str, ConnectorConfig, Any]],
    problems: Sequence[str] = (),
) -> DataMap:
    """The data map of *config* from connectors already created.

    :param connectors: ``(component, its configuration, the connector)`` for
        each enabled connector: ``("channel website", ..., channel)``,
        ``("crm", ...)``, ``("llm", ...)``, ``("consent store", ...)``.
    :param problems: Connectors that could not be created, already described.
    """
    flows: list[Flow] = []
    problems = list(problems)
    for component, connector, instance in connectors:
        try:
            declared = list(instance.data_flows())
        except Exception as error:
            problems.append(
                f"{component}: could not declare its flows ({type(error).__name__})"
            )
            continue
        kept = _kept(config, component)
        flows += [Flow(component, connector.plugin, flow, kept) for flow in declared]

    access = tuple(
        (member, role, tuple(config.staff.roles[role]))
        for member, role in sorted(config.staff.members.items())
    )
    return DataMap(
        operator=config.consent.operator,
        business=config.business.name,
        flows=(*flows, *_own_flows(config)),
        access=access,
        problems=tuple(problems),
    )


def components_of(config: ClientConfig) -> list[tuple[str, str, ConnectorConfig]]:
    """``(component, connector name, configuration)`` of each enabled connector."""
    components = [
        (f"channel {name}", name, connector)
        for name, connector in config.channels.items()
    ]
    return [
        *components,
        ("crm", "crm", config.crm),
        ("llm", "llm", config.llm),
        ("consent store", "consent_store", config.consent_store),
    ]


async def build_datamap(config: ClientConfig, host: PluginHost) -> DataMap:
    """Build the data map of *config*, asking each enabled connector what it declares.

    Connectors are created as the engine creates them, but make no call to
    their provider; one that cannot be created is listed in ``problems``.
    The local stores get the configured database, which they do not open to
    declare their flows.
    """
    from leadwire.engine.database import Database, async_url

    registry = host.registry
    kinds = {
        "crm": registry.crms,
        "llm": registry.llms,
        "consent store": registry.consent_stores,
    }
    database = Database(
        async_url(config.storage.url, config.base_dir), lambda event: None
    )
    created: list[tuple[str, ConnectorConfig, Any]] = []
    problems: list[str] = []
    try:
        async with httpx.AsyncClient() as http:
            for component, name, connector in components_of(config):
                context = ConnectorContext(
                    name=name, http=http, data_dir=config.base_dir, database=database
                )
                family = kinds.get(component, registry.channels)
                instance = _created(component, connector, family, context)
                if isinstance(instance, str):
                    problems.append(instance)
                else:
                    created.append((component, connector, instance))
            try:
                return datamap_from(config, created, problems)
            finally:
                for _, _, instance in created:
                    await instance.aclose()
    finally:
        await database.dispose()


def _created(
    component: str,
    connector: ConnectorConfig,
    kinds: Any,
    context: ConnectorContext,
) -> Any:
    """The connector, or a line saying why it could not be created."""
    kind = kinds.get(connector.plugin)
    if kind is None or connector.settings is None:
        return f"{component}: plugin {connector.plugin!r} is not loaded"
    try:
        return kind.create(connector.settings, context)
    except Exception as error:
        return f"{component}: could not be created ({type(error).__name__})"
