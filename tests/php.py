"""Ask the real PHP CLI for a second opinion: one process per call, data in and out as JSON."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest

PHP = shutil.which("php")

# CI (.ci/run) sets JUSTCLICK_REQUIRE_PHP=1: there a missing PHP fails the comparisons, never skips.
PHP_REQUIRED = os.environ.get("JUSTCLICK_REQUIRE_PHP", "") not in ("", "0")
_NO_PHP = "the PHP CLI ('php') is not on PATH, so there is no reference to compare with"

requires_php = pytest.mark.skipif(PHP is None and not PHP_REQUIRED, reason=_NO_PHP)

# Pin what the server's encoder depends on, whatever the local php.ini says: -n skips php.ini,
# precision=14 is PHP's default (http_build_query prints floats with it).
_PHP_ARGS = ["-n", "-d", "precision=14", "-d", "serialize_precision=-1"]
_PHP_ARGS += ["-d", "display_errors=stderr"]

_PROLOGUE = "$input = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);\n"
_EPILOGUE = "\necho json_encode($output, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE);\n"


def run_php(code: str, payload: Any) -> Any:
    """Run ``code`` with ``$input`` = ``payload`` (through JSON); return the ``$output`` it sets.

    ``json_decode`` is called with ``assoc=true``, so JSON objects become PHP arrays, ``1500.0``
    becomes a float and ``1500`` an int, exactly as Python's ``json.dumps`` wrote them.
    """
    if PHP is None:
        if PHP_REQUIRED:
            pytest.fail(f"JUSTCLICK_REQUIRE_PHP is set but {_NO_PHP}", pytrace=False)
        pytest.skip(_NO_PHP)
    proc = subprocess.run(
        [PHP, *_PHP_ARGS, "-r", _PROLOGUE + code + _EPILOGUE],
        input=json.dumps(payload, allow_nan=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"php exited with {proc.returncode}: {proc.stderr or proc.stdout}")
    return json.loads(proc.stdout)
