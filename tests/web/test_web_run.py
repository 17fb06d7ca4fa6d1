"""A run seen from the page: live progress, Cancel, a reload and a second tab, a try of 3 first."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from web_steps import choose_demo_shop, screenshot, upload, wait_for_results

from justclick_import.web.server import WebServer

ORDERS = 40


def _many_orders(tmp_path: Path) -> Path:
    path = tmp_path / "many.csv"
    lines = ["bill_email,good_name,good_sum"]
    lines += [f"buyer{n}@example.ru,kurs_python,1500" for n in range(ORDERS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _start_slow_run(page: Any, web: WebServer, tmp_path: Path) -> None:
    web.sandbox.set_latency(0.4)
    upload(page, web.base_url, _many_orders(tmp_path))
    page.goto(f"{web.base_url}/shop")
    choose_demo_shop(page)
    page.click("[data-testid=send]")
    page.wait_for_url(re.compile(r"/send$"))


def _done(page: Any) -> int:
    return int(page.get_attribute("[data-testid=progress]", "data-done") or 0)


def test_cancel_sends_no_new_order_and_the_results_say_what_was_sent(
    page: Any, web: WebServer, tmp_path: Path
) -> None:
    _start_slow_run(page, web, tmp_path)
    progress = page.locator("[data-testid=progress]")
    assert progress.get_attribute("data-total") in ("0", str(ORDERS))
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=progress]').dataset.done) >= 2"
    )
    assert progress.get_attribute("data-total") == str(ORDERS)
    screenshot(page, "5-send-progress")
    page.click("[data-testid=cancel]")
    wait_for_results(page)
    created = page.locator("[data-testid=result-orders] tr[data-status=created]").count()
    not_sent = page.locator("[data-testid=result-orders] tr[data-status=not_sent]").count()
    assert 2 <= created < ORDERS
    assert created + not_sent == ORDERS
    assert len(web.sandbox.orders()) == created  # nothing in the shop the page does not show
    assert "отменена" in page.inner_text("[data-testid=stopped]")


def test_a_reload_and_a_second_tab_show_the_same_run_and_never_start_another(
    page: Any, web: WebServer, tmp_path: Path
) -> None:
    second = page.context.new_page()  # the same browser: the same session
    second.goto(f"{web.base_url}/upload")
    _start_slow_run(page, web, tmp_path)
    # The second tab opened Send before the run began: its form is for "run 1" too.
    second.goto(f"{web.base_url}/send")
    assert second.get_attribute("[data-testid=progress]", "data-run") == "1"
    assert second.locator("[data-testid=send]").count() == 0  # no way to start one now
    page.reload()
    assert page.get_attribute("[data-testid=progress]", "data-run") == "1"
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=progress]').dataset.done) >= 1"
    )
    before = _done(page)
    page.reload()
    assert _done(page) >= before  # the same run, further on
    # A form left from before the run (a double click, a stale tab) starts nothing.
    answer = page.request.post(
        f"{web.base_url}/send?csrf={web_csrf(page)}",
        form={"seen": "0", "mode": "all"},
        headers={"origin": web.base_url},
    )
    assert answer.ok
    wait_for_results(page)
    assert web.workspace is not None and web.workspace.runs_started == 1
    assert page.locator("tr[data-status=created]").count() == ORDERS
    assert len(web.sandbox.orders()) == ORDERS
    second.close()


def web_csrf(page: Any) -> str:
    """The CSRF token the page's own forms carry."""
    action = page.get_attribute("form[action*='csrf=']", "action") or ""
    return action.split("csrf=", 1)[1]


def test_a_try_of_3_orders_first_then_all_sends_each_order_once(
    page: Any, web: WebServer, samples: Path
) -> None:
    upload(page, web.base_url, samples / "orders.xlsx")
    page.goto(f"{web.base_url}/shop")
    choose_demo_shop(page)
    page.click("[data-testid=send-trial]")
    wait_for_results(page)
    assert page.locator("[data-testid=result-orders] tbody tr").count() == 3
    assert page.locator("tr[data-status=created]").count() == 3
    links = page.locator("[data-testid=result-orders] tbody tr td a").all_inner_texts()
    assert len(links) == 3 and all(link.startswith("http") for link in links)
    page.click("[data-testid=send-again]")
    page.click("[data-testid=send]")
    wait_for_results(page)
    assert page.locator("tr[data-status=created]").count() == 9
    assert page.locator("tr[data-status=skipped]").count() == 3
    assert len(web.sandbox.orders()) == 12
