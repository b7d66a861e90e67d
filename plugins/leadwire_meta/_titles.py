"""Fitting button titles into the few characters Meta's buttons show."""

from __future__ import annotations


def shorten(title: str, limit: int) -> str:
    """Fit a button title into *limit* characters, marking a cut with an ellipsis."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    return title[: limit - 1].rstrip() + "…"
