"""The translation catalogues are complete, current and well-formed.

The checks are plain functions over parsed entries, so each one is also proven
to fail on a small in-memory catalogue (the ``test_checker_*`` tests below).

Completeness against the source code: ``makemessages`` is run with the options
of the Makefile's ``messages`` target, but never against the committed
``locale/``. The command collects files under the current directory and writes
next to the first locale directory it finds there, so it runs in a temporary
directory that holds symlinks to the project's top-level entries (not to
``locale/``, ``tests/``, ``var/`` or the virtualenv) and an empty ``locale/`` of
its own, with ``LOCALE_PATHS`` pointing at that empty folder. Whatever it
writes lands in the temporary directory; the fresh ``django.pot`` it keeps
there is compared with the committed catalogues.
"""

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ("ka", "hy")
CATALOGUES = {
    code: ROOT / "locale" / code / "LC_MESSAGES" / "django.po" for code in LANGUAGES
}
EXPECTED_HEADERS = {
    "ka": {"Language": "ka", "Plural-Forms": "nplurals=2; plural=(n!=1);"},
    "hy": {"Language": "hy", "Plural-Forms": "nplurals=2; plural=(n != 1);"},
}
# The Makefile's `messages` target: keep these in step with it.
MAKEMESSAGES_IGNORE = [".venv", "node_modules", "var", "tests"]
# Top-level entries that the extraction never needs to see.
NOT_MIRRORED = {"locale", *MAKEMESSAGES_IGNORE}


# --- a tiny PO parser -------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def __str__(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a"}
_KEYWORD = re.compile(
    r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$'
)


def _unquote(token: str, lineno: int) -> str:
    token = token.strip()
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"line {lineno}: expected a quoted string, got {token!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), token[1:-1])


def parse_po(text: str) -> list[Entry]:
    """Entries of a PO file, the header included, obsolete (#~) ones left out."""
    entries: list[Entry] = []
    current = Entry()
    started = False  # current has a keyword line
    target: tuple[str, int | None] | None = None  # where continuation lines go

    def finish():
        nonlocal current, started, target
        if started:
            entries.append(current)
        current, started, target = Entry(), False, None

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if line.startswith("#~"):
                continue
            if started and current.msgstr:
                finish()
            if line.startswith("#,"):
                current.flags.update(
                    f.strip() for f in line[2:].split(",") if f.strip()
                )
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"line {lineno}: string outside an entry")
            value = _unquote(line, lineno)
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, (getattr(current, name) or "") + value)
            continue
        match = _KEYWORD.match(line)
        if not match:
            raise ValueError(f"line {lineno}: cannot parse {raw!r}")
        keyword, index, token = match.groups()
        if keyword in ("msgctxt", "msgid") and current.msgstr:
            finish()
        if not started:
            current.line = lineno
        started = True
        value = _unquote(token, lineno)
        if keyword.startswith("msgstr"):
            position = int(index) if index is not None else 0
            current.msgstr[position] = value
            target = ("msgstr", position)
        else:
            setattr(current, keyword, value)
            target = (keyword, None)
    finish()
    return entries


def parse_header(entries: list[Entry]) -> dict[str, str]:
    for entry in entries:
        if entry.is_header:
            lines = entry.msgstr.get(0, "").splitlines()
            pairs = (line.split(":", 1) for line in lines if ":" in line)
            return {name.strip(): value.strip() for name, value in pairs}
    return {}


def load(path: Path) -> list[Entry]:
    return parse_po(path.read_text(encoding="utf-8"))


# --- the checks: each returns a list of human-readable problems --------------


def untranslated(entries: list[Entry]) -> list[str]:
    problems = []
    for entry in entries:
        if entry.is_header:
            continue
        if not entry.msgstr:
            problems.append(f"{entry}: no msgstr")
            continue
        if entry.msgid_plural is not None:
            expected = max(2, *(i + 1 for i in entry.msgstr))
            empty = [i for i in range(expected) if not entry.msgstr.get(i)]
            if empty:
                problems.append(f"{entry}: empty msgstr{empty}")
        elif not entry.msgstr.get(0):
            problems.append(f"{entry}: empty msgstr")
    return problems


def fuzzy(entries: list[Entry]) -> list[str]:
    return [f"{entry}: fuzzy" for entry in entries if "fuzzy" in entry.flags]


