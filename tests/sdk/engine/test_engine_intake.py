"""Intake: handshakes, signatures, durable insert, dedupe, bad input."""

from __future__ import annotations

import asyncio

import pytest
from engine_fakes import delivery, message, sign
from engine_state import rows

from leadwire import WebhookRequest
from leadwire.engine import schema


async def test_handshake_is_answered_by_the_channel(make_engine):
    """A verification GET gets the channel's own answer and stores nothing."""
    engine = await make_engine()

    answer = await engine.receive(
        "chat", WebhookRequest("GET", query={"challenge": "abc123"})
    )

    assert (answer.status, answer.body) == (200, b"abc123")
    assert await rows(engine, schema.inbox) == []


async def test_signed_delivery_is_stored_before_processing(make_engine, world):
    """A signed message is answered 200 once stored; processing waits."""
    engine = await make_engine()

    answer = await engine.receive("chat", delivery(message("m1", "Здравствуйте")))

    assert answer.status == 200
    stored = await rows(engine, schema.inbox)
    assert [(row.event_id, row.state) for row in stored] == [("m1", "pending")]
    assert world.prompts == []


@pytest.mark.parametrize(("forged", "status"), [(True, 403), (False, 401)])
async def test_unsigned_or_forged_delivery_is_refused(make_engine, forged, status):
    """A wrong signature is 403, a missing one 401, and nothing is stored."""
    engine = await make_engine()
    request = delivery(message("m1", "Здравствуйте"), forged=forged)
    if not forged:
        request = WebhookRequest("POST", body=request.body)

    answer = await engine.receive("chat", request)

    assert answer.status == status
    assert await rows(engine, schema.inbox) == []


async def test_unconfigured_channel_is_404(make_engine):
    """An event for a channel that is not configured is answered 404."""
    engine = await make_engine()

    answer = await engine.receive("telegraph", delivery(message("m1", "Привет")))

    assert answer.status == 404


async def test_malformed_body_is_quarantined_sealed(make_engine):
    """Invalid JSON is answered 400 and kept encrypted in quarantine."""
    engine = await make_engine()
    body = b'{"events": [ Ulyana +79990000001'

    answer = await engine.receive(
        "chat",
        WebhookRequest("POST", headers={"x-fake-signature": sign(body)}, body=body),
    )

    assert answer.status == 400
    kept = await rows(engine, schema.quarantine)
    assert [(row.channel, row.size, row.reason) for row in kept] == [
        ("chat", len(body), "malformed body")
    ]
    assert b"79990000001" not in kept[0].body_sealed
    assert await rows(engine, schema.inbox) == []


async def test_deeply_nested_body_is_malformed_not_a_parser_bug(make_engine):
    """JSON nested past the parser's depth is answered 400 and quarantined."""
    engine = await make_engine()
    body = b"[" * 100_000 + b"]" * 100_000

    answer = await engine.receive(
        "chat",
        WebhookRequest("POST", headers={"x-fake-signature": sign(body)}, body=body),
    )

    assert answer.status == 400
    (kept,) = await rows(engine, schema.quarantine)
    assert (kept.size, kept.reason) == (len(body), "malformed body: nested too deep")
    assert await rows(engine, schema.inbox) == []


async def test_unknown_event_kind_is_quarantined_not_lost(make_engine):
    """A kind the channel cannot parse is kept for review, answered 400."""
    engine = await make_engine()

    answer = await engine.receive(
        "chat", delivery({"id": "e1", "kind": "telepathy", "conversation": "c"})
    )

    assert answer.status == 400
    assert len(await rows(engine, schema.quarantine)) == 1


async def test_unsupported_event_is_recorded_not_answered(make_engine, world):
    """An UNSUPPORTED event is kept in the inbox and gets no reply."""
    engine = await make_engine()
    event = {"id": "u1", "kind": "unsupported", "conversation": "chat-1"}

    await engine.receive("chat", delivery(event))
    await engine.run_until_idle()

    stored = await rows(engine, schema.inbox)
    assert [(row.kind, row.state) for row in stored] == [("unsupported", "done")]
    assert world.sent == world.prompts == []


async def consent_given(engine) -> None:
    await engine.receive("chat", delivery(message("c1", "Привет")))
    await engine.receive("chat", delivery(message("c2", "Согласен")))
    await engine.run_until_idle()


