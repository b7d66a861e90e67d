"""What the tests of Meta's channels share: signed deliveries, settings, the API.

WhatsApp's and Instagram's payload builders differ in their JSON, not in how
Meta encodes and signs it; that part lives here, once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from leadwire import WebhookRequest
from leadwire.config import converter


class SignedDeliveries:
    """Signs deliveries as Meta does, with the class's ``APP_SECRET``; numbers ids."""

    APP_SECRET: str

    def __init__(self) -> None:
        self.next_id = 1000

    def fresh_number(self) -> int:
        """A number no earlier message of this builder had."""
        self.next_id += 1
        return self.next_id

    def body(self, document: dict[str, Any]) -> bytes:
        """The bytes Meta sends: JSON with non-ASCII escaped as \\uXXXX."""
        return json.dumps(document, ensure_ascii=True).encode()

    def signature(self, body: bytes, secret: str | None = None) -> str:
        key = (secret or self.APP_SECRET).encode()
        return f"sha256={hmac.new(key, body, hashlib.sha256).hexdigest()}"

    def post(self, document: dict[str, Any]) -> WebhookRequest:
        """A signed delivery of *document*."""
        body = self.body(document)
        return WebhookRequest(
            method="POST",
            headers={"X-Hub-Signature-256": self.signature(body)},
            body=body,
        )


def exported_settings(
    monkeypatch: pytest.MonkeyPatch,
    settings_class: type,
    secrets: dict[str, tuple[str, str]],
    **own: Any,
) -> Any:
    """Export each secret as an operator would, then structure the settings.

    :param secrets: Setting name -> (environment variable, value).
    """
    for variable, value in secrets.values():
        monkeypatch.setenv(variable, value)
    table = {name: f"env:{variable}" for name, (variable, _) in secrets.items()}
    return converter.structure({**table, **own}, settings_class)


def graph_failure(
    code: int, subcode: int | None = None, **fields: Any
) -> dict[str, Any]:
    """The Graph API's answer to a refused call: *fields* and the codes."""
    error: dict[str, Any] = {**fields, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


@pytest.fixture
def graph(payloads: Any) -> Iterator[respx.Route]:
    """A strict respx route for the messages endpoint, accepting every message.

    Imported by each Meta channel's conftest; *payloads* gives the endpoint and
    the answer, with a fresh message id each time.
    """
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        route = router.post(payloads.MESSAGES_URL)
        route.side_effect = lambda request: httpx.Response(
            200, json=payloads.accepted()
        )
        yield route
