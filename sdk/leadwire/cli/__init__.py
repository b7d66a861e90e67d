"""The ``leadwire`` command line.

Exit codes: 0 success, 1 the command ran and found problems (an invalid
configuration, a failed replay), 2 the command was called wrongly.
"""

from __future__ import annotations

import importlib

import click

from leadwire.cli._common import Context
from leadwire.plugins import load_plugins

__all__ = ["build_cli", "main"]

#: The modules under ``leadwire.cli`` whose ``COMMANDS`` list the built-in commands.
COMMAND_MODULES = [
    "core",
    "scaffold",
    "redact",
    "datamap",
    "serve",
    "audit",
    "replay",
    "client",
    "purge",
]


def build_cli(context: Context | None = None) -> click.Group:
    """Build the command group, with the commands of every loaded plugin."""
    context = context or Context(load_plugins())

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(package_name="leadwire")
    @click.pass_context
    def cli(ctx: click.Context) -> None:
        """leadwire: chat channels to a CRM, with an AI assistant, within 152-FZ."""
        ctx.obj = context

    for name in COMMAND_MODULES:
        module = importlib.import_module(f"leadwire.cli.{name}")
        for command in module.COMMANDS:
            cli.add_command(command)
    context.host.register_commands(cli)
    return cli


def main() -> None:
    """The console script."""
    build_cli()(prog_name="leadwire")
