"""The assistant turn: pseudonyms out, real values back, fallback on failure."""

from __future__ import annotations

import pytest
from engine_fakes import NAMES, delivery, every_text, message, system_text
from engine_state import rows

from leadwire import (
    Completion,
    CredentialsError,
    LeadFields,
    OutsideWindowError,
    TemporaryError,
    UnusableAnswerError,
    Usage,
)
from leadwire.engine import schema
from leadwire.engine.turn import Turn

PHONE = "8 (999) 000-00-03"
PHONE_E164 = "+79990000003"


async def consenting(make_engine, **options):
    engine = await make_engine(**options)
    await engine.receive("chat", delivery(message("c1", "Согласен", phone=None)))
    await engine.run_until_idle()
    return engine


async def say(engine, event_id, text, **options):
    await engine.receive("chat", delivery(message(event_id, text, **options)))
    await engine.run_until_idle()


async def test_llm_never_receives_a_detected_value(make_engine, world):
    """Names, phones and e-mails reach the LLM only as placeholders."""
    engine = await consenting(make_engine)

    await say(engine, "m1", f"Я {NAMES[0]}, мой номер {PHONE}", phone=None)
    await say(engine, "m2", "Пишите на ulyana.test@example.com, я Тестослав")

    sent = "\n".join(every_text(request) for request in world.llm_requests)
    for value in (NAMES[0], "Тестослав", "000-00-03", "79990000003", "example.com"):
        assert value not in sent
    assert "[PERSON_1]" in sent
    assert "[PHONE_1]" in sent
    assert "[EMAIL_1]" in sent
    assert "[PERSON_2]" in sent  # the second name, its own placeholder


async def test_reply_is_restored_before_it_is_sent(make_engine, world):
    """The client reads their own values where the LLM wrote placeholders."""
    engine = await consenting(make_engine)

    await say(engine, "m1", f"Я {NAMES[0]}, мой номер {PHONE}", phone=None)

    assert world.sent[-1].text == f"Записали вас, {NAMES[0]} {PHONE}."


async def test_system_prompt_describes_the_business(make_engine, world):
    """The system prompt lists services as "- name: price, duration"."""
    engine = await consenting(make_engine)

    await say(engine, "m1", "Сколько стоит маникюр?")

    prompt = system_text(world.llm_requests[0])
    assert "Салон «Проба»" in prompt
    assert "Услуги:\n- Маникюр: 1500 ₽, 1 ч" in prompt
    assert "10:00-21:00" in prompt
    assert "ул. Образцовая, 1" in prompt
    assert engine.client_id("chat", "chat-1").value in prompt


async def test_history_goes_with_the_next_question(make_engine, world):
    """The LLM sees the earlier pseudonymised turns of the conversation."""
    engine = await consenting(make_engine)

    await say(engine, "m1", f"Я {NAMES[0]}")
    await say(engine, "m2", "А на завтра можно?")

    roles = [m.role for m in world.llm_requests[1].messages]
    assert roles == ["system", "user", "assistant", "user"]
    assert world.llm_requests[1].messages[1].content == "Я [PERSON_1]"


@pytest.mark.parametrize(
    "failure",
    [UnusableAnswerError("nothing"), CredentialsError("bad key"), RuntimeError("x")],
)
async def test_llm_failure_sends_fallback_and_flags_a_human(
    make_engine, world, failure
):
    """Whatever breaks the LLM, the client gets the fallback, a human is flagged."""
    engine = await consenting(make_engine)
    world.llm_failures.append(failure)

    await say(engine, "m1", "Хочу на маникюр")

    assert world.sent[-1].text == engine.config.assistant.fallback
    (conversation,) = await rows(engine, schema.conversations)
    assert conversation.needs_human
    actions = [row.action for row in await rows(engine, schema.audit_log)]
    assert "human.flagged" in actions


@pytest.mark.parametrize("answer", ["", "   ", "Ваш номер [PHONE_7].", "[PHONE 1]"])
async def test_unusable_or_invented_answer_never_reaches_the_client(
    make_engine, world, answer
):
    """Empty texts and unknown or mangled placeholders become the fallback."""
    engine = await consenting(make_engine)
    world.llm_answer = lambda request: Completion(answer, None, Usage("fake"))

    await say(engine, "m1", f"Мой номер {PHONE}")

    assert world.sent[-1].text == engine.config.assistant.fallback
    assert "[" not in world.sent[-1].text


