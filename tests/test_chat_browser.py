"""The chat, the transcript page and /docs in real headless Chromium: layout at desktop and phone widths, focus,
what screen readers hear, Clear and undo, filters, English readers, highlights, and axe-core's verdict."""

from __future__ import annotations

import json
import time

import pytest

from .conftest import ROOT
from .test_browser import browser, server  # noqa: F401  (fixtures: the real server and Chromium)

pytestmark = [pytest.mark.slow]

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
DESKTOP, PHONE = (1200, 900), (390, 844)
FIVE = ["知识产权质押贷款累计发放了多少？", "What did Du Mo say?", "How many trademarks were registered in 2025?",
        "教育部怎样推动高校专利转化？", "一产业一团队指的是什么？"]

REPLY_GEOMETRY = """
const replies = document.querySelectorAll('.exchange .bubble.reply');
const reply = replies[replies.length - 1].getBoundingClientRect();
const bar = document.getElementById('ask-form').getBoundingClientRect();
const focus = document.activeElement.getBoundingClientRect();
const inBar = document.getElementById('ask-form').contains(document.activeElement);
return {top: reply.top, bottom: reply.bottom, barTop: bar.top, height: innerHeight, inBar: inBar,
        focusTop: focus.top, focusBottom: focus.bottom, focusWidth: focus.width,
        outline: getComputedStyle(document.activeElement).outlineStyle};
"""


def _fresh(browser, server, size=DESKTOP):  # noqa: F811
    browser.set_window_size(*size)
    browser.get(server + "/")
    browser.execute_script("window.localStorage.clear()")
    browser.get(server + "/")


def _wait(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def _ask(browser, question):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    before = len(browser.find_elements(By.CSS_SELECTOR, ".exchange"))
    box = browser.find_element(By.ID, "question")
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    _wait(lambda: len(browser.find_elements(By.CSS_SELECTOR, ".exchange")) > before
          and not browser.find_elements(By.CSS_SELECTOR, ".bubble.pending"))
    time.sleep(0.1)  # the scroll after rendering
    return browser.find_elements(By.CSS_SELECTOR, ".exchange")[-1]


def _axe(browser):  # noqa: F811
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)))"
        ".catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));")
    violations = json.loads(result)
    return [(v["id"], v["impact"], v["help"], [n.get("target") for n in v["nodes"]][:3]) for v in violations
            if v.get("impact") in ("moderate", "serious", "critical")]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_five_questions_last_reply_wholly_above_the_ask_bar_and_focus_visible(server, browser, size):  # noqa: F811
    _fresh(browser, server, size)
    for question in FIVE:
        _ask(browser, question)
        g = browser.execute_script(REPLY_GEOMETRY)
        room = g["barTop"]
        if g["bottom"] - g["top"] <= room:
            assert g["top"] >= 0 and g["bottom"] <= g["barTop"] + 0.5, (question, g)
        else:  # taller than the screen: its beginning is shown, not hidden under the bar
            assert 0 <= g["top"] < g["barTop"], (question, g)
        assert g["focusWidth"] > 0 and g["focusTop"] >= 0 and g["focusBottom"] <= g["height"], (question, g)
        assert g["inBar"] or g["focusBottom"] <= g["barTop"], (question, g)
    # Tabbing through the answers never leaves focus under the bar (WCAG 2.2 SC 2.4.11).
    from selenium.webdriver.common.keys import Keys
    active = browser.switch_to.active_element
    for _ in range(12):
        active.send_keys(Keys.SHIFT, Keys.TAB)
        active = browser.switch_to.active_element
        g = browser.execute_script(REPLY_GEOMETRY)
        assert g["inBar"] or g["focusBottom"] <= g["barTop"] + 1, g
        assert g["outline"] != "none" or g["inBar"], g


