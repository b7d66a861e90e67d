"""The business profile, read back from the system message the engine wrote.

The offline assistant has no configuration of its own: what it knows about the
business is what the engine put in the system message. It looks for

    Услуги:
    - Маникюр: от 1500 ₽, 1 ч
    - Стрижка — от 1200 ₽, 45 мин

(a ``Услуги:`` or ``Services:`` line, then one bulleted or numbered line per
service: the name, then ``:``, a spaced dash or ``(``, then the details), and
single lines ``Часы работы: ...`` and ``Адрес: ...``. Anything else in the
message is ignored, and a profile without these lines still works.
"""

from __future__ import annotations

import functools
import re

import attrs

__all__ = ["Profile", "Service", "read_profile"]

_SERVICES_HEADER = re.compile(
    r"^\s*(?:услуги|наши услуги|services|price list|прайс)\s*:\s*(.*)$", re.IGNORECASE
)
_BULLET = re.compile(r"^\s*(?:[-–—•*·]|\d{1,2}[.)])\s*(\S.*)$")
_NAME_END = re.compile(r"\s*(?::|\s[-–—]\s|\()\s*")
_HOURS = re.compile(
    r"^\s*(?:часы работы|режим работы|время работы|график работы|работаем|"
    r"opening hours|hours)\s*:\s*(\S.*)$",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"^\s*(?:адрес|address)\s*:\s*(\S.*)$", re.IGNORECASE)


@attrs.frozen
class Service:
    """A service as the profile lists it: its name and the rest of its line."""

    name: str
    details: str = ""


@attrs.frozen
class Profile:
    """What the assistant may tell a client about the business."""

    services: tuple[Service, ...] = ()
    hours: str | None = None
    address: str | None = None


@functools.lru_cache(maxsize=64)
def read_profile(system: str) -> Profile:
    """Read the services, hours and address out of a system message."""
    services: list[Service] = []
    hours = address = None
    in_services = False

    for line in system.splitlines():
        header = _SERVICES_HEADER.match(line)
        if header:
            in_services = True
            services += [_service(item) for item in header.group(1).split(";")]
            continue

        bullet = _BULLET.match(line)
        if in_services and bullet:
            services.append(_service(bullet.group(1)))
            continue
        in_services = False

        hours = hours or _value(_HOURS, line)
        address = address or _value(_ADDRESS, line)

    named = tuple(service for service in services if service.name)
    return Profile(services=named, hours=hours, address=address)


def _service(item: str) -> Service:
    """Split ``Name: details`` (or ``Name — details``, ``Name (details)``)."""
    item = item.strip().rstrip(";.")
    parts = _NAME_END.split(item, maxsplit=1)
    name = parts[0].strip(" «»\"'")
    # An empty price or duration leaves stray commas: "от 1500 ₽, ".
    details = parts[1].strip(" ,;") if len(parts) > 1 else ""
    if details.endswith(")") and details.count(")") > details.count("("):
        details = details[:-1].rstrip()  # the bracket opened after the name
    return Service(name=name, details=details)


def _value(pattern: re.Pattern[str], line: str) -> str | None:
    match = pattern.match(line)
    return match.group(1).strip().rstrip(".") if match else None
