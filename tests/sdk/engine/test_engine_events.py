"""Statuses, echoes and reactions: recorded, never answered."""

from __future__ import annotations

from engine_fakes import delivery, message
from engine_state import rows

from leadwire.engine import schema


def status(event_id: str, target: str, value: str) -> dict:
    return {
        "id": event_id,
        "kind": "status",
        "conversation": "chat-1",
        "target": target,
        "status": value,
    }


async def test_status_never_moves_backwards(make_engine, world):
    """READ then a late DELIVERED: the message stays READ."""
    engine = await make_engine()
    await engine.receive("chat", delivery(message("m1", "Привет")))
    await engine.run_until_idle()
    (sent,) = await rows(engine, schema.sent_messages)
    assert sent.status == 1  # SENT

    for index, value in enumerate(["read", "delivered", "sent"]):
        await engine.receive("chat", delivery(status(f"s{index}", "out-1", value)))
        await engine.run_until_idle()

    (sent,) = await rows(engine, schema.sent_messages)
    assert sent.status == 3  # READ


async def test_status_for_an_unknown_message_is_kept(make_engine):
    """A status that arrives before our own record of the message is kept."""
    engine = await make_engine()

    await engine.receive("chat", delivery(status("s1", "out-404", "delivered")))
    await engine.run_until_idle()

    assert [
        (r.message_id, r.status) for r in await rows(engine, schema.sent_messages)
    ] == [("out-404", 2)]


async def test_echo_is_never_answered(make_engine, world):
    """A copy of our own message is recorded and gets no reply or prompt."""
    engine = await make_engine()

    await engine.receive(
        "chat", delivery({**message("e1", "Наш ответ"), "kind": "echo"})
    )
    await engine.run_until_idle()

    assert world.sent == []
    assert world.prompts == []
    (row,) = await rows(engine, schema.inbox)
    assert (row.kind, row.outcome) == ("echo", "echo ignored")


async def test_reaction_is_recorded_not_answered(make_engine, world):
    """An emoji on our message is kept with its target, and not answered."""
    engine = await make_engine()

    await engine.receive(
        "chat",
        delivery({**message("r1", None), "kind": "reaction", "payload": "👍",
                  "target": "out-1"}),
    )  # fmt: skip
    await engine.run_until_idle()

    assert world.sent == []
    assert world.prompts == []
    (row,) = await rows(engine, schema.inbox)
    assert (row.kind, row.target_id, row.outcome) == (
        "reaction",
        "out-1",
        "reaction recorded",
    )
