"""Fixtures of the compliance tests: the engine's fakes, fixtures and clock."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ENGINE_TESTS = Path(__file__).parents[1] / "engine"
sys.path.insert(0, str(ENGINE_TESTS))

_spec = importlib.util.spec_from_file_location(
    "engine_conftest", ENGINE_TESTS / "conftest.py"
)
engine_conftest = importlib.util.module_from_spec(_spec)
sys.modules["engine_conftest"] = engine_conftest
_spec.loader.exec_module(engine_conftest)

world = engine_conftest.world
clock = engine_conftest.clock
host = engine_conftest.host
migrated_database = engine_conftest.migrated_database
make_config = engine_conftest.make_config
make_engine = engine_conftest.make_engine
engine_logs = engine_conftest.engine_logs
