"""An OpenAI-compatible server answering with the dialogue's scripted answers.

Both ``/chat/completions`` and ``/responses`` are served, each in its own
shape.

The answer for a request is the next scripted :class:`LlmAnswer` of the turn
being handled; when the engine asks more often than the script says (a re-ask
after garbage, a retry after a crash), the turn's last answer repeats. A turn
with no script gets a neutral answer. Every request body is kept: the replay
searches them for the persona's values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import httpx

from leadwire_harness.dialogue import LlmAnswer
from leadwire_harness.providers.base import Call, FaultQueue, json_body, reply

__all__ = ["NEUTRAL_ANSWER", "ScriptedLlm"]

#: What a turn without a script gets.
NEUTRAL_ANSWER = LlmAnswer(reply="Спасибо! Передам ваш вопрос администратору.")


class ScriptedLlm:
    """The mocked model; point the ``gpt`` connector's ``base_url`` at it."""

    provider = "openai"

    def __init__(self, clock: Any = None) -> None:
        self.clock = clock
        self.calls: list[Call] = []
        self.raw_requests: list[str] = []
        self.faults = FaultQueue()
        self.turn = -1
        self._script: dict[int, Sequence[LlmAnswer]] = {}
        self._used: dict[int, int] = {}
        self.unscripted = 0

    def script(self, turn: int, answers: Sequence[LlmAnswer]) -> None:
        """Set what the model answers while *turn* is handled."""
        self._script[turn] = answers

    def next_answer(self) -> LlmAnswer:
        answers = self._script.get(self.turn) or ()
        if not answers:
            self.unscripted += 1
            return NEUTRAL_ANSWER
        used = self._used.get(self.turn, 0)
        self._used[self.turn] = used + 1
        return answers[min(used, len(answers) - 1)]

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one ``POST /chat/completions`` or ``POST /responses``."""
        self.raw_requests.append(request.content.decode("utf-8", "replace"))
        body = json_body(request) or {}
        failure = self.faults.take("chat")

        def answer() -> httpx.Response:
            scripted = self.next_answer()
            shape = (
                _response if request.url.path.endswith("/responses") else _completion
            )
            return httpx.Response(
                200,
                json=shape(body, scripted, len(self.calls)),
                headers={"x-request-id": f"req_replay_{len(self.calls)}"},
            )

        try:
            response = reply(request, failure, answer, self.clock)
        except httpx.TimeoutException:
            self._record(body, 0, failure)
            raise
        self._record(body, response.status_code, failure)
        return response

    def _record(self, body: Any, status: int, failure: Any) -> None:
        name = failure.name if failure else None
        self.calls.append(Call(self.provider, "chat", body, self.turn, status, name))


def _content(answer: LlmAnswer) -> str:
    if answer.garbage is not None:
        return answer.garbage
    return json.dumps(
        {
            "reply": answer.reply,
            "service": answer.service,
            "desired_time": answer.desired_time,
            "comment": answer.comment,
        },
        ensure_ascii=False,
    )


def _completion(request: Any, answer: LlmAnswer, number: int) -> dict[str, Any]:
    """A Chat Completions body carrying *answer* the way the request asked."""
    content: str | None = _content(answer)
    message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
    finish = "stop"

    tool = (request.get("tool_choice") or {}) if isinstance(request, dict) else {}
    name = tool.get("function", {}).get("name") if isinstance(tool, dict) else None
    if name:
        message["content"] = None
        message["tool_calls"] = [
            {
                "id": f"call_replay_{number}",
                "type": "function",
                "function": {"name": name, "arguments": content},
            }
        ]
        finish = "tool_calls"

    return {
        "id": f"chatcmpl-replay-{number}",
        "object": "chat.completion",
        "created": 1_770_000_000 + number,
        "model": request.get("model", "replay") if isinstance(request, dict) else "",
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 120, "completion_tokens": 40, "total_tokens": 160},
    }


def _response(request: Any, answer: LlmAnswer, number: int) -> dict[str, Any]:
    """A Responses API body carrying *answer* the way the request asked."""
    content = _content(answer)
    tool = (request.get("tool_choice") or {}) if isinstance(request, dict) else {}
    name = tool.get("name") if isinstance(tool, dict) else None
    item: dict[str, Any]
    if name:
        item = {
            "type": "function_call",
            "id": f"fc_replay_{number}",
            "call_id": f"call_replay_{number}",
            "name": name,
            "arguments": content,
            "status": "completed",
        }
    else:
        item = {
            "type": "message",
            "id": f"msg_replay_{number}",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": content, "annotations": []}],
        }
    return {
        "id": f"resp_replay_{number}",
        "object": "response",
        "created_at": 1_770_000_000 + number,
        "status": "completed",
        "model": request.get("model", "replay") if isinstance(request, dict) else "",
        "output": [item],
        "usage": {"input_tokens": 120, "output_tokens": 40, "total_tokens": 160},
    }
