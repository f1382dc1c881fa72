"""Make the importer fixtures the way real files are made, from the plain-text transcripts they must match.

    PYTHONPATH=$PWD .venv/bin/python scripts/make_import_fixtures.py   # writes tests/samples/imports/

- HTML: pages shaped like a browser's "save page" of gov.cn (the bundled briefing), fmprc.gov.cn (问/答, GB2312,
  and the bilingual sample) and whitehouse.gov (`Q    …` questions): navigation, scripts, share bars, related
  links and footers around the article.
- PDF: printed with fpdf2 the way the Federal Reserve's transcripts are — a running header and "Page N of M" footer
  on every page, lines wrapped at the margin, long English words hyphenated across lines, bold speaker labels.
- DOCX: written with python-docx as a press office would — a title, bold labels, plain answers.
- JSON: each supported shape (turn list, QMSum, WhisperX, pyannote-style, AWS Transcribe, Deepgram).
Each fixture names its plain-text source in tests/samples/imports/.sources.json, which the round-trip test reads.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "tests" / "samples" / "imports"
SAMPLES = ROOT / "tests" / "samples"
BRIEFING = ROOT / "transcripts" / "2026-03-23-scio-patent-conversion.md"
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
CJK_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LATIN_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def paragraphs(text: str) -> list[str]:
    """Non-blank lines of a plain-text transcript, each a paragraph (as pages and documents hold them)."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def inline_html(text: str) -> str:
    escaped = html.escape(text, quote=False)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)


def block_html(line: str) -> str:
    if m := re.match(r"^(#{1,6})\s+(.*)$", line):
        level = len(m.group(1))
        return f"<h{level}>{inline_html(m.group(2))}</h{level}>"
    return f"<p>{inline_html(line)}</p>"


def govcn_page(source: Path) -> bytes:
    lines = paragraphs(source.read_text(encoding="utf-8"))
    title = re.sub(r"^#+\s*", "", lines[0])
    body = "\n".join(block_html(line) for line in lines[1:])
    related = "".join(f'<li><a href="/zhengce/{i}.htm">国务院政策例行吹风会第{i}期图文实录及相关解读材料汇编</a></li>'
                      for i in range(1, 9))
    page = f"""<!DOCTYPE html>
<!-- saved from url=(0064)https://www.gov.cn/zhengce/202603/content_7010001.htm -->
<html lang="zh-CN"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>{html.escape(title)}_滚动新闻_中国政府网</title>
<script src="./content_files/jquery.min.js"></script>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
<style>.pages_content p {{ text-indent: 2em; }}</style></head>
<body><div class="header"><div class="nav"><a href="/">首页</a><a href="/zhengce">政策</a><a href="/hudong">互动</a>
<a href="/fuwu">服务</a><a href="/shuju">数据</a><a href="/guoqing">国情</a></div>
<div class="search"><input type="text" placeholder="请输入关键词"><button>搜索</button></div></div>
<div class="BreadcrumbNav"><a href="/">首页</a> &gt; <a href="/xinwen">新闻</a> &gt; 滚动新闻</div>
<div class="article oneColumn pub_border"><h1 id="ti">{inline_html(title)}</h1>
<div class="pages-date">2026-03-23 21:06 来源： 国务院新闻办公室网站 <span class="font">【字体：大 中 小】</span></div>
<div class="pages_content" id="UCAP-CONTENT">
{body}
</div>
<div class="editor">【我要纠错】 责任编辑：王洋</div>
<div class="share">分享到：<a>微信</a><a>微博</a><a>QQ空间</a></div></div>
<div class="related"><h3>相关稿件</h3><ul>{related}</ul></div>
<div class="footer"><p>主办单位：国务院办公厅 运行维护单位：中国政府网运行中心</p><p>版权所有：中国政府网 京ICP备05070218号</p></div>
<script>document.write("<img src='stat.gif'>")</script></body></html>"""
    return page.encode("utf-8")


