"""The nginx front of a deployment: render deploy/nginx/oih.conf, and run it for tests or a trial.

Why here: the site file a clinic installs and the one ``make test-prod`` runs must be the same
file, filled in by the same code; only the values differ (ports, certificate, upstreams).

    python -m bot.front render --server-name chat.clinic.example --cert FULLCHAIN --key KEY \\
        --upstream 127.0.0.1:5005 --upstream 127.0.0.1:5006 [--frame-ancestors "'self'"] > oih.conf

``Front`` runs that site file with Debian's nginx as an unprivileged-port process of its own: a
main configuration, pid file, logs and temporary folders in one folder, nothing under /etc or
/var; it is stopped (with its whole process group) by ``stop`` and dies with the process that
started it. Debian's package: ``apt-get install nginx`` (with a policy-rc.d that exits 101 so
that it does not start a system-wide nginx; .ci/run does this).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.paths import ROOT
from bot.processes import start_group, stop_group

TEMPLATE = ROOT / "deploy" / "nginx" / "oih.conf"
REST_BLOCK = re.compile(r"^# @rest-begin\n.*?^# @rest-end\n", re.S | re.M)
REST_MARKERS = re.compile(r"^# @rest-(begin|end)\n", re.M)
INSTALL_HINT = (
    "nginx is not installed. The production-profile tests (OIH_TEST_PROFILE=prod, make test-prod) run "
    "the conversation tests through nginx. Install Debian's package without starting a system service:\n"
    "  printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d\n"
    "  apt-get install -y nginx && rm /usr/sbin/policy-rc.d\n"
    "(.ci/run does this in CI.)"
)
_UPSTREAM = re.compile(r"^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")
_NAME = re.compile(r"^[A-Za-z0-9.\-_*~^$\\]+$")
# CSP frame-ancestors sources: 'none', 'self', scheme://host[:port] or host patterns; no ; or quotes
# beyond the two keywords, so a value cannot add a directive or break the header.
_ANCESTOR = re.compile(r"^('none'|'self'|https?://[A-Za-z0-9.\-*]+(:\d{1,5})?|[A-Za-z0-9.\-*]+)$")
_PATH = re.compile(r"^[^\s;{}'\"]+$")
_RATE = re.compile(r"^\d+r/[sm]$")


@dataclass
class Site:
    """The values a clinic chooses; the rest of the site file is fixed."""

    server_name: str
    cert: str
    key: str
    upstreams: list[str]
    https_listen: str = "443"
    http_listen: str = "80"
    https_port: int = 443
    frame_ancestors: str = "'none'"
    chat_rate: str = "2r/s"
    chat_burst: int = 20
    access_log: str = "/var/log/nginx/oih.access.log"
    with_rest: bool = False

    def check(self) -> None:
        """Refuse values that would break the file or change its meaning (a stray ``;``)."""
        problems = []
        if not self.upstreams:
            problems.append("at least one --upstream HOST:PORT (a Rasa instance)")
        problems += [f"upstream {u!r} is not HOST:PORT" for u in self.upstreams if not _UPSTREAM.match(u)]
        problems += [f"server name {n!r}" for n in self.server_name.split() if not _NAME.match(n)]
        problems += [f"frame-ancestors source {a!r}" for a in self.frame_ancestors.split() if not _ANCESTOR.match(a)]
        problems += [f"path {p!r}" for p in (self.cert, self.key, self.access_log) if not _PATH.match(p)]
        if not _RATE.match(self.chat_rate):
            problems.append(f"chat rate {self.chat_rate!r} (e.g. 2r/s)")
        if problems:
            raise ValueError("bad nginx site values: " + "; ".join(problems))


def render(site: Site, template: Path = TEMPLATE) -> str:
    """The site file for ``site``: every {{PLACEHOLDER}} filled, the REST block kept or dropped."""
    site.check()
    text = template.read_text(encoding="utf-8")
    text = REST_MARKERS.sub("", text) if site.with_rest else REST_BLOCK.sub("", text)
    values = {
        "UPSTREAM_SERVERS": "\n".join(f"    server {u} max_fails=3 fail_timeout=10s;" for u in site.upstreams),
        "SERVER_NAME": site.server_name,
        "CERT": site.cert,
        "KEY": site.key,
        "HTTPS_LISTEN": site.https_listen,
        "HTTP_LISTEN": site.http_listen,
        "HTTP_PORT": site.http_listen.rsplit(":", 1)[-1],
        "HTTPS_PORT_SUFFIX": "" if site.https_port == 443 else f":{site.https_port}",
        "FRAME_ANCESTORS": site.frame_ancestors,
        "CHAT_RATE": site.chat_rate,
        "CHAT_BURST": str(site.chat_burst),
        "ACCESS_LOG": site.access_log,
    }
    text = re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], text)
    return text


def self_signed(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A two-day self-signed certificate for ``host`` (IP or name) and localhost: tests only."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    try:
        alt: list[x509.GeneralName] = [x509.IPAddress(ipaddress.ip_address(host))]
    except ValueError:
        alt = [x509.DNSName(host)]
    alt.append(x509.DNSName("localhost"))
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    os.chmod(key_path, 0o600)
    return cert_path, key_path


def nginx_binary() -> str:
    """Debian's nginx, or RuntimeError with how to install it."""
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if not found:
        raise RuntimeError(INSTALL_HINT)
    return found


