"""The desk's staff pages: queue, registering, one request and its answer, the
deadline calendar and the lines to take."""

from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from contacts.models import Person
from inquiries import services
from inquiries.models import (
    Holiday,
    InternalQuestion,
    LineToTake,
    RefusalGround,
    Request,
    RequestAttachment,
    Unit,
)
from prapp.models import AuditEntry, CapturedEmail
from tests.contacts.factories import (
    OrganisationFactory,
    PersonEmailFactory,
    PersonFactory,
)

INDEX = reverse("inquiries:index")
CREATE = reverse("inquiries:request_create")
PDF = b"%PDF-1.4 test file\n"


def local(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def make_request(**extra) -> Request:
    """A request registered through the service, as the desk would."""
    data = {
        "kind": Request.Kind.JOURNALIST,
        "channel": Request.Channel.EMAIL,
        "requester_name": "ნინო ბერიძე",
        "requester_email": "nino@example.ge",
        "language": "ka",
        "subject": "პენსიების ზრდა",
        "text": "რამდენით გაიზრდება პენსია მომავალ წელს?",
        "received_at": timezone.now() - timedelta(hours=1),
    }
    data.update(extra)
    return services.request_register(data=data, actor=None)


def set_due(request: Request, days: int) -> Request:
    """Move a request's deadline to ``days`` from today (past ones too)."""
    due = timezone.localdate() + timedelta(days=days)
    Request.objects.filter(pk=request.pk).update(due_on=due, original_due_on=due)
    request.refresh_from_db()
    return request


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor", language="en", first_name="Eka")


@pytest.fixture
def boss(make_user):
    return make_user("boss", role="Manager", language="en")


@pytest.fixture
def deputy(make_user):
    return make_user("deputy", role="Manager", language="en")


@pytest.fixture
def reader(make_user):
    return make_user("reader", role="Viewer", language="en")


@pytest.fixture
def unit(db):
    return Unit.objects.create(name="Finance", name_en="Finance", name_ka="ფინანსები")


# --- The queue --------------------------------------------------------------------


@pytest.mark.django_db
def test_queue_marks_deadlines_by_word_and_colour(client, reader):
    late = set_due(make_request(subject="Late one"), -3)
    today = set_due(make_request(subject="Due today one"), 0)
    soon = set_due(make_request(subject="Soon one"), 2)
    later = set_due(make_request(subject="Later one"), 9)
    client.force_login(reader)
    page = client.get(INDEX).text
    assert "overdue by 3 days" in page
    assert "due today" in page
    assert "due in 2 days" in page
    assert f'class="inquiry-row inquiry-row-overdue" data-request="{late.pk}"' in page
    assert f'class="inquiry-row inquiry-row-today" data-request="{today.pk}"' in page
    assert f'class="inquiry-row inquiry-row-soon" data-request="{soon.pk}"' in page
    assert f'class="inquiry-row" data-request="{later.pk}"' in page
    # The nearest deadline first.
    order = [page.index(f'data-request="{r.pk}"') for r in (late, today, soon, later)]
    assert order == sorted(order)
    # Georgian is never upper-cased by the page's styles.
    assert "text-transform: uppercase" not in page


@pytest.mark.django_db
def test_queue_filters(client, editor, unit):
    mine = make_request(subject="Road repairs", assignee=editor, unit=unit)
    letter = make_request(
        subject="ქუჩის განათება",
        kind=Request.Kind.CITIZEN_LETTER,
        channel=Request.Channel.LETTER,
        received_at=timezone.now() - timedelta(days=20),
    )
    hotline = make_request(subject="Water cut", kind=Request.Kind.HOTLINE)
    set_due(hotline, 30)
    client.force_login(editor)

    def shown(query):
        page = client.get(INDEX + query).text
        return {
            r.pk for r in (mine, letter, hotline) if f'data-request="{r.pk}"' in page
        }

    assert shown("") == {mine.pk, letter.pk, hotline.pk}
    assert shown("?kind=letter") == {letter.pk}
    assert shown("?channel=letter") == {letter.pk}
    assert shown(f"?unit={unit.pk}") == {mine.pk}
    assert shown("?assignee=me") == {mine.pk}
    assert shown("?assignee=none") == {letter.pk, hotline.pk}
    # Latin letters find Georgian text; a number is found as typed.
    assert shown("?q=ganateba") == {letter.pk}
    assert shown(f"?q={hotline.number}") == {hotline.pk}
    first = (timezone.localdate() + timedelta(days=29)).isoformat()
    assert shown(f"?due_from={first}") == {hotline.pk}
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert shown(f"?received_to={week_ago}") == {letter.pk}
    assert shown(f"?received_from={week_ago}") == {mine.pk, hotline.pk}


@pytest.mark.django_db
def test_closed_requests_are_reached_by_the_status_filter(client, reader):
    open_one = make_request(subject="Open")
    closed = make_request(subject="Closed")
    services.request_forward(request=closed, actor=None, name="Ministry of Finance")
    client.force_login(reader)
    default = client.get(INDEX).text
    assert f'data-request="{open_one.pk}"' in default
    assert f'data-request="{closed.pk}"' not in default
    page = client.get(INDEX + "?status=closed").text
    assert f'data-request="{closed.pk}"' in page
    assert f'data-request="{open_one.pk}"' not in page
    assert f'data-request="{closed.pk}"' in client.get(INDEX + "?status=all").text


@pytest.mark.django_db
def test_my_requests_and_overdue_tabs(client, editor, boss):
    mine = make_request(subject="Mine", assignee=editor)
    theirs = set_due(make_request(subject="Theirs", assignee=boss), -1)
    client.force_login(editor)
    page = client.get(INDEX + "?assignee=me").text
    assert f'data-request="{mine.pk}"' in page
    assert f'data-request="{theirs.pk}"' not in page
    assert 'aria-current="page" href="/inquiries/?assignee=me"' in page
    assert 'My requests <span class="badge text-bg-light border">1</span>' in page
    assert 'Overdue <span class="badge text-bg-light border">1</span>' in page
    overdue = client.get(INDEX + "?overdue=1").text
    assert f'data-request="{theirs.pk}"' in overdue
    assert f'data-request="{mine.pk}"' not in overdue


@pytest.mark.django_db
def test_queue_pages_by_50(client, reader):
    for n in range(55):
        make_request(subject=f"Question {n}")
    client.force_login(reader)
    first = client.get(INDEX)
    assert first.text.count('class="inquiry-row') == 50
    assert "55 requests" in first.text
    second = client.get(INDEX + "?page=2")
    assert second.text.count('class="inquiry-row') == 5


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 40])
def test_queue_costs_a_fixed_number_of_queries(
    client, editor, boss, unit, count, django_assert_num_queries
):
    for n in range(count):
        make_request(subject=f"Q {n}", assignee=boss if n % 2 else editor, unit=unit)
    client.force_login(editor)
    client.get(INDEX)  # warm the content-type and permission caches
    # session, user, permissions (2); staff, units; count and rows of the page;
    # the tabs' counts
    with django_assert_num_queries(9):
        response = client.get(INDEX)
    assert response.text.count('class="inquiry-row') == count


