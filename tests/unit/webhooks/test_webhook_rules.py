"""The pure rules of webhooks: which targets are allowed, how deliveries are signed (checked
with the README's own verification snippet), and the backoff schedule."""

from __future__ import annotations

import ipaddress
import re
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from aquastream.domain.webhooks.errors import TargetRefused
from aquastream.domain.webhooks.policy import WebhookPolicy
from aquastream.domain.webhooks.signing import signature, signature_header, verify
from aquastream.domain.webhooks.targets import check_addresses, is_public, parse_target
from aquastream.settings import SettingsError, load_settings

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_verify() -> Any:
    """The ``verify`` function of the README's "Receiving webhooks" snippet, run as written."""
    section = README.read_text(encoding="utf-8").split("## Receiving webhooks", 1)[1]
    snippet = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert snippet is not None
    namespace: dict[str, Any] = {}
    exec(snippet.group(1), namespace)  # the documented code, exactly
    return namespace["verify"]


@pytest.mark.parametrize(
    "url",
    [
        "http://crm.example.com/hook",
        "ftp://crm.example.com/hook",
        "https:///hook",
        "https://user:pass@crm.example.com/hook",
        "https://crm.example.com/hook#part",
        "https://crm.example.com:99999/hook",
        "https://crm.example.com/" + "x" * 2000,
    ],
)
def test_only_plain_https_urls_are_targets(url: str) -> None:
    with pytest.raises(TargetRefused):
        parse_target(url)


def test_an_https_url_keeps_its_port_path_and_query() -> None:
    target = parse_target("https://CRM.example.com:8443/in/hook?token=abc")
    assert (target.host, target.port, target.path) == ("crm.example.com", 8443, "/in/hook?token=abc")
    assert parse_target("https://crm.example.com").port == 443


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "127.0.0.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # shared (CGNAT)
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "ff02::1",
        "::",
    ],
)
def test_private_loopback_link_local_and_reserved_addresses_are_refused(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))
    with pytest.raises(TargetRefused):
        check_addresses("crm.example.com", [address], allow_private=False)


def test_public_addresses_are_allowed_and_one_bad_address_refuses_the_host() -> None:
    assert check_addresses("crm.example.com", ["93.184.216.34", "2606:2800:220:1::1"], allow_private=False)
    with pytest.raises(TargetRefused):
        check_addresses("crm.example.com", ["93.184.216.34", "10.0.0.7"], allow_private=False)
    with pytest.raises(TargetRefused):
        check_addresses("crm.example.com", [], allow_private=False)


def test_the_development_setting_lets_loopback_and_private_targets_through() -> None:
    assert check_addresses("localhost", ["127.0.0.1", "10.0.0.7"], allow_private=True)


def test_the_documented_snippet_verifies_the_signature_and_refuses_tampering() -> None:
    documented = readme_verify()
    body = b'{"id":"1","type":"booking.created"}'
    now = int(time.time())
    header = signature_header(["whsec_new"], now, body)

    assert documented("whsec_new", header, body)
    assert verify("whsec_new", header, body, now=now)
    assert not documented("whsec_other", header, body)
    assert not documented("whsec_new", header, body + b" ")
    assert not documented("whsec_new", signature_header(["whsec_new"], now - 600, body), body)
    assert header == f"t={now},v1={signature('whsec_new', now, body)}"


def test_during_a_rotation_either_secret_verifies() -> None:
    documented = readme_verify()
    now = int(time.time())
    body = b"{}"
    header = signature_header(["whsec_new", "whsec_old"], now, body)
    assert header.count("v1=") == 2
    assert documented("whsec_new", header, body)
    assert documented("whsec_old", header, body)


def test_backoff_grows_from_ten_seconds_and_stops_at_the_last_step() -> None:
    policy = WebhookPolicy()
    delays = [policy.retry_delay(attempt) for attempt in range(1, 10)]
    assert delays[:7] == [
        timedelta(seconds=10),
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=6),
        timedelta(hours=12),
    ]
    assert delays[7] == delays[8] == timedelta(hours=12)
    assert policy.max_attempts == 8


def test_private_targets_are_a_development_setting_refused_in_production(tmp_path: Path) -> None:
    base = {"AQUASTREAM_DATA_DIR": str(tmp_path), "AQUASTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true"}
    assert load_settings(base, env_file=None).webhooks_allow_private_targets
    production = {**base, "AQUASTREAM_ENV": "production", "AQUASTREAM_JWT_SECRET": "p" * 64}
    with pytest.raises(SettingsError, match="AQUASTREAM_WEBHOOKS_ALLOW_PRIVATE_TARGETS"):
        load_settings(production, env_file=None)
