"""Small fake connectors for the engine's tests, registered as a plugin.

Their "provider side" lives in :data:`WORLD`, outside any engine, so that it
survives an engine dropped after a simulated crash, as a real provider would.
Every name and phone here is invented.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs

from leadwire import (
    AuditEvent,
    Completion,
    CompletionRequest,
    ConnectorContext,
    ConnectorType,
    ConsentPrompt,
    Contact,
    DataFlow,
    DeliveryStatus,
    Entity,
    EventKind,
    InboundEvent,
    LeadFields,
    Media,
    OutboundMessage,
    Secret,
    Sender,
    SendReceipt,
    Usage,
    Verification,
    WebhookRequest,
    WebhookResponse,
    hmac_sha256_matches,
    hookimpl,
)

SECRET = "fake-channel-secret-for-tests"
SECRET_ENV = "LEADWIRE_TEST_FAKECHAT_SECRET"
VAULT_ENV = "LEADWIRE_TEST_VAULT_KEY"

#: Invented people: what the fake recognizer knows as names.
NAMES = ("Ульяна Тестова", "Тестослав", "Пробина")


@attrs.define
class World:
    """What the providers saw: messages sent, LLM requests, failures to play."""

    sent: list[OutboundMessage] = attrs.Factory(list)
    prompts: list[tuple[str, ConsentPrompt]] = attrs.Factory(list)
    llm_requests: list[CompletionRequest] = attrs.Factory(list)
    llm_answer: Callable[[CompletionRequest], Completion] | None = None
    llm_failures: list[Exception] = attrs.Factory(list)
    crm_failures: list[Exception] = attrs.Factory(list)
    audited: list[AuditEvent] = attrs.Factory(list)
    send_failures: list[Exception] = attrs.Factory(list)
    counter: int = 0

    def next_id(self) -> str:
        self.counter += 1
        return f"out-{self.counter}"


WORLD = World()


def reset() -> World:
    """A fresh world for a test."""
    global WORLD
    WORLD = World()
    return WORLD


# --------------------------------------------------------------------------
# The channel: JSON events, HMAC-SHA256 of the body in X-Fake-Signature.


@attrs.frozen
class FakeChatSettings:
    secret: Secret


class FakeChat:
    """A chat channel speaking a small JSON dialect."""

    def __init__(self, settings: FakeChatSettings, context: ConnectorContext) -> None:
        self.name = context.name
        self._secret = settings.secret.reveal().encode()

    async def handshake(self, request: WebhookRequest) -> WebhookResponse | None:
        if request.method == "GET" and "challenge" in request.query:
            return WebhookResponse(200, request.query["challenge"].encode())
        return None

    def verify(self, request: WebhookRequest) -> Verification:
        signature = request.header("x-fake-signature")
        if not signature:
            return Verification.missing("no X-Fake-Signature header")
        if not hmac_sha256_matches(self._secret, request.body, signature):
            return Verification.forged("X-Fake-Signature does not match the body")
        return Verification.accept()

    def parse(self, request: WebhookRequest) -> Sequence[InboundEvent]:
        try:
            document = json.loads(request.body)
            return [self._event(raw) for raw in document["events"]]
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(
                f"malformed fake payload: {type(error).__name__}"
            ) from None

    def _event(self, raw: dict[str, Any]) -> InboundEvent:
        if raw.get("explode"):
            raise RuntimeError("a parser bug")
        sender = raw.get("sender")
        media = raw.get("media")
        kind = EventKind(raw.get("kind", "message"))
        status = raw.get("status")
        return InboundEvent(
            channel=self.name,
            event_id=str(raw["id"]),
            kind=kind,
            conversation=str(raw.get("conversation", "")),
            occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
            sender=Sender(sender["id"], sender.get("name"), sender.get("phone"))
            if sender
            else None,
            text=raw.get("text"),
            payload=raw.get("payload"),
            target_id=raw.get("target"),
            status=DeliveryStatus[status.upper()] if status else None,
            contact=_contact(raw.get("contact")),
            media=Media(media["type"], caption=media.get("caption")) if media else None,
        )

    async def send(self, message: OutboundMessage) -> SendReceipt:
        if WORLD.send_failures:
            raise WORLD.send_failures.pop(0)
        WORLD.sent.append(message)
        return SendReceipt((WORLD.next_id(),))

    async def send_consent_request(
        self, conversation: str, prompt: ConsentPrompt
    ) -> SendReceipt:
        WORLD.prompts.append((conversation, prompt))
        return SendReceipt((WORLD.next_id(),))

    def data_flows(self) -> Sequence[DataFlow]:
        return [DataFlow(("name", "message text"), "Fake Chat Ltd.", "US", "chat")]

    async def aclose(self) -> None:
        pass


def _contact(raw: dict[str, Any] | None) -> Contact | None:
    if not raw:
        return None
    return Contact(raw.get("name"), raw.get("phone"), raw.get("email"))


def sign(body: bytes) -> str:
    return hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def delivery(*events: dict[str, Any], forged: bool = False) -> WebhookRequest:
    """A signed POST carrying *events*."""
    body = json.dumps({"events": list(events)}, ensure_ascii=False).encode()
    signature = "0" * 64 if forged else sign(body)
    return WebhookRequest(
        method="POST", headers={"X-Fake-Signature": signature}, body=body
    )


def message(
    event_id: str,
    text: str | None,
    *,
    conversation: str = "chat-1",
    phone: str | None = "+79990000001",
    **extra: Any,
) -> dict[str, Any]:
    """A client's message event."""
    return {
        "id": event_id,
        "kind": "message",
        "conversation": conversation,
        "text": text,
        "sender": {"id": conversation, "name": None, "phone": phone},
        **extra,
    }


