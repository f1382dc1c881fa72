"""Hearings and meetings: one chair, members who ask, witnesses and ministers who answer — and a question that names
anyone, a member too, finds that person's turn."""

from __future__ import annotations

import re
import shutil

import pytest

from qa import attribute_speakers, load_transcript
from qa.index.build import build_index
from qa.search.retrieval import Retriever
from qa.index.store import load_index

from .conftest import ROOT, SAMPLES
from .fakes import HashEmbedder

HEARING = SAMPLES / "hearing-committee.txt"


@pytest.fixture(scope="module")
def hearing():
    return attribute_speakers(load_transcript(HEARING))


def test_hearing_roles_come_from_the_transcript(hearing):
    roles = {s.name: s.role for s in hearing.speakers}
    assert roles == {"Ann Price MS": "host", "Owen Rees MS": "reporter", "Lisa Grant MS": "reporter",
                     "Gareth Lloyd MS": "official", "Dr Sara Bowen": "official"}


def test_witness_adding_to_a_minister_is_an_answer_not_a_remark(hearing):
    first = hearing.exchanges[0]
    assert [a.speaker.name for a in first.main_answers] == ["Gareth Lloyd MS", "Dr Sara Bowen"]
    assert all("Sara Bowen" not in r.speaker.name for r in hearing.remarks)


def test_chair_asking_a_question_of_her_own_opens_an_exchange(hearing):
    asked = [e for e in hearing.exchanges if e.question and e.question.questioner.name == "Ann Price MS"]
    assert len(asked) == 1 and "three-mile rule" in asked[0].question.text
    assert asked[0].main_answers[0].speaker.name == "Gareth Lloyd MS"
    assert {r.text for r in hearing.remarks} >= {"Thank you. Lisa Grant."}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hearing")
    shutil.copy(HEARING, folder)
    root = tmp_path_factory.mktemp("index")
    build_index([folder], root, embedder=HashEmbedder())
    return Retriever(load_index(root), embedder=HashEmbedder())


@pytest.mark.parametrize("question, questioner", [
    ("What did Lisa Grant ask about?", "Lisa Grant MS"),
    ("What did Owen Rees raise with the Minister?", "Owen Rees MS"),
])
def test_question_naming_a_member_finds_their_turn(retriever, question, questioner):
    top = retriever.search(question).hits[0]
    assert top.record.questioner == questioner and top.features["questioner_named"] == 1.0


def test_question_naming_a_witness_by_surname_finds_her_answer(retriever):
    top = retriever.search("What did Bowen say about fines?").hits[0]
    assert top.record.speaker.name == "Dr Sara Bowen" and "fine" in top.record.text


ONCE_SAID = """# Special committee on the pandemic

The Chair: I call this meeting to order. Rob Orford of the fisheries agency is with the minister. We go to Mrs. McLeod.

Mrs. Cathy McLeod: Chair, what will the government do for the forestry industry?

Hon. Seamus O'Regan: Mr. Chair, the expanding market opportunities program has helped the forestry sector.

Mrs. Cathy McLeod: Will the minister extend it to mills that closed in March?

Hon. Mona Fortier: We are looking at every sector, and mills will be part of that review.

Mill Closures: the review covers the twelve mills that closed in March.

The Chair: We go to Mr. d'Entremont.

Mr. Chris d'Entremont: Chair, when will the lobster fishery get its support?

Hon. Mona Fortier: The fish harvester benefit opens next week.

Mr. Chris d'Entremont: Okay.

Rob Orford: If I may add, the harvesters who started this year will qualify too.

Mr. Chris d'Entremont: Is that the whole package?

Hon. Mona Fortier: It is the first part of it.

The Chair: Thank you.
"""


@pytest.fixture(scope="module")
def once_said(tmp_path_factory):
    path = tmp_path_factory.mktemp("once") / "once-said.txt"
    path.write_text(ONCE_SAID, encoding="utf-8")
    return attribute_speakers(load_transcript(path))


def test_a_name_label_said_once_is_a_speaker_not_part_of_the_question(once_said):
    names = {s.name for s in once_said.speakers}
    assert {"Hon. Seamus O'Regan", "Mr. Chris d'Entremont", "Rob Orford"} <= names
    # A capitalised phrase said once, named nowhere else, is still the minister speaking.
    assert "Mill Closures" not in names
    assert any("twelve mills" in a.text and a.speaker.name == "Hon. Mona Fortier"
               for e in once_said.exchanges for a in e.main_answers)
    forestry = once_said.exchanges[0]
    assert "expanding market" not in forestry.question.text
    assert forestry.main_answers[0].speaker.name == "Hon. Seamus O'Regan"


def test_an_acknowledgement_opens_no_exchange(once_said):
    lobster = next(e for e in once_said.exchanges if "lobster" in e.question.text)
    assert [a.speaker.name for a in lobster.main_answers] == ["Hon. Mona Fortier", "Rob Orford"]
    assert "Okay." in {r.text for r in once_said.remarks}
    assert any(e.question.text == "Is that the whole package?" for e in once_said.exchanges)


