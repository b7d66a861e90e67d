"""Benchmarks of the engine: intake throughput, overhead per message, memory.

    python benchmarks/engine/bench_engine.py [--messages 10000]

Prints three figures (see docs/engine.md for the last measured ones):

1. intake webhooks/s through leadwire's app vs a bare Starlette endpoint
   answering 200, same machine, same run, 16 in flight: in process (httpx
   ASGITransport) and over HTTP (uvicorn on a local port);
2. engine overhead per message (inbox.claimed to inbox.done) with
   zero-latency connectors, p50 and p99;
3. RSS after start and after processing --messages messages.

The connectors are this script's own: a signed channel that answers at once,
an LLM that answers at once. Personal-data detection is the real one.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import httpx
import uvicorn
from cryptography.fernet import Fernet
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import leadwire.pii.plugin
import leadwire.stores.plugin
from leadwire import (
    Completion,
    CompletionRequest,
    ConnectorContext,
    ConnectorType,
    ConsentPrompt,
    EventKind,
    InboundEvent,
    LeadFields,
    OutboundMessage,
    Sender,
    SendReceipt,
    Usage,
    Verification,
    WebhookRequest,
    WebhookResponse,
    hmac_sha256_matches,
    hookimpl,
)
from leadwire.config import parse_config
from leadwire.engine import Engine, create_app
from leadwire.plugins import PluginHost

SECRET = b"benchmark-secret"


@attrs.frozen
class NoSettings:
    """The benchmark's connectors take no settings."""


class BenchChannel:
    """Signed JSON in, nothing out: every send succeeds at once."""

    def __init__(self, settings: NoSettings, context: ConnectorContext) -> None:
        self.name = context.name
        self.sent = 0

    async def handshake(self, request: WebhookRequest) -> WebhookResponse | None:
        return None

    def verify(self, request: WebhookRequest) -> Verification:
        signature = request.header("x-signature") or ""
        if hmac_sha256_matches(SECRET, request.body, signature):
            return Verification.accept()
        return Verification.forged("bad signature")

    def parse(self, request: WebhookRequest) -> Sequence[InboundEvent]:
        raw = json.loads(request.body)
        return [
            InboundEvent(
                channel=self.name,
                event_id=raw["id"],
                kind=EventKind.MESSAGE,
                conversation=raw["chat"],
                occurred_at=datetime.now(UTC),
                sender=Sender(raw["chat"], phone="+79990000000"),
                text=raw["text"],
            )
        ]

    async def send(self, message: OutboundMessage) -> SendReceipt:
        self.sent += 1
        return SendReceipt((f"out-{self.sent}",))

    async def send_consent_request(
        self, conversation: str, prompt: ConsentPrompt
    ) -> SendReceipt:
        return await self.send(OutboundMessage(conversation, prompt.text))

    def data_flows(self) -> list[Any]:
        return []

    async def aclose(self) -> None:
        pass


class BenchLlm:
    """Answers at once."""

    def __init__(self, settings: NoSettings, context: ConnectorContext) -> None:
        pass

    async def complete(self, request: CompletionRequest) -> Completion:
        return Completion(
            "Хорошо, записали.", LeadFields(service="Маникюр"), Usage("bench")
        )

    def data_flows(self) -> list[Any]:
        return []

    async def aclose(self) -> None:
        pass


@hookimpl
def leadwire_register_channels(register: Any) -> None:
    register(ConnectorType("bench", NoSettings, BenchChannel))


@hookimpl
def leadwire_register_llms(register: Any) -> None:
    register(ConnectorType("bench", NoSettings, BenchLlm))


def config(directory: Path) -> Any:
    os.environ["LEADWIRE_BENCH_VAULT_KEY"] = Fernet.generate_key().decode()
    host = PluginHost()
    host.add("pii", leadwire.pii.plugin)
    host.add("local", leadwire.stores.plugin)
    host.add("bench", sys.modules[__name__])
    data = {
        "business": {"name": "Салон"},
        "consent": {
            "version": "1",
            "operator": "ИП",
            "purpose": "запись",
            "data": ["имя"],
            "term": "1 год",
            "withdraw": "стоп",
        },
        "channels": {"chat": {"plugin": "bench"}},
        "crm": {"plugin": "local"},
        "llm": {"plugin": "bench"},
        "storage": {
            "url": "sqlite:///bench.db",
            "vault_key": "env:LEADWIRE_BENCH_VAULT_KEY",
        },
    }
    return parse_config(data, host.registry, path=directory / "leadwire.toml"), host


