"""The exceptions leadwire raises, and the ones connectors raise to the engine.

Every exception derives from :class:`LeadwireError`. Messages say what was wrong
and what to do about it; they never carry personal data or secrets.

    LeadwireError
    ├── ConfigError (ValueError)           the client configuration is invalid
    ├── PluginError                        a plugin failed to load or misbehaved
    ├── DetectionError                     personal-data detection failed: fail closed
    └── ConnectorError                     a provider call failed
        ├── TemporaryError                 retry later, after ``retry_after`` if given
        │   └── RateLimitedError           the provider asked us to slow down
        ├── CredentialsError               an operator must fix a token, key or URL
        ├── OutsideWindowError             only a template or a human may answer now
        ├── RejectedError                  the provider refused this request for good
        └── UnusableAnswerError            an LLM answered, but nothing usable
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = [
    "ConfigError",
    "ConfigProblem",
    "ConnectorError",
    "CredentialsError",
    "DetectionError",
    "LeadwireError",
    "OutsideWindowError",
    "PluginError",
    "RateLimitedError",
    "RejectedError",
    "TemporaryError",
    "UnusableAnswerError",
]


class LeadwireError(Exception):
    """Base of every exception leadwire raises."""


@attrs.frozen
class ConfigProblem:
    """One thing wrong with a configuration.

    :ivar path: Where the problem is, as dotted keys: ``channels.whatsapp.app_secret``.
    :ivar message: What was expected there, and what to do.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(top level)'}: {self.message}"


class ConfigError(LeadwireError, ValueError):
    """A client configuration is invalid; :attr:`problems` lists every problem."""

    def __init__(self, problems: Sequence[ConfigProblem], *, source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        where = f" in {source}" if source else ""
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{len(self.problems)} problem(s){where}:\n{lines}")


class PluginError(LeadwireError):
    """A plugin failed to load, or implements something leadwire does not know."""

    def __init__(self, message: str, *, plugin: str) -> None:
        self.plugin = plugin
        super().__init__(f"plugin {plugin!r}: {message}")


class DetectionError(LeadwireError):
    """Personal-data detection failed, so the text must not leave the process."""


class ConnectorError(LeadwireError):
    """A call to a provider (channel, CRM, LLM, consent store) failed.

    :param connector: The configured name of the connector that failed.
    :param trace_id: The provider's request or trace id, for its support desk.
    """

    def __init__(
        self, message: str, *, connector: str = "", trace_id: str | None = None
    ) -> None:
        self.connector = connector
        self.trace_id = trace_id
        suffix = f" (trace id {trace_id})" if trace_id else ""
        prefix = f"{connector}: " if connector else ""
        super().__init__(f"{prefix}{message}{suffix}")


class TemporaryError(ConnectorError):
    """The call may succeed later; wait ``retry_after`` seconds when it is set."""

    def __init__(
        self,
        message: str,
        *,
        connector: str = "",
        trace_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, connector=connector, trace_id=trace_id)


class RateLimitedError(TemporaryError):
    """The provider asked us to slow down."""


class CredentialsError(ConnectorError):
    """A token, key or webhook URL is wrong, expired or lacks rights.

    Retrying cannot help: the message tells the operator what to fix.
    """


class OutsideWindowError(ConnectorError):
    """The provider's reply window is closed: only a template or a human may answer."""


class RejectedError(ConnectorError):
    """The provider refused this request for good; retrying it cannot help."""


class UnusableAnswerError(ConnectorError):
    """An LLM answered, but with nothing the engine may use (after any re-ask)."""
