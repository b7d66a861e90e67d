"""``leadwire replay`` as a person sees it: progress, summary, what went wrong.

Replays run in worker processes (one per core by default): each worker loads
the plugins and the language models once and replays whole dialogues, the
fault-free run and then every faulted one.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from leadwire.errors import ConfigError
from leadwire.plugins import PluginHost
from leadwire_harness.faults import Fault, plan
from leadwire_harness.loader import DialogueError, bundled_paths, find_dialogues
from leadwire_harness.reports import write_html, write_junit
from leadwire_harness.results import Outcome, Problem, ReplayResult, RunReport
from leadwire_harness.session import ReplaySession, broken_result

__all__ = ["run_command"]

#: More workers than this gain nothing on a small machine and cost memory.
MAX_JOBS = 4


def run_command(
    paths: Sequence[Path],
    *,
    config: Path | None = None,
    faults: str = "none",
    junit: Path | None = None,
    html: Path | None = None,
    jobs: int | None = None,
    host: PluginHost | None = None,
    console: Console | None = None,
) -> int:
    """Run the replays and print the outcome; return the exit code."""
    console = console or Console(stderr=False, highlight=False)
    try:
        chosen = plan(faults)
        files = find_dialogues(paths) if paths else bundled_paths()
    except (ValueError, DialogueError) as error:
        raise click.UsageError(str(error)) from None
    if junit is not None:
        _require_junitparser()
    try:
        session = ReplaySession(config, host)
    except ConfigError as error:
        console.print(f"[red]{config}: {error}[/red]")
        return 1

    for note in session.setup.notes:
        console.print(note, markup=False)

    jobs = jobs or min(os.cpu_count() or 1, MAX_JOBS)
    jobs = min(jobs, len(files)) or 1
    started, clock = datetime.now(UTC), time.perf_counter()
    results = _replay_all(files, chosen, session, config, jobs, console)
    report = RunReport(
        tuple(results),
        started=started,
        seconds=time.perf_counter() - clock,
        plan=faults,
        configuration=session.setup.label,
    )

    _summary(report, console)
    _failures(report, console)
    if junit is not None:
        write_junit(report, junit)
        console.print(f"JUnit report: {junit}")
    if html is not None:
        write_html(report, html)
        console.print(f"HTML report: {html}")
    return 0 if report.passed else 1


def _require_junitparser() -> None:
    """Fail before replaying anything when the JUnit writer is missing."""
    try:
        import junitparser  # noqa: F401
    except ImportError:
        raise click.ClickException(
            "--junit needs the junitparser package: pip install junitparser"
        ) from None


# --------------------------------------------------------------------------
# Running


def _replay_all(
    files: Sequence[Path],
    faults: Sequence[Fault],
    session: ReplaySession,
    config: Path | None,
    jobs: int,
    console: Console,
) -> list[ReplayResult]:
    total = len(files) * len(faults)
    by_file: dict[Path, list[ReplayResult]] = {}
    with Progress(
        TextColumn("[bold]replaying[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)

        def done(path: Path, results: list[ReplayResult]) -> None:
            by_file[path] = results
            failed = sum(not result.passed for result in results)
            progress.update(
                task,
                advance=len(faults),
                description=f"{path.name} ({failed} failed)" if failed else path.name,
            )

        if jobs == 1:
            for path in files:
                done(path, asyncio.run(_replay_file(session, path, faults)))
        else:
            names = [fault.name for fault in faults]
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(
                jobs, mp_context=context, initializer=_start_worker, initargs=(config,)
            ) as pool:
                futures = {
                    pool.submit(_worker_replay, path, names): path for path in files
                }
                for future in as_completed(futures):
                    done(futures[future], future.result())
    return [result for path in files for result in by_file[path]]


async def _replay_file(
    session: ReplaySession, path: Path, faults: Sequence[Fault]
) -> list[ReplayResult]:
    from leadwire_harness.loader import load_dialogue

    try:
        dialogue = load_dialogue(path)
    except DialogueError as error:
        return [broken_result(path, error)]
    return await session.run(dialogue, faults)


_worker_session: ReplaySession | None = None


def _start_worker(config: Path | None) -> None:
    """Load plugins and the configuration once per worker process."""
    global _worker_session
    _worker_session = ReplaySession(config)


def _worker_replay(path: Path, fault_names: Sequence[str]) -> list[ReplayResult]:
    assert _worker_session is not None
    faults = plan(",".join(fault_names))
    return asyncio.run(_replay_file(_worker_session, path, faults))


# --------------------------------------------------------------------------
# Printing

_STYLE = {
    Outcome.PASSED: "green",
    Outcome.FAILED: "red",
    Outcome.ERROR: "red",
    Outcome.SKIPPED: "yellow",
}


def _summary(report: RunReport, console: Console) -> None:
    faults = list(dict.fromkeys(result.fault for result in report.results))
    table = Table(title="leadwire replay", title_justify="left")
    table.add_column("dialogue")
    table.add_column("channel")
    table.add_column("result")
    table.add_column("situation", overflow="fold")
    for name, results in report.by_dialogue().items():
        table.add_row(
            escape(name),
            results[0].channel,
            _verdict(results),
            escape(results[0].title),
        )
    console.print(table)

    counts = report.counts
    failed = counts.get("failed", 0) + counts.get("error", 0)
    style = "green" if report.passed else "red"
    console.print(
        f"[{style}]{counts.get('passed', 0)} passed, {failed} failed[/{style}]"
        f", {counts.get('skipped', 0)} skipped in {report.seconds:.1f} s"
        f" (fault plan {report.plan}, {len(faults)} replay(s) per dialogue)"
    )


def _verdict(results: Sequence[ReplayResult]) -> str:
    """A dialogue's cell, counted as the summary line counts: skips apart."""
    failed = [result.fault for result in results if not result.passed]
    skipped = sum(result.outcome is Outcome.SKIPPED for result in results)
    ran = len(results) - skipped
    if not ran:
        return "[yellow]skipped[/yellow]"

    if failed:
        also = f" ({skipped} skipped)" if skipped else ""
        return f"[red]failed: {', '.join(failed)}[/red]{also}"
    also = f", {skipped} skipped" if skipped else ""
    return f"[green]passed ({ran}/{ran}{also})[/green]"


