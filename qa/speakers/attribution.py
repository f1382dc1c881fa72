"""Give every answer a speaker, with evidence: labels, hand-offs, an organisation speaking of itself, the roster, continuity."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from qa.errors import TranscriptError
from qa.speakers.evidence import score_organizations
from qa.lexicon import EN_POST_HEAD, UNNAMED_ANSWERERS, has_cjk, normalize, self_reference_units, simplified, top_organization
from qa.speakers.roles import ASKING, build_roster
from qa.speakers.roster import Speaker, officials_from_introduction, organization_index, parse_person
from qa.speakers.overrides import Corrections
from qa.ingest.turns import Transcript, Turn

_ANSWER_OPENER = re.compile(
    r"^(?:(?:谢谢|感谢)(?:你|您|这位|记者|各位)?.{0,12}?(?:提问|问题|关注)|我来回答|这个问题我来|我(?:来)?补充|补充一下"
    r"|(?:thank you|thanks)(?: very much)?(?: for)?(?: the| your| that)? question)",
    re.I,
)
_CLOSING = re.compile(
    r"(?:我就(?:简单)?(?:回答|介绍|说|补充|谈)(?:这么多|这些|到这里|到这儿)|以上就是|回答完毕|介绍完毕|谢谢大家"
    r"|that'?s all|i'?ll stop there)",
    re.I,
)
_ACK_WORD = (r"(?:ok(?:ay)?|right|all right|alright|thanks?|thank you(?: very much)?|many thanks|got it|sure|fine|good|great"
             r"|yes|yeah|yep|indeed|absolutely|of course|sorry|fair enough|understood|i see|so do i|me too"
             r"|that'?s (?:helpful|clear|fine|great|useful)|lovely"
             r"|好的?|谢谢|明白了?|嗯|是的|对|了解)")
# Acknowledgement words, a vocative or two ("Minister", "Chair", "Dr Blaney"), punctuation, and nothing else.
_ACKNOWLEDGEMENT = re.compile(rf"(?:(?i:{_ACK_WORD})\b|(?:Dr|Mr|Mrs|Ms|Minister|Chair|Secretary|Professor)\.?"
                              rf"(?: [A-Z][a-z'’-]+)?|[\s,.!。，！、…-])+")  # one mark a step: no nested repeat
# A short turn that asks though it has no question mark: a question word, "and on…", "one more…", "关于…".
_ASKS_UNMARKED = re.compile(r"\b(?:what|when|where|why|who|whom|which|how|whether|and|on|about|regarding|re|one more|"
                            r"follow[- ]up)\b|关于|至于|那么?|还有|请|怎么|什么|哪|多少|能否|是否|如何|吗", re.I)
_HOST_REMARK = re.compile(
    r"请大家(?:抓紧)?提问|最后(?:一个|两个|两道|一道|一位)(?:问题|提问)|发布会(?:就)?到这里|时间关系|下面(?:请|开始)|现在请"
    r"|继续提问|还有(?:没有|哪位)|下一个问题|大家再见|感谢各位|提问前请|^好[,，。]|next question|last question"
    r"|that concludes|let'?s (?:go|turn) to|we'?ll take",
    re.I,
)
# Words of thanks and of moving on, and the vocatives that may go with them; a turn is read word by word (a pattern of
# nested repeats over capitalised words took seconds on an all-caps caption line).
_GREETINGS = frozenset("good morning afternoon evening hello hi".split())
_THANKS = frozenset("thanks thank you very so much all everyone everybody okay ok please".split())
_MOVING_ON = frozenset("go ahead let's lets keep going move on moving next question".split())
_TITLES = frozenset("madam mr mrs ms dr sir chair chairman chairwoman minister secretary president professor "
                    "senator governor commissioner director".split())
_CJK_PLEASANT = re.compile(r"谢谢|感谢|大家|各位|好的|好")
_SIGN_OFF = re.compile(r"(?:今天的?|本次)?(?:例行)?(?:新闻)?(?:发布会|记者会|吹风会)(?:就)?(?:到这里|到此结束|到此)(?:吧)?[。！!，,]?"
                       r"\s*(?:(?:谢谢|感谢)(?:大家|各位)?[。！!]?\s*)?(?:再见[。！!]?)?")
# "Thank you very much. We will see each other tomorrow, same place, same time." — not "Thank you. Yes, we will see each
# other again in London on Monday to close the fisheries chapter." (an answer: what for, where)
_THANKS_EN = r"(?:thank you|thanks)(?:,? (?:very much|so much|all|everyone|everybody))?"
_SIGN_OFF_EN = re.compile(
    r"(?i)(?:(?:all right|okay|ok|great)[.,]?\s+)?" + _THANKS_EN + r"[.!,]\s+(?:appreciate it[.!]\s+)?(?:(?:we(?:'ll| will)|i(?:'ll| will)"
    r"|and|so)\s+)?(?:see (?:you|each other)(?: again)? (?:tomorrow|next week|next time|soon|later|on \w+day)\b"
    r"|that(?:'s| is) all (?:for (?:today|now)|we have time for)|(?:this|that) concludes"
    r"|have a (?:good|nice) (?:day|morning|afternoon|evening|weekend))(?![^?]*\b(?:to|because|so that|in order)\b)[^?]{0,100}$")
# The last words of the event, after the last answer: "Thank you, everybody. Stay cool out there, drink water, check on
# your neighbors. Thank you." — not an answer to a question put just before ("what is your message tonight…?").
_FAREWELL = re.compile(r"(?i)" + _THANKS_EN + r"[.!,]\s+(?:stay (?:safe|cool|warm|well|healthy)|take care(?! of)|be safe"
                       r"|god bless)\b[^?\d]{0,100}$")
# "All right.  Paulina, all yours.  Have a good afternoon." — a short turn that ends wishing a good day
_GOOD_DAY = re.compile(r"(?i)\bhave a (?:good|nice|great) (?:day|morning|afternoon|evening|weekend)[.!]?$")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’.-]*|[\u4e00-\u9fff]+|[^\sA-Za-z\u4e00-\u9fff,.!。，！、…-]")
_ASKING_VERBS = re.compile(r"(?i:^(?:would|do|does|can|could) (?:you|either of you|anyone) (?:like to |want to |wish to )?"
                           r"(?:add|comment|respond|come in)(?: anything| to that| on that)?$|^anything (?:else|to add)$)")
_HANDOFF = re.compile(r"请.{0,40}?(?:来)?(?:回答|回应|答复|作答|介绍|谈谈|补充)")
_OUTLET = re.compile(r"^(?:我是)?([\u4e00-\u9fffA-Za-z]{2,20}?)(?:的)?记者[,，。]")


@dataclass
class Question:
    text: str
    line_start: int
    line_end: int
    questioner: Speaker
    time: str | None = None


@dataclass
class Utterance:
    """A speaker's answer (or hand-off, or host remark), with why we think it is theirs."""

    speaker: Speaker
    text: str
    line_start: int
    line_end: int
    evidence: str
    confidence: float
    kind: str = "answer"
    time: str | None = None
    parts: list[Turn] = field(default_factory=list, repr=False)