def test_only_the_new_reply_is_announced(server, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    _fresh(browser, server)
    for question in FIVE[:3]:
        _ask(browser, question)
    conversation = browser.find_element(By.ID, "conversation")
    assert conversation.get_attribute("aria-live") is None
    _wait(lambda: browser.find_element(By.ID, "announcer").get_attribute("textContent"))
    announced = browser.find_element(By.ID, "announcer").get_attribute("textContent")
    assert "trademarks" not in announced and len(announced) < 400
    assert len(conversation.get_attribute("textContent")) > 3 * len(announced)


def test_clear_while_pending_does_not_bring_answers_back_and_undo_restores(server, browser):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _fresh(browser, server)
    _ask(browser, FIVE[0])
    box = browser.find_element(By.ID, "question")
    box.send_keys(FIVE[4])
    box.send_keys(Keys.ENTER)
    browser.find_element(By.ID, "clear").click()  # while the second question is pending
    time.sleep(2.0)
    assert browser.find_elements(By.CSS_SELECTOR, ".exchange") == []
    assert json.loads(browser.execute_script("return localStorage.getItem('briefing-qa-conversation-v1')")) == []
    browser.find_element(By.ID, "undo-button").click()
    _wait(lambda: len(browser.find_elements(By.CSS_SELECTOR, ".exchange")) == 2
          and not browser.find_elements(By.CSS_SELECTOR, ".bubble.pending"))
    assert "周大旺" in browser.find_elements(By.CSS_SELECTOR, ".exchange")[-1].text


def test_filters_shown_as_chips_kept_on_reload_and_transcript_filter(server, browser):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _fresh(browser, server)
    _wait(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#speaker option")) > 1)
    assert browser.find_element(By.ID, "transcript-filter").is_displayed()  # two transcripts in this index
    Select(browser.find_element(By.ID, "speaker")).select_by_value("杜墨")
    assert "杜墨" in browser.find_element(By.ID, "filters").text
    exchange = _ask(browser, "What did Du Mo say?")
    assert "Du Mo" in exchange.find_element(By.CSS_SELECTOR, ".filter-note").text
    assert "Du Mo" in exchange.find_element(By.CSS_SELECTOR, ".speaker-name").text
    browser.refresh()
    _wait(lambda: "杜墨" in browser.find_element(By.ID, "filters").text)
    assert Select(browser.find_element(By.ID, "speaker")).first_selected_option.get_attribute("value") == "杜墨"
    browser.find_element(By.CSS_SELECTOR, "#filters .chip-remove").click()
    assert not browser.find_element(By.ID, "filters").is_displayed()
    assert json.loads(browser.execute_script("return localStorage.getItem('briefing-qa-filters-v1')"))["speaker"] == ""


def test_english_reader_sees_pinyin_english_roles_and_lang(server, browser, save_screenshot):  # noqa: F811
    from selenium.webdriver.common.by import By

    _fresh(browser, server)
    exchange = _ask(browser, "What did the finance regulator say about IP pledge loans?")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    card = exchange.find_element(By.CSS_SELECTOR, ".answer.primary")
    assert card.find_element(By.CSS_SELECTOR, ".speaker-name").text.startswith("Du Mo")
    assert "Head of the Department of Laws and Regulations" in card.find_element(By.CSS_SELECTOR, ".speaker-role").text
    assert card.find_element(By.CSS_SELECTOR, ".highlight mark").get_attribute("lang") == "zh-CN"
    assert "Speaker identified by" in card.text and "Match" in card.text
    save_screenshot(browser, "screenshot-english.png")
    chinese = _ask(browser, "杜墨说了什么？")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert "杜墨的全部回答" in chinese.text
    assert chinese.find_elements(By.CSS_SELECTOR, ".score") == []  # a listing is not graded as a match


def test_transcript_page_lands_on_the_highlighted_sentence(server, browser, save_screenshot):  # noqa: F811
    from selenium.webdriver.common.by import By

    _fresh(browser, server, PHONE)
    exchange = _ask(browser, "2023年银行业发放的知识产权质押贷款有多少？")
    link = exchange.find_element(By.CSS_SELECTOR, ".answer.primary a.citation")
    href = link.get_attribute("href")
    assert "#L129-L149&H137-L137" in href
    browser.get(href)
    _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "mark.sentence"))
    mark = browser.find_element(By.CSS_SELECTOR, "mark.sentence")
    assert mark.text.startswith("其中，2023年") and "接近2000亿元" in mark.text
    box = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, innerHeight]", mark)
    assert 0 <= box[0] and box[1] <= box[2]
    assert [e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, ".line.highlighted")] == ["L137"]
    marked = [e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, ".line.marked")]
    assert marked[0] == "L129" and marked[-1] == "L149"
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "####" not in page and "**" not in page and "第5问" in page and "2026-03-23" in browser.find_element(By.TAG_NAME, "header").text
    save_screenshot(browser, "screenshot-transcript.png")
    browser.get(server + "/transcripts/2026-03-23-scio-patent-conversion#L129-L149")  # the old links still work
    _wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".line.marked"))


