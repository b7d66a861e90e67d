"""The contract of an LLM."""

from __future__ import annotations

import logging
from typing import ClassVar

import pytest
import respx

from leadwire import (
    ChatMessage,
    CompletionRequest,
    CredentialsError,
    LeadFields,
    Llm,
    UnusableAnswerError,
)
from leadwire_harness.contract._base import Contract, assert_no_secret

REQUEST = CompletionRequest(
    messages=(
        ChatMessage("system", "Вы администратор салона. Отвечайте коротко."),
        ChatMessage("user", "Здравствуйте, я [PERSON_1], хочу на маникюр завтра"),
    )
)


class LlmContract(Contract):
    """Subclass it and fill in the blanks below to test an LLM plugin.

    Besides the common blanks:

    - :meth:`mock_answer`: make the model answer with a text and lead fields;
    - :meth:`mock_garbage`: make it answer with nothing usable, every time;
    - :meth:`mock_credentials_failure`: make the provider refuse the key
      (leave :attr:`has_credentials` False for a model without any).
    """

    family = "llms"
    has_credentials: ClassVar[bool] = True

    def mock_answer(
        self, router: respx.Router, connector: Llm, text: str, fields: LeadFields
    ) -> None:
        """Make the next completion answer *text* with *fields*.

        Models behind HTTP mock their API on *router*; others may prime
        *connector* directly.
        """
        raise NotImplementedError("the contract needs mock_answer() for this LLM")

    def mock_garbage(self, router: respx.Router, connector: Llm) -> None:
        """Make every completion answer with nothing usable."""
        raise NotImplementedError("the contract needs mock_garbage() for this LLM")

    def mock_credentials_failure(self, router: respx.Router) -> None:
        raise NotImplementedError("the contract needs mock_credentials_failure()")

    def test_fits_the_llm_protocol(self, connector):
        """The connector has every method of leadwire.Llm."""
        assert isinstance(connector, Llm)

    async def test_answer_carries_text_fields_and_usage(self, connector):
        """A good answer gives the reply text, the lead fields and the usage."""
        fields = LeadFields(service="Маникюр", desired_time="завтра")
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            self.mock_answer(router, connector, "Записываю вас, [PERSON_1]!", fields)

            completion = await connector.complete(REQUEST)

        assert completion.text == "Записываю вас, [PERSON_1]!"
        assert completion.fields == fields
        assert completion.usage.model

    async def test_garbage_becomes_a_typed_failure(self, connector):
        """Nothing usable, even after a re-ask, raises UnusableAnswerError."""
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            self.mock_garbage(router, connector)

            with pytest.raises(UnusableAnswerError):
                await connector.complete(REQUEST)

    async def test_bad_credentials_fail_fast_without_the_secret(
        self, connector, caplog
    ):
        """A refused key raises CredentialsError, and no secret is shown."""
        if not self.has_credentials:
            pytest.skip("this model has no credentials")
        caplog.set_level(logging.DEBUG)
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            self.mock_credentials_failure(router)

            with pytest.raises(CredentialsError) as caught:
                await connector.complete(REQUEST)

        assert_no_secret(self.environment, caught.value, caplog.records)

    def test_declares_it_gets_only_pseudonymised_text(self, connector):
        """Every flow to the model is declared pseudonymised."""
        assert all(flow.pseudonymised for flow in connector.data_flows())
