"""Running one dialogue through the real engine, with every provider mocked.

:func:`replay` builds a fresh engine on a temporary database, with the fake
clock and the mocked providers, delivers each turn as the provider would, lets
the engine work until it is idle (moving the clock through its retries), and
collects what came of it in an :class:`Observation`. Faults are applied on
the way: failing providers, repeated and reordered deliveries, the process
killed at processing steps and started again on the same database.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import attrs
import sqlalchemy as sa

from leadwire import WebhookRequest, WebhookResponse
from leadwire.engine import Engine
from leadwire.engine.audit import verify
from leadwire.engine.database import Database, async_url
from leadwire.engine.schema import (
    audit_log,
    consent_records,
    inbox,
    local_lead_notes,
    local_leads,
)
from leadwire.plugins import PluginHost
from leadwire_harness.clock import DEFAULT_START, FakeClock
from leadwire_harness.configuration import ReplaySetup, temporary_env
from leadwire_harness.dialogue import CLIENT_TURNS, Dialogue, Turn, TurnKind
from leadwire_harness.faults import CrashPlan, Fault, SimulatedCrash
from leadwire_harness.providers import Call, Providers, SentMessage
from leadwire_harness.webhooks import (
    Delivery,
    DeliveryError,
    channel_identity,
    inbound_for,
)

__all__ = ["LogCapture", "Observation", "replay"]

logger = logging.getLogger("leadwire.harness")

T = TypeVar("T")

#: How far the clock may move, after a turn, to let due retries run.
TURN_HORIZON = timedelta(minutes=20)
#: After the last turn: long enough for every backoff to run out.
FINAL_HORIZON = timedelta(hours=6)
#: Restarts after which a replay gives up: the engine keeps dying.
MAX_RESTARTS = 2000
#: Rounds of processing after one turn before the replay calls it stuck.
MAX_ROUNDS = 200


@attrs.define
class Observation:
    """Everything a replay saw: the basis of every check.

    Values are raw here (they may hold persona values); checks redact what
    they report.
    """

    dialogue: Dialogue
    fault: Fault
    conversation: str = ""
    turn_started: list[datetime] = attrs.field(factory=list)
    sent: list[SentMessage] = attrs.field(factory=list)
    calls: list[Call] = attrs.field(factory=list)
    llm_requests: list[str] = attrs.field(factory=list)
    leads: list[dict[str, Any]] = attrs.field(factory=list)
    comments: list[dict[str, Any]] = attrs.field(factory=list)
    local_leads: list[dict[str, Any]] = attrs.field(factory=list)
    local_notes: list[str] = attrs.field(factory=list)
    crm_mocked: bool = False
    consent: list[dict[str, Any]] = attrs.field(factory=list)
    audit: list[dict[str, Any]] = attrs.field(factory=list)
    audit_problems: list[str] = attrs.field(factory=list)
    logs: list[str] = attrs.field(factory=list)
    webhook_answers: list[tuple[str, int]] = attrs.field(factory=list)
    delivery_errors: list[str] = attrs.field(factory=list)
    unmocked: list[str] = attrs.field(factory=list)
    pending: int = 0
    steps: Counter[str] = attrs.field(factory=Counter)
    restarts: int = 0
    crashed_at: list[str] = attrs.field(factory=list)
    engine_error: str | None = None
    seconds: float = 0.0

    def turn_of(self, moment: datetime) -> int:
        """The index of the turn during which *moment* happened."""
        index = -1
        for number, started in enumerate(self.turn_started):
            if started <= moment:
                index = number
        return index


class LogCapture(logging.Handler):
    """Keeps every record of the ``leadwire`` loggers, formatted, for checks."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = f"{record.name} {record.levelname} {record.getMessage()}"
        except Exception:  # a broken %-format is itself worth seeing
            text = f"{record.name} {record.levelname} {record.msg!r} {record.args!r}"
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        extra = {
            key: value
            for key, value in record.__dict__.items()
            if key not in _RECORD_FIELDS
        }
        if extra:
            text += f" {extra!r}"
        self.lines.append(text)

    def __enter__(self) -> LogCapture:
        root = logging.getLogger("leadwire")
        self._level = root.level
        root.addHandler(self)
        root.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc: object) -> None:
        root = logging.getLogger("leadwire")
        root.removeHandler(self)
        root.setLevel(self._level)


_RECORD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


_template: Path | None = None

#: Replay databases are thrown away: keep them in memory where the system can.
_SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


async def _migrated_database(directory: Path) -> None:
    """Put an empty, fully migrated database into *directory*.

    Migrating takes longer than a whole replay, so it is done once per
    process into a template that each replay copies; the engine's own
    migration then finds the schema current.
    """
    global _template
    if _template is None:
        folder = Path(
            tempfile.mkdtemp(prefix="leadwire-replay-template-", dir=_SCRATCH)
        )
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        database = Database(
            async_url(f"sqlite:///{folder / 'leadwire.db'}", folder), _ignore
        )
        await database.migrate()
        await database.dispose()
        _template = folder / "leadwire.db"
    shutil.copyfile(_template, directory / "leadwire.db")