async def test_retry_waits_for_the_providers_hint(make_engine, world, clock):
    """A TemporaryError's retry_after is honoured before the next attempt."""
    engine = await consenting(make_engine)
    world.llm_failures.append(TemporaryError("busy", retry_after=8))

    await say(engine, "m1", "Хочу на маникюр")
    clock.advance(5)
    await engine.run_until_idle()
    assert len(world.llm_requests) == 1

    clock.advance(5)
    await engine.run_until_idle()
    assert len(world.llm_requests) == 2
    assert world.sent[-1].text.startswith("Записали вас")


async def test_retries_past_the_reply_budget_give_the_fallback(
    make_engine, world, clock
):
    """A retry hint beyond the reply budget is not waited for: fallback now."""
    engine = await consenting(make_engine)
    world.llm_failures.append(TemporaryError("busy", retry_after=600))

    await say(engine, "m1", "Хочу на маникюр")

    assert len(world.llm_requests) == 1
    assert world.sent[-1].text == engine.config.assistant.fallback


async def test_later_messages_wait_for_the_earlier_one(make_engine, world, clock):
    """A conversation's messages are answered in order, one at a time."""
    engine = await consenting(make_engine)
    world.llm_failures.append(TemporaryError("busy", retry_after=3))

    await say(engine, "m1", "Первый вопрос")
    await say(engine, "m2", "Второй вопрос")
    assert len(world.llm_requests) == 1

    clock.advance(3)
    await engine.run_until_idle()
    asked = [r.messages[-1].content for r in world.llm_requests]
    assert asked == ["Первый вопрос", "Первый вопрос", "Второй вопрос"]


async def test_credentials_error_on_send_alerts_the_operator(make_engine, world):
    """A channel rejecting our token: no retry, operator alerted, human flagged."""
    engine = await consenting(make_engine)
    world.send_failures.append(CredentialsError("token expired"))

    await say(engine, "m1", "Хочу на маникюр")
    await say(engine, "m2", "Алло?")

    outbox = {
        r.key.split(":", 1)[1] + r.key[0]: r for r in await rows(engine, schema.outbox)
    }
    failed = [r for r in outbox.values() if r.state == "failed"]
    assert [(r.kind, r.error, r.attempts) for r in failed] == [
        ("send", "credentials", 0)
    ]
    actions = [row.action for row in await rows(engine, schema.audit_log)]
    assert "operator.alerted" in actions
    assert world.sent[-1].text.startswith("Записали вас")  # m2 went out


async def test_reply_retried_five_times_then_given_up_names_channel_and_cause(
    make_engine, world, clock, engine_logs
):
    """A reply failing for now is tried 5 times over 30 s, then a human is flagged."""
    engine = await consenting(make_engine)
    unreachable = "could not reach https://token@callback.example"
    world.send_failures.extend(TemporaryError(unreachable) for _ in range(5))

    await say(engine, "m1", "Хочу на маникюр")
    waited = 0
    for delay in (2, 4, 8, 16):
        (conversation,) = await rows(engine, schema.conversations)
        assert not conversation.needs_human, delay
        clock.advance(delay)
        waited += delay
        await engine.run_until_idle()

    (conversation,) = await rows(engine, schema.conversations)
    assert (waited, conversation.needs_human_reason) == (30, "channel: exhausted")
    given_up = [
        r.getMessage() for r in engine_logs.records if "for good" in r.getMessage()
    ]
    assert len(given_up) == 1
    assert given_up[0].endswith(
        "(channel chat) failed for good: exhausted (TemporaryError)"
    )
    logged = "\n".join(record.getMessage() for record in engine_logs.records)
    assert "callback.example" not in logged


async def test_outside_window_flags_a_human_without_retry(make_engine, world):
    """OutsideWindowError is not retried; the conversation needs a human."""
    engine = await consenting(make_engine)
    world.send_failures.append(OutsideWindowError("24 h passed"))

    await say(engine, "m1", "Хочу на маникюр")

    (conversation,) = await rows(engine, schema.conversations)
    assert conversation.needs_human
    assert conversation.needs_human_reason == "channel: outside_window"