@dataclass
class Exchange:
    index: int
    question: Question | None
    answers: list[Utterance] = field(default_factory=list)

    @property
    def main_answers(self) -> list[Utterance]:
        return [a for a in self.answers if a.kind == "answer"]


@dataclass
class Briefing:
    """A transcript with its roster and its exchanges: what `qa parse` shows and what the index is built from."""

    transcript: Transcript
    speakers: list[Speaker]
    exchanges: list[Exchange]
    remarks: list[Utterance]
    # A label's name → its speaker's, where the header named a post's holder ("Treasurer" → "Treasurer Daniel Okafor").
    aliases: dict[str, str] = field(default_factory=dict)

    def unanswered(self) -> str | None:
        """Why a transcript that parsed gives no answer to index, in one line naming the fix; None when it has one.
        A file whose labels were misread ("Q12 Chair:" once was) indexes nothing and must not do so silently."""
        if any(e.main_answers for e in self.exchanges):
            return None
        read = ", ".join(f"{s.name} as {s.role}" for s in self.speakers[:4]) or "no speaker labels"
        return (f"no answer was read in '{Path(self.transcript.path).name}' ({read}): start each turn with its "
                f"speaker's label ('Name: …', 'Q: …'), see `qa parse {Path(self.transcript.path).name}`")


@dataclass
class _Segment:
    turns: list[Turn]
    speaker: Speaker | None = None
    evidence: str = ""
    confidence: float = 0.0
    closed: bool = False
    handoff: tuple[Speaker, Turn] | None = None


def attribute_speakers(transcript: Transcript, *, corrections: Corrections | None = None) -> Briefing:
    """Split the turns into exchanges and name the speaker of every answer; an editor's corrections win."""
    briefing = _Attributor(transcript, roles=corrections.roles if corrections else {}).run()
    return corrections.apply(briefing) if corrections else briefing


