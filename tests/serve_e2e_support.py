"""What the end-to-end test of ``leadwire serve`` drives the app with.

:func:`served` runs the real Starlette application of ``create_app(engine)``,
lifespan and workers included, on the built-in replay configuration (four
channels, Bitrix24, GPT) with every provider mocked by the harness. The
client classes build each provider's webhook as the provider sends it: the
same JSON shape, signed the way the channel's plugin verifies it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import httpx
import sqlalchemy as sa

from leadwire.engine import Engine, create_app, schema
from leadwire.plugins import PluginHost
from leadwire_harness.clock import FakeClock
from leadwire_harness.configuration import ReplaySetup, temporary_env
from leadwire_harness.providers import ChannelMock, Providers

__all__ = [
    "CLIENTS",
    "Outgoing",
    "Served",
    "WebhookClient",
    "served",
]

#: How long the workers get to finish what one webhook started.
SETTLE_SECONDS = 5.0

#: Where the in-process client reaches the app.
BASE_URL = "http://leadwire.test"


@attrs.frozen
class Outgoing:
    """One HTTP request as the provider sends it to leadwire."""

    body: bytes
    headers: Mapping[str, str]


def _hub_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _meta_json(document: Any) -> bytes:
    """JSON as Meta sends it: compact, non-ASCII escaped."""
    return json.dumps(document, ensure_ascii=True, separators=(",", ":")).encode()


class WebhookClient:
    """A client of one channel, as its provider delivers what they do.

    :param secrets: The channel's webhook secrets, as the mock knows them.
    :param clock: The engine's clock: the provider stamps events with it.
    :param profile_name: The name the channel shows for the client.
    """

    #: The client's id on the channel: the conversation replies go to.
    identity: str

    def __init__(
        self, secrets: Mapping[str, str], clock: FakeClock, profile_name: str
    ) -> None:
        self.secrets = secrets
        self.clock = clock
        self.profile_name = profile_name
        self.numbers = itertools.count(1)  # the provider's ids and update ids

    @property
    def seconds(self) -> int:
        return int(self.clock.now().timestamp())

    def text(self, words: str) -> Outgoing:
        """The client writes *words*."""
        raise NotImplementedError

    def press(self, payload: str, title: str, reply_to: str) -> Outgoing:
        """The client presses the button (*payload*, *title*) of *reply_to*."""
        raise NotImplementedError

    def booking(self, words: str, name: str, phone: str) -> Outgoing:
        """The client asks for *words* and gives their name and phone."""
        return self.text(f"{words} Меня зовут {name}, телефон {phone}")

    def forgeries(self, words: str) -> list[tuple[str, Outgoing, int]]:
        """(what is wrong, the request, the status leadwire must answer)."""
        raise NotImplementedError


class MetaClient(WebhookClient):
    """What WhatsApp and Instagram share: ``X-Hub-Signature-256``."""

    def signed(self, document: Any) -> Outgoing:
        body = _meta_json(document)
        signature = _hub_signature(self.secrets["app_secret"], body)
        headers = {"content-type": "application/json", "x-hub-signature-256": signature}
        return Outgoing(body, headers)

    def forgeries(self, words: str) -> list[tuple[str, Outgoing, int]]:
        genuine = self.text(words)
        unsigned = dict(genuine.headers)
        del unsigned["x-hub-signature-256"]
        wrong_key = _hub_signature("not-the-app-secret", genuine.body)
        tampered = genuine.body.replace(b'"id"', b'"Id"', 1)
        return [
            ("no signature", Outgoing(genuine.body, unsigned), 401),
            (
                "signed with another secret",
                Outgoing(
                    genuine.body, {**genuine.headers, "x-hub-signature-256": wrong_key}
                ),
                403,
            ),
            ("body changed after signing", Outgoing(tampered, genuine.headers), 403),
        ]


class WhatsAppClient(MetaClient):
    """A WhatsApp Cloud API client; their id is their phone's digits."""

    identity = "79990001122"

    def _message(self, kind: str, content: dict[str, Any]) -> Outgoing:
        message = {
            "from": self.identity,
            "id": f"wamid.HBgLtest{next(self.numbers):06d}",
            "timestamp": str(self.seconds),
            "type": kind,
            **content,
        }
        value = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": "15550001111",
                "phone_number_id": self.secrets["phone_number_id"],
            },
            "contacts": [
                {"profile": {"name": self.profile_name}, "wa_id": self.identity}
            ],
            "messages": [message],
        }
        return self.signed(
            {
                "object": "whatsapp_business_account",
                "entry": [
                    {
                        "id": "200000000000002",
                        "changes": [{"field": "messages", "value": value}],
                    }
                ],
            }
        )

    def text(self, words: str) -> Outgoing:
        return self._message("text", {"text": {"body": words}})

    def press(self, payload: str, title: str, reply_to: str) -> Outgoing:
        reply = {
            "type": "button_reply",
            "button_reply": {"id": payload, "title": title},
        }
        context = {"from": "15550001111", "id": reply_to}
        return self._message("interactive", {"context": context, "interactive": reply})


