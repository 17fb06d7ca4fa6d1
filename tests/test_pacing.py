"""How fast to send, and when to stop: an unreachable API, a server's request limit, error 8."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from justclick_import.api.ratelimit import AdaptiveRate
from justclick_import.cli.main import main
from justclick_import.errors import ErrorCode
from justclick_import.models import ExitStatus, OrderStatus
from justclick_import.sandbox import Faults, Sandbox
from justclick_import.sending.pacing import CONNECT_LIMIT
from tests.faulty import never_twice, run, statuses, write_orders


def closed_port() -> int:
    with socket.socket() as probe:  # free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_api_stops_after_a_few_connections_not_ten_per_order(
    tmp_path: Path, own_journal: Path
) -> None:
    source = tmp_path / "twelve.csv"
    write_orders(source, 12)
    with Sandbox() as server:  # only for its login and secret: requests go to a closed port
        url = f"http://127.0.0.1:{closed_port()}/api/"
        result = run(server, source, api_url=url, concurrency=4)
    assert result.stop_code is ErrorCode.UNREACHABLE
    assert result.exit_status() is ExitStatus.STOPPED
    assert "cannot reach the API at" in result.stop_message
    assert statuses(result)["buyer000@example.ru"] == "failed"
    assert set(list(statuses(result).values())[1:]) == {"not_sent"}
    with sqlite3.connect(own_journal) as db:
        attempts = db.execute("SELECT identity, attempts, state FROM orders").fetchall()
    assert attempts == [("import:twelve:email:buyer000@example.ru", CONNECT_LIMIT, "failed")]


def test_the_cli_says_the_api_cannot_be_reached_and_exits_3(tmp_path: Path) -> None:
    source = tmp_path / "two.csv"
    write_orders(source, 2)
    args = ["run", str(source), "--api-url", f"http://127.0.0.1:{closed_port()}/api/"]
    result = CliRunner().invoke(
        main, [*args, "--login", "shop", "-q"], env={"JUSTCLICK_SECRET": "s3cr3t"}
    )
    assert result.exit_code == ExitStatus.STOPPED, result.output
    assert "stopped: cannot reach the API at http://127.0.0.1:" in result.output
    assert "check --api-url and the network; nothing was sent" in result.output
    assert "Traceback" not in result.output


def test_sixteen_senders_against_a_request_limit_slow_down_together(tmp_path: Path) -> None:
    source = tmp_path / "many.csv"
    write_orders(source, 80)
    faults = Faults(limit_rate=20.0, retry_after=0.2)
    with Sandbox(faults=faults) as server:
        result = run(server, source, concurrency=16)
        refused = server.faults_served()["limited"]
        assert set(statuses(result).values()) == {"created"}
        assert len(never_twice(server)) == 80
    # Before the shared rate, each sender waited out its own 429s: 2.9 refusals per order.
    assert refused < 40, refused


def test_error_8_pauses_every_sender_and_goes_on(tmp_path: Path) -> None:
    source = tmp_path / "limit8.csv"
    write_orders(source, 30)
    faults = Faults(limit_rate=15.0, limit_answer="8")
    with Sandbox(faults=faults) as server:
        result = run(server, source, concurrency=8, limit_pause=0.2, limit_patience=30.0)
        assert server.faults_served()["limited"] > 0  # the limit was met...
        assert set(statuses(result).values()) == {"created"}  # ...and waited out
        assert result.stop_message == ""
        assert len(never_twice(server)) == 30


def test_error_8_that_lasts_stops_the_run_after_its_patience(
    server: Sandbox, tmp_path: Path
) -> None:
    source = tmp_path / "limit8-forever.csv"
    write_orders(source, 5)
    server.force_answers(*[(8, "Request limit from this address exhausted")] * 200)
    result = run(server, source, limit_pause=0.1, limit_patience=1.0)
    assert result.stop_code is ErrorCode.REQUEST_LIMIT
    assert result.exit_status() is ExitStatus.STOPPED
    first = result.results[0]
    assert (first.status, first.error_code) == (OrderStatus.FAILED, 8)
    assert server.orders() == []


def test_the_shared_rate_halves_once_per_burst_of_refusals_and_climbs_back() -> None:
    rate = AdaptiveRate(10.0)
    rate.slow_down(0.0)
    rate.slow_down(0.0)  # the same burst: the requests that were in flight together
    assert rate.rate == 5.0
    assert rate.slowdowns == 1
    for _ in range(100):
        rate.speed_up()
    assert rate.rate == 10.0  # never above the rate asked for
