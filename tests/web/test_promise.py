"""The draft citizen promise: seven parts in the meeting's (process's) language, the top
priorities with their counts, links back to the public records, never a hidden note."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
import pytest
from starlette.testclient import TestClient

from facilitate import demo
from facilitate.app import create_app
from facilitate.settings import Settings

HEADINGS = {
    "sv": [
        "Inledning och syfte",
        "Gemensam lägesbild",
        "Fokusområde och hur det har tagits fram",
        "Aktiviteter och tidsperiod",
        "Effekter som ska uppnås",
        "Så kan du följa arbetet",
        "Underskrifter",
    ],
    "nb": [
        "Innledning og formål",
        "Felles situasjonsbilde",
        "Fokusområde og hvordan det ble valgt",
        "Aktiviteter og periode",
        "Effekter vi vil oppnå",
        "Slik kan du følge arbeidet",
        "Underskrifter",
    ],
}
PLANS = {"sv": "medborgardialog", "nb": "folkemote"}


@pytest.fixture
def seeded(settings: Settings) -> Iterator[tuple[TestClient, dict[str, demo.Demo]]]:
    """A finished, published demo meeting per language (with hidden notes), then the app."""
    made = {
        lang: demo.create(settings.database, settings.sessions_dir, plan, participants=25)
        for lang, plan in PLANS.items()
    }
    with TestClient(create_app(settings)) as client:
        yield client, made


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def full_record(client: TestClient, made: demo.Demo) -> dict[str, Any]:
    code, key = made.created.code, made.created.facilitator_key
    record: dict[str, Any] = client.get(f"/api/meetings/{code}/record", headers=bearer(key)).json()
    return record


def hidden_texts(record: dict[str, Any]) -> set[str]:
    """Every text the facilitator withheld that is not also shown somewhere else."""
    withheld = {
        item["text"]
        for activity in record["activities"]
        for item in activity.get("moderation") or []
        if isinstance(item, dict) and item.get("text")
    }
    shown = {
        note["text"]
        for activity in record["activities"]
        for note in activity.get("notes", [])
        if note.get("status") in ("visible", "merged")
    }
    return withheld - shown


def promise(client: TestClient, made: demo.Demo, fmt: str) -> bytes:
    code, key = made.created.code, made.created.facilitator_key
    response = client.get(f"/api/meetings/{code}/promise.{fmt}", headers=bearer(key))
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == (
        f'attachment; filename="promise-{code}.{fmt}"'
    )
    return response.content


def docx_text(content: bytes) -> tuple[list[str], str]:
    document = docx.Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return headings, "\n".join(texts)


@pytest.mark.parametrize("lang", ["sv", "nb"])
def test_the_draft_has_the_seven_parts_in_the_meetings_language(
    seeded: tuple[TestClient, dict[str, demo.Demo]], lang: str
) -> None:
    client, made = seeded
    markdown = promise(client, made[lang], "md").decode()
    assert [line[3:] for line in markdown.splitlines() if line.startswith("## ")] == HEADINGS[lang]
    html = promise(client, made[lang], "html").decode()
    for heading in HEADINGS[lang]:
        assert f"<h2>{heading}</h2>" in html
    headings, _ = docx_text(promise(client, made[lang], "docx"))
    assert headings == HEADINGS[lang]


@pytest.mark.parametrize("lang", ["sv", "nb"])
def test_the_draft_names_the_top_priorities_with_their_counts(
    seeded: tuple[TestClient, dict[str, demo.Demo]], lang: str
) -> None:
    client, made = seeded
    record = full_record(client, made[lang])
    painjoy = next(a for a in record["activities"] if a["kind"] == "painjoy")
    top = painjoy["ranking"]["pain"][0]
    markdown = promise(client, made[lang], "md").decode()
    assert f"| 1 | {top['text']} | {top['dots']} |" in markdown
    _, text = docx_text(promise(client, made[lang], "docx"))
    assert top["text"] in text and str(top["dots"]) in text


@pytest.mark.parametrize("lang", ["sv", "nb"])
def test_the_draft_never_holds_a_hidden_note(
    seeded: tuple[TestClient, dict[str, demo.Demo]], lang: str
) -> None:
    client, made = seeded
    hidden = hidden_texts(full_record(client, made[lang]))
    assert hidden, "the demo meeting hides notes"
    drafts = [promise(client, made[lang], fmt).decode() for fmt in ("md", "html")]
    drafts.append(docx_text(promise(client, made[lang], "docx"))[1])
    for text in hidden:
        for draft in drafts:
            assert text not in draft


def test_the_draft_marks_what_the_organiser_writes(
    seeded: tuple[TestClient, dict[str, demo.Demo]],
) -> None:
    client, made = seeded
    html = promise(client, made["sv"], "html").decode()
    assert html.count("[Skriv: ") == 7  # every part, the empty ones too
    assert f"/{made['sv'].created.code}/results" in html  # back to the public record


def test_a_meeting_in_a_process_gives_the_whole_processs_draft(
    seeded: tuple[TestClient, dict[str, demo.Demo]],
) -> None:
    client, made = seeded
    process = client.post(
        "/api/processes", json={"title": "Medborgarlöfte Torget 2027", "language": "sv"}
    ).json()
    for step, lang in (("vad", "nb"), ("dialogue", "sv")):
        joined = client.post(
            f"/api/processes/{process['id']}/meetings",
            headers=bearer(process["key"]),
            json={
                "meeting": made[lang].created.code,
                "facilitator_key": made[lang].created.facilitator_key,
                "step": step,
            },
        )
        assert joined.status_code == 200, joined.text
    client.post(
        f"/api/processes/{process['id']}/followups",
        headers=bearer(process["key"]),
        json={"title": "Trygghetsvandring runt torget i maj"},
    )
    markdown = promise(client, made["sv"], "md").decode()
    assert markdown.startswith("# Medborgarlöfte Torget 2027\n")
    activities = markdown.split("## Aktiviteter och tidsperiod", 1)[1].split("\n## ", 1)[0]
    assert "- Trygghetsvandring runt torget i maj" in activities
    for meeting in made.values():  # each meeting, linked back to its public results
        assert f"/{meeting.created.code}/results" in markdown
    assert f"/p/{process['id']}/follow" in markdown
    same = client.get(f"/api/processes/{process['id']}/promise.md", headers=bearer(process["key"]))
    assert same.text == markdown
    minutes = client.get(
        f"/api/meetings/{made['sv'].created.code}/minutes.md",
        headers=bearer(made["sv"].created.facilitator_key),
    ).text
    assert f"/p/{process['id']}/follow" in minutes
    results = client.get(f"/{made['sv'].created.code}").text  # ended: the code leads there
    assert f'href="/p/{process["id"]}/follow"' in results


def test_the_draft_needs_the_facilitator_key(
    seeded: tuple[TestClient, dict[str, demo.Demo]],
) -> None:
    client, made = seeded
    path = f"/api/meetings/{made['sv'].created.code}/promise.md"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=bearer("wrong")).status_code == 403
    assert client.get("/api/meetings/000000/promise.md", headers=bearer("x")).status_code == 404
    unknown_format = path.replace(".md", ".pdf")
    key = bearer(made["sv"].created.facilitator_key)
    assert client.get(unknown_format, headers=key).status_code == 404
