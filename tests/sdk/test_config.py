"""The client configuration: every problem at once, with key paths; no plain secrets."""

from __future__ import annotations

import pytest
from core_samples import ECHO, NoSettings

from leadwire import ConfigError, ConnectorType, Secret, hookimpl
from leadwire.config import load_config, parse_config
from leadwire.plugins import PluginHost

VALID = {
    "business": {"name": "Студия «Тест»"},
    "consent": {
        "version": "3",
        "operator": "ИП Тестов",
        "purpose": "запись",
        "data": ["имя", "телефон"],
        "term": "1 год",
        "withdraw": "напишите «стоп»",
    },
    "channels": {"echo": {"token": "env:SAMPLE_TOKEN"}},
    "crm": {"plugin": "local"},
    "llm": {"plugin": "offline"},
}


@pytest.fixture
def registry():
    """A registry holding the sample channel and a CRM and an LLM without settings."""

    class Plugin:
        @hookimpl
        def leadwire_register_channels(self, register):
            register(ECHO)

        @hookimpl
        def leadwire_register_crms(self, register):
            register(ConnectorType("local", NoSettings, lambda s, c: None))

        @hookimpl
        def leadwire_register_llms(self, register):
            register(ConnectorType("offline", NoSettings, lambda s, c: None))

        @hookimpl
        def leadwire_register_consent_stores(self, register):
            register(ConnectorType("local", NoSettings, lambda s, c: None))

    host = PluginHost()
    host.add("sample", Plugin())
    return host.registry


def paths(error: ConfigError) -> list[str]:
    return [problem.path for problem in error.problems]


def test_valid_configuration_builds_typed_settings(registry, monkeypatch):
    """A valid file yields the plugin's settings class, with secrets as references."""
    monkeypatch.setenv("SAMPLE_TOKEN", "s3cret-value")
    monkeypatch.setenv("LEADWIRE_VAULT_KEY", "k")

    config = parse_config(VALID, registry)

    settings = config.channels["echo"].settings
    assert settings == ECHO.settings(token=Secret("SAMPLE_TOKEN"))
    assert settings.token.reveal() == "s3cret-value"
    assert config.consent.version == "3"
    assert config.consent_store.plugin == "local"


def test_unknown_plugin_lists_the_available_ones(registry, monkeypatch):
    """A connector naming a plugin that is not loaded is told which ones are."""
    monkeypatch.setenv("SAMPLE_TOKEN", "s3cret-value")
    monkeypatch.setenv("LEADWIRE_VAULT_KEY", "k")
    data = {**VALID, "crm": {"plugin": "amocrm"}, "llm": {"plugin": "gigachat"}}

    with pytest.raises(ConfigError) as caught:
        parse_config(data, registry)

    assert paths(caught.value) == ["crm.plugin", "llm.plugin"]
    assert "no crm plugin named 'amocrm'; available: local" in str(caught.value)


def test_every_problem_is_reported_at_once_with_key_paths(registry, monkeypatch):
    """Several mistakes in one file are all reported, each with its key path."""
    monkeypatch.setenv("LEADWIRE_VAULT_KEY", "k")
    data = {
        "business": {"name": "Студия", "services": [{"price": "100"}]},
        "consent": {"version": 3},
        "channels": {"echo": {"token": "env:SAMPLE_TOKEN", "retries": "many"}},
        "llm": {"plugin": "offline"},
        "retention": {"contacts_days": "forever"},
        "colour": "red",
    }

    with pytest.raises(ConfigError) as caught:
        parse_config(data, registry, source="salon.toml")

    found = paths(caught.value)
    assert "colour" in found
    assert "business.services.0.name" in found
    assert "consent.operator" in found
    assert "crm" in found
    assert "channels.echo.retries" in found
    assert "retention.contacts_days" in found
    assert "salon.toml" in str(caught.value)


def test_plain_text_secret_is_refused_with_advice(registry, monkeypatch):
    """A secret written in the file is refused, and the message says what to write."""
    monkeypatch.setenv("LEADWIRE_VAULT_KEY", "k")
    data = {**VALID, "channels": {"echo": {"token": "EAAG-plain-token"}}}

    with pytest.raises(ConfigError) as caught:
        parse_config(data, registry)

    problem = caught.value.problems[0]
    assert problem.path == "channels.echo.token"
    assert "env:VARIABLE_NAME" in problem.message
    assert "EAAG-plain-token" not in str(caught.value)


def test_unset_environment_variable_is_reported(registry, monkeypatch):
    """A secret whose variable is unset is a problem naming the variable and the key."""
    monkeypatch.delenv("SAMPLE_TOKEN", raising=False)
    monkeypatch.setenv("LEADWIRE_VAULT_KEY", "k")
    with pytest.raises(ConfigError) as caught:
        parse_config(VALID, registry)

    assert "channels.echo.token" in paths(caught.value)
    assert "SAMPLE_TOKEN" in str(caught.value)


