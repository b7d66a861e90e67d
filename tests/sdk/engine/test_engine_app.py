"""The web application: webhooks under /webhooks/<channel>, and /health."""

from __future__ import annotations

import httpx
from engine_fakes import delivery, message
from engine_state import rows

from leadwire import TemporaryError
from leadwire.engine import create_app, schema


async def client_for(engine) -> httpx.AsyncClient:
    app = create_app(engine, manage=False)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://leadwire.test"
    )


async def test_app_answers_handshake_signed_and_forged(make_engine):
    """Handshake echoed, signed delivery stored (200), forged one refused (403)."""
    engine = await make_engine()
    signed = delivery(message("m1", "Привет"))
    forged = delivery(message("m2", "Привет"), forged=True)

    async with await client_for(engine) as client:
        handshake = await client.get("/webhooks/chat", params={"challenge": "c-42"})
        accepted = await client.post(
            "/webhooks/chat", content=signed.body, headers=dict(signed.headers)
        )
        refused = await client.post(
            "/webhooks/chat", content=forged.body, headers=dict(forged.headers)
        )

    assert (handshake.status_code, handshake.text) == (200, "c-42")
    assert accepted.status_code == 200
    assert refused.status_code == 403
    assert [row.event_id for row in await rows(engine, schema.inbox)] == ["m1"]


async def test_app_subpaths_reach_the_channel(make_engine):
    """A path below the channel's mount point still reaches its handshake."""
    engine = await make_engine()

    async with await client_for(engine) as client:
        answer = await client.get("/webhooks/chat/verify", params={"challenge": "x"})

    assert (answer.status_code, answer.text) == (200, "x")


async def test_app_unknown_channel_and_health(make_engine):
    """An unconfigured channel is 404; /health lists the channels."""
    engine = await make_engine()

    async with await client_for(engine) as client:
        missing = await client.post("/webhooks/nowhere", content=b"{}")
        health = await client.get("/health")

    assert missing.status_code == 404
    assert health.json() == {"status": "ok", "channels": ["chat"]}


async def test_app_refuses_an_oversized_body(make_engine):
    """A body over the limit is refused with 413 before it is read whole."""
    engine = await make_engine()

    async with await client_for(engine) as client:
        answer = await client.post("/webhooks/chat", content=b"x" * (1024 * 1024 + 1))

    assert answer.status_code == 413


async def test_app_with_workers_processes_after_the_answer(make_engine, world):
    """With workers on, a delivery is answered, then processed in the background."""
    engine = await make_engine()
    engine.start_workers()
    signed = delivery(message("m1", "Привет"))

    async with await client_for(engine) as client:
        answer = await client.post(
            "/webhooks/chat", content=signed.body, headers=dict(signed.headers)
        )
        await engine.wait_idle()

    assert answer.status_code == 200
    assert len(world.prompts) == 1


async def test_workers_keep_order_and_let_a_withdrawal_overtake(
    make_engine, world, clock
):
    """Workers: conversations in parallel; a withdrawal passes a waiting retry."""
    engine = await make_engine()
    engine.start_workers()
    for conversation in ("chat-a", "chat-b"):
        await engine.receive(
            "chat",
            delivery(
                message(f"{conversation}-1", "Согласен", conversation=conversation)
            ),
        )
    await engine.wait_idle()
    world.llm_failures.append(TemporaryError("busy", retry_after=10))

    await engine.receive(
        "chat", delivery(message("a-2", "Хочу на маникюр", conversation="chat-a"))
    )
    await engine.wait_idle()
    await engine.receive(
        "chat", delivery(message("b-2", "Хочу на стрижку", conversation="chat-b"))
    )
    await engine.receive(
        "chat", delivery(message("a-3", "стоп", conversation="chat-a"))
    )
    await engine.wait_idle()
    clock.advance(60)
    await engine.wait_idle()

    asked = [r.messages[-1].content for r in world.llm_requests]
    assert asked == ["Хочу на маникюр", "Хочу на стрижку"]  # no retry for a
    last = {m.conversation: m.text for m in world.sent}
    assert last["chat-b"].startswith("Записали вас")
    assert last["chat-a"].startswith("Согласие отозвано")
    inbox = {r.event_id: r.outcome for r in await rows(engine, schema.inbox)}
    assert inbox["a-2"] == "cancelled"
