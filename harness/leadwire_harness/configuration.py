"""The configuration a replay runs with, and the dummy secrets it needs.

Without ``--config`` a replay uses :func:`builtin_config`: every built-in
channel, Bitrix24 as the CRM and GPT as the model, all pointing at the mocked
providers. With a client's own file, its plugins and settings are used as
they are; only the storage moves to a fresh temporary database and every
secret gets a generated dummy value, so a replay never touches anything real.
A dialogue scripts what the model answers, so a client's model other than
``gpt`` is replaced, for the replay, by ``gpt`` pointed at the scripted model.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
from cryptography.fernet import Fernet

from leadwire.config import (
    ClientConfig,
    ConnectorConfig,
    Secret,
    Storage,
    converter,
    load_config,
    parse_config,
)

__all__ = [
    "BUILTIN",
    "ReplaySetup",
    "builtin_config",
    "client_config",
    "dummy_secrets",
    "temporary_env",
]

#: The host every built-in provider mock answers on, per family.
PORTAL_URL_ENV = "LEADWIRE_REPLAY_BITRIX24_WEBHOOK_URL"
LLM_BASE_URL = "https://llm.replay.invalid/v1"
WEBSITE_CALLBACK = "https://site.replay.invalid/leadwire/callback"

#: The built-in replay configuration, as its TOML would read.
BUILTIN: dict[str, Any] = {
    "business": {
        "name": "Студия красоты «Лаванда»",
        "hours": "ежедневно с 10:00 до 21:00",
        "address": "ул. Садовая, д. 15",
        "services": [
            {"name": "Маникюр", "price": "от 1500 ₽", "duration": "1 ч"},
            {"name": "Педикюр", "price": "от 2000 ₽", "duration": "1 ч 30 мин"},
            {"name": "Стрижка", "price": "от 1200 ₽", "duration": "45 мин"},
            {"name": "Окрашивание", "price": "от 3500 ₽", "duration": "2 ч"},
        ],
    },
    "consent": {
        "version": "2026-03",
        "operator": "ИП Лавандова Л. Л.",
        "purpose": "запись на услуги и обратная связь по записи",
        "data": ["имя", "телефон", "желаемые дата и время"],
        "term": "3 года или до отзыва согласия",
        "withdraw": "напишите «отзываю согласие» в этот чат",
    },
    "channels": {
        "whatsapp": {
            "plugin": "whatsapp",
            "phone_number_id": "100000000000001",
            "access_token": "env:LEADWIRE_REPLAY_WHATSAPP_TOKEN",
            "app_secret": "env:LEADWIRE_REPLAY_WHATSAPP_APP_SECRET",
            "verify_token": "env:LEADWIRE_REPLAY_WHATSAPP_VERIFY_TOKEN",
        },
        "instagram": {
            "plugin": "instagram",
            "account_id": "17841400000000001",
            "access_token": "env:LEADWIRE_REPLAY_INSTAGRAM_TOKEN",
            "app_secret": "env:LEADWIRE_REPLAY_INSTAGRAM_APP_SECRET",
            "verify_token": "env:LEADWIRE_REPLAY_INSTAGRAM_VERIFY_TOKEN",
        },
        "telegram": {
            "plugin": "telegram",
            "bot_token": "env:LEADWIRE_REPLAY_TELEGRAM_BOT_TOKEN",
            "secret_token": "env:LEADWIRE_REPLAY_TELEGRAM_SECRET",
        },
        "website": {
            "plugin": "website",
            "secret": "env:LEADWIRE_REPLAY_WEBSITE_SECRET",
            "callback_url": WEBSITE_CALLBACK,
        },
    },
    "crm": {"plugin": "bitrix24", "webhook_url": f"env:{PORTAL_URL_ENV}"},
    "llm": {
        "plugin": "gpt",
        "base_url": LLM_BASE_URL,
        "model": "gpt-replay",
        "api_key": "env:LEADWIRE_REPLAY_OPENAI_KEY",
    },
    "consent_store": {"plugin": "local"},
    "storage": {
        "url": "sqlite:///leadwire.db",
        "vault_key": "env:LEADWIRE_REPLAY_VAULT",
    },
}


def dummy_value(env: str, field: str) -> str:
    """A generated stand-in for the secret in *env*, shaped as its field needs."""
    if field == "webhook_url" or env == PORTAL_URL_ENV:
        return f"https://replay-portal.bitrix24.ru/rest/1/{secrets.token_hex(8)}/"
    if field == "vault_key":
        return Fernet.generate_key().decode()
    if field == "bot_token":
        return f"{secrets.randbelow(10**9)}:{secrets.token_urlsafe(26)}"
    return secrets.token_hex(16)


def _secret_fields(value: Any) -> Iterator[tuple[str, Secret]]:
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if isinstance(item, Secret):
                yield field.name, item
            else:
                yield from _secret_fields(item)


def dummy_secrets(config: ClientConfig) -> dict[str, str]:
    """A dummy value for every secret the configuration names."""
    connectors = [*config.channels.values(), config.crm, config.llm]
    connectors.append(config.consent_store)
    found: dict[str, str] = {}
    for connector in connectors:
        for field, secret in _secret_fields(connector.settings):
            found.setdefault(secret.env, dummy_value(secret.env, field))
    found.setdefault(config.storage.vault_key.env, dummy_value("", "vault_key"))
    return found


@contextlib.contextmanager
def temporary_env(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the block; restore the old ones after."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


@attrs.frozen
class ReplaySetup:
    """A configuration ready to replay with, and its dummy secrets.

    :param label: How reports name the configuration.
    :param notes: What the replay changed in the configuration, said once
        in its output.
    """

    config: ClientConfig
    env: Mapping[str, str]
    label: str
    notes: tuple[str, ...] = ()

    def channel_named(self, kind: str) -> str | None:
        """The configured name of the first channel of plugin *kind*."""
        for name, connector in self.config.channels.items():
            if connector.plugin == kind:
                return name
        return None

    def with_database(self, directory: Path) -> ClientConfig:
        """The configuration with its storage and data files in *directory*."""
        storage = Storage(
            url=f"sqlite:///{directory / 'leadwire.db'}",
            vault_key=self.config.storage.vault_key,
        )
        return attrs.evolve(
            self.config, storage=storage, path=directory / "leadwire.toml"
        )


def _placeholder_env(data: Mapping[str, Any]) -> dict[str, str]:
    """Dummy values for every ``env:NAME`` of a raw configuration."""
    found: dict[str, str] = {}

    def walk(value: Any, field: str) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, str(key))
        elif isinstance(value, str) and value.startswith("env:"):
            name = value[4:]
            found.setdefault(name, dummy_value(name, field))

    walk(data, "")
    return found


def builtin_config(registry: Any) -> ReplaySetup:
    """The built-in replay configuration, validated against *registry*.

    Channels whose plugin is not loaded are left out, so that their dialogues
    are skipped with a reason instead of the whole replay failing.
    """
    channels = {
        name: table
        for name, table in BUILTIN["channels"].items()
        if table["plugin"] in registry.channels
    }
    data = {**BUILTIN, "channels": channels or BUILTIN["channels"]}
    env = _placeholder_env(data)
    with temporary_env(env):
        config = parse_config(data, registry, source="built-in replay configuration")
    kinds = ", ".join(connector.plugin for connector in config.channels.values())
    return ReplaySetup(config, env, f"built-in ({kinds}; Bitrix24; GPT)")


def client_config(path: Path, registry: Any) -> ReplaySetup:
    """A client's configuration file, with dummy secrets in place of real ones.

    Secrets are read only when connectors start, and the replay starts them
    with the dummies in the environment, so the client's real tokens are
    never used, even when they are set.
    """
    config = load_config(path, registry, require_env=False)
    notes: tuple[str, ...] = ()
    if config.llm.plugin != "gpt" and "gpt" in registry.llms:
        replaced = config.llm.plugin
        notes = (f"llm: {replaced} replaced by the scripted model for the replay",)
        config = attrs.evolve(config, llm=scripted_llm(registry))
    return ReplaySetup(config, dummy_secrets(config), path.name, notes)


def scripted_llm(registry: Any) -> ConnectorConfig:
    """The ``gpt`` connector pointed at the mocked, scripted model.

    A dialogue prescribes each answer of the model; another model (the
    rule-based ``offline`` one) would answer for itself and the dialogue's
    expectations could not hold.
    """
    options = {key: value for key, value in BUILTIN["llm"].items() if key != "plugin"}
    settings = converter.structure(options, registry.llms["gpt"].settings)
    return ConnectorConfig("gpt", options, settings)
