"""The consent gate: asked first, decided by buttons and words, withdrawn at once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from engine_fakes import NAMES, delivery, message
from engine_state import rows

from leadwire import (
    ClientId,
    ConsentPurpose,
    EventKind,
    InboundEvent,
    Sender,
    TemporaryError,
)
from leadwire.engine import schema
from leadwire.engine.consent import AGREE_PAYLOAD, REFUSE_PAYLOAD, Answer, classify

PHONE = "+7 999 000-00-07"


async def everything_stored(engine) -> str:
    """Every text and number of every table, to search for leaked values."""
    dump = []
    for table in schema.metadata.sorted_tables:
        for row in await rows(engine, table):
            dump.append(repr(tuple(row)))
    return "\n".join(dump)


async def test_nothing_personal_leaves_before_consent(make_engine, world):
    """Before consent: a prompt, no LLM call, no lead, and texts kept redacted."""
    engine = await make_engine()
    text = f"Я {NAMES[0]}, телефон {PHONE}, запишите"

    await engine.receive("chat", delivery(message("m1", text, phone=None)))
    await engine.run_until_idle()

    assert len(world.prompts) == 1
    conversation, prompt = world.prompts[0]
    assert (conversation, prompt.version) == ("chat-1", "7")
    assert (prompt.agree[0], prompt.refuse[0]) == (AGREE_PAYLOAD, REFUSE_PAYLOAD)
    assert world.llm_requests == []
    assert world.sent == []
    assert await rows(engine, schema.local_leads) == []
    stored = await everything_stored(engine)
    assert NAMES[0] not in stored
    assert "000-00-07" not in stored
    assert "79990000007" not in stored
    (kept,) = await rows(engine, schema.inbox)
    assert kept.redacted == "Я [PERSON], телефон [PHONE], запишите"
    assert kept.event_sealed is None


async def test_second_message_before_consent_is_asked_again(make_engine, world):
    """A client who ignores the prompt is asked again, still nothing sent on."""
    engine = await make_engine()

    await engine.receive("chat", delivery(message("m1", "Привет")))
    await engine.receive("chat", delivery(message("m2", "Сколько стоит маникюр?")))
    await engine.run_until_idle()

    assert len(world.prompts) == 2
    assert world.llm_requests == []


@pytest.mark.parametrize(
    "answer",
    [
        {"kind": "button", "payload": AGREE_PAYLOAD, "text": "Согласен"},
        {"text": "согласен"},
        {"text": "Да, согласна!"},
        {"text": "agree"},
    ],
)
async def test_agreement_is_recorded_with_its_evidence(make_engine, world, answer):
    """A button or a word of agreement is recorded with version, channel, id."""
    engine = await make_engine()
    await engine.receive("chat", delivery(message("m1", "Привет")))
    await engine.receive("chat", delivery({**message("m2", None), **answer}))
    await engine.run_until_idle()

    records = await engine.connectors.consent_store.history(client_of(engine))
    assert [(r.decision, r.purpose, r.template_version) for r in records] == [
        ("granted", ConsentPurpose.BOOKING, "7")
    ]
    assert (records[0].channel, records[0].message_id) == ("chat", "m2")
    assert "согласие получено" in world.sent[-1].text
    actions = [row.action for row in await rows(engine, schema.audit_log)]
    assert "consent.granted" in actions


def client_of(engine) -> ClientId:
    return engine.client_id("chat", "chat-1")


def checkbox(event_id: str, version: str) -> dict:
    """A ticked consent checkbox that showed the wording of *version*."""
    return {
        **message(event_id, f"consent checkbox, version {version}"),
        "kind": "button",
        "payload": f"{AGREE_PAYLOAD}:{version}",
    }


def form_post(version: str) -> list[dict]:
    """A website form: the checkbox, then the contact, then the question."""
    contact = {"name": NAMES[0], "phone": "+79990000001", "email": None}
    return [
        checkbox("f1:consent", version),
        {**message("f1:contact", None), "kind": "contact", "contact": contact},
        message("f1", "Хочу записаться на маникюр"),
    ]


async def test_agreement_to_the_configured_version_is_recorded(make_engine, world):
    """A checkbox naming the configured version is recorded as consent to it."""
    engine = await make_engine()

    await engine.receive("chat", delivery(*form_post("7")))
    await engine.run_until_idle()

    records = await engine.connectors.consent_store.history(client_of(engine))
    assert [(r.decision, r.template_version, r.message_id) for r in records] == [
        ("granted", "7", "f1:consent")
    ]
    assert world.prompts == []
    actions = [row.action for row in await rows(engine, schema.audit_log)]
    assert "consent.granted" in actions


async def test_agreement_to_another_version_is_no_consent(make_engine, world):
    """A checkbox naming a stale version records nothing and is asked again;
    no LLM call and no lead follow."""
    engine = await make_engine()

    await engine.receive("chat", delivery(*form_post("1999")))
    await engine.run_until_idle()

    assert await engine.connectors.consent_store.history(client_of(engine)) == []
    assert await rows(engine, schema.consent_records) == []
    assert world.llm_requests == []
    assert await rows(engine, schema.local_leads) == []
    assert world.prompts[0][1].version == "7"
    audit = await rows(engine, schema.audit_log)
    assert "consent.granted" not in [row.action for row in audit]
    requests = [json.loads(r.details) for r in audit if r.action == "consent.requested"]
    assert requests[0] == {
        "purpose": "booking",
        "version": "7",
        "agreed_version": "1999",
    }
    assert all("agreed_version" not in details for details in requests[1:])


async def test_stale_agreement_after_consent_changes_nothing(make_engine, world):
    """Once consent to the current version is given, a stale checkbox is an
    ordinary turn: nothing recorded, nothing asked."""
    engine = await make_engine()
    await engine.receive("chat", delivery(message("m1", "Согласен")))
    await engine.receive("chat", delivery(checkbox("m2", "1999")))
    await engine.run_until_idle()

    records = await engine.connectors.consent_store.history(client_of(engine))
    assert [(r.decision, r.template_version) for r in records] == [("granted", "7")]
    assert world.prompts == []


@pytest.mark.parametrize(
    ("payload", "version", "answer"),
    [
        (AGREE_PAYLOAD, "7", Answer.AGREE),
        (f"{AGREE_PAYLOAD}:7", "7", Answer.AGREE),
        (f"{AGREE_PAYLOAD}:1999", "7", Answer.STALE),
        (f"{AGREE_PAYLOAD}:", "7", Answer.STALE),
        (f"{AGREE_PAYLOAD}:1999", None, Answer.AGREE),
        (REFUSE_PAYLOAD, "7", Answer.REFUSE),
    ],
)
def test_classify_compares_the_agreed_version(payload, version, answer):
    """An agreement naming another version than the configured one is STALE;
    leadwire's own agree button needs none."""
    event = InboundEvent(
        channel="chat",
        event_id="m1",
        kind=EventKind.BUTTON,
        conversation="chat-1",
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        sender=Sender("chat-1"),
        payload=payload,
    )

    assert classify(event, version) is answer


