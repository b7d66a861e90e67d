"""The Instagram Direct channel, through Meta's Instagram messaging API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import httpx

from leadwire import (
    ConnectorContext,
    ConsentPrompt,
    DataFlow,
    InboundEvent,
    OutboundMessage,
    RejectedError,
    Secret,
    SendReceipt,
    Verification,
    WebhookRequest,
    WebhookResponse,
)
from leadwire_instagram._errors import error_for_answer, error_for_transport
from leadwire_instagram._inbound import parse_delivery
from leadwire_instagram._meta import answer_handshake, check_signature
from leadwire_instagram._outbound import plan_messages

META = "Meta Platforms (Instagram messaging API)"


@attrs.frozen
class InstagramSettings:
    """The ``[channels.<name>]`` table of an Instagram Direct channel.

    :param access_token: An Instagram user access token of the professional
        account, with ``instagram_business_manage_messages``.
    :param app_secret: The Meta app's secret, which signs webhook deliveries.
    :param verify_token: The string typed into Meta's webhook form.
    :param account_id: The professional account's id in send paths; ``me``
        means the token's own account.
    :param api_version: The Graph API version in request paths.
    :param graph_url: The Instagram Graph API's address.
    :param timeout: Seconds to wait for one API call.
    :param button_prompt: The text of a follow-up message that carries quick
        replies beyond the first thirteen.
    """

    access_token: Secret
    app_secret: Secret
    verify_token: Secret
    account_id: str = "me"
    api_version: str = "v23.0"
    graph_url: str = "https://graph.instagram.com"
    timeout: float = 15.0
    button_prompt: str = "Ещё варианты:"


class InstagramChannel:
    """An Instagram professional account's Direct messages.

    Secrets are read from the environment when the channel is created, so a
    missing variable stops the start with a ConfigError naming it.
    """

    def __init__(self, settings: InstagramSettings, context: ConnectorContext) -> None:
        self.settings = settings
        self.context = context
        self._access_token = settings.access_token.reveal()
        self._app_secret = settings.app_secret.reveal()
        self._verify_token = settings.verify_token.reveal()

    def __repr__(self) -> str:
        return f"InstagramChannel(name={self.context.name!r})"

    # -- receiving -------------------------------------------------------

    async def handshake(self, request: WebhookRequest) -> WebhookResponse | None:
        """Answer Meta's ``hub.*`` subscription check; None for deliveries."""
        return answer_handshake(request, self._verify_token)

    def verify(self, request: WebhookRequest) -> Verification:
        """Check ``X-Hub-Signature-256`` over the raw body."""
        return check_signature(request, self._app_secret)

    def parse(self, request: WebhookRequest) -> Sequence[InboundEvent]:
        """Every messaging event of the delivery, as events."""
        return parse_delivery(request.body, self.context.name, self.context.clock.now())

    # -- sending ---------------------------------------------------------

    async def send(self, message: OutboundMessage) -> SendReceipt:
        """Send the text in parts of at most 1000 bytes, quick replies last.

        ``reply_to`` is not rendered: the message goes without a quote.
        """
        planned = plan_messages(
            message.text, message.buttons, prompt=self.settings.button_prompt
        )
        if not planned:
            raise RejectedError(
                "an empty message without buttons cannot be sent",
                connector=self.context.name,
            )

        # XXX: if a later part fails, the earlier parts are already out and a
        # retry sends them again; the receipt cannot report a partial send.
        message_ids = []
        for content in planned:
            message_id = await self._post(message.conversation, content)
            if message_id:
                message_ids.append(message_id)

        self.context.logger.info("sent %d Instagram message(s)", len(planned))
        return SendReceipt(tuple(message_ids))

    async def send_consent_request(
        self, conversation: str, prompt: ConsentPrompt
    ) -> SendReceipt:
        """Send the consent text with agree and refuse quick replies.

        ``ask_phone`` is not rendered: a phone quick reply would hand over the
        number before the client answered the consent question.
        """
        return await self.send(
            OutboundMessage(
                conversation=conversation,
                text=prompt.text,
                buttons=(prompt.agree, prompt.refuse),
            )
        )

    async def _post(self, recipient: str, content: dict[str, Any]) -> str | None:
        """Post one message; return its mid."""
        body = {"recipient": {"id": recipient}, "message": content}
        try:
            response = await self.context.http.post(
                self._messages_url,
                json=body,
                headers={"Authorization": f"Bearer {self._access_token}"},
                timeout=self.settings.timeout,
            )
        except httpx.RequestError as error:
            self.context.logger.warning(
                "Instagram send failed: %s", type(error).__name__
            )
            raise error_for_transport(error, connector=self.context.name) from None

        if not response.is_success:
            failure = error_for_answer(
                response,
                connector=self.context.name,
                token_env=self.settings.access_token.env,
                now=self.context.clock.now(),
            )
            self.context.logger.warning(
                "Instagram send failed: %s: %s", type(failure).__name__, failure
            )
            raise failure

        return self._message_id(response)

    def _message_id(self, response: httpx.Response) -> str | None:
        try:
            return str(response.json()["message_id"])
        except (ValueError, LookupError, TypeError):
            self.context.logger.warning(
                "Instagram accepted a message but its answer has no message id"
            )
            return None

    @property
    def _messages_url(self) -> str:
        settings = self.settings
        base = settings.graph_url.rstrip("/")
        return f"{base}/{settings.api_version}/{settings.account_id}/messages"

    # -- declarations ----------------------------------------------------

    def data_flows(self) -> Sequence[DataFlow]:
        """What passes through Meta's servers, which are outside Russia."""
        return (
            DataFlow(
                data=(
                    "Instagram-scoped user id (IGSID)",
                    "message text",
                    "media metadata",
                    "reactions",
                ),
                recipient=META,
                location="US",
                purpose="receive the client's Instagram Direct messages",
            ),
            DataFlow(
                data=(
                    "Instagram-scoped user id (IGSID)",
                    "reply text",
                    "consent request",
                ),
                recipient=META,
                location="US",
                purpose="send replies and the consent request to the client",
            ),
        )

    async def aclose(self) -> None:
        """Nothing to release: the HTTP client is shared and closed by leadwire."""
