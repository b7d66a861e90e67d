"""``leadwire client``: a data subject's access and erasure requests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from leadwire.cli._common import Context, config_option, operator_option, read_config
from leadwire.compliance import (
    Destruction,
    authorise,
    erase_client,
    export_client,
    find_client,
    list_requests,
    operator_name,
)
from leadwire.compliance.access import to_text
from leadwire.compliance.requests import complete_request, open_request
from leadwire.config import ClientConfig
from leadwire.engine import Engine
from leadwire.engine.database import Database, async_url
from leadwire.engine.sealing import Keys
from leadwire.errors import LeadwireError
from leadwire.models import ClientId, now
from leadwire.plugins import PluginHost

#: The ground written in the destruction record when none is given.
DEFAULT_GROUND = "the client's request (152-FZ, Art. 21)"


T = TypeVar("T")


def run_with_engine(
    config: ClientConfig,
    host: PluginHost,
    *,
    operator: str,
    action: str,
    command: str,
    work: Callable[[Engine], Awaitable[T]],
) -> T:
    """Start an engine (no workers), check the operator's role, run *work*.

    A refused operator exits 1 after the refusal is audited; so does an
    engine that cannot start (a missing plugin, an unreadable database).
    """

    async def run() -> Any:
        engine = Engine(config, host)
        await engine.start()
        try:
            await authorise(
                engine.database,
                config.staff,
                operator,
                action,
                command=command,
            )
            return await work(engine)
        finally:
            await engine.close()

    try:
        return asyncio.run(run())
    except LeadwireError as error:  # Refused among them
        click.secho(str(error), fg="red", err=True)
        raise SystemExit(1) from None


@click.group()
def client() -> None:
    """Answer a client's access and erasure requests; list their deadlines."""


async def _client(engine: Engine, who: str) -> ClientId:
    keys = Keys(engine.config.storage.vault_key.reveal())
    is_id = who.strip().startswith("CLIENT_")
    try:
        found = await find_client(engine.database, keys, who)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="ID|PHONE") from None
    if found is None:
        raise click.ClickException(_NOT_HELD_ID if is_id else _NOT_HELD_PHONE)
    return found


_NOT_HELD_ID = "no client with this id is held"
#: A contact is stored once the client has consented and their message has
#: been processed; until then it is only in the sealed, pending inbox event.
_NOT_HELD_PHONE = (
    "no client with this phone has given consent yet; their data, if any, is "
    "held only until processing ends (a message waiting behind a reply that "
    "is being retried is not processed yet: try again in a few minutes)"
)


@client.command()
@config_option
@click.argument("who", metavar="ID|PHONE")
@click.option(
    "--format",
    "output",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="JSON for the file, text for a letter.",
)
@operator_option
@click.pass_obj
def export(
    context: Context, config_path: Path, who: str, output: str, operator: str | None
) -> None:
    """Print everything held about one client (an access request).

    The request is registered with its deadline (10 working days) and
    completed by the export; the export is audited.
    """
    config = read_config(context, config_path)
    operator = operator_name(operator)

    async def work(engine: Engine) -> dict[str, Any]:
        client_id = await _client(engine, who)
        received = engine.clock.now()
        request = await open_request(
            engine.database, "access", client_id.value, operator, received
        )
        exported = await export_client(engine, client_id, operator=operator)
        await complete_request(engine.database, request, engine.clock.now())
        return exported

    exported = run_with_engine(
        config,
        context.host,
        operator=operator,
        action="export",
        command="leadwire client export",
        work=work,
    )
    if output == "text":
        click.echo(to_text(exported))
    else:
        click.echo(json.dumps(exported, ensure_ascii=False, indent=2))


@client.command()
@config_option
@click.argument("who", metavar="ID|PHONE")
@operator_option
@click.option("--ground", default=DEFAULT_GROUND, help="Why the data is destroyed.")
@click.pass_obj
def erase(
    context: Context, config_path: Path, who: str, operator: str | None, ground: str
) -> None:
    """Erase one client from every store and write the destruction record.

    Exits 1 when a plugin could not erase: the record is kept as partial and
    running the command again continues where it stopped.
    """
    config = read_config(context, config_path)
    operator = operator_name(operator)

    async def work(engine: Engine) -> Destruction:
        client_id = await _client(engine, who)
        request = await open_request(
            engine.database, "erasure", client_id.value, operator, engine.clock.now()
        )
        destruction = await erase_client(
            engine, client_id, operator=operator, ground=ground
        )
        if destruction.state == "done":
            await complete_request(engine.database, request, engine.clock.now())
        return destruction

    destruction = run_with_engine(
        config,
        context.host,
        operator=operator,
        action="erase",
        command="leadwire client erase",
        work=work,
    )
    for name, target in destruction.targets.items():
        click.echo(f"{name} ({target['where']}): {target['state']}")
    for name, reasons in destruction.failed.items():
        click.secho(f"{name} could not erase: {'; '.join(reasons)}", fg="red", err=True)
    if destruction.failed:
        click.secho(
            f"destruction record {destruction.id} is partial; run the command "
            "again to continue",
            fg="red",
            err=True,
        )
        raise SystemExit(1)
    click.echo(f"erased; destruction record {destruction.id}")


@client.command()
@config_option
@click.option("--overdue", is_flag=True, help="Only overdue requests; exit 1 if any.")
@click.pass_obj
def requests(context: Context, config_path: Path, overdue: bool) -> None:
    """List access and erasure requests with their deadlines."""
    config = read_config(context, config_path, require_env=False)

    async def run() -> list[Any]:
        database = Database(
            async_url(config.storage.url, config.base_dir), context.host.audit_event
        )
        try:
            await database.migrate()
            return await list_requests(database)
        finally:
            await database.dispose()

    moment = now()
    listed = [
        request
        for request in asyncio.run(run())
        if not overdue or request.overdue(moment)
    ]
    for request in listed:
        state = (
            f"answered {request.completed_at:%Y-%m-%d}"
            if request.completed_at
            else ("OVERDUE" if request.overdue(moment) else "open")
        )
        click.echo(
            f"{request.id or '-'}\t{request.kind}\t{request.client_id}\t"
            f"received {request.received_at:%Y-%m-%d}\tdue {request.due_at:%Y-%m-%d}"
            f"\t{state}\t{request.operator}"
        )
    if not listed and not overdue:  # --overdue stays silent for daily checks
        click.echo("no access or erasure requests are registered")
    if overdue and listed:
        click.secho(f"{len(listed)} overdue request(s)", fg="red", err=True)
        raise SystemExit(1)


COMMANDS = [client]
