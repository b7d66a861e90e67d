"""What a channel on one of Meta's messaging APIs does the same way as the others.

WhatsApp and Instagram channels read the same three secrets, answer the same
handshake, check the same signature, and post to a Graph API ``messages``
endpoint with a bearer token, failing in the same shape. :class:`MetaChannel`
does all that; a product's channel adds its settings, its payload parsing and
its message shapes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

import httpx

from leadwire import (
    ConnectorContext,
    ConsentPrompt,
    InboundEvent,
    OutboundMessage,
    RejectedError,
    Secret,
    SendReceipt,
    Verification,
    WebhookRequest,
    WebhookResponse,
)
from leadwire_meta._errors import GraphProduct, error_for_answer, error_for_transport
from leadwire_meta._webhook import answer_handshake, check_signature


class MetaSettings(Protocol):
    """The settings every Meta channel has, whatever else its table holds."""

    @property
    def access_token(self) -> Secret: ...

    @property
    def app_secret(self) -> Secret: ...

    @property
    def verify_token(self) -> Secret: ...

    @property
    def api_version(self) -> str: ...

    @property
    def graph_url(self) -> str: ...

    @property
    def timeout(self) -> float: ...


SettingsT = TypeVar("SettingsT", bound=MetaSettings)


class MetaChannel(Generic[SettingsT]):
    """The receiving checks and the sending plumbing of a Meta channel.

    Secrets are read from the environment when the channel is created, so a
    missing variable stops the start with a ConfigError naming it. A subclass
    sets :attr:`product` and :attr:`parse_delivery`, and gives
    :meth:`_message_body`, :meth:`_message_id` and :attr:`_account`.
    """

    #: The product's API, its codes and its wording.
    product: GraphProduct
    #: Turns a delivery's body into events: ``(body, channel, received_at)``.
    parse_delivery: Callable[[bytes, str, datetime], Sequence[InboundEvent]]

    def __init__(self, settings: SettingsT, context: ConnectorContext) -> None:
        self.settings = settings
        self.context = context
        self._access_token = settings.access_token.reveal()
        self._app_secret = settings.app_secret.reveal()
        self._verify_token = settings.verify_token.reveal()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.context.name!r})"

    # -- receiving -------------------------------------------------------

    async def handshake(self, request: WebhookRequest) -> WebhookResponse | None:
        """Answer Meta's ``hub.*`` subscription check; None for deliveries."""
        return answer_handshake(request, self._verify_token)

    def verify(self, request: WebhookRequest) -> Verification:
        """Check ``X-Hub-Signature-256`` over the raw body."""
        return check_signature(request, self._app_secret)

    def parse(self, request: WebhookRequest) -> Sequence[InboundEvent]:
        """Every event of the delivery; ValueError if the body is not one."""
        received_at = self.context.clock.now()
        return self.parse_delivery(request.body, self.context.name, received_at)

    # -- sending ---------------------------------------------------------

    async def send(self, message: OutboundMessage) -> SendReceipt:
        """Send *message* as the product's messages; see the subclass."""
        raise NotImplementedError

    async def send_consent_request(
        self, conversation: str, prompt: ConsentPrompt
    ) -> SendReceipt:
        """Send the consent text with agree and refuse as reply buttons.

        ``ask_phone`` is not rendered: the subclass says why.
        """
        return await self.send(
            OutboundMessage(
                conversation=conversation,
                text=prompt.text,
                buttons=(prompt.agree, prompt.refuse),
            )
        )

    async def _send_all(
        self, conversation: str, planned: Sequence[dict[str, Any]]
    ) -> SendReceipt:
        """Post every planned message to *conversation*, in order."""
        if not planned:
            raise RejectedError(
                "an empty message without buttons cannot be sent",
                connector=self.context.name,
            )

        # XXX: if a later part fails, the earlier parts are already out and a
        # retry sends them again; the receipt cannot report a partial send.
        message_ids = []
        for content in planned:
            message_id = await self._post(conversation, content)
            if message_id:
                message_ids.append(message_id)

        self.context.logger.info(
            "sent %d %s message(s)", len(planned), self.product.name
        )
        return SendReceipt(tuple(message_ids))

    async def _post(self, recipient: str, content: dict[str, Any]) -> str | None:
        """Post one message; return the id the API gave it."""
        name = self.product.name
        try:
            response = await self.context.http.post(
                self._messages_url,
                json=self._message_body(recipient, content),
                headers={"Authorization": f"Bearer {self._access_token}"},
                timeout=self.settings.timeout,
            )
        except httpx.RequestError as error:
            self.context.logger.warning(
                "%s send failed: %s", name, type(error).__name__
            )
            raise error_for_transport(
                error, self.product, connector=self.context.name
            ) from None

        if not response.is_success:
            failure = error_for_answer(
                response,
                self.product,
                connector=self.context.name,
                token_env=self.settings.access_token.env,
                account=self._account,
                now=self.context.clock.now(),
            )
            self.context.logger.warning(
                "%s send failed: %s: %s", name, type(failure).__name__, failure
            )
            raise failure

        message_id = self._message_id(response)
        if message_id is None:
            self.context.logger.warning(
                "%s accepted a message but its answer has no message id", name
            )
        return message_id

    @property
    def _messages_url(self) -> str:
        settings = self.settings
        base = settings.graph_url.rstrip("/")
        return f"{base}/{settings.api_version}/{self._account}/messages"

    # -- the product's part ----------------------------------------------

    @property
    def _account(self) -> str:
        """The sending account's id in the messages path."""
        raise NotImplementedError

    def _message_body(self, recipient: str, content: dict[str, Any]) -> dict[str, Any]:
        """The JSON to post for one planned message to *recipient*."""
        raise NotImplementedError

    def _message_id(self, response: httpx.Response) -> str | None:
        """The sent message's id from a successful answer; None if it has none."""
        raise NotImplementedError
