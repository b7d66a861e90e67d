"""The client configuration: one TOML file per client setup.

A file names the channel, CRM, LLM and consent-store connectors that are on and
their settings, the business profile the assistant speaks for, the consent
template, and the retention periods. Secrets are never written in the file:
a secret is ``"env:NAME"``, read from the environment (or from a ``.env`` file
beside the configuration) when the connector starts.

:func:`load_config` reports every problem at once, each with its key path.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import cattrs
import dotenv
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError

from leadwire import redaction
from leadwire.errors import ConfigError, ConfigProblem

__all__ = [
    "Assistant",
    "BusinessProfile",
    "ClientConfig",
    "ConnectorConfig",
    "ConsentTemplate",
    "PiiSettings",
    "Retention",
    "Secret",
    "Staff",
    "Storage",
    "converter",
    "load_config",
    "parse_config",
]

_ENV_REF = re.compile(r"env:([A-Za-z_][A-Za-z0-9_]*)")


@attrs.frozen(repr=False)
class Secret:
    """A reference to a secret kept in the environment.

    Written ``"env:NAME"`` in the configuration. :meth:`reveal` reads the value
    when it is needed; ``repr`` and ``str`` never show it, and from then on the
    HTTP library's log records have it replaced (see :mod:`leadwire.redaction`).
    """

    env: str

    def reveal(self) -> str:
        """Return the secret's value; raise ConfigError if the variable is unset."""
        value = os.environ.get(self.env)
        if not value:
            raise ConfigError([_unset(self.env, "")])
        # Connectors may trim the value or its trailing slash before use.
        for form in {value, value.strip(), value.strip().rstrip("/")}:
            redaction.remember(form)
        return value

    def __repr__(self) -> str:
        return f"Secret(env:{self.env})"

    __str__ = __repr__


def _unset(name: str, path: str) -> ConfigProblem:
    return ConfigProblem(
        path,
        f"environment variable {name} is not set; export it or add it to the "
        ".env file beside the configuration",
    )


class _SecretWritten(ValueError):
    """A secret's value was written where its reference belongs."""


def _structure_secret(raw: Any, _: type) -> Secret:
    if not isinstance(raw, str):
        raise _SecretWritten('expected a secret reference such as "env:NAME"')
    match = _ENV_REF.fullmatch(raw.strip())
    if match is None and raw.strip().lower().startswith("env:"):
        raise _SecretWritten(
            'a secret reference is "env:NAME", lower-case "env:", with NAME an '
            "environment variable's name: letters, digits and underscores"
        )
    if match is None:
        raise _SecretWritten(
            "secrets must not be written in the configuration; put the value in "
            'an environment variable and write "env:VARIABLE_NAME" here'
        )
    return Secret(match.group(1))


_NAMES = {
    str: "a string",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
}


def _exactly(kind: type) -> Any:
    """A structure hook that refuses values of another type instead of coercing."""
    accepted = (int, float) if kind is float else kind

    def structure(raw: Any, _: type) -> Any:
        # cattrs would turn 5 into "5" and "no" into True; a configuration
        # mistake must be reported instead.
        if not isinstance(raw, accepted) or (
            kind is not bool and isinstance(raw, bool)
        ):
            raise TypeError(f"expected {_NAMES[kind]}, got {type(raw).__name__}")
        return kind(raw)

    return structure


#: The converter that builds settings from TOML tables; plugins' settings
#: classes go through it too, so ``Secret`` fields work everywhere.
converter = cattrs.Converter(forbid_extra_keys=True)
converter.register_structure_hook(Secret, _structure_secret)
for _kind in _NAMES:
    converter.register_structure_hook(_kind, _exactly(_kind))
converter.register_unstructure_hook(Secret, lambda secret: f"env:{secret.env}")


# --------------------------------------------------------------------------
# Sections


@attrs.frozen
class ConnectorConfig:
    """One connector that is on: which plugin's kind, and its raw settings.

    The settings are validated against the kind's settings class by
    :func:`load_config`; :attr:`settings` holds the result.

    :ivar plugin: The connector kind, as `leadwire plugins` lists it.
    """

    plugin: str
    options: Mapping[str, Any] = attrs.field(factory=dict)
    settings: Any = None


@attrs.frozen
class Service:
    """A service of the business, as the assistant may describe it.

    :ivar name: The service's name.
    :ivar price: Its price, as text (`от 1500 ₽`).
    :ivar duration: How long it takes, as text (`1 ч`).
    """

    name: str
    price: str = ""
    duration: str = ""


