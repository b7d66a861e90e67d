"""How the gpt connector reads answers: structured fields, defects, one re-ask."""

from __future__ import annotations

import json

import httpx
import pytest
from gpt_fakes import OPENAI_CHAT, REQUEST, answer_json, completion, ok, sent

from leadwire import LeadFields, UnusableAnswerError


async def test_structured_answer_becomes_reply_and_fields(mock, make_llm):
    """reply and fields are parsed, whitespace stripped, placeholders kept."""
    content = answer_json(
        reply="  Записываю вас, [PERSON_1]!  ",
        service=" Маникюр ",
        desired_time="завтра в 15:00",
        comment="   ",
    )
    mock.post(OPENAI_CHAT).mock(return_value=ok(completion(content)))

    result = await make_llm().complete(REQUEST)

    assert result.text == "Записываю вас, [PERSON_1]!"
    assert result.fields == LeadFields(
        service="Маникюр", desired_time="завтра в 15:00", comment=None
    )


async def test_usage_reports_tokens_model_and_latency(mock, make_llm):
    """Usage carries the response's model, its token counts and a latency."""
    mock.post(OPENAI_CHAT).mock(
        return_value=ok(
            completion(answer_json(), prompt_tokens=321, completion_tokens=45)
        )
    )

    usage = (await make_llm().complete(REQUEST)).usage

    assert usage.model == "gpt-4o-mini-2024-07-18"
    assert (usage.prompt_tokens, usage.completion_tokens) == (321, 45)
    assert usage.latency_ms > 0


async def test_tool_call_arguments_are_read(mock, make_llm):
    """In tool mode the function's arguments string is the answer."""
    arguments = answer_json(reply="Когда вам удобно?", service="Стрижка")
    mock.post(OPENAI_CHAT).mock(
        return_value=ok(completion(None, tool_arguments=arguments))
    )

    result = await make_llm(structured="tool").complete(REQUEST)

    assert result.text == "Когда вам удобно?"
    assert result.fields.service == "Стрижка"


async def test_fields_of_wrong_types_are_dropped(mock, make_llm):
    """Numbers, lists and "null" strings in fields become None; extra keys ignored."""
    content = json.dumps(
        {
            "reply": "Хорошо",
            "service": ["Маникюр"],
            "desired_time": 15,
            "comment": "null",
            "phone": "[PHONE_1]",
        }
    )
    mock.post(OPENAI_CHAT).mock(return_value=ok(completion(content)))

    result = await make_llm().complete(REQUEST)

    assert result.fields == LeadFields()


async def test_lone_object_in_an_array_is_accepted(mock, make_llm):
    """[{...}] is read as the object it wraps."""
    content = f"[{answer_json(reply='Да')}]"
    mock.post(OPENAI_CHAT).mock(return_value=ok(completion(content)))

    result = await make_llm().complete(REQUEST)

    assert result.text == "Да"


async def test_fenced_json_from_a_local_model_is_accepted(mock, make_llm):
    """A ```json fence around the object is removed in "none" mode."""
    content = f"```json\n{answer_json(reply='Добрый день')}\n```"
    mock.post("http://localhost:8000/v1/chat/completions").mock(
        return_value=ok(completion(content))
    )
    llm = make_llm(base_url="http://localhost:8000/v1", structured="none", api_key=None)

    result = await llm.complete(REQUEST)

    assert result.text == "Добрый день"


# Each defect earns one re-ask; a usable second answer is returned.
DEFECTS = {
    "invalid json": completion('{"reply": "Здравствуйте'),
    "null arguments": completion(None, tool_arguments=None, finish_reason="stop"),
    "array of objects": completion(json.dumps([{"reply": "a"}, {"reply": "b"}])),
    "string instead of object": completion(json.dumps("Здравствуйте")),
    "truncated": completion('{"reply": "Здравствуйте, мы', finish_reason="length"),
    "content filter": completion(None, finish_reason="content_filter"),
    "refusal": completion(None, refusal="I can't help with that."),
    "empty reply": completion(answer_json(reply="   ")),
    "reply missing": completion(json.dumps({"service": "Маникюр"})),
    "no choices": {"id": "chatcmpl-fake", "choices": []},
}


@pytest.mark.parametrize("defect", DEFECTS.values(), ids=DEFECTS.keys())
async def test_defect_is_asked_again_once(mock, make_llm, defect):
    """An unusable answer is re-asked with a corrective turn; the second is used."""
    route = mock.post(OPENAI_CHAT).mock(
        side_effect=[ok(defect), ok(completion(answer_json(reply="Готово")))]
    )

    result = await make_llm().complete(REQUEST)

    assert result.text == "Готово"
    assert route.call_count == 2
    first, second = sent(route, 0)["messages"], sent(route, 1)["messages"]
    assert second[: len(first)] == first
    assistant, correction = second[len(first) :]
    assert assistant["role"] == "assistant"
    assert correction["role"] == "user"
    assert "not the client" in correction["content"]


@pytest.mark.parametrize("defect", DEFECTS.values(), ids=DEFECTS.keys())
async def test_defect_twice_raises_unusable_answer(mock, make_llm, defect):
    """Two unusable answers raise UnusableAnswerError; no third request."""
    route = mock.post(OPENAI_CHAT).mock(side_effect=[ok(defect), ok(defect)])

    with pytest.raises(UnusableAnswerError) as caught:
        await make_llm().complete(REQUEST)

    assert route.call_count == 2
    assert caught.value.connector == "assistant"
    assert caught.value.trace_id == "req_fake_ok"


async def test_truncated_answer_is_shown_back_and_asked_shorter(mock, make_llm):
    """After finish_reason "length" the re-ask quotes the cut text and asks shorter."""
    cut = '{"reply": "Здравствуйте, у нас'
    route = mock.post(OPENAI_CHAT).mock(
        side_effect=[
            ok(completion(cut, finish_reason="length")),
            ok(completion(answer_json())),
        ]
    )

    await make_llm().complete(REQUEST)

    *_, assistant, correction = sent(route, 1)["messages"]
    assert assistant == {"role": "assistant", "content": cut}
    assert "shorter" in correction["content"]


async def test_usage_adds_up_both_requests_of_a_re_ask(mock, make_llm):
    """Tokens of the unusable answer count too: they were paid for."""
    mock.post(OPENAI_CHAT).mock(
        side_effect=[
            ok(completion("not json", prompt_tokens=100, completion_tokens=10)),
            ok(completion(answer_json(), prompt_tokens=130, completion_tokens=20)),
        ]
    )

    usage = (await make_llm().complete(REQUEST)).usage

    assert (usage.prompt_tokens, usage.completion_tokens) == (230, 30)


async def test_non_json_success_body_is_re_asked(mock, make_llm):
    """A 200 with an HTML body (a proxy's page) is unusable, then re-asked."""
    route = mock.post(OPENAI_CHAT).mock(
        side_effect=[
            httpx.Response(200, text="<html>proxy</html>"),
            ok(completion(answer_json(reply="Да"))),
        ]
    )

    result = await make_llm().complete(REQUEST)

    assert result.text == "Да"
    assert route.call_count == 2
