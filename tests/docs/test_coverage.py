"""Every hook, command, configuration key and error has its documentation."""

from __future__ import annotations

import inspect
import re
import typing

import attrs
import pytest
import yaml
from docs_support import DOCS, ROOT, page

import leadwire.errors
from leadwire import config
from leadwire.cli import build_cli
from leadwire.cli._common import Context
from leadwire.hookspecs import FAMILIES
from leadwire.plugins import PluginHost

HOOKS = [
    (module, name)
    for module in FAMILIES
    for name, function in vars(module).items()
    if name.startswith("leadwire_") and inspect.isfunction(function)
]


def _nav_pages(nav: list[typing.Any]) -> set[str]:
    found = set()
    for entry in nav:
        target = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(target, list):
            found |= _nav_pages(target)
        else:
            found.add(target)
    return found


def _mkdocs_nav() -> list[typing.Any]:
    class Loader(yaml.SafeLoader):
        """Reads mkdocs.yml, ignoring its !!python/name tags."""

    Loader.add_multi_constructor(
        "tag:yaml.org,2002:python/name:", lambda loader, suffix, node: None
    )
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=Loader)["nav"]


# --------------------------------------------------------------------------
# Hooks


def test_hooks_are_found():
    """The hook walk finds the registration and life-cycle hooks."""
    names = {name for _, name in HOOKS}

    assert {"leadwire_register_channels", "leadwire_audit_event"} <= names


def _guide_section(name: str) -> str:
    """The integrator guide's section of hook *name*, or "" if it has none."""
    found = re.search(
        rf"^### `{name}`$(?P<body>.*?)(?=^##)", page("integrators.md"), re.M | re.S
    )
    return found["body"] if found else ""


@pytest.mark.parametrize(("module", "name"), HOOKS, ids=[name for _, name in HOOKS])
def test_hook_has_a_guide_section(module, name):
    """Each hook has a guide section: signature, example, link to its spec."""
    section = _guide_section(name)

    assert section, f"docs/integrators.md needs a '### `{name}`' section"
    for parameter in inspect.signature(getattr(module, name)).parameters:
        assert f"def {name}({parameter}:" in section, f"{name}: show the signature"
    assert "@hookimpl" in section, f"{name}: show an example implementation"
    assert f"(reference/hooks.md#{module.__name__}.{name})" in section, (
        f"{name}: link the specification in the hook reference"
    )


@pytest.mark.parametrize(("module", "name"), HOOKS, ids=[name for _, name in HOOKS])
def test_hook_module_is_rendered_in_the_reference(module, name):
    """Each hook's module is rendered by mkdocstrings in the hook reference."""
    assert f"::: {module.__name__}\n" in page("reference/hooks.md")


@pytest.mark.parametrize(("module", "name"), HOOKS, ids=[name for _, name in HOOKS])
def test_hook_docstring_has_every_part(module, name):
    """Each hook's docstring documents every parameter, the return and an example."""
    function = getattr(module, name)
    doc = inspect.getdoc(function) or ""

    for parameter in inspect.signature(function).parameters:
        assert f":param {parameter}:" in doc, f"{name}: no :param {parameter}:"
    assert "return value" in doc, f"{name}: say what the return value means"
    assert "Example::" in doc, f"{name}: add an Example:: block"


# --------------------------------------------------------------------------
# The command line


def test_every_built_in_command_is_in_the_cli_reference(reference):
    """Each built-in command and subcommand has help text and a reference entry."""
    cli = build_cli(Context(PluginHost()))
    rendered = reference.cli_reference(cli)
    commands = reference.command_paths(cli)

    assert {"leadwire init", "leadwire check", "leadwire plugins"} <= set(commands)
    for path, command in commands.items():
        assert (command.help or "").strip(), f"{path} has no help text"
        assert re.search(rf"^#+ `{path}`$", rendered, re.MULTILINE), path


def test_command_walk_reaches_subcommands(reference):
    """Subcommands of a group are listed by their full path."""
    import click

    group = click.Group("leadwire")
    audit = click.Group("audit", help="Audit log.")
    audit.add_command(click.Command("verify", help="Check the chain."))
    group.add_command(audit)

    assert set(reference.command_paths(group)) == {
        "leadwire audit",
        "leadwire audit verify",
    }


