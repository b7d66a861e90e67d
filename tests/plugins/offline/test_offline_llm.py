"""The offline connector as leadwire sees it: determinism, script, data map."""

from __future__ import annotations

import pytest
from cattrs.errors import ClassValidationError
from offline_fakes import conversation

from leadwire import (
    Completion,
    LeadFields,
    Llm,
    UnusableAnswerError,
    Usage,
)
from leadwire.config import converter
from leadwire.plugins import load_plugins
from leadwire_offline import OfflineLlm, OfflineSettings

BOOKING = conversation("Хочу на стрижку", "Когда?", "завтра в 15:00")


def test_loads_through_the_entry_point():
    """load_plugins() registers the "offline" LLM with its settings and class."""
    host = load_plugins()

    kind = host.registry.llms["offline"]

    assert kind.settings is OfflineSettings
    assert kind.create is OfflineLlm
    assert host.owner_of("llms", "offline") == "offline"


def test_connector_implements_the_llm_protocol(make_llm):
    """The connector satisfies leadwire.Llm."""
    assert isinstance(make_llm(), Llm)


async def test_same_input_same_output(make_llm):
    """Two connectors asked the same thing twice give four equal completions."""
    first, second = make_llm(), make_llm()

    answers = [await llm.complete(BOOKING) for llm in (first, second, first, second)]

    assert all(answer == answers[0] for answer in answers)


async def test_usage_names_the_offline_model(make_llm):
    """Usage says "offline", counts words as tokens and no latency."""
    request = conversation("Привет всем", system="Отвечай коротко.")

    result = await make_llm().complete(request)

    assert result.usage.model == "offline"
    assert result.usage.prompt_tokens == 4
    assert result.usage.completion_tokens == len(result.text.split())
    assert result.usage.latency_ms == 0.0


async def test_no_fields_when_not_wanted(make_llm):
    """want_fields=False gives the reply with fields None."""
    request = conversation("Хочу на стрижку завтра")
    request = type(request)(messages=request.messages, want_fields=False)

    result = await make_llm().complete(request)

    assert result.fields is None
    assert result.text


async def test_empty_conversation_gets_the_generic_answer(make_llm):
    """A request without user messages is answered, not crashed on."""
    request = type(BOOKING)(messages=BOOKING.messages[:1])

    result = await make_llm().complete(request)

    assert result.text.startswith("Спасибо за сообщение!")


async def test_script_replies_come_first_then_rules(make_llm):
    """The script setting's replies are used in order, then the rules answer."""
    llm = make_llm(script=["Первый ответ", "Второй ответ"])

    texts = [(await llm.complete(BOOKING)).text for _ in range(3)]

    assert texts[:2] == ["Первый ответ", "Второй ответ"]
    assert texts[2].startswith("Спасибо! Записываю ваше пожелание")
    assert llm.queued == 0


async def test_scripted_text_still_gets_the_fields(make_llm):
    """A scripted reply carries the fields the rules read from the messages."""
    llm = make_llm(script=["Хорошо"])

    result = await llm.complete(BOOKING)

    assert result.text == "Хорошо"
    assert result.fields == LeadFields("Стрижка", "завтра в 15:00")
    assert result.usage.model == "offline"


async def test_queued_completion_and_error(make_llm):
    """A queued Completion is returned as is; a queued exception is raised."""
    llm = make_llm()
    canned = Completion("Готово", LeadFields(comment="x"), Usage(model="canned"))
    llm.queue(canned, UnusableAnswerError("no answer", connector="assistant"))

    assert await llm.complete(BOOKING) is canned
    with pytest.raises(UnusableAnswerError):
        await llm.complete(BOOKING)
    assert (await llm.complete(BOOKING)).usage.model == "offline"


def test_data_stays_on_this_server(make_llm):
    """The data map shows pseudonymised text processed here, in Russia."""
    [flow] = make_llm().data_flows()

    assert flow.recipient == "this server"
    assert flow.location == "RU"
    assert flow.pseudonymised
    assert not flow.cross_border


def test_script_must_be_a_list_of_texts():
    """A script that is not a list of strings is refused when configured."""
    with pytest.raises(ClassValidationError):
        converter.structure({"script": [{"reply": "x"}]}, OfflineSettings)
