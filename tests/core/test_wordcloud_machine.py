"""Word clouds under every sequence: counts are the phones' current words, hidden words stay
hidden.

A Hypothesis state machine drives a word cloud through the pure core: phones send, replace
and withdraw words in many spellings (and lists that must be refused), the facilitator hides,
restores and lets words through, opens, closes, reveals and conceals, and the server restarts
(the meeting is rebuilt from its log). A model kept here, which knows which word each spelling
is without asking core/cloud.py, says after every step:

- a word's count, on the console, the screen and in the record, is how many phones send it now;
  every phone that sends any word is one responder;
- a refused list changes nothing, and is refused for the reason the model expects;
- a word hidden, or waiting for review, is in no screen view, no phone's view, no other phone's
  `mine`, the public results, and (checked once per generated meeting) no minutes format; in
  the JSON record only in `moderation`. Its own phones still see it, marked.
"""

from __future__ import annotations

import collections
import json
from collections.abc import Callable
from typing import Any

from budget import examples
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from facilitate.core import cloud, personal, record, views
from facilitate.core.errors import CommandError
from facilitate.core.events import FACILITATOR, Command, Event
from facilitate.core.meeting import Meeting
from facilitate.export import FORMATS, export

from .helpers import T0, make_plan
from .test_moderation_machine import snapshot, text_of

PHONES = ("p1", "p2", "p3", "p4")
PRESENCE = views.Presence(phones=len(PHONES))
# The words, as the model knows them (case-folded): no one is part of another, and one is a
# name, which waits for review when its spelling looks like one ("Kari Hansen", not in capitals).
WORDS = ("qw1qw", "qw2qw", "qw3qw", "mer qw4qw", "Kari Hansen")
# Spellings of one word that must count as that word.
SPELLINGS: tuple[Callable[[str], str], ...] = (
    lambda w: w,
    str.upper,
    str.title,
    lambda w: f"{w}.",
    lambda w: f"«{w}»",
    lambda w: f"  {w.title()} ",
    lambda w: w.replace(" ", "  \t"),
    lambda w: f"\u200b{w}!",
)
EMPTY = ("", "   ", "\u200b", "\t\n")


