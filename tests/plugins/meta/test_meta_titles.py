"""Button titles fitted into the characters Meta's buttons show."""

from __future__ import annotations

from leadwire_meta import shorten


def test_shorten_keeps_short_titles_and_marks_cuts():
    """Titles within the limit are kept; longer ones end in an ellipsis at the limit."""
    assert shorten("Согласен", 20) == "Согласен"
    assert shorten("Записаться на стрижку", 20) == "Записаться на стриж…"
    assert len(shorten("Записаться на стрижку", 20)) == 20


def test_shorten_collapses_whitespace_before_measuring():
    """Runs of spaces and line breaks count as one space."""
    assert shorten("  Среда \n 15:00  ", 20) == "Среда 15:00"
