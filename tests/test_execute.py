"""The seam a front end drives: prepare, execute with events and a cancel token, write outputs."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from workbooks import summary_facts

from justclick_import import (
    Event,
    ExitStatus,
    ImportConfig,
    OrderDone,
    OrderStatus,
    RunResult,
    RunStopped,
    Secret,
    SendOptions,
    StageFinished,
    StageStarted,
    execute,
    prepare,
    write_outputs,
)
from justclick_import.api.client import JustClickClient
from justclick_import.errors import ErrorCode
from justclick_import.sandbox import Sandbox
from justclick_import.sending import workers
from justclick_import.sending.journal import Journal, JournalWriteError
from justclick_import.sending.submit import Submission, submit_orders

ORDERS = 200


def many_orders(folder: Path, count: int = ORDERS) -> Path:
    """A file of ``count`` one-line orders, each a different customer."""
    path = folder / "many.csv"
    lines = ["bill_email,good_name,good_sum"]
    lines += [f"buyer{i}@example.ru,ebook_excel,990" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def config_for(server: Sandbox, source: Path, journal: Path, concurrency: int) -> ImportConfig:
    return ImportConfig(
        input=source,
        login=server.login,
        secret=Secret(server.secret),
        api_url=server.url,
        journal=journal,
        send=SendOptions(concurrency=concurrency, rate=None),
    )


def wait_for(condition: object, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_slow_consumer_never_holds_the_senders_and_cancel_ends_like_ctrl_c(
    server: Sandbox, tmp_path: Path
) -> None:
    server.set_latency(0.05)
    journal_path = tmp_path / "journal.sqlite"
    plan = prepare(config_for(server, many_orders(tmp_path), journal_path, concurrency=4))
    cancel = threading.Event()
    gate = threading.Event()
    seen: list[Event] = []
    threads: set[int] = set()
    outcome: list[RunResult] = []

    def consumer(event: Event) -> None:
        threads.add(threading.get_ident())
        seen.append(event)
        if isinstance(event, OrderDone):
            gate.wait(60)  # stuck on the first result until the test lets it go
            time.sleep(0.002)  # and slow after that

    def front_end() -> None:
        outcome.append(execute(plan, events=consumer, cancel=cancel))

    runner = threading.Thread(target=front_end)
    runner.start()
    # While the consumer is stuck on its first event, the senders go on creating orders.
    wait_for(lambda: len(server.orders()) >= 30)
    assert sum(isinstance(e, OrderDone) for e in seen) == 1
    cancel.set()  # from this thread, not the one running execute
    gate.set()
    runner.join(60)
    assert not runner.is_alive()
    (result,) = outcome

    # Cancel is the first Ctrl-C: no new orders, the answers in flight awaited.
    assert result.interrupted and result.exit_status() is ExitStatus.INTERRUPTED
    counts = {status: result.count(status) for status in OrderStatus}
    created = len(server.orders())
    assert counts[OrderStatus.CREATED] == created
    assert 30 <= created < ORDERS
    assert counts[OrderStatus.UNCERTAIN] == 0
    assert counts[OrderStatus.CREATED] + counts[OrderStatus.NOT_SENT] == ORDERS
    # Every order's result was delivered once, on the thread that called execute.
    done = [e for e in seen if isinstance(e, OrderDone)]
    assert [e.done for e in done] == list(range(1, ORDERS + 1))
    assert {e.result.order.key for e in done} == {r.order.key for r in result.results}
    assert threads == {runner.ident}
    assert any(isinstance(e, RunStopped) and e.interrupted for e in seen)
    assert isinstance(seen[-1], StageFinished) and seen[-1].stage == "send"

    # The journal agrees with the shop: each created order with its bill, none left "sending".
    with Journal(journal_path) as journal:
        identities = [f"import:many:email:buyer{i}@example.ru" for i in range(ORDERS)]
        entries = journal.entries(server.login, identities)
    bills = [e.bill_id for e in entries.values() if e.state == "created" and e.bill_id]
    assert sorted(bills) == sorted(order.bill_id for order in server.orders())
    assert {e.state for e in entries.values()} == {"created"}

    # The workbook is written as after Ctrl-C, and says so.
    outputs = write_outputs(result, plan.config)
    book = load_workbook(outputs.workbook)
    assert summary_facts(book)["interrupted"] == "yes"
    assert book["Summary"]["A1"].value.startswith(f"Interrupted. {created} of {ORDERS} orders")


def test_events_tell_each_stage_and_each_order_in_order(server: Sandbox, tmp_path: Path) -> None:
    seen: list[Event] = []
    config = config_for(server, many_orders(tmp_path, 5), tmp_path / "j.sqlite", concurrency=2)
    plan = prepare(config, events=seen.append)
    stages = [e for e in seen if isinstance(e, StageStarted | StageFinished)]
    assert stages == seen  # preparing tells stages only
    assert [(type(e).__name__, e.stage) for e in stages] == [
        ("StageStarted", "read"),
        ("StageFinished", "read"),
        ("StageStarted", "validate"),
        ("StageFinished", "validate"),
        ("StageStarted", "assemble"),
        ("StageFinished", "assemble"),
    ]
    assert seen[-1] == StageFinished("assemble", {"orders": 5, "valid": 5, "problems": 0})
    seen.clear()
    result = execute(plan, events=seen.append)
    assert seen[0] == StageStarted("send", 5)
    assert [e.done for e in seen if isinstance(e, OrderDone)] == [1, 2, 3, 4, 5]
    assert seen[-1] == StageFinished("send", {"created": 5})
    assert not any(isinstance(e, RunStopped) for e in seen)
    assert result.exit_status() is ExitStatus.OK


class _SlowToClose(JustClickClient):
    """A client whose close takes a while: its sender ends after its last result is out."""

    def close(self) -> None:
        time.sleep(0.3)
        super().close()


def test_the_caller_is_woken_by_the_last_sender_not_by_its_poll(
    server: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last sender's end wakes the caller. With the caller's poll an hour long, the run
    still ends: a caller that looked for the end only when its poll ran out would have taken
    the last result, found the senders still closing their clients, and waited out the hour."""
    monkeypatch.setattr(workers, "_POLL", 3600.0)
    config = config_for(server, many_orders(tmp_path, 12), tmp_path / "j.sqlite", concurrency=3)
    orders = prepare(config).orders
    done: list[Submission] = []

    def make() -> JustClickClient:
        return _SlowToClose(server.url, server.login, Secret(server.secret))

    def send() -> None:
        options = SendOptions(concurrency=3, rate=None)
        done.append(submit_orders(orders, make, login=server.login, options=options))

    runner = threading.Thread(target=send, daemon=True)
    runner.start()
    runner.join(timeout=60)
    assert done, "the caller waited for its poll to see the senders end"
    assert [r.status for r in done[0].results] == [OrderStatus.CREATED] * 12
    assert len(server.orders()) == 12


