"""The real thing: `qa serve` on 127.0.0.1 and the chat in headless Debian Chromium, driven by Selenium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from qa.index.build import build_index
from qa.index.embedding import load_embedder

from .conftest import BRIEFING

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
XSS = "<img src=x onerror=alert(1)>"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                       reason="no chromium + chromedriver: apt-get install chromium chromium-driver (scripts/test does in CI)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("browser-corpus")
    shutil.copy(BRIEFING, corpus)
    (corpus / "xss.md").write_text(f"**记者：**{XSS} 这是一个测试问题吗？\n\n**某部部长 王明：**<script>alert(2)</script>这是测试回答。\n",
                                   encoding="utf-8")
    root = tmp_path_factory.mktemp("browser-index")
    build_index([corpus], root, embedder=load_embedder("e5"))
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    log_path = tmp_path_factory.mktemp("server-log") / "server.log"
    log = open(log_path, "wb")
    process = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--index", str(root), "--host", "127.0.0.1",
                                "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        log.close()
        pytest.fail("server did not start: " + log_path.read_text(errors="replace")[-2000:])
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1200,900", f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _ask(driver, question: str, exchanges_before: int):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    box = driver.find_element(By.ID, "question")
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    wait = WebDriverWait(driver, 30)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".exchange")) > exchanges_before)
    wait.until(ec.invisibility_of_element_located((By.CSS_SELECTOR, ".bubble.pending")))
    return driver.find_elements(By.CSS_SELECTOR, ".exchange")[-1]


def test_chat_answers_in_both_languages_and_cites_lines(server, browser, save_screenshot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/")
    browser.execute_script("window.localStorage.clear()")
    browser.get(server + "/")
    assert browser.switch_to.active_element.get_attribute("id") == "question"  # keyboard users start typing at once
    assert browser.find_element(By.ID, "examples").is_displayed()
    WebDriverWait(browser, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#speaker option")) > 1)

    chinese = _ask(browser, "2023年银行业发放的知识产权质押贷款有多少？", 0)
    assert chinese.find_element(By.CSS_SELECTOR, ".answer.primary .speaker-name").text == "杜墨"
    assert "接近2000亿元" in chinese.find_element(By.CSS_SELECTOR, ".answer.primary .highlight").text

    english = _ask(browser, "How much IP insurance coverage was provided during the campaign?", 1)
    assert english.find_element(By.CSS_SELECTOR, ".answer.primary .speaker-name").text == "Hu Wenhui (胡文辉)"  # pinyin first for an English question
    save_screenshot(browser, "screenshot-chat.png")

    browser.refresh()
    WebDriverWait(browser, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".exchange")) == 2)

    link = browser.find_elements(By.CSS_SELECTOR, ".exchange")[0].find_element(By.CSS_SELECTOR, ".answer.primary a.citation")
    assert "#L129-L149&H" in link.get_attribute("href")
    link.click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".line.marked"))
    marked = [e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, ".line.marked")]
    assert marked[0] == "L129" and marked[-1] == "L149" and len(marked) == 11  # blank lines are not rendered
    tag = browser.find_element(By.CSS_SELECTOR, ".turn-tags:has(+ #L129) .speaker-tag").text
    assert "杜墨" in tag


def test_xss_payloads_stay_text(server, browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    before = len(browser.find_elements(By.CSS_SELECTOR, ".exchange"))
    exchange = _ask(browser, XSS, before)
    assert exchange.find_element(By.CSS_SELECTOR, ".bubble.user").text == XSS
    assert browser.find_elements(By.CSS_SELECTOR, "#conversation img") == []
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    browser.get(server + "/transcripts/xss")
    assert XSS in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_elements(By.CSS_SELECTOR, "main img, main script") == []
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text


def test_phone_width_has_no_sideways_scroll(server, browser):
    browser.set_window_size(390, 844)
    try:
        browser.get(server + "/")
        width = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1]
    finally:
        browser.set_window_size(1200, 900)
