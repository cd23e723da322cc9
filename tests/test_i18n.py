"""Every UI string goes through the catalogs, and every catalog is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from facilitate import i18n
from facilitate.core.text import UI_LANGUAGES
from facilitate.web import strings

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "facilitate" / "locales"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> set[str]:
    found: set[str] = set()
    for method_map, folder in (
        ((("**.py", "python"),), ROOT / "facilitate"),
        ((("**.html", "jinja2"),), ROOT / "templates"),
    ):
        for _, _, message, _, _ in extract_from_dir(
            str(folder), list(method_map), keywords={"_": None, "N_": None, "gettext": None}
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fp:
        return read_po(fp, locale=lang)


def test_the_template_holds_every_string_the_code_and_templates_use() -> None:
    with (LOCALES / "messages.pot").open("rb") as fp:
        template = {m.id for m in read_po(fp) if m.id}
    missing = _extracted() - template
    assert not missing, f"run `make catalogs`: not extracted yet: {sorted(missing)[:5]}"


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_every_catalog_translates_every_string(lang: str) -> None:
    catalog = _catalog(lang)
    ids = {m.id for m in catalog if m.id}
    assert _extracted() <= ids
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, f"{lang}: {untranslated[:5]}"


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_translations_keep_every_placeholder(lang: str) -> None:
    for message in _catalog(lang):
        if not message.id:
            continue
        if isinstance(message.id, tuple):  # a counted text: the one form and the others
            singular, plural = message.id
            forms = list(message.string)
            pairs = [(forms[0], singular), *((form, plural) for form in forms[1:])]
        else:
            pairs = [(message.string, message.id)]
        for translated, original in pairs:
            assert set(PLACEHOLDER.findall(translated)) == set(PLACEHOLDER.findall(original)), (
                lang,
                message.id,
            )


@pytest.mark.parametrize(
    ("lang", "forms"),
    [
        ("nb", ("1 prikk", "2 prikker")),
        ("nn", ("1 prikk", "2 prikkar")),
        ("sv", ("1 prick", "2 prickar")),
        ("en", ("1 dot", "2 dots")),
    ],
)
def test_counted_texts_have_a_form_for_one_and_for_more(lang: str, forms: tuple[str, str]) -> None:
    from facilitate import i18n
    from facilitate.web.strings import script_strings

    translations = i18n.load_catalogs()[lang]
    dots = script_strings(translations)["results.dots"]
    assert isinstance(dots, dict)
    assert (dots["one"] % {"n": 1}, dots["other"] % {"n": 2}) == forms


def test_every_script_string_the_pages_use_is_defined() -> None:
    used: set[str] = set()
    for script in (ROOT / "static" / "js").rglob("*.js"):
        used.update(re.findall(r"\bt\(\s*\"([\w.]+)\"", script.read_text("utf-8")))
        used.update(
            re.findall(
                r"\"((?:phone|screen|console|results|status|start)\.\w+)\"",
                script.read_text("utf-8"),
            )
        )
    assert used, "no t(...) calls found"
    assert used <= set(strings.SCRIPT), sorted(used - set(strings.SCRIPT))
    assert set(strings.SCRIPT) <= used, f"unused: {sorted(set(strings.SCRIPT) - used)}"


def test_the_catalogs_compile_and_differ_by_language() -> None:
    catalogs = i18n.load_catalogs()
    joins = {lang: catalogs[lang].gettext("Join a meeting") for lang in UI_LANGUAGES}
    assert joins["en"] == "Join a meeting"
    assert len(set(joins.values())) >= 3  # nb, sv and en at least say it differently


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("sv-SE,sv;q=0.9,en;q=0.8", "sv"),
        ("no", "nb"),
        ("nn-NO", "nn"),
        ("de, en;q=0.5", "en"),
        ("", "nb"),
        ("xx;q=abc", "nb"),
        ("en;q=0, sv", "sv"),
    ],
)
def test_the_browser_language_is_understood(header: str, expected: str) -> None:
    assert i18n.choose(None, accept=header) == expected


def test_an_explicit_choice_beats_the_browser() -> None:
    assert i18n.choose("nn", "sv", accept="en") == "nn"
    assert i18n.choose("xx", None, "sv", accept="en") == "sv"