def test_plugin_commands_are_marked(reference):
    """A command that only a plugin adds is marked as such."""
    import click

    cli = build_cli(Context(PluginHost()))
    cli.add_command(click.Command("vk-check", help="Check the VK token."))

    rendered = reference.cli_reference(cli)

    assert "## `leadwire vk-check`\n\n*Added by a plugin.*" in rendered
    assert "## `leadwire init`\n\n*Added" not in rendered


# --------------------------------------------------------------------------
# The configuration


def _section_fields() -> list[tuple[str, type, str]]:
    """(key path, class, field) of every field of every attrs section."""
    hints = typing.get_type_hints(config.ClientConfig)
    found = []
    for field in attrs.fields(config.ClientConfig):
        kind = hints[field.name]
        if attrs.has(kind) and kind is not config.ConnectorConfig:
            found += [
                (f"{field.name}.{inner.name}", kind, inner.name)
                for inner in attrs.fields(kind)
            ]
    return found


@pytest.mark.parametrize(
    ("path", "cls", "field"), _section_fields(), ids=[p for p, *_ in _section_fields()]
)
def test_configuration_key_is_documented(reference, path, cls, field):
    """Each key of each section is in the reference with a description."""
    keys = {key.path: key for key in reference.config_keys()}

    assert path in keys, f"{path} is missing from the configuration reference"
    assert keys[path].description, (
        f"{path} has no description: add ':ivar {field}:' to {cls.__name__}'s docstring"
    )


def test_nested_keys_are_documented(reference):
    """Keys of lists of tables (business.services[]) are described too."""
    keys = {key.path: key for key in reference.config_keys()}

    for path in ("business.services[].price", "pii.patterns[].regex"):
        assert keys[path].description, path


def test_connector_sections_document_plugin(reference):
    """Every connector section documents its ``plugin`` key."""
    paths = {key.path for key in reference.config_keys()}

    assert {"channels.NAME.plugin", "crm.plugin", "llm.plugin"} <= paths
    assert "consent_store.plugin" in paths


def test_field_notes_name_existing_undescribed_fields(reference):
    """A supplementary note names a real field that its docstring leaves bare."""
    owners = {key.owner for key in reference.config_keys()}

    for owner in reference.FIELD_NOTES:
        cls_name, field = owner.split(".")
        assert owner in owners, f"FIELD_NOTES[{owner!r}]: no such field"
        cls = getattr(config, cls_name)
        assert field not in reference.field_descriptions(cls), (
            f"FIELD_NOTES[{owner!r}] repeats the docstring: delete the note"
        )


def test_rendered_page_lists_every_key(reference):
    """The rendered configuration page has a row per key."""
    rendered = reference.configuration_reference(PluginHost())

    for key in reference.config_keys():
        assert f"| `{key.path}` |" in rendered


def test_connector_settings_are_rendered(reference):
    """Each installed connector kind gets a table of its settings."""
    from leadwire.plugins import load_plugins

    host = load_plugins()
    rendered = reference.configuration_reference(host)

    for name in host.registry.channels:
        assert f"### channel `{name}`" in rendered


def test_docstring_fields_are_read(reference):
    """`:ivar:` and `:param:` lines, continuation lines included, are read."""

    class Example:
        """Summary.

        :ivar first: One line.
        :param second: Two
            lines.
        """

    assert reference.field_descriptions(Example) == {
        "first": "One line.",
        "second": "Two lines.",
    }


# --------------------------------------------------------------------------
# Errors and pages


@pytest.mark.parametrize(
    "name", [name for name in leadwire.errors.__all__ if name != "ConfigProblem"]
)
def test_error_class_has_a_section(name):
    """Each exception class has a section on the errors page."""
    assert re.search(rf"^### {name}$", page("reference/errors.md"), re.MULTILINE)


def test_every_page_is_in_the_navigation():
    """Every Markdown page under docs/ is listed in the navigation of mkdocs.yml."""
    listed = _nav_pages(_mkdocs_nav())
    pages = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}

    assert pages - listed == set()
