"""Hooks of the personal-data family: what the pseudonymiser recognises."""

from __future__ import annotations

from collections.abc import Callable

from leadwire.connectors import Recognizer
from leadwire.markers import hookspec

# ---------------------------------------------------------------------------
# Registration: called once when the plugins are loaded.


@hookspec
def leadwire_register_recognizers(register: Callable[[Recognizer], None]) -> None:
    """Add recognizers of personal data to the built-in ones.

    :param register: Call it once per :class:`~leadwire.connectors.Recognizer`.
        Recognizer names are unique; a configuration can switch any of them off
        by name (``pii.disabled``).

    The return value is ignored.

    Example::

        @hookimpl
        def leadwire_register_recognizers(register):
            register(KazakhIinRecognizer())
    """
