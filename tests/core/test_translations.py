"""The translation catalogues: complete, compiled, and used by the pages and the API.

nordesk/locale/<lang>/LC_MESSAGES/django.po is the source, django.mo is committed next to it.
After changing user-visible strings run `make messages`, translate the new entries, and run it
again (it recompiles).
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "nordesk" / "locale"
TRANSLATED = ["nb", "nn", "da", "sv"]
ALL = ["en", *TRANSLATED]
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"

# %(name)s, %(name)r, %s, %d… (printf style, python-format) and {name} / {{ name }}.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc%]|%[sdifrxXc]|\{\{?[^{}]*\}?\}"
)


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"'), text
    assert text.endswith('"'), text
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text[1:-1])


def _entry(lines: list[tuple[int, str]], path: Path) -> Entry | None:
    entry = Entry(msgid="", line=lines[0][0])
    target: tuple[str, int] | None = None
    seen_msgid = False
    for number, line in lines:
        if line.startswith("#~"):  # obsolete
            continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(entry, keyword, _unquote(rest))
            target, seen_msgid = (keyword, 0), seen_msgid or keyword == "msgid"
        elif keyword == "msgstr" or plural:
            index = int(plural.group(1)) if plural else 0
            entry.msgstr[index], target = _unquote(rest), ("msgstr", index)
        elif line.startswith('"') and target is not None:
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, name, getattr(entry, name) + _unquote(line))
        else:
            raise AssertionError(f"{path}:{number}: cannot read {line!r}")
    return entry if seen_msgid else None


def parse_po(path: Path) -> list[Entry]:
    """A small PO reader, enough for what makemessages and msgmerge write: entries are separated
    by blank lines; obsolete (#~) ones are skipped; the header is the entry with msgid ""."""
    entries: list[Entry] = []
    block: list[tuple[int, str]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, raw in enumerate([*lines, ""], start=1):
        line = raw.strip()
        if line:
            block.append((number, line))
            continue
        if block and (entry := _entry(block, path)) is not None:
            entries.append(entry)
        block = []
    return entries


def _po(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def _header(entries: list[Entry]) -> tuple[Entry, dict[str, str]]:
    [header] = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line)
    return header, fields


def _messages(lang: str) -> list[Entry]:
    return [e for e in parse_po(_po(lang)) if e.msgid != "" or e.msgctxt is not None]


def _placeholders(text: str) -> list[str]:
    return sorted(p for p in PLACEHOLDER.findall(text) if p != "%%")


def test_parser_reads_plurals_contexts_and_continuations(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: nb\\n"\n\n'
        "#: a.py:1\n#, python-format\n"
        'msgid ""\n"%(n)s long "\n"line"\nmsgstr "%(n)s lang linje"\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr "Åpne"\n\n'
        '#, fuzzy\nmsgid "One"\nmsgid_plural "Many"\nmsgstr[0] "Én"\nmsgstr[1] "\\"Mange\\""\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Borte"\n',
        encoding="utf-8",
    )
    header, *entries = parse_po(po)
    assert header.msgstr[0] == "Language: nb\n"
    assert [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr) for e in entries] == [
        (None, "%(n)s long line", None, {0: "%(n)s lang linje"}),
        ("menu", "Open", None, {0: "Åpne"}),
        (None, "One", "Many", {0: "Én", 1: '"Mange"'}),
    ]
    assert entries[0].flags == {"python-format"}
    assert entries[2].flags == {"fuzzy"}


@pytest.mark.parametrize("lang", ALL)
def test_catalogue_header(lang):
    header, fields = _header(parse_po(_po(lang)))
    assert "fuzzy" not in header.flags, "a fuzzy header is dropped by msgfmt"
    assert fields["Language"] == lang
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == PLURAL_FORMS


def test_every_language_has_the_same_messages():
    keys = {lang: {e.key for e in _messages(lang)} for lang in ALL}
    for lang in TRANSLATED:
        assert keys[lang] == keys["en"], f"{lang}: run `make messages`"
    assert len(keys["en"]) > 100


def test_settings_languages_have_catalogues():
    assert {code for code, _ in settings.LANGUAGES} == set(ALL)
    assert Path(settings.LOCALE_PATHS[0]) == LOCALE


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang):
    problems = []
    for entry in _messages(lang):
        where = f"{_po(lang).relative_to(ROOT)}:{entry.line} {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        expected = [0, 1] if entry.msgid_plural is not None else [0]
        if sorted(entry.msgstr) != expected:
            problems.append(f"{where}: has forms {sorted(entry.msgstr)}, wants {expected}")
        for index, text in entry.msgstr.items():
            if not text.strip():
                problems.append(f"{where}: msgstr[{index}] is empty")
                continue
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            if _placeholders(text) != _placeholders(source):
                problems.append(
                    f"{where}: msgstr[{index}] placeholders {_placeholders(text)} "
                    f"!= {_placeholders(source)}"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ALL)
