"""The plugin loads like any other and its settings are validated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cattrs
import pytest

from leadwire import CredentialsError, Crm
from leadwire.config import converter
from leadwire.plugins import load_plugins
from leadwire_bitrix24 import Bitrix24Crm, Bitrix24Settings, redact_webhook_url


def test_bitrix24_is_registered_through_the_entry_point() -> None:
    """load_plugins() finds the built-in plugin and its "bitrix24" CRM kind."""
    host = load_plugins()

    kind = host.registry.crms["bitrix24"]

    assert kind.settings is Bitrix24Settings
    assert kind.create is Bitrix24Crm
    assert host.owner_of("crms", "bitrix24") == "bitrix24"


def test_the_connector_implements_the_crm_protocol(crm: Bitrix24Crm) -> None:
    """The connector satisfies leadwire.Crm."""
    assert isinstance(crm, Crm)


def test_defaults_follow_the_portal_limits(
    make_settings: Callable[..., Bitrix24Settings],
) -> None:
    """Unset keys give burst 50, drain 2/s, delete erasure, phone-or-email match."""
    settings = make_settings()

    assert (settings.burst, settings.drain_per_second) == (50, 2.0)
    assert settings.erasure == "delete"
    assert settings.match_by == "phone_or_email"
    assert settings.service_field == "COMMENTS"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("erasure", "shred"),
        ("match_by", "name"),
        ("service_field", "uf crm service"),
        ("burst", 0),
        ("same_request_days", -1),
    ],
)
def test_bad_settings_are_refused(key: str, value: Any, webhook_env: str) -> None:
    """An unknown mode, a malformed field code or a bad number is refused."""
    table = {"webhook_url": f"env:{webhook_env}", key: value}

    with pytest.raises(cattrs.ClassValidationError):
        converter.structure(table, Bitrix24Settings)


def test_a_webhook_written_into_the_config_is_refused() -> None:
    """webhook_url must be an env: reference, never the URL itself."""
    table = {"webhook_url": "https://example-salon.bitrix24.ru/rest/7/abc/"}

    with pytest.raises(cattrs.ClassValidationError):
        converter.structure(table, Bitrix24Settings)


@pytest.mark.parametrize(
    "url",
    [
        "http://example-salon.bitrix24.ru/rest/7/f4k3c0de9x7q/",
        "https://example-salon.bitrix24.ru/crm/7/f4k3c0de9x7q/",
    ],
)
def test_a_malformed_webhook_fails_fast_without_echoing_it(
    url: str,
    make_settings: Callable[..., Bitrix24Settings],
    monkeypatch: pytest.MonkeyPatch,
    webhook_env: str,
    context: Any,
) -> None:
    """A plain-http or wrongly shaped URL is a CredentialsError that hides the code."""
    monkeypatch.setenv(webhook_env, url)

    with pytest.raises(CredentialsError) as caught:
        Bitrix24Crm(make_settings(), context)

    assert "f4k3c0de9x7q" not in str(caught.value)
    assert "inbound webhook" in str(caught.value)


def test_data_flows_name_the_portal_as_system_of_record(
    make_crm: Callable[..., Bitrix24Crm],
) -> None:
    """data_flows() declares the stored fields, the portal and its location."""
    (flow,) = make_crm(location="DE").data_flows()

    assert set(flow.data) == {
        "name",
        "phone",
        "e-mail",
        "service",
        "desired time",
        "comment",
    }
    assert "example-salon.bitrix24.ru" in flow.recipient
    assert flow.location == "DE"
    assert flow.system_of_record
    assert flow.cross_border


def test_the_redaction_helper_hides_user_and_code() -> None:
    """redact_webhook_url keeps the portal and replaces user id and code by ***."""
    url = "https://portal.bitrix24.ru/rest/1/abc123/crm.lead.add.json"

    assert redact_webhook_url(url) == "https://portal.bitrix24.ru/rest/***/"


def test_nothing_printable_shows_the_webhook(
    crm: Bitrix24Crm, make_settings: Callable[..., Bitrix24Settings], webhook_code: str
) -> None:
    """The settings' repr and the transport's printed URL never reveal the code."""
    printed = repr(make_settings()) + crm.transport.redacted_url

    assert webhook_code not in printed
    assert "example-salon.bitrix24.ru/rest/***/" in printed
