"""The schema migrations of leadwire's database, run on start by the engine.

Each file under ``versions`` is one step; a new release adds steps and never
edits a shipped one, so an upgrade keeps consent records and audit history.
"""