@pytest.mark.django_db
def test_queue_needs_the_app(client, make_user):
    assert client.get(INDEX).status_code == 302
    client.force_login(make_user("nobody"))
    assert client.get(INDEX).status_code == 403


# --- Registering ------------------------------------------------------------------


def register_data(**extra) -> dict:
    data = {
        "requester": "",
        "requester_organisation": "",
        "requester_name": "Ani Petrosyan",
        "requester_email": "ani@example.am",
        "requester_phone": "",
        "requester_address": "",
        "kind": Request.Kind.PUBLIC_INFORMATION,
        "channel": Request.Channel.LETTER,
        "language": "hy",
        "subject": "Budget of the kindergarten programme",
        "text": "Please send the 2025 budget of the programme.",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "unit": "",
        "assignee": "",
        "monitoring_item": "",
        "event": "",
        "release": "",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_register_form_opens_for_editors_only(client, editor, reader):
    client.force_login(reader)
    assert client.get(CREATE).status_code == 403
    client.force_login(editor)
    page = client.get(CREATE).text
    assert 'name="requester"' in page and "data-contact-lookup" in page
    assert 'name="attachments"' in page and "multiple" in page
    assert 'enctype="multipart/form-data"' in page
    assert 'name="create_contact"' in page


@pytest.mark.django_db
def test_registering_gives_number_and_deadline(client, editor, unit):
    client.force_login(editor)
    files = [
        SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("notes.txt", b"plain notes", content_type="text/plain"),
    ]
    response = client.post(
        CREATE,
        register_data(unit=unit.pk, assignee=editor.pk, attachments=files),
        follow=True,
    )
    request = Request.objects.get()
    assert response.redirect_chain[-1][0] == request.get_absolute_url()
    page = response.text
    assert f"Registered as {request.number}" in page
    assert "The answer is due on" in page
    assert request.status == Request.Status.ASSIGNED
    assert request.language == "hy" and request.created_by == editor
    assert request.due_on >= timezone.localdate()
    assert sorted(a.original_name for a in request.attachments.all()) == [
        "letter.pdf",
        "notes.txt",
    ]
    assert AuditEntry.objects.filter(action="inquiries.request.registered").exists()


@pytest.mark.django_db
def test_registering_adds_a_typed_requester_to_contacts(client, editor):
    client.force_login(editor)
    client.post(CREATE, register_data(create_contact="on"))
    request = Request.objects.get()
    assert request.requester is not None
    assert request.requester.first_name == "Ani"


@pytest.mark.django_db
def test_registering_with_a_contact_fills_the_requester(client, editor):
    person = PersonFactory(first_name="თამარ", last_name="ლომიძე")
    PersonEmailFactory(person=person, email="tamar@example.ge", is_primary=True)
    client.force_login(editor)
    response = client.post(
        CREATE,
        register_data(
            requester=f"{person} (#{person.pk})",
            requester_name="",
            requester_email="",
        ),
    )
    assert response.status_code == 302
    request = Request.objects.get()
    assert request.requester == person
    assert request.requester_name == str(person)
    assert request.requester_email == "tamar@example.ge"


@pytest.mark.django_db
def test_register_needs_a_requester(client, editor):
    client.force_login(editor)
    response = client.post(CREATE, register_data(requester_name=""))
    assert response.status_code == 400
    assert "Pick the requester from contacts or type their name." in response.text
    assert not Request.objects.exists()


@pytest.mark.django_db
def test_received_in_the_future_is_refused_and_nothing_kept(client, editor):
    client.force_login(editor)
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = client.post(
        CREATE, register_data(received_at=tomorrow.strftime("%Y-%m-%dT%H:%M"))
    )
    assert response.status_code == 400
    assert "A request cannot be received in the future." in response.text
    assert not Request.objects.exists()


@pytest.mark.django_db
def test_wrong_attachment_is_refused_and_nothing_kept(client, editor, tmp_path):
    client.force_login(editor)
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(CREATE, register_data(attachments=[fake]))
    assert response.status_code == 400
    assert "scan.pdf" in response.text
    assert "do not match its extension" in response.text
    assert not Request.objects.exists()
    assert not RequestAttachment.objects.exists()
    assert not list(tmp_path.rglob("*.pdf"))


@pytest.mark.django_db
def test_contact_suggestions(client, reader):
    person = PersonFactory(first_name="ნინო", last_name="ბერიძე")
    client.force_login(reader)
    found = client.get(reverse("inquiries:contact_suggest") + "?q=beridze").json()
    assert found["results"] == [{"id": person.pk, "name": f"{person} (#{person.pk})"}]
    outlet = OrganisationFactory(name="Rustavi 2", name_ka="რუსთავი 2")
    url = reverse("inquiries:contact_suggest") + "?kind=organisation&q=rustavi"
    assert client.get(url).json()["results"] == [
        {"id": outlet.pk, "name": f"{outlet} (#{outlet.pk})"}
    ]


# --- One request ------------------------------------------------------------------


@pytest.mark.django_db
def test_request_page_shows_the_facts_and_the_deadline(client, reader):
    request = set_due(make_request(), 4)
    client.force_login(reader)
    page = client.get(request.get_absolute_url()).text
    assert request.number in page
    assert request.subject in page and request.text in page
    assert 'data-days-left="4"' in page and "4 days left" in page
    assert 'lang="ka"' in page
    assert 'data-action="inquiries.request.registered"' in page
    rule = request.law_profile.rules.get(kind=request.kind)
    assert rule.legal_basis and escape(rule.legal_basis) in page
    # A reader sees no form to change the request.
    assert reverse("inquiries:answer_draft", args=[request.pk]) not in page
    assert reverse("inquiries:request_assign", args=[request.pk]) not in page


@pytest.mark.django_db
def test_the_whole_answer_by_the_desk(
    client, editor, boss, unit, django_capture_on_commit_callbacks
):
    request = make_request()
    url = request.get_absolute_url()
    client.force_login(editor)
    # Assign, ask a unit, answer the question inline.
    response = client.post(
        reverse("inquiries:request_assign", args=[request.pk]),
        {"unit": unit.pk, "assignee": editor.pk},
    )
    assert response.status_code == 302
    due = (timezone.localdate() + timedelta(days=1)).isoformat()
    client.post(
        reverse("inquiries:question_ask", args=[request.pk]),
        {"question": "How much is in the budget?", "unit": unit.pk, "due_on": due},
    )
    question = InternalQuestion.objects.get()
    page = client.get(url).text
    assert reverse("inquiries:question_answer", args=[question.pk]) in page
    client.post(
        reverse("inquiries:question_answer", args=[question.pk]),
        {"answer": "Five million lari."},
    )
    question.refresh_from_db()
    assert question.answer == "Five million lari."
    # Draft; an editor cannot approve.
    client.post(
        reverse("inquiries:answer_draft", args=[request.pk]),
        {"text": "პენსია 20 ლარით გაიზრდება."},
    )
    request.refresh_from_db()
    assert request.status == Request.Status.DRAFTED
    assert (
        client.post(reverse("inquiries:answer_approve", args=[request.pk])).status_code
        == 403
    )
    # The manager approves.
    client.force_login(boss)
    page = client.get(url).text
    assert reverse("inquiries:answer_approve", args=[request.pk]) in page
    client.post(reverse("inquiries:answer_approve", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == Request.Status.APPROVED
    # The editor sends it by email.
    client.force_login(editor)
    page = client.get(url).text
    assert reverse("inquiries:request_answer", args=[request.pk]) in page
    assert reverse("inquiries:request_letter", args=[request.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("inquiries:request_answer", args=[request.pk]),
            {"method": "email", "send_email": "on"},
            follow=True,
        )
    assert "The answer was recorded and emailed to nino@example.ge." in response.text
    request.refresh_from_db()
    assert request.status == Request.Status.ANSWERED
    assert request.answer_method == "email"
    mail = CapturedEmail.objects.filter(to=["nino@example.ge"]).get()
    assert "პენსია 20 ლარით გაიზრდება." in mail.body_text
    page = client.get(url).text
    for action in (
        "inquiries.request.assigned",
        "inquiries.question.asked",
        "inquiries.question.answered",
        "inquiries.answer.drafted",
        "inquiries.answer.approved",
        "inquiries.request.answered",
    ):
        assert f'data-action="{action}"' in page, action
    assert "How much is in the budget?" in page


@pytest.mark.django_db
def test_a_manager_does_not_approve_their_own_draft(client, boss, settings):
    settings.INQUIRIES_AUTHOR_MAY_APPROVE = False
    request = make_request()
    services.answer_draft(request=request, actor=boss, text="Our answer")
    client.force_login(boss)
    page = client.get(request.get_absolute_url()).text
    assert "data-approval-refusal" in page
    assert reverse("inquiries:answer_approve", args=[request.pk]) not in page
    response = client.post(
        reverse("inquiries:answer_approve", args=[request.pk]), follow=True
    )
    assert "another manager must approve it" in response.text
    request.refresh_from_db()
    assert request.status == Request.Status.DRAFTED


@pytest.mark.django_db
def test_return_to_drafting_needs_a_reason(client, editor, boss):
    request = make_request()
    services.answer_draft(request=request, actor=editor, text="Draft")
    client.force_login(boss)
    url = reverse("inquiries:answer_return", args=[request.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    client.post(url, {"reason": "Add the figures for 2025."})
    request.refresh_from_db()
    assert request.status == Request.Status.DRAFTED
    page = client.get(request.get_absolute_url()).text
    assert "Add the figures for 2025." in page


@pytest.mark.django_db
def test_refusal_with_a_legal_ground(
    client, editor, boss, django_capture_on_commit_callbacks
):
    request = make_request(kind=Request.Kind.PUBLIC_INFORMATION)
    services.answer_draft(request=request, actor=editor, text="Personal data.")
    services.answer_approve(request=request, actor=boss)
    ground = RefusalGround.objects.filter(profile=request.law_profile).first()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("inquiries:request_refuse", args=[request.pk]),
            {"ground": ground.pk, "send_email": "on"},
        )
    request.refresh_from_db()
    assert request.status == Request.Status.REFUSED
    assert request.refusal_ground == ground
    page = client.get(request.get_absolute_url()).text
    assert ground.name in page


@pytest.mark.django_db
def test_forwarding_needs_a_body(client, editor):
    request = make_request()
    url = reverse("inquiries:request_forward", args=[request.pk])
    client.force_login(editor)
    response = client.post(url, {"organisation": "", "name": ""})
    assert response.status_code == 400
    assert "Name the body the request goes to." in response.text
    client.post(url, {"organisation": "", "name": "Ministry of Health"})
    request.refresh_from_db()
    assert request.status == Request.Status.FORWARDED
    assert request.forwarded_to_name == "Ministry of Health"


@pytest.mark.django_db
def test_extension_and_its_notice_under_the_armenian_law(
    client, editor, settings, django_capture_on_commit_callbacks
):
    settings.INQUIRIES_LAW_PROFILE = "am"
    request = make_request(kind=Request.Kind.PUBLIC_INFORMATION, language="hy")
    first_due = request.due_on
    client.force_login(editor)
    page = client.get(request.get_absolute_url()).text
    assert reverse("inquiries:request_extend", args=[request.pk]) in page
    client.post(
        reverse("inquiries:request_extend", args=[request.pk]),
        {"reason": "The data must be collected from three units."},
    )
    request.refresh_from_db()
    assert request.extended_at is not None and request.due_on > first_due
    page = client.get(request.get_absolute_url()).text
    assert "The data must be collected from three units." in page
    assert reverse("inquiries:extension_notify", args=[request.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("inquiries:extension_notify", args=[request.pk]), {"by": "email"}
        )
    request.refresh_from_db()
    assert request.extension_notified_at is not None
    assert CapturedEmail.objects.filter(to=["nino@example.ge"]).exists()


@pytest.mark.django_db
def test_links_and_attachments(client, editor, reader, tmp_path):
    request = make_request()
    client.force_login(editor)
    response = client.post(
        reverse("inquiries:attachment_add", args=[request.pk]),
        {
            "files": [SimpleUploadedFile("answer.pdf", PDF)],
            "direction": RequestAttachment.Direction.ANSWER,
        },
    )
    assert response.status_code == 302
    attachment = RequestAttachment.objects.get()
    assert attachment.original_name == "answer.pdf"
    assert attachment.direction == "out"
    client.force_login(reader)
    download = client.get(
        reverse("inquiries:attachment_download", args=[attachment.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    client.logout()
    download = client.get(
        reverse("inquiries:attachment_download", args=[attachment.pk])
    )
    assert download.status_code == 302


@pytest.mark.django_db
def test_a_reader_changes_nothing(client, reader):
    request = make_request()
    client.force_login(reader)
    before = AuditEntry.objects.count()
    for name, data in (
        ("inquiries:request_assign", {"assignee": reader.pk}),
        ("inquiries:answer_draft", {"text": "x"}),
        ("inquiries:request_forward", {"name": "Ministry"}),
        ("inquiries:request_extend", {"reason": "x"}),
    ):
        assert client.post(reverse(name, args=[request.pk]), data).status_code == 403
    assert AuditEntry.objects.count() == before
    request.refresh_from_db()
    assert request.status == Request.Status.REGISTERED


@pytest.mark.django_db
def test_letter_is_a_pdf(client, reader, editor, boss):
    request = make_request()
    services.answer_draft(request=request, actor=editor, text="პასუხი")
    services.answer_approve(request=request, actor=boss)
    client.force_login(reader)
    response = client.get(reverse("inquiries:request_letter", args=[request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- Lines to take ----------------------------------------------------------------


def answered_journalist(editor, boss, subject="კორონავირუსის ვაქცინაცია სკოლებში"):
    request = make_request(subject=subject)
    services.answer_draft(
        request=request, actor=editor, text="ვაქცინაცია ნებაყოფლობითია."
    )
    return services.answer_approve(request=request, actor=boss)


@pytest.mark.django_db
def test_saving_a_line_and_reusing_it(client, editor, boss):
    source = answered_journalist(editor, boss)
    client.force_login(editor)
    client.post(
        reverse("inquiries:line_save", args=[source.pk]),
        {"subject": "ვაქცინაცია სკოლებში"},
    )
    line = LineToTake.objects.get()
    assert line.source_request == source
    # A similar question shows the line next to its draft, and takes it in.
    other = make_request(subject="ვაქცინაცია სკოლებში: რა ხდება?")
    page = client.get(other.get_absolute_url()).text
    assert "Similar lines to take" in page
    assert f"?line={line.pk}#answer" in page
    page = client.get(other.get_absolute_url() + f"?line={line.pk}").text
    assert "was copied into the draft below" in page
    assert "ვაქცინაცია ნებაყოფლობითია." in page
    # From the line's page, into an open request.
    page = client.get(reverse("inquiries:line_detail", args=[line.pk])).text
    assert "ვაქცინაცია ნებაყოფლობითია." in page
    assert reverse("inquiries:line_use", args=[line.pk]) in page
    assert f'<option value="{other.pk}">' in page
    response = client.post(
        reverse("inquiries:line_use", args=[line.pk]), {"request": other.pk}
    )
    assert response.url == f"{other.get_absolute_url()}?line={line.pk}#answer"


@pytest.mark.django_db
def test_line_list_search_edit_and_archive(client, editor, boss, reader):
    source = answered_journalist(editor, boss)
    line = services.line_save(request=source, actor=editor, subject="ვაქცინაცია")
    client.force_login(reader)
    lines_url = reverse("inquiries:line_list")
    assert f'data-line="{line.pk}"' in client.get(lines_url + "?q=vaktsinatsia").text
    assert f'data-line="{line.pk}"' not in client.get(lines_url + "?q=budget").text
    update = reverse("inquiries:line_update", args=[line.pk])
    assert client.get(update).status_code == 403
    client.force_login(editor)
    assert 'name="subject"' in client.get(update).text
    response = client.post(
        update,
        {
            "subject": "Vaccination",
            "text": "Voluntary.",
            "language": "en",
            "active": "on",
        },
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.subject, line.language) == ("Vaccination", "en")
    client.post(reverse("inquiries:line_archive", args=[line.pk]))
    line.refresh_from_db()
    assert not line.active
    assert f'data-line="{line.pk}"' not in client.get(lines_url).text
    assert f'data-line="{line.pk}"' in client.get(lines_url + "?archived=on").text


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
def test_line_list_costs_a_fixed_number_of_queries(
    client, editor, boss, reader, count, django_assert_num_queries
):
    source = answered_journalist(editor, boss)
    for n in range(count):
        services.line_save(request=source, actor=editor, subject=f"Line {n}")
    client.force_login(reader)
    url = reverse("inquiries:line_list") + f"?for_request={source.pk}"
    client.get(url)  # warm the content-type and permission caches
    # session, user, permissions (2); count and rows of the page; the request
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.text.count("data-line=") == count


# --- The calendar -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
def test_calendar_costs_a_fixed_number_of_queries(
    client, reader, count, django_assert_num_queries
):
    for n in range(count):
        set_due(make_request(subject=f"Due {n}"), 3)
    due = timezone.localdate() + timedelta(days=3)
    client.force_login(reader)
    url = reverse("inquiries:calendar") + f"?year={due.year}&month={due.month}"
    client.get(url)  # warm the content-type and permission caches
    # session, user, permissions (2); the law profile, holidays, requests
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.text.count('class="inquiry-chip') == count


@pytest.mark.django_db
def test_calendar_lists_requests_on_their_deadline(client, reader):
    request = set_due(make_request(subject="Kindergarten budget"), 3)
    due = request.due_on
    Holiday.objects.get_or_create(
        country="GE", date=due + timedelta(days=1), defaults={"name": "Test day"}
    )
    client.force_login(reader)
    url = reverse("inquiries:calendar") + f"?year={due.year}&month={due.month}"
    page = client.get(url).text
    cell = page[page.index(f'data-day="{due.isoformat()}"') :]
    cell = cell[: cell.index("</td>")]
    assert request.get_absolute_url() in cell and request.number in cell
    assert 'rel="prev"' in page and 'rel="next"' in page
    assert "inquiry-calendar-off" in page
    closed = make_request(subject="Closed one")
    set_due(closed, 3)
    services.request_forward(request=closed, actor=None, name="Ministry")
    assert closed.get_absolute_url() not in client.get(url).text
    assert closed.get_absolute_url() in client.get(url + "&closed=1").text


@pytest.mark.django_db
def test_person_lookup_with_several_matches_asks_to_pick(client, editor):
    PersonFactory(first_name="გიორგი", last_name="მაისურაძე")
    PersonFactory(first_name="გიორგი", last_name="მაისურაძე")
    client.force_login(editor)
    response = client.post(CREATE, register_data(requester="გიორგი მაისურაძე"))
    assert response.status_code == 400
    assert "pick one from the suggestions" in response.text
    assert not Person.objects.filter(first_name="Ani").exists()
