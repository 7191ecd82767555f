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
def test_dashboard_query_count_is_pinned(
    client, manager, viewer, make_user, django_assert_num_queries
):
    for n in range(10):
        audit_record(actor=manager, action=f"prapp.demo.{n}", target=manager)
    # Several rows in every new panel: a query per row would show here.
    editor = make_user("editor", role="Editor")
    for n in range(3):
        _in_review(editor, title_ka=f"განცხადება {n}")
        _distribution(editor, sent=n, pending=2)
        _asset(f"photo{n}.jpg", thumb=bool(n % 2))
        _failing_source(f"წყარო {n}", failures=n + 1)
        _item(f"სტატია {n}", sentiment="negative", days_ago=n)
    client.force_login(manager)
    # session, user, permissions (2), heartbeat, audit entries, agreements,
    # this week's events, my overdue tasks, my overdue follow-ups, releases
    # waiting for my approval, distributions in progress, monitoring counts,
    # overdue answers, mentions per day, failing sources, recent uploads,
    # inquiry desk counts, mail count
    with django_assert_num_queries(19):
        page = client.get(reverse("reports:dashboard")).text
    assert page.count("data-release=") == 3
    assert page.count("data-distribution=") == 3
    assert page.count("data-source=") == 3
    assert page.count("data-asset=") == 3
    # A viewer reads, never approves, and sees neither the worker, the audit
    # trail nor the outgoing mail: four queries fewer.
    client.force_login(viewer)
    with django_assert_num_queries(15):
        page = client.get(reverse("reports:dashboard")).text
    assert "data-approvals-panel" not in page
    assert page.count("data-distribution=") == 3


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


# --- Releases, distributions, mentions, sources and uploads ------------------------


def _in_review(author, **content):
    from pressreleases import services

    release = services.release_create(
        data={
            "title_ka": "მერიამ ახალი ბაღი გახსნა",
            "body_ka": "<p>ბაღი 120 ბავშვს მიიღებს.</p>",
            **content,
        },
        actor=author,
    )
    return services.release_submit(release=release, actor=author)


def _distribution(actor, *, sent=0, pending=0, failed=0, **extra):
    from django.utils import timezone

    from pressreleases.models import Distribution
    from tests.pressreleases.test_mailing import make_delivery, make_release

    release = make_release(actor, slug="", title_ka=extra.pop("title_ka", "გზავნილი"))
    distribution = Distribution.objects.create(
        release=release,
        created_by=actor,
        status=extra.pop("status", Distribution.Status.SENDING),
        scheduled_for=extra.pop("scheduled_for", timezone.now()),
        attach_pdf=False,
    )
    counter = 0
    for status, count in (("sent", sent), ("pending", pending), ("failed", failed)):
        for _n in range(count):
            counter += 1
            make_delivery(
                distribution,
                email=f"d{distribution.pk}-{counter}@example.ge",
                status=status,
                sent_at=timezone.now() if status == "sent" else None,
            )
    distribution.refresh_from_db()
    return distribution


def _asset(name, *, thumb=True, minutes_ago=0, **extra):
    from datetime import timedelta

    from django.utils import timezone

    from archive.models import Asset

    return Asset.objects.create(
        kind=extra.pop("kind", "photo"),
        file=f"archive/originals/{name}",
        original_name=name,
        extension=name.rsplit(".", 1)[-1],
        content_type="image/jpeg",
        size=1000,
        sha256=name.ljust(64, "0")[:64],
        state="ready",
        renditions={"s": f"archive/thumbs/{name}/s.jpg"} if thumb else {},
        uploaded_at=timezone.now() - timedelta(minutes=minutes_ago),
        **extra,
    )


def _failing_source(name, *, failures=1, error="HTTP 503 Service Unavailable", **extra):
    from media_monitoring.models import Source

    return Source.objects.create(
        name=name,
        url=f"https://news.example.ge/{Source.objects.count()}/feed",
        consecutive_failures=failures,
        last_error=error,
        **extra,
    )


def _item(title, *, days_ago=0, **extra):
    from datetime import timedelta

    from django.utils import timezone

    from media_monitoring.models import Item

    return Item.objects.create(
        title=title, fetched_at=timezone.now() - timedelta(days=days_ago), **extra
    )


