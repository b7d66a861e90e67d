"""Fixtures of the engine's tests: a plugin host with fakes, a fake clock, engines."""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import engine_fakes
import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

import leadwire.pii.plugin
import leadwire.stores.plugin
from leadwire.config import ClientConfig, parse_config
from leadwire.engine import Engine
from leadwire.engine.database import upgrade
from leadwire.plugins import PluginHost

#: One vault key for the session, so runs in different tests can be compared.
VAULT_KEY = Fernet.generate_key().decode()


class FakeClock:
    """A clock that moves only when told (or when something sleeps)."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment

    async def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture
def world() -> engine_fakes.World:
    """A fresh provider side for each test."""
    return engine_fakes.reset()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def host() -> PluginHost:
    """The real pii and local plugins, plus the fakes."""
    host = PluginHost()
    host.add("pii", leadwire.pii.plugin)
    host.add("local", leadwire.stores.plugin)
    host.add("fakes", sys.modules["engine_fakes"])
    assert host.failures == []
    return host


def raw_config(**overrides: Any) -> dict[str, Any]:
    """A client configuration using the fake channel and LLM, local stores."""
    data: dict[str, Any] = {
        "business": {
            "name": "Салон «Проба»",
            "services": [{"name": "Маникюр", "price": "1500 ₽", "duration": "1 ч"}],
            "hours": "10:00-21:00",
            "address": "ул. Образцовая, 1",
        },
        "consent": {
            "version": "7",
            "operator": "ИП Пробный",
            "purpose": "запись",
            "data": ["имя", "телефон"],
            "term": "1 год",
            "withdraw": "напишите «стоп»",
        },
        "channels": {
            "chat": {"plugin": "fakechat", "secret": f"env:{engine_fakes.SECRET_ENV}"}
        },
        "crm": {"plugin": "local"},
        "llm": {"plugin": "fakellm"},
        "consent_store": {"plugin": "local"},
        "storage": {
            "url": "sqlite:///leadwire.db",
            "vault_key": f"env:{engine_fakes.VAULT_ENV}",
        },
    }
    for key, value in overrides.items():
        data[key] = {**data.get(key, {}), **value}
    return data


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the newest schema, copied for each test (faster)."""
    path = tmp_path_factory.mktemp("template") / "leadwire.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        upgrade(connection)
    engine.dispose()
    return path


@pytest.fixture
def make_config(
    tmp_path: Path,
    host: PluginHost,
    monkeypatch: pytest.MonkeyPatch,
    migrated_database: Path,
) -> Callable[..., ClientConfig]:
    monkeypatch.setenv(engine_fakes.SECRET_ENV, engine_fakes.SECRET)
    monkeypatch.setenv(engine_fakes.VAULT_ENV, VAULT_KEY)

    def make(directory: Path | None = None, **overrides: Any) -> ClientConfig:
        directory = directory or tmp_path
        directory.mkdir(parents=True, exist_ok=True)
        if not (directory / "leadwire.db").exists():
            shutil.copyfile(migrated_database, directory / "leadwire.db")
        return parse_config(
            raw_config(**overrides), host.registry, path=directory / "leadwire.toml"
        )

    return make


@pytest.fixture
async def make_engine(
    make_config: Callable[..., ClientConfig],
    host: PluginHost,
    clock: FakeClock,
    world: engine_fakes.World,
) -> AsyncIterator[Callable[..., Any]]:
    """Build started engines; closed (or, if crashed, disposed) at the end."""
    engines: list[Engine] = []
    default = make_config()

    async def make(
        *, on_step: Callable[[str], None] | None = None, config: Any = None
    ) -> Engine:
        engine = Engine(config or default, host, clock=clock, on_step=on_step)
        await engine.start()
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        if getattr(engine, "crashed", False):
            await engine.database.dispose()  # what the OS does to a dead process
        else:
            await engine.close()


@pytest.fixture
def engine_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every log record of leadwire, down to DEBUG."""
    caplog.set_level(logging.DEBUG, logger="leadwire")
    return caplog