def mfa_page(source: Path, *, encoding: str) -> bytes:
    lines = paragraphs(source.read_text(encoding="utf-8"))
    title = lines[0]
    body = "\n".join(f"<p>{inline_html(line)}</p>" for line in lines[1:])
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<!-- saved from url=(0070)https://www.fmprc.gov.cn/web/fyrbt_673021/jzhsl_673025/t1241409.shtml -->
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">
<title>{html.escape(title)}_中华人民共和国外交部</title><script type="text/javascript" src="/js/common.js"></script></head>
<body><div id="header"><div class="menu"><a>首页</a><a>外交部</a><a>外交动态</a><a>发言人表态</a><a>国家和组织</a></div></div>
<div class="crumbs">首页 &gt; 发言人表态 &gt; 例行记者会</div>
<div class="vibox"><div id="News_Body_Title">{html.escape(title)}</div><div id="News_Body_Time">2015/03/02</div>
<div class="content" id="News_Body_Txt_A">
{body}
</div></div>
<div class="print"><a href="javascript:window.print()">【打印本页】</a><a href="javascript:window.close()">【关闭窗口】</a></div>
<div id="footer">版权所有：中华人民共和国外交部 ICP备案编号：京ICP备06020181号</div></body></html>"""
    return page.encode(encoding)


def whitehouse_page(source: Path) -> bytes:
    lines = paragraphs(source.read_text(encoding="utf-8"))
    title = lines[0]
    body_lines = ["James S. Brady Press Briefing Room", "1:04 P.M. EDT"] + lines[2:] + ["1:47 P.M. EDT"]

    def wh_paragraph(line: str) -> str:
        if line.startswith("Q: "):
            return f"<p>Q&nbsp;&nbsp;&nbsp; {html.escape(line[3:])}</p>"
        return f"<p>{inline_html(line)}</p>"

    body = "\n".join(wh_paragraph(line) for line in body_lines)
    page = f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8"><title>{html.escape(title)} | The White House</title>
<script>window.dataLayer = window.dataLayer || [];</script><link rel="stylesheet" href="./style.css"></head>
<body class="post-template-default"><a class="skip-link" href="#content">Skip to content</a>
<header class="header"><nav class="header__nav"><ul><li><a href="/administration/">Administration</a></li>
<li><a href="/briefing-room/">Briefing Room</a></li><li><a href="/issues/">Issues</a></li></ul></nav></header>
<main id="content"><article><section class="wp-block-whitehouse-topper"><p class="wp-block-whitehouse-topper__meta">Briefings &amp; Statements</p>
<h1 class="wp-block-whitehouse-topper__headline">{html.escape(title)}</h1><p class="meta__date">June 3, 2024</p></section>
<section class="body-content"><div class="container">
{body}
</div></section></article></main>
<aside class="related-posts"><h2>Related</h2><ul><li><a>Statement from the Press Secretary on the Upcoming Summit</a></li>
<li><a>Readout of the President's Call with the Prime Minister of Canada</a></li></ul></aside>
<footer class="footer"><p>The White House 1600 Pennsylvania Ave NW Washington, DC 20500</p></footer></body></html>"""
    return page.encode("utf-8")