MTAVRULI = re.compile("[\u1c90-\u1cbf]")


def mtavruli(entries: list[Entry]) -> list[str]:
    return [
        f"{entry}: Mtavruli capital {MTAVRULI.search(text).group()!r} in msgstr[{i}]"
        for entry in entries
        if not entry.is_header
        for i, text in sorted(entry.msgstr.items())
        if MTAVRULI.search(text)
    ]


# A letter of the other language's script in a translation is a slip of the keyboard.
FOREIGN_SCRIPT = {
    "ka": re.compile("[\u0531-\u058f]"),  # Armenian
    "hy": re.compile("[\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f]"),  # Georgian
}


def foreign_script(entries: list[Entry], code: str) -> list[str]:
    pattern = FOREIGN_SCRIPT[code]
    return [
        f"{entry}: letter {pattern.search(text).group()!r} of another script"
        for entry in entries
        if not entry.is_header
        for text in entry.msgstr.values()
        if pattern.search(text)
    ]


_PERCENT = re.compile(
    r"%(?:%|(?P<spec>(?:\((?P<name>[^)]+)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
    r"[diouxXeEfFgGcrsa]))"
)
_BRACE = re.compile(
    r"\{\{|\}\}|\{(?P<field>[A-Za-z_][\w.]*|\d*)(?:![rsa])?(?::[^{}]*)?\}"
)


def placeholders(text: str) -> tuple[list[str], list[str]]:
    """The %-placeholders (named ones sorted, positional ones in order) and {fields}."""
    named, positional = [], []
    for match in _PERCENT.finditer(text):
        if match.group("spec") is None:
            continue  # "%%"
        (named if match.group("name") else positional).append(match.group())
    fields = [
        m.group("field") for m in _BRACE.finditer(text) if m.group("field") is not None
    ]
    return sorted(named) + positional, sorted(fields)


def placeholder_mismatches(entries: list[Entry]) -> list[str]:
    problems = []
    for entry in entries:
        if entry.is_header:
            continue
        for i, text in sorted(entry.msgstr.items()):
            if not text:
                continue  # reported by untranslated()
            source = (
                entry.msgid
                if i == 0 or entry.msgid_plural is None
                else entry.msgid_plural
            )
            if placeholders(source) != placeholders(text):
                problems.append(
                    f"{entry}: msgstr[{i}] has placeholders {placeholders(text)}, "
                    f"the source has {placeholders(source)}"
                )
    return problems


def missing(extracted: list[Entry], catalogue: list[Entry]) -> list[str]:
    """Extracted strings that the catalogue lacks or leaves untranslated."""
    by_key = {entry.key: entry for entry in catalogue}
    problems = []
    for entry in extracted:
        if entry.is_header:
            continue
        found = by_key.get(entry.key)
        if found is None:
            problems.append(f"{entry}: not in the catalogue")
        elif found.msgid_plural != entry.msgid_plural:
            problems.append(f"{entry}: plural form differs ({found.msgid_plural!r})")
        elif untranslated([found]) or fuzzy([found]):
            problems.append(f"{entry}: not translated in the catalogue")
    return problems


def stale(extracted: list[Entry], catalogue: list[Entry]) -> list[str]:
    """Catalogue entries whose string is no longer in the source code."""
    keys = {entry.key for entry in extracted}
    return [
        f"{entry}: no longer in the source"
        for entry in catalogue
        if not entry.is_header and entry.key not in keys
    ]


def header_problems(entries: list[Entry], code: str) -> list[str]:
    header = parse_header(entries)
    problems = [
        f"{name} is {header.get(name)!r}, expected {value!r}"
        for name, value in EXPECTED_HEADERS[code].items()
        if header.get(name) != value
    ]
    if "charset=UTF-8" not in header.get("Content-Type", ""):
        problems.append(
            f"Content-Type is {header.get('Content-Type')!r}, expected charset=UTF-8"
        )
    team = header.get("Language-Team", "")
    if not team or "LANGUAGE" in team:
        problems.append(f"Language-Team is not filled in: {team!r}")
    return problems


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


# --- the committed catalogues ----------------------------------------------


@pytest.fixture(scope="module", params=LANGUAGES)
def catalogue(request):
    return request.param, load(CATALOGUES[request.param])