def request(index: int | str, chat: str, text: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"id": f"e{index}", "chat": chat, "text": text}).encode()
    signature = hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    return body, {"x-signature": signature, "content-type": "application/json"}


async def load(app: Any, path: str, count: int, concurrency: int = 16) -> float:
    """Requests per second of *count* signed posts to *path*, in process."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:
        return await _post_all(client, path, count, concurrency)


async def load_over_http(app: Any, path: str, count: int) -> float:
    """The same through uvicorn on a local port (client in the same process)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            return await _post_all(client, path, count, 16)
    finally:
        server.should_exit = True
        await serving


async def _post_all(
    client: httpx.AsyncClient, path: str, count: int, concurrency: int
) -> float:
    run = uuid.uuid4().hex[:8]  # fresh event ids: each run is new work
    bodies = [
        request(f"{run}-{i}", f"c{i % 500}", "Хочу на маникюр") for i in range(count)
    ]
    started = time.perf_counter()
    for first in range(0, count, concurrency):
        batch = bodies[first : first + concurrency]
        answers = await asyncio.gather(
            *(client.post(path, content=b, headers=h) for b, h in batch)
        )
        assert all(answer.status_code == 200 for answer in answers)
    return count / (time.perf_counter() - started)


def bare_app() -> Starlette:
    async def ok(request: Request) -> Response:
        await request.body()
        return Response("ok")

    return Starlette(routes=[Route("/webhooks/{channel}", ok, methods=["POST"])])


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def intake(directory: Path, count: int) -> None:
    client_config, host = config(directory)
    engine = Engine(client_config, host)
    await engine.start()
    ours_app = create_app(engine, manage=False)
    try:
        bare = await load(bare_app(), "/webhooks/chat", count)
        ours = await load(ours_app, "/webhooks/chat", count)
        bare_http = await load_over_http(bare_app(), "/webhooks/chat", count)
        ours_http = await load_over_http(ours_app, "/webhooks/chat", count)
    finally:
        await engine.close()
    print(f"intake in process: leadwire {ours:,.0f} webhooks/s, bare {bare:,.0f}/s")
    print(f"intake ratio in process: {ours / bare:.2f} (aim >= 0.5)")
    print(f"intake over HTTP: leadwire {ours_http:,.0f}/s, bare {bare_http:,.0f}/s")
    print(f"intake ratio over HTTP: {ours_http / bare_http:.2f} (aim >= 0.5)")


async def overhead(directory: Path, messages: int) -> None:
    client_config, host = config(directory)
    claimed: list[tuple[float, float]] = []
    durations: list[float] = []
    cpu: list[float] = []

    def on_step(name: str) -> None:
        if name == "inbox.claimed":
            claimed.append((time.perf_counter(), time.process_time()))
        elif name == "inbox.done":
            wall, processor = claimed.pop()
            durations.append(time.perf_counter() - wall)
            cpu.append(time.process_time() - processor)

    engine = Engine(client_config, host, on_step=on_step)
    await engine.start()
    print(f"RSS after start: {rss_mb():.0f} MB")
    try:
        conversations = max(1, messages // 20)
        for chat in range(conversations):  # consent first, not measured
            body, headers = request(-chat - 1, f"c{chat}", "Согласен")
            await engine.receive("chat", WebhookRequest("POST", "", {}, headers, body))
        await engine.run_until_idle()
        durations.clear()
        cpu.clear()

        for index in range(messages):
            text = f"Я Иван, мой номер +7 999 000-{index % 100:02d}-00, хочу на маникюр"
            body, headers = request(index, f"c{index % conversations}", text)
            await engine.receive("chat", WebhookRequest("POST", "", {}, headers, body))
            if index % 500 == 499:
                await engine.run_until_idle()
        await engine.run_until_idle()
    finally:
        await engine.close()

    cuts = statistics.quantiles(durations, n=100)
    cpu_cuts = statistics.quantiles(cpu, n=100)
    print(
        f"overhead per message ({len(durations)} messages, zero-latency "
        f"connectors): p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms "
        "wall (aim p99 < 20 ms)"
    )
    print(
        f"  of which CPU of this process: p50 {cpu_cuts[49] * 1000:.1f} ms, "
        f"p99 {cpu_cuts[98] * 1000:.1f} ms (the rest is other processes' turn)"
    )
    print(f"RSS after {messages} messages: {rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--messages", type=int, default=10_000)
    options = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as first,
        tempfile.TemporaryDirectory() as second,
    ):
        asyncio.run(intake(Path(first), options.requests))
        asyncio.run(overhead(Path(second), options.messages))


if __name__ == "__main__":
    main()
