"""The pluggy markers of the ``leadwire`` project."""

import pluggy

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "leadwire"

#: Marks a hook specification in :mod:`leadwire.hookspecs`.
hookspec = pluggy.HookspecMarker(PROJECT)

#: Marks a plugin's implementation of a hook.
hookimpl = pluggy.HookimplMarker(PROJECT)
