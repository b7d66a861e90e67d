"""``leadwire serve`` on the starter configuration, as a new user starts it."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

LEADWIRE = Path(sys.executable).parent / "leadwire"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def secret_of(directory: Path) -> str:
    for line in (directory / ".env").read_text().splitlines():
        if line.startswith("LEADWIRE_WEBSITE_SECRET="):
            return line.split("=", 1)[1]
    raise AssertionError("leadwire init wrote no website secret")


def website_post(secret: str, session: str, message_id: str, text: str):
    from leadwire_website import signed_headers

    body = json.dumps(
        {"type": "message", "session": session, "message_id": message_id,
         "text": text}
    ).encode()  # fmt: skip
    return body, signed_headers(secret, int(time.time()), body)


@pytest.fixture
def served(tmp_path: Path):
    """`leadwire init`, then `leadwire serve` in a subprocess; stopped after."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADWIRE_")}
    subprocess.run([LEADWIRE, "init", str(tmp_path)], check=True, env=env)
    config = tmp_path / "leadwire.toml"
    # Replies go to a local port nobody listens on, not out to the internet.
    text = re.sub(
        r'(?m)^callback_url = ".*"$',
        'callback_url = "http://127.0.0.1:9/replies"',
        config.read_text(encoding="utf-8"),
    )
    config.write_text(text, encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [LEADWIRE, "serve", "--config", str(config), "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # the server needs a moment to import and bind
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
            if process.poll() is not None:
                break
        else:
            process.kill()
        if process.poll() is not None:
            pytest.fail(process.communicate()[0].decode())
        yield base, secret_of(tmp_path), tmp_path
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    output = process.communicate(timeout=20)[0].decode()
    assert process.returncode == 0, output


def test_serve_starter_config_answers_signed_and_refuses_forged(served):
    """Health is up; a signed website post is 200, a forged one 403."""
    base, secret, directory = served
    body, headers = website_post(secret, "s-test-1", "m-1", "Здравствуйте")
    forged_body, forged_headers = website_post("wrong", "s-test-1", "m-2", "Привет")

    with httpx.Client(base_url=base) as client:
        health = client.get("/health")
        accepted = client.post("/webhooks/website", content=body, headers=headers)
        again = client.post("/webhooks/website", content=body, headers=headers)
        refused = client.post(
            "/webhooks/website", content=forged_body, headers=forged_headers
        )
        unsigned = client.post("/webhooks/website", content=body)

    assert health.json()["channels"] == ["website"]
    assert (accepted.status_code, again.status_code) == (200, 200)
    assert refused.status_code == 403
    assert unsigned.status_code == 401
    assert (directory / "leadwire.db").exists()


def serve_once(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`leadwire serve` on *directory*'s setup, expected to exit by itself."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADWIRE_")}
    return subprocess.run(
        [LEADWIRE, "serve", "--config", str(directory / "leadwire.toml"), *args],
        env=env,
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_second_serve_on_the_same_database_is_refused(served):
    """While one server runs, a second exits 1 naming the lock to look at."""
    _, _, directory = served

    second = serve_once(directory, "--port", str(free_port()))

    assert second.returncode == 1
    assert str(directory / "leadwire.db.lock") in second.stderr
    assert "only one process may serve" in second.stderr
    assert "Traceback" not in second.stderr


def test_port_in_use_exits_1_with_one_line(tmp_path: Path):
    """A port another program listens on: exit 1, one line, no traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADWIRE_")}
    subprocess.run([LEADWIRE, "init", str(tmp_path)], check=True, env=env)

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve_once(tmp_path, "--port", str(port))

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port}: "
        "Address already in use (is another server using this port? choose "
        "another with --port)"
    ]


@pytest.mark.parametrize(
    "option", [["--port", "99999"], ["--port", "-1"], ["--host", "http://x"]]
)
def test_wrong_address_is_a_usage_error(option):
    """An impossible port or a URL as host exits 2 with the option named."""
    from click.testing import CliRunner

    from leadwire.cli import build_cli
    from leadwire.cli._common import Context
    from leadwire.plugins import PluginHost

    result = CliRunner().invoke(build_cli(Context(PluginHost())), ["serve", *option])

    assert result.exit_code == 2
    assert f"Invalid value for '{option[0]}'" in result.output