async def test_lead_is_created_once_then_updated(make_engine, world):
    """One lead per client: the first message creates it, the next updates it."""
    engine = await consenting(make_engine)

    await say(engine, "m1", f"Я {NAMES[0]}, хочу на маникюр, {PHONE}", phone=None)
    world.llm_answer = lambda request: Completion(
        "Хорошо.", LeadFields(service="Стрижка"), Usage("fake")
    )
    await say(engine, "m2", "Лучше на стрижку, +7-999-000-00-03", phone=None)

    (lead,) = await rows(engine, schema.local_leads)
    assert (lead.name, lead.phone, lead.service) == (NAMES[0], PHONE_E164, "Стрижка")
    actions = [row.action for row in await rows(engine, schema.audit_log)]
    assert actions.count("lead.created") == 1
    assert actions.count("lead.updated") == 1


async def test_lead_takes_the_phone_the_channel_vouches_for(make_engine, world):
    """A sender's phone from the channel (no "+") becomes E.164 in the lead."""
    engine = await consenting(make_engine)

    await say(engine, "m1", "Хочу на маникюр", phone="79990000004")

    (lead,) = await rows(engine, schema.local_leads)
    assert lead.phone == "+79990000004"


async def test_no_lead_without_a_way_to_reach_the_client(make_engine, world):
    """Without a phone or e-mail the lead waits; nothing half-empty is filed."""
    engine = await consenting(make_engine)

    await say(engine, "m1", "Хочу на маникюр", phone=None)

    assert await rows(engine, schema.local_leads) == []


async def test_lead_fields_with_mangled_placeholders_are_left_out(make_engine, world):
    """The LLM's fields are restored; one it mangled is dropped, not guessed."""
    engine = await consenting(make_engine)
    world.llm_answer = lambda request: Completion(
        "Хорошо.",
        LeadFields(service="Маникюр", comment="перезвонить [PHONE_9]"),
        Usage("fake"),
    )

    await say(engine, "m1", "Хочу на маникюр", phone="+79990000004")

    (lead,) = await rows(engine, schema.local_leads)
    assert (lead.service, lead.comment) == ("Маникюр", None)


async def test_crm_refusing_credentials_alerts_the_operator(
    make_engine, world, monkeypatch
):
    """A CRM rejecting our key: the reply still goes, the operator is alerted."""
    engine = await consenting(make_engine)

    async def refuse(lead, *, idempotency_key):
        raise CredentialsError("the webhook was revoked", connector="crm")

    monkeypatch.setattr(engine.connectors.crm, "upsert_lead", refuse)

    await say(engine, "m1", "Хочу на маникюр", phone="+79990000004")

    assert world.sent[-1].text.startswith("Записали вас")
    (conversation,) = await rows(engine, schema.conversations)
    assert conversation.needs_human_reason == "crm: credentials"
    alerts = [
        r
        for r in await rows(engine, schema.audit_log)
        if r.action == "operator.alerted"
    ]
    assert [(r.outcome, r.details) for r in alerts] == [
        ("failed", '{"connector": "crm", "failure": "credentials"}')
    ]


async def test_an_event_that_breaks_processing_is_kept_and_flagged(
    make_engine, world, monkeypatch
):
    """A bug while processing: the event is kept sealed as failed, a human is
    flagged, and the conversation goes on with the next message."""
    engine = await consenting(make_engine)
    original = Turn.ensure_conversation
    calls = []

    async def broken(turn):
        calls.append(turn.inbox_id)
        if len(calls) == 1:
            raise KeyError("a bug")
        await original(turn)

    monkeypatch.setattr(Turn, "ensure_conversation", broken)

    await say(engine, "m1", "Хочу на маникюр")
    await say(engine, "m2", "Алло?")

    inbox = {r.event_id: r for r in await rows(engine, schema.inbox)}
    assert (inbox["m1"].state, inbox["m1"].outcome) == ("failed", "error")
    assert inbox["m1"].event_sealed is not None  # kept for an operator
    assert inbox["m2"].state == "done"
    assert world.sent[-1].text.startswith("Записали вас")
    (conversation,) = await rows(engine, schema.conversations)
    assert conversation.needs_human_reason == "error"
