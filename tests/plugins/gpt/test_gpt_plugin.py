"""The gpt plugin as leadwire sees it: entry point, settings, data map, logs."""

from __future__ import annotations

import logging

import pytest
from cattrs.errors import ClassValidationError
from gpt_fakes import OPENAI_CHAT, REQUEST, answer_json, completion, ok

from leadwire import Llm
from leadwire.config import converter
from leadwire.plugins import load_plugins
from leadwire_gpt import GptLlm, GptSettings


def test_loads_through_the_entry_point():
    """load_plugins() registers the "gpt" LLM with its settings and class."""
    host = load_plugins()

    kind = host.registry.llms["gpt"]

    assert kind.settings is GptSettings
    assert kind.create is GptLlm
    assert host.owner_of("llms", "gpt") == "gpt"


def test_connector_implements_the_llm_protocol(make_llm):
    """The connector satisfies leadwire.Llm."""
    assert isinstance(make_llm(), Llm)


@pytest.mark.parametrize(
    ("table", "complaint"),
    [
        ({}, "api.openai.com needs a key"),
        ({"base_url": "localhost:11434"}, "http(s) URL"),
        ({"base_url": "http://user:pw@localhost:8000/v1"}, "must not carry"),
        ({"base_url": "http://localhost:8000/v1", "structured": "xml"}, "literal"),
        ({"base_url": "http://localhost:8000/v1", "temperature": 3}, "between 0"),
        ({"base_url": "http://localhost:8000/v1", "timeout_seconds": 0}, "than 0"),
        ({"api_key": "sk-written-in-the-file"}, "env:"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(table, complaint):
    """Invalid settings tables fail to structure, each with a clear reason."""
    with pytest.raises(ClassValidationError) as caught:
        converter.structure(table, GptSettings)

    reasons = " ".join(str(error) for error in caught.value.exceptions)
    assert complaint in reasons


def test_openai_flow_is_pseudonymised_text_to_the_us(make_llm):
    """With OpenAI the data map shows message text going to the US, pseudonymised."""
    [flow] = make_llm().data_flows()

    assert flow.data == ("message text",)
    assert flow.recipient.startswith("OpenAI")
    assert flow.location == "US"
    assert flow.pseudonymised
    assert flow.cross_border


def test_local_server_location_is_unknown_until_configured(make_llm):
    """A local server's location is "unknown" by default and the setting otherwise."""
    local = {"base_url": "http://localhost:11434/v1", "api_key": None}

    [unknown] = make_llm(**local).data_flows()
    [russia] = make_llm(**local, location="RU").data_flows()

    assert unknown.location == "unknown"
    assert "localhost:11434" in unknown.recipient
    assert russia.location == "RU"
    assert not russia.cross_border


async def test_logs_hold_no_message_text(mock, make_llm, caplog):
    """Log lines of a reply with a re-ask carry counts and ids, never the texts."""
    caplog.set_level(logging.DEBUG, logger="leadwire")
    mock.post(OPENAI_CHAT).mock(
        side_effect=[
            ok(completion("Здравствуйте, [PERSON_1] не json")),
            ok(completion(answer_json(service="Маникюр"))),
        ]
    )

    await make_llm().complete(REQUEST)

    logged = caplog.text
    assert "request id req_fake_ok" in logged
    for secret_text in ("[PERSON_1]", "маникюр", "Маникюр", "Здравствуйте"):
        assert secret_text not in logged
