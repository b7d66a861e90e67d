"""Reference pages rendered from leadwire's code, so that they cannot drift.

:func:`configuration_reference` walks the attrs classes of
:class:`leadwire.config.ClientConfig` and the settings classes of the
installed connector kinds; :func:`cli_reference` walks the click group of
:func:`leadwire.cli.build_cli`. Descriptions come from docstrings
(``:ivar name:`` or ``:param name:`` lines); :data:`FIELD_NOTES` covers the
configuration fields whose class does not describe them yet.
"""

from __future__ import annotations

import inspect
import json
import re
import textwrap
import types
import typing
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import click

from leadwire import config
from leadwire.cli import build_cli
from leadwire.cli._common import Context
from leadwire.plugins import PluginHost, load_plugins

__all__ = [
    "FIELD_NOTES",
    "ConfigKey",
    "cli_reference",
    "command_paths",
    "config_keys",
    "configuration_reference",
    "fault_reference",
    "field_descriptions",
    "starter_configuration",
]

#: Descriptions of configuration fields whose class docstring has none,
#: keyed ``Class.field``. An entry for a field the docstring describes, or for
#: a field that no longer exists, fails the docs tests.
FIELD_NOTES: dict[str, str] = {}

#: Introductions of sections whose class docstring does not say enough.
SECTION_INTROS = {
    "channels.NAME": "Each table turns one chat channel on. NAME is the "
    "channel's name in webhook paths (`/webhooks/NAME`), logs and leads; "
    "`plugin` defaults to NAME, so `[channels.telegram]` needs no `plugin`.",
    "crm": "The CRM leads are filed in.",
    "llm": "The assistant's model.",
    "consent_store": "Where the consent ledger is kept. Optional: the default "
    "is the `local` store in leadwire's own database.",
    "retention": "How long each kind of record is kept, in days. `leadwire "
    "serve` applies the periods every hour, `leadwire purge` on demand (see "
    "[operations](../operations.md#retention)).",
}

_SCALARS = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    config.Secret: 'secret (`"env:NAME"`)',
}
#: Where each plugin's own page would be, as ``plugins/<plugin>.md``.
PLUGIN_PAGES = Path(__file__).parents[1] / "docs" / "plugins"

_DOC_FIELD = re.compile(r"^\s*:(?:ivar|param)\s+(\w+):\s*(.*)$")


@attrs.frozen
class ConfigKey:
    """One key of the configuration file.

    :ivar path: The dotted path, ``[]`` marking the items of a list of tables.
    :ivar owner: The attrs class and field it comes from, ``Class.field``.
    :ivar type: The TOML type, in words.
    :ivar default: The default as TOML, or ``required``.
    :ivar description: What the key means.
    """

    path: str
    owner: str
    type: str
    default: str
    description: str


# --------------------------------------------------------------------------
# Docstrings


def field_descriptions(cls: type) -> dict[str, str]:
    """The ``:ivar:`` and ``:param:`` descriptions of *cls*'s docstring."""
    found: dict[str, str] = {}
    current = None
    for line in inspect.cleandoc(cls.__doc__ or "").splitlines():
        match = _DOC_FIELD.match(line)
        if match:
            current = match.group(1)
            found[current] = match.group(2).strip()
        elif current and line.startswith((" ", "\t")) and line.strip():
            found[current] += " " + line.strip()
        else:
            current = None
    return found


def _summary(cls: type) -> str:
    """The first paragraph of *cls*'s docstring, on one line."""
    paragraph = inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0]
    return " ".join(paragraph.split())


def _describe(cls: type, field: str) -> str:
    text = field_descriptions(cls).get(field) or FIELD_NOTES.get(
        f"{cls.__name__}.{field}", ""
    )
    return _markdown(text)


def _markdown(text: str) -> str:
    """Docstring markup as Markdown: ``code`` and :role:`target` become `code`."""
    text = re.sub(r":\w+:`~?([^`]+)`", lambda m: f"`{m.group(1).split('.')[-1]}`", text)
    return text.replace("``", "`")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


# --------------------------------------------------------------------------
# Types and defaults


