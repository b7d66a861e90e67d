"""``leadwire serve``: the webhooks of a client setup, answered and processed."""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

import click
import uvicorn

from leadwire.cli._common import Context, config_option, read_config
from leadwire.engine import Engine, create_app
from leadwire.engine.database import sqlite_file
from leadwire.engine.lock import AlreadyServed, ServeLock


def _host(context: click.Context, param: click.Parameter, value: str) -> str:
    """An address or a host name: no scheme, port or spaces."""
    if not value or any(mark in value for mark in (" ", "/", "://")):
        raise click.BadParameter(
            "give an address or a host name, such as 127.0.0.1 or 0.0.0.0"
        )
    return value


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, or exit 1 saying why it could not be opened."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=2048)
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else type(error).__name__
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {reason} (is another server "
            "using this port? choose another with --port)"
        ) from None


@click.command()
@config_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, callback=_host, help="Address."
)
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port.",
)
@click.pass_obj
def serve(context: Context, config_path: Path, host: str, port: int) -> None:
    """Serve the channels' webhooks and process the conversations.

    Each channel answers at /webhooks/<name>; /health tells whether the
    server is up. Stop with Ctrl+C: work in progress is finished or handed
    back to the next start. Only one server may use a SQLite database: a
    second one exits 1.
    """
    config = read_config(context, config_path)
    engine = Engine(config, context.host)

    with contextlib.ExitStack() as held:
        database = sqlite_file(engine.database.url)
        # XXX: a server database (PostgreSQL) is not locked: two servers on
        # it would each process its inbox and send replies twice.
        if database is not None:
            try:
                held.enter_context(ServeLock(database))
            except AlreadyServed as error:
                raise click.ClickException(str(error)) from None
        listener = held.enter_context(_listen(host, port))

        port = listener.getsockname()[1]  # the one chosen, for --port 0
        click.echo(f"Serving {', '.join(config.channels)} on http://{host}:{port}")
        # The access log would print query strings, which carry verify tokens.
        server = uvicorn.Server(uvicorn.Config(create_app(engine), access_log=False))
        # Ctrl+C stops the server gracefully, then is raised again on exit.
        with contextlib.suppress(KeyboardInterrupt):
            server.run(sockets=[listener])
    if not server.started:
        raise SystemExit(1)  # uvicorn logged why the application did not start


COMMANDS = [serve]