@attrs.frozen
class BusinessProfile:
    """Who the assistant speaks for. It reaches the LLM: no client data here.

    :ivar name: The business's name, as the assistant says it.
    :ivar services: What the business offers; the assistant quotes these, and only
        these, when asked about services and prices.
    :ivar hours: Opening hours, in words.
    :ivar address: Where the business is; the business's own address is not personal
        data.
    :ivar tone: How the assistant speaks, in a few words.
    :ivar timezone: An IANA time zone, such as `Europe/Moscow`. Not read by the engine
        yet.
    :ivar staff: Staff names. Not put in the assistant's instructions yet; list them in
        `pii.allow` so that the pseudonymiser lets them through.
    """

    name: str
    services: tuple[Service, ...] = ()
    hours: str = ""
    address: str = ""
    tone: str = "вежливо и коротко, на «вы»"
    timezone: str = "Europe/Moscow"
    staff: tuple[str, ...] = ()


@attrs.frozen
class ConsentTemplate:
    """The consent request sent before any personal data is collected.

    Changing the wording means a new :attr:`version`: every decision is
    recorded against the version the client saw.

    :ivar version: The wording's version; every decision is recorded against it. Change
        it whenever the text changes.
    :ivar operator: The operator of the personal data: the business's legal name.
    :ivar purpose: Why the data is collected.
    :ivar data: Which data is collected.
    :ivar term: How long the consent lasts.
    :ivar withdraw: How the client withdraws consent.
    :ivar agree: The title of the button that grants consent.
    :ivar refuse: The title of the button that refuses it.
    :ivar ask_marketing: After the client agrees, ask in a separate message for consent
        to marketing messages; refusing it does not affect the booking.
    """

    version: str
    operator: str
    purpose: str
    data: tuple[str, ...]
    term: str
    withdraw: str
    agree: str = "Согласен"
    refuse: str = "Не согласен"
    ask_marketing: bool = False

    def render(self, recipients: Sequence[str] | None = None) -> str:
        """The consent text as the client reads it.

        :param recipients: The third parties who receive the data, from the
            data map, so that the text names every one the setup really uses;
            an empty list says that nobody else gets it, None says nothing.
        """
        lines = [
            f"{self.operator} просит согласие на обработку персональных данных.",
            f"Цель: {self.purpose}.",
            f"Данные: {', '.join(self.data)}.",
        ]
        if recipients:
            lines.append(f"Кому передаются: {'; '.join(recipients)}.")
        elif recipients is not None:
            lines.append("Третьим лицам данные не передаются.")
        lines += [
            f"Срок: {self.term}.",
            f"Отозвать согласие: {self.withdraw}.",
            f"Версия согласия: {self.version}.",
        ]
        return "\n".join(lines)


@attrs.frozen
class Assistant:
    """How the assistant behaves.

    :ivar fallback: The reply sent when the LLM gives nothing usable in time.
    :ivar answer_before_consent: Also answer a message that comes before the client has
        consented: the consent request goes first, then the pseudonymised message alone
        goes to the LLM, and nothing of it is kept (no history, contact or lead).
    :ivar reply_budget_seconds: How long the engine waits for the LLM before sending the
        fallback.
    :ivar history_turns: How many earlier turns the LLM sees.
    """

    fallback: str = "Спасибо! Администратор ответит вам в ближайшее время."
    answer_before_consent: bool = False
    reply_budget_seconds: float = 20.0
    history_turns: int = 10


@attrs.frozen
class PatternRule:
    """A custom recognizer: a regular expression for one entity type.

    :ivar name: The recognizer's name (to switch it off by name).
    :ivar type: The entity type it reports, such as `CONTRACT`.
    :ivar regex: A Python regular expression for the value.
    """

    name: str
    type: str
    regex: str


@attrs.frozen
class PiiSettings:
    """What the pseudonymiser looks for.

    :ivar disabled: Names of recognizers to switch off.
    :ivar allow: Exact values allowed to reach the LLM (the salon's own
        address, staff names).
    :ivar patterns: Extra regular-expression recognizers.
    """

    disabled: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    patterns: tuple[PatternRule, ...] = ()


@attrs.frozen
class Retention:
    """How long each category of data is kept, in days.

    A period shorter than a day would let a purge destroy records that must be
    kept, so each is at least one day; raw events may go as soon as processed.

    :ivar contacts_days: Contacts and booking records, after the last activity.
    :ivar marketing_days: Marketing consent, after the last activity.
    :ivar audit_days: The audit log and destruction records.
    :ivar raw_events_days: What is left of processed provider events.
    """

    contacts_days: int = 3 * 365
    marketing_days: int = 365
    audit_days: int = 3 * 365
    raw_events_days: int = 1

    def __attrs_post_init__(self) -> None:
        minimums = {"contacts_days": 1, "marketing_days": 1, "audit_days": 1}
        minimums["raw_events_days"] = 0
        short = [
            f"{name} must be {minimum} or more days"
            for name, minimum in minimums.items()
            if getattr(self, name) < minimum
        ]
        if short:
            raise ValueError("; ".join(short))