def test_a_cancel_set_before_sending_sends_nothing(server: Sandbox, tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    config = config_for(server, many_orders(tmp_path, 8), tmp_path / "j.sqlite", concurrency=2)
    result = execute(prepare(config), cancel=cancel)
    assert server.orders() == []
    assert {r.status for r in result.results} == {OrderStatus.NOT_SENT}
    assert result.exit_status() is ExitStatus.INTERRUPTED


def test_a_stop_answer_is_told_as_an_event_with_its_code(server: Sandbox, tmp_path: Path) -> None:
    seen: list[Event] = []
    config = config_for(server, many_orders(tmp_path, 3), tmp_path / "j.sqlite", concurrency=2)
    config.secret = Secret("not the shop's secret")
    result = execute(prepare(config), events=seen.append)
    (stopped,) = [e for e in seen if isinstance(e, RunStopped)]
    assert stopped.code == "bad-signature" and not stopped.interrupted
    assert result.stop_code == stopped.code
    assert result.exit_status() is ExitStatus.STOPPED


def test_the_sandbox_is_a_config_away(tmp_path: Path) -> None:
    config = ImportConfig(input=many_orders(tmp_path, 3), sandbox=True)
    result = execute(prepare(config))
    assert result.target == "sandbox"
    assert [r.status for r in result.results] == [OrderStatus.CREATED] * 3
    assert result.journal_path is not None and not result.journal_path.exists()  # thrown away


@pytest.mark.parametrize("was_enabled", [True, False])
def test_preparing_leaves_the_garbage_collector_as_it_found_it(
    tmp_path: Path, was_enabled: bool
) -> None:
    import gc

    (gc.enable if was_enabled else gc.disable)()
    try:
        prepare(ImportConfig(input=many_orders(tmp_path, 3)))
        assert gc.isenabled() is was_enabled
    finally:
        gc.enable()


def test_a_journal_that_cannot_record_the_runs_end_stops_it_with_its_own_exit_code(
    server: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_: object) -> None:
        raise JournalWriteError(ErrorCode.JOURNAL_WRITE, "cannot write the journal: disk full")

    monkeypatch.setattr(Journal, "finish_run", full)
    seen: list[Event] = []
    config = config_for(server, many_orders(tmp_path, 3), tmp_path / "j.sqlite", concurrency=2)
    result = execute(prepare(config), events=seen.append)
    assert [r.status for r in result.results] == [OrderStatus.CREATED] * 3
    (stopped,) = [e for e in seen if isinstance(e, RunStopped)]
    assert stopped.code == ErrorCode.JOURNAL_WRITE
    assert result.stop_message == "cannot write the journal: disk full"
    assert result.exit_status() is ExitStatus.JOURNAL_FAILED