def _ignore(event: object) -> None:
    """Audit observers of the template database: there are none."""


class _Driver:
    """The engine of one replay, restarted after every simulated crash."""

    def __init__(
        self,
        setup: ReplaySetup,
        host: PluginHost,
        directory: Path,
        clock: FakeClock,
        providers: Providers,
        crash: CrashPlan | None,
        observation: Observation,
    ) -> None:
        self.config = setup.with_database(directory)
        self.host = host
        self.clock = clock
        self.providers = providers
        self.crash = crash
        self.observation = observation
        self.engine: Engine | None = None

    def _on_step(self, name: str) -> None:
        self.observation.steps[name] += 1
        if self.crash is not None:
            self.crash.on_step(name)

    async def start(self) -> None:
        if self.crash is not None:
            self.crash.started()
        self.engine = Engine(
            self.config,
            self.host,
            clock=self.clock,
            http=self.providers.http,
            on_step=self._on_step,
        )
        await self.engine.start()

    async def _restart(self) -> None:
        """Drop the engine as a killed process would, and start a new one."""
        self.observation.restarts += 1
        if self.observation.restarts > MAX_RESTARTS:
            raise RuntimeError("the engine was restarted too often; giving up")
        assert self.engine is not None
        # The process is gone: no close(), no flushing; only the database
        # connections are let go, as the operating system would.
        await self.engine.database.dispose()
        await self.start()

    async def guarded(self, action: Callable[[Engine], Awaitable[T]]) -> T:
        """Run *action*; after a simulated crash, restart and run it again."""
        while True:
            assert self.engine is not None
            try:
                return await action(self.engine)
            except SimulatedCrash as crash:
                self.observation.crashed_at.append(crash.step)
                await self._restart()

    async def receive(self, channel: str, request: WebhookRequest) -> WebhookResponse:
        # A crash while answering leaves the provider without an answer: it
        # delivers the same request again, which ``guarded`` does.
        return await self.guarded(lambda engine: engine.receive(channel, request))

    async def next_due(self) -> datetime | None:
        """When the earliest event waiting for a later moment comes due."""
        assert self.engine is not None
        async with self.engine.database.read() as connection:
            return await connection.scalar(
                sa.select(sa.func.min(inbox.c.due_at)).where(
                    (inbox.c.state == "pending") & (inbox.c.due_at > self.clock.now())
                )
            )

    async def settle(self, horizon: timedelta) -> None:
        """Process until idle, moving the clock to retries due within *horizon*.

        Events behind a waiting one of the same conversation are not due
        themselves; they run once the clock reaches the one they wait for.
        """
        limit = self.clock.now() + horizon
        for _ in range(MAX_ROUNDS):
            await self.guarded(lambda engine: engine.run_until_idle())
            due = await self.next_due()
            if due is None or due > limit:
                return
            self.clock.set(due)
        raise RuntimeError("the engine did not become idle after many rounds")

    async def close(self) -> None:
        if self.engine is not None:
            await self.engine.close()


async def replay(
    dialogue: Dialogue,
    fault: Fault,
    setup: ReplaySetup,
    host: PluginHost,
    *,
    reference: Observation | None = None,
) -> Observation:
    """Replay *dialogue* under *fault*; the reference run gives crash points."""
    observation = Observation(dialogue=dialogue, fault=fault)
    started = time.perf_counter()
    with (
        temporary_env(setup.env),
        LogCapture() as logs,
        tempfile.TemporaryDirectory(
            prefix="leadwire-replay-", dir=_SCRATCH
        ) as directory,
    ):
        try:
            await _run(
                dialogue, fault, setup, host, Path(directory), observation, reference
            )
        except Exception as error:  # the replay reports it; it never crashes the run
            observation.engine_error = f"{type(error).__name__}: {error}"
            logger.debug(
                "replay of %s stopped: %s", dialogue.name, type(error).__name__
            )
        observation.logs = logs.lines
    observation.seconds = time.perf_counter() - started
    return observation