def test_catalogue_has_entries(catalogue):
    _code, entries = catalogue
    assert len([e for e in entries if not e.is_header]) > 50


def test_header(catalogue):
    code, entries = catalogue
    problems = header_problems(entries, code)
    assert not problems, _report(problems)


def test_every_entry_translated(catalogue):
    _code, entries = catalogue
    problems = untranslated(entries)
    assert not problems, _report(problems)


def test_no_fuzzy_entries(catalogue):
    _code, entries = catalogue
    problems = fuzzy(entries)
    assert not problems, _report(problems)


def test_placeholders_match(catalogue):
    _code, entries = catalogue
    problems = placeholder_mismatches(entries)
    assert not problems, _report(problems)


def test_no_mtavruli_in_georgian():
    problems = mtavruli(load(CATALOGUES["ka"]))
    assert not problems, _report(problems)


def test_no_letters_of_the_other_script(catalogue):
    code, entries = catalogue
    problems = foreign_script(entries, code)
    assert not problems, _report(problems)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A fresh extraction of the source code, made away from the committed locale/."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.fail(
            "GNU gettext (xgettext, msgmerge) is needed: apt-get install gettext"
        )
    mirror = tmp_path_factory.mktemp("extraction")
    for child in ROOT.iterdir():
        if child.name.startswith(".") or child.name in NOT_MIRRORED:
            continue
        (mirror / child.name).symlink_to(child, target_is_directory=child.is_dir())
    locale = mirror / "locale"
    locale.mkdir()
    with (
        pytest.MonkeyPatch.context() as monkeypatch,
        override_settings(LOCALE_PATHS=[str(locale)]),
    ):
        monkeypatch.chdir(mirror)
        call_command(
            "makemessages",
            locale=["ka"],
            ignore_patterns=MAKEMESSAGES_IGNORE,
            no_obsolete=True,
            add_location="file",
            symlinks=True,  # follow the mirror's links
            keep_pot=True,
            verbosity=0,
        )
    pot = locale / "django.pot"
    assert pot.is_file(), "makemessages wrote no django.pot"
    return load(pot)


def test_extraction_is_not_empty(extracted):
    assert len([e for e in extracted if not e.is_header]) > 50


def test_source_strings_are_in_catalogues(extracted, catalogue):
    code, entries = catalogue
    problems = missing(extracted, entries)
    hint = f"Run `make messages` and translate ({code}). "
    assert not problems, hint + _report(problems)


def test_catalogues_hold_no_stale_strings(extracted, catalogue):
    code, entries = catalogue
    problems = stale(extracted, entries)
    assert not problems, f"Run `make messages` ({code}). " + _report(problems)


def test_committed_catalogues_untouched_by_extraction(extracted):
    assert not (ROOT / "locale" / "django.pot").exists()


# --- the checks can fail ------------------------------------------------------

BROKEN = r"""
# A header that is still the template's.
#, fuzzy
msgid ""
msgstr ""
"Language: \n"
"Language-Team: LANGUAGE <LL@li.org>\n"
"Content-Type: text/plain; charset=CHARSET\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\n"

#: prapp/models.py
msgid "Archive"
msgstr "არქივი"

#: templates/base.html
msgid "Log out"
msgstr ""

#: templates/base.html
#, fuzzy
msgid "Log in"
msgstr "შესვლა"

msgid "Search"
msgstr "ᲫᲘᲔᲑᲐ"

#, python-format
msgid "Welcome, %(name)s"
msgstr "მოგესალმებით, %(nmae)s"

msgid "Hello, %s and %s"
msgstr "გამარჯობა, %s"

msgid "Open {title}"
msgstr "{name} გახსნა"

msgid "100%% done at %(percent)d%%"
msgstr "%(percent)d%% — 100%%"

msgctxt "month"
msgid "May"
msgstr ""

msgid "A long "
"message"
msgstr ""
"გრძელი "
"შეტყობინება"

#, python-format
msgid "%(counter)s message"
msgid_plural "%(counter)s messages"
msgstr[0] "%(counter)s წერილი"
msgstr[1] ""

#~ msgid "Obsolete"
#~ msgstr ""
"""


def _by_msgid(entries: list[Entry]) -> dict[str, Entry]:
    return {entry.msgid: entry for entry in entries}