class _Attributor:
    def __init__(self, transcript: Transcript, *, roles: dict[str, str]) -> None:
        self.transcript = transcript
        self.turns = transcript.turns
        self.roster = build_roster(transcript)
        for name, role in roles.items():
            self.roster.set_role(name, role)
        self.org_index = organization_index(self.roster.officials)
        # Words of the roster's names, for vocatives ("Thank you, Leavitt."): lower case.
        self.names = frozenset(w.lower().rstrip(".") for s in self.roster.speakers for w in s.name.split())
        self.dense = transcript.layout != "markdown" or any(
            t.label and self._labelled(t).role == "reporter" for t in self.turns
        )
        self.exchanges: list[Exchange] = []
        self.remarks: list[Utterance] = []
        self.segment: _Segment | None = None
        self.last: str | None = None
        self.pending_handoff: tuple[Speaker, Turn] | None = None
        self.new_part = False  # a heading came since the last official's or questioner's turn
        self.followed_up: set[int] = set()  # exchanges whose generic "Q:" is the last named reporter's follow-up

    def _labelled(self, turn: Turn) -> Speaker:
        name = parse_person(turn.label or "").name
        return self.roster.find(name) or parse_person(turn.label or "")

    def run(self) -> Briefing:
        self.turns = [part for turn in self.turns for part in self._signed_off(turn)]
        start = self._skip_preamble()
        next_labelled: list[int | None] = [None] * (len(self.turns) + 1)  # the next labelled turn after each, once
        for i in range(len(self.turns) - 1, -1, -1):
            next_labelled[i] = i + 1 if i + 1 < len(self.turns) and self.turns[i + 1].label else next_labelled[i + 1]
        for i in range(start, len(self.turns)):
            turn = self.turns[i]
            following = self.turns[i + 1] if i + 1 < len(self.turns) else None
            if turn.label:
                j = next_labelled[i]
                answered_by = self._labelled(self.turns[j]) if j is not None else None
                self._labelled_turn(turn, answered_by, alone=following is None or following.label is not None,
                                    before_section=j is not None and self.turns[j].section)
            elif self.dense and self.transcript.layout in ("vtt", "srt"):
                self._caption_turn(turn)
            elif self.dense:
                self._continuation(turn)
            else:
                self._unlabelled_turn(turn, following)
        self._finish_segment()
        self._refuse_if_unrecognisable()
        # "追问：" is the reporter who asked before: no speaker of its own, unless it opened the briefing.
        asking = {e.question.questioner.name for e in self.exchanges if e.question}
        speakers = [s for s in self.roster.speakers if s.name not in _FOLLOW_UPS or s.name in asking]
        return Briefing(self.transcript, speakers, self.exchanges, self.remarks, dict(self.roster.aliases))

    def _signed_off(self, turn: Turn) -> list[Turn]:
        """A labelled answer whose last paragraph closes the briefing ("…\n今天的记者会就到这里，谢谢大家。"): the answer,
        then the sign-off as a paragraph of its own."""
        answer, _, last = turn.text.rpartition("\n")
        if not (turn.label and answer.strip() and _SIGN_OFF.fullmatch(normalize(last).strip())):
            return [turn]
        lines = self.transcript.lines
        at = next((n for n in range(turn.line_end, turn.line_start, -1)
                   if n <= len(lines) and normalize(lines[n - 1]).strip() == normalize(last).strip()), None)
        if at is None:
            return [turn]
        before = next((n for n in range(at - 1, turn.line_start - 1, -1) if lines[n - 1].strip()), turn.line_start)
        return [replace(turn, text=answer, line_end=before), Turn(last, at, at, time=turn.time)]

    def _refuse_if_unrecognisable(self) -> None:
        """Prose with no speaker labels, no reporter questions and no introduced officials is not a transcript."""
        if self.transcript.layout in ("vtt", "srt"):
            return
        has_labels = any(t.label for t in self.turns)
        has_questions = any(e.question for e in self.exchanges)
        if not (has_labels or has_questions or self.roster.officials):
            t = self.transcript
            last = len(t.lines) - (1 if t.lines and not t.lines[-1].strip() else 0)  # a final newline is no line
            raise TranscriptError(
                f"Transcript '{t.path}' has no recognisable speaker turns (lines 1-{last}): expected speaker "
                "labels ('胡文辉：', '**Name:**', 'NAME. text'), reporters' questions, or WebVTT/SRT cues"
            )

    def _skip_preamble(self) -> int:
        """Narration before the first speaker label (the 'State Council Information Office held…' paragraph) is nobody's
        — but for the announcements a presiding spokesperson opens with (a 外交部 transcript's first paragraphs)."""
        first_label = next((i for i, t in enumerate(self.turns) if t.label), None)
        if first_label is not None:
            self._announcements(self.turns[:first_label])
            return first_label
        return 1 if self.turns and len(self.turns) > 1 and officials_from_introduction(self.turns[0].text) else 0

    def _announcements(self, preamble: list[Turn]) -> None:
        """"2026年4月16日外交部发言人许晓岚主持例行记者会" or "Noon briefing by Stéphane Dujarric, Spokesman for the
        Secretary-General" and, above the first question, "应国务院总理李强邀请，冰岛总理…将于4月20日至23日对中国进行正式访问。"
        or "The Secretary-General arrived in Nairobi this morning…": the spokesperson who presides (the header says so,
        and answers under that name or post) announces it. Sentences only: not the title, the date, a heading, a news
        site's lead-in or an editor's note."""
        lines = self.transcript.lines
        head = "\n".join(lines[:min(len(lines), preamble[-1].line_end if preamble else 0, 40)])
        speaker = None
        if m := _PRESIDES.search(self.transcript.title or ""):
            speaker = self.roster.find(m.group(1))
        elif m := _BRIEFED_BY.search(head):
            speaker = self.roster.find(m["post"]) or self.roster.find(m["name"])
        if speaker is None or speaker.role != "official":
            return
        chinese = has_cjk(speaker.name)
        said = [Turn(text, n, n, time=turn.time) for turn in preamble for n in range(turn.line_start, turn.line_end + 1)
                if 0 < n <= len(lines) and (text := lines[n - 1].strip()) and has_cjk(text) == chinese
                and len(text) >= (20 if chinese else 60) and text.endswith(("。", "！") if chinese else (".", "!"))
                and not officials_from_introduction(text) and speaker.name not in text
                and not (_NARRATION if chinese else _NARRATION_EN).search(text)]
        if said:
            self.exchanges.append(Exchange(0, None, [Utterance(
                speaker, "\n".join(t.text for t in said), said[0].line_start, said[-1].line_end,
                "the spokesperson the header says presides: announcements before the first question", 0.8,
                time=said[0].time, parts=said)]))

    # -- labelled turns -------------------------------------------------------------------------------------
    def _labelled_turn(self, turn: Turn, answered_by: Speaker | None = None, *, alone: bool = False,
                       before_section: bool = False) -> None:
        """answered_by: the speaker of the next labelled turn (a chair's short question is one when a witness
        answers it, and a call on the next questioner when a member speaks next). alone: no unlabelled paragraph
        follows (an official's "Thank you." followed by their answer's paragraphs opens that answer).
        before_section: a heading comes before the next labelled turn (a guest's part of the briefing)."""
        speaker = self._labelled(turn)
        self.new_part = self.new_part or turn.section
        if self.new_part and speaker.role == "official" and self.exchanges and self.last != "question":
            # A heading over it, or over the chair's welcome just before, opens a part of its own: a guest
            # briefer's statement after the spokesperson's questions ("**Briefing by the Under-Secretary-General…**"
            # then "Ms. Pollard: …"), a second panel's opening statement after "On resuming—", answers none of them.
            self._finish_segment()
            self.exchanges.append(Exchange(len(self.exchanges), None))
            self.last = None
        if speaker.role not in ("host",):
            self.new_part = False  # an official's statement or a member's question takes the new part up
        if self.segment is not None and self.segment.speaker is speaker and speaker.role not in ("reporter", "host") \
                and not _is_pleasantry(normalize(turn.text), self.names):
            # The label said again for each paragraph ("PUBLIC WORKS DIRECTOR ORTEGA: …" four times running, as
            # captions and clerks write it): one answer, not four.
            self.segment.turns.append(turn)
            self.segment.closed = _is_closing(normalize(turn.text))
            return
        if self.last == "question" and self.exchanges and (asked := self.exchanges[-1].question) is not None \
                and asked.questioner.name == speaker.name and speaker.role in ("reporter", "host") \
                and speaker.name not in _GENERIC_REPORTERS and speaker.name not in _FOLLOW_UPS \
                and asked.line_end < turn.line_start:
            _extend_question(asked, turn)  # a member's label said again for each paragraph of one question
            return
        self._finish_segment()
        if self._calls_the_roll(turn, answered_by) or self.last == "remark" and self.remarks \
                and self.remarks[-1].evidence == _ROLL and _ROLL_CALL.fullmatch(normalize(turn.text).strip()):
            self._remark(turn, speaker, _ROLL, 1.0)
        elif turn.numbered and speaker.role in ("reporter", "host"):
            # The record numbered it as a question ("Q20 David Lowe: So you are running to stand still."): it opens
            # an exchange, however short or plain.
            self._open_exchange(turn, speaker)
        elif speaker.role == "reporter" and self.exchanges and _acknowledges(normalize(turn.text)):
            # "Okay." / "Right, thank you." between answers asks nothing: what follows still answers the last question.
            self._remark(turn, speaker, "explicit label", 1.0)
        elif speaker.role == "reporter" and speaker.name in _FOLLOW_UPS and self.exchanges \
                and (asked := self.exchanges[-1].question) is not None:
            self._open_exchange(turn, asked.questioner)  # "追问：" is the reporter who just asked, asking again
        elif speaker.role == "reporter":
            self._open_exchange(turn, _introduced_reporter(turn.text) or self._called_reporter()
                                or self._following_up(turn.text) or speaker if speaker.name in _GENERIC_REPORTERS
                                else speaker)
        elif speaker.role == "host" and self.dense and answered_by is not speaker and not before_section and _asks_substantively(
                normalize(turn.text), answered=answered_by is not None and answered_by.role not in ("host", "reporter")):
            # (Not when the chair speaks next again: "Can I thank all three witnesses…?" closes a panel; nor when a
            # heading or an addendum comes before the next speaker, who then answers nothing of it.)
            # A chair who puts a question of their own (committee hearings) opens an exchange like a member.
            self._open_exchange(turn, speaker)
        elif speaker.role == "host" and self.last == "question" and self.exchanges and self.exchanges[-1].question \
                and (answered_by is None or answered_by.role in ("reporter", "host")) \
                and _addressed(self.exchanges[-1].question.text, speaker) and _answers_itself(normalize(turn.text), self.names):
            # A press officer who hosts and answers what is put to her ("Good morning, Usec. Will the President
            # visit…?" — "Yes, Julie. Ang Pangulo ay pupunta…"), no official speaking before the next question: her
            # answer (not a committee chair's words after a member's question to a witness).
            self.segment = _Segment([turn], speaker, "explicit label", 1.0, closed=_is_closing(normalize(turn.text)))
            self.last = "segment"
        elif speaker.role == "host" or (alone and self.exchanges and _is_pleasantry(normalize(turn.text), self.names)) \
                or (alone and answered_by is None and self.last != "question" and _FAREWELL.match(normalize(turn.text).strip())) \
                or (alone and answered_by is not None and answered_by.role == "reporter" and _hands_over(normalize(turn.text))) \
                or (alone and answered_by is not None and answered_by is not speaker and answered_by.role == "official"
                    and self._passes_to(normalize(turn.text), answered_by)) \
                or (alone and before_section and answered_by not in (None, speaker) and self.last != "question"
                    and len(normalize(turn.text)) <= 120 and not re.search(r"\d", turn.text)):
            # An official's "Thank you, Madam Secretary." or "Go ahead, Jacqui." answers nothing either, nor "Okay.
            # Let me bring up our guest." before the guest's part of the briefing.
            self._remark(turn, speaker, "explicit label", 1.0)
            if speaker.role == "host" and (target := self._handoff_target(normalize(turn.text))):
                self.pending_handoff = (target, turn)
        else:
            # "A:" in a file that names no answerer: the answer is the official's, but which official it does not say.
            evidence, confidence = (("unnamed answerer: the file's 'A:' / '答：' names no one", 0.5)
                                    if speaker.name in UNNAMED_ANSWERERS.values() else ("explicit label", 1.0))
            self.segment = _Segment([turn], speaker, evidence, confidence, closed=_is_closing(normalize(turn.text)))
            self.last = "segment"

    def _calls_the_roll(self, turn: Turn, answered_by: Speaker | None) -> bool:
        """"CITY CLERK MOORE: Councilmember Obi." then "COUNCILMEMBER OBI: Present." — a turn that only names the one
        who speaks next calls the roll (not "Fire Chief Daniels." answering who will lead)."""
        text = normalize(turn.text).strip().rstrip(".")
        return answered_by is not None and len(text) <= 60 and text.lower() == answered_by.name.lower()

    def _caption_turn(self, turn: Turn) -> None:
        """A caption turn with no name began with '>>' (or '-'): someone else speaks. One who asks is a reporter; one
        who speaks after a question answers it, the speaker inferred (at low confidence) as for an unlabelled
        answer; anyone else goes on with what was being said."""
        text = normalize(turn.text)
        if "?" in text[-150:] and self.last != "question":
            self._finish_segment()
            self._open_exchange(turn, _questioner(text))
        elif self.last == "question" and "?" not in text[-150:]:
            self.segment = _Segment([turn])
            question = self.exchanges[-1].question if self.exchanges else None
            if question is not None and (addressed := self._addressed(normalize(question.text))):
                self.segment.speaker, self.segment.confidence = addressed, 0.7
                self.segment.evidence = f"addressed: the question at line {question.line_start} opens with their post"
            self.last = "segment"
        else:
            self._continuation(turn)

    def _addressed(self, question: str) -> Speaker | None:
        """The one official a question opens by addressing: "Director, was this main…" → Director Patel."""
        m = re.match(r"(?:(?:and|so|okay|ok)[, ]+)?([A-Z][a-z]+(?: [A-Z][a-z]+)?),", question)
        if m is None:
            return None
        word = m.group(1)
        named = [s for s in self.roster.officials if re.search(rf"\b{re.escape(word)}\b", f"{s.title} {s.name}")]
        return named[0] if len(named) == 1 else None

    def _continuation(self, turn: Turn) -> None:
        if _SIGN_OFF.fullmatch(normalize(turn.text).strip()):
            # "今天的记者会就到这里，谢谢大家。" below the last answer: the briefing ends, it answers nothing.
            speaker = (self.segment.speaker if self.segment else None) or self._host()
            self._finish_segment()
            self._remark(turn, speaker, "the briefing's sign-off", 0.9)
            return
        if self.last == "question" and self.exchanges and self.exchanges[-1].question:
            _extend_question(self.exchanges[-1].question, turn)
        elif self.last == "remark" and self.remarks:
            _extend_utterance(self.remarks[-1], turn)
        elif self.segment is not None:
            self.segment.turns.append(turn)
        else:
            self.segment = _Segment([turn])
            self.last = "segment"

    # -- unlabelled turns in a briefing whose answers carry no labels ----------------------------------------
    def _unlabelled_turn(self, turn: Turn, following: Turn | None) -> None:
        text = normalize(turn.text)
        boundary = self._at_boundary()
        if self.last == "question" and _is_question(text, following, boundary=False):
            _extend_question(self.exchanges[-1].question, turn)  # type: ignore[arg-type]
            return
        if self.last != "question" and _is_question(text, following, boundary=boundary):
            self._finish_segment()
            self._open_exchange(turn, _questioner(text))
            return
        target = self._handoff_target(text)
        if target is not None:
            self._finish_segment()
            speaker, evidence, confidence = self._handoff_speaker(text, target)
            utterance = Utterance(speaker, turn.text, turn.line_start, turn.line_end, evidence, confidence,
                                  kind="handoff", time=turn.time, parts=[turn])
            if speaker.role == "host" or not self.exchanges:
                utterance.kind = "remark"
                self.remarks.append(utterance)
            else:
                self.exchanges[-1].answers.append(utterance)
            self.pending_handoff = (target, turn)
            self.last = "handoff"
            return
        if boundary and self.last != "question" and _HOST_REMARK.search(text) and len(text) < 160:
            self._finish_segment()
            self._remark(turn, self._host(), "host remark between questions", 0.8)
            return
        if self.last == "remark" and self.remarks[-1].evidence == "explicit label":
            _extend_utterance(self.remarks[-1], turn)
            return
        if self.segment is not None and not self.segment.closed and not _ANSWER_OPENER.match(text):
            self.segment.turns.append(turn)
            self.segment.closed = _is_closing(text)
            return
        self._finish_segment()
        self.segment = _Segment([turn], closed=_is_closing(text), handoff=self.pending_handoff)
        self.pending_handoff = None
        self.last = "segment"

    def _at_boundary(self) -> bool:
        if self.last in (None, "remark"):
            return True
        return self.last == "segment" and self.segment is not None and self.segment.closed

    def _called_reporter(self) -> Speaker | None:
        """The reporter a generic "Q:" hides, when the host's turn just before called on them by name: "STAFF: Next,
        we'll go to Jennifer Griffin, Fox." then "Q: Thanks, General. On the Caribbean, …"."""
        if self.last != "remark" or not self.remarks or self.remarks[-1].speaker.role != "host":
            return None
        m = _CALLED.search(normalize(self.remarks[-1].text).strip())
        if m is None or any(w.lower() in _NOT_A_NAME or w in _OUTLET_WORDS for w in m.group(1).split()):
            return None
        return Speaker(name=m.group(1), organization=(m.group(2) or "").rstrip("."), role="reporter")

    def _following_up(self, text: str) -> Speaker | None:
        """A generic "Q:" straight after the answer to a named reporter, neither introducing itself nor called on,
        that says it follows up ("Q: A follow-up. Has there been any change…", "Q: And is all of that going to
        Ukraine?"): theirs."""
        if not _FOLLOWS_UP.match(normalize(text)):
            return None
        asked = self.exchanges[-1].question if self.exchanges and self.last == "segment" else None
        if asked is None or asked.questioner.name in _GENERIC_REPORTERS or asked.questioner.role != "reporter" \
                or self.roster.find(asked.questioner.name) is not None or self.exchanges[-1].index in self.followed_up:
            return None  # one follow-up of a reporter the text named, not every unnamed question after it
        self.followed_up.add(len(self.exchanges))  # the exchange about to open
        return asked.questioner

    def _passes_to(self, text: str, following: Speaker) -> bool:
        """A short turn that hands the question to the official who speaks next, naming them: "I'll let the
        Commissioner answer that." — not "I'll let you know when we have a trip to announce."."""
        if len(text) > (50 if has_cjk(text) else 100) or re.search(r"\d", text):
            return False  # not "一季度跨境电商进出口6,400亿元。…关于支持举措，我请周雅琴副司长介绍一下。"
        if has_cjk(text):  # "这个问题请周雅琴副司长来回答", "…请对外贸易司负责同志来回答": the next one by name or body
            return self._handoff_target(text) is following or bool(
                _HANDOFF.search(text) and following.organization and simplified(following.organization) in simplified(text))
        if not _PASSES_TO.match(text.strip()):
            return False
        named = {w.lower() for w in re.findall(r"[A-Z][\w'’-]+", f"{following.name} {following.title}")} - _NOT_NAMING
        return bool(named & {w.lower() for w in re.findall(r"[A-Za-z][\w'’-]+", text)})

    def _handoff_target(self, text: str) -> Speaker | None:
        if len(text) > 120 or not _HANDOFF.search(text):
            return None
        named = self.roster.mentioned_in(text)
        return named[-1] if len(named) == 1 else None

    def _handoff_speaker(self, text: str, target: Speaker) -> tuple[Speaker, str, float]:
        """Who hands over: a colleague of the same body ('请我们局…'), the lead official ('谢谢你的提问，…'), or the host."""
        units = self_reference_units(text)
        target_org = top_organization(target.organization)
        own = [words for unit, words in units if target_org.endswith(unit)]
        if own:
            colleague = next((s for s in self.roster.officials
                              if s != target and top_organization(s.organization) == target_org), None)
            if colleague:
                return colleague, f"hand-off to {target.name}, by a colleague of {target_org} (says '{own[0]}')", 0.8
        if _ANSWER_OPENER.match(text) and self.roster.lead and self.roster.lead != target:
            return self.roster.lead, f"hand-off to {target.name}, thanking the reporter: the lead official", 0.6
        return self._host(), f"hand-off to {target.name}", 0.6

    def _host(self) -> Speaker:
        host = next((s for s in self.roster.speakers if s.role == "host"), None)
        return host or Speaker(name="主持人" if self._chinese() else "Moderator", role="host")

    def _chinese(self) -> bool:
        return any("\u4e00" <= ch <= "\u9fff" for ch in self.turns[0].text[:200]) if self.turns else False

    # -- building exchanges --------------------------------------------------------------------------------
    def _open_exchange(self, turn: Turn, questioner: Speaker) -> None:
        if self.last == "question" and self.exchanges and (asked := self.exchanges[-1].question) is not None \
                and not self.exchanges[-1].answers and questioner.role == "reporter" \
                and asked.questioner.role == "reporter" and asked.questioner.name != questioner.name \
                and _generic_label(turn.label) and self.roster.find(asked.questioner.name) is None:
            # (Press briefings' "Question:" turns, not a committee's members, whose orphan remarks stay their own.)
            # Questions put one after another, then answered together ("Let me take the Chile questions first."):
            # one exchange, whose question is all of them.
            _extend_question(asked, turn)
            return
        question = Question(turn.text, turn.line_start, turn.line_end, questioner, turn.time)
        self.exchanges.append(Exchange(len(self.exchanges), question))
        self.pending_handoff = None
        self.last = "question"

    def _remark(self, turn: Turn, speaker: Speaker, evidence: str, confidence: float) -> None:
        self.remarks.append(Utterance(speaker, turn.text, turn.line_start, turn.line_end, evidence, confidence,
                                      kind="remark", time=turn.time, parts=[turn]))
        self.last = "remark"

    def _finish_segment(self) -> None:
        segment, self.segment = self.segment, None
        if segment is None or not segment.turns:
            return
        if segment.speaker is None:
            self._infer_speaker(segment)
        assert segment.speaker is not None
        if not self.exchanges:
            self.exchanges.append(Exchange(0, None))
        first, last = segment.turns[0], segment.turns[-1]
        self.exchanges[-1].answers.append(Utterance(
            segment.speaker, "\n".join(t.text for t in segment.turns), first.line_start, last.line_end,
            segment.evidence, segment.confidence, time=first.time, parts=list(segment.turns),
        ))

    def _infer_speaker(self, segment: _Segment) -> None:
        if segment.handoff is not None:
            target, turn = segment.handoff
            segment.speaker, segment.confidence = target, 0.95
            segment.evidence = f"hand-off at line {turn.line_start}: '{turn.text[:40]}'"
            return
        question = self.exchanges[-1].question if self.exchanges else None
        scored = score_organizations(segment.turns, question.text if question else None, self.roster, self.org_index)
        if scored:
            segment.speaker, segment.evidence, segment.confidence = scored
            return
        lead = self.roster.lead
        if lead is not None:
            segment.speaker, segment.evidence, segment.confidence = lead, "default: the lead official (no other evidence)", 0.4
        else:
            segment.speaker = Speaker(name="Unknown speaker" if not self._chinese() else "未知发言人", role="unknown")
            segment.evidence, segment.confidence = "no label and no roster to infer from", 0.0


