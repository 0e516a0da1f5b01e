"""The web chat in a real browser: Debian's Chromium driven by Playwright (no browser download).

Screenshots go to test-artifacts/web/ (CIRCUITSMITH_ARTIFACTS moves it).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.webserver import running_server

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (make install adds it)")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make install adds it as root)")
ARTIFACTS = Path(os.environ.get("CIRCUITSMITH_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts")) / "web"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("web-browser")
    with running_server(data) as base:
        yield base, data


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    p = ctx.new_page()
    yield p
    ctx.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def send(page, text: str) -> None:
    page.fill("#request", text)
    page.click("#send")
    page.wait_for_function("() => document.getElementById('send').disabled === false && "
                           "document.querySelectorAll('#stages li').length >= 5", timeout=180_000)


def test_design_edit_download_and_resume(site, page):
    base, _ = site
    page.goto(base + "/")
    send(page, "Blink an LED with a button on an Arduino Uno")
    stages = page.locator("#stages li").all_inner_texts()
    assert any("identifying parts" in s for s in stages) and any("drawing and exporting" in s for s in stages)
    assert page.inner_text("#verdict").startswith("PASS")
    page.wait_for_function("() => document.getElementById('schematic').complete && "
                           "document.getElementById('schematic').naturalWidth > 100")
    first_src = page.get_attribute("#schematic", "src")
    assert "led" in page.inner_text("#bom").lower()
    shot(page, "01-first-design")

    send(page, "add a buzzer")
    assert "buzzer" in page.inner_text("#bom").lower()
    assert page.get_attribute("#schematic", "src") != first_src
    shot(page, "02-after-edit")

    with page.expect_download() as dl:
        page.click("#downloads a:text-is('bom.csv')")
    text = Path(dl.value.path()).read_text()
    assert text.startswith("designators,") and "buzzer" in text

    url = page.url
    assert "#" in url
    page.reload()
    page.wait_for_function("() => document.querySelectorAll('#chat .msg.user').length >= 2")
    users = page.locator("#chat .msg.user").all_inner_texts()
    assert users[:2] == ["Blink an LED with a button on an Arduino Uno", "add a buzzer"]
    assert "buzzer" in page.inner_text("#bom").lower()
    assert page.locator("#threads li.current").count() == 1
    shot(page, "03-after-reload")


def test_hostile_request_text_is_shown_not_run(site, page):
    base, _ = site
    page.goto(base + "/")
    hostile = "LED on an Arduino Uno <script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"
    send(page, hostile)
    assert page.evaluate("() => window.__pwned") is None
    assert hostile in page.locator("#chat .msg.user").first.inner_text()
    assert page.locator("#chat script, #chat img").count() == 0


def test_datasheet_upload_shows_parameters_with_source(site, page, shared_dir):
    base, _ = site
    pdf = shared_dir / "datasets" / "datasheets" / "pdfs" / "1N4148__vishay_turicas.pdf"
    page.goto(base + "/")
    page.click("#tab-datasheet")
    page.set_input_files("#ds-file", str(pdf))
    page.click("#ds-send")
    page.wait_for_function("() => document.querySelectorAll('#ds-params tr').length > 3", timeout=180_000)
    rows = page.locator("#ds-params tr").all_inner_texts()
    assert any(re.search(r"VRRM\s+100\s+V", r) for r in rows), rows[:5]
    assert page.locator("#ds-files a").count() >= 1
    shot(page, "04-datasheet")


def test_sizing_request_shows_values_and_plot(site, page):
    base, _ = site
    page.goto(base + "/")
    page.click("#tab-sizing")
    page.fill("#size-text", "non-inverting amplifier with a gain of 11 using an LM358 at 5 V")
    page.click("#size-send")
    page.wait_for_function("() => document.getElementById('size-report').textContent.length > 50", timeout=180_000)
    status = page.inner_text("#size-status")
    assert status.startswith("met") and "=" in status, status
    page.wait_for_function("() => !document.getElementById('size-plot').classList.contains('hidden') && "
                           "document.getElementById('size-plot').naturalWidth > 50", timeout=30_000)
    shot(page, "05-sizing")