def test_unset_variables_can_be_ignored_for_offline_checks(registry, monkeypatch):
    """require_env=False validates the shape without the secrets being present."""
    monkeypatch.delenv("SAMPLE_TOKEN", raising=False)
    monkeypatch.delenv("LEADWIRE_VAULT_KEY", raising=False)

    config = parse_config(VALID, require_env=False)

    assert config.channels["echo"].options == {"token": "env:SAMPLE_TOKEN"}


def test_secret_never_shows_its_value(monkeypatch):
    """repr and str of a secret name the variable, never the value."""
    monkeypatch.setenv("SAMPLE_TOKEN", "s3cret-value")
    secret = Secret("SAMPLE_TOKEN")

    assert secret.reveal() == "s3cret-value"
    assert "s3cret-value" not in repr(secret) + str(secret)


def test_missing_sections_and_channels_are_reported():
    """An empty file reports each required section, and asks for a channel."""
    with pytest.raises(ConfigError) as caught:
        parse_config({}, require_env=False)

    assert paths(caught.value) == ["business", "consent", "channels", "crm", "llm"]


def test_dotenv_beside_the_file_is_read(tmp_path, monkeypatch):
    """A .env file beside the configuration provides the secrets' variables."""
    monkeypatch.delenv("SAMPLE_TOKEN", raising=False)
    monkeypatch.delenv("LEADWIRE_VAULT_KEY", raising=False)
    (tmp_path / ".env").write_text("SAMPLE_TOKEN=from-dotenv\nLEADWIRE_VAULT_KEY=k\n")
    path = tmp_path / "salon.toml"
    path.write_text(
        '[business]\nname = "Студия"\n'
        '[consent]\nversion = "1"\noperator = "ИП"\npurpose = "запись"\n'
        'data = ["имя"]\nterm = "1 год"\nwithdraw = "стоп"\n'
        '[channels.echo]\ntoken = "env:SAMPLE_TOKEN"\n'
        '[crm]\nplugin = "local"\n[llm]\nplugin = "offline"\n',
        encoding="utf-8",
    )

    config = load_config(path)

    assert config.path == path.resolve()
    assert config.base_dir == tmp_path.resolve()


def test_invalid_toml_says_where(tmp_path):
    """A syntax error is reported as a configuration problem with its line."""
    path = tmp_path / "salon.toml"
    path.write_text("[business\nname = 1\n", encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert "line 1" in str(caught.value)


def test_missing_file_points_at_init(tmp_path):
    """A missing file is a configuration problem that suggests `leadwire init`."""
    with pytest.raises(ConfigError, match="leadwire init"):
        load_config(tmp_path / "absent.toml")


def test_staff_roles_decide_who_may_do_what():
    """Listed members get their role's actions; others get none."""
    from leadwire.config import Staff

    staff = Staff(members={"owner-one": "owner", "auditor-one": "auditor"})

    assert staff.allows("owner-one", "erase")
    assert staff.allows("auditor-one", "audit")
    assert not staff.allows("auditor-one", "export")
    assert not staff.allows("stranger", "audit")
    assert Staff().allows("anyone", "erase"), "no members: a single operator"


def test_staff_with_an_undefined_role_is_reported():
    """A member given a role that does not exist is a problem under `staff`."""
    data = {**VALID, "staff": {"members": {"owner-one": "boss"}}}

    with pytest.raises(ConfigError) as caught:
        parse_config(data, require_env=False)

    problem = next(p for p in caught.value.problems if p.path == "staff")
    assert "role 'boss'" in problem.message


def test_retention_periods_below_a_day_are_refused():
    """A negative or zero period, which would purge everything, is refused."""
    data = {**VALID, "retention": {"contacts_days": -1, "audit_days": 0}}

    with pytest.raises(ConfigError) as caught:
        parse_config(data, require_env=False)

    problem = next(p for p in caught.value.problems if p.path == "retention")
    assert "contacts_days must be 1 or more days" in problem.message
    assert "audit_days must be 1 or more days" in problem.message


def test_malformed_secret_reference_says_how_to_write_one(registry, monkeypatch):
    """ "ENV:NAME" or a bare "env:" is told the reference's form, not to move it."""
    monkeypatch.setenv("LEADWIRE_VAULT_KEY", "k")
    data = {**VALID, "channels": {"echo": {"token": "ENV:SAMPLE_TOKEN"}}}

    with pytest.raises(ConfigError) as caught:
        parse_config(data, registry)

    assert 'lower-case "env:"' in caught.value.problems[0].message


def test_table_without_plugin_names_the_keys_it_has():
    """A misspelt `plugin` key is shown, so the typo is easy to spot."""
    data = {**VALID, "crm": {"plugn": "local"}}

    with pytest.raises(ConfigError) as caught:
        parse_config(data, require_env=False)

    problem = next(p for p in caught.value.problems if p.path == "crm.plugin")
    assert "(this table has plugn)" in problem.message
