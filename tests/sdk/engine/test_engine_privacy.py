"""Personal data stays out of logs and the audit log, whatever happens."""

from __future__ import annotations

from engine_fakes import NAMES, delivery, message, sign
from engine_state import rows

from leadwire import TemporaryError, UnusableAnswerError, WebhookRequest
from leadwire.engine import schema

PHONE = "+7 999 000-00-05"
EMAIL = "probina.test@example.com"
SECRETS = (NAMES[0], NAMES[2], "000-00-05", "79990000005", EMAIL, "маникюр")


async def test_no_personal_data_in_logs_or_audit(
    make_engine, world, clock, engine_logs
):
    """A whole conversation, with failures, leaves no value in logs or audit."""
    engine = await make_engine()
    text = f"Я {NAMES[0]}, {PHONE}, {EMAIL}, хочу на маникюр"
    world.llm_failures += [
        TemporaryError("busy", retry_after=1),
        UnusableAnswerError("x"),
    ]

    await engine.receive("chat", delivery(message("m1", text)))
    await engine.receive("chat", delivery(message("m2", "Согласен")))
    await engine.receive("chat", delivery(message("m3", text)))
    await engine.run_until_idle()
    clock.advance(2)
    await engine.run_until_idle()
    await engine.receive("chat", delivery(message("m4", f"Я {NAMES[2]}, {text}")))
    await engine.receive("chat", delivery(message("m5", "стоп")))
    broken = f'{{"events": [{{"text": "{text}"'.encode()
    await engine.receive(
        "chat",
        WebhookRequest("POST", headers={"x-fake-signature": sign(broken)}, body=broken),
    )
    await engine.run_until_idle()

    assert len(world.llm_requests) == 3
    assert len(await rows(engine, schema.quarantine)) == 1
    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.exc_text or ''}"
        for record in engine_logs.records
    )
    assert "leadwire.engine" in logged  # the engine did log
    audited = "\n".join(
        repr(tuple(row)) for row in await rows(engine, schema.audit_log)
    )
    for value in (*SECRETS, "chat-1"):
        assert value.casefold() not in logged.casefold(), value
        assert value.casefold() not in audited.casefold(), value


async def test_audit_observers_see_every_entry_once(make_engine, world):
    """leadwire_audit_event gets each committed entry, in order, once."""
    engine = await make_engine()

    await engine.receive("chat", delivery(message("m1", "Согласен")))
    await engine.receive("chat", delivery(message("m2", f"Я {NAMES[0]}")))
    await engine.run_until_idle()

    stored = [
        (row.seq, row.action, row.hash) for row in await rows(engine, schema.audit_log)
    ]
    observed = [(event.seq, event.action, event.hash) for event in world.audited]
    assert observed == stored
    assert {"consent.granted", "pii.detected", "lead.created"} <= {
        a for _, a, _ in stored
    }
