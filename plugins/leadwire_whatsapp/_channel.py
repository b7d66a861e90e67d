"""The WhatsApp Business Cloud API channel."""

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
from leadwire_whatsapp._errors import error_for_answer, error_for_transport
from leadwire_whatsapp._inbound import parse_delivery
from leadwire_whatsapp._meta import answer_handshake, check_signature
from leadwire_whatsapp._outbound import plan_messages

META = "Meta Platforms (WhatsApp Cloud API)"


@attrs.frozen
class WhatsAppSettings:
    """The ``[channels.<name>]`` table of a WhatsApp channel.

    :param phone_number_id: The business phone number's id in the Cloud API
        (not the number itself).
    :param access_token: A system-user token with ``whatsapp_business_messaging``.
    :param app_secret: The Meta app's secret, which signs webhook deliveries.
    :param verify_token: The string typed into Meta's webhook form.
    :param api_version: The Graph API version in request paths.
    :param graph_url: The Graph API's address.
    :param timeout: Seconds to wait for one API call.
    :param button_prompt: The body of an interactive message sent after a text
        too long to carry the buttons itself.
    :param list_label: The label of the button that opens a list of options.
    """

    phone_number_id: str
    access_token: Secret
    app_secret: Secret
    verify_token: Secret
    api_version: str = "v23.0"
    graph_url: str = "https://graph.facebook.com"
    timeout: float = 15.0
    button_prompt: str = "Выберите вариант:"
    list_label: str = "Варианты"


class WhatsAppChannel:
    """A WhatsApp Business number, through Meta's Cloud API.

    Secrets are read from the environment when the channel is created, so a
    missing variable stops the start with a ConfigError naming it.
    """

    def __init__(self, settings: WhatsAppSettings, context: ConnectorContext) -> None:
        self.settings = settings
        self.context = context
        self._access_token = settings.access_token.reveal()
        self._app_secret = settings.app_secret.reveal()
        self._verify_token = settings.verify_token.reveal()

    def __repr__(self) -> str:
        return f"WhatsAppChannel(name={self.context.name!r})"

    # -- receiving -------------------------------------------------------

    async def handshake(self, request: WebhookRequest) -> WebhookResponse | None:
        """Answer Meta's ``hub.*`` subscription check; None for deliveries."""
        return answer_handshake(request, self._verify_token)

    def verify(self, request: WebhookRequest) -> Verification:
        """Check ``X-Hub-Signature-256`` over the raw body."""
        return check_signature(request, self._app_secret)

    def parse(self, request: WebhookRequest) -> Sequence[InboundEvent]:
        """Every message and status of the delivery, as events."""
        return parse_delivery(request.body, self.context.name, self.context.clock.now())

    # -- sending ---------------------------------------------------------

    async def send(self, message: OutboundMessage) -> SendReceipt:
        """Send the text in parts of at most 4096 characters, buttons last."""
        planned = plan_messages(
            message.text,
            message.buttons,
            reply_to=message.reply_to,
            prompt=self.settings.button_prompt,
            list_label=self.settings.list_label,
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

        self.context.logger.info("sent %d WhatsApp message(s)", len(planned))
        return SendReceipt(tuple(message_ids))

    async def send_consent_request(
        self, conversation: str, prompt: ConsentPrompt
    ) -> SendReceipt:
        """Send the consent text with agree and refuse reply buttons.

        WhatsApp has no button that shares the phone number, and needs none:
        the sender's wa_id is the number, so ``ask_phone`` changes nothing.
        """
        return await self.send(
            OutboundMessage(
                conversation=conversation,
                text=prompt.text,
                buttons=(prompt.agree, prompt.refuse),
            )
        )

    async def _post(self, recipient: str, content: dict[str, Any]) -> str | None:
        """Post one message; return its wamid."""
        # XXX: a BSUID ("CC.digits") goes in "recipient" rather than "to", as
        # read in third-party notes on Meta's username rollout; unconfirmed.
        address = "recipient" if "." in recipient else "to"
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            address: recipient,
            **content,
        }
        try:
            response = await self.context.http.post(
                self._messages_url,
                json=body,
                headers={"Authorization": f"Bearer {self._access_token}"},
                timeout=self.settings.timeout,
            )
        except httpx.RequestError as error:
            self.context.logger.warning(
                "WhatsApp send failed: %s", type(error).__name__
            )
            raise error_for_transport(error, connector=self.context.name) from None

        if not response.is_success:
            failure = error_for_answer(
                response,
                connector=self.context.name,
                token_env=self.settings.access_token.env,
                phone_number_id=self.settings.phone_number_id,
                now=self.context.clock.now(),
            )
            self.context.logger.warning(
                "WhatsApp send failed: %s: %s", type(failure).__name__, failure
            )
            raise failure

        return self._message_id(response)

    def _message_id(self, response: httpx.Response) -> str | None:
        try:
            messages = response.json().get("messages") or [{}]
            return str(messages[0]["id"])
        except (ValueError, AttributeError, LookupError, TypeError):
            self.context.logger.warning(
                "WhatsApp accepted a message but its answer has no message id"
            )
            return None

    @property
    def _messages_url(self) -> str:
        settings = self.settings
        base = settings.graph_url.rstrip("/")
        return f"{base}/{settings.api_version}/{settings.phone_number_id}/messages"

    # -- declarations ----------------------------------------------------

    def data_flows(self) -> Sequence[DataFlow]:
        """What passes through Meta's servers, which are outside Russia."""
        return (
            DataFlow(
                data=(
                    "phone number (wa_id)",
                    "WhatsApp profile name",
                    "message text",
                    "shared contacts",
                    "shared locations",
                    "media metadata",
                ),
                recipient=META,
                location="US",
                purpose="receive the client's messages from WhatsApp",
            ),
            DataFlow(
                data=("phone number (wa_id)", "reply text", "consent request"),
                recipient=META,
                location="US",
                purpose="send replies and the consent request to the client",
            ),
        )

    async def aclose(self) -> None:
        """Nothing to release: the HTTP client is shared and closed by leadwire."""
