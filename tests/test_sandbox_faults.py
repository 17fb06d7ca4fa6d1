"""Fault injection in the sandbox, driven over real HTTP on 127.0.0.1."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from justclick_import.api.signing import signed_body, verify_response_hash
from justclick_import.sandbox import Faults, Sandbox

FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def send(
    sb: Sandbox,
    params: dict[str, Any] | None = None,
    function: str = "CreateOrder",
    *,
    timeout: float | tuple[float, float] = 10,
    session: requests.Session | None = None,
) -> requests.Response:
    assert sb.url.startswith("http://127.0.0.1:")
    if params is None:
        params = {"bill_email": "ivan@example.ru", "goods": [{"good_name": "kurs_python"}]}
    body = signed_body(params, sb.login, sb.secret).encode()
    post = session.post if session is not None else requests.post
    return post(sb.url + function, data=body, headers=FORM, timeout=timeout)


def genuine(sb: Sandbox, response: requests.Response) -> dict[str, Any]:
    """The JSON answer, checked to be a 200 signed with the sandbox's real secret."""
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    assert verify_response_hash(
        answer["error_code"], answer["error_text"], answer["hash"], sb.secret
    )
    return answer


def create(sb: Sandbox, **kwargs: Any) -> int:
    """Create one order normally; its bill_id."""
    answer = genuine(sb, send(sb, **kwargs))
    assert answer["error_code"] == 0
    return int(answer["result"]["bill_id"])


def test_faults_are_validated(sandbox: Sandbox) -> None:
    cases: list[dict[str, Any]] = [
        {"latency": -1},
        {"retry_after": float("nan")},
        {"slow_seconds": "5"},
        {"drop": -1},
        {"fail_503": 1.5},
        {"wrong_hash": True},
    ]
    for bad in cases:
        with pytest.raises(ValueError):
            Faults(**bad)
    with pytest.raises(ValueError, match="503 or 429"):
        sandbox.fail_next(500)
    with pytest.raises(ValueError):
        sandbox.drop_next(-1)
    with pytest.raises(ValueError):
        sandbox.set_latency(-0.1)
    assert sandbox.faults == Faults()
    assert Faults().describe() == []


def test_503_burst_creates_nothing_then_service_resumes(sandbox: Sandbox) -> None:
    sandbox.fail_next(503, 3)
    assert sandbox.faults.fail_503 == 3
    for function in ["CreateOrder", "GetOrderDetails", "CreateOrder"]:  # any call takes one
        response = send(sandbox, function=function)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "1"
        assert response.text == "Service Unavailable\n"
    assert sandbox.orders() == []
    assert sandbox.faults == Faults()
    assert sandbox.faults_served() == {"fail_503": 3}
    bill_id = create(sandbox)
    assert [o.bill_id for o in sandbox.orders()] == [bill_id]


def test_429_burst_carries_retry_after_and_counts_add_up(sandbox: Sandbox) -> None:
    sandbox.fail_next(429)
    sandbox.fail_next(429, 1, retry_after=0.5)
    assert (sandbox.faults.fail_429, sandbox.faults.retry_after) == (2, 0.5)
    with requests.Session() as session:  # keep-alive survives a 429
        for _ in range(2):
            response = send(sandbox, session=session)
            assert (response.status_code, response.headers["Retry-After"]) == (429, "0.5")
            assert response.text == "Too Many Requests\n"
        assert sandbox.orders() == []
        create(sandbox, session=session)
    assert len(sandbox.orders()) == 1


def test_constructor_faults_apply_from_the_first_request() -> None:
    with Sandbox(faults=Faults(fail_503=1, retry_after=7)) as sb:
        response = send(sb)
        assert (response.status_code, response.headers["Retry-After"]) == (503, "7")
        create(sb)
        assert len(sb.orders()) == 1


def test_dropped_connections_raise_connection_error_and_create_nothing(sandbox: Sandbox) -> None:
    sandbox.drop_next(2)
    with pytest.raises(requests.ConnectionError):
        send(sandbox)
    with requests.Session() as session:
        with pytest.raises(requests.ConnectionError):
            send(sandbox, session=session)
        assert sandbox.orders() == []
        create(sandbox, session=session)  # the session reconnects
    assert len(sandbox.orders()) == 1
    assert sandbox.faults_served() == {"drop": 2}


def test_blocking_faults_are_taken_drop_then_503_then_429(sandbox: Sandbox) -> None:
    sandbox.fail_next(429)
    sandbox.fail_next(503)
    sandbox.drop_next()
    assert sandbox.faults.describe() == [
        "next 1 request(s): connection closed without an answer, nothing created",
        "next 1 request(s): HTTP 503 (Retry-After: 1), nothing created",
        "next 1 request(s): HTTP 429 (Retry-After: 1), nothing created",
    ]
    with pytest.raises(requests.ConnectionError):
        send(sandbox)
    assert send(sandbox).status_code == 503
    assert send(sandbox).status_code == 429
    create(sandbox)
    assert len(sandbox.orders()) == 1


def test_slow_answer_creates_the_order_and_the_client_times_out(sandbox: Sandbox) -> None:
    sandbox.slow_next(1, seconds=2)
    # Only CreateOrder calls take a slow answer.
    answer = genuine(sandbox, send(sandbox, {"bill_id": 5}, "GetOrderDetails", timeout=(5, 0.5)))
    assert answer["error_code"] == 400
    assert sandbox.faults.slow == 1
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        send(sandbox, timeout=(5, 0.2))
    assert time.monotonic() - started < 1.9  # gave up long before the 2 s answer
    assert len(sandbox.orders()) == 1  # created all the same: the ambiguous case
    assert sandbox.faults.slow == 0
    started = time.monotonic()
    create(sandbox, timeout=(5, 1.5))  # served normally, while the slow one still sleeps
    assert time.monotonic() - started < 1.5
    assert len(sandbox.orders()) == 2


