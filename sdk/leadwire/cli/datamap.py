"""``leadwire datamap``: the processing map of a client setup."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from leadwire.cli._common import Context, config_option, read_config
from leadwire.datamap import build_datamap


@click.command()
@config_option
@click.option(
    "--format",
    "output",
    type=click.Choice(["md", "html", "json"]),
    default="md",
    show_default=True,
    help="Markdown for reading, HTML for the paperwork, JSON for scripts.",
)
@click.option(
    "--consent-text",
    is_flag=True,
    help="Print the consent text with the recipients the map lists, instead.",
)
@click.pass_obj
def datamap(
    context: Context, config_path: Path, output: str, consent_text: bool
) -> None:
    """Show which data each channel collects, where it is kept, and where it goes.

    Built from the configuration and from what each enabled plugin declares.
    Exits 1 when a connector could not declare its flows.
    """
    config = read_config(context, config_path)
    built = asyncio.run(build_datamap(config, context.host))

    if consent_text:
        click.echo(config.consent.render(built.recipients()))
    elif output == "json":
        click.echo(built.to_json())
    elif output == "html":
        click.echo(built.to_html())
    else:
        click.echo(built.to_markdown())

    for problem in built.problems:
        click.secho(problem, fg="red", err=True)
    if built.problems:
        raise SystemExit(1)


COMMANDS = [datamap]