class InstagramClient(MetaClient):
    """An Instagram Direct client, known by their IGSID."""

    identity = "17841499990000123"
    account = "17841400000000001"

    def _messaging(self, message: dict[str, Any]) -> Outgoing:
        milliseconds = self.seconds * 1000
        item = {
            "sender": {"id": self.identity},
            "recipient": {"id": self.account},
            "timestamp": milliseconds,
            "message": {"mid": f"aWdfZAG1faXRlbTox{next(self.numbers):06d}", **message},
        }
        return self.signed(
            {
                "object": "instagram",
                "entry": [
                    {"id": self.account, "time": milliseconds, "messaging": [item]}
                ],
            }
        )

    def text(self, words: str) -> Outgoing:
        return self._messaging({"text": words})

    def press(self, payload: str, title: str, reply_to: str) -> Outgoing:
        return self._messaging({"text": title, "quick_reply": {"payload": payload}})


class TelegramClient(WebhookClient):
    """A Telegram user writing to the bot in a private chat."""

    identity = "5000012345"

    def _update(self, update: dict[str, Any], token: str | None) -> Outgoing:
        document = {"update_id": 700_000 + next(self.numbers), **update}
        body = json.dumps(document, ensure_ascii=False).encode()
        headers = {"content-type": "application/json"}
        if token is not None:
            headers["x-telegram-bot-api-secret-token"] = token
        return Outgoing(body, headers)

    def _user(self) -> dict[str, Any]:
        return {
            "id": int(self.identity),
            "is_bot": False,
            "first_name": self.profile_name,
        }

    def _chat(self) -> dict[str, Any]:
        return {"id": int(self.identity), "type": "private"}

    def _text(self, words: str, token: str | None) -> Outgoing:
        message = {
            "message_id": 100 + next(self.numbers),
            "from": self._user(),
            "chat": self._chat(),
            "date": self.seconds,
            "text": words,
        }
        return self._update({"message": message}, token)

    def text(self, words: str) -> Outgoing:
        return self._text(words, self.secrets["secret_token"])

    def press(self, payload: str, title: str, reply_to: str) -> Outgoing:
        query = {
            "id": f"4800000000{next(self.numbers):06d}",
            "from": self._user(),
            "message": {
                "message_id": int(reply_to),
                "chat": self._chat(),
                "date": self.seconds,
                "text": "…",
            },
            "chat_instance": "-100200300400",
            "data": payload,
        }
        return self._update({"callback_query": query}, self.secrets["secret_token"])

    def forgeries(self, words: str) -> list[tuple[str, Outgoing, int]]:
        return [
            ("no secret token", self._text(words, None), 401),
            ("wrong secret token", self._text(words, "not-the-secret-token"), 403),
        ]


