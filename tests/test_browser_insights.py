"""The insights page in real headless Chromium against a real `qa serve`: token form, tables, the votes-per-day
chart drawn by its own script under the CSP, and a question someone typed staying text. Takes the README screenshot
(QA_SCREENSHOTS=1 writes it to docs/)."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

from qa.index.build import build_index
from qa.index.embedding import load_embedder
from qa.feedback import migrate

from .conftest import BRIEFING, ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
TOKEN = "insights-admin-token-0123456789"
T = "2026-03-23-scio-patent-conversion"
XSS = "<img src=x onerror=alert(1)>"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="no chromium + chromedriver (scripts/test installs them in CI)"),
]


def seed_past_votes(path, days: int = 30, seed: int = 3) -> int:
    """Votes over the past month, as a month of readers would leave them: the chart has something to draw."""
    rng = random.Random(seed)
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db)
    now, count = time.time(), 0
    speakers = {1: "胡文辉", 2: "周大旺", 4: "魏巍", 5: "杜墨", 9: "韩爱朋"}
    for day in range(1, days):
        for _ in range(rng.randint(0, 6)):
            exchange = rng.choice(list(speakers))
            vote = rng.choices(["up", "down", "wrong_speaker"], [6, 2, 1])[0]
            db.execute("INSERT INTO feedback (created_at, question, transcript_id, exchange, speaker, vote) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (now - day * 86400, "seeded", T, exchange, speakers[exchange], vote))
            count += 1
    db.close()
    return count


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("insights-corpus")
    shutil.copy(BRIEFING, corpus)
    root = tmp_path_factory.mktemp("insights-index")
    build_index([corpus], root, embedder=load_embedder("e5"), show_progress=False)
    database = tmp_path_factory.mktemp("insights-db") / "feedback.sqlite3"
    seed_past_votes(database)
    port = _free_port()
    env = {**os.environ, "QA_ADMIN_TOKEN": TOKEN, "QA_FEEDBACK_DB": str(database), "QA_RATE_LIMIT": "0"}
    process = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--index", str(root), "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    sys.path.insert(0, str(ROOT / "scripts"))
    from _server import wait_healthy

    try:
        wait_healthy(port)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(base: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(base + path, data=json.dumps(body, ensure_ascii=False).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1200,1700", f"--user-data-dir={tmp_path_factory.mktemp('chromium-insights')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_insights_page_shows_what_people_ask_and_flag(server, browser, save_screenshot):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    asked = ["2023年银行业发放的知识产权质押贷款有多少？", "2023年银行业发放的知识产权质押贷款有多少？",
             "How much IP insurance coverage was provided during the campaign?", "明天北京天气怎么样？",
             "明天天气怎么样？", "What is the weather tomorrow in Beijing?", "今年的高考分数线是多少？", XSS]
    for question in asked:
        _post(server, "/ask", {"question": question})
    for body in ({"vote": "down", "comment": "数字应为2979亿元？"}, {"vote": "wrong_speaker", "comment": XSS},
                 {"vote": "up"}):
        _post(server, "/feedback", {"question": asked[0], "answer": {"transcript_id": T, "exchange": 5}, **body})

    browser.get(server + "/admin/insights")
    browser.execute_script("window.sessionStorage.clear()")
    browser.get(server + "/admin/insights")
    assert browser.find_element(By.ID, "figures").is_displayed() is False
    token = browser.find_element(By.ID, "token")
    token.send_keys("wrong-token-wrong-token")
    browser.find_element(By.ID, "load").click()
    WebDriverWait(browser, 10).until(lambda d: "token" in d.find_element(By.ID, "status").text.lower())
    token.clear()
    token.send_keys(TOKEN)
    browser.find_element(By.ID, "load").click()
    WebDriverWait(browser, 15).until(lambda d: d.find_element(By.ID, "figures").is_displayed())

    bars = browser.find_elements(By.CSS_SELECTOR, "#chart svg rect")
    assert len(bars) >= 10  # the seeded month and today, drawn by insights.js
    first_unanswered = browser.find_element(By.CSS_SELECTOR, "#unanswered tbody tr")
    assert "天气" in first_unanswered.text or "weather" in first_unanswered.text.lower()
    most_asked = browser.find_element(By.CSS_SELECTOR, "#most-asked tbody tr")
    assert most_asked.find_element(By.CSS_SELECTOR, "td.n").text == "2" and "质押贷款" in most_asked.text
    flagged = browser.find_element(By.CSS_SELECTOR, "#flagged tbody tr")
    assert "杜墨" in flagged.text and "数字应为2979亿元" in flagged.text
    page = browser.find_element(By.ID, "main").text
    assert XSS in page and browser.find_elements(By.CSS_SELECTOR, "#main img") == []
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    save_screenshot(browser, "screenshot-insights.png")

    browser.refresh()  # the token is remembered for this tab only
    WebDriverWait(browser, 15).until(lambda d: d.find_element(By.ID, "figures").is_displayed())