class WordCloudMachine(RuleBasedStateMachine):
    # Every format but Word at the end of each generated meeting; Word, which is slower and
    # renders the same model, in fewer meetings below.
    checked = tuple(fmt for fmt in FORMATS if fmt != "docx")

    @initialize(
        max_words=st.integers(1, 3),
        hold=st.booleans(),
        results=st.sampled_from(["live", "reveal"]),
        first=st.lists(
            st.tuples(st.sampled_from(range(len(WORDS))), st.sampled_from(range(len(SPELLINGS)))),
            min_size=len(PHONES),
            max_size=len(PHONES),
        ),
    )
    def start(self, max_words: int, hold: bool, results: str, first: list[tuple[int, int]]) -> None:
        self.plan = make_plan(
            {"id": "wc", "kind": "wordcloud", "title": "Ordsky", "max_words": max_words,
             "hold_personal": hold, "results": results},
            {"id": "poll", "kind": "poll", "title": "Spørsmål", "options": ["Ja", "Nei"]},
        )  # fmt: skip
        self.max_words = max_words
        self.hold = hold
        self.at = T0
        self.log: list[Event] = [Meeting.created("ABCD", self.plan, T0)]
        self.meeting = Meeting.replay(self.log)
        self.do(FACILITATOR, "goto", activity="wc")
        # The model: each phone's words now; the words hidden, looked personal, let through.
        self.sent: dict[str, list[str]] = {}
        self.ever: set[str] = set()
        self.hidden: set[str] = set()
        self.flagged: set[str] = set()
        self.released: set[str] = set()
        for pid, (word, how) in zip(PHONES, first, strict=True):  # a word from every phone
            self.sent_words(pid, [(WORDS[word], how)])

    def do(self, actor: str, type: str, **data: Any) -> list[Event] | CommandError:
        """Handle a command as the server does; the error when it is refused."""
        self.at += 1
        before = self.meeting.version
        try:
            events = self.meeting.handle(Command(type, data), actor, self.at, present=2)
        except CommandError as refused:
            assert self.meeting.version == before  # a refusal changes nothing
            return refused
        self.log.extend(events)
        return events

    def status(self, word: str) -> str:
        if word in self.hidden:
            return "hidden"
        if word in self.flagged and word not in self.released:
            return "held"
        return "visible"

    def counts(self) -> collections.Counter[str]:
        return collections.Counter(word for words in self.sent.values() for word in words)

    # -- phones ------------------------------------------------------------------------------

    @rule(pid=st.sampled_from(PHONES), data=st.data())
    def send(self, pid: str, data: st.DataObject) -> None:
        """A phone sends its words (none: it withdraws them), in any of their spellings."""
        chosen = data.draw(
            st.lists(
                st.tuples(st.sampled_from(WORDS), st.sampled_from(range(len(SPELLINGS)))),
                max_size=self.max_words,
                unique_by=lambda pair: pair[0],
            )
        )
        self.sent_words(pid, chosen)

    def sent_words(self, pid: str, chosen: list[tuple[str, int]]) -> None:
        spelled = [SPELLINGS[how](word) for word, how in chosen]
        words = [word.casefold() for word, _ in chosen]
        outcome = self.do(pid, "words", activity="wc", words=spelled)
        if not self.meeting.activities["wc"].open:
            assert isinstance(outcome, CommandError) and outcome.code == "closed"
            return
        assert not isinstance(outcome, CommandError), outcome.code
        if words:
            self.sent[pid] = words
        else:
            self.sent.pop(pid, None)
        self.ever.update(words)
        if self.hold:  # the server screens a word as it keeps it: inner white space as one space
            looks = [personal.reason(" ".join(s.split())) for s in spelled]
            self.flagged.update(w for w, why in zip(words, looks, strict=True) if why)

    @rule(
        pid=st.sampled_from(PHONES),
        data=st.data(),
        wrong=st.sampled_from(["too_many_words", "empty_word", "same_word"]),
    )
    def send_wrong(self, pid: str, data: st.DataObject, wrong: str) -> None:
        """A list the phone should not have sent is refused, for what is wrong with it."""
        spelling = st.sampled_from(range(len(SPELLINGS)))
        words = data.draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=self.max_words))
        spelled = [SPELLINGS[data.draw(spelling)](word) for word in words]
        if wrong == "too_many_words":
            spelled += ["qw9qw"] * (self.max_words + 1 - len(spelled))
        elif wrong == "empty_word":
            spelled[data.draw(st.integers(0, len(spelled) - 1))] = data.draw(st.sampled_from(EMPTY))
        else:
            spelled[-1] = SPELLINGS[data.draw(spelling)](words[0])
            if len(spelled) == 1:
                spelled.append(spelled[0])
            wrong = "same_word" if len(spelled) <= self.max_words else "too_many_words"
        outcome = self.do(pid, "words", activity="wc", words=spelled)
        assert isinstance(outcome, CommandError)
        assert outcome.code == ("closed" if not self.meeting.activities["wc"].open else wrong)

    @rule(pid=st.sampled_from(PHONES))
    def send_again(self, pid: str) -> None:
        """The same words again (a resend after a reconnect) change nothing."""
        if pid in self.sent and self.meeting.activities["wc"].open:
            again = list(cloud.of(self.meeting.activities["wc"]).words[pid])
            assert self.do(pid, "words", activity="wc", words=again) == []

    # -- the facilitator ---------------------------------------------------------------------

    def some_word(self, data: st.DataObject) -> str:
        """Mostly a word some phone has sent; now and then any."""
        sent = sorted(self.ever)
        return data.draw(st.sampled_from(sent * 4 + [w.casefold() for w in WORDS]))

    @rule(
        data=st.data(),
        how=st.sampled_from(range(len(SPELLINGS))),
        reason=st.sampled_from(["", "names a neighbour", "off topic"]),
    )
    def hide(self, data: st.DataObject, how: int, reason: str) -> None:
        word = self.some_word(data)
        outcome = self.do(
            FACILITATOR, "hide_word", activity="wc", word=SPELLINGS[how](word), reason=reason
        )
        if word not in self.ever:
            assert isinstance(outcome, CommandError) and outcome.code == "unknown_word"
        elif word in self.hidden:
            assert isinstance(outcome, CommandError) and outcome.code == "word_hidden"
        else:
            assert not isinstance(outcome, CommandError)
            self.hidden.add(word)

    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        word = data.draw(st.sampled_from(sorted(self.hidden) or [w.casefold() for w in WORDS]))
        outcome = self.do(FACILITATOR, "restore_word", activity="wc", word=word)
        if word in self.hidden:
            assert not isinstance(outcome, CommandError)
            self.hidden.discard(word)
            if word in self.flagged:
                self.released.add(word)
        else:
            assert isinstance(outcome, CommandError)

    @rule(data=st.data())
    def release(self, data: st.DataObject) -> None:
        word = self.some_word(data)
        outcome = self.do(FACILITATOR, "release_word", activity="wc", word=word)
        if self.status(word) == "held" and word in self.ever:
            assert not isinstance(outcome, CommandError)
            self.released.add(word)
        else:
            assert isinstance(outcome, CommandError)

    @rule(command=st.sampled_from(["open", "close", "reveal", "conceal", "goto", "goto"]))
    def toggle(self, command: str) -> None:
        self.do(FACILITATOR, command, activity="wc")

    @rule()
    def move_on(self) -> None:
        self.do(FACILITATOR, "goto", activity="poll")

    @rule()
    def restart(self) -> None:
        """The server restarts: the meeting is rebuilt from its log and carries on."""
        replayed = Meeting.replay(self.log)
        assert snapshot(replayed) == snapshot(self.meeting)
        self.meeting = replayed

    # -- what must hold after every step -----------------------------------------------------

    def withheld(self) -> set[str]:
        return {word for word in self.ever if self.status(word) != "visible"}

    @invariant()
    def counts_are_the_phones_current_words(self) -> None:
        counts = self.counts()
        state = self.meeting.activities["wc"]
        console = state.kind.console(state)
        listed = {w["word"]: w for w in console["words"]}
        assert {k: w["count"] for k, w in listed.items() if w["count"]} == dict(counts)
        assert {k: w["status"] for k, w in listed.items()} == {
            word: self.status(word) for word in {*counts, *self.hidden}
        }
        assert state.kind.responders(state) == set(self.sent)
        entry = next(a for a in record.build(self.log)["activities"] if a["id"] == "wc")
        visible = {w: n for w, n in counts.items() if self.status(w) == "visible"}
        assert {w["word"]: w["count"] for w in entry["words"]} == visible
        assert [w["count"] for w in entry["words"]] == sorted(visible.values(), reverse=True)
        assert entry["responders"] == len(self.sent)
        assert entry["hidden"] == len(self.hidden)

    @invariant()
    def the_screen_shows_the_visible_counts_when_results_are_shown(self) -> None:
        state = self.meeting.activities["wc"]
        shown = state.kind.screen(state)
        if not state.show_results:
            assert shown == {}
            return
        counts = self.counts()
        assert {w["word"]: w["count"] for w in shown["words"]} == {
            w: n for w, n in counts.items() if self.status(w) == "visible"
        }
        assert shown["more_words"] == 0

    @invariant()
    def withheld_words_reach_nobody_else(self) -> None:
        withheld = self.withheld()
        if not withheld:
            return
        for role in (views.screen, views.phone):
            seen = json.dumps(role(self.meeting, PRESENCE), ensure_ascii=False).casefold()
            assert not [w for w in withheld if w in seen], role.__name__
        for pid in PHONES:
            seen = json.dumps(views.mine(self.meeting, pid), ensure_ascii=False).casefold()
            own = set(self.sent.get(pid, ()))
            assert not [w for w in withheld - own if w in seen], pid
            for item in views.mine(self.meeting, pid).get("wc", {}).get("words", []):
                word = next(w for w in self.ever if w in item["text"].casefold())
                assert item["status"] == self.status(word)
        public = json.dumps(record.public(record.build(self.log)), ensure_ascii=False)
        assert not [w for w in withheld if w in public.casefold()]

    def teardown(self) -> None:
        if not hasattr(self, "meeting"):
            return
        assert snapshot(Meeting.replay(self.log)) == snapshot(self.meeting)
        withheld = self.withheld()
        built = record.build(self.log)
        for fmt in self.checked:
            document = export(built, fmt, lambda s: s)
            if fmt == "json":  # the archive: withheld words only in the moderation section
                archived = json.loads(document)
                for activity in archived["activities"]:
                    activity.pop("moderation", None)
                document = json.dumps(archived, ensure_ascii=False).encode()
            seen = text_of(document, fmt).casefold()
            assert not [w for w in withheld if w in seen], fmt


WordCloudMachine.TestCase.settings = settings(
    max_examples=examples(150),
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestWordCloud = WordCloudMachine.TestCase


class WordCloudInWord(WordCloudMachine):
    checked = ("docx",)


WordCloudInWord.TestCase.settings = settings(
    WordCloudMachine.TestCase.settings, max_examples=examples(25)
)
TestWordCloudInWord = WordCloudInWord.TestCase
