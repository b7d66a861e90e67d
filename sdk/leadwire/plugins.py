"""Finding, loading and calling plugins.

Plugins, the built-in ones included, are modules named in the ``leadwire``
entry-point group. ``LEADWIRE_PLUGINS`` (a comma-separated list of entry-point
names) limits which load; set it empty to load none. A plugin that fails to
import, or implements a hook leadwire does not know, is reported with its name
and the reason, and the others still load.

Application code never calls ``pm.hook``: it goes through :class:`PluginHost`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from importlib import metadata
from types import ModuleType
from typing import Any

import attrs
import click
import pluggy

from leadwire.connectors import (
    Channel,
    ConnectorType,
    ConsentStore,
    Crm,
    Llm,
    Recognizer,
)
from leadwire.errors import PluginError
from leadwire.hookspecs import FAMILIES
from leadwire.markers import PROJECT
from leadwire.models import AuditEvent

__all__ = ["ENV_PLUGINS", "LoadedPlugin", "PluginHost", "load_plugins"]

logger = logging.getLogger(__name__)

#: The environment variable that limits which plugins load.
ENV_PLUGINS = "LEADWIRE_PLUGINS"


@attrs.frozen
class LoadedPlugin:
    """A plugin leadwire registered: its entry-point name, version and hooks."""

    name: str
    version: str
    module: ModuleType
    hooks: tuple[str, ...]


@attrs.frozen
class Registry:
    """The connector kinds and recognizers every loaded plugin registered."""

    channels: dict[str, ConnectorType[Any, Channel]]
    crms: dict[str, ConnectorType[Any, Crm]]
    llms: dict[str, ConnectorType[Any, Llm]]
    consent_stores: dict[str, ConnectorType[Any, ConsentStore]]
    recognizers: dict[str, Recognizer]


class PluginHost:
    """The typed facade over pluggy's manager: the only way leadwire calls hooks.

    :ivar plugins: The plugins registered.
    :ivar failures: One :class:`~leadwire.errors.PluginError` per plugin that
        could not be registered.
    """

    def __init__(self) -> None:
        self._pm = pluggy.PluginManager(PROJECT)
        for family in FAMILIES:
            self._pm.add_hookspecs(family)
        self.plugins: list[LoadedPlugin] = []
        self.failures: list[PluginError] = []
        self._registry: Registry | None = None
        self._owners: dict[tuple[str, str], str] = {}

    # -- loading ---------------------------------------------------------

    def add(self, name: str, module: ModuleType, version: str = "") -> bool:
        """Register *module* as plugin *name*; on failure record it and return False."""
        try:
            self._pm.register(module, name=name)
        except (pluggy.PluginValidationError, ValueError) as error:
            self._fail(name, f"cannot be registered: {error}")
            return False

        callers = self._pm.get_hookcallers(module) or []
        hooks = tuple(sorted(caller.name for caller in callers))
        unknown = [hook for hook in hooks if not self._is_specified(hook)]
        if unknown:
            self._pm.unregister(module)
            self._fail(
                name,
                f"implements unknown hook(s) {', '.join(unknown)}; "
                "check the spelling against leadwire's hook reference",
            )
            return False

        self.plugins.append(LoadedPlugin(name, version, module, hooks))
        self._registry = None
        return True

    def _is_specified(self, hook: str) -> bool:
        caller = getattr(self._pm.hook, hook, None)
        return caller is not None and caller.spec is not None

    def _fail(self, name: str, reason: str) -> None:
        self.failures.append(PluginError(reason, plugin=name))

    # -- the facade ------------------------------------------------------

    @property
    def registry(self) -> Registry:
        """Every connector kind and recognizer, collected once from the hooks."""
        if self._registry is None:
            self._registry = self._collect()
        return self._registry

    def _collect(self) -> Registry:
        registry = Registry({}, {}, {}, {}, {})
        self._owners.clear()
        self._call_each("channels", registry.channels)
        self._call_each("crms", registry.crms)
        self._call_each("llms", registry.llms)
        self._call_each("consent_stores", registry.consent_stores)
        self._call_each("recognizers", registry.recognizers)
        return registry

    def _call_each(self, family: str, target: dict[str, Any]) -> None:
        """Call a registration hook plugin by plugin, so one failure spares the rest."""
        hook = f"leadwire_register_{family}"
        for impl in getattr(self._pm.hook, hook).get_hookimpls():
            plugin = impl.plugin_name

            def register(item: Any, plugin: str = plugin) -> None:
                owner = self._owners.get((family, item.name))
                if owner is not None:
                    self._fail(
                        plugin,
                        f"registers {item.name!r}, which plugin {owner!r} "
                        "registered already; ignored",
                    )
                    return
                self._owners[(family, item.name)] = plugin
                target[item.name] = item

            try:
                impl.function(register=register)
            except Exception as error:
                self._fail(plugin, f"{hook} failed: {type(error).__name__}: {error}")

    def owner_of(self, family: str, name: str) -> str | None:
        """The plugin that registered connector kind *name* of *family*, or None."""
        self.registry  # noqa: B018 - collecting the registry records the owners
        return self._owners.get((family, name))

    def register_commands(self, cli: click.Group) -> None:
        """Let every plugin add its commands to *cli*."""
        self._pm.hook.leadwire_register_commands(cli=cli)

    def audit_event(self, event: AuditEvent) -> None:
        """Tell every observer about *event*; an observer's failure is only logged."""
        for impl in self._pm.hook.leadwire_audit_event.get_hookimpls():
            try:
                impl.function(event=event)
            except Exception:
                logger.exception("audit observer %s failed", impl.plugin_name)


def _allowed() -> set[str] | None:
    raw = os.environ.get(ENV_PLUGINS)
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def load_plugins(
    entry_points: Iterable[metadata.EntryPoint] | None = None,
) -> PluginHost:
    """Load the plugins of the ``leadwire`` entry-point group into a new host.

    :param entry_points: Override discovery (tests pass their own).
    """
    host = PluginHost()
    allowed = _allowed()
    if entry_points is None:
        entry_points = metadata.entry_points(group=PROJECT)

    for entry_point in sorted(entry_points, key=lambda point: point.name):
        if allowed is not None and entry_point.name not in allowed:
            continue
        try:
            module = entry_point.load()
        except Exception as error:  # a broken plugin must not take the rest down
            host._fail(
                entry_point.name,
                f"failed to import {entry_point.value}: "
                f"{type(error).__name__}: {error}",
            )
            continue
        version = entry_point.dist.version if entry_point.dist else ""
        host.add(entry_point.name, module, version)

    if allowed is not None:
        for name in sorted(allowed - {plugin.name for plugin in host.plugins}):
            if not any(failure.plugin == name for failure in host.failures):
                host._fail(name, f"is named in {ENV_PLUGINS} but is not installed")
    return host
