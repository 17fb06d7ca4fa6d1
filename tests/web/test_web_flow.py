"""The web page in a real browser: the whole import, fixing problems, the shop, the history."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
from web_steps import choose_demo_shop, go_on, screenshot, upload, wait_for_results

from justclick_import.web.server import WebServer


def test_a_new_user_imports_the_sample_into_the_demo_shop_and_downloads_the_results(
    page: Any, web: WebServer, samples: Path, tmp_path: Path
) -> None:
    upload_step = page.locator("input[type=file][data-testid=upload]")
    assert upload_step.count() == 1
    assert "Выберите файл с заказами" in page.inner_text("h1")
    screenshot(page, "1-upload")
    upload(page, web.base_url, samples / "orders.xlsx")
    mapping = page.locator("[data-testid=mapping]")
    assert mapping.locator("tbody tr").count() == 18
    assert mapping.locator("tr[data-header=bill_email] select").input_value() == "bill_email"
    screenshot(page, "2-columns")
    go_on(page, "problems")
    assert page.locator("[data-testid=no-problems]").is_visible()
    screenshot(page, "3-problems")
    go_on(page, "shop")
    screenshot(page, "4-shop")
    choose_demo_shop(page)
    assert page.get_attribute("[data-testid=ready]", "data-ready") == "12"
    screenshot(page, "5-send")
    page.click("[data-testid=send]")
    wait_for_results(page)
    rows = page.locator("[data-testid=result-orders] tbody tr")
    assert rows.count() == 12
    assert page.locator("[data-testid=result-orders] tr[data-status=created]").count() == 12
    bills = [int(text) for text in rows.locator("td[data-field=bill]").all_inner_texts()]
    assert sorted(bills) == list(range(1001, 1013))
    assert page.inner_text("[data-testid=headline] dd[data-count=created]") == "12"
    said = page.inner_text("[data-testid=headline-text]")
    assert said.startswith("Создано заказов: 12 из 12 — ")  # as the terminal and the workbook
    screenshot(page, "6-results")
    with page.expect_download() as download:
        page.click("a[data-testid=download-results]")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "orders.results.xlsx"
    book = openpyxl.load_workbook(saved, read_only=True)  # in the page's language: Russian
    assert next(book["Summary"].iter_rows(values_only=True))[0] == said
    orders = list(book["Orders"].iter_rows(values_only=True))
    header = orders[0]
    statuses = [line[header.index("статус")] for line in orders[1:]]
    assert statuses == ["создан"] * 12
    assert len(web.sandbox.orders()) == 12  # in the shop, once each
    page.goto(f"{web.base_url}/history")
    assert page.get_attribute("[data-testid=runs-demo] tbody tr", "data-created") == "12"
    screenshot(page, "7-history")


def _bad_cells_csv(tmp_path: Path, samples: Path) -> Path:
    path = tmp_path / "bad-cells.csv"
    path.write_bytes((samples / "bad-cells.csv").read_bytes())
    return path


def test_bad_cells_are_highlighted_fixed_in_the_page_and_the_fixed_order_sent_next(
    page: Any, web: WebServer, samples: Path, tmp_path: Path
) -> None:
    upload(page, web.base_url, _bad_cells_csv(tmp_path, samples))
    go_on(page, "problems")
    table = page.locator("[data-testid=problems]")
    assert table.get_attribute("data-count") == "7"
    bad = table.locator("td.bad")
    assert sorted(bad.evaluate_all("cells => cells.map(c => c.dataset.problem)")) == sorted(
        [
            "bad-email",
            "bad-domain",
            "bad-ip",
            "bad-product",
            "affiliate-without-source",
            "missing-product",
            "domain-scheme-removed",
        ]
    )
    assert table.locator("tr[data-row='3'] td.bad[data-problem=bad-email] input").count() == 1
    messages = table.locator("tr[data-row='3'] td.messages").inner_text()
    assert "не адрес электронной почты" in messages
    screenshot(page, "3-problems-bad-cells")
    # The filter by code shows only that code's rows.
    page.click("[data-testid=problem-codes] a[data-code=bad-ip]")
    assert page.locator("[data-testid=problems] tbody tr").count() == 1
    page.click("[data-testid=problem-codes] a >> nth=0")
    # First sending: the two ready orders.
    page.goto(f"{web.base_url}/shop")
    choose_demo_shop(page)
    page.click("[data-testid=send]")
    wait_for_results(page)
    assert page.locator("tr[data-status=created]").count() == 2
    assert page.locator("tr[data-status=invalid]").count() == 4
    # Fix the e-mail of row 3 in the page, check again: one problem fewer.
    page.goto(f"{web.base_url}/problems")
    email = page.locator("tr[data-row='3'] td.bad[data-problem=bad-email] input")
    email.fill("b@example.ru")
    page.click("[data-testid=check]")
    page.wait_for_url(re.compile(r"/problems$"))
    assert page.get_attribute("[data-testid=problems]", "data-count") == "6"
    assert page.locator("tr[data-row='3']").count() == 0
    with page.expect_download() as download:
        page.click("[data-testid=download-corrected]")
    fixed = tmp_path / "fixed" / download.value.suggested_filename
    download.value.save_as(fixed)
    assert fixed.name == "bad-cells.xlsx"  # named as the import: the same import again
    sheet = openpyxl.load_workbook(fixed).active
    assert sheet["A3"].value == "b@example.ru"
    assert sheet["A2"].value == "  user@почта.рф  "  # the rest exactly as read
    # Second sending: the fixed order is created, the two before are not sent again.
    page.goto(f"{web.base_url}/send")
    page.click("[data-testid=send]")
    wait_for_results(page)
    assert page.locator("tr[data-status=created]").count() == 1
    assert page.locator("tr[data-status=skipped]").count() == 2
    emails = sorted(order.params["bill_email"] for order in web.sandbox.orders())
    assert emails == ["b@example.ru", "e@example.ru", "user@почта.рф"]


def test_the_page_speaks_the_browsers_language_and_switches(browser: Any, web: WebServer) -> None:
    context = browser.new_context(locale="en-US")
    tab = context.new_page()
    tab.goto(web.url)
    assert tab.inner_text("h1") == "Choose the file with your orders"
    tab.click("[data-testid=lang-ru]")
    tab.wait_for_url(re.compile(r"/upload$"))
    assert tab.inner_text("h1") == "Выберите файл с заказами"
    tab.click("[data-testid=lang-en]")
    assert tab.inner_text("h1") == "Choose the file with your orders"
    context.close()


def test_check_the_connection_says_whether_the_login_and_secret_work(
    page: Any, web: WebServer, samples: Path
) -> None:
    upload(page, web.base_url, samples / "orders.csv")
    page.goto(f"{web.base_url}/shop")
    sandbox = web.sandbox
    page.fill("[data-testid=login]", sandbox.login)
    page.fill("[data-testid=secret]", "not-the-secret")
    page.fill("[data-testid=api-url]", sandbox.url)
    page.click("[data-testid=check-connection]")
    verdict = page.locator("[data-testid=connection]")
    assert verdict.get_attribute("data-ok") == "0"
    assert "логин и секрет" in verdict.inner_text()
    page.fill("[data-testid=secret]", sandbox.secret)
    page.click("[data-testid=check-connection]")
    assert page.get_attribute("[data-testid=connection]", "data-ok") == "1"
    html = page.content()
    assert sandbox.secret not in html and "not-the-secret" not in html
    assert page.locator("[data-testid=secret-kept]").is_visible()
    assert page.input_value("[data-testid=secret]") == ""
    # Kept in memory: going on without typing it again sends with it.
    page.click("[data-testid=use-shop]")
    page.wait_for_url(re.compile(r"/send$"))
    page.click("[data-testid=send]")
    wait_for_results(page)
    assert page.locator("tr[data-status=created]").count() == 12
    assert sandbox.call_counts()["GetBills"] >= 2  # the checks, nothing else changed


def test_a_run_is_undone_from_the_history_after_a_confirmation_with_its_count(
    page: Any, web: WebServer, samples: Path
) -> None:
    upload(page, web.base_url, samples / "orders.xlsx")
    page.goto(f"{web.base_url}/shop")
    choose_demo_shop(page)
    page.click("[data-testid=send]")
    wait_for_results(page)
    page.goto(f"{web.base_url}/history")
    page.click("[data-testid=runs-demo] [data-testid=undo]")
    question = page.locator("[data-testid=undo-question]")
    assert question.get_attribute("data-count") == "12"
    assert {order.status for order in web.sandbox.orders()} == {"waiting"}  # nothing yet
    page.click("[data-testid=confirm-undo]")
    assert page.locator("[data-testid=undone]").is_visible()
    assert {order.status for order in web.sandbox.orders()} == {"cancel"}


def test_an_order_left_in_doubt_is_told_and_found_again_from_the_history(
    page: Any, web: WebServer, samples: Path
) -> None:
    upload(page, web.base_url, samples / "orders.xlsx")
    page.goto(f"{web.base_url}/shop")
    choose_demo_shop(page)
    web.sandbox.wrong_hash_next(1)  # created, but the answer cannot be trusted
    page.click("[data-testid=send]")
    wait_for_results(page)
    assert page.locator("tr[data-status=uncertain]").count() == 1
    assert page.locator("tr[data-status=created]").count() == 11
    assert "под вопросом" in page.inner_text("[data-testid=next-steps]")
    page.goto(f"{web.base_url}/history")
    page.click("[data-testid=reconcile]")
    found = page.locator("[data-testid=reconciled]")
    assert found.get_attribute("data-found") == "1"
    assert found.get_attribute("data-left") == "0"
    page.goto(f"{web.base_url}/send")
    page.click("[data-testid=send]")
    wait_for_results(page)
    assert page.locator("tr[data-status=skipped]").count() == 12
    assert len(web.sandbox.orders()) == 12  # the one in doubt was never sent twice
