"""Russian personal-data detection and reversible pseudonymisation.

    detector = Detector.build(registry.recognizers.values(), config.pii)
    pseudonymizer = Pseudonymizer(detector)
    mapping = vault.open(blob) if blob else PlaceholderMap()   # one per client
    outgoing = pseudonymizer.pseudonymize(text, mapping)       # to the LLM
    reply = pseudonymizer.restore(llm_reply, mapping)          # to the client
    blob = vault.seal(mapping)                                 # kept apart

Detection fails closed (:class:`~leadwire.errors.DetectionError`); restoring
refuses unknown or mangled placeholders (:class:`UnknownPlaceholderError`).
"""

from leadwire.pii.detector import Detector
from leadwire.pii.placeholders import (
    Placeholder,
    PlaceholderMap,
    UnknownPlaceholderError,
)
from leadwire.pii.pseudonymizer import Pseudonymized, Pseudonymizer
from leadwire.pii.vault import Vault, VaultError

__all__ = [
    "Detector",
    "Placeholder",
    "PlaceholderMap",
    "Pseudonymized",
    "Pseudonymizer",
    "UnknownPlaceholderError",
    "Vault",
    "VaultError",
]
