"""The built-in recognizers, registered through the hook like a third party's."""

from __future__ import annotations

from collections.abc import Callable

from leadwire.connectors import Recognizer
from leadwire.markers import hookimpl
from leadwire.pii.builtins import built_in_recognizers


@hookimpl
def leadwire_register_recognizers(register: Callable[[Recognizer], None]) -> None:
    """Register every built-in recognizer of Russian personal data."""
    for recognizer in built_in_recognizers():
        register(recognizer)
