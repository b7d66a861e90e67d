"""What the commands share: the plugin host, and reading the configuration."""

from __future__ import annotations

import os
from pathlib import Path

import attrs
import click

from leadwire.compliance.staff import ENV_OPERATOR
from leadwire.config import ClientConfig, load_config
from leadwire.errors import ConfigError
from leadwire.plugins import PluginHost

#: Where commands look for the configuration when --config is not given.
DEFAULT_CONFIG = "leadwire.toml"


@attrs.define
class Context:
    """Handed to every command as ``ctx.obj``."""

    host: PluginHost


def config_option(function):  # type: ignore[no-untyped-def]
    """The ``--config FILE`` option: $LEADWIRE_CONFIG, else ./leadwire.toml."""
    return click.option(
        "--config",
        "-c",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=lambda: os.environ.get("LEADWIRE_CONFIG", DEFAULT_CONFIG),
        show_default="$LEADWIRE_CONFIG or ./leadwire.toml",
        help="The client configuration file.",
    )(function)


#: The ``--operator NAME`` option of the commands that touch personal data.
operator_option = click.option(
    "--operator",
    default=None,
    help=f"Who acts: ${ENV_OPERATOR}, else the OS user.",
)


def read_config(
    context: Context,
    path: Path,
    *,
    require_env: bool = True,
    check_plugins: bool = True,
) -> ClientConfig:
    """Load the configuration or exit 1 with every problem on stderr.

    :param check_plugins: Validate each connector against its plugin; commands
        that only need the storage pass False, so they work with a plugin
        missing.
    """
    registry = context.host.registry if check_plugins else None
    try:
        return load_config(path, registry, require_env=require_env)
    except ConfigError as error:
        click.secho(str(error), fg="red", err=True)
        raise SystemExit(1) from None
