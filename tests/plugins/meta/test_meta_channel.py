"""Both Meta channels are leadwire channels, built the same way from their settings."""

from __future__ import annotations

import pytest
from meta_fakes import CHANNELS

from leadwire import Channel, ConfigError, ConnectorContext
from leadwire_meta import MetaChannel


def test_channel_implements_the_channel_protocol(meta_channel):
    """Each Meta channel satisfies leadwire.Channel."""
    assert isinstance(meta_channel, Channel)


@pytest.mark.parametrize("method", ["handshake", "verify", "parse"])
def test_webhook_checks_are_the_shared_ones(kind, method):
    """Each channel checks webhooks with the one shared implementation."""
    channel_class = CHANNELS[kind][0]

    assert getattr(channel_class, method) is getattr(MetaChannel, method)


def test_data_flows_declare_meta_in_the_us(meta_channel):
    """Every flow goes to Meta in the US, cross-border and not pseudonymised."""
    flows = meta_channel.data_flows()

    assert flows
    for flow in flows:
        assert "Meta" in flow.recipient
        assert flow.location == "US"
        assert flow.cross_border
        assert not flow.pseudonymised
    assert any("message text" in flow.data for flow in flows)


@pytest.mark.parametrize(
    "variable",
    ["TEST_META_ACCESS_TOKEN", "TEST_META_APP_SECRET", "TEST_META_VERIFY_TOKEN"],
)
def test_unset_secret_stops_the_start_naming_the_variable(
    meta_channel, http, monkeypatch, variable
):
    """A secret's variable missing from the environment raises ConfigError naming it."""
    monkeypatch.delenv(variable)

    with pytest.raises(ConfigError, match=variable):
        type(meta_channel)(
            meta_channel.settings, ConnectorContext(name="meta", http=http)
        )
