"""Word clouds: each phone sends a few words; the screen draws them, sized by how many phones
sent each. Pure.

Fields: `max_words` (1 to 3, default 3: how many words each phone may send) and `hold_personal`
(on unless set to false: a word that looks personal, such as a name or a phone number, waits in
the console until the facilitator lets it through or hides it; see core/personal.py).

A phone sends all its words at once (`words`), which replace those it sent before; `[]`
withdraws them. How words are checked, normalised and counted is in facilitate.core.cloud.

The facilitator hides a word by its normalised form (`hide_word`): every spelling of it is then
gone from the screen, every phone's view, the public results and the minutes, and only the
record's moderation section keeps it. `restore_word` shows it again; `release_word` lets a
held word through. A phone that sent a hidden or held word still sees it among its own words,
marked, as a note's author does: moderation is never silent to the person it touches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from facilitate.core import board, cloud, personal, writing
from facilitate.core.activity import ActivityState
from facilitate.core.blocks import (
    Bar,
    Bars,
    Block,
    Column,
    Context,
    Input,
    Inputs,
    Moderation,
    Paragraph,
    Table,
    percent,
    safe,
)
from facilitate.core.cloud import Word
from facilitate.core.errors import CommandError
from facilitate.core.kinds.base import (
    ACTIVITY,
    N_,
    Commands,
    Decided,
    Demo,
    Fields,
    Form,
    Kind,
    Settings,
)
from facilitate.core.kinds.forms import given
from facilitate.core.text import Text

if TYPE_CHECKING:
    from facilitate.core.events import Event
    from facilitate.core.meeting import Meeting
    from facilitate.core.plan import ActivitySpec, Reader

# A projector has room for a hundred words at most, a phone for fewer; the console lists the
# words to moderate, held ones first. Every word is in the record.
SCREEN_WORDS = 100
PHONE_WORDS = 50
CONSOLE_WORDS = 400
MINUTES_WORDS = 30  # in the documents' chart; the sheets list every word
_ONE_WORD: Fields = {**ACTIVITY, "word": ((str,), True)}
# Words as people in a town send them when asked how its centre feels in the evening: the
# demo's input, (spellings, how often), with the spellings one word gets from different phones.
SAID: list[tuple[tuple[str, ...], int]] = [
    (("Mørkt", "mørkt", "MØRKT"), 10),
    (("Trygt", "trygt"), 8),
    (("Folksomt",), 4),
    (("Ungdom", "ungdom"), 6),
    (("Mer lys", "mer lys", "Mer  lys!"), 7),
    (("Politi",), 4),
    (("Rus", "rus"), 5),
    (("Råkjøring",), 5),
    (("Hyggelig",), 5),
    (("Øde", "øde"), 4),
    (("Bråk",), 3),
    (("Natteravner",), 3),
    (("Stille",), 3),
    (("Utrygt", "utrygt"), 6),
    (("Fulle folk",), 2),
    (("Kameraer",), 1),
    (("Tomme gater",), 2),
    (("Godt naboskap",), 1),
]


@dataclass(frozen=True)
class WordCloudSettings(Settings):
    max_words: int = cloud.MAX_WORDS
    hold_personal: bool = True


def _settings(state: ActivityState) -> WordCloudSettings:
    found: WordCloudSettings = state.spec.settings
    return found


# -- deciding ---------------------------------------------------------------------------------


def _send(meeting: Meeting, state: ActivityState, data: dict[str, Any], pid: str) -> Decided:
    settings = _settings(state)
    words = cloud.check(data["words"], settings.max_words)
    if cloud.of(state).words.get(pid, ()) == words:
        return []  # the same words again change nothing
    payload: dict[str, Any] = {
        "activity": state.spec.id,
        "words": list(words),
        "keys": [cloud.key(word) for word in words],
    }
    if settings.hold_personal:
        held = [personal.reason(word) for word in words]
        if any(held):
            payload["held"] = held
    return [("words_sent", payload)]


def _word(state: ActivityState, data: dict[str, Any]) -> str:
    """The normalised form of the word a facilitator's command names (any spelling of it)."""
    word_key = cloud.key(data["word"])
    if not cloud.of(state).known(word_key):
        raise CommandError("unknown_word", "no phone has sent that word here")
    return word_key