_ROLL = "explicit label: a roll call"
# A roll call's or a vote's replies ("Councilmember Obi." — "Present."): they answer no question.
_ROLL_CALL = re.compile(r"(?i)(?:here|present|aye|nay|abstain|yes,? (?:i am )?here)[.!]?")
# A news site's lead-in or an editor's note above the transcript, not what the spokesperson announces: "中新网北京4月16日电
# 外交部发言人…主持例行记者会…", "以下为记者会文字实录，根据现场速记整理".
_NARRATION = re.compile(r"\d+日电|发言人|记者会|发布会|实录|速记|整理|审阅|记者\s")
_NARRATION_EN = re.compile(r"(?i)\btranscript\b|\bbriefing by\b|\bnot an official record\b")
# "Noon briefing by Stéphane Dujarric, Spokesman for the Secretary-General"
_BRIEFED_BY = re.compile(r"(?i:briefing|press conference|remarks) by (?:the )?(?P<name>[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){1,3}),"
                         r"[ \t]*(?P<post>[A-Z][\w-]+)")
_PRESIDES = re.compile(r"发言人\s*([\u4e00-\u9fff]{2,4}?)\s*主持")


def _is_question(text: str, following: Turn | None, *, boundary: bool) -> bool:
    if _ANSWER_OPENER.match(text) or len(text) > 800:
        return False
    if len(text) < 60 and _CLOSING.search(text):
        return False
    asks = "?" in text or bool(ASKING.search(text))
    if boundary:
        return asks
    answer_follows = following is not None and following.label is None and bool(_ANSWER_OPENER.match(normalize(following.text)))
    thanks_end = bool(re.search(r"(谢谢|thank you|thanks)\W*$", text, re.I))
    return "?" in text and (thanks_end or answer_follows or "请问" in text)