@attrs.frozen
class Storage:
    """Where leadwire keeps its records.

    :ivar url: An SQLAlchemy URL. A relative SQLite path is taken relative to
        the configuration file.
    :ivar vault_key: The key that encrypts the pseudonym vault.
    :ivar location: The country the database is in, for the data map.
    """

    url: str = "sqlite:///leadwire.db"
    vault_key: Secret = Secret("LEADWIRE_VAULT_KEY")
    location: str = "RU"


#: What each staff action allows; roles grant sets of them.
STAFF_ACTIONS = ("export", "erase", "audit", "purge")

_DEFAULT_ROLES = {
    "owner": ("export", "erase", "audit", "purge"),
    "administrator": ("export", "audit"),
    "auditor": ("audit",),
}


def _check_roles(instance: Any, attribute: Any, roles: Mapping[str, Any]) -> None:
    for role, actions in roles.items():
        unknown = sorted(set(actions) - set(STAFF_ACTIONS))
        if unknown:
            raise ValueError(
                f"role {role!r} grants unknown action(s) {', '.join(unknown)}; "
                f"actions are {', '.join(STAFF_ACTIONS)}"
            )


@attrs.frozen
class Staff:
    """Who may read, export or erase personal data through the command line.

    With no members listed, the setup has a single operator who may do
    everything; every access is audited under the operator's name either way.

    :ivar members: Operator name to role: ``{ "anna" = "owner" }``.
    :ivar roles: Role to the actions it allows (export, erase, audit, purge).
    """

    members: Mapping[str, str] = attrs.field(factory=dict)
    roles: Mapping[str, tuple[str, ...]] = attrs.field(
        factory=lambda: dict(_DEFAULT_ROLES), validator=_check_roles
    )

    def __attrs_post_init__(self) -> None:
        for member, role in self.members.items():
            if role not in self.roles:
                raise ValueError(
                    f"member {member!r} has role {role!r}, which is not defined; "
                    f"roles are {', '.join(sorted(self.roles))}"
                )

    def allows(self, operator: str, action: str) -> bool:
        """Whether *operator* may perform *action*."""
        if not self.members:
            return True
        role = self.members.get(operator)
        return role is not None and action in self.roles[role]


@attrs.frozen
class ClientConfig:
    """A whole client setup."""

    business: BusinessProfile
    consent: ConsentTemplate
    channels: Mapping[str, ConnectorConfig]
    crm: ConnectorConfig
    llm: ConnectorConfig
    consent_store: ConnectorConfig = ConnectorConfig("local")
    assistant: Assistant = Assistant()
    pii: PiiSettings = PiiSettings()
    retention: Retention = Retention()
    storage: Storage = Storage()
    staff: Staff = Staff()
    path: Path | None = None

    @property
    def base_dir(self) -> Path:
        """The directory relative paths are taken from."""
        return self.path.parent if self.path else Path.cwd()


# --------------------------------------------------------------------------
# Loading

_SECTIONS = {
    "business": BusinessProfile,
    "consent": ConsentTemplate,
    "assistant": Assistant,
    "pii": PiiSettings,
    "retention": Retention,
    "storage": Storage,
    "staff": Staff,
}
_CONNECTORS = ("crm", "llm", "consent_store")
_FAMILY = {"channels": "channels", "crm": "crms", "llm": "llms"}
_FAMILY["consent_store"] = "consent_stores"


def _describe(error: BaseException, expected: type | None) -> str:
    if isinstance(error, ValueError | TypeError) and str(error):
        return str(error)
    return cattrs.v.format_exception(error, expected)


def _problems(error: Exception, prefix: str) -> list[ConfigProblem]:
    """Turn a cattrs error into problems with dotted key paths."""
    if not isinstance(error, ClassValidationError | ForbiddenExtraKeysError):
        return [ConfigProblem(prefix, str(error))]
    found = []
    for line in cattrs.transform_error(error, path="", format_exception=_describe):
        message, _, where = line.rpartition(" @ ")
        path = re.sub(r"\['([^']*)'\]|\[(\d+)\]", r".\1\2", where).lstrip(".")
        if message.startswith("extra fields found"):
            message = message.replace("extra fields found", "unknown key(s)")
        found.append(ConfigProblem(".".join(filter(None, [prefix, path])), message))
    return found


def _structure(raw: Any, cls: type, path: str, problems: list[ConfigProblem]) -> Any:
    try:
        return converter.structure(raw, cls)
    except Exception as error:
        problems.extend(_problems(error, path))
        return None


def _connector(
    raw: Any, path: str, default_plugin: str | None, problems: list[ConfigProblem]
) -> ConnectorConfig | None:
    if not isinstance(raw, Mapping):
        problems.append(ConfigProblem(path, "expected a table"))
        return None
    options = dict(raw)
    plugin = options.pop("plugin", default_plugin)
    if not isinstance(plugin, str) or not plugin:
        found = f" (this table has {', '.join(sorted(options))})" if options else ""
        problems.append(
            ConfigProblem(f"{path}.plugin", f"name the plugin to use{found}")
        )
        return None
    return ConnectorConfig(plugin, options)


