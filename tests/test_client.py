"""The client: what each kind of answer means for the order and for the run."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import requests
import responses

from justclick_import.api.client import JustClickClient
from justclick_import.api.outcomes import retry_after as _retry_after
from justclick_import.api.secret import Secret
from justclick_import.api.signing import response_hash
from justclick_import.errors import ErrorCode
from justclick_import.models import OrderStatus

URL = "https://shop.justclick.io/api/"
SECRET = "0123456789abcdef0123456789abcdef"
PARAMS = {"goods": [{"good_name": "kurs_python"}], "bill_email": "a@example.com"}


def answer(code: int, text: str, result: object = None, secret: str = SECRET) -> str:
    body: dict[str, object] = {"error_code": code, "error_text": text}
    if result is not None:
        body["result"] = result
    body["hash"] = response_hash(code, text, secret)
    return json.dumps(body)


@pytest.fixture
def client() -> JustClickClient:
    return JustClickClient(URL, "shop", Secret(SECRET))


@pytest.mark.parametrize(
    ("code", "text", "result", "status", "bill_id", "stops"),
    [
        (0, "Order created", {"bill_id": 77}, OrderStatus.CREATED, 77, False),
        (601, "Order already exists", {"bill_id": 12}, OrderStatus.ALREADY_EXISTS, 12, False),
        (600, "Bad customer email", None, OrderStatus.FAILED, None, False),
        (604, "Product not exist: nope", None, OrderStatus.FAILED, None, False),
        (602, "Could not create the order", None, OrderStatus.FAILED, None, False),
        (4, "Incorrect hash", None, OrderStatus.FAILED, None, True),
        (5, "Invalid login", None, OrderStatus.FAILED, None, True),
        (8, "Request limit", None, OrderStatus.FAILED, None, False),  # paused, then on
        (606, "API disabled", None, OrderStatus.FAILED, None, True),
    ],
)
@responses.activate
def test_verified_answers_map_to_order_status_and_stop(
    client: JustClickClient,
    code: int,
    text: str,
    result: object,
    status: OrderStatus,
    bill_id: int | None,
    stops: bool,
) -> None:
    responses.post(URL + "CreateOrder", body=answer(code, text, result))
    outcome = client.create_order(PARAMS)
    assert (outcome.status, outcome.bill_id, outcome.error_code) == (status, bill_id, code)
    assert bool(outcome.stop) is stops


@responses.activate
def test_an_answer_signed_with_another_secret_is_never_success(client: JustClickClient) -> None:
    responses.post(URL + "CreateOrder", body=answer(0, "Order created", {"bill_id": 5}, "forged"))
    outcome = client.create_order(PARAMS)
    assert outcome.status is OrderStatus.UNCERTAIN
    assert outcome.bill_id is None
    assert not outcome.stop


@responses.activate
def test_an_unverifiable_error_4_stops_the_run_naming_the_login(client: JustClickClient) -> None:
    responses.post(URL + "CreateOrder", body=answer(4, "Incorrect hash", secret="the real one"))
    outcome = client.create_order(PARAMS)
    assert outcome.status is OrderStatus.UNCERTAIN
    assert outcome.stop is not None and outcome.stop.code is ErrorCode.BAD_SIGNATURE
    assert "'shop'" in outcome.stop.message and "secret" in outcome.stop.message
    assert SECRET not in outcome.stop.message


@pytest.mark.parametrize(
    ("http_status", "status", "stops"),
    [
        (503, OrderStatus.FAILED, False),
        (429, OrderStatus.FAILED, False),
        (502, OrderStatus.UNCERTAIN, False),
        (504, OrderStatus.UNCERTAIN, False),
        (404, OrderStatus.UNCERTAIN, True),  # it reached a server: in doubt, and the run stops
        (301, OrderStatus.UNCERTAIN, True),
    ],
)
@responses.activate
def test_http_errors(
    client: JustClickClient, http_status: int, status: OrderStatus, stops: bool
) -> None:
    responses.post(URL + "CreateOrder", status=http_status, body="<html>busy</html>")
    outcome = client.create_order(PARAMS)
    assert outcome.status is status
    assert bool(outcome.stop) is stops


@responses.activate
def test_a_page_that_is_not_json_is_uncertain(client: JustClickClient) -> None:
    responses.post(URL + "CreateOrder", body="<html>Wi-Fi login</html>")
    assert client.create_order(PARAMS).status is OrderStatus.UNCERTAIN


@responses.activate
def test_a_read_timeout_is_uncertain(client: JustClickClient) -> None:
    responses.post(URL + "CreateOrder", body=requests.ReadTimeout("slow"))
    assert client.create_order(PARAMS).status is OrderStatus.UNCERTAIN


def test_a_refused_connection_failed_for_certain() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = JustClickClient(f"http://127.0.0.1:{port}/api/", "shop", Secret(SECRET))
    outcome = refused.create_order(PARAMS)
    assert outcome.status is OrderStatus.FAILED
    assert "could not connect" in outcome.error_text


@responses.activate
def test_the_body_is_the_signed_query_and_carries_no_secret(client: JustClickClient) -> None:
    responses.post(URL + "CreateOrder", body=answer(0, "Order created", {"bill_id": 1}))
    client.create_order(PARAMS)
    sent = responses.calls[0].request
    body = sent.body.decode() if isinstance(sent.body, bytes) else str(sent.body)
    assert body.startswith(
        "goods%5B0%5D%5Bgood_name%5D=kurs_python&bill_email=a%40example.com&hash="
    )
    assert SECRET not in body
    assert sent.headers["Content-Type"].startswith("application/x-www-form-urlencoded")


def test_the_secret_never_shows_in_a_repr() -> None:
    secret = Secret(SECRET)
    client = JustClickClient(URL, "shop", secret)
    assert SECRET not in repr(secret) + str(secret) + repr(client)
    assert secret.reveal() == SECRET


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("3", 3.0), ("0.5", 0.5), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
     ("Wed, 21 Oct 2015 07:28:00 -0000", 0.0), ("soon", None), (None, None)],
)  # fmt: skip
def test_retry_after_in_seconds_or_as_a_date(header: str | None, seconds: float | None) -> None:
    assert _retry_after(header) == seconds


def test_the_environment_is_read_once_per_session_not_per_request(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from justclick_import.api.transport import make_session

    bundle = tmp_path / "company-ca.pem"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "shop-without-proxy.example")
    session = make_session(True, "https://myshop.justclick.io/api/")
    assert not session.trust_env  # no netrc or proxy lookups on each request
    assert session.verify == str(bundle)
    assert session.proxies.get("https") == "http://proxy.example:3128"
    assert make_session("own.pem", "https://x.example/").verify == "own.pem"  # given wins
    assert make_session(True, "https://shop-without-proxy.example/api/").proxies == {}
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    assert make_session(True, "https://myshop.justclick.io/api/").verify is True
