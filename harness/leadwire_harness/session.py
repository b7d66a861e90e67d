"""Replaying many dialogues under a fault plan: what ``leadwire replay`` runs.

A :class:`ReplaySession` loads the plugins and the configuration once, then
replays each dialogue first without faults (the reference) and then under
each fault of the plan, comparing every faulted run with the reference.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import attrs

from leadwire.plugins import PluginHost, load_plugins
from leadwire_harness.checks import check, compare
from leadwire_harness.configuration import ReplaySetup, builtin_config, client_config
from leadwire_harness.dialogue import CLIENT_TURNS, Dialogue, TurnKind
from leadwire_harness.faults import Fault, plan
from leadwire_harness.loader import DialogueError, load_dialogue
from leadwire_harness.privacy import Tracer
from leadwire_harness.results import Outcome, Problem, ReplayResult, RunReport
from leadwire_harness.runner import Observation, replay

__all__ = [
    "Progress",
    "ReplaySession",
    "broken_result",
    "not_applicable",
    "run_replays",
]

#: Called after each replay with its result.
Progress = Callable[[ReplayResult], None]


class ReplaySession:
    """Plugins and configuration, loaded once, for many replays.

    :param config: A client's configuration file; the built-in replay
        configuration when None.
    :param host: Loaded plugins; loaded here when None.
    """

    def __init__(self, config: Path | None = None, host: PluginHost | None = None):
        self.host = host or load_plugins()
        registry = self.host.registry
        self.setup: ReplaySetup = (
            client_config(config, registry) if config else builtin_config(registry)
        )

    def skip_reason(self, dialogue: Dialogue) -> str | None:
        """Why *dialogue* cannot run with this configuration, or None."""
        if self.setup.channel_named(dialogue.channel) is None:
            if dialogue.channel not in self.host.registry.channels:
                return f"the {dialogue.channel} plugin is not loaded"
            return f"the configuration has no {dialogue.channel} channel"
        needs_portal = dialogue.crm_auth != "ok" or dialogue.seed_leads
        if needs_portal and self.setup.config.crm.plugin != "bitrix24":
            return "the dialogue sets up a Bitrix24 portal; the CRM is not bitrix24"
        return None

    async def run(
        self,
        dialogue: Dialogue,
        faults: Sequence[Fault],
        progress: Progress | None = None,
    ) -> list[ReplayResult]:
        """Replay *dialogue* under each fault; the first must be ``none``."""
        if faults and faults[0].name != "none":
            raise ValueError("the fault-free replay must come first")
        results: list[ReplayResult] = []
        reference: Observation | None = None
        for fault in faults:
            result, observation = await self.run_one(dialogue, fault, reference)
            reference = reference or observation
            results.append(result)
            if progress:
                progress(result)
        return results

    async def run_one(
        self, dialogue: Dialogue, fault: Fault, reference: Observation | None = None
    ) -> tuple[ReplayResult, Observation | None]:
        """Replay *dialogue* once under *fault*, compared with *reference*.

        Returns the result and the observation (None when skipped); the
        observation of the fault-free replay is the reference of the others.
        """
        reason = self.skip_reason(dialogue)
        if reason is None and reference is not None:
            reason = not_applicable(fault, reference)
        if reason is not None:
            return _skipped(dialogue, fault, reason), None

        observation = await replay(
            dialogue, fault, self.setup, self.host, reference=reference
        )
        problems = check(observation)
        if reference is not None:
            problems += compare(observation, reference)
        return _result(dialogue, fault, observation, problems), observation


def not_applicable(fault: Fault, reference: Observation) -> str | None:
    """Why *fault* cannot change anything in this dialogue, or None.

    A fault aimed at a provider the fault-free replay never called would
    replay the reference exactly; it is reported as skipped instead.
    """
    providers = {call.provider for call in reference.calls}
    operations = {call.operation for call in reference.calls}
    if fault.crm and "bitrix24" not in providers:
        return "not applicable: the dialogue makes no CRM request"
    if any(failure.operation == "crm.lead.add" for failure in fault.crm) and (
        "crm.lead.add" not in operations
    ):
        return "not applicable: the dialogue creates no lead"
    if fault.llm and "openai" not in providers:
        return "not applicable: the dialogue makes no LLM request"
    if fault.channel and not reference.sent:
        return "not applicable: the dialogue sends no message"
    if fault.reorder and all(
        turn.kind in CLIENT_TURNS or turn.kind is TurnKind.WAIT
        for turn in reference.dialogue.turns
    ):
        return "not applicable: the dialogue has no statuses or reactions"
    return None


def _skipped(dialogue: Dialogue, fault: Fault, reason: str) -> ReplayResult:
    result = ReplayResult(
        dialogue.name,
        dialogue.title,
        dialogue.channel,
        fault.name,
        fault.summary,
        Outcome.SKIPPED,
        reason=reason,
    )
    return _redacted(result, Tracer(dialogue.persona))


def _result(
    dialogue: Dialogue,
    fault: Fault,
    observation: Observation,
    problems: list[Problem],
) -> ReplayResult:
    stats = {
        "turns": len(dialogue.turns),
        "replies": len(observation.sent),
        "llm requests": sum(c.provider == "openai" for c in observation.calls),
        "crm requests": sum(c.provider == "bitrix24" for c in observation.calls),
        "restarts": observation.restarts,
        "audit entries": len(observation.audit),
    }
    return _redacted(
        ReplayResult(
            dialogue.name,
            dialogue.title,
            dialogue.channel,
            fault.name,
            fault.summary,
            Outcome.FAILED if problems else Outcome.PASSED,
            tuple(problems),
            seconds=observation.seconds,
            stats=stats,
        ),
        Tracer(dialogue.persona),
    )


def _redacted(result: ReplayResult, tracer: Tracer) -> ReplayResult:
    """*result* with every persona value in its texts replaced by a label.

    Checks redact what they saw; this catches what the dialogue itself wrote
    (an expected pattern, a title) before any report prints it.
    """
    problems = tuple(
        Problem(
            problem.check,
            tracer.redact(problem.message),
            tracer.redact(problem.expected),
            tracer.redact(problem.actual),
        )
        for problem in result.problems
    )
    return attrs.evolve(
        result,
        title=tracer.redact(result.title),
        problems=problems,
        reason=tracer.redact(result.reason),
    )


def broken_result(path: Path, error: DialogueError) -> ReplayResult:
    """The result of a dialogue file that could not be read: every problem."""
    problems = tuple(
        Problem("dialogue", f"{where}: {problem}" if where else problem)
        for where, problem in error.problems
    )
    count = len(problems)
    return ReplayResult(
        path.name,
        "the dialogue file is not valid",
        "?",
        "none",
        "not run",
        Outcome.ERROR,
        problems,
        reason=str(error) if count == 1 else f"{error.file}: {count} problems",
    )


def run_replays(
    paths: Iterable[Path],
    faults: str = "none",
    *,
    config: Path | None = None,
    session: ReplaySession | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Replay the dialogue files *paths* under the fault plan *faults*."""
    started = datetime.now(UTC)
    clock = time.perf_counter()
    chosen = plan(faults)
    session = session or ReplaySession(config)

    async def run_all() -> list[ReplayResult]:
        results: list[ReplayResult] = []
        for path in paths:
            try:
                dialogue = load_dialogue(path)
            except DialogueError as error:
                result = broken_result(path, error)
                results.append(result)
                if progress:
                    progress(result)
                continue
            results += await session.run(dialogue, chosen, progress)
        return results

    results = asyncio.run(run_all())
    return RunReport(
        tuple(results),
        started=started,
        seconds=time.perf_counter() - clock,
        plan=faults,
        configuration=session.setup.label,
    )