def parse_config(
    data: Mapping[str, Any],
    registry: Any = None,
    *,
    source: str = "",
    path: Path | None = None,
    require_env: bool = True,
) -> ClientConfig:
    """Validate a parsed configuration; raise ConfigError listing every problem.

    :param registry: The :class:`~leadwire.plugins.Registry` of loaded plugins;
        when given, each connector's plugin must exist and its settings are
        validated against that plugin's settings class.
    :param require_env: Report secrets whose environment variable is unset.
    """
    problems: list[ConfigProblem] = []
    known = {*_SECTIONS, *_CONNECTORS, "channels"}
    for key in sorted(set(data) - known):
        problems.append(
            ConfigProblem(
                key, f"unknown section; expected one of {', '.join(sorted(known))}"
            )
        )

    sections: dict[str, Any] = {}
    for key, cls in _SECTIONS.items():
        if key in data:
            sections[key] = _structure(data[key], cls, key, problems)
        elif key in ("business", "consent"):
            problems.append(ConfigProblem(key, "required section missing"))

    channels: dict[str, ConnectorConfig] = {}
    raw_channels = data.get("channels", {})
    if not isinstance(raw_channels, Mapping) or not raw_channels:
        problems.append(
            ConfigProblem("channels", "turn on at least one channel: [channels.NAME]")
        )
        raw_channels = {}
    for name, raw in raw_channels.items():
        connector = _connector(raw, f"channels.{name}", name, problems)
        if connector is not None:
            channels[name] = connector

    connectors: dict[str, ConnectorConfig] = {}
    for key in _CONNECTORS:
        if key in data:
            connector = _connector(data[key], key, None, problems)
            if connector is not None:
                connectors[key] = connector
        elif key != "consent_store":
            problems.append(ConfigProblem(key, "required section missing"))

    if registry is not None:
        for name, connector in channels.items():
            channels[name] = _settle(
                connector, "channels", f"channels.{name}", registry, problems
            )
        for key, connector in connectors.items():
            connectors[key] = _settle(connector, key, key, registry, problems)

    if require_env:
        problems.extend(_unset_secrets(sections, channels, connectors))

    if problems:
        raise ConfigError(problems, source=source)
    return ClientConfig(channels=channels, path=path, **connectors, **sections)


def _settle(
    connector: ConnectorConfig,
    section: str,
    path: str,
    registry: Any,
    problems: list[ConfigProblem],
) -> ConnectorConfig:
    family = _FAMILY[section]
    kinds = getattr(registry, family)
    kind = kinds.get(connector.plugin)
    if kind is None:
        available = ", ".join(sorted(kinds)) or "none is installed"
        problems.append(
            ConfigProblem(
                f"{path}.plugin",
                f"no {family.rstrip('s').replace('_', ' ')} plugin named "
                f"{connector.plugin!r}; available: {available}",
            )
        )
        return connector
    settings = _structure(dict(connector.options), kind.settings, path, problems)
    return attrs.evolve(connector, settings=settings)


def _secrets(value: Any, path: str) -> list[tuple[str, Secret]]:
    if isinstance(value, Secret):
        return [(path, value)]
    if attrs.has(type(value)):
        found = []
        for field in attrs.fields(type(value)):
            found += _secrets(getattr(value, field.name), f"{path}.{field.name}")
        return found
    return []


def _unset_secrets(
    sections: Mapping[str, Any],
    channels: Mapping[str, ConnectorConfig],
    connectors: Mapping[str, ConnectorConfig],
) -> list[ConfigProblem]:
    found = _secrets(sections.get("storage") or Storage(), "storage")
    for name, connector in channels.items():
        found += _secrets(connector.settings, f"channels.{name}")
    for key, connector in connectors.items():
        found += _secrets(connector.settings, key)
    return [
        _unset(secret.env, path)
        for path, secret in found
        if not os.environ.get(secret.env)
    ]


def load_config(
    path: str | os.PathLike[str], registry: Any = None, *, require_env: bool = True
) -> ClientConfig:
    """Read and validate the configuration file at *path*.

    A ``.env`` file beside it is read first; variables already set win.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(
            [
                ConfigProblem(
                    "", f"{path} does not exist; create one with `leadwire init`"
                )
            ],
            source=str(path),
        )
    dotenv.load_dotenv(path.parent / ".env", override=False)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            [ConfigProblem("", f"not valid TOML: {error}")], source=str(path)
        ) from None
    return parse_config(
        data, registry, source=str(path), path=path.resolve(), require_env=require_env
    )
