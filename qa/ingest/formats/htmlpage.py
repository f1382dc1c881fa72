"""Saved web pages: the article body (navigation, ads, scripts, share bars and related links dropped), its
paragraphs and bold speaker labels kept.

Extractor chosen by measurement on gov.cn-, MFA- and White House-style pages saved from a browser
(`scripts/import_bench.py --extractors`, 2026-11-25): selectolax (lexbor) plus a paragraph-density rule and
trafilatura (Markdown output with formatting) both kept every turn, speaker and answer (share 1.00 on all four
pages); selectolax took 1.0-1.2 ms a page warm against trafilatura's 5-30 ms, and needs no dependency chain
(trafilatura pulls lxml, dateparser, justext, courlan, htmldate). trafilatura stays selectable as
`extractor="trafilatura"` for the comparison, installed with the `dev` extra."""

from __future__ import annotations

import re

from qa.errors import TranscriptError
from qa.ingest.formats.blocks import Block
from qa.lexicon import EN_POST_HEAD

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w\-]+)""", re.I)
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button",
              "select", "template", "object", "embed", "link", "meta")
_BOILERPLATE = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|menu|(?<!page-)(?<!article-)(?<!entry-)(?<!post-)header|footer|sidebar|breadcrumbs?|share"
    r"|social|related|recommend|comments?|advert"
    r"|ads?|banner|copyright|toolbar|login|search|crumb|skip|cookie|subscribe|pagination|print)(?:$|[\s_\-])",
    re.I,
)
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt"}
_CONTAINERS = {"div", "section", "article", "main", "td", "body", "font", "span", "center"}
_BOLD = {"strong", "b"}
MAX_DEPTH = 256  # elements inside elements; real pages nest a few dozen


def html_blocks(data: bytes, *, name: str, extractor: str = "selectolax") -> list[Block]:
    """The article's paragraphs and headings; a page with no article text is refused, naming the file."""
    text = decode_html(data, name=name)
    blocks = _trafilatura_blocks(text) if extractor == "trafilatura" else _selectolax_blocks(text, name=name)
    if sum(len(b.text) for b in blocks if not b.heading) < 20:
        raise TranscriptError(f"Transcript '{name}' is a web page with no article text in it: save the page that "
                              "holds the transcript (or copy its text into a .txt file)")
    return blocks


def decode_html(data: bytes, *, name: str) -> str:
    """The charset the page declares (GB2312 pages are read as GB18030, its superset), else UTF-8."""
    m = _CHARSET.search(data[:4096])
    declared = m.group(1).decode("ascii", "replace").lower() if m else "utf-8"
    if declared in ("gb2312", "gbk", "gb_2312-80", "x-gbk"):
        declared = "gb18030"
    for encoding in (declared, "utf-8", "gb18030"):
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            continue
    raise TranscriptError(f"Transcript '{name}' is a web page in an unknown encoding: re-save it as UTF-8")


_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^<>]*?(/?)>")
# Elements that have no end tag, or whose end tag pages leave out (the parser closes them): not counted as nesting.
_UNCLOSED = frozenset("area base br col embed hr img input link meta source track wbr p li dt dd tr td th option "
                      "optgroup thead tbody tfoot colgroup caption rb rt rp html head body".split())


def _rough_depth(text: str) -> int:
    """How deep the page's tags nest as written, in one pass over the text, given up past 8 × MAX_DEPTH: an upper
    bound for well-formed pages that is cheap enough to run before the parser."""
    depth = deepest = foreign = 0
    for m in _TAG.finditer(text):
        name = m.group(2).lower()
        if name in ("svg", "math") and not m.group(3):
            foreign += -1 if m.group(1) else 1
        # HTML ignores the slash of "<div/>" (the element stays open); only SVG and MathML close themselves so.
        if name in _UNCLOSED or (m.group(3) and foreign > 0):
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        if depth > deepest:
            deepest = depth
            if deepest > 8 * MAX_DEPTH:
                break
    return deepest


def _depth(root) -> int:
    """How deep elements nest under root, counted without recursion and given up past MAX_DEPTH: the walks below
    recurse once a level (and a page of 100,000 nested <div>s took minutes, then overflowed the stack)."""
    deepest, stack = 0, [(root, 0)]
    while stack and deepest <= MAX_DEPTH:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        child = node.child
        while child is not None:
            stack.append((child, depth + 1))
            child = child.next
    return deepest


def _too_deep(name: str, depth: int) -> TranscriptError:
    return TranscriptError(f"Transcript '{name}' is a web page nesting {depth}+ elements deep (at most {MAX_DEPTH} are "
                           "read): save the transcript's text as a .txt file")


