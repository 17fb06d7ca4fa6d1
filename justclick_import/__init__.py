"""justclick-import: spreadsheets in, signed JustClick orders out, and a results workbook back.

The public API, for use from Python::

    from pathlib import Path
    import justclick_import as jc

    plan = jc.prepare(jc.ImportConfig(input=Path("orders.xlsx"), sandbox=True))
    result = jc.execute(plan, events=print)   # or jc.run_import(config) for all three steps
    jc.write_outputs(result, plan.config)

Names are loaded when first used, so ``import justclick_import`` (and the command line's
``--help``) does not pay for pandas and pandera.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from justclick_import.api.secret import Secret
    from justclick_import.errors import ConfigError, ErrorCode, ImporterError, InputError
    from justclick_import.events import (
        Event,
        EventSink,
        OrderDone,
        RunStopped,
        StageFinished,
        StageStarted,
    )
    from justclick_import.models import ExitStatus, Order, OrderResult, OrderStatus, RunResult
    from justclick_import.pipeline.config import ImportConfig, results_path
    from justclick_import.pipeline.execute import execute
    from justclick_import.pipeline.inspect import check_input, describe_input
    from justclick_import.pipeline.outputs import Outputs, write_outputs
    from justclick_import.pipeline.prepare import Plan, prepare
    from justclick_import.pipeline.run import reconcile_import, run_import
    from justclick_import.problems import ProblemCode, RowProblem
    from justclick_import.report.headline import NextStep, Step, headline, next_steps
    from justclick_import.sandbox import Faults, Sandbox
    from justclick_import.sending.options import SendOptions

__all__ = [
    "ConfigError",
    "ErrorCode",
    "Event",
    "EventSink",
    "ExitStatus",
    "Faults",
    "ImportConfig",
    "ImporterError",
    "InputError",
    "NextStep",
    "Order",
    "OrderDone",
    "OrderResult",
    "OrderStatus",
    "Outputs",
    "Plan",
    "ProblemCode",
    "RowProblem",
    "RunResult",
    "RunStopped",
    "Sandbox",
    "Secret",
    "SendOptions",
    "StageFinished",
    "StageStarted",
    "Step",
    "__version__",
    "check_input",
    "describe_input",
    "execute",
    "headline",
    "next_steps",
    "prepare",
    "reconcile_import",
    "results_path",
    "run_import",
    "write_outputs",
]

# Each public name and the module that defines it.
_HOMES = {
    "Secret": "api.secret",
    "ConfigError": "errors",
    "ErrorCode": "errors",
    "ImporterError": "errors",
    "InputError": "errors",
    "Event": "events",
    "EventSink": "events",
    "OrderDone": "events",
    "RunStopped": "events",
    "StageFinished": "events",
    "StageStarted": "events",
    "ExitStatus": "models",
    "Order": "models",
    "OrderResult": "models",
    "OrderStatus": "models",
    "RunResult": "models",
    "ImportConfig": "pipeline.config",
    "results_path": "pipeline.config",
    "execute": "pipeline.execute",
    "check_input": "pipeline.inspect",
    "describe_input": "pipeline.inspect",
    "Outputs": "pipeline.outputs",
    "write_outputs": "pipeline.outputs",
    "Plan": "pipeline.prepare",
    "prepare": "pipeline.prepare",
    "reconcile_import": "pipeline.run",
    "run_import": "pipeline.run",
    "ProblemCode": "problems",
    "RowProblem": "problems",
    "NextStep": "report.headline",
    "Step": "report.headline",
    "headline": "report.headline",
    "next_steps": "report.headline",
    "Faults": "sandbox",
    "Sandbox": "sandbox",
    "SendOptions": "sending.options",
}


def __getattr__(name: str) -> Any:
    """Load a public name on first use (PEP 562)."""
    if name == "__version__":
        from justclick_import.version import version

        return version()
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