@pytest.mark.parametrize("answer", ["Не согласен", "нет"])
async def test_refusal_is_recorded_and_nothing_goes_on(make_engine, world, answer):
    """A refusal is recorded; the LLM and the CRM stay untouched."""
    engine = await make_engine()
    await engine.receive("chat", delivery(message("m1", "Привет")))
    await engine.receive("chat", delivery(message("m2", answer)))
    await engine.run_until_idle()

    records = await engine.connectors.consent_store.history(client_of(engine))
    assert [r.decision for r in records] == ["refused"]
    assert world.llm_requests == []
    assert await rows(engine, schema.local_leads) == []


async def test_no_after_consent_is_an_answer_not_a_refusal(make_engine, world):
    """Once consent is given, a plain "нет" goes to the assistant."""
    engine = await make_engine()
    await engine.receive("chat", delivery(message("m1", "Согласен")))
    await engine.receive("chat", delivery(message("m2", "нет")))
    await engine.run_until_idle()

    records = await engine.connectors.consent_store.history(client_of(engine))
    assert [r.decision for r in records] == ["granted"]
    assert len(world.llm_requests) == 1


@pytest.mark.parametrize(
    "words", ["Отзываю согласие", "СТОП", "удалите мои данные", "stop"]
)
async def test_withdrawal_stops_everything_at_once(make_engine, world, clock, words):
    """A withdrawal overtakes a waiting retry, cancels it, schedules erasure."""
    engine = await make_engine()
    await engine.receive("chat", delivery(message("m1", "Согласен")))
    await engine.run_until_idle()
    world.llm_failures.append(TemporaryError("busy", retry_after=10))
    await engine.receive("chat", delivery(message("m2", "Хочу на маникюр")))
    await engine.run_until_idle()
    assert len(world.llm_requests) == 1  # the first attempt, now waiting

    await engine.receive("chat", delivery(message("m3", words)))
    await engine.run_until_idle()
    clock.advance(60)
    await engine.run_until_idle()

    assert len(world.llm_requests) == 1  # the retry never happened
    assert await rows(engine, schema.local_leads) == []
    records = await engine.connectors.consent_store.history(client_of(engine))
    assert [r.decision for r in records] == ["granted", "withdrawn"]
    outbox = {
        row.key.split(":", 1)[1]: row.state for row in await rows(engine, schema.outbox)
    }
    assert outbox["llm"] == "cancelled"
    (erasure,) = await rows(engine, schema.erasures)
    # A request to delete is due at once; a withdrawal within the 30 days.
    due_in = timedelta(0) if "удалите" in words else timedelta(days=30)
    assert erasure.due_at - erasure.requested_at == due_in
    assert "Согласие отозвано" in world.sent[-1].text
    actions = [row.action for row in await rows(engine, schema.audit_log)]
    assert {"consent.withdrawn", "processing.stopped", "erasure.scheduled"} <= set(
        actions
    )
    inbox = {row.event_id: row.outcome for row in await rows(engine, schema.inbox)}
    assert inbox["m2"] == "cancelled"


