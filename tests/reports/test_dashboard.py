import pytest
from django.core.management import call_command
from django.urls import reverse

from prapp.audit import audit_record
from prapp.models import User


@pytest.mark.django_db
def test_manager_and_viewer_see_different_panels(client, manager, viewer):
    audit_record(actor=manager, action="prapp.demo.done", target=manager)
    client.force_login(manager)
    page = client.get(reverse("reports:dashboard")).text
    assert "data-worker-status" in page
    assert "prapp.demo.done" in page
    assert reverse("outbox") in page
    client.force_login(viewer)
    page = client.get(reverse("reports:dashboard")).text
    assert "data-worker-status" not in page
    assert "prapp.demo.done" not in page
    assert reverse("contacts:index") in page


@pytest.mark.django_db
def test_dashboard_query_count_is_pinned(client, manager, django_assert_num_queries):
    for n in range(10):
        audit_record(actor=manager, action=f"prapp.demo.{n}", target=manager)
    client.force_login(manager)
    # session, user, permissions (2), heartbeat, audit entries, agreements,
    # this week's events, my overdue tasks, my overdue follow-ups, monitoring
    # counts, overdue answers, inquiry desk counts, mail count
    with django_assert_num_queries(14):
        client.get(reverse("reports:dashboard"))


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == first >= 7
    assert User.objects.get(username="anna.hakobyan").language == "hy"
    assert (
        User.objects.get(username="nino.beridze").groups.filter(name="Manager").exists()
    )
    from contacts.models import Organisation, Person

    people = Person.objects.count()
    assert people >= 100
    assert set(Person.objects.values_list("language", flat=True)) == {"ka", "hy", "en"}
    assert Organisation.objects.filter(kind="media", media_type="tv").exists()
    vanadzor = Organisation.objects.get(name_en="Vanadzor Municipality")
    assert vanadzor.name_hy == "Վանաձորի համայնքապետարան"
    for person in Person.objects.prefetch_related("emails", "phones")[:20]:
        assert person.emails.all() and person.phones.all()
    call_command("seed_demo")
    assert Person.objects.count() == people


@pytest.mark.django_db
def test_ensure_manager_creates_once_and_prints_the_login(tmp_path, settings, capsys):
    settings.VAR_DIR = tmp_path
    call_command("ensure_manager")
    first = capsys.readouterr().out
    call_command("ensure_manager")
    second = capsys.readouterr().out
    assert "manager" in first and first == second
    password = (tmp_path / "manager-password.txt").read_text().strip()
    assert password in first
    user = User.objects.get(username="manager")
    assert user.check_password(password)
    assert user.is_staff and user.groups.filter(name="Manager").exists()


@pytest.mark.django_db
def test_expiring_agreements_show_to_those_who_may_see_them(client, manager, viewer):
    from datetime import timedelta

    from django.utils import timezone

    from contacts.models import Organisation, PartnerAgreement

    undp = Organisation.objects.create(
        name="UNDP", name_en="UNDP", kind="international"
    )
    today = timezone.localdate()
    PartnerAgreement.objects.create(
        organisation=undp,
        title="მემორანდუმი ადამიანის უფლებების შესახებ",
        signed_on=today - timedelta(days=300),
        expires_on=today + timedelta(days=20),
    )
    PartnerAgreement.objects.create(
        organisation=undp,
        title="Far-off agreement",
        signed_on=today,
        expires_on=today + timedelta(days=400),
    )
    client.force_login(manager)
    page = client.get(reverse("reports:dashboard")).text
    assert "მემორანდუმი ადამიანის უფლებების შესახებ" in page
    assert "Far-off agreement" not in page
    assert undp.get_absolute_url() in page
    client.force_login(viewer)
    # Viewers read everything, agreements included.
    assert "მემორანდუმი" in client.get(reverse("reports:dashboard")).text


