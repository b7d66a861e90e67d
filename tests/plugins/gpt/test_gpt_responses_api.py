"""The gpt connector over OpenAI's Responses API (api = "responses")."""

from __future__ import annotations

from typing import Any

import pytest
from gpt_fakes import REQUEST, answer_json, ok, sent

from leadwire import LeadFields, UnusableAnswerError
from leadwire_gpt._answer import ANSWER_SCHEMA

RESPONSES = "https://api.openai.com/v1/responses"


def response(
    *items: dict[str, Any],
    status: str = "completed",
    reason: str | None = None,
) -> dict[str, Any]:
    """A Responses API body with the given output items."""
    return {
        "id": "resp_fake",
        "object": "response",
        "status": status,
        "incomplete_details": {"reason": reason} if reason else None,
        "model": "gpt-4o-mini-2024-07-18",
        "output": list(items),
        "usage": {"input_tokens": 200, "output_tokens": 40, "total_tokens": 240},
    }


def message(*parts: dict[str, Any]) -> dict[str, Any]:
    return {"type": "message", "role": "assistant", "content": list(parts)}


def output_text(text: str) -> dict[str, Any]:
    return {"type": "output_text", "text": text, "annotations": []}


async def test_body_uses_input_store_and_text_format(mock, make_llm):
    """Messages go as input unchanged, store false, schema under text.format."""
    route = mock.post(RESPONSES).mock(
        return_value=ok(response(message(output_text(answer_json()))))
    )

    await make_llm(api="responses").complete(REQUEST)

    body = sent(route)
    assert body == {
        "model": "gpt-4o-mini",
        "input": [{"role": m.role, "content": m.content} for m in REQUEST.messages],
        "store": False,
        "max_output_tokens": 600,
        "text": {
            "format": {
                "type": "json_schema",
                "name": "assistant_answer",
                "strict": True,
                "schema": ANSWER_SCHEMA,
            }
        },
    }


async def test_output_text_becomes_the_answer(mock, make_llm):
    """output_text parts are read as the JSON answer; usage uses input/output."""
    content = answer_json(reply=" Когда удобно? ", service="Маникюр")
    mock.post(RESPONSES).mock(return_value=ok(response(message(output_text(content)))))

    result = await make_llm(api="responses").complete(REQUEST)

    assert result.text == "Когда удобно?"
    assert result.fields == LeadFields(service="Маникюр")
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (200, 40)


async def test_function_call_in_tool_mode(mock, make_llm):
    """In tool mode the function_call item's arguments are the answer."""
    call = {
        "type": "function_call",
        "call_id": "call_fake",
        "name": "answer_client",
        "arguments": answer_json(reply="Да"),
    }
    route = mock.post(RESPONSES).mock(return_value=ok(response(call)))

    result = await make_llm(api="responses", structured="tool").complete(REQUEST)

    assert result.text == "Да"
    assert sent(route)["tool_choice"] == {"type": "function", "name": "answer_client"}


DEFECTS = {
    "incomplete": response(
        message(output_text('{"reply": "Здрав')),
        status="incomplete",
        reason="max_output_tokens",
    ),
    "content filter": response(status="incomplete", reason="content_filter"),
    "refusal": response(message({"type": "refusal", "refusal": "No."})),
    "no output": response(),
}


@pytest.mark.parametrize("defect", DEFECTS.values(), ids=DEFECTS.keys())
async def test_defects_are_asked_again_then_fail(mock, make_llm, defect):
    """Each defect gets one re-ask; twice means UnusableAnswerError."""
    route = mock.post(RESPONSES).mock(side_effect=[ok(defect), ok(defect)])

    with pytest.raises(UnusableAnswerError):
        await make_llm(api="responses").complete(REQUEST)

    assert route.call_count == 2
    assert sent(route, 1)["input"][-1]["role"] == "user"