def _acknowledges(text: str) -> bool:
    """A questioner's short turn that asks nothing: "Okay.", "Right, thank you, Minister.", "So do I.", "Keep it
    monitored.", "好的。". Not "And on the Fed chair —", "One more on Ukraine.", "关于专利转化。" or a caption's
    "and when do talks resume", which ask without a question mark."""
    text = text.strip()
    if len(text) <= 60 and _ACKNOWLEDGEMENT.fullmatch(text):
        return True
    if re.fullmatch(r"(?i)[(\[](?:question (?:inaudible|off[- ]mic(?:rophone)?|not audible)|(?:inaudible|off[- ]mic) question)"
                    r"[)\]]\.?", text):
        return False  # "(Question inaudible)": a question all the same, which the answer after it answers
    return len(text) <= 40 and "?" not in text and "？" not in text and not ASKING.search(text) \
        and not _ASKS_UNMARKED.search(text) and not text.endswith(("—", "-", "–", "…", "..."))


def _addressed(question: str, host: Speaker) -> bool:
    """The question names the host by name or post ("Usec", "Castro"): put to her, not to the officials."""
    own = {w.lower().strip(".,") for w in f"{host.name} {host.title}".split() if len(w.strip(".,")) >= 3} - _HOST_ROLE_WORDS
    # said as an address: opening a sentence or set off by commas ("Good morning, Usec.", "Usec, reaction…"), not
    # "the Smith Street closure"
    return any(re.search(rf"(?i)(?:^|[.!?]\s+|,\s*){re.escape(word)}(?=\s*[,.!?]|\s*$)", question) for word in own)


