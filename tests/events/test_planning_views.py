"""Planning pages: who may open and post what, and refused posts change nothing."""

from datetime import UTC, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from events.models import AgendaItem, ChecklistTask, Event, EventAttachment, EventType
from prapp.models import AuditEntry
from tests.contacts.factories import PersonFactory

from .factories import EventFactory, TaskFactory, VenueFactory

EDITORS = {"Manager", "Editor"}
EVERY_ROLE = {"Manager", "Editor", "Monitor", "Archivist", "Viewer"}


@pytest.fixture
def objects(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory(event_type=EventType.objects.get(code="council-session"))
    attachment = EventAttachment(event=event, title="ოქმი")
    attachment.file.save("minutes.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    return {
        "event": event,
        "task": TaskFactory(event=event),
        "agenda": AgendaItem.objects.create(event=event, title="ბიუჯეტი"),
        "attachment": attachment,
        "follow_up": event.follow_ups.create(instruction="x", unit="y"),
    }


def _pages(objects):
    pk = objects["event"].pk
    return {
        reverse("events:index"): EVERY_ROLE,
        reverse("events:calendar_month"): EVERY_ROLE,
        reverse("events:calendar_week"): EVERY_ROLE,
        reverse("events:event_detail", args=[pk]): EVERY_ROLE,
        reverse("events:person_suggest") + "?q=nino": EVERY_ROLE,
        reverse("events:attachment_download", args=[objects["attachment"].pk]): (
            EVERY_ROLE
        ),
        reverse("events:event_create"): EDITORS,
        reverse("events:event_edit", args=[pk]): EDITORS,
        reverse("events:minutes_edit", args=[pk]): EDITORS,
        reverse("events:outcome_edit", args=[pk]): EDITORS,
        reverse("events:task_edit", args=[objects["task"].pk]): EDITORS,
        reverse("events:agenda_edit", args=[objects["agenda"].pk]): EDITORS,
    }


def _posts(objects):
    pk = objects["event"].pk
    return [
        (reverse("events:event_create"), {"title_ka": "x"}),
        (reverse("events:event_edit", args=[pk]), {"title_ka": "x"}),
        (reverse("events:event_status", args=[pk]), {"status": "cancelled"}),
        (reverse("events:task_add", args=[pk]), {"task-title": "x"}),
        (reverse("events:task_state", args=[objects["task"].pk]), {"state": "done"}),
        (reverse("events:agenda_add", args=[pk]), {"agenda-title": "x"}),
        (
            reverse("events:agenda_move", args=[objects["agenda"].pk]),
            {"direction": "up"},
        ),
        (reverse("events:minutes_edit", args=[pk]), {"minutes": "<p>x</p>"}),
        (reverse("events:outcome_edit", args=[pk]), {"outcome": "x"}),
        (reverse("events:follow_up_add", args=[pk]), {"follow_up-instruction": "x"}),
        (
            reverse("events:follow_up_state", args=[objects["follow_up"].pk]),
            {"state": "done"},
        ),
        (
            reverse("events:attachment_add", args=[pk]),
            {"attachment-file": ContentFile(b"%PDF-1.4", name="a.pdf")},
        ),
    ]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, objects):
    for url in _pages(objects):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
def test_each_role_gets_exactly_its_pages(client, make_user, role, objects):
    client.force_login(make_user(f"{role.lower()}-u", role=role))
    for url, allowed in _pages(objects).items():
        expected = 200 if role in allowed else 403
        assert client.get(url).status_code == expected, (role, url)