def test_slow_answer_arrives_late_for_a_patient_client(sandbox: Sandbox) -> None:
    sandbox.slow_next(1, seconds=0.3)
    started = time.monotonic()
    bill_id = create(sandbox)
    assert time.monotonic() - started >= 0.3
    assert [o.bill_id for o in sandbox.orders()] == [bill_id]


def test_wrong_hash_answers_still_create_the_order(sandbox: Sandbox) -> None:
    sandbox.wrong_hash_next(2)
    for _ in range(2):
        response = send(sandbox)
        assert response.status_code == 200
        answer = response.json()
        assert answer["error_code"] == 0
        assert not verify_response_hash(
            answer["error_code"], answer["error_text"], answer["hash"], sandbox.secret
        )
    assert len(sandbox.orders()) == 2
    create(sandbox)
    assert len(sandbox.orders()) == 3
    assert sandbox.faults_served() == {"wrong_hash": 2}


def test_exactly_n_concurrent_requests_get_a_fault(sandbox: Sandbox) -> None:
    sandbox.fail_next(503, 5)
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda _: send(sandbox).status_code, range(20)))
    assert sorted(statuses) == [200] * 15 + [503] * 5
    assert len(sandbox.orders()) == 15


def test_latency_counts_from_the_calls_arrival_with_its_processing_inside(
    sandbox: Sandbox,
) -> None:
    sandbox.set_latency(2.0)
    with ThreadPoolExecutor(max_workers=1) as pool:
        answer = pool.submit(create, sandbox)
        deadline = time.monotonic() + 1.5
        while not sandbox.orders():  # processed at once, answered when the latency is up
            assert time.monotonic() < deadline, "the call was not processed on arrival"
            time.sleep(0.01)
        assert not answer.done()
        answer.result(timeout=30)


def test_latency_is_served_concurrently(sandbox: Sandbox) -> None:
    sandbox.set_latency(0.4)
    assert sandbox.faults.latency == 0.4

    def timed(_: int) -> float:
        started = time.monotonic()
        create(sandbox)
        return time.monotonic() - started

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        each = list(pool.map(timed, range(8)))
    elapsed = time.monotonic() - started
    assert min(each) >= 0.4
    assert elapsed < 2.0, f"8 requests with 0.4 s latency took {elapsed:.2f} s: serialised?"
    assert len(sandbox.orders()) == 8
    sandbox.set_faults(Faults())
    started = time.monotonic()
    create(sandbox)
    assert time.monotonic() - started < 1.0  # the latency is gone


def test_stop_is_prompt_while_answers_sleep() -> None:
    sb = Sandbox().start()
    sb.slow_next(1, seconds=30)
    errors: list[BaseException] = []

    def waiting_client(params: dict[str, Any] | None, function: str) -> None:
        try:
            send(sb, params, function, timeout=60)
        except requests.RequestException as error:
            errors.append(error)

    slow = threading.Thread(target=waiting_client, args=(None, "CreateOrder"))
    slow.start()
    deadline = time.monotonic() + 5
    while not sb.orders() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(sb.orders()) == 1  # created, now sleeping 30 s before answering
    sb.set_latency(30)
    late = threading.Thread(target=waiting_client, args=({"bill_id": 1}, "GetOrderDetails"))
    late.start()
    time.sleep(0.1)
    started = time.monotonic()
    sb.stop()
    assert time.monotonic() - started < 5  # not the 30 s the answers would sleep
    slow.join(5)
    late.join(2)
    assert not slow.is_alive() and not late.is_alive()
    assert len(errors) == 2 and all(isinstance(e, requests.ConnectionError) for e in errors)


def test_sandbox_command_options_inject_faults() -> None:
    command = [
        sys.executable,
        "-m",
        "justclick_import",
        "sandbox",
        "--fail-503",
        "1",
        "--retry-after",
        "0",
        "--wrong-hash",
        "1",
        "--latency",
        "0.01",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        assert process.stdout is not None
        banner = []
        for line in process.stdout:
            banner.append(line.rstrip("\n"))
            if line.startswith("try:"):
                break
        url = banner[0].removeprefix("JustClick sandbox at ")
        secret = banner[2].removeprefix("secret: ")
        assert banner[3:6] == [
            "faults:",
            "  every answer 0.01 s after its request",
            "  next 1 request(s): HTTP 503 (Retry-After: 0), nothing created",
        ]
        assert banner[6] == "  next 1 request(s): answer signed with a wrong secret, order created"
        body = signed_body(
            {"bill_email": "a@example.ru", "goods": [{"good_name": "kurs_python"}]},
            "demo-shop",
            secret,
        ).encode()

        def post() -> requests.Response:
            return requests.post(url + "CreateOrder", data=body, headers=FORM, timeout=10)

        first = post()
        assert (first.status_code, first.headers["Retry-After"]) == (503, "0")
        answers = [post().json() for _ in range(2)]
        assert [a["error_code"] for a in answers] == [0, 0]
        checks = [
            verify_response_hash(a["error_code"], a["error_text"], a["hash"], secret)
            for a in answers
        ]
        assert checks == [False, True]
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=5) == 130
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
