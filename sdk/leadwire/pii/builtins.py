"""The list of built-in recognizers."""

from __future__ import annotations

from leadwire.connectors import Recognizer
from leadwire.pii.addresses import AddressRecognizer
from leadwire.pii.dates import BirthdateRecognizer
from leadwire.pii.documents import DocumentRecognizer
from leadwire.pii.emails import EmailRecognizer
from leadwire.pii.handles import HandleRecognizer
from leadwire.pii.names import NameRecognizer
from leadwire.pii.phones import PhoneRecognizer
from leadwire.pii.plates import PlateRecognizer

__all__ = ["built_in_recognizers"]


def built_in_recognizers() -> list[Recognizer]:
    """A fresh instance of every built-in recognizer."""
    return [
        PhoneRecognizer(),
        EmailRecognizer(),
        DocumentRecognizer(),
        BirthdateRecognizer(),
        PlateRecognizer(),
        HandleRecognizer(),
        AddressRecognizer(),
        NameRecognizer(),
    ]
