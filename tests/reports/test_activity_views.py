"""The activity report page, its exports and its PDF: figures, languages, access."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from inquiries.statistics import period_label
from inquiries.views_stats import CONTENT_TYPES
from reports.views_report import last_full_month
from tests.reports.test_activity import FEBRUARY, MARCH, build_world, expected

PAGE = "reports:activity"
EXPORT = "reports:activity_export"
PDF = "reports:activity_pdf"
IN_MARCH = {"period": "month", "year": 2026, "month": 3}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def world(make_user):
    return build_world(make_user("author", role="Editor"))


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    # Lines wrap where the page ends them: compare with single spaces.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _charts(page: str) -> dict[str, ET.Element]:
    """Each chart of the page, parsed as XML, by the section it belongs to."""
    charts = {}
    for chunk in page.split('data-chart="')[1:]:
        key, rest = chunk.split('"', 1)
        svg = rest[rest.index("<svg") : rest.index("</svg>") + len("</svg>")]
        charts[key] = ET.fromstring(svg)  # noqa: S314 (our own page)
    return charts


# --- Access ----------------------------------------------------------------------


def _addresses():
    return [
        reverse(PAGE),
        reverse(EXPORT, args=["csv"]),
        reverse(EXPORT, args=["xlsx"]),
        reverse(PDF),
    ]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_and_no_role_is_refused(client, make_user):
    for address in _addresses():
        response = client.get(address)
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(make_user("nobody"))
    for address in _addresses():
        assert client.get(address).status_code == 403, address


@pytest.mark.django_db
def test_every_role_may_read_the_report_and_its_exports(client, role_user):
    assert role_user.has_perm("reports.view_report")
    client.force_login(role_user)
    page = client.get(reverse(PAGE))
    assert page.status_code == 200 and "figures" in page.context
    for file_format in CONTENT_TYPES:
        response = client.get(reverse(EXPORT, args=[file_format]))
        assert response.status_code == 200
        assert response["Content-Type"] == CONTENT_TYPES[file_format]
        assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.django_db
def test_an_unknown_export_format_is_not_found(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse(EXPORT, args=["pdf"])).status_code == 404


# --- The page --------------------------------------------------------------------


@pytest.mark.django_db
def test_without_a_choice_the_page_shows_the_last_full_month(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse(PAGE))
    start, end = last_full_month(timezone.localdate())
    current = response.context["figures"]["current"]
    assert (current["start"], current["end"]) == (start, end)
    today = timezone.localdate()
    assert start.day == 1 and end == today.replace(day=1) - timedelta(days=1)
    # The month after it (the current one) has begun: it can be chosen.
    assert "data-next-period" in response.text


def test_the_last_full_month_of_january_is_december():
    assert last_full_month(date(2027, 1, 15)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert last_full_month(date(2026, 3, 1)) == (date(2026, 2, 1), date(2026, 2, 28))


@pytest.mark.django_db
def test_the_page_shows_each_figure_next_to_the_previous_period(client, viewer, world):
    client.force_login(viewer)
    response = client.get(reverse(PAGE), IN_MARCH)
    now, before = expected(world, *MARCH), expected(world, *FEBRUARY)
    rows = {row.key: row for row in response.context["figures"]["rows"]}
    for key, subject, figure in [
        ("releases.drafted", "releases", "drafted"),
        ("releases.reached", "releases", "reached"),
        ("invitations.attended", "invitations", "attended"),
        ("messages.late", "messages", "late"),
        ("contacts.people_added", "contacts", "people_added"),
        ("inquiries.received", "inquiries", "received"),
    ]:
        row = rows[key]
        assert (row.current, row.previous) == (
            now[subject][figure],
            before[subject][figure],
        ), key
    page = response.text
    with translation.override("ka"):
        march = period_label(*MARCH)
        february = period_label(*FEBRUARY)
    assert f"<span data-period-label>{march}</span>" in page
    assert february in page
    drafted = now["releases"]["drafted"] - before["releases"]["drafted"]
    assert 'data-row="releases.drafted"' in page
    line = page.split('data-row="releases.drafted"')[1].split("</tr>")[0]
    assert f'<td class="text-end" data-current>{now["releases"]["drafted"]}</td>' in (
        line
    )
    assert f"{'+' if drafted > 0 else ''}{drafted}</td>" in line
    for section in ("releases", "events", "invitations", "accreditations"):
        assert f'data-section="{section}"' in page
    for section in ("monitoring", "messages", "archive", "contacts", "inquiries"):
        assert f'data-section="{section}"' in page
    query = "period=month&amp;year=2026&amp;month=3"
    assert f"{reverse(EXPORT, args=['csv'])}?{query}" in page
    assert f"{reverse(EXPORT, args=['xlsx'])}?{query}" in page
    assert f"{reverse(PDF)}?{query}" in page


@pytest.mark.django_db
def test_the_charts_show_what_the_tables_count(client, viewer, world):
    client.force_login(viewer)
    page = client.get(reverse(PAGE), IN_MARCH).text
    charts = _charts(page)
    assert set(charts) == {"events", "topics", "archive", "inquiries"}
    for key, svg in charts.items():
        assert svg.get("role") == "img"
        assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
        # Every chart comes with its values as a table.
        assert f'data-chart-data="{key}"' in page
    now, before = expected(world, *MARCH), expected(world, *FEBRUARY)
    codes = set(now["events"]["by_type"]) | set(before["events"]["by_type"])
    groups = charts["events"].findall(f".//{SVG}g[@class='chart-bar-group']")
    assert len(groups) == len(codes)
    total = sum(
        float(bar.get("data-value"))
        for group in groups
        for bar in group.findall(f"{SVG}rect")
    )
    assert total == now["events"]["total"] + before["events"]["total"]
    topics = charts["topics"].findall(f".//{SVG}g[@class='chart-bar-group']")
    # All mentions, then each topic: stacked by sentiment.
    assert len(topics) == 1 + len(now["monitoring"]["by_topic"])
    first = sum(float(bar.get("data-value")) for bar in topics[0])
    assert first == now["monitoring"]["mentions"]
    inquiries = charts["inquiries"].findall(f".//{SVG}g[@class='chart-bar-group']")
    assert [
        sum(float(bar.get("data-value")) for bar in group) for group in inquiries
    ] == [
        before["inquiries"]["on_time"] + before["inquiries"]["late"],
        now["inquiries"]["on_time"] + now["inquiries"]["late"],
    ]


@pytest.mark.django_db
def test_the_period_chooser_offers_quarters_years_and_any_dates(client, viewer, world):
    client.force_login(viewer)
    quarter = {"period": "quarter", "year": 2026, "quarter": 1}
    response = client.get(reverse(PAGE), quarter)
    figures = response.context["figures"]
    assert figures["previous"]["start"] == date(2025, 10, 1)
    response = client.get(reverse(PAGE), {"period": "year", "year": 2026})
    assert response.context["figures"]["current"]["end"] == date(2026, 12, 31)
    response = client.get(
        reverse(PAGE), {"period": "custom", "start": "2026-03-10", "end": "2026-03-19"}
    )
    figures = response.context["figures"]
    assert figures["previous"]["start"] == date(2026, 2, 28)
    hand = expected(world, date(2026, 3, 10), date(2026, 3, 19))
    assert figures["current"]["releases"] == hand["releases"]


@pytest.mark.django_db
def test_a_backwards_period_is_refused_clearly(client, viewer):
    client.force_login(viewer)
    backwards = {"period": "custom", "start": "2026-03-10", "end": "2026-03-01"}
    response = client.get(reverse(PAGE), backwards)
    assert response.status_code == 200 and "figures" not in response.context
    with translation.override("ka"):
        message = translation.gettext("The period must not end before it starts.")
    assert message in response.text
    for address in (reverse(EXPORT, args=["csv"]), reverse(PDF)):
        response = client.get(address, backwards)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(PAGE))
        assert "period=custom" in response["Location"]


@pytest.mark.django_db
def test_the_page_query_count_is_pinned(
    client, viewer, world, django_assert_num_queries
):
    client.force_login(viewer)
    # session, user, permissions (2), then for each period: releases,
    # deliveries, event types, invitations, accreditations, monitoring
    # counts, topics, archive, people, organisations and the inquiry desk's
    # counts, refusal grounds, their names and median answer time (the last
    # quarter of 2025, empty, has neither refusals nor answers)
    first_quarter = {"period": "quarter", "year": 2026, "quarter": 1}
    with django_assert_num_queries(4 + 14 + 11):
        client.get(reverse(PAGE), first_quarter)
    build_world(world.releases[0].author, seed=3)
    with django_assert_num_queries(4 + 14 + 11):
        client.get(reverse(PAGE), first_quarter)


# --- Exports ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ka", "hy", "en"])
def test_the_csv_export_has_the_figures_and_headers_in_the_users_language(
    client, make_user, world, language
):
    client.force_login(make_user("reader", role="Viewer", language=language))
    response = client.get(reverse(EXPORT, args=["csv"]), IN_MARCH)
    assert response["Content-Type"].startswith("text/csv")
    assert "activity-2026-03-01-2026-03-31.csv" in response["Content-Disposition"]
    rows = _csv(response)
    with translation.override(language):
        figure = translation.gettext("Figure")
        change = translation.gettext("Change")
        drafted = translation.gettext("Releases drafted")
        releases = translation.gettext("Press releases")
        messages = translation.gettext("Messages received")
        march = period_label(*MARCH)
        previous = translation.gettext("previous: %(period)s") % {
            "period": period_label(*FEBRUARY)
        }
    assert rows[0] == [figure, march, previous, change]
    table = {row[0].strip(): row[1:] for row in rows[1:]}
    now, before = expected(world, *MARCH), expected(world, *FEBRUARY)
    assert table[releases] == ["", "", ""]
    assert table[drafted] == [
        str(now["releases"]["drafted"]),
        str(before["releases"]["drafted"]),
        str(now["releases"]["drafted"] - before["releases"]["drafted"]),
    ]
    assert table[messages][:2] == [
        str(now["messages"]["messages"]),
        str(before["messages"]["messages"]),
    ]
    figures = client.get(reverse(PAGE), IN_MARCH).context["figures"]
    assert len(rows) == 1 + len(figures["rows"])


@pytest.mark.django_db
def test_the_xlsx_export_holds_numbers_and_translated_headers(client, make_user, world):
    client.force_login(make_user("reader", role="Viewer", language="hy"))
    response = client.get(reverse(EXPORT, args=["xlsx"]), IN_MARCH)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "activity-2026-03-01-2026-03-31.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    values = list(sheet.iter_rows(values_only=True))
    with translation.override("hy"):
        assert sheet.title == translation.gettext("Activity report")[:31]
        assert values[0][0] == translation.gettext("Figure")
        reached = translation.gettext("Recipients reached")
        size = translation.gettext("Size added (GB)")
        bounce = translation.gettext("Bounce rate (%)")
    table = {row[0]: row[1:] for row in values[1:]}
    now, before = expected(world, *MARCH), expected(world, *FEBRUARY)
    assert table[reached][:2] == (
        now["releases"]["reached"],
        before["releases"]["reached"],
    )
    assert isinstance(table[reached][0], int)
    assert table[size][0] == round(now["archive"]["bytes"] / 10**9, 2)
    assert table[bounce][0] == now["releases"]["bounce_rate"]


@pytest.mark.django_db
def test_the_pdf_holds_the_period_and_the_figures(client, make_user, world):
    client.force_login(make_user("reader", role="Viewer", language="en"))
    response = client.get(reverse(PDF), IN_MARCH)
    assert response["Content-Type"] == "application/pdf"
    assert "activity-2026-03-01-2026-03-31.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    now = expected(world, *MARCH)
    assert "Activity report: March 2026" in text
    assert "February 2026" in text
    assert f"Releases drafted {now['releases']['drafted']}" in text
    assert f"Recipients reached {now['releases']['reached']}" in text


@pytest.mark.django_db
def test_the_pdf_is_in_georgian_for_a_georgian_reader(client, viewer, world):
    client.force_login(viewer)
    response = client.get(reverse(PDF), IN_MARCH)
    text = _pdf_text(response.content)
    with translation.override("ka"):
        march = period_label(*MARCH)
        events = translation.gettext("Events")
    assert march in text
    assert events in text
