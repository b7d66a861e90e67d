"""The replay harness (being built)."""
