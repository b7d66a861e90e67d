"""The ``gpt`` connector: OpenAI's REST API over the shared HTTP client.

One reply is one request, plus at most one re-ask when the answer cannot be
used. Each request is tried up to ``max_attempts`` times on rate limits,
overload, timeouts and dropped connections; all tries, waits and the re-ask
share one budget of ``budget_seconds``, measured on the connector's clock.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs
import httpx

from leadwire import (
    ChatMessage,
    Completion,
    CompletionRequest,
    ConfigError,
    ConnectorContext,
    ConnectorError,
    CredentialsError,
    DataFlow,
    TemporaryError,
    UnusableAnswerError,
    Usage,
)
from leadwire_gpt._answer import (
    FORMAT_INSTRUCTION,
    Answer,
    Defect,
    parse_answer,
)
from leadwire_gpt._apis import APIS
from leadwire_gpt._failures import Retry, classify
from leadwire_gpt._settings import GptSettings

__all__ = ["GptLlm"]

#: Backoff when the server names no wait: short, because a client is waiting
#: in the chat; no jitter, because one business's bot makes no stampede.
_FIRST_BACKOFF = 0.5
_MAX_BACKOFF = 4.0


@attrs.define
class _Exchange:
    """What one reply cost so far, across tries and the re-ask."""

    deadline: datetime
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model: str = ""
    trace_id: str | None = None


class GptLlm:
    """An :class:`~leadwire.Llm` speaking OpenAI's Chat Completions or Responses API."""

    def __init__(self, settings: GptSettings, context: ConnectorContext) -> None:
        self.settings = settings
        self.context = context
        self.api = APIS[settings.api]

    # -- the Llm protocol ------------------------------------------------

    async def complete(self, request: CompletionRequest) -> Completion:
        """Answer the conversation; raise UnusableAnswerError if nothing is usable."""
        started = time.perf_counter()
        budget = timedelta(seconds=self.settings.budget_seconds)
        exchange = _Exchange(deadline=self.context.clock.now() + budget)
        messages = self._messages(request)

        try:
            answer = await self._ask(messages, request, exchange)
        except Defect as defect:
            self.context.logger.warning(
                "unusable answer from %s (%s); asking again",
                self.settings.host,
                defect.reason,
            )
            messages += _correction(defect, want_fields=request.want_fields)
            answer = await self._ask_again(messages, request, exchange, defect)

        latency_ms = (time.perf_counter() - started) * 1000
        usage = Usage(
            model=exchange.model or self.settings.model,
            prompt_tokens=exchange.prompt_tokens,
            completion_tokens=exchange.completion_tokens,
            latency_ms=latency_ms,
        )
        self.context.logger.info(
            "completion from %s: model %s, %d+%d tokens, %.0f ms, request id %s",
            self.settings.host,
            usage.model,
            usage.prompt_tokens,
            usage.completion_tokens,
            latency_ms,
            exchange.trace_id,
        )
        return Completion(answer.text, answer.fields, usage)

    def data_flows(self) -> Sequence[DataFlow]:
        """Pseudonymised message texts go to OpenAI or the configured server."""
        if self.settings.is_openai:
            recipient = "OpenAI (API platform)"
        else:
            recipient = f"OpenAI-compatible model server at {self.settings.host}"
        return [
            DataFlow(
                data=("message text",),
                recipient=recipient,
                location=self.settings.region,
                purpose="drafting the assistant's replies and noting booking details",
                pseudonymised=True,
            )
        ]

    async def aclose(self) -> None:
        """Nothing to release: the HTTP client is shared and closed by leadwire."""

    # -- one reply -------------------------------------------------------

    def _messages(self, request: CompletionRequest) -> list[dict[str, str]]:
        messages = [_wire(message) for message in request.messages]
        if self.settings.structured == "none" and request.want_fields:
            _describe_format(messages)
        return messages

    async def _ask_again(
        self,
        messages: list[dict[str, str]],
        request: CompletionRequest,
        exchange: _Exchange,
        first: Defect,
    ) -> Answer:
        try:
            return await self._ask(messages, request, exchange)
        except Defect as second:
            raise UnusableAnswerError(
                f"{self.settings.host} gave no usable answer, twice "
                f"({first.reason}, then {second.reason})",
                connector=self.context.name,
                trace_id=exchange.trace_id,
            ) from None

    async def _ask(
        self,
        messages: list[dict[str, str]],
        request: CompletionRequest,
        exchange: _Exchange,
    ) -> Answer:
        want_fields = request.want_fields
        payload = self.api.body(self.settings, messages, want_fields)
        body = await self._post(payload, exchange)

        prompt_tokens, completion_tokens = self.api.tokens(body)
        exchange.prompt_tokens += prompt_tokens
        exchange.completion_tokens += completion_tokens
        model = body.get("model") if isinstance(body, dict) else None
        if isinstance(model, str) and model:
            exchange.model = model

        raw = self.api.read(body, want_fields)
        return parse_answer(raw, want_fields=want_fields)

    # -- one request, with retries ----------------------------------------

    async def _post(self, body: dict[str, Any], exchange: _Exchange) -> Any:
        """POST *body*, retrying what may pass; return the decoded JSON body.

        The loop is ours rather than stamina's: stamina sleeps with asyncio and
        times out on the real monotonic clock, while every wait here must go
        through the connector's clock and follow the server's retry-after.
        """
        settings = self.settings
        attempt = 0
        while True:
            attempt += 1
            remaining = self._remaining(exchange)
            outcome = await self._try(body, exchange, timeout=remaining)
            if isinstance(outcome, ConnectorError):
                raise outcome
            if not isinstance(outcome, Retry):
                return outcome

            wait = outcome.wait
            if wait is None:
                wait = min(_FIRST_BACKOFF * 2 ** (attempt - 1), _MAX_BACKOFF)
            if attempt >= settings.max_attempts or wait >= self._remaining(exchange):
                raise outcome.error

            self.context.logger.warning(
                "%s; retrying in %.2f s (try %d of %d)",
                outcome.error,
                wait,
                attempt + 1,
                settings.max_attempts,
            )
            await self.context.clock.sleep(wait)

    async def _try(
        self, body: dict[str, Any], exchange: _Exchange, *, timeout: float
    ) -> Any:
        """One POST: the decoded body, a Retry, or the error to raise."""
        settings = self.settings
        if timeout <= 0:
            return self._out_of_time(exchange)

        timeout = min(settings.timeout_seconds, timeout)
        try:
            response = await self.context.http.post(
                settings.endpoint(self.api.path),
                json=body,
                headers=self._headers(),
                timeout=timeout,
            )
        except httpx.TimeoutException:
            return Retry(
                self._temporary(
                    f"{settings.host} did not answer within {timeout:.1f} s", exchange
                )
            )
        except httpx.TransportError as error:
            return Retry(
                self._temporary(
                    f"could not reach {settings.host} ({type(error).__name__}); "
                    "is the server running and base_url right?",
                    exchange,
                )
            )

        exchange.trace_id = response.headers.get("x-request-id") or exchange.trace_id
        if response.is_success:
            try:
                return response.json()
            except ValueError:
                return None  # read as "no choice", which earns a re-ask

        return classify(
            response,
            connector=self.context.name,
            host=settings.host,
            openai=settings.is_openai,
            now=self.context.clock.now(),
        )

    def _headers(self) -> dict[str, str]:
        key = self.settings.api_key
        if key is None:
            return {}
        try:
            return {"Authorization": f"Bearer {key.reveal()}"}
        except ConfigError:
            raise CredentialsError(
                f"api_key names the environment variable {key.env}, which is not "
                "set: export it or add it to the .env file beside the configuration",
                connector=self.context.name,
            ) from None

    def _remaining(self, exchange: _Exchange) -> float:
        return (exchange.deadline - self.context.clock.now()).total_seconds()

    def _out_of_time(self, exchange: _Exchange) -> TemporaryError:
        return self._temporary(
            f"no answer from {self.settings.host} within the reply budget of "
            f"{self.settings.budget_seconds:g} s",
            exchange,
        )

    def _temporary(self, message: str, exchange: _Exchange) -> TemporaryError:
        return TemporaryError(
            message, connector=self.context.name, trace_id=exchange.trace_id
        )


def _wire(message: ChatMessage) -> dict[str, str]:
    return {"role": message.role, "content": message.content}


def _describe_format(messages: list[dict[str, str]]) -> None:
    """Put the JSON format into the system message, where every server reads it."""
    if messages and messages[0]["role"] == "system":
        system = messages[0]
        messages[0] = {
            **system,
            "content": f"{system['content']}\n\n{FORMAT_INSTRUCTION}",
        }
    else:
        messages.insert(0, {"role": "system", "content": FORMAT_INSTRUCTION})


def _correction(defect: Defect, *, want_fields: bool) -> list[dict[str, str]]:
    """The turns that show the model its unusable answer and ask again.

    The bad answer goes back as the assistant's turn (a placeholder when there
    was no text) so that user and assistant turns still alternate, which some
    local models' chat templates require.
    """
    again = (
        "Answer again with only the JSON object." if want_fields else "Answer again."
    )
    return [
        {"role": "assistant", "content": defect.text or "(no answer)"},
        {
            "role": "user",
            "content": f"(Note from the system, not the client.) {defect} {again}",
        },
    ]
