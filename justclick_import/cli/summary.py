"""The text ``run`` prints at the end: the headline, what to do next, where things went."""

from __future__ import annotations

import codecs
import shlex
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from justclick_import.cli.hints import error_hint
from justclick_import.cli.status_table import status_lines
from justclick_import.language import Language
from justclick_import.models import Doubt, OrderStatus, RunResult
from justclick_import.report.headline import NextStep, headline, next_steps
from justclick_import.report.tables import RESULT_HEADERS, settling
from justclick_import.report.words import label

__all__ = ["fit_encoding", "render_summary"]

_WORDS: dict[Language, dict[str, str]] = {
    "en": {
        "counts": "{file}: {rows} rows, {orders} orders",
        "problems": "{problems} problems in {rows} rows",
        "ignored": "ignored columns (never sent): {columns}",
        "timezone": "dates without a time zone are read in {zone}",
        "target": "target: {target}",
        "login": " (login {login})",
        "journal": "journal: {path}",
        "results": "results: {path}",
        "previous": "previous results kept as {name}",
        "skipped_by_status": "{orders} orders skipped by their status (never sales), not sent",
        "preset": "read with the preset {preset}",
        "read_as": "read as {how}",
        "looked_up": "looked up before sending: {orders} orders found in the shop",
        "not_written": "results: NOT written (see the error below)",
        "in_doubt": "in doubt: {line}",
        "legacy": "legacy status: {statuses} ({applied})",
        "legacy_count": "{count} {word}",
        "not_applied": "applied only with --apply-status",
        "more_in_workbook": "... and {more} more (see the results workbook)",
        "more": " and {more} more",
        "unsettled": "{count} orders were sent without a trustworthy answer and may exist; "
        "`{command}` looks them up",
    },
    "ru": {
        "counts": "{file}: строк {rows}, заказов {orders}",
        "problems": "проблем: {problems}, в строках: {rows}",
        "ignored": "столбцы, которые не отправляются: {columns}",
        "timezone": "даты без часового пояса прочитаны в поясе {zone}",
        "target": "куда: {target}",
        "login": " (логин {login})",
        "journal": "журнал: {path}",
        "results": "результаты: {path}",
        "previous": "прежние результаты сохранены как {name}",
        "skipped_by_status": "заказов пропущено по статусу (это не продажи, не отправлены): "
        "{orders}",
        "preset": "прочитано по шаблону {preset}",
        "read_as": "прочитано как {how}",
        "looked_up": "найдено в магазине до отправки: {orders} заказов",
        "not_written": "результаты: НЕ записаны (причина ниже)",
        "in_doubt": "под вопросом: {line}",
        "legacy": "статусы из старого магазина — {statuses} ({applied})",
        "legacy_count": "{word}: {count}",
        "not_applied": "применяются только с --apply-status",
        "more_in_workbook": "... и ещё {more} (см. книгу результатов)",
        "more": " и ещё {more}",
        "unsettled": "заказов: {count}, отправлены без надёжного ответа и могут уже быть в "
        "магазине; `{command}` найдёт их там",
    },
}

# How far each order's legacy status got (``sending.states.StatusStep``; English shows the
# step itself). The statuses (paid, cancel, ...) stay the codes the mapping files take.
_STEP_WORDS: dict[Language, dict[str, str]] = {
    "en": {},
    "ru": {
        "applying": "применение начато",
        "applied": "применены",
        "failed": "не применены",
        "uncertain": "под вопросом",
    },
}


def _legacy_line(result: RunResult) -> str:
    """How many orders have each legacy status, and how far applying them got ("" for none)."""
    wanted = Counter(r.order.customer.get("order_status", "") for r in result.results)
    wanted.pop("", None)
    wanted.pop("skip", None)
    if not wanted:
        return ""
    words = _WORDS[result.language]
    steps = Counter(r.status_step for r in result.results if r.status_step)

    def listed(counts: Counter[str], names: Mapping[str, str]) -> str:
        return ", ".join(
            words["legacy_count"].format(count=n, word=names.get(name, name))
            for name, n in sorted(counts.items())
        )

    applied = listed(steps, _STEP_WORDS[result.language]) or words["not_applied"]
    return words["legacy"].format(statuses=listed(wanted, {}), applied=applied)


