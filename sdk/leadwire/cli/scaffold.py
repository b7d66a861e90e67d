"""``leadwire new-plugin``: a connector package with its contract tests wired."""

from __future__ import annotations

import json
import re
import shlex
from importlib import metadata, resources
from pathlib import Path

import click
import jinja2

from leadwire.cli._common import Context

#: The families a plugin can be scaffolded for, and the config section of each.
FAMILIES = {"channel": "channels.{name}", "crm": "crm", "llm": "llm"}

#: The skeleton's settings per family, as a configuration turns it on.
_SETTINGS = {
    "channel": ('api_url = "https://api.{name}.example"', "secret", "token"),
    "crm": ('api_url = "https://crm.{name}.example"', "token"),
    "llm": ('api_url = "https://llm.{name}.example"', "api_key"),
}


def config_example(name: str, family: str) -> str:
    """The configuration table that turns the skeleton on, secrets as env refs."""
    plain, *secrets = _SETTINGS[family]
    lines = [f"[{FAMILIES[family].format(name=name)}]", f'plugin = "{name}"']
    lines.append(plain.format(name=name))
    lines += [f'{key} = "env:{name.upper()}_{key.upper()}"' for key in secrets]
    return "\n".join(lines)


_NAME = re.compile(r"[a-z][a-z0-9_]*")


def _templates() -> jinja2.Environment:
    root = resources.files("leadwire").joinpath("templates/plugin")
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: root.joinpath(name).read_text(encoding="utf-8")
        ),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )


def leadwire_source() -> str:
    """What `pip install` takes to get this leadwire: its checkout, when it is one.

    A new plugin's tests need leadwire in the plugin's own environment; an
    editable install from a checkout records the checkout's path.
    """
    try:
        recorded = metadata.distribution("leadwire").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        recorded = None
    url = json.loads(recorded or "{}").get("url", "")
    return (
        shlex.quote(url.removeprefix("file://"))
        if url.startswith("file://")
        else "leadwire"
    )


def install_command(source: str) -> str:
    return (
        f"python3 -m venv .venv && .venv/bin/pip install -e {source} && "
        ".venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    )


def scaffold(name: str, family: str, directory: Path) -> list[Path]:
    """Write the package of plugin *name* under *directory*; return the files."""
    module = f"leadwire_{name}"
    values = {
        "name": name,
        "family": family,
        "module": module,
        "distribution": f"leadwire-{name.replace('_', '-')}",
        "prefix": "".join(part.capitalize() for part in name.split("_")),
        "config_example": config_example(name, family),
        "install": install_command(leadwire_source()),
    }
    layout = {
        "pyproject.toml": "common/pyproject.toml.j2",
        "README.md": "common/README.md.j2",
        f"src/{module}/__init__.py": f"{family}/__init__.py.j2",
        f"src/{module}/connector.py": f"{family}/connector.py.j2",
        "tests/test_contract.py": f"{family}/test_contract.py.j2",
    }
    templates = _templates()
    written = []
    for target, template in layout.items():
        path = directory / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(templates.get_template(template).render(values), "utf-8")
        written.append(path)
    return written


@click.command("new-plugin")
@click.argument("name")
@click.option(
    "--family",
    type=click.Choice(sorted(FAMILIES)),
    default="channel",
    show_default=True,
    help="What the plugin connects.",
)
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the package.  [default: ./leadwire-NAME]",
)
@click.pass_obj
def new_plugin(
    context: Context, name: str, family: str, directory: Path | None
) -> None:
    """Scaffold a plugin package named NAME, with its contract tests wired.

    NAME is what configurations write in `plugin = "NAME"`: lower case letters,
    digits and underscores.
    """
    if not _NAME.fullmatch(name):
        raise click.BadParameter(
            "use lower case letters, digits and underscores, starting with a letter",
            param_hint="NAME",
        )
    taken = {plugin.name for plugin in context.host.plugins}
    registry = context.host.registry
    for family_kinds in (registry.channels, registry.crms, registry.llms):
        taken |= set(family_kinds)
    if name in taken:
        raise click.BadParameter(
            f"{name!r} is already a loaded plugin or connector; choose another name",
            param_hint="NAME",
        )
    directory = directory or Path(f"leadwire-{name.replace('_', '-')}")
    if directory.exists() and any(directory.iterdir()):
        raise click.ClickException(f"{directory} is not empty; choose another --dir")

    for path in scaffold(name, family, directory):
        click.echo(f"wrote {path}")
    click.echo(f"Next: cd {directory} && {install_command(leadwire_source())}")


COMMANDS = [new_plugin]