def _committee(member_turns: list[str]) -> str:
    """A chair who opens and calls on members, a member who comments as often as she asks, a minister."""
    lines = ["# Committee", "", "Lynne Neagle AM: Good morning, everyone. Welcome to the committee. Suzy Davies."]
    for text in member_turns:
        lines += ["", f"Suzy Davies AM: {text}", "", "Kirsty Williams AM: " + "We have put in place a plan for schools, "
                  "and it is working well; the figures for this term show it, and we will publish them. " * 2,
                  "", "Lynne Neagle AM: Thank you. Suzy."]
    lines += ["", "Lynne Neagle AM: Thank you, Minister. That brings us to the end of the session."]
    return "\n".join(lines) + "\n"


def test_committee_member_who_also_comments_is_a_questioner_and_the_opener_chairs(tmp_path):
    path = tmp_path / "committee.txt"
    path.write_text(_committee([
        "Thank you, Chair. What will happen to the exams next summer?",
        "I think parents will be pleased to hear that, and so will the teachers in my region.",
        "The schools in my region are still waiting to hear about the grades.",
        "That is helpful. The unions told us they were worried about the timing of all this.",
        "Will you publish the figures for each school?",
        "Fine, I will leave it there for now.",
    ]), encoding="utf-8")
    roles = {s.name: s.role for s in attribute_speakers(load_transcript(path)).speakers}
    assert roles == {"Lynne Neagle AM": "host", "Suzy Davies AM": "reporter", "Kirsty Williams AM": "official"}


def test_the_chair_and_the_acting_chair_chair_by_their_label(tmp_path):
    path = tmp_path / "house.txt"
    path.write_text("# House\n\nThe Chair: We go to Mr. Reid.\n\nMr. Scott Reid: Will the minister extend the "
                    "benefit?\n\nHon. Carla Qualtrough: Yes, by eight weeks.\n\nThe Acting Chair: We go to Ms. May.\n\n"
                    "Ms. Elizabeth May: When will the fishers get their support?\n\nHon. Carla Qualtrough: Next week.\n",
                    encoding="utf-8")
    roles = {s.name: s.role for s in attribute_speakers(load_transcript(path)).speakers}
    assert roles["The Chair"] == roles["The Acting Chair"] == "host"
    assert roles["Hon. Carla Qualtrough"] == "official"


def test_a_press_secretary_who_calls_on_reporters_with_a_question_mark_still_answers(tmp_path):
    answer = ("We have been very clear about this, and the President said so again this morning: the plan is on "
              "track, the funding is there, and the agencies are moving as fast as they can to get it out the door. We "
              "will have more to say on the timing later this week.")
    lines = ["# Press briefing", ""]
    for name in ("Jeff", "Mary", "Zeke"):
        lines += [f"Ms. Dana Cole: Go ahead, {name}?", "", "Q: When will the money reach the states?", "",
                  f"Ms. Dana Cole: {answer}", ""]
    path = tmp_path / "briefing.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    assert {s.name: s.role for s in briefing.speakers}["Ms. Dana Cole"] != "reporter"
    asked = [e for e in briefing.exchanges if e.question is not None]
    assert len(asked) == 3 and all("funding is there" in e.main_answers[0].text for e in asked)