async def test_duplicate_delivery_in_sequence_has_one_effect(make_engine, world):
    """The same delivery three times: one LLM call, one reply, one lead."""
    engine = await make_engine()
    await consent_given(engine)
    replies_before = len(world.sent)
    request = delivery(message("m1", "Хочу на маникюр"))

    answers = [await engine.receive("chat", request) for _ in range(3)]
    await engine.run_until_idle()
    await engine.receive("chat", request)
    await engine.run_until_idle()

    assert [answer.status for answer in answers] == [200, 200, 200]
    assert len(world.llm_requests) == 1
    assert len(world.sent) == replies_before + 1
    assert len(await rows(engine, schema.local_leads)) == 1


async def test_duplicate_delivery_concurrently_has_one_effect(make_engine, world):
    """Concurrent duplicates are all acknowledged; one LLM call, reply, lead."""
    engine = await make_engine()
    await consent_given(engine)
    replies_before = len(world.sent)
    request = delivery(message("m1", "Хочу на маникюр"))

    answers = await asyncio.gather(*(engine.receive("chat", request) for _ in range(5)))
    await engine.run_until_idle()

    assert {answer.status for answer in answers} == {200}
    assert len(await rows(engine, schema.inbox, schema.inbox.c.event_id == "m1")) == 1
    assert len(world.llm_requests) == 1
    assert len(world.sent) == replies_before + 1
    assert len(await rows(engine, schema.local_leads)) == 1


async def test_several_events_in_one_delivery_are_each_stored(make_engine):
    """A batch with a new and a known event stores only the new one."""
    engine = await make_engine()
    await engine.receive("chat", delivery(message("m1", "Привет")))

    await engine.receive(
        "chat", delivery(message("m1", "Привет"), message("m2", "Ещё"))
    )

    assert [row.event_id for row in await rows(engine, schema.inbox)] == ["m1", "m2"]


async def test_empty_message_gets_no_llm_call(make_engine, world):
    """An empty text from a consenting client is recorded, nothing is asked."""
    engine = await make_engine()
    await consent_given(engine)

    await engine.receive("chat", delivery(message("m1", "")))
    await engine.run_until_idle()

    assert world.llm_requests == []
    done = await rows(engine, schema.inbox, schema.inbox.c.event_id == "m1")
    assert done[0].state == "done"


async def test_huge_message_gets_the_fallback_and_a_human(make_engine, world):
    """A 50 000-character text is not sent on: fallback, human flagged."""
    engine = await make_engine()
    await consent_given(engine)

    await engine.receive("chat", delivery(message("m1", "а" * 50_000)))
    await engine.run_until_idle()

    assert world.llm_requests == []
    assert world.sent[-1].text == engine.config.assistant.fallback
    conversation = (await rows(engine, schema.conversations))[0]
    assert conversation.needs_human


async def test_parser_bug_is_accepted_and_quarantined(make_engine):
    """A parser's unexpected error is kept for review and answered 200."""
    engine = await make_engine()

    answer = await engine.receive(
        "chat", delivery({"id": "e1", "conversation": "c", "explode": True})
    )

    assert answer.status == 200
    (kept,) = await rows(engine, schema.quarantine)
    assert kept.reason == "parser RuntimeError"


async def test_unsupported_media_gets_the_fallback_and_a_human(make_engine, world):
    """A sticker from a consenting client: recorded, fallback, human flagged."""
    engine = await make_engine()
    await consent_given(engine)
    sticker = {**message("m1", None), "kind": "media", "media": {"type": "sticker"}}

    await engine.receive("chat", delivery(sticker))
    await engine.run_until_idle()

    assert world.llm_requests == []
    assert world.sent[-1].text == engine.config.assistant.fallback
    (conversation,) = await rows(engine, schema.conversations)
    assert conversation.needs_human_reason == "media"


async def test_media_caption_is_answered_like_a_message(make_engine, world):
    """A photo with a caption: the caption goes to the assistant."""
    engine = await make_engine()
    await consent_given(engine)
    photo = {
        **message("m1", None),
        "kind": "media",
        "media": {"type": "image", "caption": "Такой маникюр можно?"},
    }

    await engine.receive("chat", delivery(photo))
    await engine.run_until_idle()

    assert world.llm_requests[-1].messages[-1].content == "Такой маникюр можно?"
