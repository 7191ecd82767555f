"""Reads of the desk: deadline states, the queue, staff, similar lines, calendar."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inquiries import selectors, services
from inquiries.models import Holiday, LineToTake
from tests.inquiries.test_views import make_request, set_due


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "days, state",
    [(-5, "overdue"), (-1, "overdue"), (0, "today"), (1, "soon"), (2, "soon"), (3, "")],
)
def test_deadline_state(days, state):
    request = set_due(make_request(), days)
    assert selectors.deadline_state(request) == state
    assert selectors.days_left(request) == days


@pytest.mark.django_db
def test_a_closed_request_has_no_deadline_state():
    request = set_due(make_request(), -3)
    services.request_forward(request=request, actor=None, name="Ministry")
    request.refresh_from_db()
    assert selectors.deadline_state(request) == ""


@pytest.mark.django_db
def test_queue_defaults_to_open_by_deadline(editor):
    later = set_due(make_request(subject="later"), 5)
    sooner = set_due(make_request(subject="sooner"), 1)
    closed = make_request(subject="closed")
    services.request_forward(request=closed, actor=None, name="Ministry")
    assert list(selectors.queue(user=editor, params={})) == [sooner, later]
    closed_only = selectors.queue(user=editor, params={"status": "closed"})
    assert list(closed_only) == [closed]
    everything = selectors.queue(user=editor, params={"status": "all"})
    assert set(everything) == {later, sooner, closed}


@pytest.mark.django_db
def test_queue_ignores_malformed_filters(editor):
    request = make_request()
    params = {
        "kind": "nonsense",
        "unit": "x",
        "due_from": "yesterday",
        "assignee": "somebody",
    }
    assert list(selectors.queue(user=editor, params=params)) == [request]


@pytest.mark.django_db
def test_queue_counts(editor):
    make_request(assignee=editor)
    set_due(make_request(), -2)
    assert selectors.queue_counts(user=editor) == {"open": 2, "mine": 1, "overdue": 1}


@pytest.mark.django_db
def test_desk_staff_are_those_who_may_work_on_requests(make_user, editor):
    manager = make_user("boss", role="Manager")
    make_user("reader", role="Viewer")
    make_user("monitor", role="Monitor")
    make_user("gone", role="Editor", is_active=False)
    assert set(selectors.desk_staff()) == {editor, manager}


@pytest.mark.django_db
def test_similar_lines_share_words_with_the_subject():
    best = LineToTake.objects.create(
        subject="ბიუჯეტი საბავშვო ბაღებისთვის",
        text="ბიუჯეტი გაიზარდა.",
        search_text="biujeti sabavshvo baghebistvis biujeti gaizarda",
    )
    some = LineToTake.objects.create(
        subject="ბიუჯეტის შესრულება",
        text="...",
        search_text="biujetis shesruleba",
    )
    LineToTake.objects.create(
        subject="old", text="...", search_text="biujeti sabavshvo", active=False
    )
    LineToTake.objects.create(subject="roads", text="...", search_text="gzebi")
    request = make_request(subject="საბავშვო ბაღების ბიუჯეტი")
    found = selectors.similar_lines(request)
    # Best match first; archived lines and unrelated ones stay out.
    assert found == [best, some]
    assert selectors.similar_lines(make_request(subject="ა ბ")) == []


@pytest.mark.django_db
def test_calendar_month_places_requests_and_days_off():
    request = set_due(make_request(), 10)
    due = request.due_on
    holiday = due + timedelta(days=1)
    Holiday.objects.filter(country="GE", date=holiday).delete()
    Holiday.objects.create(country="GE", date=holiday, name="Test holiday")
    weeks = selectors.calendar_month(due.year, due.month, country="GE")
    days = {day.day: day for week in weeks for day in week}
    assert all(len(week) == 7 and week[0].day.weekday() == 0 for week in weeks)
    assert days[due].requests == [request]
    assert days[due].requests[0].deadline_state == ""
    assert days[holiday].day_off and days[holiday].holiday == "Test holiday"
    saturday = next(d for d in days if d.weekday() == 5)
    assert days[saturday].day_off
    today = timezone.localdate()
    assert all(day.is_today == (when == today) for when, day in days.items())


@pytest.mark.django_db
def test_calendar_month_leaves_closed_requests_out_unless_asked():
    request = set_due(make_request(), 3)
    services.request_forward(request=request, actor=None, name="Ministry")
    due = request.due_on
    open_only = selectors.calendar_month(due.year, due.month)
    everything = selectors.calendar_month(due.year, due.month, include_closed=True)

    def on_due(weeks):
        days = [day for week in weeks for day in week if day.day == due]
        return [r.pk for day in days for r in day.requests]

    assert on_due(open_only) == []
    assert on_due(everything) == [request.pk]


@pytest.mark.django_db
def test_history_holds_the_request_and_its_lines(editor, make_user):
    boss = make_user("boss", role="Manager")
    request = make_request()
    services.answer_draft(request=request, actor=editor, text="Answer")
    request = services.answer_approve(request=request, actor=boss)
    services.line_save(request=request, actor=editor)
    request = selectors.request_for_detail(pk=request.pk)
    actions = [entry.action for entry in selectors.request_history(request)]
    assert actions[0] == "inquiries.line.saved"
    assert "inquiries.request.registered" in actions
    assert "inquiries.answer.approved" in actions


@pytest.mark.django_db
def test_request_for_detail_knows_its_rule():
    request = selectors.request_for_detail(pk=make_request().pk)
    assert request.rule is not None
    assert request.rule.kind == request.kind


@pytest.mark.django_db
def test_lines_search_in_any_script():
    line = LineToTake.objects.create(
        subject="ვაქცინაცია", text="...", search_text="vaktsinatsia", language="ka"
    )
    assert list(selectors.lines(params={"q": "ვაქცინაცია"})) == [line]
    assert list(selectors.lines(params={"q": "vaktsinatsia"})) == [line]
    assert list(selectors.lines(params={"language": "hy"})) == []