# --------------------------------------------------------------------------
# The LLM: echoes the placeholders it was given; scripted failures.


@attrs.frozen
class FakeLlmSettings:
    model: str = "fake-model"


def default_answer(request: CompletionRequest) -> Completion:
    """Repeat the user's placeholders back, and ask for a manicure."""
    last = request.messages[-1].content
    tokens = re.findall(r"\[[A-Z]+_\d+\]", last)
    text = "Записали вас" + (", " + " ".join(tokens) if tokens else "") + "."
    return Completion(
        text=text,
        fields=LeadFields(service="Маникюр", desired_time="завтра 15:00"),
        usage=Usage("fake-model", 10, 5),
    )


class FakeLlm:
    def __init__(self, settings: FakeLlmSettings, context: ConnectorContext) -> None:
        pass

    async def complete(self, request: CompletionRequest) -> Completion:
        WORLD.llm_requests.append(request)
        if WORLD.llm_failures:
            raise WORLD.llm_failures.pop(0)
        return (WORLD.llm_answer or default_answer)(request)

    def data_flows(self) -> Sequence[DataFlow]:
        return []

    async def aclose(self) -> None:
        pass


# --------------------------------------------------------------------------
# A recognizer of the invented names (the real name recognizer comes later).


class FakeNames:
    name = "fake-names"
    entity_types = frozenset({"PERSON"})

    def find(self, text: str) -> Sequence[Entity]:
        found = []
        for name in NAMES:
            for match in re.finditer(re.escape(name), text):
                found.append(
                    Entity(
                        "PERSON", match.start(), match.end(), name, 0.9, None, "fake"
                    )
                )
        return found


@hookimpl
def leadwire_register_channels(register: Any) -> None:
    register(ConnectorType("fakechat", FakeChatSettings, FakeChat, "test channel"))


@hookimpl
def leadwire_register_llms(register: Any) -> None:
    register(ConnectorType("fakellm", FakeLlmSettings, FakeLlm, "test llm"))


@hookimpl
def leadwire_register_recognizers(register: Any) -> None:
    register(FakeNames())


@hookimpl
def leadwire_audit_event(event: AuditEvent) -> None:
    WORLD.audited.append(event)


def system_text(request: CompletionRequest) -> str:
    return request.messages[0].content


def every_text(request: CompletionRequest) -> str:
    return "\n".join(message.content for message in request.messages)
