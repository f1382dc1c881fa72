"""The admin page in headless Chromium against a real `qa serve`: upload an MFA page saved from the browser,
correct a speaker in the preview, store, rebuild once, and the chat answers with the corrected speaker — still
after `qa build --force`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile

import pytest

from qa.index.build import build_index
from qa.index.embedding import load_embedder

from .conftest import BRIEFING, ROOT, SAMPLES
from .test_browser import CHROMEDRIVER, CHROMIUM, _ask, _free_port, browser  # noqa: F401  (browser is a fixture)

TOKEN = "admin-token-for-the-browser-test"
UPLOAD = SAMPLES / "imports" / "mfa-qa.html"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                       reason="no chromium + chromedriver: apt-get install chromium chromium-driver (scripts/test does in CI)"),
]


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("admin-corpus")
    shutil.copy(BRIEFING, corpus)
    root = tmp_path_factory.mktemp("admin-index")
    build_index([corpus], root, embedder=load_embedder("e5"))
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "QA_ADMIN_TOKEN": TOKEN, "QA_TRANSCRIPTS_DIR": str(corpus)}
    log_path = tmp_path_factory.mktemp("admin-log") / "server.log"
    log = open(log_path, "wb")
    process = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--index", str(root), "--host", "127.0.0.1",
                                "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
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
    yield base, corpus, root
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def _speaker_for(browser, base: str, question: str) -> str:
    from selenium.webdriver.common.by import By

    browser.get(base + "/")
    browser.execute_script("window.localStorage.clear()")
    browser.get(base + "/")
    exchange = _ask(browser, question, 0)
    return exchange.find_element(By.CSS_SELECTOR, ".answer.primary .speaker-name").text


def test_upload_correct_store_rebuild_and_ask(admin_server, browser, save_screenshot):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    base, corpus, root = admin_server
    wait = WebDriverWait(browser, 60)
    browser.get(base + "/admin")
    assert not browser.find_element(By.ID, "workspace").is_displayed()  # nothing without the token
    browser.find_element(By.ID, "token").send_keys("wrong-token-wrong-token")
    browser.find_element(By.CSS_SELECTOR, "#token-form button[type=submit]").click()
    wait.until(lambda d: d.find_element(By.ID, "error").is_displayed())
    assert "bearer token" in browser.find_element(By.ID, "error").text
    browser.find_element(By.ID, "token").send_keys(TOKEN)
    browser.find_element(By.CSS_SELECTOR, "#token-form button[type=submit]").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#listing tbody tr"))
    assert browser.execute_script("return sessionStorage.getItem('qa-admin-token')") == TOKEN
    assert browser.execute_script("return localStorage.getItem('qa-admin-token')") is None

    bad = corpus.parent / "photos.docx"  # a ZIP of something else, renamed: refused in one line, nothing stored
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("img/1.jpg", b"\xff\xd8jpeg")
    browser.find_element(By.ID, "file").send_keys(str(bad))
    wait.until(lambda d: "not a Word document" in d.find_element(By.ID, "error").text)
    assert "photos.docx" in browser.find_element(By.ID, "error").text
    assert sorted(p.name for p in corpus.iterdir()) == [BRIEFING.name]

    browser.find_element(By.ID, "file").send_keys(str(UPLOAD))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#exchanges li[data-exchange='1'] .speaker-input"))
    names = "return [...document.querySelectorAll('.speaker-input')].map(e => e.value)"
    wait.until(lambda d: set(d.execute_script(names)) == {"洪磊"})
    time.sleep(0.3)
    field = browser.find_element(By.CSS_SELECTOR, "#exchanges li[data-exchange='1'] .speaker-input")
    field.send_keys(Keys.CONTROL, "a")  # (clear() would fire a change event of its own)
    field.send_keys("华春莹", Keys.TAB)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#exchanges li[data-exchange='1'] .badge.editor"))
    browser.execute_script("window.scrollTo(0, 0)")
    save_screenshot(browser, "screenshot-admin.png")

    browser.find_element(By.ID, "store").click()
    wait.until(lambda d: "Stored as" in d.find_element(By.ID, "status").text)
    browser.find_element(By.ID, "rebuild").click()
    wait.until(lambda d: d.find_element(By.ID, "progress-text").get_attribute("data-state") == "done")
    assert "1 embedded" in browser.find_element(By.ID, "progress-text").text
    assert list(corpus.glob("mfa-qa-*.html.speakers.toml"))
    time.sleep(1.2)  # the server looks for a new build once a second

    corrected = "日本首相近日就历史问题发表讲话，中方对此有何评论？"
    assert _speaker_for(browser, base, corrected) == "华春莹"
    assert _speaker_for(browser, base, "美国国务院人权报告指责中国，中方如何回应？") == "洪磊"

    env = {**os.environ, "QA_TRANSCRIPTS_DIR": str(corpus)}
    done = subprocess.run([sys.executable, "-m", "qa.cli", "build", "--force", "--quiet", "--index", str(root), str(corpus)],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    time.sleep(1.2)
    assert _speaker_for(browser, base, corrected) == "华春莹"
