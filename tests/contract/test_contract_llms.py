"""The GPT and offline plugins pass the LLM contract."""

from __future__ import annotations

import json

import httpx

import leadwire_gpt
import leadwire_offline
from leadwire import Completion, UnusableAnswerError, Usage
from leadwire_harness.contract import LlmContract

COMPLETIONS = "https://api.openai.com/v1/chat/completions"


def completion(content: str | None, finish_reason: str = "stop") -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "id": "chatcmpl-contract",
            "object": "chat.completion",
            "created": 1772445000,
            "model": "gpt-4o-mini",
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": content,
                        "refusal": None,
                    },
                    "finish_reason": finish_reason,
                }
            ],
            "usage": {"prompt_tokens": 40, "completion_tokens": 12, "total_tokens": 52},
        },
    )


class TestGptLlm(LlmContract):
    plugin = leadwire_gpt
    kind = "gpt"
    settings = {"api_key": "env:CONTRACT_OPENAI_KEY"}
    environment = {"CONTRACT_OPENAI_KEY": "sk-contract-key-0001"}

    def mock_answer(self, router, connector, text, fields):
        answer = {
            "reply": text,
            "service": fields.service,
            "desired_time": fields.desired_time,
            "comment": fields.comment,
        }
        router.post(COMPLETIONS).mock(return_value=completion(json.dumps(answer)))

    def mock_garbage(self, router, connector):
        router.post(COMPLETIONS).mock(return_value=completion("{not json"))

    def mock_credentials_failure(self, router):
        error = {"message": "invented", "type": "invalid_request_error", "code": None}
        router.post(COMPLETIONS).mock(
            return_value=httpx.Response(401, json={"error": {**error, "param": None}})
        )


class TestOfflineLlm(LlmContract):
    plugin = leadwire_offline
    kind = "offline"
    has_credentials = False

    def mock_answer(self, router, connector, text, fields):
        connector.queue(Completion(text, fields, Usage(model="offline")))

    def mock_garbage(self, router, connector):
        connector.queue(UnusableAnswerError("scripted garbage", connector="offline"))
