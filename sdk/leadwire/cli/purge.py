"""``leadwire purge``: apply the retention periods and execute due erasures."""

from __future__ import annotations

from pathlib import Path

import click

from leadwire.cli._common import Context, config_option, operator_option, read_config
from leadwire.cli.client import run_with_engine
from leadwire.compliance import PurgeReport, operator_name, purge
from leadwire.engine import Engine


@click.command("purge")
@config_option
@click.option("--dry-run", is_flag=True, help="Print what would go; change nothing.")
@operator_option
@click.pass_obj
def purge_command(
    context: Context, config_path: Path, dry_run: bool, operator: str | None
) -> None:
    """Delete what is past its retention period; run the erasures that are due.

    Exits 1 when a plugin could not erase a client (retried by the next run).
    """
    config = read_config(context, config_path)
    operator = operator_name(operator)

    async def work(engine: Engine) -> PurgeReport:
        return await purge(engine, operator=operator, dry_run=dry_run)

    report = run_with_engine(
        config,
        context.host,
        operator=operator,
        action="purge",
        command="leadwire purge",
        work=work,
    )
    verb = "would remove" if dry_run else "removed"
    for category, count in report.counts.items():
        click.echo(f"{category}: {verb} {count}")
    for client_id, targets in report.failed.items():
        for name, reasons in targets.items():
            click.secho(
                f"{client_id}: {name} could not erase: {'; '.join(reasons)}",
                fg="red",
                err=True,
            )
    if report.failed:
        raise SystemExit(1)


COMMANDS = [purge_command]
