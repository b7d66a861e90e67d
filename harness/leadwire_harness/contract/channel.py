"""The contract of a chat channel."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

import attrs
import pytest
import respx

from leadwire import (
    Channel,
    ConsentPrompt,
    CredentialsError,
    EventKind,
    OutboundMessage,
    OutsideWindowError,
    RateLimitedError,
    RejectedError,
    TemporaryError,
    WebhookRequest,
)
from leadwire_harness.contract._base import Contract, assert_no_secret

#: What a send can end in, and the error the engine expects for each.
SEND_OUTCOMES: Mapping[str, type[Exception]] = {
    "outside_window": OutsideWindowError,
    "rate_limited": RateLimitedError,
    "credentials": CredentialsError,
    "rejected": RejectedError,
    "unavailable": TemporaryError,
}


class ChannelContract(Contract):
    """Subclass it and fill in the blanks below to test a channel plugin.

    Besides :class:`~leadwire_harness.contract._base.Contract`'s blanks:

    - :meth:`sign`: sign a request the way the provider does (and
      :meth:`forge`, when altering the body is no forgery for this provider);
    - :attr:`deliveries`: sample request bodies in the provider's exact shape,
      each holding at least one event;
    - :meth:`mock_send`: mock the provider's send API for an outcome;
    - :attr:`send_outcomes`: the outcomes of :data:`SEND_OUTCOMES` the
      provider has (all by default);
    - :attr:`conversation`: a conversation id to send to.
    """

    family = "channels"
    deliveries: ClassVar[Mapping[str, bytes]] = {}
    send_outcomes: ClassVar[frozenset[str]] = frozenset(SEND_OUTCOMES)
    conversation: ClassVar[str] = "contract-conversation"

    def sign(self, request: WebhookRequest, now: datetime) -> WebhookRequest:
        """Return *request* with the provider's authenticity headers added.

        *now* is the connector's clock time, for schemes with a timestamp.
        """
        raise NotImplementedError("the contract needs sign() for this channel")

    def mock_send(self, router: respx.Router, outcome: str) -> None:
        """Mock the send API so the next sends end in *outcome* ("ok" or a key of
        SEND_OUTCOMES)."""
        raise NotImplementedError("the contract needs mock_send() for this channel")

    def forge(self, signed: WebhookRequest) -> WebhookRequest:
        """Return a forgery of a signed request: by default, its body altered.

        Providers that sign nothing but send a shared token override this to
        send a wrong token.
        """
        return attrs.evolve(signed, body=signed.body + b" ")

    def post(self, body: bytes) -> WebhookRequest:
        return WebhookRequest(
            "POST", headers={"content-type": "application/json"}, body=body
        )

    # -- authenticity --------------------------------------------------------

    def test_fits_the_channel_protocol(self, connector):
        """The connector has every method of leadwire.Channel."""
        assert isinstance(connector, Channel)

    def test_deliveries_are_given(self):
        """The contract has sample deliveries to work with."""
        assert self.deliveries, "fill in `deliveries` with sample request bodies"

    def test_signed_deliveries_are_accepted(self, connector, clock):
        """A request signed as the provider signs it is accepted."""
        for name, body in self.deliveries.items():
            verification = connector.verify(self.sign(self.post(body), clock.now()))

            assert verification.ok, f"{name}: {verification.reason}"

    def test_unsigned_request_is_refused_with_401(self, connector):
        """A request without credentials is refused as missing, without raising."""
        body = next(iter(self.deliveries.values()))

        verification = connector.verify(self.post(body))

        assert not verification.ok
        assert verification.status == 401

    def test_forged_request_is_refused_with_403(self, connector, clock):
        """A request with wrong credentials is refused as forged."""
        body = next(iter(self.deliveries.values()))
        signed = self.sign(self.post(body), clock.now())

        assert connector.verify(self.forge(signed)).status == 403

    async def test_handshake_never_raises(self, connector):
        """Any GET or POST gets an answer or None from handshake(), never an error."""
        for request in (
            WebhookRequest("GET"),
            WebhookRequest("GET", query={"unexpected": "1"}),
            self.post(next(iter(self.deliveries.values()))),
        ):
            answer = await connector.handshake(request)

            assert answer is None or 200 <= answer.status < 500

    # -- parsing -------------------------------------------------------------

    def test_each_delivery_parses_into_events(self, connector, clock):
        """Each sample parses into well-formed events of this channel."""
        for name, body in self.deliveries.items():
            events = list(connector.parse(self.sign(self.post(body), clock.now())))

            assert events, f"{name} gave no event"
            for event in events:
                assert event.channel == connector_name(self)
                assert isinstance(event.kind, EventKind)
                assert event.event_id
                assert event.conversation
                assert event.occurred_at.utcoffset() is not None
                if event.from_client:
                    assert event.sender is not None

    def test_parsing_is_repeatable(self, connector, clock):
        """The same delivery gives the same event ids: the engine dedupes on them."""
        for body in self.deliveries.values():
            request = self.sign(self.post(body), clock.now())
            first = [event.event_id for event in connector.parse(request)]
            second = [event.event_id for event in connector.parse(request)]

            assert first == second
            assert len(set(first)) == len(first), "event ids repeat within a delivery"

    def test_malformed_body_raises_value_error(self, connector, clock):
        """A body that is not the provider's format raises ValueError, nothing else."""
        for body in (b"", b"not json", b"[]", b'{"unexpected": true}'):
            with contextlib.suppress(ValueError):
                connector.parse(self.sign(self.post(body), clock.now()))

    # -- sending -------------------------------------------------------------

    async def test_send_returns_the_provider_ids(self, connector):
        """A successful send returns a receipt with the provider's message ids."""
        with respx.mock(assert_all_mocked=True) as router:
            self.mock_send(router, "ok")

            receipt = await connector.send(
                OutboundMessage(self.conversation, "Добрый день!")
            )

        assert receipt.message_ids

    async def test_consent_request_is_sent(self, connector):
        """The consent request goes out as its own message with its answers."""
        prompt = ConsentPrompt(
            text="Согласие на обработку данных, версия 1.",
            version="1",
            agree=("consent:agree", "Согласен"),
            refuse=("consent:refuse", "Не согласен"),
        )
        with respx.mock(assert_all_mocked=True) as router:
            self.mock_send(router, "ok")

            receipt = await connector.send_consent_request(self.conversation, prompt)

        assert receipt.message_ids

    @pytest.mark.parametrize("outcome", sorted(SEND_OUTCOMES))
    async def test_send_failures_map_to_engine_errors(self, connector, outcome, caplog):
        """Each failure raises the error the engine acts on, with no secret in it."""
        if outcome not in self.send_outcomes:
            pytest.skip(f"the provider has no {outcome} outcome")
        caplog.set_level(logging.DEBUG)

        with respx.mock(assert_all_mocked=True) as router:
            self.mock_send(router, outcome)
            with pytest.raises(SEND_OUTCOMES[outcome]) as caught:
                await connector.send(OutboundMessage(self.conversation, "Добрый день!"))

        assert_no_secret(self.environment, caught.value, caplog.records)


def connector_name(contract: Any) -> str:
    return f"contract-{contract.kind}"
