"""The ``offline`` connector: the rules, or a queue of scripted answers first."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from leadwire import (
    Completion,
    CompletionRequest,
    ConnectorContext,
    DataFlow,
    Usage,
)
from leadwire_offline._rules import read_conversation, reply_to
from leadwire_offline._settings import OfflineSettings

__all__ = ["MODEL", "OfflineLlm", "Scripted"]

#: The model name every completion reports.
MODEL = "offline"

#: What may be queued: a reply text, a whole completion, or an error to raise.
Scripted = str | Completion | Exception


class OfflineLlm:
    """An :class:`~leadwire.Llm` that answers by rules, with no network and no key.

    Answers queued with :meth:`queue` (or given as the ``script`` setting) are
    used first, one per call; then the rules answer.
    """

    def __init__(self, settings: OfflineSettings, context: ConnectorContext) -> None:
        self.settings = settings
        self.context = context
        self._queued: deque[Scripted] = deque(settings.script)

    def queue(self, *answers: Scripted) -> None:
        """Queue answers for the next calls: a text, a Completion, or an exception.

        A text gets the fields the rules read; a Completion is returned as it
        is; an exception (an ``UnusableAnswerError``, say) is raised.
        """
        self._queued.extend(answers)

    @property
    def queued(self) -> int:
        """How many scripted answers are left."""
        return len(self._queued)

    async def complete(self, request: CompletionRequest) -> Completion:
        """Answer the last user message; the same request gets the same answer."""
        reading = read_conversation(request.messages)
        scripted = self._queued.popleft() if self._queued else None

        if isinstance(scripted, Exception):
            raise scripted
        if isinstance(scripted, Completion):
            return scripted
        text = scripted if scripted is not None else reply_to(reading)

        self.context.logger.debug(
            "offline reply (%s)", "scripted" if scripted is not None else "rules"
        )
        usage = Usage(
            model=MODEL,
            # Words stand in for tokens: there is no tokenizer, and counts
            # must not change between runs.
            prompt_tokens=sum(len(m.content.split()) for m in request.messages),
            completion_tokens=len(text.split()),
        )
        fields = reading.fields if request.want_fields else None
        return Completion(text, fields, usage)

    def data_flows(self) -> Sequence[DataFlow]:
        """Nothing leaves the machine: the texts are read in this process."""
        return [
            DataFlow(
                data=("message text",),
                recipient="this server",
                location="RU",
                purpose="drafting the assistant's replies and noting booking details",
                pseudonymised=True,
                third_party=False,
            )
        ]

    async def aclose(self) -> None:
        """Nothing to release."""
