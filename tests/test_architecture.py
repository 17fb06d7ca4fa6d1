"""The house: one package named for the product, stages importing one way, only the CLI talks."""

from __future__ import annotations

import ast
import importlib.metadata
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import justclick_import

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "justclick_import"


def test_the_public_api_is_at_the_root_and_every_listed_name_resolves() -> None:
    for name in justclick_import.__all__:
        assert getattr(justclick_import, name) is not None, name
    assert justclick_import.run_import.__module__ == "justclick_import.pipeline.run"
    assert justclick_import.prepare.__module__ == "justclick_import.pipeline.prepare"
    with pytest.raises(AttributeError):
        _ = justclick_import.no_such_name  # type: ignore[attr-defined]


def test_the_version_comes_from_the_package_metadata() -> None:
    assert justclick_import.__version__ == importlib.metadata.version("justclick-import")
    shown = subprocess.run(
        [sys.executable, "-m", "justclick_import", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == f"justclick-import, version {justclick_import.__version__}"


def test_a_local_module_named_importer_no_longer_shadows_the_package(tmp_path: Path) -> None:
    (tmp_path / "importer.py").write_text("raise SystemExit('the wrong importer')\n")
    found = subprocess.run(
        [sys.executable, "-c", "import justclick_import as j; print(j.run_import.__name__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "run_import"
    assert not (ROOT / "importer").exists()


def _calls(tree: ast.AST) -> list[str]:
    """Names of the functions a module calls: ``print``, ``sys.exit``, ``input``, ..."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                names.append(func.id)
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                names.append(f"{func.value.id}.{func.attr}")
    return names


def test_only_the_command_line_prints_asks_or_exits() -> None:
    talking = {"print", "input", "exit", "quit", "sys.exit", "os._exit", "breakpoint"}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "cli" or relative.name == "__main__.py":
            continue
        found = talking & set(_calls(ast.parse(path.read_text(encoding="utf-8"))))
        if found:
            offenders.append(f"{relative}: {sorted(found)}")
    assert offenders == []


def test_each_folder_holds_one_stage_and_no_module_is_too_big_to_hold_in_your_head() -> None:
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert folders == [
        "api",
        "cli",
        "orders",
        "pipeline",
        "report",
        "rows",
        "sandbox",
        "sending",
        "sources",
        "web",
    ]
    too_big = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 340
    }
    assert too_big == {}


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter not installed")
def test_the_import_contracts_hold() -> None:
    checked = subprocess.run(
        ["lint-imports"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "3 kept, 0 broken" in checked.stdout


def test_the_command_table_names_each_command_and_its_own_first_help_line() -> None:
    import click

    from justclick_import.cli import main as cli_main

    for name, (module, attribute, short) in cli_main.COMMANDS.items():
        command = getattr(importlib.import_module(f"justclick_import.cli.{module}"), attribute)
        assert isinstance(command, click.Command)
        assert command.name == name
        assert (command.help or "").splitlines()[0] == short, name


@pytest.mark.parametrize("arguments", [["--help"], ["--version"], ["run", "--help"], ["run"]])
def test_help_version_and_usage_errors_load_none_of_the_pipeline(arguments: list[str]) -> None:
    code = (
        "import sys; from justclick_import.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'pandera', 'pyarrow', 'numpy', 'requests', 'openpyxl')"
        " if m in sys.modules]\n"
        "print('loaded:', ','.join(heavy))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip().splitlines()[-1] == "loaded:"
