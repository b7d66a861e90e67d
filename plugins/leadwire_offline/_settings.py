"""The settings table of the ``offline`` connector."""

from __future__ import annotations

import attrs

__all__ = ["OfflineSettings"]


@attrs.frozen
class OfflineSettings:
    """The offline assistant needs nothing to run; a script is for tests.

    :param script: Replies to give, in order, before the rules take over:
        ``script = ["Здравствуйте!", "Записываю вас."]``. The lead fields are
        still read from the client's messages by the rules.
    """

    script: tuple[str, ...] = ()
