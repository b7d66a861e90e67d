"""Fakes for the gpt connector's tests: a clock, OpenAI-shaped bodies."""

from __future__ import annotations

import json
from typing import Any

import httpx
import respx

from leadwire import ChatMessage, CompletionRequest

#: An obviously fake key, set in the environment the settings point at.
FAKE_KEY = "sk-test-FAKE0000fake0000FAKE"
KEY_ENV = "LEADWIRE_TEST_OPENAI_KEY"
OPENAI_CHAT = "https://api.openai.com/v1/chat/completions"

SYSTEM = (
    "Ты администратор салона «Пример». Услуги:\n- Маникюр: от 1500 ₽, 1 ч\n"
    "Отвечай коротко."
)
REQUEST = CompletionRequest(
    messages=(
        ChatMessage("system", SYSTEM),
        ChatMessage("user", "Здравствуйте, я [PERSON_1], хочу на маникюр завтра"),
    ),
    want_fields=True,
)


def completion(
    content: str | None = None,
    *,
    finish_reason: str = "stop",
    tool_arguments: str | None = None,
    refusal: str | None = None,
    model: str = "gpt-4o-mini-2024-07-18",
    prompt_tokens: int = 120,
    completion_tokens: int = 30,
) -> dict[str, Any]:
    """A Chat Completions response body."""
    message: dict[str, Any] = {
        "role": "assistant",
        "content": content,
        "refusal": refusal,
    }
    if tool_arguments is not None:
        message["tool_calls"] = [
            {
                "id": "call_fake1",
                "type": "function",
                "function": {"name": "answer_client", "arguments": tool_arguments},
            }
        ]
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1772442000,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def answer_json(
    reply: str = "Здравствуйте, [PERSON_1]! На какое время вас записать?",
    **fields: Any,
) -> str:
    """The JSON text of a structured answer."""
    body = {"reply": reply, "service": None, "desired_time": None, "comment": None}
    body.update(fields)
    return json.dumps(body, ensure_ascii=False)


def ok(body: dict[str, Any], request_id: str = "req_fake_ok") -> httpx.Response:
    return httpx.Response(200, json=body, headers={"x-request-id": request_id})


def api_error(
    status: int,
    code: str | None,
    *,
    message: str = "fake error",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body = {"error": {"message": message, "type": "fake_type", "param": None}}
    body["error"]["code"] = code
    return httpx.Response(
        status, json=body, headers={"x-request-id": "req_fake_err", **(headers or {})}
    )


def sent(route: respx.Route, index: int = 0) -> dict[str, Any]:
    """The JSON body of the *index*-th request a route received."""
    return json.loads(route.calls[index].request.content)
