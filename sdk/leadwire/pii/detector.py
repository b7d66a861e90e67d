"""The detector: every recognizer over a text, overlaps resolved, fail closed.

A text leaves the process only after :meth:`Detector.detect` returned. Any
failure — a recognizer that raises or returns nonsense, a text too long, a
detection that overran its time budget — raises
:class:`~leadwire.errors.DetectionError` instead of a partial answer, and the
engine then keeps the text to itself.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Sequence

import phonenumbers

from leadwire.config import PiiSettings
from leadwire.connectors import Recognizer
from leadwire.errors import ConfigError, ConfigProblem, DetectionError
from leadwire.models import Entity
from leadwire.pii._spans import resolve
from leadwire.pii.patterns import PatternRecognizer

__all__ = ["DEFAULT_MAX_LENGTH", "DEFAULT_TIME_BUDGET", "Detector"]

logger = logging.getLogger(__name__)

#: Longer texts are refused: a chat message is far shorter, and a huge one
#: would take the detection out of its time budget.
DEFAULT_MAX_LENGTH = 4000

#: Seconds one detection may take; far above the usual millisecond or two.
DEFAULT_TIME_BUDGET = 2.0


def _key(value: str) -> str:
    """Compare allow-list values without case, punctuation or spacing."""
    return " ".join(re.findall(r"\w+", value.casefold())).replace("ё", "е")


def _allow_keys(value: str) -> set[str]:
    """The keys of an allow-list value; a phone's E.164 form too, so the
    salon's number is allowed however a message writes it."""
    keys = {_key(value)}
    if re.fullmatch(r"[\d\s()+\-.]{7,}", value):
        try:
            number = phonenumbers.parse(value, "RU")
        except phonenumbers.NumberParseException:
            return keys
        keys.add(
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        )
        keys = {_key(key) for key in keys}
    return keys


class Detector:
    """Finds personal data with a set of recognizers.

    Build it with :meth:`build` from the registered recognizers and a client's
    :class:`~leadwire.config.PiiSettings`.

    :param recognizers: The recognizers to run, in order.
    :param allow: Values that may reach the LLM (compared without case,
        punctuation and spacing, also against the canonical form).
    :param max_length: Longest text accepted, in characters.
    :param time_budget: Seconds a detection may take.
    """

    def __init__(
        self,
        recognizers: Sequence[Recognizer],
        *,
        allow: Iterable[str] = (),
        max_length: int = DEFAULT_MAX_LENGTH,
        time_budget: float = DEFAULT_TIME_BUDGET,
    ) -> None:
        self.recognizers = tuple(recognizers)
        self.max_length = max_length
        self.time_budget = time_budget
        self._allow = {key for value in allow for key in _allow_keys(value)} - {""}

    @classmethod
    def build(
        cls,
        recognizers: Iterable[Recognizer],
        settings: PiiSettings | None = None,
        *,
        max_length: int = DEFAULT_MAX_LENGTH,
        time_budget: float = DEFAULT_TIME_BUDGET,
    ) -> Detector:
        """The recognizers less the disabled ones, plus the custom patterns.

        Raise :class:`~leadwire.errors.ConfigError` for a disabled name no
        recognizer has (a typo would silently leave one on) and for a pattern
        that is not a valid regular expression.
        """
        settings = settings or PiiSettings()
        recognizers = list(recognizers)
        problems = []

        known = {recognizer.name for recognizer in recognizers}
        for index, name in enumerate(settings.disabled):
            if name not in known:
                problems.append(
                    ConfigProblem(
                        f"pii.disabled.{index}",
                        f"no recognizer named {name!r}; known: "
                        f"{', '.join(sorted(known)) or 'none'}",
                    )
                )
        kept = [r for r in recognizers if r.name not in set(settings.disabled)]

        for index, rule in enumerate(settings.patterns):
            try:
                kept.append(PatternRecognizer.from_rule(rule))
            except ValueError as error:
                problems.append(ConfigProblem(f"pii.patterns.{index}", str(error)))

        if problems:
            raise ConfigError(problems)
        detector = cls(
            kept, allow=settings.allow, max_length=max_length, time_budget=time_budget
        )
        detector.load()
        return detector

    def load(self) -> None:
        """Load what the recognizers need (language models) now, not in the
        middle of the first detection, whose time budget it would eat.

        Recognizers with a ``load()`` method are asked to load; a failure
        raises :class:`~leadwire.errors.DetectionError`.
        """
        for recognizer in self.recognizers:
            load = getattr(recognizer, "load", None)
            if load is None:
                continue
            try:
                load()
            except Exception as error:
                raise DetectionError(
                    f"recognizer {recognizer.name!r} failed to load: "
                    f"{type(error).__name__}: {error}"
                ) from error

    def detect(self, text: str) -> list[Entity]:
        """The personal data in *text*: non-overlapping entities sorted by start.

        Raise :class:`~leadwire.errors.DetectionError` on any failure.
        """
        if not isinstance(text, str):
            raise DetectionError(f"expected text, got {type(text).__name__}")
        if len(text) > self.max_length:
            raise DetectionError(
                f"text of {len(text)} characters is over the limit of "
                f"{self.max_length}; it is not sent on"
            )

        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise DetectionError(
                "text holds characters that are not valid Unicode (lone "
                "surrogates); it is not sent on"
            ) from None

        started = time.perf_counter()
        found: list[Entity] = []
        for recognizer in self.recognizers:
            found.extend(self._run(recognizer, text))
            if time.perf_counter() - started > self.time_budget:
                raise DetectionError(
                    f"detection took over {self.time_budget} s (stopped after "
                    f"recognizer {recognizer.name!r}); the text is not sent on"
                )

        return resolve((e for e in found if not self._allowed(e)), text)

    def _run(self, recognizer: Recognizer, text: str) -> list[Entity]:
        name = getattr(recognizer, "name", type(recognizer).__name__)
        try:
            entities = list(recognizer.find(text))
        except Exception as error:
            # The exception's own message may quote the text: keep it out.
            logger.warning("recognizer %s failed: %s", name, type(error).__name__)
            raise DetectionError(
                f"recognizer {name!r} failed with {type(error).__name__}; "
                "the text is not sent on"
            ) from None

        for entity in entities:
            if not _fits(entity, text):
                raise DetectionError(
                    f"recognizer {name!r} returned a span outside the text or "
                    "not matching it; the text is not sent on"
                )
        return entities

    def _allowed(self, entity: Entity) -> bool:
        if not self._allow:
            return False
        keys = {_key(entity.value), _key(entity.normalized or "")}
        return bool(keys & self._allow)


def _fits(entity: object, text: str) -> bool:
    return (
        isinstance(entity, Entity)
        and isinstance(entity.type, str)
        and bool(entity.type)
        and 0 <= entity.start < entity.end <= len(text)
        and text[entity.start : entity.end] == entity.value
    )
