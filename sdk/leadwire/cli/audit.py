"""``leadwire audit``: check the audit log's chain, export one client's trail."""

from __future__ import annotations

import asyncio
import getpass
import json
import os
from pathlib import Path

import click

from leadwire.cli._common import Context, config_option
from leadwire.compliance.staff import Refused, authorise
from leadwire.config import ClientConfig, load_config
from leadwire.engine import audit as audit_log
from leadwire.engine.database import Database, async_url
from leadwire.errors import ConfigError
from leadwire.models import AuditEvent

#: Where the operator's name comes from when --operator is not given.
ENV_OPERATOR = "LEADWIRE_OPERATOR"


def _storage_of(path: Path) -> ClientConfig:
    """The configuration, checked without its plugins: only storage is needed.

    The audit log must stay checkable when a connector's plugin is missing.
    """
    try:
        return load_config(path, None, require_env=False)
    except ConfigError as error:
        click.secho(f"{path}: {error}", fg="red", err=True)
        raise SystemExit(1) from None


def _database(context: Context, config: ClientConfig) -> Database:
    return Database(
        async_url(config.storage.url, config.base_dir), context.host.audit_event
    )


def _line(event: AuditEvent) -> str:
    return json.dumps(
        {
            "seq": event.seq,
            "at": event.at.isoformat(),
            "actor": event.actor,
            "action": event.action,
            "client_id": event.client_id,
            "outcome": event.outcome,
            "details": dict(event.details),
            "hash": event.hash,
        },
        ensure_ascii=False,
        sort_keys=True,
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
    config = _storage_of(config_path)

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
@click.option(
    "--operator",
    default=None,
    help=f"Who exports: ${ENV_OPERATOR}, else the OS user.",
)
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
    config = _storage_of(config_path)
    operator = operator or os.environ.get(ENV_OPERATOR) or getpass.getuser()

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
        click.echo(_line(event))


COMMANDS = [audit]
