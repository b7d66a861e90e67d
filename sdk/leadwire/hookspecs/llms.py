"""Hooks of the LLM family: the assistant's model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadwire.connectors import ConnectorType, Llm
from leadwire.markers import hookspec

# ---------------------------------------------------------------------------
# Registration: called once when the plugins are loaded.


@hookspec
def leadwire_register_llms(register: Callable[[ConnectorType[Any, Llm]], None]) -> None:
    """Register the kinds of LLM a plugin offers.

    :param register: Call it once per kind with a
        :class:`~leadwire.connectors.ConnectorType` whose ``create`` returns an
        :class:`~leadwire.connectors.Llm`. Names are unique across plugins.

    The return value is ignored.

    Example::

        @hookimpl
        def leadwire_register_llms(register):
            register(ConnectorType("gigachat", GigaSettings, GigaChat, "GigaChat"))
    """