async def _run(
    dialogue: Dialogue,
    fault: Fault,
    setup: ReplaySetup,
    host: PluginHost,
    directory: Path,
    observation: Observation,
    reference: Observation | None,
) -> None:
    clock = FakeClock(dialogue.start or DEFAULT_START)
    providers = Providers(setup.config, clock, crm_auth=dialogue.crm_auth)
    channel = setup.channel_named(dialogue.channel)
    assert channel is not None, "the caller skips dialogues of missing channels"
    mock = providers.channels[channel]
    _arm(providers, fault, channel)
    if providers.portal is not None:
        for lead in dialogue.seed_leads:
            providers.portal.seed_lead(lead.name, lead.phone, lead.title, lead.age)

    crash = None
    if fault.crash is not None:
        counts = dict(reference.steps) if reference is not None else {}
        crash = CrashPlan(fault.crash, counts)
    driver = _Driver(setup, host, directory, clock, providers, crash, observation)
    consent = setup.config.consent
    inbound = inbound_for(
        dialogue,
        mock,
        clock,
        providers.webhook_secrets[channel],
        (consent.agree, consent.refuse),
        consent.version,
    )
    observation.conversation = channel_identity(dialogue)

    try:
        await _migrated_database(directory)
        await driver.start()
        await _play(dialogue, fault, driver, inbound, channel, mock, observation)
        await driver.settle(FINAL_HORIZON)
        await _collect(driver, observation)
    finally:
        observation.sent = list(mock.sent)
        observation.calls = providers.calls()
        observation.unmocked = list(providers.unmocked)
        if providers.llm is not None:
            observation.llm_requests = list(providers.llm.raw_requests)
        observation.crm_mocked = providers.portal is not None
        if providers.portal is not None:
            observation.leads = providers.portal.lead_list()
            observation.comments = list(providers.portal.comments.records.values())
        await driver.close()
        await providers.aclose()


def _arm(providers: Providers, fault: Fault, channel: str) -> None:
    if providers.portal is not None:
        for failure in fault.crm:
            providers.portal.faults.arm(failure)
    if providers.llm is not None:
        for failure in fault.llm:
            providers.llm.faults.arm(failure)
    for failure in fault.channel:
        providers.channels[channel].faults.arm(failure)


async def _play(
    dialogue: Dialogue,
    fault: Fault,
    driver: _Driver,
    inbound: Any,
    channel: str,
    mock: Any,
    observation: Observation,
) -> None:
    """Deliver every turn, applying the fault's delivery tricks."""
    held: list[tuple[Turn, Delivery]] = []  # reordered: sent after the next one
    again: list[tuple[Turn, Delivery]] = []  # late duplicates

    async def deliver(turn: Turn, delivery: Delivery) -> None:
        if delivery.from_client and delivery.written_at is not None:
            mock.client_wrote(observation.conversation, delivery.written_at)
        copies = 2 if fault.duplicate else 1
        answers = await asyncio.gather(
            *(driver.receive(channel, delivery.request) for _ in range(copies))
        )
        for answer in answers:
            observation.webhook_answers.append((turn.label, answer.status))

    for turn in dialogue.turns:
        driver.clock.advance(turn.after)
        observation.turn_started.append(driver.clock.now())
        driver.providers.set_turn(turn.index)
        if driver.providers.llm is not None:
            driver.providers.llm.script(turn.index, turn.llm)
        if turn.kind is TurnKind.WAIT:
            await driver.settle(TURN_HORIZON)
            continue

        try:
            delivery = inbound.build(turn)
        except DeliveryError as error:
            observation.delivery_errors.append(str(error))
            continue

        late, again = again, []
        if fault.reorder and turn.kind not in CLIENT_TURNS:
            held.append((turn, delivery))
        else:
            await deliver(turn, delivery)
            for item in held:
                await deliver(*item)
            held = []
        for late_turn, late_delivery in late:
            await deliver(late_turn, inbound.again(late_delivery))
        if fault.late_duplicate:
            again.append((turn, delivery))
        await driver.settle(TURN_HORIZON)

    for item in held:
        await deliver(*item)
    for late_turn, late_delivery in again:
        await deliver(late_turn, inbound.again(late_delivery))


async def _collect(driver: _Driver, observation: Observation) -> None:
    """Read the engine's records: audit log and its chain, ledger, local CRM."""
    assert driver.engine is not None
    async with driver.engine.database.read() as connection:
        observation.audit_problems = [str(p) for p in await verify(connection)]
        rows = await connection.execute(sa.select(audit_log).order_by(audit_log.c.seq))
        observation.audit = [
            {
                "seq": row.seq,
                "at": row.at,
                "action": row.action,
                "outcome": row.outcome,
                "client_id": row.client_id,
                "details": row.details,
                "text": " ".join(
                    str(value)
                    for value in (row.actor, row.action, row.client_id, row.details)
                ),
            }
            for row in rows
        ]
        rows = await connection.execute(
            sa.select(consent_records).order_by(consent_records.c.id)
        )
        observation.consent = [dict(row._mapping) for row in rows]
        rows = await connection.execute(
            sa.select(local_leads).order_by(local_leads.c.id)
        )
        observation.local_leads = [dict(row._mapping) for row in rows]
        notes = await connection.scalars(
            sa.select(local_lead_notes.c.text)
            .where(local_lead_notes.c.kind == "note")
            .order_by(local_lead_notes.c.id)
        )
        observation.local_notes = [str(text or "") for text in notes]
        observation.pending = (
            await connection.scalar(
                sa.select(sa.func.count()).where(inbox.c.state == "pending")
            )
            or 0
        )