_HOST_ROLE_WORDS = {"the", "chair", "chairman", "chairwoman", "convener", "moderator", "host", "presiding", "officer",
                    "deputy", "vice", "acting", "press", "secretary", "spokesperson"}


def _answers_itself(text: str, names: frozenset[str]) -> bool:
    """A host's turn after a question that is an answer: sentences of substance, asking nothing, neither thanks, a
    call on the next questioner nor a hand-over."""
    return len(text) >= 60 and "?" not in text and "？" not in text and not _is_pleasantry(text, names) \
        and not _hands_over(text) and not _HANDOFF.search(text) and not _SIGN_OFF.fullmatch(text.strip())


def _is_pleasantry(text: str, names: frozenset[str] = frozenset()) -> bool:
    """Thanks with vocatives, or a call on the next questioner: "Thank you, Madam Secretary.", "Okay, let's keep going.
    Peter.", "Go ahead, Jacqui.", "Good morning, Claire.", "谢谢大家。" — not "No.", "Thank you. Absolutely." or "Thanks, Peter. Tuesday."
    (answers). A vocative is a title or a name of the roster (names: lower case); one other capitalised word may end a
    call ("… Peter.", "Go ahead, Jacqui.")."""
    if _SIGN_OFF.fullmatch(text.strip()) or len(text) <= 200 and _SIGN_OFF_EN.match(text.strip()) \
            or len(text) <= 80 and _GOOD_DAY.search(text.strip()) and not re.search(r"\d", text):
        return True  # "今天的发布会就到这里。谢谢大家！", "Thank you. We will see each other tomorrow.": the end
    if len(text) > 80:
        return False
    words = _TOKEN.findall(text.strip())
    thanks = moving = False
    for n, word in enumerate(words):
        lower = word.lower().rstrip(".")
        if _CJK_PLEASANT.sub("", word) == "" and word[0] >= "\u4e00":
            thanks = True
        elif lower in _THANKS:
            thanks = thanks or lower.startswith("thank")
        elif lower in _GREETINGS:
            thanks = thanks or lower != "good"  # "Good morning, Claire."
        elif lower in _MOVING_ON:
            moving = True
        elif lower in _TITLES or lower in names:
            continue
        elif moving and n == len(words) - 1 and word[:1].isupper() and not word.isupper():
            continue  # the one called on: "Go ahead, Jacqui."
        else:
            return False
    return thanks or moving


