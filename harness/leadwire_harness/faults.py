"""Fault plans: the same dialogue replayed while providers and the process fail.

A :class:`Fault` is one way things go wrong: a provider answering errors for
a while, deliveries repeated or reordered, the process killed between two
processing steps. A plan is a list of faults; each fault is one replay. After
the faults clear, the final state must equal the fault-free replay's.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from leadwire_harness.providers.base import Failure

__all__ = [
    "FAULTS",
    "PLANS",
    "CrashPlan",
    "Fault",
    "SimulatedCrash",
    "plan",
]


class SimulatedCrash(BaseException):
    """Raised from the engine's step hook: the process dies right there.

    A BaseException, so that no ``except Exception`` in the engine or a
    plugin can swallow it, just as nothing survives a killed process.
    """

    def __init__(self, step: str) -> None:
        self.step = step
        super().__init__(f"process killed at step {step!r}")


class CrashPlan:
    """Decides at which steps the process is killed.

    :param mode: ``first``: at the first occurrence of every step name;
        ``last``: at the last occurrence each name had in the fault-free
        replay (*counts*); ``every``: after every step but the first one
        after each start, so that the process dies between every two steps
        and still moves on.
    """

    def __init__(self, mode: str, counts: dict[str, int] | None = None) -> None:
        self.mode = mode
        self.counts = dict(counts or {})
        self.seen: dict[str, int] = {}
        self.crashed: list[str] = []
        self._done: set[str] = set()
        self._since_start = 0
        self._redo = False

    def started(self) -> None:
        """The engine (re)started: the next step is the first of its life."""
        self._since_start = 0
        self._redo = True

    def on_step(self, step: str) -> None:
        """The engine's ``on_step`` hook."""
        self.seen[step] = self.seen.get(step, 0) + 1
        self._since_start += 1
        if self.mode == "every":
            # A step redone after the restart (it was durable, and redoing it
            # changes nothing) is let through once, so the replay moves on.
            if self._since_start == 1:
                return
            redone = self._redo and self.crashed and self.crashed[-1] == step
            self._redo = False
            if not redone:
                self._crash(step)
            return
        if step in self._done:
            return
        if self.mode == "first" or self.seen[step] >= self.counts.get(step, 1):
            self._done.add(step)
            self._crash(step)

    def _crash(self, step: str) -> None:
        self.crashed.append(step)
        raise SimulatedCrash(step)


@attrs.frozen
class Fault:
    """One way the world misbehaves during a replay.

    :param name: Its name on the command line and in reports.
    :param summary: One line for reports.
    :param crm: Failures of the CRM's API.
    :param llm: Failures of the LLM's API.
    :param channel: Failures of the channel's send API.
    :param duplicate: Deliver every webhook twice, at the same moment.
    :param late_duplicate: Deliver every webhook again after the next turn.
    :param reorder: Hold statuses and reactions back until after the next
        delivery, so they arrive out of order.
    :param crash: ``first``, ``last`` or ``every``: kill the process, see
        :class:`CrashPlan`.
    """

    name: str
    summary: str
    crm: tuple[Failure, ...] = ()
    llm: tuple[Failure, ...] = ()
    channel: tuple[Failure, ...] = ()
    duplicate: bool = False
    late_duplicate: bool = False
    reorder: bool = False
    crash: str | None = None


def _bitrix(code: str, description: str) -> dict[str, str]:
    return {"error": code, "error_description": description}


_HTML_503 = (
    "<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable"
    "</title></head><body><h1>Service Temporarily Unavailable</h1></body></html>"
)