def test_parser_reads_entries():
    entries = parse_po(BROKEN)
    found = _by_msgid(entries)
    assert "Obsolete" not in found
    assert found["A long message"].msgstr == {0: "გრძელი შეტყობინება"}
    assert found["May"].msgctxt == "month"
    assert found["%(counter)s message"].msgid_plural == "%(counter)s messages"
    assert found["Log in"].flags == {"fuzzy"}
    assert found["Archive"].line == 12
    assert len(entries) == 12


def test_checker_reports_empty_msgstr():
    problems = untranslated(parse_po(BROKEN))
    assert len(problems) == 3
    text = "\n".join(problems)
    assert "'Log out'" in text and "'May'" in text and "'%(counter)s message'" in text
    assert "msgstr[1]" in text


def test_checker_reports_fuzzy():
    problems = fuzzy(parse_po(BROKEN))
    assert len(problems) == 2  # the header and "Log in"
    assert "'Log in'" in problems[1]


def test_checker_reports_mtavruli():
    problems = mtavruli(parse_po(BROKEN))
    assert len(problems) == 1 and "'Search'" in problems[0]
    assert not mtavruli(parse_po('msgid "Search"\nmsgstr "ძიება"\n'))


def test_checker_reports_placeholder_mismatch():
    problems = placeholder_mismatches(parse_po(BROKEN))
    text = "\n".join(problems)
    assert len(problems) == 3, text
    assert "'Welcome, %(name)s'" in text
    assert "'Hello, %s and %s'" in text
    assert "'Open {title}'" in text
    assert "100%%" not in text  # "%%" is not a placeholder


def test_placeholders_parsing():
    assert placeholders("%(b)s %(a)d %s {x} {{literal}} 5%%") == (
        ["%(a)d", "%(b)s", "%s"],
        ["x"],
    )
    # Order of named placeholders may change in a translation, of positional not.
    assert placeholders("%(a)s %(b)s") == placeholders("%(b)s %(a)s")
    assert placeholders("%s %d") != placeholders("%d %s")


def test_checker_reports_missing_and_stale():
    extracted = parse_po(
        'msgid ""\nmsgstr ""\n\nmsgid "Archive"\nmsgstr ""\n\n'
        'msgid "Log out"\nmsgstr ""\n\nmsgid "New string"\nmsgstr ""\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr ""\n'
    )
    problems = missing(extracted, parse_po(BROKEN))
    text = "\n".join(problems)
    assert len(problems) == 3, text
    assert "'New string': not in the catalogue" in text
    assert "'Log out': not translated" in text
    assert "[month] 'May': not translated" in text
    assert "'Search'" in "\n".join(stale(extracted, parse_po(BROKEN)))


def test_checker_reports_bad_header():
    problems = header_problems(parse_po(BROKEN), "ka")
    assert len(problems) == 4, problems


def test_checkers_catch_a_corrupted_copy_of_the_real_catalogue():
    text = CATALOGUES["ka"].read_text(encoding="utf-8")
    corrupted = (
        text.replace('msgstr "გასვლა"', 'msgstr ""', 1)
        .replace('msgstr "ძიება"', 'msgstr "ᲫᲘᲔᲑᲐ"', 1)
        .replace('msgstr "მოგესალმებით, %(name)s"', 'msgstr "მოგესალმებით, %(nom)s"')
        .replace(
            '#: templates/registration/login.html\nmsgid "Log in"',
            '#: templates/registration/login.html\n#, fuzzy\nmsgid "Log in"',
        )
    )
    assert corrupted != text
    entries = parse_po(corrupted)
    assert [p for p in untranslated(entries) if "'Log out'" in p]
    assert [p for p in mtavruli(entries) if "'Search'" in p]
    assert [p for p in fuzzy(entries) if "'Log in'" in p]
    assert [p for p in placeholder_mismatches(entries) if "'Welcome, %(name)s'" in p]
    assert [p for p in missing(entries, entries) if "'Log out'" in p]


def test_checker_reports_foreign_script():
    entries = parse_po('msgid "expires on"\nmsgstr "ვადის გასვლის თარիღი"\n')
    assert len(foreign_script(entries, "ka")) == 1
    assert not foreign_script(parse_po('msgid "a"\nmsgstr "არქივი"\n'), "ka")
    assert len(foreign_script(parse_po('msgid "a"\nmsgstr "Արխիվ ა"\n'), "hy")) == 1