def test_docs_renders_the_ask_operation(server, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.set_window_size(*DESKTOP)
    browser.get(server + "/docs")
    _wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path[data-path='/ask']"))
    assert "Unable to render" not in browser.find_element(By.TAG_NAME, "body").text
    browser.find_elements(By.CSS_SELECTOR, ".opblock-post .opblock-summary")[0].click()
    _wait(lambda: "found" in browser.find_element(By.CSS_SELECTOR, ".opblock-post").text)


@pytest.mark.parametrize("page", ["chat", "transcript", "docs"])
def test_axe_finds_no_moderate_or_worse_violations(server, browser, page):  # noqa: F811
    from selenium.webdriver.common.by import By

    if page == "chat":
        _fresh(browser, server)
        _ask(browser, "What did Du Mo say?")
        _ask(browser, "How many trademarks were registered in 2025?")
        _ask(browser, "明年专利申请费会不会下调？")
    elif page == "transcript":
        browser.set_window_size(*DESKTOP)
        browser.get(server + "/transcripts/2026-03-23-scio-patent-conversion#L129-L149&H137-L137")
        _wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".line.highlighted"))
    else:
        browser.get(server + "/docs")
        _wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path[data-path='/ask']"))
    assert _axe(browser) == []


RECORD_FETCH = """
window.__asked = [];
const original = window.fetch;
window.fetch = (url, options) => {
  if (String(url).endsWith('/ask') && options && options.body) window.__asked.push(JSON.parse(options.body));
  return original(url, options);
};
"""


def test_follow_up_sends_history_and_degrades_without_it(server, browser):  # noqa: F811
    _fresh(browser, server)
    browser.execute_script(RECORD_FETCH)
    _ask(browser, "教育部怎样推动高校专利转化？")
    second = _ask(browser, "那工信部呢？")
    sent = browser.execute_script("return window.__asked")
    assert sent[0].get("history") is None  # nothing before the first question
    assert sent[1]["history"] == [{"question": "教育部怎样推动高校专利转化？",
                                   "answer": {"transcript_id": "2026-03-23-scio-patent-conversion", "exchange": 2}}]
    # A server that does not take history (422) is asked again without it; one that does answers the first time.
    from selenium.webdriver.common.by import By

    assert len(sent) == 2 or (len(sent) == 3 and "history" not in sent[2])
    assert "error" not in second.find_element(By.CSS_SELECTOR, ".bubble.reply").get_attribute("class")
    if len(sent) == 2:  # the service read it as a follow-up, and the reply says how
        assert "工信部" in second.find_element(By.CSS_SELECTOR, ".interpreted").text


def test_feedback_button_records_a_vote(server, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    _fresh(browser, server)
    exchange = _ask(browser, "知识产权质押贷款累计发放了多少？")
    exchange.find_element(By.CSS_SELECTOR, ".answer.primary .feedback button[data-vote='up']").click()
    _wait(lambda: exchange.find_element(By.CSS_SELECTOR, ".answer.primary .action-status").text)
    assert "反馈已记录" in exchange.find_element(By.CSS_SELECTOR, ".answer.primary .action-status").text


def test_permalink_reproduces_the_answer_and_citation_formats(server, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    _fresh(browser, server)
    exchange = _ask(browser, "What did the finance regulator say about IP pledge loans?")
    first = exchange.find_element(By.CSS_SELECTOR, ".answer.primary")
    speaker, cited = first.find_element(By.CSS_SELECTOR, ".speaker-name").text, first.find_element(By.CSS_SELECTOR, "a.citation").text
    answer = browser.execute_script(
        "return JSON.parse(localStorage.getItem('briefing-qa-conversation-v1')).pop().response.answers[0]")
    text = browser.execute_script("return window.citationFormats.text(arguments[0], 'en')", answer)
    markdown = browser.execute_script("return window.citationFormats.markdown(arguments[0], 'en')", answer)
    for part in ("Du Mo, Head of the Department of Laws and Regulations", "金融监管总局法规司负责人 杜墨", "2026-03-23",
                 "question 5", "lines 129–149", "highlight: lines 137–137", "#L129-L149&H137-L137"):
        assert part in text, part
    assert markdown.startswith("> 其中，2023年") and "**Du Mo" in markdown and "](http://" in markdown
    link = first.find_element(By.CSS_SELECTOR, "a.permalink").get_attribute("href")
    browser.execute_script("localStorage.clear()")
    browser.get(link)
    _wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".exchange .answer.primary"))
    again = browser.find_elements(By.CSS_SELECTOR, ".exchange")[-1].find_element(By.CSS_SELECTOR, ".answer.primary")
    assert again.find_element(By.CSS_SELECTOR, ".speaker-name").text == speaker
    assert again.find_element(By.CSS_SELECTOR, "a.citation").text == cited
    assert "?q=" not in browser.current_url  # a reload does not ask again