def _failures(report: RunReport, console: Console) -> None:
    """Each failed dialogue once, its problems grouped over the faults they hit."""
    for name, results in report.by_dialogue().items():
        skipped: dict[str, list[str]] = {}
        for result in results:
            if result.outcome is Outcome.SKIPPED:
                skipped.setdefault(result.reason, []).append(result.fault)
        for reason, faults in skipped.items():
            where = escape(f"{name} [{', '.join(faults)}]")
            console.print(f"[yellow]skipped[/yellow] {where}: {escape(reason)}")
        failed = [result for result in results if not result.passed]
        if not failed:
            continue
        console.rule(
            f"[red]{escape(name)}[/red]: {escape(failed[0].title)}", align="left"
        )
        grouped: dict[tuple[str, str, str, str], list[str]] = {}
        for result in failed:
            for problem in result.problems or (Problem("error", result.reason),):
                key = (problem.check, problem.message, problem.expected, problem.actual)
                grouped.setdefault(key, []).append(result.fault)
        for (check, message, expected, actual), faults in grouped.items():
            console.print(f"  [bold]{escape(f'[{check}]')}[/bold] ", end="")
            console.print(message, markup=False)
            console.print(f"    under: {', '.join(faults)}", style="dim", markup=False)
            if expected:
                console.print("    [green]- expected:[/green] ", end="")
                console.print(expected, markup=False)
            if actual:
                console.print("    [red]+ actual:  [/red] ", end="")
                console.print(actual, markup=False)
