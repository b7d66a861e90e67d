"""What the gpt connector sends: only what the engine gave it, in the API's shape."""

from __future__ import annotations

import json

import attrs
import httpx
from gpt_fakes import (
    FAKE_KEY,
    OPENAI_CHAT,
    REQUEST,
    answer_json,
    completion,
    ok,
    sent,
)

from leadwire_gpt._answer import ANSWER_SCHEMA, FORMAT_INSTRUCTION

ENGINE_MESSAGES = [
    {"role": message.role, "content": message.content} for message in REQUEST.messages
]


async def test_body_holds_only_the_engines_messages_and_the_format(mock, make_llm):
    """The body is the model, the messages exactly, store false, cap, schema."""
    route = mock.post(OPENAI_CHAT).mock(return_value=ok(completion(answer_json())))

    await make_llm().complete(REQUEST)

    body = sent(route)
    assert body == {
        "model": "gpt-4o-mini",
        "messages": ENGINE_MESSAGES,
        "store": False,
        "max_completion_tokens": 600,
        "response_format": {
            "type": "json_schema",
            "json_schema": {
                "name": "assistant_answer",
                "strict": True,
                "schema": ANSWER_SCHEMA,
            },
        },
    }


async def test_openai_gets_the_key_as_a_bearer_token(mock, make_llm):
    """Requests to OpenAI carry Authorization: Bearer with the key from the env."""
    route = mock.post(OPENAI_CHAT).mock(return_value=ok(completion(answer_json())))

    await make_llm().complete(REQUEST)

    assert route.calls[0].request.headers["authorization"] == f"Bearer {FAKE_KEY}"


async def test_local_server_without_key_gets_no_authorization(mock, make_llm):
    """A local base_url with a trailing slash and no key: right URL, no auth header."""
    route = mock.post("http://localhost:11434/v1/chat/completions").mock(
        return_value=ok(completion(answer_json()))
    )
    llm = make_llm(
        base_url="http://localhost:11434/v1/", model="qwen2.5:7b", api_key=None
    )

    await llm.complete(REQUEST)

    request = route.calls[0].request
    assert "authorization" not in request.headers
    body = sent(route)
    assert body["model"] == "qwen2.5:7b"
    assert body["max_tokens"] == 600
    assert "max_completion_tokens" not in body


async def test_tool_mode_forces_the_answer_function(mock, make_llm):
    """structured = "tool" sends one strict function and forces its call."""
    route = mock.post(OPENAI_CHAT).mock(
        return_value=ok(completion(tool_arguments=answer_json(), finish_reason="stop"))
    )

    await make_llm(structured="tool").complete(REQUEST)

    body = sent(route)
    assert "response_format" not in body
    assert body["messages"] == ENGINE_MESSAGES
    [tool] = body["tools"]
    assert tool["function"]["name"] == "answer_client"
    assert tool["function"]["parameters"] == ANSWER_SCHEMA
    assert body["tool_choice"] == {
        "type": "function",
        "function": {"name": "answer_client"},
    }


async def test_none_mode_describes_the_format_in_the_system_message(mock, make_llm):
    """structured = "none" appends the JSON format to the system message only."""
    route = mock.post(OPENAI_CHAT).mock(return_value=ok(completion(answer_json())))

    await make_llm(structured="none").complete(REQUEST)

    body = sent(route)
    assert "response_format" not in body
    assert "tools" not in body
    system, user = body["messages"]
    assert (
        system["content"] == REQUEST.messages[0].content + "\n\n" + FORMAT_INSTRUCTION
    )
    assert user == ENGINE_MESSAGES[1]


async def test_plain_reply_asks_for_no_format(mock, make_llm):
    """want_fields=False sends no schema and returns the text without fields."""
    route = mock.post(OPENAI_CHAT).mock(
        return_value=ok(completion("  Здравствуйте!  "))
    )
    request = attrs.evolve(REQUEST, want_fields=False)

    result = await make_llm().complete(request)

    assert "response_format" not in sent(route)
    assert result.text == "Здравствуйте!"
    assert result.fields is None


async def test_temperature_and_store_are_sent_as_configured(mock, make_llm):
    """temperature appears only when set; store follows the setting."""
    route = mock.post(OPENAI_CHAT).mock(return_value=ok(completion(answer_json())))

    await make_llm(temperature=0.2, store=True, max_tokens=300).complete(REQUEST)

    body = sent(route)
    assert body["temperature"] == 0.2
    assert body["store"] is True
    assert body["max_completion_tokens"] == 300


async def test_request_is_json_with_unicode_text_intact(mock, make_llm):
    """The pseudonymised Russian text arrives unchanged, placeholders included."""
    route = mock.post(OPENAI_CHAT).mock(return_value=ok(completion(answer_json())))

    await make_llm().complete(REQUEST)

    request: httpx.Request = route.calls[0].request
    assert request.headers["content-type"] == "application/json"
    text = json.loads(request.content)["messages"][1]["content"]
    assert "[PERSON_1]" in text
    assert text == REQUEST.messages[1].content
