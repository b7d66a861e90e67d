"""The ``replay`` command: scripted dialogues through the real engine, offline.

The harness that does the work lives in ``leadwire_harness``; it is imported
when the command runs, so that the rest of the command line starts without it.
"""

from __future__ import annotations

from pathlib import Path

import click

from leadwire.cli._common import Context


@click.command()
@click.argument(
    "paths",
    nargs=-1,
    type=click.Path(exists=True, path_type=Path),
    metavar="[PATHS]...",
)
@click.option(
    "--config",
    "-c",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A client configuration to replay with; the built-in one when left out.",
)
@click.option(
    "--faults",
    default="none",
    show_default=True,
    metavar="PLAN",
    help="Fault plan: none, standard or all, or fault names separated by commas.",
)
@click.option(
    "--junit",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a JUnit XML report here, for CI.",
)
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a self-contained HTML report here; it holds no personal data.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to replay in; by default one per CPU core, at most 4.",
)
@click.pass_obj
def replay(
    context: Context,
    paths: tuple[Path, ...],
    config_path: Path | None,
    faults: str,
    junit: Path | None,
    html: Path | None,
    jobs: int | None,
) -> None:
    """Replay dialogues through leadwire with every provider mocked.

    PATHS are dialogue files or directories of them; the bundled dialogues
    are replayed when none is given. Each dialogue is checked for its expected
    replies, CRM lead, consent and audit entries, for personal data reaching
    the LLM, a log or the audit log, and for anything sent to the CRM before
    consent; under a fault plan, each faulted replay must end in the state of
    the fault-free one. Exit code 0 when every dialogue passes, 1 otherwise.
    """
    from leadwire_harness.console import run_command  # the harness loads lazily

    code = run_command(
        list(paths),
        config=config_path,
        faults=faults,
        junit=junit,
        html=html,
        jobs=jobs,
        host=context.host,
    )
    raise SystemExit(code)


COMMANDS = [replay]
