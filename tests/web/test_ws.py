"""The live protocol over the websocket: several clients of one meeting in one test."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from facilitate import i18n
from facilitate.app import create_app
from facilitate.core.messages import MAX_MESSAGE_BYTES
from facilitate.settings import Settings
from facilitate.web import strings

from .helpers import OWN, Peers, activity_record, current, record

POLL = "safety-poll"  # folkemote: five options, results = "reveal"
NOTES = "where-when"  # folkemote: notes in two columns
PAINJOY = "pain-joy"  # folkemote: 3 pain and 3 joy dots each, at most 2 on one note
OPTIONS = ("very-safe", "fairly-safe", "neither", "fairly-unsafe", "very-unsafe")


def counts(**votes: int) -> dict[str, Any]:
    """The safety poll's tally with these counts (others zero)."""
    return {
        "counts": {o: votes.get(o.replace("-", "_"), 0) for o in OPTIONS},
        "voters": sum(votes.values()),
    }


def tally(view: dict[str, Any]) -> Any:
    return current(view).get("tally")


def english(code: str) -> str:
    return strings.ERRORS[code]


# -- voting, and what the screen shows ---------------------------------------------------


def test_when_three_phones_vote_then_the_screen_tally_counts_them(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    console, screen = peers.console(), peers.screen()
    phones = [peers.phone() for _ in range(3)]
    assert console.wait_view(lambda v: v["participants"] == 3 and v["screens"] == 1)["joined"] == 3

    console.ok("goto", activity=POLL)
    console.ok("reveal", activity=POLL)
    phones[0].ok("vote", activity=POLL, choices=["very-safe"])
    phones[1].ok("vote", activity=POLL, choices=["neither"])
    phones[2].ok("vote", activity=POLL, choices=["neither"])

    expected = counts(very_safe=1, neither=2)
    view = screen.wait_view(lambda v: tally(v) == expected)
    assert current(view)["id"] == POLL and current(view)["responders"] == 3
    assert view["participants"] == 3
    assert tally(console.wait_view(lambda v: tally(v) == expected)) == expected
    assert tally(phones[0].wait_view(lambda v: tally(v) == expected)) == expected


def test_when_a_phone_changes_its_vote_then_the_tally_moves(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    console, screen = peers.console(), peers.screen()
    phones = [peers.phone() for _ in range(3)]
    console.ok("goto", activity=POLL)
    console.ok("reveal", activity=POLL)
    for phone in phones:
        phone.ok("vote", activity=POLL, choices=["fairly-unsafe"])
    screen.wait_view(lambda v: tally(v) == counts(fairly_unsafe=3))

    phones[1].ok("vote", activity=POLL, choices=["very-unsafe"])
    assert phones[1].mine == {POLL: {"choices": ["very-unsafe"]}}
    screen.wait_view(lambda v: tally(v) == counts(fairly_unsafe=2, very_unsafe=1))

    phones[2].ok("vote", activity=POLL, choices=[])  # withdrawn
    assert phones[2].mine == {}
    screen.wait_view(lambda v: tally(v) == counts(fairly_unsafe=1, very_unsafe=1))
    assert activity_record(client, meeting, POLL)["tally"] == counts(fairly_unsafe=1, very_unsafe=1)


def test_when_a_vote_breaks_the_rules_then_the_phone_gets_a_clear_error(peers: Peers) -> None:
    console, phone = peers.console(), peers.phone()
    assert phone.refused("vote", activity=POLL, choices=["neither"]) == "closed"
    console.ok("goto", activity=POLL)
    assert phone.refused("vote", activity=POLL, choices=["maybe"]) == "unknown_option"
    assert phone.refused("vote", activity=POLL, choices=["neither", "very-safe"]) == "single_choice"
    assert phone.refused("vote", activity="nope", choices=["neither"]) == "unknown_activity"
    assert phone.refused("vote", activity="welcome", choices=[]) == "no_input"
    answer = phone.do("note", activity=POLL, text="hei")
    assert answer == {
        "type": "error",
        "id": answer["id"],
        "code": "wrong_kind",
        "message": english("wrong_kind"),
    }


def test_when_a_phone_sends_without_waiting_then_each_command_is_answered_in_the_order_sent(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    console, phone = peers.console(), peers.phone()
    console.ok("goto", activity=NOTES)
    sent = [
        phone.send("note", activity=NOTES, text="Mørkt ved stasjonen", column=0),
        phone.send("vote", activity=POLL, choices=["neither"]),  # not open: refused at once
        phone.send("note", activity=NOTES, text="Lys i parken", column=0),
    ]
    phone.ws.send_text("{not json")  # refused at once, after the answers before it
    answers = [phone.until(lambda m: m["type"] in ("ack", "error")) for _ in range(4)]
    assert [(a["type"], a["id"]) for a in answers] == [
        ("ack", sent[0]),
        ("error", sent[1]),
        ("ack", sent[2]),
        ("error", None),
    ]
    assert answers[2]["note"]["text"] == "Lys i parken"  # the note it posted, not all of them
    assert phone.mine is not None
    notes = phone.mine[NOTES]["notes"]
    assert [n["text"] for n in notes] == ["Mørkt ved stasjonen", "Lys i parken"]


def test_when_a_command_is_resent_with_the_same_id_then_it_is_acked_and_counted_once(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    console, phone = peers.console(), peers.phone()
    console.ok("goto", activity=NOTES)
    first = phone.ok("note", id="note-1", activity=NOTES, text="Torget, fredag kveld", column=0)
    after_first = phone.mine
    again = phone.ok("note", id="note-1", activity=NOTES, text="Torget, fredag kveld", column=0)
    assert phone.mine == after_first  # the resend's ack carries the whole `mine`: the same
    assert again["mine"] == after_first
    assert {k: v for k, v in first.items() if k not in OWN} == {"type": "ack", "id": "note-1"}

    console.ok("goto", activity=POLL)
    phone.ok("vote", id="vote-1", activity=POLL, choices=["neither"])
    phone.ok("vote", id="vote-2", activity=POLL, choices=["very-safe"])
    phone.ok("vote", id="vote-1", activity=POLL, choices=["neither"])  # a late resend

    notes = activity_record(client, meeting, NOTES)["notes"]
    assert [(n["id"], n["text"]) for n in notes] == [("n1", "Torget, fredag kveld")]
    assert activity_record(client, meeting, POLL)["tally"] == counts(very_safe=1)
    assert phone.mine == {
        NOTES: {
            "notes": [
                {
                    "id": "n1",
                    "text": "Torget, fredag kveld",
                    "merged": 0,
                    "column": 0,
                    "status": "visible",
                }
            ]
        },
        POLL: {"choices": ["very-safe"]},
    }


def test_when_two_connections_of_a_phone_send_the_same_id_at_once_then_it_counts_once(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    console = peers.console()
    first = peers.phone()
    second = peers.phone(token=first.welcome["token"])  # type: ignore[index]
    console.ok("goto", activity=NOTES)
    for phone in (first, second):
        phone.send("note", id="same", activity=NOTES, text="Stasjonen", column=1)
    answers = [first.answer("same"), second.answer("same")]
    assert [{k: v for k, v in a.items() if k not in OWN} for a in answers] == [
        {"type": "ack", "id": "same"}
    ] * 2
    assert len(activity_record(client, meeting, NOTES)["notes"]) == 1


def test_when_a_phone_has_two_connections_then_both_get_its_own_input(peers: Peers) -> None:
    console = peers.console()
    first = peers.phone()
    second = peers.phone(token=first.welcome["token"])  # type: ignore[index]
    other = peers.phone()
    console.ok("goto", activity=POLL)
    first.ok("vote", activity=POLL, choices=["neither"])
    assert second.wait_mine(lambda m: POLL in m) == {POLL: {"choices": ["neither"]}}
    other.ok("vote", activity=POLL, choices=["very-safe"])
    assert other.mine == {POLL: {"choices": ["very-safe"]}}
    first.ok("vote", activity=POLL, choices=["fairly-safe"])  # read past the other's vote
    # The sending connection gets its input on the ack; the other one as `mine` messages.
    assert [(m["activity"], m["own"]) for m in first.seen if m["type"] == "ack"] == [
        (POLL, {"choices": ["neither"]}),
        (POLL, {"choices": ["fairly-safe"]}),
    ]
    assert [m for m in first.seen if m["type"] == "mine"] == []
    assert second.wait_mine(lambda m: m == {POLL: {"choices": ["fairly-safe"]}})


def size(message: dict[str, Any]) -> int:
    return len(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode())


def test_when_a_phone_votes_then_its_ack_carries_that_activity_only(peers: Peers) -> None:
    console, phone = peers.console(), peers.phone()
    console.ok("goto", activity=NOTES)
    phone.ok("note", activity=NOTES, text="Mørkt ved stasjonen", column=0)
    console.ok("goto", activity=POLL)
    ack = phone.ok("vote", id="v1", activity=POLL, choices=["neither"])
    assert ack == {"type": "ack", "id": "v1", "activity": POLL, "own": {"choices": ["neither"]}}
    # The page merges it into the whole `mine` it was given with the snapshot.
    assert phone.mine is not None and set(phone.mine) == {NOTES, POLL}


def test_when_a_phone_posts_a_note_then_its_ack_carries_that_note_only(peers: Peers) -> None:
    console, phone = peers.console(), peers.phone()
    console.ok("goto", activity=NOTES)
    phone.ok("note", activity=NOTES, text="Mørkt ved stasjonen", column=0)
    ack = phone.ok("note", id="n-2", activity=NOTES, text="Lys i parken", column=1)
    assert ack == {
        "type": "ack",
        "id": "n-2",
        "activity": NOTES,
        "own": {},
        "note": {"id": "n2", "text": "Lys i parken", "merged": 0, "column": 1, "status": "visible"},
    }
    assert phone.mine is not None
    assert [n["text"] for n in phone.mine[NOTES]["notes"]] == [
        "Mørkt ved stasjonen",
        "Lys i parken",
    ]


def test_when_a_phone_has_many_notes_then_its_acks_are_the_same_size_as_with_one(
    peers: Peers,
) -> None:
    """What an input costs the server must not grow with what the phone posted before."""
    console, phone = peers.console(), peers.phone()
    console.ok("goto", activity=POLL)
    console.ok("goto", activity=NOTES)  # the poll stays open
    note_acks, vote_acks = [], []
    for n in range(1, 10):  # note ids n1..n9: all the same length
        note_acks.append(phone.ok("note", id=f"c{n}", activity=NOTES, text="Lapp", column=0))
        choice = ["neither"] if n % 2 else ["very-safe"]
        vote_acks.append(phone.ok("vote", id=f"v{n}", activity=POLL, choices=choice))
    assert phone.mine is not None and len(phone.mine[NOTES]["notes"]) == 9
    assert {size(a) for a in note_acks} == {size(note_acks[0])}
    assert {size(a) for a in vote_acks[::2]} == {size(vote_acks[0])}
    assert {size(a) for a in vote_acks[1::2]} == {size(vote_acks[1])}


def test_when_a_phone_resends_an_applied_note_then_its_ack_carries_its_whole_mine(
    peers: Peers,
) -> None:
    console, phone = peers.console(), peers.phone()
    console.ok("goto", activity=NOTES)
    phone.ok("note", id="same", activity=NOTES, text="Torget", column=0)
    again = phone.ok("note", id="same", activity=NOTES, text="Torget", column=0)
    assert [n["text"] for n in again["mine"][NOTES]["notes"]] == ["Torget"]


# -- who may do what -------------------------------------------------------------------------

FACILITATOR_COMMANDS: list[tuple[str, dict[str, Any]]] = [
    ("goto", {"activity": "panel"}),
    ("open", {"activity": POLL}),
    ("close", {"activity": PAINJOY}),
    ("reveal", {"activity": POLL}),
    ("conceal", {"activity": PAINJOY}),
    ("phase", {"activity": PAINJOY, "phase": "dots"}),
    ("hide", {"activity": PAINJOY, "note": "n1", "reason": "spam"}),
    ("restore", {"activity": PAINJOY, "note": "n1"}),
    ("merge", {"activity": PAINJOY, "into": "n1", "notes": ["n2"]}),
]


def test_when_a_participant_sends_facilitator_commands_then_each_is_forbidden_and_nothing_changes(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    console, author, intruder = peers.console(), peers.phone(), peers.phone()
    console.ok("goto", activity=PAINJOY)
    author.ok("note", activity=PAINJOY, text="Mørke gater", kind="pain")
    author.ok("note", activity=PAINJOY, text="Dårlig lys", kind="pain")
    before = record(client, meeting)

    refused = {}
    for type, data in FACILITATOR_COMMANDS:
        answer = intruder.do(type, **data)
        refused[type] = (answer["type"], answer["code"], answer["message"])
    assert refused == {
        type: ("error", "forbidden", english("forbidden")) for type, _ in FACILITATOR_COMMANDS
    }
    assert record(client, meeting) == before
    view = console.wait_view(lambda v: len(current(v).get("notes", [])) == 2)
    assert view["current"] == PAINJOY
    assert {k: current(view)[k] for k in ("open", "show_results", "phase")} == {
        "open": True,
        "show_results": True,
        "phase": "notes",
    }
    assert [n["status"] for n in current(view)["notes"]] == ["visible", "visible"]


def test_when_the_facilitator_sends_participant_commands_then_they_are_forbidden(
    peers: Peers,
) -> None:
    console = peers.console()
    console.ok("goto", activity=POLL)
    assert console.refused("vote", activity=POLL, choices=["neither"]) == "forbidden"


def test_when_a_screen_sends_a_command_then_it_is_refused(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    console, screen = peers.console(), peers.screen()
    console.ok("goto", activity=POLL)
    before = record(client, meeting)
    assert screen.refused("vote", activity=POLL, choices=["neither"]) == "forbidden"
    assert screen.refused("goto", activity="panel") == "forbidden"
    assert screen.refused("reveal", activity=POLL) == "forbidden"
    assert record(client, meeting) == before


def test_when_the_facilitator_key_is_wrong_then_bad_key_and_the_socket_closes(
    peers: Peers, meeting: dict[str, Any]
) -> None:
    for key in ("wrong", meeting["screen_key"], "", None):
        hello = {"type": "hello", "role": "facilitator", "key": key, "lang": "en"}
        error, code = peers.refused_hello(hello)
        assert error == {
            "type": "error",
            "id": None,
            "code": "bad_key",
            "message": english("bad_key"),
        }, key
        assert code == 4403


def test_when_the_screen_key_is_wrong_then_the_screen_is_refused(
    peers: Peers, meeting: dict[str, Any]
) -> None:
    error, code = peers.refused_hello({"type": "hello", "role": "screen", "key": "nope"})
    assert (error["code"], code) == ("bad_key", 4403)
    error, code = peers.refused_hello({"type": "hello", "role": "screen"})
    assert (error["code"], code) == ("bad_key", 4403)
    # the console may open the screen with its own key
    screen = peers.screen(key=meeting["facilitator_key"])
    assert screen.welcome == {"type": "welcome", "role": "screen", "meeting": meeting["code"]}


@pytest.mark.parametrize(
    "hello",
    [
        {"type": "hello", "role": "admin"},
        {"type": "hello"},
        {"type": "vote", "id": "1", "activity": POLL, "choices": []},
    ],
)
def test_when_the_hello_is_not_a_hello_with_a_role_then_the_socket_closes(
    peers: Peers, hello: dict[str, Any]
) -> None:
    error, code = peers.refused_hello(hello)
    assert error["type"] == "error" and error["code"] in ("bad_role", "bad_message")
    assert code == 4400


def test_when_the_hello_is_not_json_then_the_socket_closes(peers: Peers) -> None:
    peer = peers.open()
    peer.ws.send_text("hello?")
    assert peer.receive()["code"] == "bad_message"
    assert peer.closed_with() == 4400


def test_when_the_meeting_is_unknown_then_the_socket_closes(
    peers: Peers, meeting: dict[str, Any]
) -> None:
    unknown = "000000" if meeting["code"] != "000000" else "111111"
    peer = peers.open(code=unknown)
    error = peer.receive()
    assert (error["type"], error["id"], error["code"]) == ("error", None, "unknown_meeting")
    assert error["message"].startswith("No meeting has this code.")
    assert peer.closed_with() == 4404


@pytest.mark.parametrize(
    "token", ["short", "x" * 65, "with spaces in the token", "æøå" * 8, "abc/def+ghi=jklmnopq"]
)
def test_when_the_hello_has_a_malformed_token_then_it_is_refused(peers: Peers, token: str) -> None:
    error, code = peers.refused_hello(
        {"type": "hello", "role": "participant", "token": token, "lang": "en"}
    )
    assert error == {
        "type": "error",
        "id": None,
        "code": "bad_token",
        "message": english("bad_token"),
    }
    assert code == 4400


def test_when_a_phone_says_hello_again_then_it_is_told_off(peers: Peers) -> None:
    phone = peers.phone()
    phone.ws.send_json({"type": "hello", "id": "h2", "role": "facilitator"})
    error = phone.until(lambda m: m["type"] == "error")
    assert (error["id"], error["code"]) == ("h2", "bad_message")


# -- bad frames --------------------------------------------------------------------------


def test_when_a_client_sends_garbage_then_only_it_gets_errors(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    console, screen = peers.console(), peers.screen()
    rude, polite = peers.phone(), peers.phone()
    console.ok("goto", activity=POLL)

    rude.ws.send_text("{not json")
    rude.ws.send_text(json.dumps({"type": "dance", "id": "d1"}))
    rude.ws.send_bytes(b'{"type": "vote", "id": "b1", "activity": "safety-poll"}')
    rude.ws.send_text(json.dumps({"type": "vote", "activity": POLL, "choices": []}))  # no id
    rude.ws.send_text(
        json.dumps({"type": "vote", "id": "x", "activity": POLL, "choices": "neither"})
    )
    rude.ws.send_text(
        json.dumps(
            {"type": "note", "id": "big", "activity": NOTES, "text": "x" * MAX_MESSAGE_BYTES}
        )
    )
    rude.ws.send_text("[]")
    errors = [rude.until(lambda m: m["type"] == "error") for _ in range(7)]
    assert [(e["id"], e["code"]) for e in errors] == [
        (None, "bad_message"),
        (None, "bad_message"),
        (None, "bad_message"),
        (None, "bad_message"),
        (None, "bad_message"),
        (None, "too_big"),
        (None, "bad_message"),
    ]
    assert errors[0]["message"] == english("bad_message")
    assert errors[5]["message"] == english("too_big")

    # the rude phone is still connected and may vote; nobody else saw any of it
    rude.ok("vote", activity=POLL, choices=["neither"])
    polite.ok("vote", activity=POLL, choices=["neither"])
    console.ok("reveal", activity=POLL)
    screen.wait_view(lambda v: tally(v) == counts(neither=2))
    for peer in (console, screen, polite):
        assert [m for m in peer.seen if m["type"] == "error"] == [], peer.name


def test_when_an_error_is_sent_then_it_speaks_the_hellos_language(peers: Peers) -> None:
    catalogs = i18n.load_catalogs()
    swede = peers.phone(lang="sv")
    answer = swede.do("goto", activity=POLL)
    assert answer["message"] == catalogs["sv"].gettext(english("forbidden"))
    assert answer["message"] != english("forbidden")


def test_when_a_phone_sends_a_burst_then_some_commands_are_slowed_down(peers: Peers) -> None:
    console, phone = peers.console(), peers.phone()
    sent = [phone.send("vote", activity="nope", choices=[]) for _ in range(60)]
    answers = [phone.until(lambda m: m["type"] in ("ack", "error")) for _ in sent]
    codes = Counter(a["code"] for a in answers)
    assert set(codes) == {"unknown_activity", "slow_down"}
    assert codes["unknown_activity"] >= 20  # the burst a phone may send
    assert codes["slow_down"] >= 10
    slowed = next(a for a in answers if a["code"] == "slow_down")
    assert slowed["id"] in sent  # named, so the phone can drop or retry that command
    assert slowed == {
        "type": "error",
        "id": slowed["id"],
        "code": "slow_down",
        "message": english("slow_down"),
    }
    console.ok("goto", activity=POLL)  # the console has its own allowance


def test_when_a_phone_floods_then_it_is_disconnected(peers: Peers) -> None:
    console, phone = peers.console(), peers.phone()
    codes: Counter[str] = Counter()
    # Every frame gets one error until the server gives up (after 200 refused), so send in
    # chunks and read each chunk's answers: the test never waits for a message that won't come.
    for _ in range(50):
        for _ in range(20):
            phone.ws.send_text("x")
        try:
            for _ in range(20):
                codes[phone.until(lambda m: m["type"] == "error")["code"]] += 1
        except WebSocketDisconnect as closed:
            assert closed.code == 4429
            break
    else:
        raise AssertionError(f"never disconnected: {codes}")
    # 200 refused before the close; the last few may be dropped with the connection
    assert 180 <= codes["slow_down"] <= 200 and codes["bad_message"] >= 20
    console.ok("goto", activity=POLL)


def test_when_a_phone_sends_a_burst_of_binary_frames_then_it_is_slowed_down_too(
    peers: Peers,
) -> None:
    phone = peers.phone()
    for _ in range(40):
        phone.ws.send_bytes(b"x")
    answers = [phone.until(lambda m: m["type"] == "error") for _ in range(40)]
    assert "slow_down" in {a["code"] for a in answers}


# -- the origin of a browser -----------------------------------------------------------------


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "http://testserver.evil.example",
        "http://testserver:8080",
        "null",
        "file://",
    ],
)
def test_when_origin_is_another_site_then_the_socket_is_refused(
    client: TestClient, meeting: dict[str, Any], origin: str
) -> None:
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect(f"/{meeting['code']}/ws", headers={"origin": origin}):
            pass
    assert refused.value.code == 4403


@pytest.mark.parametrize("origin", ["http://testserver", "https://testserver", "http://TESTSERVER"])
def test_when_origin_is_this_server_then_the_socket_is_accepted(peers: Peers, origin: str) -> None:
    phone = peers.phone(headers={"origin": origin})
    assert phone.welcome is not None and phone.welcome["type"] == "welcome"


def test_when_origin_is_the_public_url_then_the_socket_is_accepted(tmp_path: Path) -> None:
    settings = Settings(
        db_path=tmp_path / "o.db",
        tick=0.01,
        phone_tick=0.02,
        public_url="http://192.168.1.20:8000",
        extra_origins=("https://dialog.example.org",),
    )
    # Requests go to the public URL: with one set, the server answers to no other name.
    with TestClient(create_app(settings), base_url="http://192.168.1.20:8000") as client:
        created = client.post("/api/meetings", json={"plan": "folkemote"}).json()
        peers = Peers(client, created)
        try:
            for origin in ("http://192.168.1.20:8000", "https://dialog.example.org"):
                phone = peers.phone(headers={"origin": origin, "host": "192.168.1.20:8000"})
                assert phone.welcome is not None and phone.welcome["type"] == "welcome"
            with pytest.raises(WebSocketDisconnect) as refused:
                peers.phone(
                    headers={"origin": "http://192.168.1.21:8000", "host": "192.168.1.20:8000"}
                )
            assert refused.value.code == 4403
        finally:
            peers.close_all()


def test_when_unknown_codes_are_probed_then_the_server_keeps_nothing_for_them(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    for n in range(30):
        client.get(f"/api/meetings/probe-{n}/record", headers={"authorization": "Bearer x"})
    for n in range(10):
        peer = peers.open(code=f"{n:06d}" if f"{n:06d}" != meeting["code"] else "999999")
        peer.closed_with()
    meetings = client.app_state["meetings"]
    assert set(meetings._loading) <= {meeting["code"]}


# -- what the screen may show ------------------------------------------------------------


def test_when_a_note_is_hidden_then_the_screen_never_shows_it_but_the_console_does(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    console, screen, phone = peers.console(), peers.screen(), peers.phone()
    console.ok("goto", activity=NOTES)
    secret = "Ola Nordmann på nr. 12 er skummel"
    phone.ok("note", activity=NOTES, text=secret, column=0)
    console.ok("hide", activity=NOTES, note="n1", reason="names a person")
    phone.ok("note", activity=NOTES, text="Dårlig lys i parken", column=1)

    view = screen.wait_view(lambda v: any(n["id"] == "n2" for n in current(v).get("notes", [])))
    assert current(view)["notes"] == [
        {"id": "n2", "text": "Dårlig lys i parken", "merged": 0, "column": 1}
    ]
    assert secret not in json.dumps(view, ensure_ascii=False)
    assert current(view)["responders"] == 1

    board = current(console.wait_view(lambda v: len(current(v).get("notes", [])) == 2))["notes"]
    assert board == [
        {
            "id": "n1",
            "text": secret,
            "merged": 0,
            "column": 0,
            "status": "hidden",
            "reason": "names a person",
            "held": "name",  # it looked personal: it waited in the console before it was hidden
            "merged_into": None,
            "dots": 0,
        },
        {
            "id": "n2",
            "text": "Dårlig lys i parken",
            "merged": 0,
            "column": 1,
            "status": "visible",
            "reason": "",
            "held": None,
            "merged_into": None,
            "dots": 0,
        },
    ]
    # The hiding reaches the phone as a `mine` message; its acks carry only its own changes.
    notes = phone.wait_mine(
        lambda m: [n["status"] for n in m.get(NOTES, {}).get("notes", [])] == ["hidden", "visible"]
    )[NOTES]["notes"]
    assert notes[0]["reason"] == "names a person"

    console.ok("restore", activity=NOTES, note="n1")
    view = screen.wait_view(lambda v: len(current(v).get("notes", [])) == 2)
    assert [n["id"] for n in current(view)["notes"]] == ["n1", "n2"]
    hidden = activity_record(client, meeting, NOTES)
    assert hidden["hidden"] == 0 and [n["status"] for n in hidden["notes"]] == ["visible"] * 2


def test_when_notes_are_merged_then_their_dots_move_to_the_kept_note(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    console, screen = peers.console(), peers.screen()
    anna, bo = peers.phone(), peers.phone()
    console.ok("goto", activity=PAINJOY)
    anna.ok("note", activity=PAINJOY, text="Mørke gater", kind="pain")  # n1
    bo.ok("note", activity=PAINJOY, text="Dårlig belysning", kind="pain")  # n2
    anna.ok("note", activity=PAINJOY, text="Biblioteket", kind="joy")  # n3
    assert anna.refused("dot", activity=PAINJOY, note="n1", delta=1) == "not_dotting"

    console.ok("phase", activity=PAINJOY, phase="dots")
    assert bo.refused("note", activity=PAINJOY, text="For sent", kind="pain") == "not_collecting"
    anna.ok("dot", activity=PAINJOY, note="n1", delta=1)
    anna.ok("dot", activity=PAINJOY, note="n2", delta=1)
    bo.ok("dot", activity=PAINJOY, note="n2", delta=1)
    bo.ok("dot", activity=PAINJOY, note="n2", delta=1)
    assert bo.refused("dot", activity=PAINJOY, note="n2", delta=1) == "cap_reached"
    bo.ok("dot", activity=PAINJOY, note="n1", delta=1)
    screen.wait_view(
        lambda v: (
            [(i["id"], i["dots"]) for i in current(v).get("ranking", {}).get("pain", [])]
            == [("n2", 3), ("n1", 2)]
        )
    )

    console.ok("merge", activity=PAINJOY, into="n1", notes=["n2"])
    expected = {
        "pain": [{"id": "n1", "text": "Mørke gater", "dots": 4, "merged": 1}],
        "joy": [{"id": "n3", "text": "Biblioteket", "dots": 0, "merged": 0}],
    }
    view = screen.wait_view(lambda v: current(v).get("ranking") == expected)
    assert "Dårlig belysning" not in json.dumps(view, ensure_ascii=False)
    assert (
        current(console.wait_view(lambda v: current(v).get("ranking") == expected))["ranking"]
        == expected
    )
    # Bo had 2 dots on n2 and 1 on n1: at most 2 (the cap) stay on n1, one goes back to Bo.
    mine = bo.wait_mine(lambda m: m.get(PAINJOY, {}).get("dots") == {"n1": 2})
    returned = mine[PAINJOY].pop("returned")
    assert {k: returned[k] for k in ("note", "why", "dots")} == {
        "note": "n1",
        "why": "merged",
        "dots": 1,
    }
    assert mine == {
        PAINJOY: {
            "notes": [
                {
                    "id": "n2",
                    "text": "Dårlig belysning",
                    "merged": 0,
                    "kind": "pain",
                    "status": "merged",
                }
            ],
            "dots": {"n1": 2},
            "remaining": {"pain": 1, "joy": 3},
        }
    }

    kept = activity_record(client, meeting, PAINJOY)
    assert kept["dots_placed"] == 4
    assert [
        (n["id"], n["status"], n["merged_into"], n["merged"], n["dots"]) for n in kept["notes"]
    ] == [
        ("n1", "visible", None, ["n2"], 4),
        ("n2", "merged", "n1", [], 0),
        ("n3", "visible", None, [], 0),
    ]


def test_when_results_wait_for_reveal_then_nobody_but_the_console_sees_a_tally(
    peers: Peers,
) -> None:
    console, screen = peers.console(), peers.screen()
    voter, other = peers.phone(), peers.phone()
    console.ok("goto", activity=POLL)
    voter.ok("vote", activity=POLL, choices=["fairly-safe"])

    view = screen.wait_view(lambda v: current(v).get("responders") == 1)
    assert current(view)["show_results"] is False
    assert "tally" not in current(view)
    assert "tally" not in current(other.wait_view(lambda v: current(v).get("id") == POLL))
    assert tally(console.wait_view(lambda v: current(v).get("responders") == 1)) == counts(
        fairly_safe=1
    )

    console.ok("reveal", activity=POLL)
    view = screen.wait_view(lambda v: current(v).get("show_results") is True)
    assert tally(view) == counts(fairly_safe=1)
    assert tally(other.wait_view(lambda v: current(v).get("show_results") is True)) == counts(
        fairly_safe=1
    )

    console.ok("conceal", activity=POLL)
    view = screen.wait_view(lambda v: current(v).get("show_results") is False)
    assert "tally" not in current(view)


def test_when_the_console_goes_back_to_the_lobby_then_every_screen_shows_how_to_join(
    peers: Peers,
) -> None:
    console, screen, phone = peers.console(), peers.screen(), peers.phone()
    console.ok("goto", activity=POLL)
    screen.wait_view(lambda v: current(v).get("id") == POLL)
    console.ok("goto", activity=None)
    assert screen.wait_view(lambda v: v["activity"] is None)["participants"] == 1
    assert phone.wait_view(lambda v: v["activity"] is None)["activity"] is None
    assert console.wait_view(lambda v: v["activity"] is None)["current"] is None
    # the poll stays open: a phone that still shows it may answer
    phone.ok("vote", activity=POLL, choices=["neither"])


# -- coming back -------------------------------------------------------------------------


def test_when_phone_reconnects_with_its_token_then_its_vote_is_kept(
    peers: Peers, client: TestClient, meeting: dict[str, Any]
) -> None:
    console = peers.console()
    phone = peers.phone()
    token = phone.welcome["token"]  # type: ignore[index]
    console.ok("goto", activity=POLL)
    phone.ok("vote", activity=POLL, choices=["neither"])
    phone.close()
    console.wait_view(lambda v: v["participants"] == 0)

    again = peers.phone(token=token)
    assert again.welcome == {
        "type": "welcome",
        "role": "participant",
        "meeting": meeting["code"],
        "token": token,
    }
    assert again.snapshot is not None
    assert again.snapshot["mine"] == {POLL: {"choices": ["neither"]}}
    assert current(again.snapshot["view"])["id"] == POLL
    console.wait_view(lambda v: v["participants"] == 1)

    again.ok("vote", activity=POLL, choices=["very-safe"])  # a change, not a second voter
    data = record(client, meeting)
    assert data["participants"]["joined"] == 1
    assert activity_record(client, meeting, POLL)["tally"] == counts(very_safe=1)


def test_when_a_phone_comes_without_a_token_then_it_gets_a_fresh_one(
    peers: Peers, meeting: dict[str, Any]
) -> None:
    first, second = peers.phone(), peers.phone()
    tokens = [p.welcome["token"] for p in (first, second)]  # type: ignore[index]
    assert tokens[0] != tokens[1]
    assert all(16 <= len(t) <= 64 for t in tokens)
    assert first.snapshot is not None and first.snapshot["mine"] == {}


def test_when_a_console_connects_then_its_snapshot_is_the_whole_agenda(
    peers: Peers, meeting: dict[str, Any]
) -> None:
    console = peers.console()
    assert console.welcome == {"type": "welcome", "role": "facilitator", "meeting": meeting["code"]}
    view = console.snapshot["view"]  # type: ignore[index]
    assert [a["id"] for a in view["agenda"]] == [
        "welcome",
        POLL,
        "panel",
        NOTES,
        PAINJOY,
        "effort-effect",
        "priorities",
        "next-steps",
    ]
    assert (view["current"], view["activity"], view["joined"]) == (None, None, 0)
    assert "mine" not in console.snapshot  # type: ignore[operator]


def test_when_a_write_fails_then_the_command_is_refused_and_the_meeting_carries_on_from_the_log(
    peers: Peers, client: TestClient, meeting: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from facilitate.store.postgres import Postgres
    from facilitate.store.sqlite import SQLite

    console, phone = peers.console(), peers.phone()
    console.ok("goto", activity=NOTES)
    phone.ok("note", activity=NOTES, text="Før feilen", column=0)
    failures = iter([True])
    for database in (SQLite, Postgres):  # whichever the app runs on (FACILITATE_TEST_CLUSTER)

        def flaky(db: Any, jobs: Any, real: Any = database.append_all) -> None:
            if next(failures, False):
                raise OSError("database or disk is full")
            real(db, jobs)

        monkeypatch.setattr(database, "append_all", flaky)
    answer = phone.do("note", activity=NOTES, text="Under feilen", column=0)
    assert answer["code"] == "storage"
    phone.ok("note", activity=NOTES, text="Etter feilen", column=0)
    notes = activity_record(client, meeting, NOTES)["notes"]
    assert [n["text"] for n in notes] == ["Før feilen", "Etter feilen"]
    assert [n["id"] for n in notes] == ["n1", "n2"]  # memory was rebuilt from the log