def _item_class(kind: Any) -> type | None:
    """The attrs class of a ``tuple[Cls, ...]`` type, or None."""
    if typing.get_origin(kind) is tuple:
        item = typing.get_args(kind)[0]
        if attrs.has(item):
            return item
    return None


def _type_name(kind: Any) -> str:
    if kind in _SCALARS:
        return _SCALARS[kind]
    origin = typing.get_origin(kind)
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{_toml(arg)}`" for arg in typing.get_args(kind))
    if origin is Mapping or kind is dict:
        return "table"
    if origin is tuple:
        item = typing.get_args(kind)[0]
        if attrs.has(item):
            return "list of tables"
        return f"list of {_type_name(item)}s"
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(arg) for arg in typing.get_args(kind)]
        return " or ".join(name for name in names if name != "NoneType")
    return getattr(kind, "__name__", str(kind))


def _toml(value: Any) -> str:
    if isinstance(value, config.Secret):
        return f'"env:{value.env}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return json.dumps(list(value), ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


def _default(field: attrs.Attribute[Any]) -> str:
    default = field.default
    if default is attrs.NOTHING:
        return "required"
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()
    if default is None:
        return "unset"
    return f"`{_toml(default)}`"


# --------------------------------------------------------------------------
# The configuration


def _walk(cls: type, prefix: str) -> Iterator[ConfigKey]:
    """The keys of attrs class *cls*, nested lists of tables included."""
    hints = typing.get_type_hints(cls)
    for field in attrs.fields(cls):
        kind = hints[field.name]
        path = f"{prefix}.{field.name}"
        yield ConfigKey(
            path=path,
            owner=f"{cls.__name__}.{field.name}",
            type=_type_name(kind),
            default=_default(field),
            description=_describe(cls, field.name),
        )
        item = _item_class(kind)
        if item is not None:
            yield from _walk(item, f"{path}[]")


def _sections() -> Iterator[tuple[str, type, bool]]:
    """(key, class, is a connector) of each section of ClientConfig."""
    hints = typing.get_type_hints(config.ClientConfig)
    for field in attrs.fields(config.ClientConfig):
        kind = hints[field.name]
        if typing.get_origin(kind) is Mapping:
            yield f"{field.name}.NAME", typing.get_args(kind)[1], True
        elif attrs.has(kind):
            yield field.name, kind, kind is config.ConnectorConfig


def config_keys() -> list[ConfigKey]:
    """Every key of the configuration file that leadwire's core defines.

    A connector section has one key of its own, ``plugin``; the rest of its
    table is the plugin's settings, listed by :func:`configuration_reference`.
    """
    keys = []
    for section, cls, is_connector in _sections():
        if is_connector:
            field = attrs.fields_dict(cls)["plugin"]
            keys.append(
                ConfigKey(
                    path=f"{section}.plugin",
                    owner="ConnectorConfig.plugin",
                    type="string",
                    default=_default(field),
                    description=_describe(cls, "plugin"),
                )
            )
        else:
            keys.extend(_walk(cls, section))
    return keys


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "—"


def _table(keys: list[ConfigKey]) -> list[str]:
    lines = ["| key | type | default | description |", "|---|---|---|---|"]
    for key in keys:
        lines.append(
            f"| `{key.path}` | {_cell(key.type)} | {_cell(key.default)} "
            f"| {_cell(key.description)} |"
        )
    return lines


def _settings_keys(cls: type) -> list[ConfigKey]:
    """The keys of a connector's settings class, relative to its table."""
    return [attrs.evolve(key, path=key.path[1:]) for key in _walk(cls, "")]


def configuration_reference(host: PluginHost | None = None) -> str:
    """Markdown for every section and key, then every connector kind's settings."""
    host = host or load_plugins()
    keys = config_keys()
    lines: list[str] = []
    for section, cls, is_connector in _sections():
        intro = SECTION_INTROS.get(section) or _sentence(_summary(cls))
        lines += [f"## `[{section}]`", "", intro, ""]
        if is_connector:
            lines += [
                "The table names a connector kind in `plugin`; every other key "
                "belongs to that kind's settings "
                "([connector settings](#connector-settings)).",
                "",
            ]
        lines += _table([key for key in keys if key.path.startswith(section + ".")])
        lines.append("")

    lines += [
        "## Connector settings",
        "",
        "The settings of every connector kind the installed plugins register, "
        "as rendered when this site was built. Write them in the connector's "
        "table beside `plugin`.",
        "",
    ]
    registry = host.registry
    families = [
        ("channels", "channel", "[channels.NAME]"),
        ("crms", "CRM", "[crm]"),
        ("llms", "LLM", "[llm]"),
        ("consent_stores", "consent store", "[consent_store]"),
    ]
    for family, noun, table in families:
        for name, kind in sorted(getattr(registry, family).items()):
            owner = host.owner_of(family, name) or "?"
            where = f"from plugin `{owner}`"
            if (PLUGIN_PAGES / f"{owner}.md").is_file():
                where += f" ([its page](../plugins/{owner}.md))"
            summary = _sentence(kind.summary or _summary(kind.settings))
            lines += [f"### {noun} `{name}`", "", f"{summary} In `{table}`; {where}."]
            lines.append("")
            settings = _settings_keys(kind.settings)
            lines += _table(settings) if settings else ["No settings."]
            lines.append("")
    return "\n".join(lines)


def starter_configuration() -> str:
    """The configuration `leadwire init` writes, in a collapsed block."""
    template = resources.files("leadwire").joinpath("templates/leadwire.toml")
    text = template.read_text(encoding="utf-8").rstrip("\n")
    body = textwrap.indent(f"```toml\n{text}\n```", "    ")
    return f'??? example "leadwire.toml as `leadwire init` writes it"\n\n{body}\n'


# --------------------------------------------------------------------------
# The harness's faults


def fault_reference() -> str:
    """Markdown for every fault of the harness, with the plans that replay it."""
    from leadwire_harness.faults import FAULTS, PLANS

    lines = ["| fault | what happens | in plans |", "|---|---|---|"]
    for name, fault in FAULTS.items():
        if name == "none":
            continue
        plans = [plan for plan, names in PLANS.items() if name in names]
        lines.append(
            f"| `{name}` | {_cell(fault.summary)} "
            f"| {', '.join(f'`{plan}`' for plan in plans)} |"
        )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# The command line


def _commands(
    group: click.Group, ctx: click.Context
) -> Iterator[tuple[str, click.Command, click.Context]]:
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = click.Context(command, info_name=name, parent=ctx)
        yield sub.command_path, command, sub
        if isinstance(command, click.Group):
            yield from _commands(command, sub)


def command_paths(cli: click.Group) -> dict[str, click.Command]:
    """Every command and subcommand of *cli*, by its full path."""
    root = click.Context(cli, info_name="leadwire", **cli.context_settings)
    return {path: command for path, command, _ in _commands(cli, root)}


def _help(command: click.Command) -> str:
    text = inspect.cleandoc(command.help or "").split("\f")[0]
    return text.replace("\b\n", "")


def _parameters(command: click.Command, ctx: click.Context) -> list[str]:
    rows = []
    for param in command.get_params(ctx):
        if isinstance(param, click.Argument):
            rows.append(f"| `{param.make_metavar(ctx)}` | argument, see above |")
            continue
        record = param.get_help_record(ctx)
        if record is not None:
            names, text = record
            rows.append(f"| `{names}` | {_cell(text)} |")
    if not rows:
        return []
    return ["| parameter | meaning |", "|---|---|", *rows, ""]


def cli_reference(cli: click.Group | None = None) -> str:
    """Markdown for every command: usage, help text and parameters.

    Commands added by plugins are marked, by comparison with the group built
    without any plugin.
    """
    cli = cli or build_cli()
    built_in = command_paths(build_cli(Context(PluginHost())))
    root = click.Context(cli, info_name="leadwire", **cli.context_settings)
    lines: list[str] = []
    for path, command, ctx in _commands(cli, root):
        depth = "#" * min(path.count(" ") + 1, 4)
        lines += [f"{depth} `{path}`", ""]
        if path not in built_in:
            lines += ["*Added by a plugin.*", ""]
        lines += ["```text", command.get_usage(ctx), "```", ""]
        lines += [_help(command), ""]
        lines += _parameters(command, ctx)
    return "\n".join(lines)
