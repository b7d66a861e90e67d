"""The signing recipe the site's backend follows, checked against other tools."""

from __future__ import annotations

import hashlib
import hmac
import shutil
import subprocess

import pytest

from leadwire_website import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, signed_headers

BODY = '{"session":"s-test-1","message_id":"m-1","text":"Здравствуйте"}'.encode()


def test_signature_is_hmac_of_timestamp_dot_body(site):
    """The signature is HMAC-SHA256 over "<timestamp>." and the raw body, in hex."""
    expected = hmac.new(
        site.SECRET.encode(), b"1772445600." + BODY, hashlib.sha256
    ).hexdigest()

    assert sign(site.SECRET, 1772445600, BODY) == expected


def test_signed_headers_name_both_headers(site):
    """signed_headers gives the timestamp and its signature under their names."""
    headers = signed_headers(site.SECRET, 1772445600, BODY)

    assert headers == {
        TIMESTAMP_HEADER: "1772445600",
        SIGNATURE_HEADER: sign(site.SECRET, 1772445600, BODY),
    }


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl tool")
def test_shell_recipe_with_openssl_gives_the_same_signature(site):
    """The documented openssl pipeline signs exactly as leadwire checks."""
    script = (
        'printf \'%s.%s\' "$ts" "$body" '
        "| openssl dgst -sha256 -hmac \"$WEBSITE_SHARED_SECRET\" | sed 's/^.*= //'"
    )

    result = subprocess.run(
        ["sh", "-c", script],
        env={
            "ts": "1772445600",
            "body": BODY.decode(),
            "WEBSITE_SHARED_SECRET": site.SECRET,
            "PATH": "/usr/bin:/bin",
            "LC_ALL": "C.UTF-8",
        },
        capture_output=True,
        check=True,
        text=True,
    )

    assert result.stdout.strip() == sign(site.SECRET, 1772445600, BODY)