def _indexed(tmp_path, lines: list[str]) -> Retriever:
    """A one-transcript index of these lines, with the fake embedder."""
    folder = tmp_path / "transcripts"
    folder.mkdir(parents=True)
    (folder / "hearing.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    build_index([folder], tmp_path / "index", embedder=HashEmbedder())
    return Retriever(load_index(tmp_path / "index"), embedder=HashEmbedder())


def test_a_title_the_questioners_use_names_who_answers_them(tmp_path):
    lines = ["# House", "", "The Chair: We go to Mr. Reid."]
    for topic in ("the wage subsidy", "the rent relief", "the student benefit"):
        lines += ["", f"Mr. Scott Reid: Chair, will the Prime Minister extend {topic} to the end of the year?", "",
                  f"Right Hon. Justin Trudeau: Mr. Chair, we are looking at {topic} and will say more soon.", "",
                  f"Mr. Scott Reid: Will the Minister of Finance pay for {topic} without new debt?", "",
                  f"Hon. Bill Morneau: Mr. Chair, {topic} is paid for within the plan we set out."]
    retriever = _indexed(tmp_path, lines)
    assert retriever.analyse("What did the Prime Minister say about rent relief?").persons == {"Right Hon. Justin Trudeau"}
    assert retriever.analyse("What did the minister of finance say?").persons == {"Hon. Bill Morneau"}
    assert retriever.analyse("What did the minister say?").persons == set()  # one word names too many


@pytest.mark.parametrize("turn, acknowledges", [
    ("Okay.", True), ("Right, thank you, Minister.", True), ("So do I.", True), ("好的。", True),
    ("Thanks, Dr Blaney.", True),
    ("And on the Fed chair —", False), ("One more on Ukraine.", False), ("关于专利转化运用专项行动。", False),
    ("and when do talks with ukraine resume", False),  # a caption question without its question mark
])
def test_only_acknowledgement_words_open_no_exchange(turn, acknowledges):
    from qa.speakers.attribution import _acknowledges

    assert _acknowledges(turn) is acknowledges


def test_a_premier_who_opens_a_press_conference_and_answers_briefly_is_no_chair(tmp_path):
    path = tmp_path / "presser.txt"
    path.write_text(
        "Premier Ford: Good morning, everyone. Today we are announcing new funding for hospitals across Ontario.\n\n"
        "Q: How much of the funding goes to Toronto hospitals this year?\n\n"
        "Premier Ford: About a third of it, roughly 400 million dollars.\n\n"
        "Q: When will the new beds open in Brampton?\n\n"
        "Premier Ford: By the end of next year, that's our target.\n\n"
        "Q: What is the current ICU occupancy in the province?\n\n"
        "Dr. Moore: ICU occupancy is at 85 percent provincewide, down from 92 percent last month.\n",
        encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    assert {s.name: s.role for s in briefing.speakers}["Premier Ford"] == "official"
    answered = [e for e in briefing.exchanges if e.question is not None]
    assert [e.main_answers[0].speaker.name for e in answered] == ["Premier Ford", "Premier Ford", "Dr. Moore"]


def test_a_surname_that_is_also_a_word_names_its_speaker_only_written_as_a_name(tmp_path):
    """Hearings say "young people" far more than "Ms. Young": 'young' names Kate Young only capitalised."""
    lines = ["# Committee", "", "The Chair: We go to Ms. Young."]
    for topic in ("young people in care", "young carers", "support for young parents"):
        lines += ["", f"Ms. Kate Young: Minister, what is being done about {topic}?", "",
                  f"Hon. Ahmed Hussen: Mr. Chair, we fund programmes for {topic} and for young workers."]
    retriever = _indexed(tmp_path, lines)
    assert retriever.analyse("What is done for young people in care?").persons == set()
    assert retriever.analyse("What did Young ask about carers?").persons == {"Ms. Kate Young"}
    assert retriever.analyse("What did Kate Young ask?").persons == {"Ms. Kate Young"}
    assert retriever.analyse("What did Hussen say about young carers?").persons == {"Hon. Ahmed Hussen"}


def test_a_given_name_one_person_has_names_them(tmp_path):
    """Kirsty answers alone; two Suzys answer (and a Kirsty asks in the second hearing): a shared given name names
    no one."""
    lines = ["# Committee", "", "Lynne Neagle AM: Questions from Dawn."]
    for topic in ("school buses", "exams"):
        lines += ["", f"Dawn Bowden AM: Minister, what about {topic}?", "",
                  f"Kirsty Williams AM: We are reviewing {topic} this term.", "",
                  f"Dawn Bowden AM: And what does the inspectorate say about {topic}?", "",
                  f"Suzy Davies AM: The inspectorate found {topic} cost more.", "",
                  f"Dawn Bowden AM: And the councils, on {topic}?", "",
                  f"Suzy Jones AM: The councils set the timing of {topic}."]
    retriever = _indexed(tmp_path, lines)
    assert retriever.analyse("What did Kirsty say about exams?").persons == {"Kirsty Williams AM"}
    assert retriever.analyse("What did Suzy say about buses?").persons == set()  # two Suzys: no one
    shared = ["# Committee", "", "Lynne Neagle AM: Questions from Kirsty Davies.", "",
              "Kirsty Davies AM: Minister, what about exams?", "", "Kirsty Williams AM: We are reviewing exams."]
    retriever = _indexed(tmp_path / "shared", shared)
    assert retriever.analyse("What did Kirsty ask about exams?").persons == set()  # one answers, one asks


def test_a_given_name_that_is_also_a_word_names_no_one(tmp_path):
    """'Grant' answers here, and the hearing talks of grants: "Grant funding…" asks about no person."""
    lines = ["# Committee", "", "Lynne Neagle AM: Questions from Suzy."]
    for topic in ("the grant for schools", "grants to colleges", "the new grant"):
        lines += ["", f"Suzy Davies AM: Minister, what about {topic}?", "", f"Grant Shapps MS: The grant is set."]
    retriever = _indexed(tmp_path, lines)
    assert retriever.analyse("Grant funding for schools: what was said?").persons == set()
    assert retriever.analyse("What did Shapps say?").persons == {"Grant Shapps MS"}


def test_numbered_committee_questions_and_a_chairs_short_follow_up(tmp_path):
    """"Q12 Chair:" is the chair's label with the question's number before it; the chair's short "And how does that
    compare…?" is a question when a witness answers it; a witness's closing "Thank you, Chair." answers nothing."""
    path = tmp_path / "efra.txt"
    path.write_text(
        "Environment Committee\nOral evidence, Tuesday 20 January 2026\n\n"
        "Q12 Chair: Good morning. Minister, how many properties were flooded during Storm Idris?\n\n"
        "Rachel Whitfield: Our latest figure is 4,870 properties flooded in England.\n\n"
        "Q13 Chair: And how does that compare with Storm Babet?\n\n"
        "Rachel Whitfield: It is somewhat lower. Babet flooded around 2,150 homes.\n\n"
        "Q14 Tom Atherton: Why were the Shrewsbury defences not ready?\n\n"
        "Dr Greaves: The scheme slipped by 14 months because of contaminated ground.\n\n"
        "Q15 Tom Atherton: What has that delay cost?\n\n"
        "Dr Greaves: The budget rose from £18.4 million to £23.9 million.\n\n"
        "Chair: Thank you both. We will write to you.\n\n"
        "Rachel Whitfield: Thank you, Chair.\n", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    roles = {s.name: s.role for s in briefing.speakers}
    assert roles == {"Chair": "host", "Rachel Whitfield": "official", "Dr Greaves": "official",
                     "Tom Atherton": "reporter"}
    asked = [(e.question.questioner.name, e.question.text, [a.text for a in e.main_answers])
             for e in briefing.exchanges if e.question]
    assert [q[:2] for q in asked][:2] == [
        ("Chair", "Good morning. Minister, how many properties were flooded during Storm Idris?"),
        ("Chair", "And how does that compare with Storm Babet?")]
    assert asked[1][2] == ["It is somewhat lower. Babet flooded around 2,150 homes."]
    assert all("Thank you, Chair." not in a for _, _, answers in asked for a in answers)
    assert load_transcript(path).date == "2026-01-20"


@pytest.mark.parametrize("numbered", [True, False])
def test_a_member_who_asks_once_is_a_questioner_by_the_question_number_or_the_members_list(tmp_path, numbered):
    """"Q2 Ben Bradshaw:" said once, in a hearing too short for names to repeat: the question number says a speaker's
    label follows, and so does the header's "Members present" list without the numbers. Read as text, his question
    joined the witness's answer before it and made her a questioner, and the file had no answer at all."""
    path = tmp_path / "health.txt"
    text = ("Health Committee\nOral evidence: Hospital waiting lists, HC 412\nTuesday 10 March 2026\n\n"
            "Members present: Dr Sarah Wollaston (Chair); Ben Bradshaw; Rosie Cooper.\n\n"
            "Q1 Chair: Professor Stokes-Lampard, how long are patients waiting for a GP appointment?\n\n"
            "Professor Stokes-Lampard: On average two weeks, and in some areas nearer three.\n\n"
            "Q2 Ben Bradshaw: Mr Hopson, what is driving the waiting lists in hospitals?\n\n"
            "Chris Hopson: Mainly a lack of beds. Occupancy is at 94 percent.\n\n"
            "Q3 Rosie Cooper: Is funding the answer?\n\n"
            "Chris Hopson: Partly, but staffing matters more.\n")
    path.write_text(text if numbered else re.sub(r"(?m)^Q\d ", "", text), encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    roles = {s.name: s.role for s in briefing.speakers}
    assert roles["Ben Bradshaw"] == roles["Rosie Cooper"] == "reporter"
    assert roles["Professor Stokes-Lampard"] == roles["Chris Hopson"] == "official"
    asked = [(e.question.questioner.name, [a.text for a in e.main_answers]) for e in briefing.exchanges if e.question]
    assert asked[1] == ("Ben Bradshaw", ["Mainly a lack of beds. Occupancy is at 94 percent."])


def test_a_gpo_hearing_reads_its_record_labels_and_the_header_lists(tmp_path):
    """A House hearing as GPO prints it: "    Mr. Okafor." and "    The Chair." open hard-wrapped paragraphs, an all-caps
    heading with a colon or a dot is no speaker, the members listed in the header ask (the ranking member's long
    opening statement too) and the witnesses listed answer, with the posts their wrapped lines give."""
    path = tmp_path / "hearing.txt"
    path.write_text(
        "                 KEEPING THE LIGHTS ON: GRID RELIABILITY\n\n"
        "    The subcommittee met, pursuant to call, at 10:02 a.m., Hon. Teresa Vance presiding.\n"
        "    Members present: Representatives Vance, Okafor (ranking member),\nBrandt, and Liu.\n"
        "    Witnesses present: Karin Lindqvist, Senior Vice President, North American\n"
        "Electric Reliability Corporation; Tunde Adeyemi, Chief Executive\nOfficer, Prairie Plains Electric Cooperative.\n"
        "    The Chair. The Subcommittee on Energy will now come to order. I\nrecognize the ranking member.\n"
        "      OPENING STATEMENT OF HON. JAMES OKAFOR, A REPRESENTATIVE IN\n"
        "    Mr. Okafor. Thank you, Madam Chair. Heat is the deadliest weather we\n"
        "have, and when the power goes out in a heat wave, people die in their\napartments. I yield back.\n"
        "    The Chair. Thank you. Ms. Lindqvist, will the Midwest shed load this\nsummer?\n"
        "    Ms. Lindqvist. Under normal weather we do not expect it to. Under a\nlong heat dome, yes.\n"
        "    Mr. Okafor. Mr. Adeyemi, how long do you wait for a transformer?\n"
        "    Mr. Adeyemi. Four years. We ordered one in 2022.\n"
        "    Ms. Brandt. Would a federal reserve of transformers help?\n"
        "    Mr. Adeyemi. It would, if it holds the sizes rural systems use.\n"
        "    Mr. Liu. Ms. Lindqvist, is the shortage a reliability risk?\n"
        "    Ms. Lindqvist. Yes.\n", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    assert briefing.transcript.format == "caps"
    people = {s.name: (s.role, s.title) for s in briefing.speakers}
    assert people == {"The Chair": ("host", ""), "Mr. Okafor": ("reporter", ""), "Ms. Brandt": ("reporter", ""),
                      "Mr. Liu": ("reporter", ""), "Ms. Lindqvist": ("official", "Senior Vice President"),
                      "Mr. Adeyemi": ("official", "Chief Executive Officer")}
    asked = [(e.question.questioner.name, [a.speaker.name for a in e.main_answers]) for e in briefing.exchanges
             if e.question and e.main_answers]
    assert asked[-3:] == [("Mr. Okafor", ["Mr. Adeyemi"]), ("Ms. Brandt", ["Mr. Adeyemi"]), ("Mr. Liu", ["Ms. Lindqvist"])]


def test_white_house_q_turns_and_an_officials_pleasantries(tmp_path):
    """"Q    text" (a Q and spaces, as whitehouse.gov writes it) is a reporter's question; the press secretary's
    "Go ahead, Jacqui." and "Thank you, Madam Secretary." answer nothing; her "No." answers."""
    path = tmp_path / "wh.txt"
    path.write_text(
        "Press Briefing by Press Secretary Karoline Leavitt\nFebruary 12, 2026\n\n"
        "MS. LEAVITT:  Good afternoon. The President signed an order this morning.\n\n"
        "Q    When will the vaccine pilot expand?\n\n"
        "SECRETARY ROLLINS:  In April, to Pennsylvania and Georgia.\n\n"
        "Q    Will you cap the indemnity payments?\n\n"
        "SECRETARY ROLLINS:  No.  There is no cap.\n\n"
        "MS. LEAVITT:  Thank you, Madam Secretary.\n\n"
        "Q\tKaroline, on the shutdown --\n\n"
        "MS. LEAVITT:  Go ahead, Jacqui.\n\n"
        "Q    Is the President willing to sign a stopgap?\n\n"
        "MS. LEAVITT:  No.\n", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    answered = {e.question.text: [a.text for a in e.main_answers] for e in briefing.exchanges if e.question}
    assert answered["Will you cap the indemnity payments?"] == ["No.  There is no cap."]
    assert answered["Is the President willing to sign a stopgap?"] == ["No."]
    assert {r.text for r in briefing.remarks} >= {"Thank you, Madam Secretary.", "Go ahead, Jacqui."}


def test_a_follow_up_labelled_zhuiwen_is_a_question_not_part_of_the_answer(tmp_path):
    """外交部's transcripts label a reporter's follow-up 追问：; it asks, it is not the spokesperson's words."""
    path = tmp_path / "mfa.txt"
    path.write_text("外交部发言人例行记者会\n\n宋立群：下午好。今天没有要发布的消息。\n\n法新社记者：中方船只是否使用了水炮？\n\n"
                    "宋立群：中方的执法行动专业、克制，符合国际法。\n\n追问：是否造成了人员伤亡？\n\n宋立群：没有人员伤亡。\n",
                    encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    asked = [(e.question.text, [a.text for a in e.main_answers]) for e in briefing.exchanges if e.question]
    assert asked[-1] == ("是否造成了人员伤亡？", ["没有人员伤亡。"])
    assert all("人员伤亡？" not in a for _, answers in asked[:-1] for a in answers)


def test_a_transcript_that_gives_no_answer_is_reported_not_indexed_silently(tmp_path, capsys):
    """Every label read as a questioner's: the build and `qa parse` say so in one line naming the file and the fix,
    and the other transcripts are indexed."""
    from qa.cli import main

    folder = tmp_path / "transcripts"
    folder.mkdir()
    shutil.copy(HEARING, folder / "hearing.txt")
    (folder / "misread.txt").write_text("".join(f"{who}: What about item {n}?\n\n" for n, who in enumerate(
        ["Reporter", "Journalist"] * 2)), encoding="utf-8")
    report = build_index([folder], tmp_path / "index", embedder=HashEmbedder())
    assert report.transcripts == 2 and report.answers > 0
    warnings = [note for note in report.notes() if note.startswith("warning:")]
    assert len(warnings) == 1 and "'misread.txt'" in warnings[0] and "qa parse misread.txt" in warnings[0]
    assert main(["parse", str(folder / "misread.txt")]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "qa: warning: no answer was read in 'misread.txt'" in err
    assert main(["parse", str(folder / "hearing.txt")]) == 0 and capsys.readouterr().err == ""


_HEADER = ("Press Briefing by Press Secretary Karoline Leavitt and Secretary of Agriculture Brooke Rollins\n"
           "Witnesses: Dr Martin Greaves, Chief Executive, Environment Agency.\n\n")


def test_titles_and_bodies_come_from_the_header_and_name_their_holders(tmp_path):
    """The labels say "MS. LEAVITT:", "SECRETARY ROLLINS:", "Dr Greaves:"; the header says who they are. The titles
    reach the speakers, and a question names them by title, by a full name the label shortens, or in Chinese by
    sound."""
    from qa.search.about import answer_about

    turns = [("MS. LEAVITT", "Good afternoon. The President signed the paperwork order this morning."),
             ("Q", "When will the vaccine pilot expand?"),
             ("SECRETARY ROLLINS", "In April, to Pennsylvania and Georgia, once the trade review is done."),
             ("Q", "Will you cap the indemnity payments?"),
             ("SECRETARY ROLLINS", "No. There is no cap, but payments are tied to a biosecurity audit."),
             ("Q", "How many flood warnings were issued?"),
             ("Dr Greaves", "We issued 312 flood warnings and 9 severe flood warnings over the storm.")]
    retriever = _indexed(tmp_path, [_HEADER] + [f"{label}:  {text}\n" for label, text in turns])
    speakers = {a.speaker.name: a.speaker for a in retriever.index.answers}
    assert speakers["Secretary Rollins"].title == "Secretary of Agriculture"
    assert speakers["Ms. Leavitt"].title == "Press Secretary"
    assert (speakers["Dr Greaves"].title, speakers["Dr Greaves"].organization) == ("Chief Executive", "Environment Agency")
    assert speakers["Dr Greaves"].display == "Dr Greaves (Chief Executive, Environment Agency)"
    for question, who in [("What did the Agriculture Secretary say?", "Secretary Rollins"),
                          ("What did the press secretary say?", "Ms. Leavitt"),
                          ("What did Dr Martin Greaves say?", "Dr Greaves"),
                          ("罗林斯说了什么？", "Secretary Rollins")]:
        body = answer_about(retriever.index, question)
        assert body is not None and body["about"]["name"] == who, question


def test_a_post_label_is_named_by_the_header_that_writes_the_name_before_the_post(tmp_path):
    """"Spokesman:" under "Noon briefing by Stéphane Dujarric, Spokesman for the Secretary-General" is Dujarric, so
    "What did Dujarric say?" finds him; a post the header gives another name does not ("…, Deputy Spokesman")."""
    from qa.search.about import answer_about

    path = tmp_path / "noon.txt"
    path.write_text("Daily Press Briefing\n\n18 November 2026\n\nNoon briefing by Stéphane Dujarric, Spokesman for "
                    "the Secretary-General, and Farhan Haq, Deputy Spokesman\n\n"
                    "Spokesman:  Good afternoon. The convoy of 40 trucks crossed at Adre this morning.\n\n"
                    "Question:  How many people were reached?\n\n"
                    "Spokesman:  About 120,000 people received food rations this week.\n", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    names = {s.name for s in briefing.speakers}
    assert "Spokesman Stéphane Dujarric" in names and "Spokesman" not in names
    retriever = _indexed(tmp_path, [path.read_text(encoding="utf-8")])
    assert answer_about(retriever.index, "What did Dujarric say?")["about"]["name"] == "Spokesman Stéphane Dujarric"


def test_a_chairs_first_label_names_her_and_the_bare_post_after_is_her(tmp_path):
    """"The Convener (Edward Mountain):" once, "The Convener:" after: one host, Edward Mountain, Convener."""
    path = tmp_path / "committee.txt"
    path.write_text("Net Zero, Energy and Transport Committee\n\nTuesday 3 November 2026\n\n"
                    "The Convener (Edward Mountain): Good morning. We take evidence on ferries.\n\n"
                    "Mr. Graham Simpson (Central Scotland, Con): How many vessels are out of service?\n\n"
                    "Dr. Jane Doe (University of Strathclyde): Four of the ten major vessels.\n\n"
                    "The Convener: Thank you. When do the new hulls arrive?\n\n"
                    "Dr. Jane Doe: The first in March 2027.\n", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    people = {s.name: (s.title, s.role) for s in briefing.speakers}
    assert people["Edward Mountain"] == ("Convener", "host") and "The Convener" not in people
    assert [a.speaker.name for e in briefing.exchanges for a in e.answers] == ["Dr. Jane Doe", "Dr. Jane Doe"]


def test_a_caption_files_introduction_over_several_cues_names_the_officials_and_the_event(tmp_path):
    """SRT cues split the host's "今天出席发布会的有：…局长周海涛先生，…副局长陈敏女士。" over lines: the officials get
    their titles, so 周局长 names 周海涛; the host's welcome names the event, which is the title."""
    from qa.search.about import answer_about

    cues = ["主持人：各位媒体朋友，上午好！欢迎出席广州市防御台风“桦加沙”新闻发布会。",
            "今天出席发布会的有：广州市应急管理局局长周海涛先生，", "广州市水务局副局长陈敏女士。下面请周海涛局长介绍有关情况。",
            "周海涛：谢谢主持人。全市平均降雨量达到186毫米。", "南方日报记者：请问这次台风造成了多少直接经济损失？",
            "周海涛：初步统计，直接经济损失约3.2亿元。", "羊城晚报记者：哪些地方出现了内涝？", "陈敏：天河路和海珠区出现了内涝。"]
    srt = "".join(f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\n{text}\n\n" for n, text in enumerate(cues, 1))
    folder = tmp_path / "transcripts"
    folder.mkdir()
    (folder / "gz.srt").write_text(srt, encoding="utf-8")
    build_index([folder], tmp_path / "index", embedder=HashEmbedder())
    index = load_index(tmp_path / "index")
    assert index.transcripts["gz"]["title"] == "广州市防御台风“桦加沙”新闻发布会"
    speakers = {a.speaker.name: a.speaker for a in index.answers}
    assert (speakers["周海涛"].organization, speakers["周海涛"].title) == ("广州市应急管理局", "局长")
    assert answer_about(index, "周局长讲了哪些内容？")["about"]["name"] == "周海涛"
    assert answer_about(index, "应急管理局局长说了什么？")["about"]["name"] == "周海涛"  # the body without its city


def test_a_chinese_title_written_before_the_name_in_the_header_is_the_speakers(tmp_path):
    path = tmp_path / "mfa.txt"
    path.write_text("2026年3月5日外交部发言人宋立群主持例行记者会\n\n宋立群：下午好。\n\n法新社记者：中方是否使用了水炮？\n\n"
                    "宋立群：中方的执法行动专业、克制。\n\n路透社记者：美方的出口管制呢？\n\n宋立群：中方坚决反对。\n", encoding="utf-8")
    speaker = next(s for s in attribute_speakers(load_transcript(path)).speakers if s.name == "宋立群")
    assert (speaker.organization, speaker.title) == ("外交部", "发言人")
    from qa.search.about import answer_about

    retriever = _indexed(tmp_path / "i", path.read_text(encoding="utf-8").splitlines())
    for question in ("What did the foreign ministry spokesperson say?", "外交部发言人说了什么？"):
        assert answer_about(retriever.index, question)["about"]["name"] == "宋立群", question


@pytest.mark.parametrize("text, pleasantry", [
    ("Thank you, Madam Secretary.", True), ("Okay, let's keep going.  Peter.", True), ("Go ahead, Jacqui.", True),
    ("谢谢大家。", True), ("Thank you, Chair.", True), ("No.", False), ("Thank you. Absolutely.", False),
    ("Thanks, Peter. Tuesday.", False), ("Thank you. Nine.", False), ("Thank you. Yes, we will.", False),
    ("谢谢。我们会的。", False),
])
def test_a_pleasantry_is_thanks_or_a_call_with_vocatives_and_no_answer_in_it(text, pleasantry):
    from qa.speakers.attribution import _is_pleasantry

    assert _is_pleasantry(text) is pleasantry


def test_pleasantries_acknowledgements_and_calls_are_read_in_linear_time():
    """Patterns of nested repeats took seconds (and doubled with each dot or capital) on lines like these."""
    import time

    from qa.lexicon import normalize
    from qa.speakers.attribution import _acknowledges, _calls_on, _is_pleasantry

    lines = ["Thank you" + "." * 40 + " 5", "Okay" + "." * 40 + " 5", normalize("谢谢" + "…" * 30 + "？"),
             "THANK YOU, MR CHAIRMAN, AND MEMBERS OF THE COMMITTEE 2", "Thanks " + "A" * 60 + "?", "A" * 200 + "?"]
    started = time.perf_counter()
    for line in lines:
        _is_pleasantry(line), _acknowledges(line), _calls_on(line)
    assert time.perf_counter() - started < 0.5


def test_an_all_caps_heading_is_no_titled_speaker(tmp_path):
    """"GENERAL NOTE:" starts with a title word but names no one; "SECRETARY ROLLINS:" does."""
    from collections import Counter

    from qa.ingest.formats.paragraphs import label_ok

    assert not label_ok("GENERAL NOTE", "colon", Counter({"GENERAL NOTE": 1}))
    assert not label_ok("PRESIDENTIAL PROCLAMATION", "colon", Counter({"PRESIDENTIAL PROCLAMATION": 1}))
    assert label_ok("SECRETARY ROLLINS", "colon", Counter({"SECRETARY ROLLINS": 1}))


def test_a_numbered_hearing_question_opens_an_exchange_however_plain():
    briefing = attribute_speakers(load_transcript(
        ROOT / "tests" / "data" / "fresh-formats" / "uk-efra-flood-2026-01-20.txt"))
    asked = {e.question.text: [a.speaker.name for a in e.main_answers] for e in briefing.exchanges if e.question}
    assert asked["So you are running to stand still."] == ["Dr Greaves"]


@pytest.mark.parametrize("header, name, title", [
    ("Present:\nSecretary of State for Health Wes Streeting\nProfessor Chris Whitty\n\n", "Chris Whitty", "Professor"),
    ("Rachel Whitfield MP, responding to the Chief Medical Officer's report.\n\n", "Rachel Whitfield", ""),
])
def test_a_header_title_is_a_post_on_the_speakers_line(tmp_path, header, name, title):
    path = tmp_path / "h.txt"
    path.write_text(header + f"Q: What now?\n\n{name}: We act.\n\nQ: When?\n\n{name}: Soon.\n", encoding="utf-8")
    speaker = next(s for s in attribute_speakers(load_transcript(path)).speakers if s.name == name)
    assert speaker.title == title


def test_a_chinese_name_in_the_header_ends_where_the_name_ends():
    from qa.speakers.header import _chinese_titles
    from qa.speakers.roster import Roster, Speaker

    roster = Roster([Speaker("张伟"), Speaker("宋立群")])
    _chinese_titles("外交部副局长张伟东主持记者会，外交部发言人宋立群出席", roster)
    assert [(s.name, s.title) for s in roster.speakers] == [("张伟", ""), ("宋立群", "发言人")]


def test_a_given_name_the_transcripts_never_write_names_no_one(tmp_path):
    from qa.search.about import answer_about

    retriever = _indexed(tmp_path, ["Witnesses: Dr Martin Greaves, Chief Executive, Environment Agency.", "",
                                    "Q: How many warnings?", "", "Dr Greaves: We issued 312 flood warnings.", "",
                                    "Q: And severe ones?", "", "Dr Greaves: Nine severe flood warnings."])
    assert answer_about(retriever.index, "What did Dr Martin Greaves say?")["about"]["name"] == "Dr Greaves"
    assert answer_about(retriever.index, "What did Peter Greaves say?") is None


def test_a_chair_closing_a_panel_asks_no_one_and_the_next_panels_heading_is_no_speech(tmp_path):
    """"Can I thank all three witnesses for their evidence?" with the chair speaking next again is a remark, and
    "Examination of witness" / "Witness: Jonathan Reece." head the next panel."""
    from qa import attribute_speakers, load_transcript

    path = tmp_path / "panels.txt"
    path.write_text(
        "Energy Committee\nOral evidence: Grid connections\n\nMembers present: Dame Helen Marsh (Chair); Priya Kaur.\n\n"
        "Q1 Chair: Mr Fell, why is the queue so long? Many projects hold places they cannot use, and we want to know "
        "what you are doing about it?\n\nMartin Fell: Because half of it will never be built.\n\n"
        "Q2 Priya Kaur: How many engineers are missing from the connections process?\n\nMartin Fell: About 150.\n\n"
        "Chair: Thank you. We have run slightly over time. Can I thank all three witnesses for their evidence this "
        "morning? We will be following up in writing on the map.\n\nExamination of witness\n\nWitness: Jonathan Reece.\n\n"
        "Q3 Chair: Mr Reece, welcome. Is it fair that the first applicant pays for the transformer?\n\n"
        "Jonathan Reece: Not in every case.\n", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    assert [(e.question.text[:10], [a.speaker.name for a in e.answers]) for e in briefing.exchanges] == [
        ("Mr Fell, w", ["Martin Fell"]), ("How many e", ["Martin Fell"]), ("Mr Reece, ", ["Jonathan Reece"])]
    assert briefing.remarks[-1].text.endswith("following up in writing on the map.")


def test_a_senate_hearing_as_a_transcription_service_writes_it(tmp_path):
    """First use "SEN. MARIA CANTWELL (D-WASH.):" and "LAUREN PIKE, ASSISTANT INSPECTOR GENERAL …, U.S. DEPARTMENT
    OF TRANSPORTATION:", then "CANTWELL:" and "PIKE:"; the header's CHAIRMAN chairs, the senators ask."""
    from qa import attribute_speakers, load_transcript

    path = tmp_path / "senate.txt"
    path.write_text(
        "Senate Commerce Committee Holds Hearing on Air Traffic Controllers\n\nLIST OF PANEL MEMBERS AND WITNESSES\n\n"
        "SEN. ROGER WICKLAND (R-MISS.), CHAIRMAN\nSEN. MARIA CANTWELL (D-WASH.), RANKING MEMBER\n\n"
        "[*] SEN. ROGER WICKLAND (R-MISS.): The committee will come to order.\n\n"
        "WICKLAND: Today's hearing is on the controller workforce. Senator Cantwell.\n\n"
        "SEN. MARIA CANTWELL (D-WASH.): Thank you, Mr. Chairman. I want to start with the people in the tower.\n\n"
        "CANTWELL: Second, the hiring pipeline, which the law says must be at the maximum.\n\n"
        "WICKLAND: Thank you. Ms. Pike.\n\n"
        "LAUREN PIKE, ASSISTANT INSPECTOR GENERAL FOR AVIATION AUDITS, U.S. DEPARTMENT OF TRANSPORTATION: Thank "
        "you. Our audit looked at the 26 most critical facilities.\n\n"
        "PIKE: Twenty of them were below the FAA's own staffing threshold.\n\n"
        "WICKLAND: Ms. Pike, how many facilities are on six-day weeks?\n\nPIKE: Eleven of the twenty-six.\n\n"
        "CANTWELL: And who decides when that ends?\n\nPIKE: The facility manager, with the union.\n", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    people = {s.name: (s.title, s.organization, s.role) for s in briefing.speakers}
    assert people == {
        "Sen. Roger Wickland": ("", "", "host"), "Sen. Maria Cantwell": ("", "", "reporter"),
        "Lauren Pike": ("Assistant Inspector General for Aviation Audits", "U.S. Department of Transportation", "official")}
    asked = [(e.question.questioner.name, [(a.speaker.name, a.text) for a in e.main_answers])
             for e in briefing.exchanges if e.question]
    assert asked[-2:] == [("Sen. Roger Wickland", [("Lauren Pike", "Eleven of the twenty-six.")]),
                          ("Sen. Maria Cantwell", [("Lauren Pike", "The facility manager, with the union.")])]
    statement = next(e for e in briefing.exchanges if e.question and e.question.line_start == 12)
    assert statement.question.line_end == 14  # her label said again: one opening statement, not two questions