def _hide(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    word_key = _word(state, data)
    if cloud.of(state).status(word_key) == "hidden":
        raise CommandError("word_hidden", "this word is hidden already")
    reason = writing.truncate(writing.clean_text(data.get("reason", "")), board.MAX_REASON)
    return [("word_hidden", {"activity": state.spec.id, "word": word_key, "reason": reason})]


def _restore(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    word_key = _word(state, data)
    if cloud.of(state).status(word_key) != "hidden":
        raise CommandError("word_not_hidden", "only a hidden word can be shown again")
    return [("word_restored", {"activity": state.spec.id, "word": word_key})]


def _release(meeting: Meeting, state: ActivityState, data: dict[str, Any], actor: str) -> Decided:
    word_key = _word(state, data)
    if cloud.of(state).status(word_key) != "held":
        raise CommandError("word_not_held", "only a word waiting for review can be let through")
    return [("word_released", {"activity": state.spec.id, "word": word_key})]


# -- applying ---------------------------------------------------------------------------------


def _sent(meeting: Meeting, state: ActivityState, event: Event) -> None:
    data, words = event.data, cloud.of(state)
    words.send(event.actor, data["words"], data["keys"])
    held = data.get("held")
    if held:
        for word_key, why in zip(data["keys"], held, strict=True):
            if why:
                words.flagged.setdefault(word_key, why)


def _hidden(meeting: Meeting, state: ActivityState, event: Event) -> None:
    cloud.of(state).hidden[event.data["word"]] = event.data.get("reason", "")


def _restored(meeting: Meeting, state: ActivityState, event: Event) -> None:
    word_key, words = event.data["word"], cloud.of(state)
    words.hidden.pop(word_key, None)
    if word_key in words.flagged:  # the facilitator has looked at it: it is not held again
        words.released.add(word_key)


def _released(meeting: Meeting, state: ActivityState, event: Event) -> None:
    cloud.of(state).released.add(event.data["word"])


# -- views ------------------------------------------------------------------------------------


def visible(state: ActivityState) -> list[Word]:
    """The words everyone may see, most phones first."""
    return [word for word in cloud.of(state).tally() if word.status == "visible"]


def _shown(state: ActivityState, limit: int) -> dict[str, Any]:
    words = visible(state)
    return {
        "words": [{"word": w.key, "text": w.text, "count": w.count} for w in words[:limit]],
        "more_words": max(0, len(words) - limit),
    }


def _moderated(state: ActivityState, word: Word) -> dict[str, Any]:
    """A word as the console and the record's moderation section list it."""
    words = cloud.of(state)
    return {
        "word": word.key,
        "text": word.text,
        "count": word.count,
        "status": word.status,
        "reason": words.hidden.get(word.key) if word.status == "hidden" else None,
        "held": words.flagged.get(word.key),
    }


class WordCloud(Kind):
    name = "wordcloud"
    gives_items = True
    label = N_("Word cloud")
    example = {
        "kind": "wordcloud",
        "title": "Hvilke ord beskriver sentrum om kvelden?",
        "text": "Skriv opptil tre ord, ett i hvert felt.",
        "max_words": 3,
        "hold_personal": True,
        "results": "live",
    }
    fields = frozenset({"max_words", "hold_personal"})
    messages = {
        "words": {**ACTIVITY, "words": ((list,), True)},
        "hide_word": {**_ONE_WORD, "reason": ((str,), False)},
        "restore_word": _ONE_WORD,
        "release_word": _ONE_WORD,
    }
    participant = {"words": _send}
    facilitator = {"hide_word": _hide, "restore_word": _restore, "release_word": _release}
    appliers = {
        "words_sent": _sent,
        "word_hidden": _hidden,
        "word_restored": _restored,
        "word_released": _released,
    }
    input_events = frozenset({"words_sent"})
    events_for_people = frozenset({"word_hidden", "word_restored", "word_released"})

    def read(self, reader: Reader, item: Mapping[str, Any], index: int, language: str) -> Any:
        return WordCloudSettings(
            max_words=reader.integer(item, "max_words", cloud.MAX_WORDS, 1, cloud.MAX_WORDS, index),
            hold_personal=reader.flag(item, "hold_personal", index, default=True),
        )

    def settings_dict(self, settings: Any) -> dict[str, Any]:
        return {"max_words": settings.max_words, "hold_personal": settings.hold_personal}

    def new_state(self) -> cloud.Cloud:
        return cloud.Cloud()

    def responders(self, state: ActivityState) -> set[str]:
        return set(cloud.of(state).words)

    def top(self, state: ActivityState, count: int, language: str) -> list[Text]:
        """The visible words most phones sent, in the order first sent when as many."""
        return [{language: word.text} for word in visible(state)[:count]]

    def head(self, state: ActivityState) -> dict[str, Any]:
        return {"max_words": _settings(state).max_words, "max_length": cloud.MAX_LENGTH}

    def phone(self, state: ActivityState) -> dict[str, Any]:
        return _shown(state, PHONE_WORDS) if state.show_results else {}

    def screen(self, state: ActivityState) -> dict[str, Any]:
        return _shown(state, SCREEN_WORDS) if state.show_results else {}

    def console(self, state: ActivityState) -> dict[str, Any]:
        words = cloud.of(state).tally()
        words.sort(key=lambda word: word.status != "held")  # stable: by count within each
        return {
            "words": [_moderated(state, word) for word in words[:CONSOLE_WORDS]],
            "total_words": len(words),
            "held": sum(1 for word in words if word.status == "held"),
        }

    def mine(self, state: ActivityState, pid: str, *, notes: bool = True) -> dict[str, Any]:
        sent = cloud.of(state)
        own = sent.own(pid)
        if not own:
            return {}
        words = []
        for text, word_key in own:
            status = sent.status(word_key)
            item = {"text": text, "status": status}
            if status == "hidden":
                item["reason"] = sent.hidden[word_key]
            elif status == "held":
                item["held"] = sent.flagged[word_key]
            words.append(item)
        return {"words": words}

    def from_form(self, state: ActivityState, form: Form, pid: str) -> Commands:
        """Up to `max_words` fields named `word`; the empty ones are left out, and none at all
        takes back the words sent before."""
        return [("words", {"activity": state.spec.id, "words": given(form, "word")})]

    def affected(self, state: ActivityState, event_type: str, data: dict[str, Any]) -> set[str]:
        if event_type not in self.events_for_people:
            return set()
        word_key, sent = data.get("word"), cloud.of(state)
        return {
            pid
            for pid, words in sent.words.items()
            if any(sent.keys[word] == word_key for word in words)
        }

    def record(self, state: ActivityState) -> dict[str, Any]:
        """The visible words with their counts; the held and hidden ones (every spelling sent)
        only in `moderation`."""
        sent = cloud.of(state)
        words = sent.tally()
        spellings: dict[str, list[str]] = {}
        for text, word_key in sent.keys.items():
            spellings.setdefault(word_key, []).append(text)
        flagged = sent.flagged
        return {
            "words": [
                {"word": w.key, "text": w.text, "count": w.count}
                for w in words
                if w.status == "visible"
            ],
            "moderation": [
                {**_moderated(state, w), "spellings": spellings[w.key]}
                for w in words
                if w.status != "visible"
            ],
            "hidden": len(sent.hidden),
            "held": len(flagged),
            "released": sum(1 for k in flagged if sent.status(k) == "visible"),
        }

    def minutes(self, activity: dict[str, Any], context: Context) -> list[Block]:
        """The words most phones sent, with the share of the phones that sent any; in a sheet
        every word. Hidden and held words only counted."""
        w = context.words
        words = activity.get("words", [])
        phones = activity.get("responders", 0)
        rows: list[tuple[int, str, int, int]] = []
        for number, word in enumerate(words, start=1):  # most phones first: equal ones share
            rank = rows[-1][0] if rows and rows[-1][2] == word["count"] else number
            rows.append((rank, safe(word["text"]), word["count"], percent(word["count"], phones)))
        bars = tuple(
            Bar(text, count, share, rank=rank) for rank, text, count, share in rows[:MINUTES_WORDS]
        )
        result: list[Block] = [
            Bars(w["word"], w["phones"], bars, whole=phones, empty=w["no_words"], show="documents")
        ]
        if len(rows) > MINUTES_WORDS:
            more = w["more_words"] % {"n": len(rows) - MINUTES_WORDS}
            result.append(Paragraph(more, muted=True, show="documents"))
        columns = (
            Column(w["rank"], "number"),
            Column(w["word"]),
            Column(w["phones"], "number"),
            Column(w["phone_share"], "number"),
        )
        result.append(Table(columns, tuple(rows), show="sheets"))
        result.append(_moderation(activity, w))
        result.append(_inputs(activity, w))
        return result

    def demo(self, spec: ActivitySpec, demo: Demo) -> None:
        settings: WordCloudSettings = spec.settings
        said = [((text,), 1) for _, text in demo.texts] or SAID  # the plan's own, if any
        weights = [weight for _, weight in said]
        for number, pid in enumerate(demo.people):
            if number > 5 and demo.chance.random() > 0.85:
                continue  # not everyone has something to say
            chosen: dict[int, str] = {}
            for _ in range(demo.chance.randint(1, settings.max_words)):
                index = demo.chance.choices(range(len(said)), weights)[0]
                chosen.setdefault(index, demo.chance.choice(said[index][0]))
            words = list({cloud.key(word): word for word in chosen.values()}.values())
            if number == 3:
                words[-1] = "Kari Hansen"  # a name: held for the facilitator
            if number == 5:
                words[-1] = "Dritt"
            demo.act(pid, "words", activity=spec.id, words=words)
        demo.fac("hide_word", activity=spec.id, word="kari hansen", reason="Navngir en person")
        demo.fac("hide_word", activity=spec.id, word="dritt", reason="Ufint språk")
        if spec.results == "reveal":
            demo.fac("reveal", activity=spec.id)


def _moderation(activity: dict[str, Any], w: dict[str, str]) -> Moderation:
    """The words hidden, with the reasons given, and those held for review, in numbers."""
    reasons: dict[str, int] = {}
    for word in activity.get("moderation", []):
        if word["status"] == "hidden":
            reason = safe(word.get("reason") or "").strip() or w["no_reason"]
            reasons[reason] = reasons.get(reason, 0) + 1
    return Moderation(
        hidden=activity.get("hidden", 0),
        reasons=tuple(reasons.items()),
        held=activity.get("held", 0),
        released=activity.get("released", 0),
        noun="word",
    )


def _inputs(activity: dict[str, Any], w: dict[str, str]) -> Inputs:
    """Every word with how many phones sent it; a withheld word keeps its row, status and
    reason, but not its text."""
    rows = [
        Input(None, w["word"], text=safe(word["text"]), votes=word["count"])
        for word in activity.get("words", [])
    ]
    for word in activity.get("moderation", []):
        hidden = word["status"] == "hidden"
        rows.append(
            Input(
                None,
                w["word"],
                votes=word["count"],
                status=w["status_hidden"] if hidden else w["status_held"],
                reason=safe(word.get("reason") or "") if hidden else "",
            )
        )
    return Inputs(tuple(rows))


KIND = WordCloud()