def _pdf(cjk: bool):
    from fpdf import FPDF

    class Printed(FPDF):
        header_text = ""

        def header(self) -> None:
            self.set_font("body", size=8)
            self.cell(0, 6, self.header_text, align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("body", size=8)
            self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Printed(format="Letter")
    pdf.add_font("body", "", CJK_FONT if cjk else LATIN_FONT)
    pdf.add_font("body", "B", CJK_BOLD if cjk else LATIN_BOLD)
    pdf.set_auto_page_break(True, margin=22)
    pdf.alias_nb_pages()
    return pdf


def _wrap(pdf, label: str, text: str, width: float, size: int) -> list[tuple[str, str]]:
    """Lines of (bold part, plain part), wrapped at the margin; long English words hyphenated across lines."""
    lines: list[tuple[str, str]] = []
    pdf.set_font("body", "B", size)
    used = pdf.get_string_width(label + " ") if label else 0
    pdf.set_font("body", "", size)
    tokens = re.findall(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]|\S+\s*", text)
    current, bold = "", label
    for token in tokens:
        w = pdf.get_string_width(token)
        if used + w > width:
            word = token.strip()
            if len(word) >= 9 and word.isalpha():
                cut = len(word) // 2
                head = word[:cut] + "-"
                if used + pdf.get_string_width(head) <= width:
                    current += head
                    token = word[cut:] + token[len(word):]
                    w = pdf.get_string_width(token)
            lines.append((bold, current.rstrip()))
            current, bold, used = "", "", 0
        current += token
        used += w
    lines.append((bold, current.rstrip()))
    return lines


def printed_pdf(source: Path, header: str, *, cjk: bool, size: int = 11) -> bytes:
    pdf = _pdf(cjk)
    pdf.header_text = header
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for para in paragraphs(source.read_text(encoding="utf-8")):
        if re.search(r"PAGE \d+ of \d+$", para):
            continue  # the plain text's copy of a page header: the PDF prints its own on every page
        para = re.sub(r"^#+\s*", "", para)
        label, text = "", para
        if m := re.match(r"^\*\*(.+?[:：])\*\*\s*(.*)$", para) or re.match(r"^([A-Z][A-Z.'’\- ]+\.)\s+(.*)$", para):
            label, text = m.group(1), m.group(2)
        text = text.replace("**", "")
        for bold, plain in _wrap(pdf, label, text, width, size):
            if bold:
                pdf.set_font("body", "B", size)
                pdf.cell(pdf.get_string_width(bold + " "), size * 0.55, bold + " ")
            pdf.set_font("body", "", size)
            pdf.cell(0, size * 0.55, plain, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def printed_pdf_cjk(source: Path, header: str) -> bytes:
    """Chinese briefing printed with a non-embedded CID font (STSong-Light), as many Chinese PDFs are: reportlab."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page_w, page_h = A4
    left, right, top, bottom, size, leading = 60, 60, 70, 70, 11, 17
    paras = [re.sub(r"^#+\s*", "", p).replace("**", "") for p in paragraphs(source.read_text(encoding="utf-8"))]
    lines: list[tuple[str, bool]] = []  # (text, starts a paragraph)
    for para in paras:
        current, first = "", True
        for ch in para:
            if pdfmetrics.stringWidth(current + ch, "STSong-Light", size) > page_w - left - right:
                lines.append((current, first))
                current, first = "", False
            current += ch
        lines.append((current, first))
    per_page = int((page_h - top - bottom) / leading) - 2
    pages, page, used = [], [], 0
    for text, starts in lines:
        cost = 1.6 if starts else 1.0
        if used + cost > per_page:
            pages.append(page)
            page, used = [], 0
        page.append((text, starts))
        used += cost
    pages.append(page)
    c = canvas.Canvas(out, pagesize=A4)
    for number, page in enumerate(pages, 1):
        c.setFont("STSong-Light", 9)
        c.drawCentredString(page_w / 2, page_h - 40, header)
        c.drawCentredString(page_w / 2, 35, f"- {number} -")
        y = page_h - top
        c.setFont("STSong-Light", size)
        for text, starts in page:
            if starts:
                y -= leading * 0.6
            c.drawString(left, y, text)
            y -= leading
        c.showPage()
    c.save()
    return out.getvalue()


def word_docx(source: Path) -> bytes:
    import io

    from docx import Document

    document = Document()
    lines = paragraphs(source.read_text(encoding="utf-8"))
    for line in lines:
        if m := re.match(r"^(#{1,6})\s+(.*)$", line):
            document.add_heading(m.group(2), level=min(len(m.group(1)), 3))
            continue
        para = document.add_paragraph()
        for i, piece in enumerate(re.split(r"\*\*", line)):
            if not piece:
                continue
            run = para.add_run(piece)
            run.bold = i % 2 == 1
        if not re.search(r"\*\*", line) and (m := re.match(r"^([^：:\d]{1,20}[：:])(.*)$", line)):
            para.clear()
            para.add_run(m.group(1)).bold = True
            para.add_run(m.group(2))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def labelled_turns(source: Path) -> list[tuple[str, str]]:
    """(speaker, text) of a 'Name: text' transcript, continuation lines joined to their turn."""
    turns: list[tuple[str, str]] = []
    for line in paragraphs(source.read_text(encoding="utf-8"))[1:]:
        if m := re.match(r"^([^：:]{1,20})[：:]\s*(.*)$", line):
            turns.append((m.group(1), m.group(2)))
        elif turns:
            turns[-1] = (turns[-1][0], turns[-1][1] + line)
    return turns


def json_shapes(source: Path) -> dict[str, object]:
    turns = labelled_turns(source)
    labels = {name: f"SPEAKER_{i:02d}" for i, name in enumerate(dict.fromkeys(n for n, _ in turns))}
    timed, t = [], 0.0
    for name, text in turns:
        length = 2.0 + len(text) / 6
        # a diariser cuts long turns into several segments of one speaker
        cut = len(text) // 2 if len(text) > 60 else len(text)
        for piece, share in ((text[:cut], 0.5), (text[cut:], 0.5)):
            if piece:
                timed.append({"speaker": labels[name], "start": round(t, 3), "end": round(t + length * share, 3),
                              "text": piece})
                t += length * share
    title = paragraphs(source.read_text(encoding="utf-8"))[0]
    return {
        "turns": [{"speaker": n, "text": x} for n, x in turns],
        "qmsum": {"topic_list": [], "general_query_list": [], "meeting_transcripts": [{"speaker": n, "content": x} for n, x in turns]},
        "whisperx": {"segments": [{**s, "words": []} for s in timed], "language": "zh"},
        "pyannote": [{"segment": {"start": s["start"], "end": s["end"]}, "label": s["speaker"], "text": s["text"]} for s in timed],
        "aws": {"jobName": "briefing", "results": {"transcripts": [{"transcript": " ".join(s["text"] for s in timed)}],
                "audio_segments": [{"id": i, "transcript": s["text"], "start_time": str(s["start"]), "end_time": str(s["end"]),
                                    "speaker_label": s["speaker"].replace("SPEAKER_", "spk_")} for i, s in enumerate(timed)]}},
        "deepgram": {"metadata": {"duration": t}, "results": {"utterances": [
            {"start": s["start"], "end": s["end"], "transcript": s["text"], "speaker": int(s["speaker"][-2:]), "confidence": 0.98}
            for s in timed]}},
        "_labels": labels, "_title": title,
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    sources: dict[str, dict] = {}

    def write(name: str, data: bytes, source: Path, **extra) -> None:
        (OUT / name).write_bytes(data)
        sources[name] = {"source": str(source.relative_to(ROOT)), **extra}

    write("govcn-briefing.html", govcn_page(BRIEFING), BRIEFING)
    write("mfa-qa.html", mfa_page(SAMPLES / "mfa-qa.txt", encoding="gb2312"), SAMPLES / "mfa-qa.txt")
    write("mfa-bilingual.html", mfa_page(SAMPLES / "mfa-bilingual.txt", encoding="utf-8"), SAMPLES / "mfa-bilingual.txt")
    write("whitehouse-briefing.html", whitehouse_page(SAMPLES / "wh-briefing.txt"), SAMPLES / "wh-briefing.txt")
    write("fomc-printed.pdf", printed_pdf(SAMPLES / "fomc-caps.txt", "June 18, 2025 Chair Powell's Press Conference FINAL",
                                          cjk=False, size=20), SAMPLES / "fomc-caps.txt")
    write("scio-briefing.pdf", printed_pdf_cjk(BRIEFING, "国务院新闻办公室新闻发布会实录"), BRIEFING)
    write("mofcom-labelled.docx", word_docx(SAMPLES / "mofcom-labelled.txt"), SAMPLES / "mofcom-labelled.txt")
    write("scio-briefing.docx", word_docx(BRIEFING), BRIEFING)
    write("wh-briefing.docx", word_docx(SAMPLES / "wh-briefing.txt"), SAMPLES / "wh-briefing.txt")
    shapes = json_shapes(SAMPLES / "mofcom-labelled.txt")
    labels = shapes.pop("_labels")
    shapes.pop("_title")
    for shape, doc in shapes.items():
        diarised = shape in ("whisperx", "pyannote", "aws", "deepgram")
        write(f"mofcom-{shape}.json", json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"),
              SAMPLES / "mofcom-labelled.txt", labels=labels if diarised else None,
              label_style="spk_{:02d}" if shape == "aws" else None)
    (OUT / ".sources.json").write_text(json.dumps(sources, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name in sources:
        print(f"{name:32} {(OUT / name).stat().st_size:>8} bytes")


if __name__ == "__main__":
    main()