def _state():
    return (
        list(Event.objects.values()),
        list(ChecklistTask.objects.values()),
        list(AgendaItem.objects.values()),
        EventAttachment.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
def test_viewer_posts_are_refused_and_change_nothing(client, viewer, objects):
    client.force_login(viewer)
    before = _state()
    for url, data in _posts(objects):
        assert client.post(url, data).status_code == 403, url
    assert _state() == before


@pytest.mark.django_db
def test_post_only_urls_refuse_get(client, manager, objects):
    client.force_login(manager)
    pk = objects["event"].pk
    assert client.get(reverse("events:event_status", args=[pk])).status_code == 405


@pytest.mark.django_db
def test_editor_plans_an_event_through_the_form(client, make_user):
    editor = make_user("editor", role="Editor")
    hall = VenueFactory()
    person = PersonFactory(first_name="ნინო", last_name="ბერიძე")
    client.force_login(editor)
    event_type = EventType.objects.get(code="press-conference")
    form = {
        "event_type": event_type.pk,
        "title_ka": "პრესკონფერენცია",
        "status": "planned",
        "starts_at": "2025-03-31T23:30",
        "ends_at": "2025-04-01T00:30",
        "venue": hall.pk,
        "responsible": editor.pk,
        "add_participant": "nino beridze",
    }
    response = client.post(reverse("events:event_create"), form)
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    # Typed in local (Tbilisi, UTC+4) time.
    assert timezone.localtime(event.starts_at).hour == 23
    assert event.starts_at.astimezone(UTC).hour == 19
    assert list(event.key_participants.all()) == [person]
    assert event.tasks.count() == event_type.checklist_items.count()
    # The same hall and person again at the same time: saved, with a warning.
    form["title_ka"] = "ბრიფინგი"
    form["add_participant"] = f"{person} (#{person.pk})"
    response = client.post(reverse("events:event_create"), form, follow=True)
    assert Event.objects.count() == 2
    page = response.text
    assert "data-conflicts" in page
    assert "პრესკონფერენცია" in page


@pytest.mark.django_db
def test_reversed_dates_show_a_form_error(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("events:event_create"),
        {
            "event_type": EventType.objects.get(code="briefing").pk,
            "title_en": "Briefing",
            "status": "planned",
            "starts_at": "2025-03-31T12:00",
            "ends_at": "2025-03-31T11:00",
        },
    )
    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_person_suggestions_cross_scripts(client, viewer):
    person = PersonFactory(first_name="ნინო", last_name="ბერიძე")
    client.force_login(viewer)
    data = client.get(reverse("events:person_suggest"), {"q": "beridze"}).json()
    assert data["results"] == [{"id": person.pk, "name": f"{person} (#{person.pk})"}]


@pytest.mark.django_db
def test_minutes_page_loads_the_editor_with_a_csp_nonce(client, manager, objects):
    client.force_login(manager)
    response = client.get(reverse("events:minutes_edit", args=[objects["event"].pk]))
    policy = response.headers["Content-Security-Policy"]
    assert "'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script type="importmap" nonce="{nonce}">' in response.text
    assert "django_prose_editor/editor.js" in response.text
    assert "cdn" not in response.text.lower()
    # Other pages keep the strict policy without a nonce.
    other = client.get(reverse("events:index"))
    assert "nonce" not in other.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_minutes_posted_are_sanitised_and_shown_clean(client, manager, objects):
    client.force_login(manager)
    event = objects["event"]
    client.post(
        reverse("events:minutes_edit", args=[event.pk]),
        {"minutes": "<p>ოქმი<script>alert(1)</script><img src=x onerror=alert(2)></p>"},
    )
    event.refresh_from_db()
    assert event.minutes == "<p>ოქმი</p>"
    # A row written around the service is cleaned again on display.
    Event.objects.filter(pk=event.pk).update(minutes="<p>ა<script>bad()</script></p>")
    page = client.get(event.get_absolute_url()).text
    assert "bad()" not in page and "<p>ა</p>" in page


@pytest.mark.django_db
def test_task_add_and_done_from_the_event_page(client, manager):
    event = EventFactory(starts_at=timezone.now() + timedelta(days=1))
    client.force_login(manager)
    client.post(
        reverse("events:task_add", args=[event.pk]),
        {"task-title": "სახელობითი დაფები", "task-assignee": manager.pk},
    )
    task = event.tasks.get(title="სახელობითი დაფები")
    client.post(reverse("events:task_state", args=[task.pk]), {"state": "done"})
    task.refresh_from_db()
    assert task.state == "done"