@pytest.mark.django_db
def test_event_panels_show_the_week_and_my_overdue_work(client, manager, viewer):
    from datetime import timedelta

    from django.utils import timezone

    from tests.events.factories import EventFactory, TaskFactory

    soon = timezone.now() + timedelta(minutes=30)
    event = EventFactory(
        title_ka="ბრიფინგი დღეს", starts_at=soon, ends_at=soon + timedelta(hours=1)
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    TaskFactory(
        event=event, title="ბანერის შეკვეთა", assignee=manager, due_on=yesterday
    )
    TaskFactory(event=event, title="სხვისი დავალება", assignee=viewer, due_on=yesterday)
    event.follow_ups.create(
        instruction="პასუხის მომზადება", assignee=manager, due_on=yesterday
    )
    client.force_login(manager)
    page = client.get(reverse("reports:dashboard")).text
    assert "data-events-this-week" in page and event.get_absolute_url() in page
    assert "ბანერის შეკვეთა" in page and "პასუხის მომზადება" in page
    assert "სხვისი დავალება" not in page
    client.force_login(viewer)
    page = client.get(reverse("reports:dashboard")).text
    # Viewers read events too; their own overdue task, not the manager's.
    assert "data-events-this-week" in page
    assert "სხვისი დავალება" in page and "ბანერის შეკვეთა" not in page


@pytest.mark.django_db
def test_event_panels_are_hidden_without_the_permission(client, make_user):
    client.force_login(make_user("nobody"))
    page = client.get(reverse("reports:dashboard")).text
    assert "data-events-this-week" not in page
    assert 'id="overdue-heading"' not in page


@pytest.mark.django_db
def test_changes_made_by_the_system_name_it(client, manager):
    from django.utils import translation

    audit_record(actor=None, action="contacts.person.created", target=manager)
    client.force_login(manager)
    page = client.get(reverse("reports:dashboard")).text
    with translation.override("ka"):
        expected = translation.gettext("the system")
    assert expected != "the system"
    assert f"· {expected} ·" in page


def _monitoring_items():
    from datetime import timedelta

    from django.utils import timezone

    from media_monitoring.models import Item

    now = timezone.now()

    def item(title, **extra):
        return Item.objects.create(title=title, **extra)

    item("ახალი სტატია 1")
    item("ახალი სტატია 2")
    item("უკვე დაარქივებული", status="archived")
    item(
        "კითხვა ცხელ ხაზზე",
        kind="social",
        channel="facebook",
        status="needs_response",
        response_due_at=now + timedelta(hours=3),
    )
    late = item(
        "რატომ დაიხურა ბაღი?",
        kind="social",
        channel="facebook",
        status="needs_response",
        response_due_at=now - timedelta(hours=2),
    )
    item(
        "უკვე ნაპასუხები",
        kind="social",
        status="responded",
        response_due_at=now - timedelta(hours=5),
        responded_at=now - timedelta(hours=6),
    )
    return late


@pytest.mark.django_db
def test_a_monitor_sees_the_monitoring_panel_with_overdue_answers(client, make_user):
    late = _monitoring_items()
    client.force_login(make_user("monitor", role="Monitor"))
    page = client.get(reverse("reports:dashboard")).text
    assert "data-monitoring-panel" in page
    assert 'data-count-new="2"' in page
    assert 'data-count-needs-response="2"' in page
    assert 'data-count-overdue="1"' in page
    index = reverse("media_monitoring:index")
    assert f'href="{index}?status=new"' in page
    assert f'href="{index}?overdue=1"' in page
    overdue = page.split("data-overdue-responses", 1)[1].split("</div>", 1)[0]
    assert "alert-danger" in page
    assert late.title in overdue and late.get_absolute_url() in overdue
    assert "Facebook" in overdue
    assert "კითხვა ცხელ ხაზზე" not in overdue and "უკვე ნაპასუხები" not in overdue


@pytest.mark.django_db
def test_the_monitoring_panel_is_hidden_without_view_item(client, make_user):
    _monitoring_items()
    client.force_login(make_user("nobody"))
    page = client.get(reverse("reports:dashboard")).text
    assert "data-monitoring-panel" not in page
    assert "რატომ დაიხურა ბაღი?" not in page


def _inquiries(manager):
    from datetime import timedelta

    from django.utils import timezone

    from inquiries.models import LawProfile, Request

    profile, _ = LawProfile.objects.get_or_create(
        code="ge", defaults={"name": "Georgia", "country": "GE"}
    )
    today = timezone.localdate()
    received = timezone.now() - timedelta(hours=1)

    def request(number, due_on, **extra):
        return Request.objects.create(
            year=today.year,
            sequence=number,
            number=f"{today.year}/{number:04d}",
            kind="journalist",
            channel="email",
            requester_name="ლაშა გელაშვილი",
            subject="კითხვა ბიუჯეტზე",
            text="...",
            received_at=received,
            law_profile=profile,
            due_on=due_on,
            original_due_on=due_on,
            **extra,
        )

    request(1, today)  # nobody's, due today
    request(2, today - timedelta(days=2), assignee=manager, status="assigned")
    request(3, today + timedelta(days=5), assignee=manager, status="drafted")
    request(4, today - timedelta(days=9), status="answered", answered_at=received)
    return today


@pytest.mark.django_db
def test_the_inquiry_desk_panel_counts_open_requests(client, manager, make_user):
    today = _inquiries(manager)
    client.force_login(manager)
    page = client.get(reverse("reports:dashboard")).text
    assert "data-inquiries-panel" in page
    assert 'data-count-unassigned="1"' in page
    assert 'data-count-due-today="1"' in page
    assert 'data-count-inquiries-overdue="1"' in page
    assert 'data-count-mine="2"' in page
    queue = reverse("inquiries:index")
    assert f'href="{queue}?overdue=1"' in page
    assert f'href="{queue}?assignee=me"' in page
    assert f"due_from={today:%Y-%m-%d}&amp;due_to={today:%Y-%m-%d}" in page
    assert reverse("inquiries_stats:statistics") in page
    # Every role reads the desk; "mine" is the reader's own.
    client.force_login(make_user("monitor", role="Monitor"))
    page = client.get(reverse("reports:dashboard")).text
    assert 'data-count-inquiries-overdue="1"' in page
    assert 'data-count-mine="0"' in page


@pytest.mark.django_db
def test_the_inquiry_desk_panel_is_hidden_without_view_request(
    client, manager, make_user
):
    _inquiries(manager)
    client.force_login(make_user("nobody"))
    page = client.get(reverse("reports:dashboard")).text
    assert "data-inquiries-panel" not in page