def _doubt_lines(result: RunResult) -> list[str]:
    """Each kind of doubt among the orders: how many, a few of them, what settles them."""
    words = _WORDS[result.language]
    lines = []
    for kind, line in settling(result).items():
        found = [r for r in result.results if r.doubt is not None and r.doubt == kind]
        lines.append(words["in_doubt"].format(line=line))
        if kind == Doubt.CHECK:  # each has its own bills to look at
            lines += [f"  {r.order.key}: {r.error_text}" for r in found[:5]]
            if len(found) > 5:
                lines.append("  " + words["more_in_workbook"].format(more=len(found) - 5))
        else:
            keys = [r.order.key for r in found]
            more = words["more"].format(more=len(keys) - 5) if len(keys) > 5 else ""
            lines.append(f"  ({', '.join(keys[:5])}{more})")
    unsettled = [r for r in result.results if r.status is OrderStatus.UNCERTAIN and not r.doubt]
    if unsettled:
        command = f"justclick-import reconcile {shlex.quote(str(result.source))}"
        line = words["unsettled"].format(count=len(unsettled), command=command)
        lines.append(words["in_doubt"].format(line=line))
    return lines


def render_summary(
    result: RunResult, out: Path | None, *, hints: Mapping[str, str] | None = None
) -> str:
    """The end-of-run summary for the terminal, in the run's language (``out`` None: the
    workbook was not written)."""
    words = _WORDS[result.language]
    lines = [headline(result)]
    for number, step in enumerate(next_steps(result), start=1):
        lines.append(f"{number}. {step.text}")
        if step.code is NextStep.RECONCILE and result.settle_commands:
            lines += [f"   {part}" for part in _doubt_lines(result)]  # the exact commands
            continue
        hint = error_hint(result.stop_code) if step.code is NextStep.STOPPED else ""
        hint = hint or (hints or {}).get(step.code, "")
        lines += [f"   {part}" for part in hint.splitlines()]
    lines.append("")
    counts = Counter(r.status for r in result.results)
    # English keeps the status codes scripts grep for; the headline has the words.
    shown = ", ".join(f"{counts[s]} {s.value}" for s in OrderStatus if counts[s])
    shown = shown if result.language == "en" else ""
    lines.append(
        words["counts"].format(
            file=result.source.name, rows=len(result.row_numbers), orders=len(result.results)
        )
        + (f" ({shown})" if shown else "")
    )
    errors = [p for p in result.problems if p.is_error]
    if errors:
        rows = len({p.row for p in errors})
        lines.append(words["problems"].format(problems=len(errors), rows=rows))
    ignored = [name for name in result.ignored_columns if name not in RESULT_HEADERS]
    if ignored:
        more = f" (+{len(ignored) - 20})" if len(ignored) > 20 else ""
        lines.append(words["ignored"].format(columns=", ".join(ignored[:20]) + more))
    if result.source_format:
        how = result.source_format.describe(result.language)
        lines.append(words["read_as"].format(how=how))
    if result.looked_up:
        lines.append(words["looked_up"].format(orders=result.looked_up))
    by_status = sum(1 for r in result.results if r.order.skipped_by_status)
    if by_status:
        lines.append(words["skipped_by_status"].format(orders=by_status))
    if result.preset:
        lines.append(words["preset"].format(preset=result.preset))
    if result.timezone:
        lines.append(words["timezone"].format(zone=result.timezone))
    login = words["login"].format(login=result.login) if result.login else ""
    target = label(result.target, result.language)  # "sandbox", "dry run" or the API's address
    lines.append(words["target"].format(target=target) + login)
    legacy = _legacy_line(result)
    if legacy:
        lines.append(legacy)
    if result.target == "dry run":
        lines.extend(status_lines(result.statuses, result.language))
    if result.journal_path is not None and result.target != "sandbox":
        lines.append(words["journal"].format(path=result.journal_path))
    lines.append(words["results"].format(path=out) if out else words["not_written"])
    if result.previous_results is not None:
        lines.append(words["previous"].format(name=result.previous_results.name))
    return "\n".join(lines)


def fit_encoding(text: str, encoding: str | None) -> str:
    """``text`` as a console of ``encoding`` can show it (₽ as "руб." in cp1251 or cp866)."""
    if not encoding:
        return text
    try:
        codecs.lookup(encoding)
        text.encode(encoding)
    except LookupError:
        return text
    except UnicodeEncodeError:
        text = text.replace("\u00a0₽", " руб.").replace("\u00a0", " ").replace("—", "-")
        text = text.replace("→", "->").replace("«", '"').replace("»", '"')
        text = text.replace("“", '"').replace("”", '"')
        return text.encode(encoding, "replace").decode(encoding)
    return text
