"""The instagram plugin loads through its entry point and declares its data flows."""

from __future__ import annotations

import pytest

from leadwire import Channel, ConfigError, ConnectorContext
from leadwire.plugins import ENV_PLUGINS, load_plugins
from leadwire_instagram import InstagramChannel, InstagramSettings


@pytest.mark.parametrize("allowed", [None, "instagram", "whatsapp,instagram"])
def test_entry_point_registers_the_instagram_channel(monkeypatch, allowed):
    """load_plugins() finds "instagram" with LEADWIRE_PLUGINS unset or naming it."""
    if allowed is not None:
        monkeypatch.setenv(ENV_PLUGINS, allowed)

    host = load_plugins()

    kind = host.registry.channels["instagram"]
    assert kind.settings is InstagramSettings
    assert kind.create is InstagramChannel
    assert host.owner_of("channels", "instagram") == "instagram"


def test_channel_implements_the_channel_protocol(channel):
    """InstagramChannel satisfies leadwire.Channel."""
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
    assert any("message text" in flow.data for flow in flows)


def test_unset_secret_stops_the_start_naming_the_variable(settings, http, monkeypatch):
    """A secret's variable missing from the environment raises ConfigError naming it."""
    monkeypatch.delenv("TEST_IG_ACCESS_TOKEN")

    with pytest.raises(ConfigError, match="TEST_IG_ACCESS_TOKEN"):
        InstagramChannel(settings, ConnectorContext(name="ig-main", http=http))


@pytest.mark.parametrize("module", ["_text", "_meta"])
def test_code_shared_with_whatsapp_has_not_drifted(module):
    """The copies of the Meta webhook and text-splitting code match WhatsApp's."""
    from importlib import import_module
    from inspect import getsource

    instagram = getsource(import_module(f"leadwire_instagram.{module}"))
    whatsapp = getsource(import_module(f"leadwire_whatsapp.{module}"))

    # Only the module docstrings may differ: they name their channel.
    assert instagram.split('"""', 2)[2] == whatsapp.split('"""', 2)[2]