@pytest.mark.django_db
def test_a_manager_sees_the_releases_only_they_may_approve(
    client, manager, make_user, settings
):
    from pressreleases import services

    settings.PRESSRELEASES_AUTHOR_MAY_APPROVE = False
    editor = make_user("editor", role="Editor")
    waiting = _in_review(editor, title_ka="ბიუჯეტის შესრულება")
    _in_review(manager, title_ka="ჩემი საკუთარი განცხადება")
    # Written by the editor, last changed by the manager: four eyes, not two.
    changed = services.release_create(
        data={"title_ka": "შეცვლილი ტექსტი", "body_ka": "<p>a</p>"}, actor=editor
    )
    services.release_update(
        release=changed,
        data={"title_ka": "შეცვლილი ტექსტი", "body_ka": "<p>b</p>"},
        actor=manager,
    )
    services.release_submit(release=changed, actor=editor)
    services.release_create(
        data={"title_ka": "ჯერ მხოლოდ პროექტი", "body_ka": "<p>c</p>"}, actor=editor
    )
    client.force_login(manager)
    page = client.get(reverse("reports:dashboard")).text
    panel = page.split("data-approvals-panel", 1)[1].split("</section>", 1)[0]
    assert 'data-count-approvals="1"' in panel
    assert "ბიუჯეტის შესრულება" in panel and waiting.get_absolute_url() in panel
    assert "ჩემი საკუთარი განცხადება" not in panel
    assert "შეცვლილი ტექსტი" not in panel
    assert "ჯერ მხოლოდ პროექტი" not in panel
    assert f"{reverse('pressreleases:index')}?status=to_review" in panel

    # Where the office lets authors approve their own, the manager sees all three.
    settings.PRESSRELEASES_AUTHOR_MAY_APPROVE = True
    panel = client.get(reverse("reports:dashboard")).text
    panel = panel.split("data-approvals-panel", 1)[1].split("</section>", 1)[0]
    assert 'data-count-approvals="3"' in panel


@pytest.mark.django_db
def test_the_approvals_panel_is_for_managers_only(client, viewer, make_user):
    editor = make_user("editor", role="Editor")
    _in_review(editor, title_ka="ბიუჯეტის შესრულება")
    for user in (viewer, editor):
        client.force_login(user)
        page = client.get(reverse("reports:dashboard")).text
        assert "data-approvals-panel" not in page
        assert "ბიუჯეტის შესრულება" not in page


@pytest.mark.django_db
def test_distributions_in_progress_show_how_far_they_got(client, manager, make_user):
    from datetime import timedelta

    from django.utils import timezone

    from pressreleases.models import Distribution

    sending = _distribution(manager, title_ka="ტრანსპორტის სიახლე", sent=3, pending=2)
    later = timezone.now() + timedelta(days=1)
    scheduled = _distribution(
        manager,
        title_ka="დაგეგმილი გზავნილი",
        pending=4,
        status=Distribution.Status.QUEUED,
        scheduled_for=later,
    )
    _distribution(
        manager, title_ka="დასრულებული", sent=2, status=Distribution.Status.DONE
    )
    client.force_login(make_user("reader", role="Viewer"))
    page = client.get(reverse("reports:dashboard")).text
    panel = page.split("data-distributions-panel", 1)[1].split("</section>", 1)[0]
    assert f'data-distribution="{sending.pk}" data-sent="3" data-total="5"' in panel
    assert f'data-distribution="{scheduled.pk}" data-sent="0" data-total="4"' in panel
    assert '<progress id="distribution-progress-' in panel
    assert 'max="5" value="3"' in panel
    assert "ტრანსპორტის სიახლე" in panel and "დაგეგმილი გზავნილი" in panel
    assert "დასრულებული" not in panel
    assert sending.release.get_absolute_url() in panel
    client.force_login(make_user("nobody"))
    assert (
        "data-distributions-panel" not in client.get(reverse("reports:dashboard")).text
    )


