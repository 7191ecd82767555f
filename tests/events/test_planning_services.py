"""Planning services: checklist from the template, dates, conflicts, minutes."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import Person
from events import selectors, services
from events.models import ChecklistTask, Event, EventType
from prapp.models import AuditEntry
from tests.contacts.factories import PersonFactory

from .factories import EventFactory, VenueFactory, press_conference

TBILISI = ZoneInfo("Asia/Tbilisi")


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


def _data(**extra):
    data = {
        "event_type": press_conference(),
        "title_ka": "პრესკონფერენცია ბიუჯეტზე",
        "title_hy": "Մամուլի ասուլիս բյուջեի մասին",
        "title_en": "Press conference on the budget",
        "starts_at": datetime(2025, 3, 14, 11, 0, tzinfo=TBILISI),
        "ends_at": datetime(2025, 3, 14, 12, 0, tzinfo=TBILISI),
        "status": Event.Status.PLANNED,
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_create_from_template_makes_the_checklist_with_due_dates(editor, settings):
    settings.LANGUAGE_CODE = "ka"
    event = services.event_create(
        data=_data(responsible=editor), new_venue={"name": "დიდი დარბაზი"}, actor=editor
    )
    tasks = list(event.tasks.order_by("position"))
    template = list(press_conference().checklist_items.all())
    assert len(tasks) == len(template) == 7
    book_hall = tasks[0]
    # "Book the hall" is due 7 days before; titles in the default language.
    assert book_hall.title == "დარბაზის დაჯავშნა"
    assert book_hall.due_on == date(2025, 3, 7)
    assert tasks[-1].due_on == date(2025, 3, 14)
    assert all(t.assignee == editor for t in tasks)
    assert event.venue.name == "დიდი დარბაზი"
    assert "mamuli" in event.search_key and "budget" in event.search_key
    assert selectors.events_filtered({"q": "Մամուլի"}).get() == event
    assert selectors.events_filtered({"q": "biujet"}).get() == event
    assert AuditEntry.objects.filter(action="events.event.created").count() == 1


@pytest.mark.django_db
def test_due_date_counts_from_the_local_start_day(editor):
    # 01:30 in Tbilisi is still the previous day in UTC.
    starts = datetime(2025, 3, 1, 1, 30, tzinfo=TBILISI)
    event = services.event_create(
        data=_data(starts_at=starts, ends_at=starts + timedelta(hours=1)),
        actor=editor,
    )
    assert event.tasks.get(position=len(event.tasks.all()) - 1).due_on == date(
        2025, 3, 1
    )


@pytest.mark.django_db
def test_reversed_dates_are_refused_clearly(editor):
    data = _data()
    data["ends_at"] = data["starts_at"] - timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.event_create(data=data, actor=editor)
    assert "ends_at" in exc.value.message_dict
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_a_title_in_one_language_is_needed(editor):
    with pytest.raises(ValidationError):
        services.event_create(
            data=_data(title_ka="", title_hy="", title_en=""), actor=editor
        )


@pytest.mark.django_db
def test_viewer_is_refused_by_the_service(viewer):
    with pytest.raises(PermissionDenied):
        services.event_create(data=_data(), actor=viewer)
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_status_change_is_audited(editor):
    event = services.event_create(data=_data(), actor=editor)
    services.event_update(
        event=event, data={"status": Event.Status.CONFIRMED}, actor=editor
    )
    entry = AuditEntry.objects.get(action="events.event.status_changed")
    assert entry.changes == {"status": ["planned", "confirmed"]}
    services.event_set_status(event=event, status=Event.Status.HELD, actor=editor)
    assert AuditEntry.objects.filter(action="events.event.status_changed").count() == 2
    event.refresh_from_db()
    assert event.status == Event.Status.HELD


@pytest.mark.django_db
def test_conflicts_for_venue_and_key_participant(editor):
    hall = VenueFactory()
    person = PersonFactory()
    first = services.event_create(
        data=_data(venue=hall), key_participants=[person], actor=editor
    )
    start = first.starts_at + timedelta(minutes=30)
    second = services.event_create(
        data=_data(venue=hall, starts_at=start, ends_at=start + timedelta(hours=1)),
        key_participants=[person],
        actor=editor,
    )
    conflicts = selectors.event_conflicts(second)
    assert {(c.other, c.venue, c.person) for c in conflicts} == {
        (first, hall, None),
        (first, None, person),
    }
    # Back to back is no conflict; a cancelled event blocks nothing.
    later = second.ends_at
    third = services.event_create(
        data=_data(venue=hall, starts_at=later, ends_at=later + timedelta(hours=1)),
        actor=editor,
    )
    assert selectors.event_conflicts(third) == []
    services.event_set_status(event=first, status=Event.Status.CANCELLED, actor=editor)
    assert selectors.event_conflicts(second) == []


@pytest.mark.django_db
def test_minutes_are_sanitised_on_save_and_display(editor):
    event = services.event_create(
        data=_data(event_type=EventType.objects.get(code="council-session")),
        actor=editor,
    )
    dirty = (
        "<h2>ოქმი</h2><p onclick='x()'>გადაწყვეტილება <strong>მიღებულია</strong>"
        "<script>alert(1)</script><img src=x onerror=alert(1)></p>"
        "<ul><li>პუნქტი</li></ul><a href='javascript:alert(1)'>ბმული</a>"
    )
    services.event_set_minutes(event=event, minutes=dirty, actor=editor)
    event.refresh_from_db()
    assert "<script" not in event.minutes and "alert(1)" not in event.minutes
    assert "onerror" not in event.minutes and "onclick" not in event.minutes
    assert "javascript:" not in event.minutes
    assert "<h2>ოქმი</h2>" in event.minutes
    assert "<strong>მიღებულია</strong>" in event.minutes
    assert "<ul><li>პუნქტი</li></ul>" in event.minutes


@pytest.mark.django_db
def test_checklist_task_add_complete_and_reopen(editor):
    event = EventFactory()
    task = services.task_add(
        event=event,
        data={"title": "ბეიჯები", "assignee": editor, "due_on": date(2025, 3, 1)},
        actor=editor,
    )
    assert task.state == ChecklistTask.State.OPEN
    services.task_set_state(task=task, state="done", actor=editor)
    task.refresh_from_db()
    assert task.state == "done" and task.completed_at is not None
    services.task_set_state(task=task, state="open", actor=editor)
    task.refresh_from_db()
    assert task.completed_at is None


@pytest.mark.django_db
def test_agenda_items_reorder(editor):
    event = EventFactory(event_type=EventType.objects.get(code="council-session"))
    first = services.agenda_item_add(event=event, data={"title": "ა"}, actor=editor)
    second = services.agenda_item_add(event=event, data={"title": "ბ"}, actor=editor)
    services.agenda_item_move(item=second, up=True, actor=editor)
    assert [i.title for i in event.agenda.order_by("position")] == ["ბ", "ა"]
    first.refresh_from_db()
    assert first.position == 2


@pytest.mark.django_db
def test_agenda_only_for_types_with_an_agenda(editor):
    with pytest.raises(ValidationError):
        services.agenda_item_add(
            event=EventFactory(), data={"title": "x"}, actor=editor
        )


@pytest.mark.django_db
def test_attachment_type_and_content_are_checked(editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory()
    fake = SimpleUploadedFile("minutes.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError):
        services.attachment_add(event=event, title="", upload=fake, actor=editor)
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00")
    with pytest.raises(ValidationError):
        services.attachment_add(event=event, title="", upload=exe, actor=editor)
    pdf = SimpleUploadedFile("ოქმი.pdf", b"%PDF-1.4 test")
    attachment = services.attachment_add(
        event=event, title="ოქმი", upload=pdf, actor=editor
    )
    assert attachment.file.name.endswith(".pdf")
    assert "ოქმი" not in attachment.file.name


@pytest.mark.django_db
def test_outcome_and_mark_held(editor):
    event = EventFactory(event_type=EventType.objects.get(code="reception-day"))
    services.event_record_outcome(
        event=event,
        data={
            "outcome": "მიღებულია 12 მოქალაქე",
            "people_received": 12,
            "effectiveness": 4,
        },
        mark_held=True,
        actor=editor,
    )
    event.refresh_from_db()
    assert event.people_received == 12 and event.effectiveness == 4
    assert event.status == Event.Status.HELD
    with pytest.raises(ValidationError):
        services.event_record_outcome(
            event=event, data={"effectiveness": 6}, actor=editor
        )


@pytest.mark.django_db
def test_attendance_counts_checked_in_invitations(editor):
    from django.utils import timezone

    from events.models import Invitation

    event = EventFactory()
    people = [PersonFactory() for _ in range(3)]
    for index, person in enumerate(people):
        Invitation.objects.create(
            event=event,
            person=person,
            attended_at=timezone.now() if index < 2 else None,
        )
    assert selectors.attendance_count(event) == 2
    assert Person.objects.count() == 3


@pytest.mark.django_db
def test_follow_up_needs_a_person_or_a_unit(editor):
    event = EventFactory()
    with pytest.raises(ValidationError):
        services.follow_up_add(event=event, data={"instruction": "x"}, actor=editor)
    follow_up = services.follow_up_add(
        event=event,
        data={"instruction": "მოამზადეთ პასუხი", "unit": "იურიდიული სამსახური"},
        actor=editor,
    )
    services.follow_up_set_state(follow_up=follow_up, state="done", actor=editor)
    follow_up.refresh_from_db()
    assert follow_up.state == "done"