_GARBAGE_COMPLETION = {
    "id": "chatcmpl-replay-garbage",
    "object": "chat.completion",
    "created": 1_770_000_000,
    "model": "replay",
    "choices": [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": "Конечно! Вот ответ: {reply: запись",
                "refusal": None,
            },
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
}

_OPENAI_429 = {
    "error": {
        "message": "Rate limit reached for requests",
        "type": "requests",
        "param": None,
        "code": "rate_limit_exceeded",
    }
}
_OPENAI_500 = {
    "error": {
        "message": "The server had an error while processing your request.",
        "type": "server_error",
        "param": None,
        "code": None,
    }
}

#: Every fault, by name.
FAULTS: dict[str, Fault] = {
    fault.name: fault
    for fault in (
        Fault("none", "no fault: the reference replay"),
        Fault(
            "duplicates",
            "every webhook delivered twice at the same moment",
            duplicate=True,
        ),
        Fault(
            "late-duplicates",
            "every webhook delivered again after the next turn",
            late_duplicate=True,
        ),
        Fault(
            "out-of-order",
            "statuses and reactions arrive after later messages",
            reorder=True,
        ),
        Fault(
            "crm-503",
            "Bitrix24 answers 503 QUERY_LIMIT_EXCEEDED twice",
            crm=(
                Failure(
                    "crm-503",
                    status=503,
                    body=_bitrix("QUERY_LIMIT_EXCEEDED", "Too many requests"),
                    times=2,
                ),
            ),
        ),
        Fault(
            "crm-429",
            "Bitrix24 answers 429 OPERATION_TIME_LIMIT once",
            crm=(
                Failure(
                    "crm-429",
                    status=429,
                    body={
                        **_bitrix("OPERATION_TIME_LIMIT", "Method is blocked"),
                        "operating_reset_at": 0,
                    },
                ),
            ),
        ),
        Fault(
            "crm-html",
            "Bitrix24 answers an HTML 503 page twice",
            crm=(Failure("crm-html", status=503, body=_HTML_503, times=2),),
        ),
        Fault(
            "crm-timeout",
            "a Bitrix24 request times out before reaching the portal",
            crm=(Failure("crm-timeout", timeout=True),),
        ),
        Fault(
            "crm-lost-write",
            "crm.lead.add is done by the portal but its answer is lost",
            crm=(
                Failure(
                    "crm-lost-write",
                    operation="crm.lead.add",
                    timeout=True,
                    after_effect=True,
                ),
            ),
        ),
        Fault(
            "llm-429",
            "the LLM answers 429 rate limit once",
            llm=(
                Failure(
                    "llm-429",
                    status=429,
                    body=_OPENAI_429,
                    headers={"retry-after-ms": "1500"},
                ),
            ),
        ),
        Fault(
            "llm-500",
            "the LLM answers 500 twice",
            llm=(Failure("llm-500", status=500, body=_OPENAI_500, times=2),),
        ),
        Fault(
            "llm-timeout",
            "an LLM request times out",
            llm=(Failure("llm-timeout", timeout=True),),
        ),
        Fault(
            "llm-garbage",
            "the LLM answers unusable text once",
            llm=(Failure("llm-garbage", status=200, body=_GARBAGE_COMPLETION),),
        ),
        Fault(
            "send-failure",
            "the channel's send API answers 500 twice",
            channel=(Failure("send-failure", status=500, body=None, times=2),),
        ),
        Fault(
            "crash-first",
            "the process is killed at the first occurrence of every step",
            crash="first",
        ),
        Fault(
            "crash-every",
            "the process is killed between every two processing steps",
            crash="every",
        ),
        Fault(
            "crash-last",
            "the process is killed at the last occurrence of every step",
            crash="last",
        ),
    )
}

#: The plans ``--faults`` accepts: the faults each replays, besides ``none``.
PLANS: dict[str, tuple[str, ...]] = {
    "none": (),
    "standard": (
        "duplicates",
        "out-of-order",
        "crm-503",
        "llm-500",
        "send-failure",
        "crash-every",
    ),
    "all": tuple(name for name in FAULTS if name != "none"),
}


def plan(spec: str) -> list[Fault]:
    """The faults of a plan name, or of a comma-separated list of fault names.

    The reference replay (``none``) always comes first: the others are
    compared with it.
    """
    names: Sequence[str]
    if spec in PLANS:
        names = PLANS[spec]
    else:
        names = [name.strip() for name in spec.split(",") if name.strip()]
        unknown = [name for name in names if name not in FAULTS]
        if unknown:
            raise ValueError(
                f"unknown fault plan or fault {unknown[0]!r}; plans: "
                f"{', '.join(PLANS)}; faults: {', '.join(FAULTS)}"
            )
    return [FAULTS["none"], *(FAULTS[name] for name in names if name != "none")]