def _calls_on(text: str, names: frozenset[str] = frozenset()) -> bool:
    """"Minister?", "Dr Greaves?", "Dr Greaves, would you like to add anything?": a call on someone, not a question."""
    body = text.strip().rstrip("?？ ").strip()
    head, _, rest = body.partition(",")
    if rest and not _vocative(head, names):
        return False
    asked = rest.strip() if rest else body
    return bool(_ASKING_VERBS.match(asked)) or (not rest and _vocative(asked, names))


_HAND_OVER = re.compile(r"(?:^|[.!?]\s+|\b(?i:let'?s go to) (?:[A-Z][\w.]*\s+){0,3}?(?:\w+,\s+)?)([A-Z][a-z]+)"
                        r"(?:,\s*(?:you want to start|go ahead|you're up|over to you|you first))?[.?!]?$")
# … or "Let's go to Associated Press, Lita." / "Let's go to Lita." at the end
_MOVES_ON = re.compile(r"(?i)\b(?:questions?|time for|let'?s (?:go|start|take)|next|go ahead|you want to start|"
                       r"over to you|the floor)\b")


# Words that end a turn but call no one: titles, thanks, answers, days and months.
_NOT_CALLED = _TITLES | _THANKS | frozenset(
    "yes no chair right good sure indeed monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december".split())


# An official passing the question to another who then answers: "I'll let the Commissioner answer that.", "Let me
# bring in Dr. Mehta on that." (and 这个问题请王司长来回答。, _HANDOFF) — the next speaker named, by name or post.
_PASSES_TO = re.compile(
    r"(?i)^(?:(?:well|so|okay|ok|yeah|sure|look|and|great)[,.]?\s+)*(?:i(?:'ll|’ll| will|'m going to|’m going to| am going"
    r" to| want to)\s+(?:let|ask|have|turn (?:it |that )?(?:over )?to|hand (?:it |that )?(?:over )?to|defer to|bring (?:up|in)"
    r"|pass (?:it |that )?(?:over )?to)\b|let me (?:turn|hand|pass|bring|ask|let|defer)\b)[^.?!\d]{0,60}[.?!]?$")
_NOT_NAMING = frozenset("the of for and to mr mrs ms dr".split())


def _hands_over(text: str) -> bool:
    """A spokesperson's short turn that moves on and ends calling the next reporter by name: "We have time for two or
    three for the Ambassador. Matt.", "Okay. With that, let's go to your questions. Matt, you want to start?" — not
    an answer ("Essentially, yes.", "…on a solution, Mr. Chair.") nor one with a figure in it."""
    text = text.strip()
    m = _HAND_OVER.search(text)
    return len(text) <= 120 and not re.search(r"\d", text) and m is not None and m.start() > 0 \
        and m.group(1).lower() not in _NOT_CALLED \
        and bool(_MOVES_ON.search(text))


