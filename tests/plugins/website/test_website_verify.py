"""Checking that posts are signed by the site's backend and fresh."""

from __future__ import annotations

import pytest

from leadwire import WebhookRequest


async def test_handshake_answers_nothing(channel):
    """There is no polling endpoint: the handshake never answers."""
    request = WebhookRequest(method="GET", query={"session": "s-test-0001"})

    assert await channel.handshake(request) is None


def test_signed_fresh_post_is_accepted(channel, site):
    """A post signed with the shared secret just now passes."""
    assert channel.verify(site.request(site.form())).ok


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Leadwire-Timestamp": "1772445600"},
        {"X-Leadwire-Signature": "ab" * 32},
        {"X-Leadwire-Timestamp": "", "X-Leadwire-Signature": "ab" * 32},
    ],
)
def test_missing_headers_are_401(channel, site, headers):
    """Without both signing headers the post is refused as unauthenticated."""
    verification = channel.verify(site.request(site.form(), headers=headers))

    assert (verification.ok, verification.status) == (False, 401)


def test_wrong_secret_is_403(channel, site):
    """A post signed with another key is refused as forged."""
    request = site.request(site.form(), secret="someone-elses-secret")

    verification = channel.verify(request)

    assert (verification.ok, verification.status) == (False, 403)
    assert site.SECRET not in verification.reason


def test_changed_body_is_403(channel, site):
    """A body changed after signing no longer matches its signature."""
    signed = site.request(site.form())
    tampered = WebhookRequest(
        method="POST", headers=signed.headers, body=signed.body.replace(b"3", b"4")
    )

    assert channel.verify(tampered).status == 403


def test_timestamp_is_part_of_the_signature(channel, site):
    """Moving the timestamp of a signed post breaks its signature."""
    signed = site.request(site.form())
    headers = {**signed.headers, "x-leadwire-timestamp": str(site.now_ts - 1)}

    verification = channel.verify(
        WebhookRequest(method="POST", headers=headers, body=signed.body)
    )

    assert verification.status == 403


@pytest.mark.parametrize("stamp", ["soon", "-5", "1.5", "١٢٣"])
def test_malformed_timestamp_is_403(channel, site, stamp):
    """A timestamp that is not Unix seconds is refused, not a crash."""
    headers = {"X-Leadwire-Timestamp": stamp, "X-Leadwire-Signature": "ab" * 32}

    verification = channel.verify(site.request(site.form(), headers=headers))

    assert verification.status == 403


def test_non_hex_signature_is_403(channel, site):
    """A signature with non-ASCII characters is refused, not a crash."""
    headers = {"X-Leadwire-Timestamp": str(site.now_ts), "X-Leadwire-Signature": "я"}

    assert channel.verify(site.request(site.form(), headers=headers)).status == 403


def test_stale_post_is_403(channel, site):
    """A post signed more than max_age_seconds ago is refused as a replay."""
    request = site.request(site.form(), timestamp=site.now_ts - 301)

    verification = channel.verify(request)

    assert (verification.ok, verification.status) == (False, 403)


def test_post_within_max_age_is_accepted(channel, site):
    """A post signed exactly max_age_seconds ago still passes."""
    assert channel.verify(site.request(site.form(), timestamp=site.now_ts - 300)).ok


def test_max_age_setting_is_honoured(make_channel, site):
    """A shorter max_age_seconds refuses what the default would take."""
    channel = make_channel(max_age_seconds=60)

    request = site.request(site.form(), timestamp=site.now_ts - 61)

    assert channel.verify(request).status == 403


def test_post_from_the_future_beyond_skew_is_403(channel, site):
    """A timestamp more than the allowed skew ahead of the clock is refused."""
    ahead = site.request(site.form(), timestamp=site.now_ts + 31)
    slightly = site.request(site.form(), timestamp=site.now_ts + 30)

    assert channel.verify(ahead).status == 403
    assert channel.verify(slightly).ok


def test_freshness_follows_the_clock(channel, site, clock):
    """The age is measured with the context clock, which tests control."""
    request = site.request(site.form())

    clock.advance(600)

    assert channel.verify(request).status == 403


def test_unset_secret_variable_refuses_without_raising(channel, site, monkeypatch):
    """With the secret's variable unset, posts are refused, not crashed on."""
    monkeypatch.delenv("TEST_SITE_SECRET")

    verification = channel.verify(site.request(site.form()))

    assert (verification.ok, verification.status) == (False, 403)
