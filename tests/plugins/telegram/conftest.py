"""Fixtures for the Telegram channel: a channel on fake credentials, update builders.

Every id, name and number here is invented.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

from leadwire import ConnectorContext, WebhookRequest
from leadwire.config import converter
from leadwire_telegram import TelegramChannel, TelegramSettings

#: Shaped like a real token (bot id, colon, 35 characters), valid for nothing.
BOT_TOKEN = "1234567890:TEST-fake-token-for-tests-onlyXYZ"
SECRET_TOKEN = "test-secret-token-0123456789"
API = "https://api.telegram.test"
USER_ID = 700100200
OTHER_USER_ID = 700100999
GROUP_ID = -1009000000001
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SENT_AT = 1772445000  # 2026-03-02 09:50:00 UTC


class Updates:
    """Builds Bot API updates and answers of the exact shape Telegram sends."""

    BOT_TOKEN = BOT_TOKEN
    SECRET_TOKEN = SECRET_TOKEN
    USER_ID = USER_ID
    OTHER_USER_ID = OTHER_USER_ID
    GROUP_ID = GROUP_ID
    NOW = NOW
    SENT_AT = SENT_AT

    def __init__(self) -> None:
        self.next_id = 50001

    def update(self, **kind: Any) -> dict[str, Any]:
        self.next_id += 1
        return {"update_id": self.next_id, **kind}

    def user(self, user_id: int = USER_ID, **extra: Any) -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": "Тестина",
            "last_name": "Примерова",
            "language_code": "ru",
            **extra,
        }

    def private_chat(self, chat_id: int = USER_ID) -> dict[str, Any]:
        return {
            "id": chat_id,
            "first_name": "Тестина",
            "last_name": "Примерова",
            "type": "private",
        }

    def group_chat(self) -> dict[str, Any]:
        return {"id": GROUP_ID, "title": "Тестовая группа", "type": "supergroup"}

    def message(self, message_id: int = 11, **fields: Any) -> dict[str, Any]:
        return {
            "message_id": message_id,
            "from": self.user(),
            "chat": self.private_chat(),
            "date": SENT_AT,
            **fields,
        }

    def text(self, text: str = "Здравствуйте, хочу записаться", **fields: Any):
        return self.update(message=self.message(text=text, **fields))

    def callback(self, data: str, title: str | None = None, **fields: Any):
        keyboard = [[{"text": title or "Кнопка", "callback_data": data}]]
        bot_message = {
            "message_id": 20,
            "from": {"id": 999000111, "is_bot": True, "first_name": "Тест-бот"},
            "chat": self.private_chat(),
            "date": SENT_AT - 60,
            "text": "Выберите вариант",
            "reply_markup": {"inline_keyboard": keyboard if title else []},
        }
        query = {
            "id": "4382bfdwdsb323b2d9",
            "from": self.user(),
            "message": bot_message,
            "chat_instance": "-4829384723984",
            "data": data,
            **fields,
        }
        return self.update(callback_query=query)

    @staticmethod
    def sent_ok(message_id: int) -> httpx.Response:
        """Telegram's answer to a sendMessage that worked."""
        result = {
            "message_id": message_id,
            "from": {"id": 999000111, "is_bot": True, "first_name": "Тест-бот"},
            "chat": {"id": USER_ID, "type": "private"},
            "date": SENT_AT,
            "text": "…",
        }
        return httpx.Response(200, json={"ok": True, "result": result})

    @staticmethod
    def failed(code: int, description: str, **parameters: Any) -> httpx.Response:
        """Telegram's answer to a call that failed."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": code,
            "description": description,
        }
        if parameters:
            body["parameters"] = parameters
        return httpx.Response(code, json=body)


@pytest.fixture
def tg() -> Updates:
    return Updates()


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_TG_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("TEST_TG_SECRET", SECRET_TOKEN)


@pytest.fixture
def settings_table() -> dict[str, Any]:
    return {
        "bot_token": "env:TEST_TG_BOT_TOKEN",
        "secret_token": "env:TEST_TG_SECRET",
        "api_base": API,
    }


@pytest.fixture
def make_channel(secrets, http, clock, settings_table):
    """Build a channel from a settings table (the fixture's, changed by *extra*)."""

    def make(**extra: Any) -> TelegramChannel:
        settings = converter.structure({**settings_table, **extra}, TelegramSettings)
        context = ConnectorContext(name="tg_main", http=http, clock=clock)
        return TelegramChannel(settings, context)

    return make


@pytest.fixture
def channel(make_channel) -> TelegramChannel:
    return make_channel()


@pytest.fixture
def webhook():
    """Wrap an update (or raw bytes) in a webhook request with the right secret."""

    def build(update: Any, secret: str | None = SECRET_TOKEN) -> WebhookRequest:
        body = update if isinstance(update, bytes) else json.dumps(update).encode()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return WebhookRequest(method="POST", headers=headers, body=body)

    return build


@pytest.fixture
def bot_api() -> Iterator[respx.MockRouter]:
    """The Bot API, mocked strictly: unmocked calls and unused routes fail."""
    with respx.mock(
        base_url=f"{API}/bot{BOT_TOKEN}", assert_all_called=True, assert_all_mocked=True
    ) as router:
        yield router
