"""Every built-in channel plugin loads through its entry point, like a third party."""

from __future__ import annotations

import pytest

from leadwire.plugins import ENV_PLUGINS, load_plugins
from leadwire_instagram import InstagramChannel, InstagramSettings
from leadwire_telegram import TelegramChannel, TelegramSettings
from leadwire_website import WebsiteChannel, WebsiteSettings
from leadwire_whatsapp import WhatsAppChannel, WhatsAppSettings

CHANNELS = {
    "whatsapp": (WhatsAppSettings, WhatsAppChannel),
    "instagram": (InstagramSettings, InstagramChannel),
    "telegram": (TelegramSettings, TelegramChannel),
    "website": (WebsiteSettings, WebsiteChannel),
}


@pytest.mark.parametrize("name", CHANNELS)
@pytest.mark.parametrize("allowed", [None, "{name}", "offline,{name}"])
def test_entry_point_registers_the_channel(monkeypatch, name, allowed):
    """load_plugins() offers the kind with LEADWIRE_PLUGINS unset or naming it."""
    if allowed is not None:
        monkeypatch.setenv(ENV_PLUGINS, allowed.format(name=name))

    host = load_plugins()

    kind = host.registry.channels[name]
    assert (kind.settings, kind.create) == CHANNELS[name]
    assert host.owner_of("channels", name) == name
    assert not [failure for failure in host.failures if failure.plugin == name]
