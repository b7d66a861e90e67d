"""The channel and LLM mocks: real request shapes, windows, scripts, faults."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx

from leadwire_harness.clock import FakeClock
from leadwire_harness.dialogue import LlmAnswer
from leadwire_harness.providers.base import Failure
from leadwire_harness.providers.channels import TelegramApi, WhatsAppApi
from leadwire_harness.providers.openai import NEUTRAL_ANSWER, ScriptedLlm

GRAPH = "https://graph.facebook.com/v23.0/100000000000001/messages"


def send_whatsapp(api: WhatsAppApi, body: dict) -> httpx.Response:
    return api.handle(httpx.Request("POST", GRAPH, json=body))


def test_whatsapp_keeps_texts_and_buttons():
    """An interactive message is kept with its reply buttons, for presses."""
    clock = FakeClock()
    api = WhatsAppApi("whatsapp", clock)
    api.client_wrote("79215550123", clock.now())

    answer = send_whatsapp(
        api,
        {
            "messaging_product": "whatsapp",
            "to": "79215550123",
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": "Согласны?"},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": "yes", "title": "Да"}}
                    ]
                },
            },
        },
    )

    assert answer.json()["messages"][0]["id"].startswith("wamid.")
    assert api.sent[0].text == "Согласны?"
    assert api.last_buttons("79215550123") == (("yes", "Да"),)


def test_whatsapp_refuses_outside_the_24_hour_window():
    """25 hours after the client's last message the API answers 131047."""
    clock = FakeClock()
    api = WhatsAppApi("whatsapp", clock)
    api.client_wrote("79215550123", clock.now())
    clock.advance(timedelta(hours=25).total_seconds())

    answer = send_whatsapp(
        api,
        {
            "messaging_product": "whatsapp",
            "to": "79215550123",
            "type": "text",
            "text": {"body": "Здравствуйте"},
        },
    )

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == 131047
    assert api.sent == []


def test_telegram_refuses_a_wrong_bot_token():
    """A request with another bot's token is 401, as the Bot API answers."""
    api = TelegramApi("telegram", FakeClock(), "123:right")

    wrong = api.handle(
        httpx.Request(
            "POST",
            "https://api.telegram.org/bot123:wrong/sendMessage",
            json={"chat_id": 5, "text": "x"},
        )
    )

    assert wrong.status_code == 401
    assert api.sent == []


def test_injected_send_failure_uses_the_providers_error_body():
    """A 500 injected into a channel looks like that provider's own error."""
    api = TelegramApi("telegram", FakeClock(), "123:right")
    api.faults.arm(Failure("send-failure", status=500))
    url = "https://api.telegram.org/bot123:right/sendMessage"

    failed = api.handle(httpx.Request("POST", url, json={"chat_id": 5, "text": "x"}))
    passed = api.handle(httpx.Request("POST", url, json={"chat_id": 5, "text": "x"}))

    assert failed.status_code == 500
    assert failed.json() == {
        "ok": False,
        "error_code": 500,
        "description": "Internal Server Error",
    }
    assert passed.json()["ok"] is True
    assert len(api.sent) == 1


def ask(llm: ScriptedLlm, body: dict | None = None) -> dict:
    request = httpx.Request(
        "POST", "https://llm.test/v1/chat/completions", json=body or {"model": "m"}
    )
    return llm.handle(request).json()


def test_llm_answers_the_turns_script_and_repeats_its_last_answer():
    """Answers come in script order; a re-ask gets the last one again."""
    llm = ScriptedLlm()
    llm.script(
        2, [LlmAnswer(garbage="{oops"), LlmAnswer(reply="Готово", service="Стрижка")]
    )
    llm.turn = 2

    contents = [ask(llm)["choices"][0]["message"]["content"] for _ in range(3)]

    assert contents[0] == "{oops"
    assert json.loads(contents[1])["reply"] == "Готово"
    assert contents[2] == contents[1]


def test_llm_without_a_script_gives_a_neutral_answer():
    """A turn the dialogue did not script gets the neutral answer, counted."""
    llm = ScriptedLlm()

    content = ask(llm)["choices"][0]["message"]["content"]

    assert json.loads(content)["reply"] == NEUTRAL_ANSWER.reply
    assert llm.unscripted == 1


def test_llm_answers_a_forced_tool_call_with_tool_arguments():
    """When the request forces a function, the answer is that function's call."""
    llm = ScriptedLlm()
    llm.script(-1, [LlmAnswer(reply="Да")])
    body = {
        "model": "m",
        "tool_choice": {"type": "function", "function": {"name": "f"}},
    }

    message = ask(llm, body)["choices"][0]["message"]

    assert message["content"] is None
    assert (
        json.loads(message["tool_calls"][0]["function"]["arguments"])["reply"] == "Да"
    )
