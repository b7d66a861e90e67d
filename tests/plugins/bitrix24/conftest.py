"""Fixtures for the Bitrix24 CRM connector: a fake clock, a mocked portal."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from recording_clock import RecordingClock

from leadwire import ConnectorContext
from leadwire.config import converter
from leadwire_bitrix24 import Bitrix24Crm, Bitrix24Settings

#: An invented portal and webhook code; the tests check it never leaks.
PORTAL = "example-salon.bitrix24.ru"
WEBHOOK_CODE = "f4k3c0de9x7q"
WEBHOOK = f"https://{PORTAL}/rest/7/{WEBHOOK_CODE}/"
WEBHOOK_ENV = "LEADWIRE_TEST_BITRIX24_WEBHOOK"


@pytest.fixture
def clock() -> RecordingClock:
    """A fresh fake clock at 2026-12-03 09:00 UTC."""
    return RecordingClock(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))


@pytest.fixture
def webhook_code() -> str:
    """The secret part of the invented webhook URL, to look for in leaks."""
    return WEBHOOK_CODE


@pytest.fixture
def webhook_env(monkeypatch: pytest.MonkeyPatch) -> str:
    """Put the invented webhook URL into the environment; return the variable."""
    monkeypatch.setenv(WEBHOOK_ENV, WEBHOOK)
    return WEBHOOK_ENV


@pytest.fixture
def make_settings(webhook_env: str) -> Callable[..., Bitrix24Settings]:
    """Build settings the way a TOML table is structured, with overrides."""

    def make(**overrides: Any) -> Bitrix24Settings:
        table = {"webhook_url": f"env:{webhook_env}", **overrides}
        return converter.structure(table, Bitrix24Settings)

    return make


@pytest.fixture
def context(
    http: httpx.AsyncClient, clock: RecordingClock, tmp_path: Path
) -> ConnectorContext:
    """A connector context with the fake clock and a temporary data directory."""
    return ConnectorContext(name="crm", http=http, clock=clock, data_dir=tmp_path)


@pytest.fixture
def make_crm(
    make_settings: Callable[..., Bitrix24Settings], context: ConnectorContext
) -> Callable[..., Bitrix24Crm]:
    """Build the connector with settings overrides."""

    def make(**overrides: Any) -> Bitrix24Crm:
        return Bitrix24Crm(make_settings(**overrides), context)

    return make


@pytest.fixture
def crm(make_crm: Callable[..., Bitrix24Crm]) -> Bitrix24Crm:
    """The connector with default settings."""
    return make_crm()


@pytest.fixture
def portal() -> Iterator[respx.MockRouter]:
    """The portal's REST API, strictly mocked: unmocked or unused routes fail."""
    with respx.mock(
        base_url=WEBHOOK, assert_all_called=True, assert_all_mocked=True
    ) as router:
        yield router


@pytest.fixture
def loose_portal() -> Iterator[respx.MockRouter]:
    """The portal mocked for parametrised tests that reach different routes.

    Unmocked calls still fail; the test itself asserts which routes were used.
    """
    with respx.mock(
        base_url=WEBHOOK, assert_all_called=False, assert_all_mocked=True
    ) as router:
        yield router


def body(call: Any) -> dict[str, Any]:
    """The JSON a recorded respx call sent."""
    return json.loads(call.request.content)


@pytest.fixture
def sent() -> Callable[[Any], dict[str, Any]]:
    """Decode the JSON body of a recorded call."""
    return body


@pytest.fixture
def duplicates() -> Callable[..., Callable[[httpx.Request], httpx.Response]]:
    """Answer crm.duplicate.findbycomm from a table of what each value finds.

    ``duplicates({"+79990001122": {"LEAD": [12]}})`` finds lead 12 by that
    phone and nothing else; a value found nowhere is answered ``[]``, as the
    portal does.
    """

    def answer_with(
        found: Mapping[str, Mapping[str, list[int]]],
    ) -> Callable[[httpx.Request], httpx.Response]:
        def answer(request: httpx.Request) -> httpx.Response:
            asked = json.loads(request.content)
            entity = asked["entity_type"]
            ids = [
                record_id
                for value in asked["values"]
                for record_id in found.get(value, {}).get(entity, [])
            ]
            result: Any = {entity: ids} if ids else []
            return httpx.Response(200, json={"result": result, "time": {}})

        return answer

    return answer_with


@pytest.fixture
def lead_list() -> Callable[..., Callable[[httpx.Request], httpx.Response]]:
    """Answer crm.lead.list: marker look-ups and look-ups of candidates by ID.

    ``lead_list(records, marked={"lw-...": "3465"})`` answers a filter on ID
    from *records* and a filter on the idempotency field from *marked*.
    *marked* may be a callable, read at each request, for a portal whose
    contents change during the test.
    """

    def answer_with(
        records: list[dict[str, Any]] | None = None,
        marked: Mapping[str, str] | Callable[[], Mapping[str, str]] | None = None,
        field: str = "ORIGIN_ID",
    ) -> Callable[[httpx.Request], httpx.Response]:
        def answer(request: httpx.Request) -> httpx.Response:
            wanted = json.loads(request.content)["filter"]
            if "ID" in wanted:
                ids = {str(record_id) for record_id in wanted["ID"]}
                found = [r for r in records or [] if r["ID"] in ids]
            else:
                table = marked() if callable(marked) else (marked or {})
                found = [{"ID": table[wanted[field]]}] if wanted[field] in table else []
            return httpx.Response(
                200, json={"result": found, "total": len(found), "time": {}}
            )

        return answer

    return answer_with


@pytest.fixture
def batch() -> Callable[..., Callable[[httpx.Request], httpx.Response]]:
    """Answer ``batch`` command by command, as the portal does.

    ``batch({"crm.lead.delete?id=13": ("ACCESS_DENIED", "")}, default=True)``
    fails that command and answers every other one with *default*; *results*
    gives other commands their own results. Empty maps go out as ``[]``.
    """

    def answer_with(
        errors: Mapping[str, tuple[str, str]] | None = None,
        results: Mapping[str, Any] | None = None,
        default: Any = True,
    ) -> Callable[[httpx.Request], httpx.Response]:
        def answer(request: httpx.Request) -> httpx.Response:
            commands = json.loads(request.content)["cmd"]
            done: dict[str, Any] = {}
            failed: dict[str, Any] = {}
            for key, command in commands.items():
                if command in (errors or {}):
                    code, description = (errors or {})[command]
                    failed[key] = {"error": code, "error_description": description}
                else:
                    done[key] = (results or {}).get(command, default)
            block = {
                "result": done or [],
                "result_error": failed or [],
                "result_total": [],
                "result_next": [],
                "result_time": {},
            }
            return httpx.Response(200, json={"result": block, "time": {}})

        return answer

    return answer_with
