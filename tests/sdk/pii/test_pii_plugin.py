"""Recognizers registered through the hook: the built-ins and a third party's."""

from __future__ import annotations

from importlib import metadata

import pii_kz_plugin
from pii_samples import digits

from leadwire.pii import Detector, PlaceholderMap, Pseudonymizer
from leadwire.plugins import PluginHost, load_plugins

BUILT_INS = {
    "phone",
    "email",
    "documents",
    "birthdate",
    "plate",
    "handle",
    "address",
    "person",
}


def test_built_ins_load_through_the_entry_point():
    """The `pii` entry point registers every built-in recognizer."""
    [entry_point] = [
        point
        for point in metadata.entry_points(group="leadwire")
        if point.name == "pii"
    ]

    host = load_plugins([entry_point])

    assert host.failures == []
    assert set(host.registry.recognizers) == BUILT_INS
    assert all(host.owner_of("recognizers", name) == "pii" for name in BUILT_INS)


def test_third_party_recognizer_through_the_hook(rng):
    """A plugin's recognizer joins the detector and gets its own placeholders."""
    host = PluginHost()
    host.add("kz", pii_kz_plugin)
    iin = None
    while iin is None:
        iin = pii_kz_plugin.make_iin("9001014" + digits(rng, 4))

    detector = Detector.build(host.registry.recognizers.values())
    result = Pseudonymizer(detector).pseudonymize(f"мой ИИН {iin}", PlaceholderMap())

    assert host.failures == []
    assert result.text == "мой ИИН [KZ_IIN_1]"
    assert result.entities[0].recognizer == "kz-iin"


def test_plugin_and_built_ins_together(rng):
    """Built-ins and a plugin's recognizer run side by side."""
    [entry_point] = [
        p for p in metadata.entry_points(group="leadwire") if p.name == "pii"
    ]
    host = load_plugins([entry_point])
    host.add("kz", pii_kz_plugin)
    iin = None
    while iin is None:
        iin = pii_kz_plugin.make_iin("8505205" + digits(rng, 4))

    detector = Detector.build(host.registry.recognizers.values())
    kinds = [e.type for e in detector.detect(f"ИИН {iin}, тел 8 912 000 12 34")]

    assert "KZ_IIN" in kinds
    assert "PHONE" in kinds
