"""The exact commands that settle orders in doubt, made from the command line the user typed.

Only options given on the command line are repeated (an option from the environment, such as
the secret or ``JUSTCLICK_LOGIN``, stays there), so the command can be pasted as it is.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from justclick_import.language import Language
from justclick_import.models import Doubt

__all__ = ["repeat_command", "settle_commands"]


def _words(param: click.Parameter, value: Any) -> list[str]:
    if isinstance(param, click.Argument):
        return [str(value)]
    assert isinstance(param, click.Option)
    name = max(param.opts, key=len)  # the long form: --concurrency, not -c
    if param.is_flag:
        return [name] if value else []
    values = value if param.multiple else [value]
    return [word for item in values for word in (name, _text(item))]


def _text(value: Any) -> str:
    """A value as typed: ``0`` rather than Python's ``0.0`` for a whole number."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def repeat_command(
    ctx: click.Context,
    *,
    command: str | None = None,
    allowed: Iterable[str] | None = None,
    add: Iterable[str] = (),
) -> str:
    """This command line as typed (``command`` instead of its own name, only the options named
    in ``allowed``), with the words ``add`` after it, quoted for a POSIX shell."""
    names = None if allowed is None else set(allowed)
    arguments: list[str] = []
    options: list[str] = []
    for param in ctx.command.params:
        if not param.name or not param.expose_value:
            continue
        if names is not None and param.name not in names:
            continue
        if ctx.get_parameter_source(param.name) is not ParameterSource.COMMANDLINE:
            continue
        value = ctx.params.get(param.name)
        if value is None:
            continue
        words = _words(param, str(value) if isinstance(value, Path) else value)
        (arguments if isinstance(param, click.Argument) else options).extend(words)
    extra = [word for word in add if word not in options]
    words = ["justclick-import", command or ctx.info_name or "", *arguments, *options, *extra]
    return shlex.join(words)


_WORDS: dict[Language, dict[Doubt, str]] = {
    "en": {
        Doubt.UNREAD: "run `{again}`: it looks them up first and sends only those not there",
        Doubt.WAITING: "after the time shown, run `{again}`",
        Doubt.ABSENT: "run `{again}` to send them again",
        Doubt.CHECK: (
            "check the bills named in the shop; then `{by_hand} --bill ORDER_KEY=BILL_ID` for "
            "an order that is there, or `{by_hand} --not-created ORDER_KEY` for one that is not"
        ),
    },
    "ru": {
        Doubt.UNREAD: "выполните `{again}`: заказы сначала ищутся в магазине, отправляются "
        "только ненайденные",
        Doubt.WAITING: "после указанного времени выполните `{again}`",
        Doubt.ABSENT: "выполните `{again}`, чтобы отправить их снова",
        Doubt.CHECK: (
            "проверьте названные счета в магазине; затем `{by_hand} --bill ORDER_KEY=BILL_ID` "
            "для заказа, который там есть, или `{by_hand} --not-created ORDER_KEY` для того, "
            "которого нет"
        ),
    },
}


def settle_commands(
    ctx: click.Context, reconcile: click.Command, language: Language = "en"
) -> dict[str, str]:
    """What settles each kind of doubt (``models.Doubt``) after this ``run``, in commands."""
    again = repeat_command(ctx, add=["--resend-uncertain"])
    allowed = [param.name for param in reconcile.params if param.name]
    by_hand = repeat_command(ctx, command="reconcile", allowed=allowed)
    return {
        doubt.value: text.format(again=again, by_hand=by_hand)
        for doubt, text in _WORDS[language].items()
    }