def _selectolax_blocks(text: str, *, name: str = "page") -> list[Block]:
    from selectolax.lexbor import LexborHTMLParser

    if (rough := _rough_depth(text)) > 8 * MAX_DEPTH:  # the parser itself slows with the square of the depth
        raise _too_deep(name, rough)
    tree = LexborHTMLParser(text)
    if tree.body is not None and (depth := _depth(tree.body)) > MAX_DEPTH:
        raise _too_deep(name, depth)
    title_node = tree.css_first("h1")
    page_title = tree.css_first("title")
    tree.strip_tags(list(_DROP_TAGS))
    for node in tree.css("[class], [id]"):
        marks = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if node.tag not in ("body", "html", "main", "article") and _BOILERPLATE.search(marks) and node.parent is not None:
            node.decompose()
    body = tree.body
    if body is None:
        return []
    container = max((n for n in body.traverse() if n.tag in _CONTAINERS | {"article", "main"}),
                    key=_paragraph_weight, default=body)
    blocks = [Block(t, heading=heading) for t, heading in [*_byline(container), *_walk_blocks(container)]]
    title = (title_node.text(strip=True) if title_node else "") or _site_suffix_dropped(page_title.text(strip=True) if page_title else "")
    if title and not any(b.heading and b.text.replace("**", "").strip() == title for b in blocks):
        blocks.insert(0, Block(title, heading=True))
    return blocks


def _byline(container) -> list[tuple[str, bool]]:
    """The lines an article sets above its body naming who speaks — "Prime Minister The Hon Sarah Whitlock MP;
    Treasurer The Hon Daniel Okafor MP" — where its labels give only posts ("TREASURER:"). Only inside the article
    (the page's chrome is not the article's), only short lines that name a post (not the date, nor a repeated title)."""
    parent = container.parent
    if parent is None or container.tag in ("body", "article", "main") or parent.tag not in (
            "article", "main", "div", "section"):
        return []
    lines: list[tuple[str, bool]] = []
    sibling = container.prev
    while sibling is not None and len(lines) < _BYLINE_LINES:
        inside = list(sibling.traverse(include_text=False))[1:] if sibling.tag != "-text" else []  # [0] is itself
        nested = any(n.tag in _BLOCKS | {"div", "section", "table"} for n in inside)
        # A page header that wraps the headline and the byline in one block ("<div class=page-header><h1>…</h1>
        # <p class=article-meta__author-bureau>Daniel Holloway, Principal Deputy Spokesperson</p>"): its own lines.
        parts = [sibling] if not nested else [n for n in inside if n.tag == "p"][:_BYLINE_LINES] \
            if sibling.tag in ("div", "section", "header") and len(inside) <= 4 * _BYLINE_LINES else []
        for part in reversed(parts):
            if part.tag in ("-text", "h1", "h2", "h3"):
                continue
            text = " ".join(part.text(strip=False).split())
            if 0 < len(text) <= _BYLINE_CHARS and EN_POST_HEAD.search(text):
                lines.append((text, False))
        sibling = sibling.prev
    return lines[::-1]


_BYLINE_LINES = 6
_BYLINE_CHARS = 300


def _site_suffix_dropped(title: str) -> str:
    """'外交部发言人例行记者会_中华人民共和国外交部' → the page's own title, without the site's name."""
    return re.split(r"\s*(?:\||_| - | — | – )\s*", title)[0].strip() if title else ""


def _paragraph_weight(node) -> int:
    """Text held by the node's direct paragraph children: an article body is many paragraphs side by side."""
    weight = 0
    child = node.child
    while child is not None:
        if child.tag in _BLOCKS or (child.tag in ("div", "section") and not _has_block(child)):
            weight += len(child.text(strip=True))
        child = child.next
    return weight


def _has_block(node) -> bool:
    return any(n.tag in _BLOCKS or n.tag in ("div", "section", "table") for n in node.traverse(include_text=False)
               if n is not node)


def _walk_blocks(node) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    child = node.child
    while child is not None:
        if child.tag == "-text":
            text = (child.text_content or "").strip()
            if text:
                out.append((text, False))
        elif child.tag in _BLOCKS:
            for piece in _inline(child).split("\n"):
                out.append((piece, child.tag.startswith("h") and child.tag[1:].isdigit()))
        elif child.tag in ("div", "section", "article", "main", "table", "tbody", "tr", "td", "ul", "ol", "dl", "center", "font", "span"):
            if _has_block(child) or child.tag in ("table", "tbody", "tr", "ul", "ol", "dl"):
                out.extend(_walk_blocks(child))
            else:
                out.extend((piece, False) for piece in _inline(child).split("\n"))
        child = child.next
    return out


def _inline(node) -> str:
    """A block's text with <strong>/<b> runs as **…** and <br> as a paragraph break."""
    parts: list[str] = []
    child = node.child
    while child is not None:
        if child.tag == "-text":
            parts.append(child.text_content or "")
        elif child.tag == "br":
            parts.append("\n")
        elif child.tag in _BOLD:
            inner = _inline(child)
            parts.append(f"**{inner}**" if inner.strip() else inner)
        else:
            parts.append(_inline(child))
        child = child.next
    return "".join(parts)


def _trafilatura_blocks(text: str) -> list[Block]:
    import trafilatura

    markdown = trafilatura.extract(text, output_format="markdown", include_formatting=True, include_comments=False,
                                   include_tables=False, favor_recall=True) or ""
    meta = trafilatura.extract_metadata(text)
    blocks = [Block(meta.title, heading=True)] if meta is not None and meta.title else []
    for para in re.split(r"\n\s*\n|\n", markdown):
        para = para.strip()
        if para.startswith("#"):
            blocks.append(Block(para.lstrip("#").strip(), heading=True))
        elif para:
            blocks.append(Block(para))
    return blocks
