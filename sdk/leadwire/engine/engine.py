"""The engine: intake, workers, and the connectors of one client setup.

    engine = Engine(config, host)
    await engine.start()                  # database, migrations, connectors
    await engine.receive("whatsapp", request)   # a webhook, answered
    await engine.run_until_idle()         # tests and the harness
    await engine.close()

``leadwire serve`` runs :meth:`Engine.start_workers` instead of
:meth:`run_until_idle`: events are processed after the provider got its
answer, one at a time per conversation, conversations in parallel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Collection
from typing import Any

import httpx
import sqlalchemy as sa

from leadwire.config import ClientConfig, ConnectorConfig, converter
from leadwire.connectors import Clock, ConnectorContext, SystemClock
from leadwire.datamap import DataMap, datamap_from
from leadwire.engine.database import Database, async_url
from leadwire.engine.intake import Intake
from leadwire.engine.outbox import Outbox
from leadwire.engine.processing import Connectors, Processor
from leadwire.engine.schema import inbox
from leadwire.engine.sealing import Keys
from leadwire.errors import ConfigError, ConfigProblem, PluginError
from leadwire.models import ClientId, WebhookRequest, WebhookResponse
from leadwire.pii import Detector, Pseudonymizer, Vault
from leadwire.plugins import PluginHost

__all__ = ["STEPS", "Engine"]

logger = logging.getLogger(__name__)

#: The named steps of processing, in the order they can happen; ``on_step``
#: is called with each once what it names is durably recorded.
STEPS = (
    "inbox.claimed",
    "status.recorded",
    "consent.queued",
    "consent.recorded",
    "outbox.cancelled",
    "pii.detected",
    "llm.requested",
    "llm.answered",
    "reply.queued",
    "reply.sent",
    "lead.queued",
    "lead.upserted",
    "inbox.done",
)

#: How many conversations ``serve`` processes at once.
WORKERS = 8
#: Seconds ``close`` waits for events in progress before handing them back.
GRACE_SECONDS = 10.0
#: Seconds between looks for retries that came due.
POLL_SECONDS = 1.0


class Engine:
    """leadwire's engine for one client configuration.

    :param config: The client configuration.
    :param host: The loaded plugins.
    :param clock: The clock; the harness passes a fake one.
    :param http: The HTTP client handed to connectors; made (and closed) here
        when not given.
    :param on_step: Called with the name of each step of processing (see
        :data:`STEPS`) once it is durable.
    """

    def __init__(
        self,
        config: ClientConfig,
        host: PluginHost,
        *,
        clock: Clock | None = None,
        http: httpx.AsyncClient | None = None,
        on_step: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self.host = host
        self.clock: Clock = clock or SystemClock()
        self._own_http = http is None
        self.http = http or httpx.AsyncClient(timeout=30.0)
        self.on_step: Callable[[str], None] = on_step or (lambda name: None)
        self.database = Database(
            async_url(config.storage.url, config.base_dir), host.audit_event
        )
        self.connectors: Connectors | None = None
        self._intake: Intake | None = None
        self._processor: Processor | None = None
        self._wake = asyncio.Event()
        self._dispatcher: asyncio.Task[None] | None = None
        self._busy: dict[str, asyncio.Task[None]] = {}
        self._stopping = False

    # -- life ------------------------------------------------------------

    async def start(self) -> None:
        """Open the database, migrate it, and create the connectors."""
        vault_key = self.config.storage.vault_key.reveal()
        keys = Keys(vault_key)
        vault = Vault(vault_key)
        detector = self._detector()

        await self.database.migrate()
        self.connectors = self._connectors()

        outbox = Outbox(self.database, keys, self.clock, self._step)
        self._intake = Intake(
            database=self.database,
            keys=keys,
            clock=self.clock,
            channels=dict(self.connectors.channels),
            wake=self._wake.set,
        )
        self._processor = Processor(
            config=self.config,
            connectors=self.connectors,
            database=self.database,
            outbox=outbox,
            keys=keys,
            pseudonymizer=Pseudonymizer(detector),
            vault=vault,
            clock=self.clock,
            step=self._step,
            recipients=self.datamap().recipients(),
        )
        logger.info(
            "engine started: %d channel(s), crm %s, llm %s",
            len(self.connectors.channels),
            self.config.crm.plugin,
            self.config.llm.plugin,
        )

    def datamap(self, channels: Collection[str] | None = None) -> DataMap:
        """The data map of the connectors this engine created.

        The consent request names exactly the recipients it lists, so the
        text matches what the running setup does.

        :param channels: Only these channels (an access request concerns the
            client's own); all when None.
        """
        connectors = self._started_connectors()
        created = [
            (f"channel {name}", self.config.channels[name], channel)
            for name, channel in connectors.channels.items()
            if channels is None or name in channels
        ]
        created += [
            ("crm", self.config.crm, connectors.crm),
            ("llm", self.config.llm, connectors.llm),
            ("consent store", self.config.consent_store, connectors.consent_store),
        ]
        built = datamap_from(self.config, created)
        for problem in built.problems:
            logger.warning("data map: %s", problem)
        return built

    def _started_connectors(self) -> Connectors:
        if self.connectors is None:
            raise RuntimeError("call `await engine.start()` first")
        return self.connectors

    def _detector(self) -> Detector:
        recognizers = list(self.host.registry.recognizers.values())
        if not recognizers:
            raise PluginError(
                "no recognizer of personal data is loaded, so nothing could be "
                "pseudonymised; load the pii plugin (check LEADWIRE_PLUGINS)",
                plugin="pii",
            )
        return Detector.build(recognizers, self.config.pii)

    def _connectors(self) -> Connectors:
        registry = self.host.registry
        channels = {
            name: self._create(registry.channels, f"channels.{name}", name, connector)
            for name, connector in self.config.channels.items()
        }
        return Connectors(
            channels=channels,
            crm=self._create(registry.crms, "crm", "crm", self.config.crm),
            llm=self._create(registry.llms, "llm", "llm", self.config.llm),
            consent_store=self._create(
                registry.consent_stores,
                "consent_store",
                "consent_store",
                self.config.consent_store,
            ),
        )

    def _create(
        self, kinds: dict[str, Any], path: str, name: str, connector: ConnectorConfig
    ) -> Any:
        kind = kinds.get(connector.plugin)
        if kind is None:
            raise ConfigError(
                [
                    ConfigProblem(
                        f"{path}.plugin",
                        f"no plugin named {connector.plugin!r} is loaded; "
                        f"available: {', '.join(sorted(kinds)) or 'none'}",
                    )
                ]
            )
        settings = connector.settings
        if settings is None:
            settings = converter.structure(dict(connector.options), kind.settings)
        data_dir = self.config.base_dir / "leadwire-data" / name
        context = ConnectorContext(
            name=name,
            http=self.http,
            clock=self.clock,
            data_dir=data_dir,
            database=self.database,
        )
        return kind.create(settings, context)

    def _step(self, name: str) -> None:
        self.on_step(name)

    async def close(self) -> None:
        """Stop the workers, let events in progress finish, release everything.

        Events still in progress after the grace period are cancelled; they
        stay pending in the inbox and the next start resumes them.
        """
        self._stopping = True
        self._wake.set()
        if self._dispatcher is not None:
            await self._dispatcher
        busy = list(self._busy.values())
        if busy:
            _, pending = await asyncio.wait(busy, timeout=GRACE_SECONDS)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)
                logger.warning("%d event(s) handed back unfinished", len(pending))

        if self.connectors is not None:
            every = [
                *self.connectors.channels.values(),
                self.connectors.crm,
                self.connectors.llm,
                self.connectors.consent_store,
            ]
            for connector in every:
                try:
                    await connector.aclose()
                except Exception as error:
                    logger.warning(
                        "a connector failed to close: %s", type(error).__name__
                    )
        if self._own_http:
            await self.http.aclose()
        await self.database.dispose()
        logger.info("engine stopped")

    def client_id(self, channel: str, conversation: str) -> ClientId:
        """The pseudonymous id the engine gives a channel's conversation."""
        return self._keys().client_id(channel, conversation)

    def _keys(self) -> Keys:
        return Keys(self.config.storage.vault_key.reveal())

    # -- intake ----------------------------------------------------------

    @property
    def channel_names(self) -> list[str]:
        """The configured channels, as mounted under /webhooks/."""
        return list(self.config.channels)

    async def receive(self, channel: str, request: WebhookRequest) -> WebhookResponse:
        """Answer a provider's request; its events are stored before the answer."""
        if self._intake is None:
            return WebhookResponse(status=503, body=b"starting")
        return await self._intake.receive(channel, request)

    # -- processing ------------------------------------------------------

    async def _due(self, busy: set[str]) -> list[tuple[int, str]]:
        """The events that may be processed now: one per free conversation.

        A conversation's due event is its oldest pending one, or, while that
        one waits for a retry, a later event that does not depend on it.
        """
        now = self.clock.now()
        pending = inbox.c.state == "pending"
        oldest = (
            sa.select(sa.func.min(inbox.c.id).label("id"))
            .where(pending)
            .group_by(inbox.c.conversation_key)
            .subquery()
        )
        async with self.database.read() as connection:
            heads = list(
                await connection.execute(
                    sa.select(inbox.c.id, inbox.c.conversation_key, inbox.c.due_at)
                    .join(oldest, inbox.c.id == oldest.c.id)
                    .order_by(inbox.c.id)
                )
            )
            independent = list(
                await connection.execute(
                    sa.select(inbox.c.id, inbox.c.conversation_key)
                    .where(pending, inbox.c.control, inbox.c.due_at <= now)
                    .order_by(inbox.c.id)
                )
            )

        chosen: list[tuple[int, str]] = []
        taken, waiting = set(busy), set()
        for row in heads:
            if row.conversation_key in taken:
                continue
            if row.due_at <= now:
                chosen.append((row.id, row.conversation_key))
                taken.add(row.conversation_key)
            else:
                waiting.add(row.conversation_key)
        for row in independent:
            if row.conversation_key in waiting - taken:
                chosen.append((row.id, row.conversation_key))
                taken.add(row.conversation_key)
        return chosen

    async def run_until_idle(self) -> None:
        """Process every event whose turn has come at ``clock.now()``.

        Events go one after the other in the order they arrived (an event
        waits for the earlier ones of its conversation), so a run interrupted
        and resumed processes them in the same order as one that was not.
        An event waiting for a retry later stays pending.
        """
        processor = self._started()
        while True:
            progressed = False
            now = self.clock.now()
            waiting: set[str] = set()
            for row in await self._pending():
                conversation = row.conversation_key
                if conversation in waiting and not row.control:
                    continue
                if row.due_at > now:
                    waiting.add(conversation)
                    continue
                progressed = True
                if not await processor.process(row.id):
                    waiting.add(conversation)
            if not progressed:
                return

    async def _pending(self) -> list[Any]:
        async with self.database.read() as connection:
            return list(
                await connection.execute(
                    sa.select(inbox.c.id, inbox.c.conversation_key)
                    .add_columns(inbox.c.due_at, inbox.c.control)
                    .where(inbox.c.state == "pending")
                    .order_by(inbox.c.id)
                )
            )

    def start_workers(self) -> None:
        """Process events in the background until :meth:`close`."""
        self._started()
        if self._dispatcher is None:
            self._dispatcher = asyncio.create_task(self._dispatch())

    async def wait_idle(self) -> None:
        """Wait until the workers have finished everything that is due."""
        while True:
            if self._busy:
                await asyncio.wait(list(self._busy.values()))
                continue
            if not await self._due(set()):
                return
            self._wake.set()
            await asyncio.sleep(0)  # let the dispatcher take it

    async def _dispatch(self) -> None:
        processor = self._started()
        while not self._stopping:
            self._wake.clear()
            try:
                due = await self._due(set(self._busy))
            except Exception as error:
                logger.error("looking for work failed: %s", type(error).__name__)
                due = []
            for inbox_id, conversation in due:
                if len(self._busy) >= WORKERS:
                    break
                task = asyncio.create_task(processor.process(inbox_id))
                self._busy[conversation] = task
                task.add_done_callback(
                    lambda done, key=conversation: self._finished(key, done)
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), POLL_SECONDS)

    def _finished(self, conversation: str, task: asyncio.Task[None]) -> None:
        self._busy.pop(conversation, None)
        if not task.cancelled() and task.exception() is not None:
            logger.error("processing failed: %s", type(task.exception()).__name__)
        self._wake.set()

    def _started(self) -> Processor:
        if self._processor is None:
            raise RuntimeError("call `await engine.start()` first")
        return self._processor
