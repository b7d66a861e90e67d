"""The Telegram plugin as leadwire loads it: settings, data map, protocol."""

from __future__ import annotations

import cattrs
import pytest
from cattrs.errors import ClassValidationError

from leadwire import Channel
from leadwire.config import converter
from leadwire_telegram import TelegramSettings


def test_channel_implements_the_protocol(channel):
    """The channel object satisfies leadwire.Channel."""
    assert isinstance(channel, Channel)


def test_settings_defaults():
    """Only the two secrets are required; the API base defaults to Telegram's."""
    settings = converter.structure(
        {"bot_token": "env:A_TOKEN", "secret_token": "env:A_SECRET"}, TelegramSettings
    )

    assert settings.api_base == "https://api.telegram.org"
    assert settings.ask_phone is False


def test_token_written_in_clear_is_refused():
    """A token pasted into the configuration is refused: secrets live in env."""
    with pytest.raises(ClassValidationError) as caught:
        converter.structure(
            {"bot_token": "1234:abcd", "secret_token": "env:A_SECRET"}, TelegramSettings
        )

    (problem,) = cattrs.transform_error(caught.value)
    assert "bot_token" in problem
    assert "1234:abcd" not in problem


def test_data_flows_declare_telegram_outside_russia(channel):
    """Telegram's servers are declared as a cross-border, non-pseudonymised flow."""
    (flow,) = channel.data_flows()

    assert flow.cross_border
    assert flow.location == "unknown"
    assert not flow.pseudonymised
    assert "message text" in flow.data
    assert "Telegram" in flow.recipient


async def test_aclose_leaves_the_shared_client_open(channel, http):
    """Closing the channel does not close leadwire's shared HTTP client."""
    await channel.aclose()

    assert not http.is_closed
