"""``leadwire serve``: the webhooks of a client setup, answered and processed."""

from __future__ import annotations

from pathlib import Path

import click
import uvicorn

from leadwire.cli._common import Context, config_option, read_config
from leadwire.engine import Engine, create_app


@click.command()
@config_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port.")
@click.pass_obj
def serve(context: Context, config_path: Path, host: str, port: int) -> None:
    """Serve the channels' webhooks and process the conversations.

    Each channel answers at /webhooks/<name>; /health tells whether the
    server is up. Stop with Ctrl+C: work in progress is finished or handed
    back to the next start.
    """
    config = read_config(context, config_path)
    engine = Engine(config, context.host)
    click.echo(f"Serving {', '.join(config.channels)} on http://{host}:{port}")
    # The access log would print query strings, which carry verify tokens.
    uvicorn.run(create_app(engine), host=host, port=port, access_log=False)


COMMANDS = [serve]