class WebsiteClient(WebhookClient):
    """A site's backend posting what its visitor does, signed with a timestamp."""

    identity = "s-test-5f0c2a9e"

    def _post(self, post: dict[str, Any], *, age: int = 0, key: str = "") -> Outgoing:
        document = {
            "session": self.identity,
            "message_id": f"m-{next(self.numbers):06d}",
            **post,
        }
        body = json.dumps(document, ensure_ascii=False).encode()
        stamp = str(self.seconds - age)
        secret = (key or self.secrets["secret"]).encode()
        signature = hmac.new(secret, f"{stamp}.".encode() + body, hashlib.sha256)
        headers = {
            "content-type": "application/json; charset=utf-8",
            "x-leadwire-timestamp": stamp,
            "x-leadwire-signature": signature.hexdigest(),
        }
        return Outgoing(body, headers)

    def text(self, words: str) -> Outgoing:
        return self._post({"type": "message", "text": words})

    def press(self, payload: str, title: str, reply_to: str) -> Outgoing:
        post = {"type": "button", "payload": payload, "title": title}
        return self._post({**post, "reply_to": reply_to})

    def booking(self, words: str, name: str, phone: str) -> Outgoing:
        """The site's booking form: its fields, posted as typed."""
        return self._post(
            {"type": "message", "name": name, "phone": phone, "text": words}
        )

    def forgeries(self, words: str) -> list[tuple[str, Outgoing, int]]:
        post = {"type": "message", "text": words}
        genuine = self._post(post)
        unsigned = {
            name: value
            for name, value in genuine.headers.items()
            if name != "x-leadwire-signature"
        }
        return [
            ("no signature", Outgoing(genuine.body, unsigned), 401),
            ("signed with another secret", self._post(post, key="not-the-secret"), 403),
            ("signed six minutes ago", self._post(post, age=360), 403),
        ]


#: The client class of each built-in channel of the replay configuration.
CLIENTS: dict[str, type[WebhookClient]] = {
    "whatsapp": WhatsAppClient,
    "instagram": InstagramClient,
    "telegram": TelegramClient,
    "website": WebsiteClient,
}


@attrs.define
class Served:
    """The running app, the engine behind it and the mocked providers."""

    engine: Engine
    providers: Providers
    http: httpx.AsyncClient
    clock: FakeClock

    def mock(self, channel: str) -> ChannelMock:
        return self.providers.channels[channel]

    def client(self, channel: str, profile_name: str) -> WebhookClient:
        secrets = self.providers.webhook_secrets[channel]
        return CLIENTS[channel](secrets, self.clock, profile_name)

    async def deliver(
        self, channel: str, client: WebhookClient, request: Outgoing
    ) -> httpx.Response:
        """POST *request* to the channel's webhook, as its provider would.

        The mocked send API learns that the client wrote now, which opens
        WhatsApp's and Instagram's 24-hour reply window.
        """
        self.mock(channel).client_wrote(client.identity, self.clock.now())
        return await self.http.post(
            f"/webhooks/{channel}", content=request.body, headers=dict(request.headers)
        )

    async def settle(self) -> None:
        """Wait, bounded, until the app's workers have done all that is due."""
        async with asyncio.timeout(SETTLE_SECONDS):
            await self.engine.wait_idle()

    async def stored(self) -> dict[str, int]:
        """How many deliveries intake kept: events, and bodies in quarantine."""
        counts = {}
        async with self.engine.database.read() as connection:
            for table in (schema.inbox, schema.quarantine):
                query = sa.select(sa.func.count()).select_from(table)
                counts[table.name] = await connection.scalar(query) or 0
        return counts


@contextlib.asynccontextmanager
async def served(
    setup: ReplaySetup, host: PluginHost, directory: Path
) -> AsyncIterator[Served]:
    """The app of ``leadwire serve`` on *setup*, started through its lifespan."""
    clock = FakeClock()

    with temporary_env(setup.env):
        providers = Providers(setup.config, clock)
        engine = Engine(
            setup.with_database(directory), host, clock=clock, http=providers.http
        )
        app = create_app(engine)
        transport = httpx.ASGITransport(app=app)
        try:
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http,
            ):
                yield Served(engine, providers, http, clock)
        finally:
            await providers.aclose()
