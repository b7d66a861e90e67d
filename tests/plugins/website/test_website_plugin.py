"""The website plugin as leadwire loads it: settings, data map, widget, protocol."""

from __future__ import annotations

from importlib import resources

import cattrs
import pytest
from cattrs.errors import ClassValidationError

from leadwire import Channel
from leadwire.config import converter
from leadwire_website import WebsiteSettings


def test_channel_implements_the_protocol(channel):
    """The channel object satisfies leadwire.Channel."""
    assert isinstance(channel, Channel)


def test_settings_defaults():
    """Only the secret and the callback URL are required."""
    settings = converter.structure(
        {"secret": "env:A_SECRET", "callback_url": "https://site.test/cb"},
        WebsiteSettings,
    )

    assert (settings.max_age_seconds, settings.future_skew_seconds) == (300, 30)
    assert (settings.location, settings.phone_region) == ("RU", "RU")


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ({"callback_url": "site.test/cb"}, "callback_url"),
        ({"callback_url": "https://site.test/cb", "max_age_seconds": 0}, "max_age"),
        ({"callback_url": "https://site.test/cb", "secret": "in-clear"}, "secret"),
    ],
)
def test_bad_settings_are_refused_by_field(table, field):
    """A bad setting is a configuration problem naming its field."""
    with pytest.raises(ClassValidationError) as caught:
        converter.structure({"secret": "env:A_SECRET", **table}, WebsiteSettings)

    located = cattrs.transform_error(caught.value)  # field errors carry a path
    raised = [str(error) for error in caught.value.exceptions]  # validators: a text
    assert any(field in problem for problem in located + raised)


def test_data_flows_declare_the_site_in_its_location(make_channel):
    """The site is declared where the settings say, defaulting to Russia."""
    (default,) = make_channel().data_flows()
    (abroad,) = make_channel(location="DE").data_flows()

    assert (default.location, default.cross_border) == ("RU", False)
    assert (abroad.location, abroad.cross_border) == ("DE", True)
    assert not default.pseudonymised
    assert "phone" in default.data


def test_widget_example_ships_in_the_package():
    """The example widget page is package data that posts to the site's backend."""
    page = resources.files("leadwire_website").joinpath("static/widget.html")

    html = page.read_text(encoding="utf-8")

    script = html[html.index("<script>") :]
    assert "data-endpoint" in html
    assert "consent_request" in script
    assert "X-Leadwire-Signature" not in script  # the browser never signs
    assert "innerHTML" not in script.replace("never innerHTML", "")
