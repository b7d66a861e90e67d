"""The ``gpt`` LLM: OpenAI's GPT models, or any OpenAI-compatible server.

Speaks the Chat Completions REST API through leadwire's shared HTTP client, so
a local server (Ollama, vLLM, LM Studio) needs only its ``base_url``. The
answer comes back as strict structured output (a JSON schema or a forced tool
call), is checked before the engine sees it, and is asked for again once when
it cannot be used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadwire import ConnectorType, Llm, hookimpl
from leadwire_gpt._llm import GptLlm
from leadwire_gpt._settings import GptSettings

__all__ = ["GptLlm", "GptSettings", "leadwire_register_llms"]


@hookimpl
def leadwire_register_llms(register: Callable[[ConnectorType[Any, Llm]], None]) -> None:
    """Register the ``gpt`` LLM."""
    register(
        ConnectorType(
            "gpt",
            GptSettings,
            GptLlm,
            "OpenAI GPT, or a local OpenAI-compatible server (Ollama, vLLM)",
        )
    )