def main_config(folder: Path, site_file: Path) -> str:
    """nginx.conf of a private instance: everything in ``folder``, in the foreground."""
    tmp = folder / "tmp"
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        "worker_processes 1;\n"
        "daemon off;\n"
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "    default_type application/octet-stream;\n"
        f"{temp_paths}\n"
        f"    include {site_file};\n"
        "}\n"
    )


class Front:
    """A private nginx in ``folder`` serving ``site`` (ports above 1024: no privilege needed)."""

    def __init__(self, folder: Path, site: Site) -> None:
        self.folder, self.site = Path(folder), site
        self.process: subprocess.Popen | None = None

    @property
    def error_log(self) -> Path:
        return self.folder / "error.log"

    def _command(self) -> list[str]:
        conf = self.folder / "nginx.conf"
        return [nginx_binary(), "-e", str(self.error_log), "-p", str(self.folder), "-c", str(conf)]

    def start(self, timeout: float = 30.0) -> None:
        command = self._command()  # fails first, with the install hint, when nginx is absent
        # Workers drop to an unprivileged user when started as root: they must reach the folder.
        os.chmod(self.folder, 0o711)
        site_file = self.folder / "oih.conf"
        site_file.write_text(render(self.site), encoding="utf-8")
        (self.folder / "nginx.conf").write_text(main_config(self.folder, site_file), encoding="utf-8")
        (self.folder / "tmp").mkdir(exist_ok=True)
        test = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True, timeout=timeout)
        if test.returncode != 0:
            raise RuntimeError(f"nginx refused the configuration:\n{test.stderr}")
        with open(self.folder / "nginx.out", "w") as log:
            self.process = start_group(command, stdout=log, stderr=subprocess.STDOUT)
        port = int(self.site.https_listen.rsplit(":", 1)[-1])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with code {self.process.returncode}:\n{self.log_tail()}")
            with socket.socket() as s:
                s.settimeout(0.5)
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"nginx did not listen on {port} within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        parts = [p.read_text(errors="replace")[-3000:] for p in (self.error_log, self.folder / "nginx.out") if p.exists()]
        return "\n".join(parts)

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM (nginx's fast shutdown) to the master's process group, workers included."""
        proc, self.process = self.process, None
        stop_group(proc, grace)


def _cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.front", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render", help="print the nginx site file (deploy/nginx/oih.conf) for these values")
    r.add_argument("--server-name", required=True, help="the bot's host name, e.g. chat.clinic.example")
    r.add_argument("--cert", required=True, help="certificate chain (PEM), e.g. Let's Encrypt fullchain.pem")
    r.add_argument("--key", required=True, help="its private key (PEM)")
    r.add_argument("--upstream", action="append", required=True, help="a Rasa instance HOST:PORT (repeat)")
    r.add_argument("--frame-ancestors", default="'none'",
                   help="sites that may show the demo chat page in a frame (CSP), e.g. https://www.clinic.example")
    r.add_argument("--chat-rate", default="2r/s", help="web chat requests per client address (nginx rate)")
    r.add_argument("--chat-burst", type=int, default=20, help="requests above the rate allowed at once")
    r.add_argument("--access-log", default="/var/log/nginx/oih.access.log")
    r.add_argument("--with-rest", action="store_true",
                   help="also expose POST /webhooks/rest/webhook (scripts; needs OIH_REST_TOKEN on every instance)")
    args = parser.parse_args(argv)
    site = Site(server_name=args.server_name, cert=args.cert, key=args.key, upstreams=args.upstream,
                frame_ancestors=args.frame_ancestors, chat_rate=args.chat_rate, chat_burst=args.chat_burst,
                access_log=args.access_log, with_rest=args.with_rest)
    try:
        sys.stdout.write(render(site))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(_cli())
