"""Revealed secrets never reach the HTTP library's log records."""

from __future__ import annotations

import logging

import httpx
import respx

from leadwire import Secret
from leadwire.redaction import redact


async def test_revealed_token_is_masked_in_httpx_request_logs(monkeypatch, caplog):
    """httpx's INFO line for a URL holding a revealed token shows *** instead."""
    monkeypatch.setenv("SAMPLE_BOT_TOKEN", "123456:invented-bot-token")
    token = Secret("SAMPLE_BOT_TOKEN").reveal()
    url = f"https://api.example.test/bot{token}/sendMessage"
    caplog.set_level(logging.INFO, logger="httpx")

    with respx.mock:
        respx.post(url).respond(200, json={"ok": True})
        async with httpx.AsyncClient() as client:
            await client.post(url, json={})

    assert "sendMessage" in caplog.text
    assert token not in caplog.text
    assert "bot***/sendMessage" in caplog.text


def test_short_values_are_not_looked_for(monkeypatch):
    """A value too short to be a credential is left alone in ordinary text."""
    monkeypatch.setenv("SAMPLE_SHORT", "abc")
    Secret("SAMPLE_SHORT").reveal()

    assert redact("abcdef and abc") == "abcdef and abc"
