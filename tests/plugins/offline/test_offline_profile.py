"""Reading the business profile out of the engine's system message."""

from __future__ import annotations

from offline_fakes import SYSTEM

from leadwire import ClientId
from leadwire.config import BusinessProfile
from leadwire.config import Service as ConfigService
from leadwire.engine.prompt import system_prompt
from leadwire_offline._profile import Profile, Service, read_profile


def test_engine_format_is_read():
    """The "Услуги:" list, hours and address of the documented format are read."""
    profile = read_profile(SYSTEM)

    assert profile.services[0] == Service("Маникюр", "от 1500 ₽, 1 ч")
    assert [service.name for service in profile.services] == [
        "Маникюр",
        "Маникюр с покрытием",
        "Стрижка",
        "Окрашивание волос",
    ]
    assert profile.hours == "ежедневно с 10:00 до 21:00"
    assert profile.address == "ул. Образцовая, д. 1"


def test_lenient_about_bullets_and_separators():
    """Dashes, bullets, numbers, brackets and bare names are all accepted."""
    system = (
        "Services:\n"
        "• Стрижка — от 1200 ₽\n"
        "2) Педикюр (от 2000 ₽)\n"
        "* Укладка\n"
        "- Окрашивание — от 3500 ₽ (2 ч)\n"
        "- Гель-лак - 1800 ₽\n"
        "\n"
        "- Это уже не услуга: после пустой строки"
    )

    profile = read_profile(system)

    assert profile.services == (
        Service("Стрижка", "от 1200 ₽"),
        Service("Педикюр", "от 2000 ₽"),
        Service("Укладка", ""),
        Service("Окрашивание", "от 3500 ₽ (2 ч)"),
        Service("Гель-лак", "1800 ₽"),
    )


def test_inline_list_after_the_header():
    """Services on the header line, separated by semicolons, are read too."""
    profile = read_profile("Услуги: Маникюр — 1500 ₽; Стрижка")

    assert profile.services == (Service("Маникюр", "1500 ₽"), Service("Стрижка"))


def test_profile_without_services_is_empty():
    """A system message without the lines gives an empty profile, not an error."""
    assert read_profile("Отвечай коротко.") == Profile()


def test_engine_system_prompt_is_read():
    """The prompt leadwire's engine writes yields its services, hours and address."""
    business = BusinessProfile(
        name="Пример",
        services=(
            ConfigService("Маникюр", "от 1500 ₽", "1 ч"),
            ConfigService("Стрижка", "от 1200 ₽", ""),
        ),
        hours="ежедневно с 10:00 до 21:00",
        address="ул. Образцовая, д. 1",
    )
    system = system_prompt(business, ClientId("CLIENT_0123456789ab"))

    profile = read_profile(system)

    assert profile == Profile(
        services=(
            Service("Маникюр", "от 1500 ₽, 1 ч"),
            Service("Стрижка", "от 1200 ₽"),
        ),
        hours="ежедневно с 10:00 до 21:00",
        address="ул. Образцовая, д. 1",
    )
