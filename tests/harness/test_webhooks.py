"""Deliveries are built as providers send them: the real plugins accept them."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from leadwire import ConnectorContext, EventKind
from leadwire.engine.consent import AGREE_PAYLOAD
from leadwire_harness.clock import FakeClock
from leadwire_harness.configuration import temporary_env
from leadwire_harness.loader import DialogueError, parse_dialogue
from leadwire_harness.providers import Providers
from leadwire_harness.webhooks import DeliveryError, inbound_for

TURNS = {
    "whatsapp": ["text: Привет", "media: voice", "status: read", "reaction: 👍"],
    "instagram": ["text: Привет", "media: image", "status: read", "reaction: 👍"],
    "telegram": ["text: Привет", "media: image", "reaction: 👍"],
    "website": [
        "text: Привет",
        "form: {name: Тест, phone: '+79215550123', consent: true}",
    ],
}
KINDS = {
    "text": EventKind.MESSAGE,
    "media": EventKind.MEDIA,
    "status": EventKind.STATUS,
    "reaction": EventKind.REACTION,
}


def _dialogue(channel: str, turns: list[str]) -> object:
    lines = "\n".join(f"  - {turn}" for turn in turns)
    source = f"title: t\nchannel: {channel}\nturns:\n{lines}\nexpect: {{}}\n"
    return parse_dialogue(source, name=f"hooks-{channel}")


@pytest.fixture
def wired(replay_session):
    """The built-in configuration's channels and their mocks, secrets set."""
    setup = replay_session.setup
    with temporary_env(setup.env):
        clock = FakeClock()
        providers = Providers(setup.config, clock)
        registry = replay_session.host.registry
        channels = {
            name: registry.channels[connector.plugin].create(
                connector.settings,
                ConnectorContext(name=name, http=providers.http, clock=clock),
            )
            for name, connector in setup.config.channels.items()
        }
        yield SimpleNamespace(clock=clock, providers=providers, channels=channels)
        asyncio.run(providers.aclose())


def _inbound(wired, dialogue):
    mock = wired.providers.channels[dialogue.channel]
    secrets = wired.providers.webhook_secrets[dialogue.channel]
    return inbound_for(dialogue, mock, wired.clock, secrets, ("Да", "Нет"), "1")


@pytest.mark.parametrize("channel", sorted(TURNS))
def test_every_turn_kind_is_signed_and_parsed_by_the_real_plugin(wired, channel):
    """Each delivery passes the plugin's signature check and parses to its kind."""
    if channel not in wired.channels:
        pytest.skip(f"the {channel} plugin is not loaded")
    dialogue = _dialogue(channel, TURNS[channel])
    inbound = _inbound(wired, dialogue)
    wired.providers.channels[channel]._keep(inbound.identity, "Здравствуйте")

    for turn in dialogue.turns:
        request = inbound.build(turn).request
        assert wired.channels[channel].verify(request).ok, turn.label
        events = wired.channels[channel].parse(request)
        kind = KINDS.get(turn.kind.value)
        if kind is not None:
            assert events[-1].kind is kind, turn.label


def test_press_finds_the_consent_button_that_was_sent(wired):
    """press: agree delivers the payload of the agree button we sent."""
    dialogue = _dialogue("telegram", ["press: agree"])
    inbound = _inbound(wired, dialogue)
    wired.providers.channels["telegram"]._keep(
        inbound.identity, "Согласие?", buttons=((AGREE_PAYLOAD, "Да"), ("x", "Нет"))
    )

    events = wired.channels["telegram"].parse(inbound.build(dialogue.turns[0]).request)

    assert events[0].kind is EventKind.BUTTON
    assert events[0].payload == AGREE_PAYLOAD


def test_pressing_a_button_never_sent_is_a_clear_error(wired):
    """A press with no such button names the turn and the buttons there were."""
    dialogue = _dialogue("website", ["press: agree"])
    inbound = _inbound(wired, dialogue)

    with pytest.raises(
        DeliveryError, match=r"turns\[0\] \(press\) presses 'agree'.*none"
    ):
        inbound.build(dialogue.turns[0])


def test_a_kind_the_channel_lacks_is_refused(wired):
    """A status on Telegram (which has none) is refused, not faked."""
    dialogue = _dialogue("telegram", ["status: read"])
    inbound = _inbound(wired, dialogue)

    with pytest.raises(DeliveryError, match="telegram has no status events"):
        inbound.build(dialogue.turns[0])


def test_delivery_and_validation_name_a_turn_by_the_same_key_path(wired):
    """A delivery problem names the turn turns[1], as a validation problem does."""
    turns = ["text: Привет", "status: read"]
    dialogue = _dialogue("telegram", turns)
    with pytest.raises(DialogueError) as invalid:
        _dialogue("telegram", [turns[0], "status: lost"])

    with pytest.raises(DeliveryError) as undeliverable:
        _inbound(wired, dialogue).build(dialogue.turns[1])

    assert invalid.value.path == "turns[1].status"
    assert str(undeliverable.value).startswith("turns[1] (status): ")


def test_a_status_before_any_message_names_its_turn(wired):
    """A status with no message sent yet is refused with the turn's key path."""
    dialogue = _dialogue("whatsapp", ["status: read"])

    with pytest.raises(DeliveryError, match=r"^turns\[0\] \(status\): .*sent first"):
        _inbound(wired, dialogue).build(dialogue.turns[0])


def test_a_repeat_of_a_turn_never_delivered_is_a_clear_error(wired):
    """Repeating a turn whose own delivery was refused is refused by name."""
    dialogue = _dialogue("telegram", ["{id: seen, status: read}", "repeat: seen"])
    inbound = _inbound(wired, dialogue)
    with pytest.raises(DeliveryError):
        inbound.build(dialogue.turns[0])

    with pytest.raises(DeliveryError, match=r"turns\[1\] \(repeat\) .*never delivered"):
        inbound.build(dialogue.turns[1])


def test_website_retry_is_signed_anew_and_others_repeat_bytes(wired):
    """A retried website post is fresh to the plugin; Meta repeats the same bytes."""
    site = _dialogue("website", ["text: Привет"])
    site_inbound = _inbound(wired, site)
    first = site_inbound.build(site.turns[0])
    wired.clock.advance(20 * 60)

    retried = site_inbound.again(first)

    assert not wired.channels["website"].verify(first.request).ok  # too old now
    assert wired.channels["website"].verify(retried.request).ok
    assert retried.request.body == first.request.body
    telegram = _dialogue("telegram", ["text: Привет"])
    telegram_inbound = _inbound(wired, telegram)
    sent = telegram_inbound.build(telegram.turns[0])
    assert telegram_inbound.again(sent) is sent
