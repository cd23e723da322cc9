"""Every UI string goes through the catalogs; the meetings' languages translate all of it, the
phone's other languages what participants read, and no translation loses a placeholder."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from facilitate import i18n
from facilitate.core.kinds import KINDS
from facilitate.core.process import STATUS_LABELS, STEP_LABELS
from facilitate.core.text import PHONE_LANGUAGES, UI_LANGUAGES
from facilitate.web import strings
from facilitate.web.pages import PUBLIC_PAGES

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "facilitate" / "locales"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# The phone's languages beyond the meetings' own: they translate what participants read.
PHONE_ONLY = tuple(lang for lang in PHONE_LANGUAGES if lang not in UI_LANGUAGES)


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


def _read_by_participants() -> set[str]:
    """What participants read: the public pages (phone, join, results, follow-up) and the
    language list they include, every script string a phone or the public results page
    carries (its own, the results', the tables' and the kinds' own), the server's refusals, the
    join and follow-up pages' messages from the server, and the follow-up page's labels."""
    found: set[str] = set()
    templates = (*sorted(PUBLIC_PAGES), "_languages.html", "base.html")
    for name in templates:
        for _, message, _, _ in extract_from_file(
            "jinja2", str(ROOT / "templates" / name), keywords={"_": None, "ngettext": (1, 2)}
        ):
            found.add(message if isinstance(message, str) else message[0])
    for module in ("pages.py", "process_pages.py"):
        for _, message, _, _ in extract_from_file(
            "python", str(ROOT / "facilitate" / "web" / module), keywords={"gettext": None}
        ):
            found.add(message if isinstance(message, str) else message[0])
    own = tuple(f"{kind}." for kind in KINDS if strings.has_own(kind))
    carried = (*strings.PHONE_STRINGS, *strings.RESULTS_STRINGS, "tables.", *own)
    for key, text in strings.SCRIPT.items():
        if key.startswith(carried):
            found.add(text if isinstance(text, str) else text[0])
    found.update(strings.ERRORS.values())
    found.update(STEP_LABELS.values())
    found.update(STATUS_LABELS.values())
    return found


def _single_counts(lang: str) -> set[int]:
    """The plural forms of `lang` that only one count takes (Arabic's 0, 1 and 2; the Polish
    and English one): such a form may say the count in words ("نقطتان", two dots)."""
    form = gettext.c2py(get_plural(lang).plural_expr)  # how gettext picks a form by count
    taken: dict[int, set[int]] = {}
    for n in range(1000):
        taken.setdefault(form(n), set()).add(n)
    return {index for index, counts in taken.items() if len(counts) == 1}


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


@pytest.mark.parametrize("lang", PHONE_ONLY)
def test_every_phone_catalog_translates_what_participants_read(lang: str) -> None:
    catalog = _catalog(lang)
    wanted = _read_by_participants()
    assert wanted <= {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}, (
        "run `make catalogs`"
    )
    untranslated = [
        m.id
        for m in catalog
        if m.id
        and (m.id if isinstance(m.id, str) else m.id[0]) in wanted
        and not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert not untranslated, f"{lang}: {len(untranslated)} to translate, {untranslated[:5]}"


@pytest.mark.parametrize("lang", PHONE_LANGUAGES)
def test_translations_keep_every_placeholder(lang: str) -> None:
    """Each form keeps the original's placeholders and adds none; a form that only one count
    takes may say its count in words."""
    single = _single_counts(lang)
    for message in _catalog(lang):
        if not message.id:
            continue
        if isinstance(message.id, tuple):  # a counted text: each language's forms
            expected = set(PLACEHOLDER.findall(message.id[0] + message.id[1]))
            forms = list(enumerate(message.string))
        else:
            expected = set(PLACEHOLDER.findall(message.id))
            forms = [(-1, message.string)]
        for index, translated in forms:
            if not translated:
                continue  # not translated: said in English
            found = set(PLACEHOLDER.findall(translated))
            required = expected - {"n"} if index in single else expected
            assert required <= found <= expected, (lang, message.id, translated)


@pytest.mark.parametrize("lang", PHONE_LANGUAGES)
def test_each_catalog_counts_by_its_languages_plural_rules(lang: str) -> None:
    catalog = _catalog(lang)
    assert catalog.plural_forms == get_plural(lang).plural_forms
    forms = {"nb": 2, "nn": 2, "sv": 2, "en": 2, "so": 2, "ar": 6, "fa": 2, "uk": 3, "pl": 3}
    assert catalog.num_plurals == forms[lang]
    for message in catalog:
        if message.id and isinstance(message.id, tuple):
            assert len(message.string) == forms[lang], (lang, message.id)


def test_when_a_phone_catalog_lacks_a_text_then_it_is_said_in_english() -> None:
    catalogs = i18n.load_catalogs()
    console_only = "Pause the wall"  # the console speaks the meetings' languages only
    assert not _catalog("ar").get(console_only).string
    assert catalogs["ar"].gettext(console_only) == catalogs["en"].gettext(console_only)
    assert catalogs["pl"].ngettext("%(n)s minute", "%(n)s minutes", 5) == "%(n)s minutes"


def test_when_a_translation_waits_for_review_then_phones_show_it_meanwhile() -> None:
    catalogs = i18n.load_catalogs()
    for lang in PHONE_ONLY:
        waiting = next(
            m for m in _catalog(lang) if m.fuzzy and isinstance(m.id, str) and m.id and m.string
        )
        assert catalogs[lang].gettext(waiting.id) == waiting.string, lang
    # The meetings' languages never show an entry that waits (pybabel's guesses, say).
    assert all(not m.fuzzy for lang in UI_LANGUAGES for m in _catalog(lang) if m.id)


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("ar", {"zero": 0, "one": 1, "two": 2, "few": 7, "many": 42, "other": 100}),
        ("pl", {"one": 1, "few": 23, "many": 12, "other": 5}),
        ("uk", {"one": 21, "few": 3, "many": 11, "other": 5}),
        ("fa", {"one": 0, "other": 2}),
        ("so", {"one": 1, "other": 2}),
    ],
)
def test_counted_texts_come_in_every_plural_category_of_the_language(
    lang: str, counts: dict[str, int]
) -> None:
    """The page picks a form by CLDR category (Intl.PluralRules), gettext by count: each
    category carries the form gettext gives a count of that category, or says the same as
    "other" and is left to it (static/js/i18n.js)."""
    translations = i18n.load_catalogs()[lang]
    dots = strings.script_strings(translations, lang=lang)["results.dots"]
    assert isinstance(dots, dict)
    assert "other" in dots and set(dots) <= set(counts)
    for category, n in counts.items():
        form = dots.get(category, dots["other"])
        assert form == translations.ngettext("%(n)s dot", "%(n)s dots", n), category
    if lang == "ar":  # Arabic says one dot, two dots and a few dots each its own way
        assert {"one", "two", "few"} <= set(dots)


def test_a_counted_text_sends_a_category_only_when_it_says_something_else() -> None:
    catalogs = i18n.load_catalogs()
    nb = strings.script_strings(catalogs["nb"], lang="nb")
    assert set(nb["results.dots"]) == {"one", "other"}  # "1 prikk", "2 prikker"
    uk = strings.script_strings(catalogs["uk"], lang="uk")
    assert "other" in uk["results.dots"] and "many" not in uk["results.dots"]  # the same words


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
    translations = i18n.load_catalogs()[lang]
    dots = strings.script_strings(translations, lang=lang)["results.dots"]
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


def test_when_a_page_speaks_only_the_meetings_languages_then_arabic_falls_back() -> None:
    assert i18n.choose("ar", None, "sv", accept="ar") == "sv"  # a console: the meeting's
    assert i18n.choose("ar", None, None, accept="ar") == "nb"
    assert i18n.choose("ar", None, "sv", supported=PHONE_LANGUAGES) == "ar"  # a phone


@pytest.mark.parametrize(
    ("header", "expected"),
    [("ar-SY,ar;q=0.9", "ar"), ("fa-AF", "fa"), ("uk-UA,ru;q=0.5", "uk"), ("so", "so")],
)
def test_a_phone_follows_a_browser_in_its_languages(header: str, expected: str) -> None:
    assert i18n.choose(None, accept=header, supported=PHONE_LANGUAGES) == expected
    assert i18n.choose(None, accept=header) == "nb"  # the start page: no such meeting language


def test_when_a_catalog_changes_on_disk_then_the_next_load_reads_it(tmp_path: Path) -> None:
    import os
    import shutil

    copy = tmp_path / "locales"
    shutil.copytree(LOCALES, copy)
    before = i18n.load_catalogs(copy)["nb"].gettext("Results from the meeting")
    po = copy / "nb" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    assert f'msgstr "{before}"' in text
    po.write_text(text.replace(f'msgstr "{before}"', 'msgstr "Endret tittel"'), encoding="utf-8")
    stat = po.stat()  # a later modification time, even on a coarse clock
    os.utime(po, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert i18n.load_catalogs(copy)["nb"].gettext("Results from the meeting") == "Endret tittel"


def test_each_load_gives_catalogs_of_its_own() -> None:
    first, second = i18n.load_catalogs(), i18n.load_catalogs()
    assert first["nb"] is not second["nb"]
    assert first["nb"].gettext("Results from the meeting") == second["nb"].gettext(
        "Results from the meeting"
    )
