"""Word-level differences between two saved versions of a release.

A reviewer reads what changed since the version they saw: each language
version's title, lead and body (the body as text, paragraph breaks kept) and
the release's facts, as runs of equal, inserted and deleted words.
"""

import difflib
import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from pressreleases.models import CONTENT_FIELDS

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

# A word (in any script) or one punctuation mark, and the whitespace after it.
_WORD = re.compile(r"(\w+|[^\w\s])(\s*)")
# Where a block of the body ends, a paragraph break is kept in the text.
_BLOCK_END = re.compile(
    r"</(?:p|h[1-6]|li|blockquote|tr|table|ul|ol)\s*>|<br\s*/?>|<hr\s*/?>",
    re.IGNORECASE,
)
_CELL_END = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\r\f\v]+")

FIELD_LABELS = {
    "title": _("Title"),
    "lead": _("Lead"),
    "body": _("Text"),
}
FACT_LABELS = {
    "embargo_until": _("Embargoed until"),
    "contact_person": _("Contact person"),
    "event": _("Related event"),
    "tags": _("Tags"),
    "attachments": _("Attachments"),
}


def html_to_text(value: str) -> str:
    """The text of rich-text HTML, one blank line between paragraphs."""
    if not value:
        return ""
    text = _CELL_END.sub(" ", str(value))
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(strip_tags(text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _split(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Leading whitespace, then (word, whitespace after it) pairs."""
    stripped = (text or "").lstrip()
    return (text or "")[: len(text or "") - len(stripped)], _WORD.findall(stripped)


def tokens(text: str) -> list[str]:
    """The words and punctuation marks of ``text``, whitespace left out."""
    return [word for word, _space in _split(text)[1]]


def field_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` turned into ``new`` as (op, text) runs, op "equal"/"insert"/"delete".

    Lines are matched first, then the words of the lines that differ, so a long
    body with a few edits costs little. Words are compared without the
    whitespace around them; a replaced stretch is its deletion followed by its
    insertion, and neighbouring runs of the same kind are merged. Joined, the
    equal and inserted runs give ``new``; the equal and deleted runs give
    ``old`` up to whitespace.
    """
    runs: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if runs and runs[-1][0] == op:
            runs[-1] = (op, runs[-1][1] + text)
        else:
            runs.append((op, text))

    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    # autojunk would drop frequent items (blank lines, common words) from the
    # matching and lose the alignment around them.
    lines = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            add(EQUAL, after)
        elif tag == "delete":
            add(DELETE, before)
        elif tag == "insert":
            add(INSERT, after)
        else:
            _word_diff(before, after, add)
    return runs


def _space(old: str, new: str, add) -> None:
    """Whitespace between two equal words: only its appearing or vanishing shows."""
    if old and not new:
        add(DELETE, old)
    elif new and not old:
        add(INSERT, new)
    else:
        add(EQUAL, new)


def _word_diff(old: str, new: str, add) -> None:
    old_lead, old_words = _split(old)
    new_lead, new_words = _split(new)
    _space(old_lead, new_lead, add)
    matcher = difflib.SequenceMatcher(
        None,
        [word for word, _space in old_words],
        [word for word, _space in new_words],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs = zip(old_words[i1:i2], new_words[j1:j2], strict=True)
            for (word, old_space), (_same, new_space) in pairs:
                add(EQUAL, word)
                _space(old_space, new_space, add)
            continue
        before = "".join(w + sp for w, sp in old_words[i1:i2])
        after = "".join(w + sp for w, sp in new_words[j1:j2])
        if tag == "delete":
            add(DELETE, before)
        elif tag == "insert":
            add(INSERT, after)
        else:
            # "ას " → "ორას ": the words change, the space after them stays.
            kept = after[len(after.rstrip()) :]
            if kept and before.endswith(kept):
                add(DELETE, before[: -len(kept)])
                add(INSERT, after[: -len(kept)])
                add(EQUAL, kept)
            else:
                add(DELETE, before)
                add(INSERT, after)


@dataclass
class FieldChange:
    """One field that differs between two versions, ready for the template."""

    language: str  # "" for the release's facts
    name: str
    label: str
    runs: list[tuple[str, str]]
    multiline: bool = False


def _fact_text(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if name == "embargo_until" and value:
        return _embargo_text(value)
    return str(value)


def _embargo_text(value: str) -> str:
    moment = parse_datetime(str(value))
    if moment is None:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


def version_changes(old: dict, new: dict) -> list[FieldChange]:
    """What differs between two ``ReleaseVersion.content`` dicts, field by field.

    Language versions first (in the order of ``LANGUAGES``), then the facts;
    unchanged fields are left out.
    """
    changes = []
    for code, _name in settings.LANGUAGES:
        for field in CONTENT_FIELDS:
            key = f"{field}_{code}"
            before, after = old.get(key) or "", new.get(key) or ""
            if field == "body":
                before, after = html_to_text(before), html_to_text(after)
            if before == after:
                continue
            changes.append(
                FieldChange(
                    language=code,
                    name=key,
                    label=FIELD_LABELS[field],
                    runs=field_diff(before, after),
                    multiline=field != "title",
                )
            )
    for name, label in FACT_LABELS.items():
        before = _fact_text(name, old.get(name))
        after = _fact_text(name, new.get(name))
        if before != after:
            changes.append(
                FieldChange(
                    language="",
                    name=name,
                    label=label,
                    runs=field_diff(before, after),
                )
            )
    return changes
