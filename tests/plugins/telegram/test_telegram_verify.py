"""Checking that webhook requests really come from Telegram."""

from __future__ import annotations

from leadwire import WebhookRequest


async def test_handshake_answers_nothing(channel):
    """Telegram has no verification GET, so the handshake never answers."""
    request = WebhookRequest(method="GET", query={"hub.challenge": "1"})

    assert await channel.handshake(request) is None


def test_matching_secret_is_accepted(channel, tg, webhook):
    """An update with the configured secret token passes."""
    verification = channel.verify(webhook(tg.text()))

    assert verification.ok


def test_header_name_is_case_insensitive(channel, tg, webhook):
    """The secret header is found whatever the case of its name."""
    request = webhook(tg.text(), secret=None)
    request = WebhookRequest(
        method="POST",
        headers={"x-telegram-bot-api-secret-token": tg.SECRET_TOKEN},
        body=request.body,
    )

    assert channel.verify(request).ok


def test_missing_secret_is_401(channel, tg, webhook):
    """An update without the header is refused as unauthenticated."""
    verification = channel.verify(webhook(tg.text(), secret=None))

    assert (verification.ok, verification.status) == (False, 401)


def test_empty_secret_is_401(channel, tg, webhook):
    """An empty header counts as missing."""
    verification = channel.verify(webhook(tg.text(), secret=""))

    assert (verification.ok, verification.status) == (False, 401)


def test_wrong_secret_is_403_and_not_echoed(channel, tg, webhook):
    """A wrong token is refused as forged, and the reason echoes no token."""
    verification = channel.verify(webhook(tg.text(), secret="guessed-secret-000"))

    assert (verification.ok, verification.status) == (False, 403)
    assert "guessed-secret-000" not in verification.reason
    assert tg.SECRET_TOKEN not in verification.reason


def test_secret_prefix_is_not_enough(channel, tg, webhook):
    """A prefix of the right token is refused."""
    verification = channel.verify(webhook(tg.text(), secret=tg.SECRET_TOKEN[:-1]))

    assert verification.status == 403


def test_non_ascii_secret_is_refused_without_raising(channel, tg, webhook):
    """A header with non-ASCII characters is refused, not a crash."""
    verification = channel.verify(webhook(tg.text(), secret="секрет"))

    assert verification.status == 403


def test_unset_secret_variable_refuses_without_raising(
    channel, tg, webhook, monkeypatch
):
    """With the secret's variable unset, updates are refused (and retried later)."""
    monkeypatch.delenv("TEST_TG_SECRET")

    verification = channel.verify(webhook(tg.text()))

    assert (verification.ok, verification.status) == (False, 403)
