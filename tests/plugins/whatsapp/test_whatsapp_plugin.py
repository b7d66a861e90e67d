"""The whatsapp plugin loads through its entry point and declares its data flows."""

from __future__ import annotations

import pytest

from leadwire import Channel, ConfigError, ConnectorContext
from leadwire.plugins import ENV_PLUGINS, load_plugins
from leadwire_whatsapp import WhatsAppChannel, WhatsAppSettings


@pytest.mark.parametrize("allowed", [None, "whatsapp", "telegram,whatsapp"])
def test_entry_point_registers_the_whatsapp_channel(monkeypatch, allowed):
    """load_plugins() finds "whatsapp" with LEADWIRE_PLUGINS unset or naming it."""
    if allowed is not None:
        monkeypatch.setenv(ENV_PLUGINS, allowed)

    host = load_plugins()

    kind = host.registry.channels["whatsapp"]
    assert kind.settings is WhatsAppSettings
    assert kind.create is WhatsAppChannel
    assert host.owner_of("channels", "whatsapp") == "whatsapp"


def test_channel_implements_the_channel_protocol(channel):
    """WhatsAppChannel satisfies leadwire.Channel."""
    assert isinstance(channel, Channel)


def test_data_flows_declare_meta_in_the_us(channel):
    """Every flow goes to Meta in the US, cross-border and not pseudonymised."""
    flows = channel.data_flows()

    assert flows
    for flow in flows:
        assert "Meta" in flow.recipient
        assert flow.location == "US"
        assert flow.cross_border
        assert not flow.pseudonymised
    received = {item for flow in flows for item in flow.data}
    assert "message text" in received
    assert "phone number (wa_id)" in received


def test_unset_secret_stops_the_start_naming_the_variable(settings, http, monkeypatch):
    """A secret's variable missing from the environment raises ConfigError naming it."""
    monkeypatch.delenv("TEST_WA_APP_SECRET")

    with pytest.raises(ConfigError, match="TEST_WA_APP_SECRET"):
        WhatsAppChannel(settings, ConnectorContext(name="wa-main", http=http))
