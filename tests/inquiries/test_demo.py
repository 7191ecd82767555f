"""The demo inquiry desk: a realistic year, right deadlines, seeded only once."""

import re
import time
from collections import Counter
from io import StringIO

import pytest
from django.utils import timezone

from contacts.demo import seed_contacts
from events.demo import seed_events
from inquiries import deadlines, statistics
from inquiries.demo import LINES_TO_TAKE, seed_inquiries
from inquiries.models import InternalQuestion, Kind, LineToTake, Request, Unit
from prapp.demo import seed_staff
from prapp.text import contains_mtavruli

GEORGIAN = re.compile("[\u10d0-\u10ff]")
ARMENIAN = re.compile("[\u0531-\u058f]")
MODELS = (Request, InternalQuestion, LineToTake, Unit)


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded(db):
    seed_staff()
    seed_contacts(people=12)
    seed_events()
    out = StringIO()
    started = time.monotonic()
    created = seed_inquiries(stdout=out)
    return created, out.getvalue(), time.monotonic() - started


def test_seeds_a_year_once_and_quickly(seeded):
    created, output, seconds = seeded
    assert created == Request.objects.count()
    assert 230 <= created <= 270
    assert f"{created} new requests" in output
    assert seconds < 15
    before = _counts()
    assert seed_inquiries() == 0
    assert _counts() == before


def test_requests_span_a_year_in_three_languages_and_every_kind(seeded):
    today = timezone.localdate()
    days = {timezone.localdate(r.received_at) for r in Request.objects.all()}
    assert min(days) >= today - timezone.timedelta(days=365)
    assert max(days) <= today
    assert (max(days) - min(days)).days > 330
    # Every month of the year has requests.
    assert len({(d.year, d.month) for d in days}) >= 12
    languages = Counter(Request.objects.values_list("language", flat=True))
    assert set(languages) == {"ka", "hy", "en"}
    assert languages["ka"] > languages["hy"] > languages["en"] > 0
    kinds = Counter(Request.objects.values_list("kind", flat=True))
    assert set(kinds) == set(Kind.values)
    assert kinds[Kind.JOURNALIST] == max(kinds.values())
    channels = set(Request.objects.values_list("channel", flat=True))
    assert {"email", "letter", "phone", "web"} <= channels
    for request in Request.objects.filter(language="ka")[:40]:
        assert GEORGIAN.search(request.subject) and GEORGIAN.search(request.text)
        assert not contains_mtavruli(request.subject + request.text)
    for request in Request.objects.filter(language="hy")[:20]:
        assert ARMENIAN.search(request.subject) and ARMENIAN.search(request.text)


def test_journalists_come_from_the_demo_contacts(seeded):
    journalists = Request.objects.filter(kind=Kind.JOURNALIST)
    assert journalists.exists()
    assert not journalists.filter(requester__isnull=True).exists()
    assert not journalists.filter(requester_organisation__kind__in=["ngo"]).exists()
    assert journalists.filter(requester_organisation__kind="media").count() == (
        journalists.count()
    )
    for request in journalists.select_related("requester")[:20]:
        assert request.language == request.requester.language
    agencies = Request.objects.filter(kind=Kind.AGENCY)
    assert agencies.exists()
    assert not agencies.filter(requester_organisation__isnull=True).exists()


def test_numbers_run_per_year_in_order_of_arrival(seeded):
    for year in set(Request.objects.values_list("year", flat=True)):
        rows = list(
            Request.objects.filter(year=year).order_by("received_at", "subject")
        )
        assert [r.sequence for r in rows] == list(range(1, len(rows) + 1))
        assert all(r.number == f"{year}/{r.sequence:04d}" for r in rows)
        assert all(timezone.localdate(r.received_at).year == year for r in rows)


def test_deadlines_are_those_the_law_profile_gives(seeded):
    for request in Request.objects.select_related("law_profile"):
        due = deadlines.due_for(
            kind=request.kind,
            received_at=request.received_at,
            profile=request.law_profile,
        )
        assert request.original_due_on == due, request.number
        if request.extended_at:
            assert request.due_on == deadlines.extended_due_for(request=request)
        else:
            assert request.due_on == due, request.number


def test_outcomes_are_mixed_like_a_real_desk(seeded):
    today = timezone.localdate()
    statuses = Counter(Request.objects.values_list("status", flat=True))
    closed = sum(statuses[s] for s in Request.CLOSED_STATUSES)
    assert statuses[Request.Status.ANSWERED] > closed * 0.6
    assert 1 <= statuses[Request.Status.REFUSED] <= 20
    assert 1 <= statuses[Request.Status.FORWARDED] <= 25
    assert statuses[Request.Status.PARTLY_ANSWERED] >= 1
    opened = Request.objects.filter(status__in=Request.OPEN_STATUSES)
    assert 5 <= opened.count() <= 40
    overdue = opened.filter(due_on__lt=today).count()
    assert 2 <= overdue <= 6
    figures = statistics.statistics(
        start=today - timezone.timedelta(days=365), end=today
    )
    assert figures["received"] == Request.objects.count()
    assert figures["late"] >= 1
    assert figures["on_time"] > 4 * figures["late"]
    assert figures["median_days"] is not None
    # Refusals carry their ground and a reasoned text.
    for request in Request.objects.filter(status=Request.Status.REFUSED):
        assert request.refusal_ground_id and request.answer_text
        assert request.kind == Kind.PUBLIC_INFORMATION
    for request in Request.objects.filter(status=Request.Status.FORWARDED):
        assert request.forwarded_to_name
    # An answer never comes before the request, or after now.
    now = timezone.now()
    for request in Request.objects.filter(answered_at__isnull=False):
        assert request.received_at < request.answered_at <= now
        assert request.approved_by_id and request.answer_text


def test_requests_pass_the_models_own_checks(seeded):
    for request in Request.objects.order_by("?")[:30]:
        request.full_clean(exclude=["search_text", "submission_key"])
        assert request.search_text


def test_units_questions_and_lines_to_take(seeded):
    units = Unit.objects.all()
    assert units.count() == 6
    for unit in units:
        assert unit.name_ka and unit.name_hy and unit.name_en
        assert GEORGIAN.search(unit.name_ka) and ARMENIAN.search(unit.name_hy)
    questions = InternalQuestion.objects.select_related("request")
    assert questions.count() >= 30
    assert questions.filter(answered_at__isnull=False).exists()
    assert questions.filter(answered_at__isnull=True).exists()
    for question in questions:
        assert question.unit_id
        assert question.created_at >= question.request.received_at
        if question.answered_at:
            assert question.answered_at > question.created_at
    lines = LineToTake.objects.select_related("source_request")
    assert lines.count() == LINES_TO_TAKE
    for line in lines:
        assert line.source_request.kind == Kind.JOURNALIST
        assert line.text == line.source_request.answer_text and line.search_text
    assert len({line.language for line in lines}) >= 2
