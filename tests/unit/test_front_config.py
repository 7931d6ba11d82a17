"""The nginx site file a clinic installs (deploy/nginx/oih.conf rendered by bot/front.py).

No nginx needed, except for the last test (nginx's own syntax check), which is skipped when nginx
is absent; tests/conversation/test_front.py runs the file for real in the production profile.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.front import Site, main_config, render, self_signed


def site(**changes: object) -> Site:
    values = dict(server_name="chat.clinic.example", cert="/etc/ssl/oih/fullchain.pem", key="/etc/ssl/oih/key.pem",
                  upstreams=["127.0.0.1:5005", "127.0.0.1:5006"])
    values.update(changes)
    return Site(**values)  # type: ignore[arg-type]


def locations(text: str) -> list[str]:
    return re.findall(r"^\s*location\s+(.+?)\s*\{", text, re.M)


def test_clinic_rendering_exposes_only_the_listed_routes() -> None:
    text = render(site())
    assert "{{" not in text and "}}" not in text
    assert locations(text) == [
        "/.well-known/acme-challenge/", "/", "/", "= /", "/webchat/", "= /webhooks/telegram/webhook",
        "= /webhooks/slack/webhook", "= /staff", "= /staff/login", "/staff/",
    ]
    # The catch-all of the HTTPS server refuses; only the listed locations are proxied.
    https = text.split("listen 443 ssl", 1)[1]
    catch_all = re.search(r"location / \{(.*?)\}", https, re.S)
    assert catch_all and "return 404;" in catch_all.group(1)
    assert https.count("proxy_pass http://oih_rasa;") == 6
    assert "server 127.0.0.1:5005 " in text and "server 127.0.0.1:5006 " in text
    assert "rest" not in "".join(locations(text))


def test_rest_only_when_asked() -> None:
    assert "= /webhooks/rest/webhook" in locations(render(site(with_rest=True)))
    assert "@rest" not in render(site(with_rest=True))


def test_clinic_choices_are_filled_in() -> None:
    text = render(site(frame_ancestors="https://www.clinic.example 'self'", chat_rate="5r/s", chat_burst=40))
    assert "frame-ancestors https://www.clinic.example 'self'" in text
    assert "rate=5r/s" in text and "burst=40 nodelay" in text
    assert "ssl_certificate /etc/ssl/oih/fullchain.pem;" in text


@pytest.mark.parametrize("changes", [
    {"upstreams": ["127.0.0.1:5005; include /etc/passwd"]},
    {"upstreams": []},
    {"frame_ancestors": "'self'; script-src *"},
    {"server_name": "a.example;"},
    {"cert": "/tmp/x.pem; ssl_verify_client off"},
    {"chat_rate": "lots"},
])
def test_values_that_would_change_the_file_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        render(site(**changes))


@pytest.mark.skipif(not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), reason="nginx not installed")
def test_nginx_accepts_the_rendering(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    site_file = tmp_path / "oih.conf"
    site_file.write_text(render(site(cert=str(cert), key=str(key), https_listen="127.0.0.1:18443",
                                     http_listen="127.0.0.1:18080", access_log=str(tmp_path / "access.log"))))
    conf = tmp_path / "nginx.conf"
    conf.write_text(main_config(tmp_path, site_file))
    (tmp_path / "tmp").mkdir()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run([nginx, "-t", "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c", str(conf)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