def _vocative(words: str, names: frozenset[str]) -> bool:
    parts = words.split()
    return 1 <= len(parts) <= 4 and all(p[:1].isupper() or p.lower().rstrip(".") in names for p in parts)


def _asks_substantively(text: str, *, answered: bool = False) -> bool:
    """A question of one's own, not a call on the next questioner: asking at its end, and long enough — or short
    ("And how does that compare with Storm Babet?") when an official, not a questioner, speaks next."""
    asks = ("?" in text[-200:] or "？" in text[-200:]) and not _HOST_REMARK.search(text[:80])
    return asks and (len(text) >= 120 or (answered and len(text) >= 20 and not _calls_on(text)))


def _is_closing(text: str) -> bool:
    tail = text[-60:]
    return bool(_CLOSING.search(tail)) or (len(text) < 40 and bool(re.search(r"谢谢\W*$", text)))


_GENERIC_REPORTERS = frozenset({"Reporter", "Q", "Question", "Journalist", "Audience"})
_FOLLOW_UPS = frozenset({"追问", "Follow-up", "Follow-Up", "Follow up", "Follow Up", "Followup"})
_NOT_A_NAME = frozenset("mr mrs ms madam sir prime minister secretary president governor chair chancellor premier "
                        "general deputy chief thank thanks good "
                        # "On Cyclone Nadia, how many homes…": the topic, not who asks
                        "on about regarding re back just so and but if when with after since given under over for "
                        "in at as following returning staying going "
                        "monday tuesday wednesday thursday friday saturday sunday".split())
# "Q: Thank you. Priya Nair, Reuters. Governor, …", "Daniel Okoro from the Financial Times. …": a reporter says who
# they are before asking.
_SELF_INTRODUCTION = re.compile(
    r"^(?:(?i:thank you|thanks|hi|hello|sorry|good (?:morning|afternoon|evening))[^.?!]{0,40}[.!,]\s+)?"
    # whom it is for, first: "Ambassador, Nadia Farouk with Al Arabiya.", "Prime Minister, David Akin, Global News."
    r"(?:(?:[A-Z][a-z]+[ \t]+)?(?:Minister|President|Secretary|Governor|Mayor|Ambassador|Chancellor|Premier|General"
    r"|Commissioner|Director|Chair|Spokesperson)[ \t]*,[ \t]+|[A-Z][a-z]+,[ \t]+)?"
    # A name of two or three words, or of one when "from" the outlet follows ("Sir, Neeraj from PTI.")
    r"(?:(?i:i'm|i am|this is)\s+)?((?!(?:Greetings|Hello|Regards|Reporting|Live|Calling|Speaking|Coming|Questions?)\b)"
    r"[A-Z][a-z'’-]+(?:(?:[ \t]+[A-Z][a-z'’-]+){1,2}|(?=[ \t]+from[ \t]))),?[ \t]+"
    r"(?:(?i:from|with|of)[ \t]+)?"
    r"((?:the[ \t]+)?[A-Z][\w&'’-]*(?:[ \t]+[A-Z][\w&'’-]*){0,4})(?:[ \t]+again)?[.,:][ \t]")


# How a follow-up opens: "And …", "A follow-up.", "So you're saying …", "(CROSSTALK) And the legal basis …".
_FOLLOWS_UP = re.compile(r"(?i)\s*(?:\((?:crosstalk|inaudible)\)\s*)?(?:and\b|a follow[- ]?up|follow[- ]?up|just to follow"
                         r"|to follow up|so\b|but\b|is that\b|are you\b|what about\b|how about\b|one more\b|also\b)")
# A host's call at the end of a turn: "… go to Jennifer Griffin, Fox.", "Last question. Phil Stewart."
_CALLED = re.compile(r"(?:^|[.!?,]\s+|\bto\s+)([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2})"
                     r"(?:,\s*([A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3}))?[.?!]?$")
_OUTLET_WORDS = frozenset("Press News Times Journal Post Radio Television Network Agency Daily Review Examiner "
                          "Reuters Bloomberg Associated Broadcasting".split())


def _generic_label(label: str | None) -> bool:
    """"Question", "Q", "记者": a label that names no one."""
    return bool(label) and (parse_person(label).name in _GENERIC_REPORTERS or label.strip() in ("记者", "問", "问"))


def _introduced_reporter(text: str) -> Speaker | None:
    """The reporter a generic 'Q:' / 'REPORTER:' label hides, when the question opens by saying who asks."""
    text = normalize(text)[:200]
    m = _SELF_INTRODUCTION.match(text)
    if m is None or any(w.lower() in _NOT_A_NAME for w in m.group(1).split()) or EN_POST_HEAD.fullmatch(m.group(1).split()[0]):
        return None  # not "Sorry, one more. Commissioner Tran, Washington Heights." (but "Jonathan Head, BBC.")
    if re.search(r"\bagain[.,:]?\s*$", m.group(0)) and not text[m.end(1):].startswith(","):
        return None  # "Maria Lopez, NY1 again." — not "Saturday Night Lights again."
    return Speaker(name=m.group(1), organization=re.sub(r"^the\s+", "", m.group(2)), role="reporter")


def _questioner(text: str) -> Speaker:
    if m := _OUTLET.match(text):
        return Speaker(name=f"{m.group(1)}记者", title="记者", organization=m.group(1), role="reporter")
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in text[:50])
    return Speaker(name="记者" if chinese else "Reporter", role="reporter")


def _extend_question(question: Question, turn: Turn) -> None:
    question.text += "\n" + turn.text
    question.line_end = turn.line_end


def _extend_utterance(utterance: Utterance, turn: Turn) -> None:
    utterance.text += "\n" + turn.text
    utterance.line_end = turn.line_end
    utterance.parts.append(turn)
