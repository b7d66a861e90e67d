"""The commands that set a client up: ``plugins``, ``init`` and ``check``."""

from __future__ import annotations

import json
import secrets
from importlib import resources
from pathlib import Path

import click
from cryptography.fernet import Fernet
from rich.console import Console
from rich.table import Table

from leadwire.cli._common import DEFAULT_CONFIG, Context, config_option, read_config


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def plugins(context: Context, as_json: bool) -> None:
    """List the loaded plugins, their versions, hooks and connectors.

    Plugins that failed to load are listed on stderr, and the exit code is 1.
    """
    host = context.host
    registry = host.registry
    rows = []
    for plugin in host.plugins:
        kinds = [
            f"{family.rstrip('s').replace('_', ' ')}:{name}"
            for family in ("channels", "crms", "llms", "consent_stores", "recognizers")
            for name in getattr(registry, family)
            if host.owner_of(family, name) == plugin.name
        ]
        rows.append(
            {
                "name": plugin.name,
                "version": plugin.version,
                "hooks": list(plugin.hooks),
                "provides": kinds,
            }
        )

    failures = [{"name": f.plugin, "error": str(f)} for f in host.failures]
    if as_json:
        click.echo(json.dumps({"plugins": rows, "failures": failures}, indent=2))
    else:
        table = Table("plugin", "version", "hooks", "provides")
        for row in rows:
            table.add_row(
                row["name"],
                row["version"],
                "\n".join(row["hooks"]),
                "\n".join(row["provides"]),
            )
        Console().print(table)
        for failure in failures:
            click.secho(failure["error"], fg="red", err=True)
    if failures:
        raise SystemExit(1)


@click.command()
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default="."
)
@click.option("--force", is_flag=True, help="Overwrite an existing configuration.")
def init(directory: Path, force: bool) -> None:
    """Write a commented starter configuration that works offline.

    Creates DIRECTORY/leadwire.toml and DIRECTORY/.env, the latter with freshly
    generated secrets for the website channel and the pseudonym vault.
    """
    config = directory / DEFAULT_CONFIG
    env = directory / ".env"
    if config.exists() and not force:
        raise click.ClickException(f"{config} exists; pass --force to overwrite it")

    directory.mkdir(parents=True, exist_ok=True)
    template = resources.files("leadwire").joinpath("templates/leadwire.toml")
    config.write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    if not env.exists() or force:
        env.write_text(
            "# Secrets of this client setup. Keep this file out of version control.\n"
            f"LEADWIRE_WEBSITE_SECRET={secrets.token_urlsafe(32)}\n"
            f"LEADWIRE_VAULT_KEY={Fernet.generate_key().decode()}\n",
            encoding="utf-8",
        )
        env.chmod(0o600)

    click.echo(f"Wrote {config} and {env}.")
    click.echo("Next: leadwire check --config " + str(config))


@click.command()
@config_option
@click.pass_obj
def check(context: Context, config_path: Path) -> None:
    """Validate a configuration and the plugins it needs.

    Prints every problem with its key path and exits 1, or a summary and 0.
    """
    config = read_config(context, config_path)
    click.echo(f"{config_path}: OK")
    for name, channel in config.channels.items():
        click.echo(f"  channel {name}: {channel.plugin}")
    click.echo(f"  crm: {config.crm.plugin}")
    click.echo(f"  llm: {config.llm.plugin}")
    click.echo(f"  consent store: {config.consent_store.plugin}")


COMMANDS = [plugins, init, check]