@pytest.mark.django_db
def test_mentions_per_day_chart_has_a_bar_group_per_day_and_a_table(client, make_user):
    from xml.etree import ElementTree

    from django.utils import timezone

    _item("დღევანდელი კარგი", sentiment="positive")
    _item("დღევანდელი ცუდი", sentiment="negative")
    _item("დღევანდელი უცნობი")
    _item("დღევანდელი უადგილო", sentiment="negative", status="irrelevant")
    _item("გუშინდელი", sentiment="neutral", days_ago=1)
    _item("ძალიან ძველი", sentiment="positive", days_ago=40)
    client.force_login(make_user("monitor", role="Monitor"))
    page = client.get(reverse("reports:dashboard")).text
    panel = page.split("data-mentions-panel", 1)[1].split("</section>", 1)[0]
    assert 'data-mentions-total="4"' in page

    svg = panel[panel.index("<svg") : panel.index("</svg>") + len("</svg>")]
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own page)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.find(f"{ns}title").text and root.find(f"{ns}desc").text
    groups = [g for g in root.iter(f"{ns}g") if g.get("class") == "chart-bar-group"]
    assert len(groups) == 30
    today_bars = {float(bar.get("data-value")) for bar in groups[-1].iter(f"{ns}rect")}
    assert today_bars == {0.0, 1.0}  # positive, negative, not rated: one each
    assert len(list(groups[-1].iter(f"{ns}rect"))) == 4

    today = timezone.localdate()
    yesterday = today - timezone.timedelta(days=1)
    assert f'data-day="{today:%Y-%m-%d}" data-day-total="3"' in panel
    assert f'data-day="{yesterday:%Y-%m-%d}" data-day-total="1"' in panel
    assert panel.count("data-day=") == 30
    assert "<details" in panel and "data-mentions-table" in panel


@pytest.mark.django_db
def test_failing_sources_show_their_last_error(client, make_user):
    from django.utils import timezone

    failing = _failing_source(
        "ინტერპრესნიუსი", failures=4, error="HTTP 502 Bad Gateway"
    )
    _failing_source("გამორთული წყარო", failures=9, enabled=False)
    _failing_source("ჯანმრთელი წყარო", failures=0, last_success_at=timezone.now())
    client.force_login(make_user("reader", role="Viewer"))
    page = client.get(reverse("reports:dashboard")).text
    panel = page.split("data-failing-sources-panel", 1)[1].split("</section>", 1)[0]
    assert f'data-source="{failing.pk}"' in panel
    assert "ინტერპრესნიუსი" in panel and "HTTP 502 Bad Gateway" in panel
    assert failing.get_absolute_url() in panel
    assert "გამორთული წყარო" not in panel and "ჯანმრთელი წყარო" not in panel
    assert panel.count("data-source=") == 1


@pytest.mark.django_db
def test_recent_uploads_show_the_eight_newest_thumbnails(client, make_user):
    assets = [
        _asset(f"photo{n}.jpg", minutes_ago=n, title_ka=f"ფოტო {n}") for n in range(9)
    ]
    document = _asset("plan.pdf", thumb=False, kind="document", minutes_ago=-1)
    client.force_login(make_user("reader", role="Viewer"))
    page = client.get(reverse("reports:dashboard")).text
    panel = page.split("data-uploads-panel", 1)[1].split("</section>", 1)[0]
    assert panel.count("data-asset=") == 8
    assert f'data-asset="{document.pk}"' in panel
    assert "reports-thumb-placeholder" in panel
    newest = assets[0]
    assert reverse("archive:rendition", args=[newest.pk, "s"]) in panel
    assert 'alt="ფოტო 0"' in panel
    assert f'data-asset="{assets[7].pk}"' not in panel  # the ninth newest
    assert reverse("archive:rendition", args=[document.pk, "s"]) not in panel
    client.force_login(make_user("nobody"))
    assert "data-uploads-panel" not in client.get(reverse("reports:dashboard")).text


@pytest.mark.django_db
def test_the_dashboard_page_has_no_inline_style_or_script(client, manager):
    _item("სტატია", sentiment="positive")
    client.force_login(manager)
    page = client.get(reverse("reports:dashboard")).text
    assert "reports/reports.css" in page
    assert " style=" not in page.split("<main", 1)[1]
    assert "<script>" not in page
