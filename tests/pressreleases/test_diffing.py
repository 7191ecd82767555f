"""Word-level differences between saved versions of a release."""

import itertools
import time

from django.utils import translation

from pressreleases.diffing import field_diff, html_to_text, tokens, version_changes


def _side(runs, keep):
    return "".join(text for op, text in runs if op in ("equal", keep))


def test_a_changed_word_is_deleted_then_inserted():
    runs = field_diff("ბაღი ას ბავშვს მიიღებს", "ბაღი ორას ბავშვს მიიღებს")
    assert runs == [
        ("equal", "ბაღი "),
        ("delete", "ას"),
        ("insert", "ორას"),
        ("equal", " ბავშვს მიიღებს"),
    ]


def test_runs_rebuild_both_texts():
    pairs = [
        ("", ""),
        ("", "Նոր տեքստ"),
        ("Հին տեքստ", ""),
        ("one two three", "zero one three four"),
        (
            "Hello, world.\n\nSecond paragraph",
            "Hello world!\n\nSecond, longer paragraph",
        ),
    ]
    for old, new in pairs:
        runs = field_diff(old, new)
        assert _side(runs, "insert") == new
        # The old text comes back word for word (its spacing may differ).
        assert _side(runs, "delete").split() == old.split()
        # Neighbouring runs never share an op, and none is empty.
        assert all(text for _op, text in runs)
        assert all(a[0] != b[0] for a, b in itertools.pairwise(runs))


def test_identical_and_empty_texts():
    assert field_diff("same words", "same words") == [("equal", "same words")]
    assert field_diff("", "") == []
    assert field_diff("", "new") == [("insert", "new")]


def test_punctuation_is_its_own_token():
    assert tokens("Hello, world!") == ["Hello", ",", "world", "!"]
    runs = field_diff("Hello, world", "Hello; world")
    assert ("delete", ",") in runs and ("insert", ";") in runs
    assert ("equal", "Hello") in runs


def test_html_to_text_keeps_paragraph_breaks():
    html = (
        "<h2>სათაური</h2><p>ერთი &amp; ორი<br>სამი</p>"
        "<ul><li>a</li><li>b</li></ul><table><tr><td>x</td><td>y</td></tr></table>"
    )
    assert html_to_text(html) == "სათაური\n\nერთი & ორი\n\nსამი\n\na\n\nb\n\nx y"
    assert html_to_text("") == ""
    assert html_to_text("<p>a <em>b</em>\n c</p>") == "a b\nc"


def _content(**changes):
    content = {
        "title_ka": "სათაური",
        "lead_ka": "",
        "body_ka": "<p>ერთი</p><p>ორი</p>",
        "title_hy": "Վերնագիր",
        "lead_hy": "",
        "body_hy": "<p>Տեքստ</p>",
        "title_en": "",
        "lead_en": "",
        "body_en": "",
        "embargo_until": None,
        "contact_person": "",
        "event": "",
        "tags": ["Health"],
        "attachments": [],
    }
    content.update(changes)
    return content


def test_version_changes_lists_only_what_changed():
    old = _content()
    new = _content(
        body_ka="<p>ერთი</p><p>სამი</p>",
        title_en="Title",
        tags=["Budget", "Health"],
        embargo_until="2030-05-01T06:00:00+00:00",
    )
    with translation.override("en"):
        changes = version_changes(old, new)
        names = [change.name for change in changes]
        assert names == ["body_ka", "title_en", "embargo_until", "tags"]
        body = changes[0]
        assert body.language == "ka" and body.multiline
        assert body.runs == [
            ("equal", "ერთი\n\n"),
            ("delete", "ორი"),
            ("insert", "სამი"),
        ]
        assert changes[1].runs == [("insert", "Title")]
        # The embargo is shown in local time (Tbilisi, UTC+4), not as ISO text.
        assert changes[2].runs == [("insert", "May 1, 2030, 10 a.m.")]
        assert changes[3].runs == [("insert", "Budget, "), ("equal", "Health")]
        assert str(changes[3].label) == "Tags"


def test_markup_only_changes_are_not_word_changes():
    old = _content(body_ka="<p>ერთი ორი</p>")
    new = _content(body_ka="<p>ერთი <strong>ორი</strong></p>")
    assert version_changes(old, new) == []
    assert version_changes(_content(), _content()) == []


def test_a_long_body_is_compared_quickly():
    words = [f"სიტყვა{n}" for n in range(5000)]
    old = " ".join(words)
    new = " ".join([*words[:2500], "ჩამატება", *words[2500:4000], *words[4001:]])
    started = time.perf_counter()
    runs = field_diff(old, new)
    assert time.perf_counter() - started < 0.5
    assert [op for op, _text in runs] == [
        "equal",
        "insert",
        "equal",
        "delete",
        "equal",
    ]
