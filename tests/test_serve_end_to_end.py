"""Through ``leadwire serve``: each channel's client books, a forgery is refused.

The real application of ``create_app(engine)`` runs with its lifespan and
workers; WhatsApp, Instagram, Telegram, the website's callback, Bitrix24 and
the LLM are the harness's mocked providers. Each inbound webhook is built as
its provider sends it and signed as the channel's plugin verifies it.
"""

from __future__ import annotations

import phonenumbers
import pytest

from leadwire.plugins import PluginHost, load_plugins
from leadwire_harness.configuration import ReplaySetup, builtin_config
from leadwire_harness.dialogue import LlmAnswer, Persona
from leadwire_harness.privacy import Tracer
from serve_e2e_support import CLIENTS, Served, served

CHANNELS = sorted(CLIENTS)

#: The client: invented, and checked to stay away from the LLM.
NAME = "Тестова Зинаида"
PROFILE_NAME = "Зинаида Тест"
PHONE = "+7 999 000-11-22"
REQUEST = "Хочу на маникюр в субботу."

#: What the mocked LLM answers the booking with.
ANSWER = LlmAnswer(
    reply="Записали вас на маникюр в субботу, ждём!",
    service="Маникюр",
    desired_time="суббота",
)


def e164(phone: str) -> str:
    """*phone* as E.164, the form the CRM must hold."""
    parsed = phonenumbers.parse(phone, "RU")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@pytest.fixture(scope="module")
def host() -> PluginHost:
    """The built-in plugins, loaded through their entry points."""
    return load_plugins()


@pytest.fixture(scope="module")
def setup(host: PluginHost) -> ReplaySetup:
    """The built-in replay configuration: four channels, Bitrix24, GPT."""
    return builtin_config(host.registry)


def consent_button(run: Served, channel: str, identity: str) -> tuple[str, str, str]:
    """The agree button of the consent request sent to *identity*, and its message."""
    agree = run.engine.config.consent.agree
    mock = run.mock(channel)
    (request,) = [sent for sent in mock.sent if sent.conversation == identity]
    (payload,) = [payload for payload, title in request.buttons if title == agree]
    message_id = request.message_id
    if channel == "website":  # the site knows our message by the id we posted
        (posted,) = [call.body for call in mock.calls if call.operation == "send"]
        message_id = posted["message_id"]
    return payload, agree, message_id


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_signed_booking_gets_a_reply_and_one_lead(
    channel, setup, host, tmp_path
):
    """A signed booking: consent asked, reply on its own channel, one E.164 lead."""
    async with served(setup, host, tmp_path) as run:
        client = run.client(channel, PROFILE_NAME)

        first = await run.deliver(channel, client, client.text("Здравствуйте!"))
        await run.settle()
        payload, title, prompt_id = consent_button(run, channel, client.identity)

        agreed = await run.deliver(
            channel, client, client.press(payload, title, prompt_id)
        )
        await run.settle()

        run.providers.llm.script(-1, [ANSWER])
        booking = client.booking(REQUEST, NAME, PHONE)
        booked = await run.deliver(channel, client, booking)
        await run.settle()

    assert [first.status_code, agreed.status_code, booked.status_code] == [200] * 3
    sent = run.mock(channel).sent
    assert {message.conversation for message in sent} == {client.identity}
    assert sent[-1].text == ANSWER.reply
    others = [name for name in CHANNELS if name != channel]
    assert [run.mock(name).calls for name in others] == [[], [], []]

    (lead,) = run.providers.portal.lead_list()
    assert lead["NAME"] == NAME
    assert [phone["VALUE"] for phone in lead["PHONE"]] == [e164(PHONE)]

    requests = run.providers.llm.raw_requests
    assert len(requests) == 1
    tracer = Tracer(Persona(name=NAME, phone=PHONE, profile_name=PROFILE_NAME))
    assert tracer.find(requests[0], "the LLM request") == []


@pytest.mark.parametrize("channel", CHANNELS)
async def test_a_forged_delivery_is_refused_and_stores_nothing(
    channel, setup, host, tmp_path
):
    """A forged delivery gets 401/403; no event stored, sent, asked or filed."""
    async with served(setup, host, tmp_path) as run:
        client = run.client(channel, PROFILE_NAME)
        genuine = await run.deliver(channel, client, client.text("Здравствуйте!"))
        await run.settle()
        stored = await run.stored()
        sent = list(run.mock(channel).sent)

        answers = {}
        forgeries = client.forgeries(f"{REQUEST} Меня зовут {NAME}, телефон {PHONE}")
        for flaw, request, _ in forgeries:
            answer = await run.deliver(channel, client, request)
            answers[flaw] = answer.status_code
        await run.settle()

        assert await run.stored() == stored

    assert genuine.status_code == 200
    assert stored == {"inbox": 1, "quarantine": 0}
    wanted = {flaw: status for flaw, _, status in forgeries}
    assert answers == wanted
    assert run.mock(channel).sent == sent
    assert run.providers.llm.calls == []
    assert run.providers.portal.lead_list() == []