async def test_after_withdrawal_new_messages_need_consent_again(make_engine, world):
    """A client who withdrew and writes again is asked for consent first."""
    engine = await make_engine()
    for index, text in enumerate(["Согласен", "стоп", "Хочу на стрижку"]):
        await engine.receive("chat", delivery(message(f"m{index}", text)))
    await engine.run_until_idle()

    assert len(world.prompts) == 1
    assert world.llm_requests == []


async def test_answer_before_consent_uses_pseudonyms_and_keeps_nothing(
    make_engine, make_config, world
):
    """With answer_before_consent: prompt, a pseudonymised answer, no lead."""
    config = make_config(assistant={"answer_before_consent": True})
    engine = await make_engine(config=config)
    text = f"Сколько стоит маникюр? Я {NAMES[1]}, {PHONE}"

    await engine.receive("chat", delivery(message("m1", text)))
    await engine.run_until_idle()

    assert len(world.prompts) == 1
    (request,) = world.llm_requests
    assert [m.role for m in request.messages] == ["system", "user"]
    assert NAMES[1] not in request.messages[1].content
    assert "[PHONE_1]" in request.messages[1].content
    assert world.sent[-1].text == f"Записали вас, {NAMES[1]} {PHONE}."
    assert await rows(engine, schema.local_leads) == []
    assert await rows(engine, schema.vault) == []
    assert await rows(engine, schema.turns) == []
    (conversation,) = await rows(engine, schema.conversations)
    assert conversation.contact_sealed is None


async def test_answer_before_consent_is_off_by_default(make_engine, world):
    """By default, before consent, the LLM is not called at all."""
    engine = await make_engine()

    await engine.receive("chat", delivery(message("m1", "Сколько стоит маникюр?")))
    await engine.run_until_idle()

    assert engine.config.assistant.answer_before_consent is False
    assert world.llm_requests == []


async def test_marketing_is_asked_and_recorded_apart(make_engine, make_config, world):
    """With ask_marketing: a second request after booking consent; its answer
    is a purpose of its own, and a withdrawal covers both."""
    config = make_config(consent={"ask_marketing": True})
    engine = await make_engine(config=config)

    await engine.receive("chat", delivery(message("m1", "Согласен")))
    await engine.run_until_idle()
    marketing = world.prompts[-1][1]
    await engine.receive(
        "chat",
        delivery({**message("m2", None), "kind": "button",
                  "payload": marketing.agree[0], "text": marketing.agree[1]}),
    )  # fmt: skip
    await engine.receive("chat", delivery(message("m3", "стоп")))
    await engine.run_until_idle()

    assert marketing.agree[0] == "leadwire:marketing:agree"
    assert "рекламные" in marketing.text
    records = await engine.connectors.consent_store.history(client_of(engine))
    assert [(r.purpose, r.decision) for r in records] == [
        ("booking", "granted"),
        ("marketing", "granted"),
        ("booking", "withdrawn"),
        ("marketing", "withdrawn"),
    ]
    assert world.llm_requests == []
