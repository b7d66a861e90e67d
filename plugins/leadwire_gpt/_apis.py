"""The two OpenAI APIs a reply can go through: their request and answer shapes.

Chat Completions (``/chat/completions``) is what every OpenAI-compatible
server speaks. The Responses API (``/responses``) is OpenAI's newer one; few
local servers have it. Both get the same messages and the same schema; each
class here knows where its API puts them and where the answer comes back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leadwire_gpt._answer import (
    ANSWER_SCHEMA,
    TOOL_DESCRIPTION,
    TOOL_NAME,
    empty,
    filtered,
    refused,
    truncated,
)
from leadwire_gpt._settings import GptSettings

__all__ = ["APIS", "ChatCompletions", "Responses"]


class ChatCompletions:
    """``POST /chat/completions``: the answer is in ``choices[0].message``."""

    path = "/chat/completions"

    def body(
        self, settings: GptSettings, messages: list[dict[str, str]], want_fields: bool
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": settings.model,
            "messages": messages,
            "store": settings.store,
        }
        # OpenAI's newer models take only max_completion_tokens; local
        # servers know the older name.
        tokens = "max_completion_tokens" if settings.is_openai else "max_tokens"
        body[tokens] = settings.max_tokens
        if settings.temperature is not None:
            body["temperature"] = settings.temperature
        if want_fields:
            body.update(self._format(settings.structured))
        return body

    def _format(self, structured: str) -> dict[str, Any]:
        if structured == "json_schema":
            schema = {
                "name": "assistant_answer",
                "strict": True,
                "schema": ANSWER_SCHEMA,
            }
            return {"response_format": {"type": "json_schema", "json_schema": schema}}
        if structured == "tool":
            function = {
                "name": TOOL_NAME,
                "description": TOOL_DESCRIPTION,
                "parameters": ANSWER_SCHEMA,
                "strict": True,
            }
            return {
                "tools": [{"type": "function", "function": function}],
                "tool_choice": {"type": "function", "function": {"name": TOOL_NAME}},
            }
        return {}

    def read(self, body: Any, want_fields: bool) -> str | None:
        """The model's text (the tool call's arguments in tool mode), or a Defect."""
        choices = body.get("choices") if isinstance(body, Mapping) else None
        choice = choices[0] if isinstance(choices, list) and choices else None
        message = choice.get("message") if isinstance(choice, Mapping) else None
        if not isinstance(message, Mapping):
            raise empty()
        finish_reason = choice.get("finish_reason")

        refusal = message.get("refusal")
        if isinstance(refusal, str) and refusal.strip():
            raise refused()
        if finish_reason == "content_filter":
            raise filtered()

        raw = _text(message.get("content"))
        calls = message.get("tool_calls") if want_fields else None
        for call in calls if isinstance(calls, list) else ():
            function = call.get("function") if isinstance(call, Mapping) else None
            if isinstance(function, Mapping) and function.get("name") == TOOL_NAME:
                raw = _text(function.get("arguments"))
                break

        if finish_reason == "length":
            raise truncated(raw)
        return raw

    def tokens(self, body: Any) -> tuple[int, int]:
        usage = body.get("usage") if isinstance(body, Mapping) else None
        if not isinstance(usage, Mapping):
            return 0, 0
        return _count(usage.get("prompt_tokens")), _count(
            usage.get("completion_tokens")
        )


class Responses:
    """``POST /responses``: the answer is among the ``output`` items."""

    path = "/responses"

    def body(
        self, settings: GptSettings, messages: list[dict[str, str]], want_fields: bool
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": settings.model,
            "input": messages,
            "store": settings.store,
            "max_output_tokens": settings.max_tokens,
        }
        if settings.temperature is not None:
            body["temperature"] = settings.temperature
        if want_fields:
            body.update(self._format(settings.structured))
        return body

    def _format(self, structured: str) -> dict[str, Any]:
        if structured == "json_schema":
            return {
                "text": {
                    "format": {
                        "type": "json_schema",
                        "name": "assistant_answer",
                        "strict": True,
                        "schema": ANSWER_SCHEMA,
                    }
                }
            }
        if structured == "tool":
            tool = {
                "type": "function",
                "name": TOOL_NAME,
                "description": TOOL_DESCRIPTION,
                "parameters": ANSWER_SCHEMA,
                "strict": True,
            }
            return {
                "tools": [tool],
                "tool_choice": {"type": "function", "name": TOOL_NAME},
            }
        return {}

    def read(self, body: Any, want_fields: bool) -> str | None:
        """The output text (or the function call's arguments), or a Defect."""
        output = body.get("output") if isinstance(body, Mapping) else None
        if not isinstance(output, list):
            raise empty()
        items = [item for item in output if isinstance(item, Mapping)]

        texts: list[str] = []
        arguments = None
        for item in items:
            if item.get("type") == "function_call" and item.get("name") == TOOL_NAME:
                arguments = _text(item.get("arguments"))
            if item.get("type") == "message":
                texts += _output_texts(item.get("content"))

        raw = arguments if want_fields and arguments is not None else "".join(texts)
        details = body.get("incomplete_details")
        reason = details.get("reason") if isinstance(details, Mapping) else None
        if reason == "content_filter":
            raise filtered()
        if body.get("status") == "incomplete":
            raise truncated(raw or None)
        return raw or None

    def tokens(self, body: Any) -> tuple[int, int]:
        usage = body.get("usage") if isinstance(body, Mapping) else None
        if not isinstance(usage, Mapping):
            return 0, 0
        return _count(usage.get("input_tokens")), _count(usage.get("output_tokens"))


#: The API for each value of the ``api`` setting.
APIS = {"chat_completions": ChatCompletions(), "responses": Responses()}


def _output_texts(content: Any) -> list[str]:
    """The ``output_text`` parts of a message item; a refusal part is a Defect."""
    texts = []
    for part in content if isinstance(content, list) else ():
        kind = part.get("type") if isinstance(part, Mapping) else None
        if kind == "refusal":
            raise refused()
        if kind == "output_text" and isinstance(part.get("text"), str):
            texts.append(part["text"])
    return texts


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0
