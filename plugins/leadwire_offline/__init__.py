"""The ``offline`` LLM: a rule-based assistant that needs no network or key.

It reads the client's last message (Russian or English) and the business
profile in the system message, answers greetings, price, hours and address
questions, walks a booking through service and day and time, and fills the
lead fields. Its output depends on its input alone. Tests and demos can queue
scripted answers ahead of the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadwire import ConnectorType, Llm, hookimpl
from leadwire_offline._llm import MODEL, OfflineLlm, Scripted
from leadwire_offline._settings import OfflineSettings

__all__ = [
    "MODEL",
    "OfflineLlm",
    "OfflineSettings",
    "Scripted",
    "leadwire_register_llms",
]


@hookimpl
def leadwire_register_llms(register: Callable[[ConnectorType[Any, Llm]], None]) -> None:
    """Register the ``offline`` LLM."""
    register(
        ConnectorType(
            "offline",
            OfflineSettings,
            OfflineLlm,
            "Rule-based assistant: no network, no key, same input same answer",
        )
    )