def test_compiled_catalogue_matches_source(lang):
    """The committed .mo holds exactly what the .po says (run compilemessages otherwise)."""
    mo = _po(lang).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info().get("language") == lang
    assert compiled.info().get("plural-forms") == PLURAL_FORMS
    # _catalog holds every compiled entry, including translations equal to their msgid
    # ("Status", "API"), which gettext() alone could not tell from a missing one.
    catalog = compiled._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in _messages(lang):
        if "fuzzy" in entry.flags or not all(entry.msgstr.values()):
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[msgid] = entry.msgstr[0]
        else:
            expected.update({(msgid, index): text for index, text in entry.msgstr.items()})
    actual = {key: value for key, value in catalog.items() if key != ""}
    stale = {k: (v, actual.get(k)) for k, v in expected.items() if actual.get(k) != v}
    assert not stale, f"{mo} is out of date: run `make messages`\n{stale}"
    assert set(actual) == set(expected), f"{mo} has entries the .po lacks: run `make messages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogues_cover_every_string_in_the_source(tmp_path):
    """makemessages, written to a scratch locale directory, finds no msgid the catalogues lack
    (and none they keep that the source no longer has)."""
    scratch = tmp_path / "locale"
    scratch.mkdir()
    (tmp_path / "i18n_check_settings.py").write_text(
        f"from nordesk.settings import *  # noqa: F403\nLOCALE_PATHS = [{str(scratch)!r}]\n",
        encoding="utf-8",
    )
    before = {lang: _po(lang).read_bytes() for lang in ALL}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    # makemessages adopts every directory named "locale" it walks into as the home of the
    # files around it: ignoring nordesk/locale sends everything to the scratch directory.
    ignored = (".venv", "node_modules", "var", "tests", "bench", "nordesk/locale")
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "--settings=i18n_check_settings",
            "--locale=nb",
            *(f"--ignore={name}" for name in ignored),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert {lang: _po(lang).read_bytes() for lang in ALL} == before, "touched the real catalogues"
    fresh = {e.key for e in parse_po(scratch / "nb" / "LC_MESSAGES" / "django.po")}
    committed = {e.key for e in parse_po(_po("nb"))}
    assert fresh - committed == set(), "new strings: run `make messages` and translate them"
    assert committed - fresh == set(), "strings no longer in the source: run `make messages`"


# --- behaviour ------------------------------------------------------------------------------


def test_gettext_uses_the_project_catalogues():
    with translation.override("nn"):
        assert translation.gettext("Solved") == "Løyst"
        assert translation.ngettext(
            "%(counter)s ticket shown.", "%(counter)s tickets shown.", 2
        ) == ("Viser %(counter)s saker.")
    with translation.override("sv"):
        assert translation.gettext("Closed") == "Stängt"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("en", "Log in to Nordesk"),
        ("nb", "Logg inn på Nordesk"),
        ("nn", "Logg inn på Nordesk"),
        ("da", "Log ind på Nordesk"),
        ("sv", "Logga in på Nordesk"),
    ],
)
def test_login_page_follows_accept_language(lang, heading):
    response = Client(HTTP_ACCEPT_LANGUAGE=lang).get("/login/")
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    assert f'<h1 id="login-title">{heading}</h1>' in page


@pytest.mark.django_db
def test_language_cookie_beats_accept_language():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    page = client.get("/login/").content.decode()
    assert "Log ind på Nordesk" in page
    assert ">E-mail</label>" in page


@pytest.mark.django_db
def test_regional_accept_language_picks_the_language():
    page = Client(HTTP_ACCEPT_LANGUAGE="nb-NO,nb;q=0.9,en;q=0.5").get("/login/").content.decode()
    assert "Logg inn på Nordesk" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "detail"),
    [
        ("en", "A valid API token or session is required."),
        ("nb", "Et gyldig API-token eller en gyldig økt kreves."),
        ("nn", "Eit gyldig API-token eller ei gyldig økt er påkravd."),
        ("da", "Et gyldigt API-token eller en gyldig session er påkrævet."),
        ("sv", "En giltig API-token eller session krävs."),
    ],
)
def test_api_problem_detail_follows_accept_language(lang, detail):
    response = Client(HTTP_ACCEPT_LANGUAGE=lang).get("/api/v1/tickets")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["Content-Language"] == lang
    assert "Accept-Language" in response["Vary"]
    assert response.json()["detail"] == detail


def test_api_problem_title_is_translated_too():
    response = Client(HTTP_ACCEPT_LANGUAGE="sv").get("/api/v1/tickets")
    assert response.json()["title"] == "Inte autentiserad"
