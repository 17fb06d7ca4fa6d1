"""What the fault tests share: order files, a run against a sandbox, TLS certificates, processes."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from justclick_import import ImportConfig, RunResult, Secret, SendOptions, run_import
from justclick_import.report.words import STATUS_WORDS
from justclick_import.sandbox import Sandbox


def write_orders(path: Path, count: int, *, price: int = 1000) -> list[str]:
    """``count`` one-line orders of different customers; their e-mails."""
    emails = [f"buyer{i:03d}@example.ru" for i in range(count)]
    lines = ["bill_email,bill_first_name,good_name,good_sum"]
    lines += [f"{email},Клиент {i},kurs_python,{price + i}" for i, email in enumerate(emails)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return emails


def config(server: Sandbox, source: Path, **settings: Any) -> ImportConfig:
    """An ImportConfig sending ``source`` to ``server``; ``send`` options, then the config's."""
    send_names = set(SendOptions.__dataclass_fields__)
    send = {name: settings.pop(name) for name in list(settings) if name in send_names}
    send.setdefault("rate", None)
    send.setdefault("backoff_base", 0.01)
    send.setdefault("resend_delay", 0.0)  # the wait before a resend has tests of its own
    settings.setdefault("read_timeout", 1.0)
    settings.setdefault("api_url", server.url)
    return ImportConfig(
        input=source,
        login=server.login,
        secret=Secret(server.secret),
        send=SendOptions(**send),
        **settings,
    )


def run(server: Sandbox, source: Path, **settings: Any) -> RunResult:
    """``run_import`` of ``source`` against ``server``."""
    return run_import(config(server, source, **settings))


def statuses(result: RunResult) -> dict[str, str]:
    return {r.order.key: r.status.value for r in result.results}


def never_twice(server: Sandbox) -> Counter[str]:
    """The sandbox's orders per e-mail, asserting none was created twice."""
    per_email = Counter(order.email for order in server.orders())
    assert max(per_email.values(), default=1) == 1, per_email.most_common(3)
    return per_email


def wait_for(condition: Any, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def workbook_orders(path: Path) -> dict[str, tuple[str, int | None]]:
    sheet = load_workbook(path, read_only=True)["Orders"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    key, status, bill = (header.index(name) for name in ("order_key", "status", "bill_id"))
    # The sheet shows status words (English here); the codes are what the tests compare.
    code_of = {word: status.value for status, word in STATUS_WORDS["en"].items()}
    return {row[key]: (code_of.get(row[status], row[status]), row[bill]) for row in rows[1:]}


def summary_items(path: Path) -> dict[str, Any]:
    sheet = load_workbook(path, read_only=True)["Summary"]
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


# --- real processes --------------------------------------------------------------------------


def importer_env(secret: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUSTCLICK_")}
    env["JUSTCLICK_SECRET"] = secret
    env.update(extra)
    return env


def start_importer(
    server: Sandbox, source: Path, journal: Path, *extra: str, **popen: Any
) -> subprocess.Popen[str]:
    """``justclick-import run`` of ``source`` against ``server`` in a process of its own."""
    argv = [sys.executable, "-m", "justclick_import", "run", str(source), "--api-url", server.url]
    argv += ["--login", server.login, "--journal", str(journal), "--rate", "0", "-q", *extra]
    popen.setdefault("env", importer_env(server.secret))
    return subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen
    )


# --- TLS -------------------------------------------------------------------------------------


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A test CA and a certificate it signed for 127.0.0.1: (ca.pem, server.pem, server.key)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make test certificates")
    ca_key, ca, key, request, cert = (
        folder / name for name in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem")
    )
    extensions = folder / "ext.cnf"
    extensions.write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
    )
    quiet = {"check": True, "capture_output": True}
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key,
         "-out", ca, "-subj", "/CN=justclick-import test CA", "-days", "2",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign"], **quiet,
    )  # fmt: skip
    subprocess.run(
        ["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request,
         "-subj", "/CN=127.0.0.1"], **quiet,
    )  # fmt: skip
    subprocess.run(
        ["openssl", "x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key,
         "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", extensions], **quiet,
    )  # fmt: skip
    return ca, cert, key


def server_tls(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
