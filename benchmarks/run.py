"""Measure the importer beside the plain tools, print a markdown table and write JSON.

    python benchmarks/run.py            # the full run: 1M lines (several minutes)
    python benchmarks/run.py --quick    # 20k lines, seconds: checks the harness

Every figure comes from its own fresh process (``benchmarks/tasks.py``), its peak RSS from
``wait4``. Inputs are generated on first use into ``benchmarks/data/`` (``generate.py``); the JSON
goes to ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from tasks import run_child  # noqa: E402

RESULTS = HERE / "results"
SECTIONS = ("read", "pipeline", "workbook", "dry-run", "sandbox", "cli")
LATENCY = 0.05
CONCURRENCY = (1, 4, 16)
SECONDS_PER_LEVEL = 10.0  # orders sent at each concurrency: about this long at the ideal rate


@dataclass
class Row:
    """One line of the table: our figure beside the plain tool's."""

    measure: str
    ours: str
    plain: str
    ratio: str
    target: str = ""
    met: str = ""


def task(name: str, path: Path, *options: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one task of ``tasks.py`` in a fresh process; its figures plus its peak RSS."""
    command = [sys.executable, str(HERE / "tasks.py"), name, str(path), *options]
    print(f"  {name} {path.name} {' '.join(options)}", file=sys.stderr, flush=True)
    child = run_child(command, env=env)
    if child["exit"] != 0:
        raise RuntimeError(f"{name} failed ({child['exit']}):\n{child['stderr']}")
    figures: dict[str, Any] = json.loads(child["stdout"].strip().splitlines()[-1])
    figures["rss_mb"] = child["rss_mb"]
    return figures


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def _mb(mb: float) -> str:
    return f"{mb:,.0f} MB"


def _x(ratio: float) -> str:
    return f"{ratio:.1f}×" if ratio >= 1.95 else f"{ratio:.2f}×"


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _k(count: int) -> str:
    if count >= 1_000_000 and count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    return f"{count // 1000}k" if count >= 1000 and count % 1000 == 0 else f"{count:,}"


def measure_read(lines: int, xlsx_lines: int, results: dict[str, Any], rows: list[Row]) -> None:
    """Section 1: our reader vs pandas (pyarrow engine) and fastexcel / calamine."""
    utf8 = generate.ensure(lines, "csv")
    cp1251 = generate.ensure(lines, "cp1251")
    xlsx = generate.ensure(xlsx_lines, "xlsx")
    section = results["read"] = {
        "csv_ours": task("read-ours", utf8),
        "csv_pandas": task("read-pandas", utf8),
        "csv_pyarrow": task("read-pyarrow", utf8),
        "cp1251_ours": task("read-ours", cp1251),
        "cp1251_pandas": task("read-pandas", cp1251, "--encoding", "cp1251", "--sep", ";"),
        "xlsx_ours": task("read-ours", xlsx),
        "xlsx_fastexcel": task("read-fastexcel", xlsx),
        "xlsx_calamine": task("read-calamine", xlsx),
    }
    for kind, label in (("csv", "UTF-8 CSV"), ("cp1251", "cp1251 `;` CSV")):
        ours, plain = section[f"{kind}_ours"], section[f"{kind}_pandas"]
        rows.append(
            Row(
                f"1. read {_k(lines)}-line {label}",
                f"{_s(ours['seconds'])}, {_mb(ours['rss_mb'])}",
                f'pandas `read_csv(engine="pyarrow")`: {_s(plain["seconds"])}, '
                f"{_mb(plain['rss_mb'])}",
                _x(ours["seconds"] / plain["seconds"]),
            )
        )
    ours, fast, calamine = section["xlsx_ours"], section["xlsx_fastexcel"], section["xlsx_calamine"]
    ratio = ours["seconds"] / fast["seconds"]
    rows.append(
        Row(
            f"1. read {_k(xlsx_lines)}-line XLSX",
            f"{_s(ours['seconds'])}, {_mb(ours['rss_mb'])}",
            f"fastexcel: {_s(fast['seconds'])}; python-calamine `to_python`: "
            f"{_s(calamine['seconds'])}",
            _x(ratio),
            "≤ 2× fastexcel",
            _met(ratio <= 2),
        )
    )


def _bare_csv_seconds(results: dict[str, Any], path: Path) -> float:
    known = results.get("read", {}).get("csv_pandas")
    return float(known["seconds"] if known else task("read-pandas", path)["seconds"])


def measure_pipeline(lines: int, results: dict[str, Any], rows: list[Row]) -> None:
    """Section 2: read + map + validate + assemble + sign, no network, no workbook."""
    path = generate.ensure(lines, "csv")
    ours = results["pipeline"] = task("pipeline", path)
    bare = _bare_csv_seconds(results, path)
    ratio = ours["seconds"] / bare
    stages = ", ".join(
        f"{name.removesuffix('_rows').removesuffix('_orders').removesuffix('_sheet')} {seconds:.1f}"
        for name, seconds in ours["stages"].items()
        if seconds >= 0.05
    )
    rows.append(
        Row(
            f"2. offline pipeline, {_k(lines)} lines → {ours['signed']:,} signed orders",
            f"{ours['lines_per_s']:,.0f} lines/s ({_s(ours['seconds'])}: {stages})",
            f"bare pyarrow `read_csv`: {_s(bare)}",
            _x(ratio),
            "≤ 8× bare read",
            _met(ratio <= 8),
        )
    )


def measure_workbook(lines: int, writers: str, results: dict[str, Any], rows: list[Row]) -> None:
    """Section 3: the results workbook vs bare writers of the same cells."""
    path = generate.ensure(lines, "csv")
    section = results["workbook"] = task("workbook", path, "--writers", writers)
    section["writers"] = [name for name in writers.split(",") if name in section]
    ours = section["ours"]
    plain = [
        f"{name}: {_s(section[name]['seconds'])}, +{_mb(section[name]['rss_growth_mb'])}"
        for name in writers.split(",")
        if name in section
    ]
    first = section.get(writers.split(",")[0])
    rows.append(
        Row(
            f"3. results workbook, {_k(lines)} input lines ({section['orders']:,} orders)",
            f"{_s(ours['seconds'])}, +{_mb(ours['rss_growth_mb'])}",
            "; ".join(plain),
            _x(ours["seconds"] / first["seconds"]) if first else "",
        )
    )


def measure_dry_run(lines: int, results: dict[str, Any], rows: list[Row]) -> None:
    """Sections 4 and 6: the real command line, ``--dry-run``, workbook included: the usual
    file (0.2% bad cells), one where every order is valid and one where every order is
    invalid (every row has a bad e-mail or a bad price: a problem per row, all reported)."""
    bare_read = results.get("read", {}).get("csv_pandas")
    writers = results.get("workbook", {}).get("writers", [])
    bare_write = results["workbook"][writers[0]] if writers else None
    files = {"0.2% bad cells": 0.002, "every order valid": 0.0, "every order invalid": 1.0}
    section = results["dry_run"] = {}
    for label, rate in files.items():
        ours = section[label] = task("dry-run", generate.ensure(lines, "csv", bad_rate=rate))
        plain, ratio = "", ""
        if bare_read and bare_write and rate == 0.002:
            floor = bare_read["seconds"] + bare_write["seconds"]
            plain = f"bare read + bare {writers[0]} write: {_s(floor)}"
            ratio = _x(ours["seconds"] / floor)
        elif bare_read:
            plain = f"bare pandas read: {_s(bare_read['seconds'])}, {_mb(bare_read['rss_mb'])}"
            ratio = _x(ours["seconds"] / bare_read["seconds"])
        strict = rate != 0.002  # the targets of the valid and the invalid file
        target = "≤ 15 s, ≤ 1 GB" if strict else "≤ 60 s"
        met = ours["seconds"] <= 15 and ours["rss_mb"] <= 1024 if strict else ours["seconds"] <= 60
        rows.append(
            Row(
                f"4. `run --dry-run`, {_k(lines)} lines, {label}, workbook included",
                f"{_s(ours['seconds'])} (CPU {_s(ours['cpu_seconds'])}), "
                f"{_mb(ours['rss_mb'])}, exit {ours['exit']}",
                plain,
                ratio,
                target,
                _met(met),
            )
        )
    ours = section["0.2% bad cells"]
    plain_rss = f"bare pandas read: {_mb(bare_read['rss_mb'])}" if bare_read else ""
    pipeline_rss = results.get("pipeline", {}).get("rss_mb")
    ours_rss = f"dry run {_mb(ours['rss_mb'])}"
    if pipeline_rss:
        ours_rss += f"; offline pipeline {_mb(pipeline_rss)}"
    rows.append(
        Row(
            f"6. peak RSS, {_k(lines)} lines",
            ours_rss,
            plain_rss,
            _x(ours["rss_mb"] / bare_read["rss_mb"]) if bare_read else "",
            "≤ 2 GB",
            _met(ours["rss_mb"] <= 2048),
        )
    )


def _start_sandbox(latency: float = LATENCY) -> tuple[subprocess.Popen[str], str, str, str]:
    command = [sys.executable, "-m", "justclick_import", "sandbox", "--port", "0"]
    command += ["--latency", str(latency), "--catalog", str(generate.CATALOG)]
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    banner: dict[str, str] = {}
    assert server.stdout is not None
    while len(banner) < 3:
        line = server.stdout.readline()
        if not line:
            raise RuntimeError("the sandbox ended before printing its URL")
        if found := re.match(r"JustClick sandbox at (\S+)", line):
            banner["url"] = found.group(1)
        elif found := re.match(r"(login|secret):\s+(\S+)", line):
            banner[found.group(1)] = found.group(2)
    return server, banner["url"], banner["login"], banner["secret"]


def _send_both(
    path: Path, level: int, orders: int, latency: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``sandbox`` and ``sandbox-bare`` at one level, each against a fresh sandbox."""
    found = []
    for name in ("sandbox", "sandbox-bare"):
        server, url, login, secret = _start_sandbox(latency)
        try:
            env = {**os.environ, "BENCH_SANDBOX_LOGIN": login, "BENCH_SANDBOX_SECRET": secret}
            options = ("--url", url, "--concurrency", str(level), "--orders", str(orders))
            found.append(task(name, path, *options, env=env))
        finally:
            server.terminate()
            server.wait(timeout=10)
    return found[0], found[1]


def measure_sandbox(scale: float, results: dict[str, Any], rows: list[Row]) -> None:
    """Section 5: orders/s against the sandbox (its own process) at 50 ms latency, --rate 0,
    beside plain requests posting the same bodies; then 5 ms latency at concurrency 16."""
    counts = {
        level: max(20, int(level / LATENCY * SECONDS_PER_LEVEL * scale)) for level in CONCURRENCY
    }
    fast = max(40, int(16 / 0.005 * SECONDS_PER_LEVEL * scale / 4))  # ~2.5 s of sending
    # A file without bad rows, long enough for the most orders sent at one level.
    path = generate.ensure(int(max(*counts.values(), fast) * 3), "csv", bad_rate=0.0)
    section = results["sandbox"] = {}
    levels = [(level, orders, LATENCY) for level, orders in counts.items()]
    for level, orders, latency in [*levels, (16, fast, 0.005)]:
        figures, bare = _send_both(path, level, orders, latency)
        section[f"{level}@{latency}"] = {"ours": figures, "bare": bare}
        ideal = level / latency
        ratio = figures["orders_per_s"] / ideal
        slow = latency == LATENCY
        target = ("≥ 97% of ideal" if slow else "≥ 611 orders/s") if level == 16 else ""
        met = ratio >= 0.97 if slow else figures["orders_per_s"] >= 611
        rows.append(
            Row(
                f"5. sandbox, {latency * 1000:.0f} ms latency, concurrency {level}, `--rate 0`",
                f"{figures['orders_per_s']:.1f} orders/s ({figures['created']}/"
                f"{figures['orders']} created in {_s(figures['seconds'])}) = {ratio:.0%} of ideal",
                f"plain requests, no journal: {bare['orders_per_s']:.1f} orders/s "
                f"({bare['orders_per_s'] / ideal:.0%}); ideal {ideal:.0f}",
                f"{figures['orders_per_s'] / bare['orders_per_s']:.0%}",
                target,
                _met(met) if target else "",
            )
        )


def _started(command: list[str], runs: int = 7) -> list[float]:
    """Wall seconds of ``command`` (a fresh process each time), sorted."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return sorted(times)


def measure_cli(results: dict[str, Any], rows: list[Row]) -> None:
    """Section 7: how long the command line takes to answer --help, --version, a usage error."""
    installed = shutil.which("justclick-import")  # the console script people type
    program = [installed] if installed else [sys.executable, "-m", "justclick_import"]
    bare = _started([sys.executable, "-c", "import click"])
    section = results["cli"] = {"bare python + click": bare}
    for words in (["--help"], ["--version"], ["run"], ["run", "--help"]):
        found = section[" ".join(words)] = _started([*program, *words])
        median = found[len(found) // 2]
        rows.append(
            Row(
                f"7. `justclick-import {' '.join(words)}`",
                f"{median:.2f} s (median of {len(found)}; {found[0]:.2f}-{found[-1]:.2f})",
                f"python -c 'import click': {bare[len(bare) // 2]:.2f} s",
                _x(median / bare[len(bare) // 2]),
                "≤ 0.3 s",
                _met(median <= 0.3),
            )
        )


def table(rows: list[Row]) -> str:
    """The rows as a markdown table."""
    lines = [
        "| measure | ours | plain tool, same work | ours / plain | target | met |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.measure} | {r.ours} | {r.plain} | {r.ratio} | {r.target} | {r.met} |" for r in rows
    ]
    return "\n".join(lines)


def _machine() -> dict[str, Any]:
    def version(name: str) -> str:
        try:
            from importlib.metadata import version as installed

            return installed(name)
        except Exception:
            return ""

    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "justclick_import"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    packages = ("pandas", "pyarrow", "pandera", "python-calamine", "fastexcel", "openpyxl")
    packages += ("xlsxwriter", "rvgsrust-xlsxwriter", "rustpy-xlsxwriter", "requests")
    return {
        "commit": commit + ("+changes" if dirty else ""),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "packages": {name: version(name) for name in packages},
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: measure, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="CSV lines (default 1M)")
    parser.add_argument("--xlsx-lines", type=int, default=100_000, help="XLSX lines (100k)")
    parser.add_argument("--quick", action="store_true", help="20k CSV / 5k XLSX lines, short sends")
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help="sections to run, of: " + ",".join(SECTIONS)
    )
    parser.add_argument(
        "--writers",
        default="rvgsrust,xlsxwriter,rustpy",
        help="bare writers to compare the workbook with, the first also in row 4: rvgsrust "
        "(rvgsrust-xlsxwriter, the report's library), xlsxwriter, openpyxl, rustpy "
        "(rustpy-xlsxwriter)",
    )
    parser.add_argument("--out", type=Path, help="JSON file (default: benchmarks/results/...)")
    args = parser.parse_args(argv)
    lines, xlsx_lines, scale = args.lines, args.xlsx_lines, 1.0
    if args.quick:
        lines, xlsx_lines, scale = 20_000, 5_000, 0.2
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}")
    writers = ",".join(name for name in args.writers.split(",") if _writer_installed(name))

    started = time.perf_counter()
    results: dict[str, Any] = {"machine": _machine(), "lines": lines, "xlsx_lines": xlsx_lines}
    rows: list[Row] = []
    print(f"generating inputs / measuring ({', '.join(chosen)})", file=sys.stderr)
    if "read" in chosen:
        measure_read(lines, xlsx_lines, results, rows)
    if "pipeline" in chosen:
        measure_pipeline(lines, results, rows)
    if "workbook" in chosen:
        measure_workbook(lines, writers, results, rows)
    if "dry-run" in chosen:
        measure_dry_run(lines, results, rows)
    if "sandbox" in chosen:
        measure_sandbox(scale, results, rows)
    if "cli" in chosen:
        measure_cli(results, rows)
    results["seconds"] = time.perf_counter() - started
    results["table"] = table(rows)
    out = args.out or RESULTS / f"bench-{datetime.now():%Y%m%d-%H%M%S}-{lines}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(results["table"])
    print(
        f"\n{results['machine']['cpus']} CPUs, Python {results['machine']['python']}, "
        f"commit {results['machine']['commit']}; {results['seconds']:.0f} s; JSON: {out}"
    )
    return 0


def _writer_installed(name: str) -> bool:
    module = {"rustpy": "rustpy_xlsxwriter", "rvgsrust": "rvgsrust_xlsxwriter"}.get(name, name)
    try:
        __import__(module)
    except ImportError:
        print(f"  (bare writer {name} not installed: left out)", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
