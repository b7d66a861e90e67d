"""leadwire's pytest plugin: dialogue files as tests, and mocked providers.

Loaded in every pytest run of an environment where leadwire is installed, so
it imports nothing heavy at module level: the harness and the engine load
only when a dialogue is collected or a fixture is used.

Dialogue files named ``dialogue_*.yaml`` or ``*.dialogue.yaml`` are collected
as tests, one per fault of the plan chosen with ``--leadwire-faults`` (or the
``leadwire_faults`` ini option; ``none`` by default).

Fixtures (see ``docs/harness.md``):

- ``leadwire_clock``: a :class:`~leadwire_harness.clock.FakeClock`.
- ``leadwire_setup``: the built-in replay configuration, dummy secrets set.
- ``leadwire_providers``: every provider mocked; and one fixture per family,
  ``mock_whatsapp``, ``mock_instagram``, ``mock_telegram``, ``mock_website``,
  ``mock_bitrix24``, ``mock_llm``.
- ``leadwire_engine``: a started engine on a temporary database, wired to the
  mocked providers (needs pytest-asyncio).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PATTERNS = ("dialogue_*.yaml", "*.dialogue.yaml")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("leadwire", "leadwire dialogue replays")
    group.addoption(
        "--leadwire-faults",
        default=None,
        metavar="PLAN",
        help="Fault plan for collected dialogues: none, standard, all, or names.",
    )
    group.addoption(
        "--leadwire-config",
        default=None,
        metavar="FILE",
        help="Client configuration to replay dialogues with (default: built-in).",
    )
    parser.addini(
        "leadwire_faults", "Fault plan for collected dialogues.", default="none"
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Any:
    if any(fnmatch.fnmatch(file_path.name, pattern) for pattern in PATTERNS):
        return DialogueFile.from_parent(parent, path=file_path)
    return None


def _session(config: pytest.Config) -> Any:
    """One replay session per pytest run: plugins and models load once."""
    session = getattr(config, "_leadwire_session", None)
    if session is None:
        from leadwire_harness.session import ReplaySession

        path = config.getoption("--leadwire-config")
        session = ReplaySession(Path(path) if path else None)
        config._leadwire_session = session  # type: ignore[attr-defined]
    return session


def _references(config: pytest.Config) -> dict[Path, Any]:
    """Fault-free observations by dialogue file: the others compare with them."""
    if not hasattr(config, "_leadwire_references"):
        config._leadwire_references = {}  # type: ignore[attr-defined]
    return config._leadwire_references  # type: ignore[attr-defined]


def _plan(config: pytest.Config) -> str:
    return config.getoption("--leadwire-faults") or config.getini("leadwire_faults")


class DialogueFile(pytest.File):
    """A dialogue file: one test per fault of the plan."""

    def collect(self) -> Iterator[pytest.Item]:
        from leadwire_harness.faults import plan

        for fault in plan(_plan(self.config)):
            yield DialogueItem.from_parent(self, name=fault.name, fault=fault.name)


class DialogueFailed(Exception):
    """The replay found problems; the message lists them, redacted."""


class DialogueItem(pytest.Item):
    """One replay of a dialogue under one fault.

    The ``none`` item runs first and its observation is kept for the others
    of the same file; an item run alone replays the reference itself.
    """

    def __init__(self, *, fault: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fault = fault

    def runtest(self) -> None:
        import asyncio

        from leadwire_harness.faults import plan
        from leadwire_harness.loader import load_dialogue

        session = _session(self.config)
        dialogue = load_dialogue(self.path)
        fault = plan(self.fault)[-1]
        reference = None
        if fault.name != "none":
            reference = _references(self.config).get(self.path)
            if reference is None:  # run alone: replay the reference first
                reference = asyncio.run(session.run_one(dialogue, plan("none")[0]))[1]
        result, observation = asyncio.run(session.run_one(dialogue, fault, reference))
        if fault.name == "none":
            _references(self.config)[self.path] = observation
        if result.outcome.value == "skipped":
            pytest.skip(result.reason)
        if not result.passed:
            raise DialogueFailed(_describe(result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:
        if isinstance(excinfo.value, DialogueFailed):
            return str(excinfo.value)
        from leadwire_harness.loader import DialogueError

        if isinstance(excinfo.value, DialogueError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)  # type: ignore[return-value]

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"dialogue {self.path.name} [{self.fault}]"


def _describe(result: Any) -> str:
    from leadwire_harness.reports import failure_text

    header = f"{result.name}: {result.title}\nfault: {result.fault_summary}"
    return "\n".join(filter(None, [header, failure_text(result)]))


# --------------------------------------------------------------------------
# Fixtures for integrators


@pytest.fixture
def leadwire_clock() -> Any:
    """A fake clock: ``now()`` stands still until moved, ``sleep()`` moves it."""
    from leadwire_harness.clock import FakeClock

    return FakeClock()


@pytest.fixture
def leadwire_setup(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The built-in replay configuration, its dummy secrets in the environment."""
    from leadwire.plugins import load_plugins
    from leadwire_harness.configuration import builtin_config

    setup = builtin_config(load_plugins().registry)
    for name, value in setup.env.items():
        monkeypatch.setenv(name, value)
    return setup


@pytest.fixture
async def leadwire_providers(leadwire_setup: Any, leadwire_clock: Any) -> Any:
    """Every provider of the built-in configuration, mocked at the HTTP layer.

    Use ``.http`` as the client under test; a request to any other host fails
    and is listed in ``.unmocked``.
    """
    from leadwire_harness.providers import Providers

    providers = Providers(leadwire_setup.config, leadwire_clock)
    yield providers
    await providers.aclose()


@pytest.fixture
def mock_whatsapp(leadwire_providers: Any) -> Any:
    """The WhatsApp Cloud API's send endpoint: ``.sent``, ``.calls``, ``.faults``."""
    return leadwire_providers.channels["whatsapp"]


@pytest.fixture
def mock_instagram(leadwire_providers: Any) -> Any:
    """The Instagram messaging send endpoint."""
    return leadwire_providers.channels["instagram"]


@pytest.fixture
def mock_telegram(leadwire_providers: Any) -> Any:
    """The Telegram Bot API."""
    return leadwire_providers.channels["telegram"]


@pytest.fixture
def mock_website(leadwire_providers: Any) -> Any:
    """The website's callback URL, which checks leadwire's signature."""
    return leadwire_providers.channels["website"]


@pytest.fixture
def mock_bitrix24(leadwire_providers: Any) -> Any:
    """The in-memory Bitrix24 portal: ``.lead_list()``, ``.calls``, ``.faults``."""
    return leadwire_providers.portal


@pytest.fixture
def mock_llm(leadwire_providers: Any) -> Any:
    """The scripted Chat Completions server: ``.script(turn, answers)``."""
    return leadwire_providers.llm


@pytest.fixture
async def leadwire_engine(
    leadwire_setup: Any, leadwire_providers: Any, leadwire_clock: Any, tmp_path: Path
) -> Any:
    """A started engine on a fresh database in *tmp_path*, using the mocks."""
    from leadwire.engine import Engine
    from leadwire.plugins import load_plugins

    engine = Engine(
        leadwire_setup.with_database(tmp_path),
        load_plugins(),
        clock=leadwire_clock,
        http=leadwire_providers.http,
    )
    await engine.start()
    yield engine
    await engine.close()
