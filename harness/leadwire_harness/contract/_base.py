"""What every family's contract shares: building the connector as leadwire does."""

from __future__ import annotations

import logging
import typing
from collections.abc import AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import attrs
import cattrs
import httpx
import pytest
import pytest_asyncio

from leadwire import ConnectorContext, ConnectorType, Secret
from leadwire.config import converter
from leadwire.plugins import PluginHost
from leadwire_harness.clock import FakeClock


class Contract:
    """The blanks a plugin fills in, and the fixtures built from them."""

    #: The plugin object: the module the plugin's entry point names.
    plugin: ClassVar[object]
    #: The ConnectorType name the plugin registers for this family.
    kind: ClassVar[str]
    #: The connector's settings table as a configuration file would hold it.
    settings: ClassVar[Mapping[str, Any]] = {}
    #: Values for the environment variables the settings' secrets name.
    environment: ClassVar[Mapping[str, str]] = {}

    #: The registry attribute of this family (set by each contract).
    family: ClassVar[str]

    @pytest.fixture
    def host(self, monkeypatch: pytest.MonkeyPatch) -> PluginHost:
        """The plugin registered through its hooks, with the environment set."""
        for name, value in self.environment.items():
            monkeypatch.setenv(name, value)
        host = PluginHost()
        assert host.add(f"contract-{self.kind}", self.plugin), host.failures
        return host

    @pytest.fixture
    def connector_type(self, host: PluginHost) -> ConnectorType[Any, Any]:
        kinds = getattr(host.registry, self.family)
        assert self.kind in kinds, (
            f"the plugin registers no {self.family} {self.kind!r}"
        )
        return kinds[self.kind]

    @pytest.fixture
    def clock(self) -> FakeClock:
        return FakeClock()

    @pytest_asyncio.fixture
    async def connector(
        self,
        connector_type: ConnectorType[Any, Any],
        clock: FakeClock,
        tmp_path: Path,
    ) -> AsyncIterator[Any]:
        """The connector, created from the settings as the engine creates it."""
        settings = converter.structure(dict(self.settings), connector_type.settings)
        async with httpx.AsyncClient() as http:
            context = ConnectorContext(
                name=f"contract-{self.kind}", http=http, clock=clock, data_dir=tmp_path
            )
            connector = connector_type.create(settings, context)
            yield connector
            await connector.aclose()

    # -- checks every family runs ------------------------------------------

    def test_registers_its_kind_with_a_summary(self, connector_type):
        """The plugin registers the kind under its name, with a one-line summary."""
        assert connector_type.name == self.kind
        assert connector_type.summary.strip()

    def test_settings_are_an_attrs_class(self, connector_type):
        """Settings are an attrs class, so configurations are checked field by field."""
        assert attrs.has(connector_type.settings)

    def test_plain_text_secrets_are_refused(self, connector_type):
        """Every secret field refuses a value written in the file."""
        for name in secret_fields(connector_type.settings):
            table = {**self.settings, name: "written-in-the-file"}
            with pytest.raises(cattrs.ClassValidationError) as caught:
                converter.structure(table, connector_type.settings)

            reasons = [str(error) for error in caught.value.exceptions]
            assert any("env:" in reason for reason in reasons), reasons

    def test_data_flows_are_declared(self, connector):
        """The connector declares what personal data it handles and where it goes."""
        flows = list(connector.data_flows())

        assert flows
        for flow in flows:
            assert flow.data
            assert flow.recipient.strip()
            assert flow.location.strip()


def secret_fields(settings: type) -> list[str]:
    """The names of the fields of *settings* typed Secret (or Secret | None)."""
    hints = typing.get_type_hints(settings)
    return [
        field.name
        for field in attrs.fields(settings)
        if hints.get(field.name) is Secret
        or Secret in typing.get_args(hints.get(field.name))
    ]


def assert_no_secret(
    environment: Mapping[str, str],
    error: BaseException,
    records: Iterable[logging.LogRecord],
) -> None:
    """Fail if a secret value shows in the error or in any log record."""
    texts = [str(error), repr(error), *(record.getMessage() for record in records)]
    for name, value in environment.items():
        assert not any(value in text for text in texts), f"the value of {name} leaked"
