"""``leadwire serve`` executes due erasures and retention on its own."""

from __future__ import annotations

import asyncio

from compliance_persons import ANNA, every_value
from engine_fakes import delivery, message
from engine_state import rows

import leadwire.compliance.retention
from leadwire.engine import Engine, create_app, schema


async def test_serve_lifespan_erases_a_chat_deletion_request(
    make_config, host, clock, monkeypatch
):
    """Started by the app, the periodic purge erases a deletion request unasked."""
    monkeypatch.setattr(leadwire.compliance.retention, "PURGE_SECONDS", 0)
    engine = Engine(make_config(), host, clock=clock)
    app = create_app(engine)

    async with app.router.lifespan_context(app):
        chat = ANNA["conversation"]
        text = f"Я {ANNA['name']}, {ANNA['phone']}"
        for event_id, words in [("a1", "Согласен"), ("a2", text)]:
            await engine.receive(
                "chat", delivery(message(event_id, words, conversation=chat))
            )
            await engine.wait_idle()
        assert ANNA["name"] in await every_value(engine)
        await engine.receive(
            "chat", delivery(message("a3", "удалите мои данные", conversation=chat))
        )
        await engine.wait_idle()
        for _ in range(500):  # rounds follow each other without a real wait
            if await rows(engine, schema.destruction_records):
                break
            await asyncio.sleep(0)
        (record,) = await rows(engine, schema.destruction_records)
        left = await every_value(engine)

    assert record.state == "done"
    assert record.operator == "system"
    assert ANNA["name"] not in left
