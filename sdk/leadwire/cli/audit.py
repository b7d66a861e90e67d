"""``leadwire audit``: check the audit log's chain, export one client's trail."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from leadwire.cli._common import Context, config_option, operator_option, read_config
from leadwire.compliance.staff import Refused, authorise, operator_name
from leadwire.config import ClientConfig
from leadwire.engine import audit as audit_log
from leadwire.engine.database import Database, async_url
from leadwire.models import AuditEvent


def _database(context: Context, config: ClientConfig) -> Database:
    return Database(
        async_url(config.storage.url, config.base_dir), context.host.audit_event
    )


@click.group()
def audit() -> None:
    """Check the audit log, and export one client's trail."""


@audit.command()
@config_option
@click.pass_obj
def verify(context: Context, config_path: Path) -> None:
    """Check that no entry was altered, deleted or reordered.

    Exits 1 and names each entry that breaks the chain.
    """
    config = read_config(context, config_path, require_env=False, check_plugins=False)

    async def run() -> tuple[int, list[audit_log.AuditProblem]]:
        database = _database(context, config)
        try:
            await database.migrate()
            async with database.read() as connection:
                problems = list(await audit_log.verify(connection))
                count = await connection.scalar(audit_log.count_statement())
            return count or 0, problems
        finally:
            await database.dispose()

    count, problems = asyncio.run(run())
    for problem in problems:
        click.secho(f"audit log broken at {problem}", fg="red", err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"audit log intact: {count} entries")


@audit.command()
@config_option
@click.option("--client", "client_id", required=True, help="A CLIENT_... id.")
@operator_option
@click.pass_obj
def export(
    context: Context, config_path: Path, client_id: str, operator: str | None
) -> None:
    """Print one client's audit trail as JSON lines; the export is itself audited.

    Exits 1 when the operator's role does not allow ``audit`` (the refusal
    is audited), or when the log holds no entry of the client (nothing is
    exported, so nothing is audited).
    """
    if not client_id.startswith("CLIENT_"):
        raise click.BadParameter(
            "a client id starts with CLIENT_ (as the audit log shows it)",
            param_hint="--client",
        )
    config = read_config(context, config_path, require_env=False, check_plugins=False)
    operator = operator_name(operator)

    async def run() -> list[AuditEvent]:
        database = _database(context, config)
        try:
            await database.migrate()
            await authorise(
                database,
                config.staff,
                operator,
                "audit",
                client_id=client_id,
                command="leadwire audit export",
            )
            async with database.read() as connection:
                if not await audit_log.trail(connection, client_id):
                    return []
            async with database.write() as write:
                await audit_log.append(
                    write,
                    at=audit_log.now(),
                    actor=f"staff:{operator}",
                    action="audit.exported",
                    client_id=client_id,
                    details={"command": "leadwire audit export"},
                )
            async with database.read() as connection:
                return await audit_log.trail(connection, client_id)
        finally:
            await database.dispose()

    try:
        trail = asyncio.run(run())
    except Refused as error:
        click.secho(str(error), fg="red", err=True)
        raise SystemExit(1) from None
    if not trail:
        click.secho(
            f"no audit entries for this client ({client_id}); check the id "
            "against the audit log",
            fg="red",
            err=True,
        )
        raise SystemExit(1)
    for event in trail:
        click.echo(audit_log.json_line(event))


COMMANDS = [audit]
