"""The inquiry desk's services: registration, workflow, permissions, audit, mail."""

import email
from datetime import date, timedelta
from email.header import decode_header, make_header

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contacts.models import Interaction, Organisation, Person
from inquiries import services, tasks
from inquiries.models import (
    InternalQuestion,
    LineToTake,
    RefusalGround,
    Request,
    RequestAttachment,
)
from prapp.models import AuditEntry, CapturedEmail

from .conftest import approved, local

Status = Request.Status


def pdf_upload(name="budget.pdf", size=0):
    content = b"%PDF-1.4\n" + b"0" * size + b"\n%%EOF"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def entries(target):
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
    ).order_by("pk")


def actions(request) -> list[str]:
    return list(
        entries(request)
        .filter(action__startswith="inquiries.request")
        .values_list("action", flat=True)
    )


def subject_of(message: CapturedEmail) -> str:
    """The Subject header as the raw message carries it, decoded."""
    raw = email.message_from_string(message.raw)
    return str(make_header(decode_header(raw["Subject"])))


# --- Registration ---------------------------------------------------------------------


@pytest.mark.django_db
def test_register_numbers_dates_and_audits(make_request, editor, profile_ge):
    request = make_request(received_at=local(date(2026, 4, 3)))
    assert request.number == "2026/0001"
    assert request.status == Status.REGISTERED
    assert request.law_profile == profile_ge
    assert request.due_on == request.original_due_on == date(2026, 4, 14)
    assert request.created_by == editor
    assert "biujet" in request.search_text  # romanised Georgian
    entry = AuditEntry.objects.get(action="inquiries.request.registered")
    assert entry.actor == editor
    assert entry.changes["number"] == [None, "2026/0001"]
    assert entry.changes["due_on"] == [None, "2026-04-14"]


@pytest.mark.django_db
def test_register_with_an_assignee_emails_them_after_commit(
    make_request, make_user, django_capture_on_commit_callbacks
):
    colleague = make_user("colleague", role="Editor", language="hy")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = make_request(assignee=colleague)
    assert request.status == Status.ASSIGNED
    assert len(callbacks) == 1
    assert not CapturedEmail.objects.exists()  # nothing before the commit
    callbacks[0]()
    message = CapturedEmail.objects.get()
    assert message.to == ["colleague@example.ge"]
    assert request.number in message.subject
    assert "Content-Language: hy" in message.raw


@pytest.mark.django_db
def test_register_takes_name_email_and_language_from_the_contact(
    make_request, requester
):
    request = make_request(
        requester=requester, requester_name="", requester_email="", language=""
    )
    assert request.requester_name == "თამარ გელაშვილი"
    assert request.requester_email == "tamar@example.ge"
    assert request.language == "ka"
    interaction = Interaction.objects.get(person=requester)
    assert interaction.kind == Interaction.Kind.INQUIRY
    assert request.number in interaction.summary


@pytest.mark.django_db
def test_register_can_add_the_requester_to_contacts_once(make_request):
    organisation = Organisation.objects.create(
        name_en="Civil Voice", name="Civil Voice"
    )
    first = make_request(
        requester_name="Արամ Գրիգորյան",
        requester_email="aram@example.am",
        requester_phone="+374 91 123456",
        requester_organisation=organisation,
        language="hy",
        create_contact=True,
    )
    person = first.requester
    assert (person.first_name, person.last_name, person.language) == (
        "Արամ",
        "Գրիգորյան",
        "hy",
    )
    assert person.emails.get().email == "aram@example.am"
    assert person.phones.get().number == "+37491123456"
    assert person.affiliations.get().organisation == organisation
    second = make_request(
        requester_name="Aram Grigoryan",
        requester_email="ARAM@example.am",
        create_contact=True,
    )
    assert second.requester == person
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_a_future_receipt_is_refused_and_nothing_is_kept(make_request):
    with pytest.raises(ValidationError) as caught:
        make_request(received_at=timezone.now() + timedelta(hours=1))
    assert "received_at" in caught.value.message_dict
    assert not Request.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="inquiries").exists()


@pytest.mark.django_db
def test_attachments_of_the_wrong_type_or_size_store_nothing(make_request, settings):
    settings.INQUIRIES_MAX_ATTACHMENT_MB = 1
    cases = [
        SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/pdf"),
        SimpleUploadedFile("fake.pdf", b"GIF89a....", content_type="application/pdf"),
        pdf_upload("huge.pdf", size=1024 * 1024 + 1),
    ]
    for bad in cases:
        with pytest.raises(ValidationError) as caught:
            make_request(attachments=[pdf_upload(), bad])
        messages = caught.value.message_dict["attachments"]
        assert any(bad.name in message for message in messages)
    assert not Request.objects.exists()
    assert not RequestAttachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.django_db
def test_attachments_are_stored_with_their_type(make_request):
    request = make_request(attachments=[pdf_upload("ბიუჯეტი.pdf")])
    attachment = request.attachments.get()
    assert attachment.direction == RequestAttachment.Direction.RECEIVED
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "ბიუჯეტი.pdf"
    assert attachment.file.read().startswith(b"%PDF")


@pytest.mark.django_db
def test_attaching_several_files_stores_all_or_none(make_request, editor, settings):
    request = make_request()
    bad = SimpleUploadedFile("tool.exe", b"MZ\x90\x00")
    with pytest.raises(ValidationError) as caught:
        services.attachments_add(
            request=request, actor=editor, uploads=[pdf_upload(), bad]
        )
    assert any("tool.exe" in m for m in caught.value.message_dict["files"])
    assert not RequestAttachment.objects.exists()
    assert not AuditEntry.objects.filter(action="inquiries.attachment.added").exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    stored = services.attachments_add(
        request=request,
        actor=editor,
        uploads=[pdf_upload("a.pdf"), pdf_upload("b.pdf")],
        direction="out",
    )
    assert sorted(a.original_name for a in stored) == ["a.pdf", "b.pdf"]
    assert request.attachments.filter(direction="out").count() == 2
    assert AuditEntry.objects.filter(action="inquiries.attachment.added").count() == 2


@pytest.mark.django_db
def test_without_permission_nothing_is_registered(make_request, viewer):
    with pytest.raises(PermissionDenied):
        make_request(actor=viewer)
    assert not Request.objects.exists()


@pytest.mark.django_db
def test_an_unknown_law_profile_is_a_clear_error(make_request, settings):
    settings.INQUIRIES_LAW_PROFILE = "xx"
    with pytest.raises(ValidationError, match="xx"):
        make_request()


# --- Assignment and internal questions ----------------------------------------------


@pytest.mark.django_db
def test_assign_and_reassign(
    make_request, editor, make_user, unit, django_capture_on_commit_callbacks
):
    request = make_request()
    colleague = make_user("colleague", role="Editor", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_assign(
            request=request, actor=editor, assignee=colleague, unit=unit
        )
    assert (request.status, request.assignee, request.unit) == (
        Status.ASSIGNED,
        colleague,
        unit,
    )
    message = CapturedEmail.objects.get()
    assert message.to == ["colleague@example.ge"]
    assert "Content-Language: en" in message.raw
    # Changing only the unit sends no second email; the same again changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        services.request_assign(request=request, actor=editor, assignee=colleague)
        services.request_assign(request=request, actor=editor, assignee=colleague)
    assert CapturedEmail.objects.count() == 1
    assert actions(request).count("inquiries.request.assigned") == 2
    with pytest.raises(ValidationError):
        services.request_assign(request=request, actor=editor)


@pytest.mark.django_db
def test_internal_question_goes_to_the_unit_head_who_may_answer(
    make_request, editor, unit, viewer, django_capture_on_commit_callbacks
):
    request = make_request()
    due = timezone.localdate() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(
            request=request,
            actor=editor,
            question="რამდენი დაიხარჯა 2025 წელს?",
            due_on=due,
            unit=unit,
        )
    message = CapturedEmail.objects.get()
    assert message.to == [unit.head.email]
    assert "რამდენი დაიხარჯა" in message.body_text
    assert "Content-Language: en" in message.raw  # the head reads English
    with pytest.raises(PermissionDenied):
        services.question_answer(question=question, actor=viewer, answer="?")
    answered = services.question_answer(
        question=question, actor=unit.head, answer="1,2 მლნ ლარი."
    )
    assert answered.answered_by == unit.head
    assert answered.answered_at is not None
    with pytest.raises(ValidationError):
        services.question_answer(question=question, actor=editor, answer="again")
    with pytest.raises(ValidationError):
        services.question_ask(
            request=request,
            actor=editor,
            question="late",
            due_on=timezone.localdate() - timedelta(days=1),
            unit=unit,
        )
    assert AuditEntry.objects.filter(action="inquiries.question.asked").count() == 1
    assert AuditEntry.objects.filter(action="inquiries.question.answered").count() == 1


@pytest.mark.django_db
def test_a_question_to_a_unit_without_people_goes_to_its_address(
    make_request, editor, django_capture_on_commit_callbacks
):
    from inquiries.models import Unit

    legal = Unit.objects.create(name_en="Legal", email="legal@example.ge")
    request = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        services.question_ask(
            request=request,
            actor=editor,
            question="Is this a personal-data case?",
            due_on=timezone.localdate(),
            unit=legal,
        )
    assert CapturedEmail.objects.get().to == ["legal@example.ge"]


# --- The answer ----------------------------------------------------------------


@pytest.mark.django_db
def test_four_eyes_approval(make_request, editor, manager, manager2, settings):
    request = make_request()
    with pytest.raises(ValidationError):
        services.answer_draft(request=request, actor=editor, text="  ")
    request = services.answer_draft(request=request, actor=manager, text="პასუხი")
    assert (request.status, request.drafted_by) == (Status.DRAFTED, manager)
    with pytest.raises(PermissionDenied):
        services.answer_approve(request=request, actor=editor)  # not a manager
    with pytest.raises(PermissionDenied, match="four eyes"):
        services.answer_approve(request=request, actor=manager)  # own draft
    assert services.approval_refusal(request, manager2) == ""
    request = services.answer_approve(request=request, actor=manager2)
    assert (request.status, request.approved_by) == (Status.APPROVED, manager2)
    # An approved answer that is changed needs approval again.
    request = services.answer_draft(request=request, actor=editor, text="პასუხი 2")
    assert (request.status, request.approved_by, request.approved_at) == (
        Status.DRAFTED,
        None,
        None,
    )
    settings.INQUIRIES_AUTHOR_MAY_APPROVE = True
    request = services.answer_draft(request=request, actor=manager, text="პასუხი 3")
    request = services.answer_approve(request=request, actor=manager)
    assert request.status == Status.APPROVED


@pytest.mark.django_db
def test_return_sends_the_answer_back_with_the_reason(make_request, editor, manager):
    request = approved(make_request(), drafter=editor, approver=manager)
    with pytest.raises(ValidationError):
        services.answer_return(request=request, actor=manager, reason=" ")
    with pytest.raises(PermissionDenied):
        services.answer_return(request=request, actor=editor, reason="no")
    request = services.answer_return(
        request=request, actor=manager, reason="დაამატეთ თანხები."
    )
    assert (request.status, request.approved_by) == (Status.DRAFTED, None)
    entry = AuditEntry.objects.get(action="inquiries.answer.returned")
    assert entry.changes["reason"] == [None, "დაამატეთ თანხები."]
    assert entry.changes["status"] == ["approved", "drafted"]


@pytest.mark.django_db
def test_answer_by_email_from_the_desk_in_the_requesters_language(
    make_request, editor, manager, settings, django_capture_on_commit_callbacks
):
    settings.INQUIRIES_FROM_EMAIL = "Inquiry desk <desk@example.ge>"
    request = make_request(received_at=local(date(2026, 4, 3)))
    with pytest.raises(ValidationError):
        services.request_answer(request=request, actor=editor, method="email")
    request = approved(
        request, drafter=editor, approver=manager, text="ანგარიში <b>თან</b> ერთვის."
    )
    services.attachment_add(
        request=request, actor=editor, upload=pdf_upload("report.pdf"), direction="out"
    )
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_answer(request=request, actor=editor, method="email")
    assert request.status == Status.ANSWERED
    assert request.answer_method == "email"
    assert request.answered_at is not None
    message = CapturedEmail.objects.get()
    assert message.from_email == "Inquiry desk <desk@example.ge>"
    assert message.to == ["giorgi@example.ge"]
    assert "ანგარიში <b>თან</b> ერთვის." in message.body_text
    assert "ანგარიში &lt;b&gt;თან&lt;/b&gt; ერთვის." in message.body_html
    assert message.attachment_names == ["report.pdf"]
    assert "Content-Language: ka" in message.raw
    # The subject holds the Georgian subject, encoded for the header.
    headers = message.raw.split("\n\n", 1)[0]
    assert headers.isascii()
    assert "=?utf-8?" in email.message_from_string(message.raw)["Subject"]
    assert "ბიუჯეტის შესრულება" in subject_of(message)
    # A second run of the task sends nothing more.
    tasks.requester_mail(request.pk, "answer")
    assert CapturedEmail.objects.count() == 1
    assert "inquiries.request.answer_emailed" in actions(request)


@pytest.mark.django_db
def test_partial_answer_by_letter_and_the_email_rule(make_request, editor, manager):
    request = approved(
        make_request(requester_email="", channel="letter"),
        drafter=editor,
        approver=manager,
    )
    with pytest.raises(ValidationError) as caught:
        services.request_answer(request=request, actor=editor, method="email")
    assert "method" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.request_answer(request=request, actor=editor, method="pigeon")
    request = services.request_answer(
        request=request, actor=editor, method="letter", partly=True
    )
    assert request.status == Status.PARTLY_ANSWERED
    assert "inquiries.request.partly_answered" in actions(request)
    with pytest.raises(ValidationError):
        services.answer_draft(request=request, actor=editor, text="later")


@pytest.mark.django_db
def test_refusal_with_a_ground_of_the_requests_law(
    make_request, editor, manager, django_capture_on_commit_callbacks
):
    request = make_request(language="hy", requester_email="ani@example.am")
    ground = RefusalGround.objects.get(profile__code="ge", name_en="State secret")
    armenian = RefusalGround.objects.get(profile__code="am", name_en="State secret")
    with pytest.raises(ValidationError):  # no approved reasons yet
        services.request_refuse(request=request, actor=editor, ground=ground)
    request = approved(request, drafter=editor, approver=manager, text="Պատճառները …")
    with pytest.raises(ValidationError):
        services.request_refuse(request=request, actor=editor, ground=armenian)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_refuse(request=request, actor=editor, ground=ground)
    assert (request.status, request.refusal_ground) == (Status.REFUSED, ground)
    assert request.answered_at is not None
    message = CapturedEmail.objects.get()
    # The ground and the law are named in the requester's language.
    assert "Պետական գաղտնիք" in message.body_text
    assert "Վրաստանի ընդհանուր վարչական օրենսգիրք" in message.body_text
    assert "Content-Language: hy" in message.raw


@pytest.mark.django_db
def test_forwarding_tells_the_requester(
    make_request, editor, django_capture_on_commit_callbacks
):
    request = make_request(kind="letter")
    with pytest.raises(ValidationError):
        services.request_forward(request=request, actor=editor)
    ministry = Organisation.objects.create(
        name_ka="ფინანსთა სამინისტრო", name_en="Ministry of Finance", name="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_forward(
            request=request, actor=editor, organisation=ministry
        )
    assert request.status == Status.FORWARDED
    assert request.forwarded_to == ministry
    assert request.forwarded_to_name == "ფინანსთა სამინისტრო"
    assert "ფინანსთა სამინისტრო" in CapturedEmail.objects.get().body_text
    with pytest.raises(ValidationError):
        services.request_forward(request=request, actor=editor, name="again")


@pytest.mark.django_db
def test_extension_under_armenian_law_and_its_notice(
    make_request, editor, profile_am, django_capture_on_commit_callbacks
):
    request = make_request(
        received_at=local(date(2025, 12, 29)),
        language="hy",
        requester_email="a@example.am",
    )
    with pytest.raises(ValidationError):
        services.extension_notify(request=request, actor=editor)  # not extended
    with pytest.raises(ValidationError):
        services.request_extend(request=request, actor=editor, reason="")
    request = services.request_extend(
        request=request,
        actor=editor,
        reason="Տվյալները պետք է հավաքել երեք վարչությունից։",
    )
    assert request.due_on == date(2026, 1, 29)
    assert request.original_due_on == date(2026, 1, 5)
    assert request.extension_notice_due_on == date(2026, 1, 5)
    entry = AuditEntry.objects.get(action="inquiries.request.extended")
    assert entry.changes["due_on"] == ["2026-01-05", "2026-01-29"]
    with pytest.raises(ValidationError):
        services.request_extend(request=request, actor=editor, reason="again")
    with django_capture_on_commit_callbacks(execute=True):
        request = services.extension_notify(request=request, actor=editor)
    assert request.extension_notified_at is not None
    message = CapturedEmail.objects.get()
    assert "Տվյալները պետք է հավաքել" in message.body_text
    assert "«Տեղեկատվության ազատության մասին» ՀՀ օրենք" in message.body_text
    notified = AuditEntry.objects.get(action="inquiries.request.extension_notified")
    assert notified.changes["late"] == [None, True]  # notified long after 5 Jan
    with pytest.raises(ValidationError):
        services.extension_notify(request=request, actor=editor)


@pytest.mark.django_db
def test_georgian_law_refuses_an_extension(make_request, editor):
    request = make_request()
    with pytest.raises(ValidationError):
        services.request_extend(request=request, actor=editor, reason="more work")
    request.refresh_from_db()
    assert request.extended_at is None


@pytest.mark.django_db
def test_links_and_answer_attachments_are_audited(make_request, editor):
    from events.models import Event, EventType

    starts = timezone.now()
    event = Event.objects.create(
        event_type=EventType.objects.first(),
        title_en="Briefing",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    request = make_request()
    request = services.request_link(request=request, actor=editor, event=event)
    assert request.event == event
    services.request_link(request=request, actor=editor, event=event)  # no change
    assert actions(request).count("inquiries.request.linked") == 1
    with pytest.raises(ValidationError):
        services.attachment_add(
            request=request,
            actor=editor,
            upload=SimpleUploadedFile("x.exe", b"MZ"),
        )
    assert not request.attachments.exists()
    assert AuditEntry.objects.filter(action="inquiries.attachment.added").count() == 0


# --- Lines to take -------------------------------------------------------------


@pytest.mark.django_db
def test_lines_to_take_come_from_approved_answers(make_request, editor, manager):
    request = make_request(kind="journalist", subject="ახალი ავტობუსები")
    with pytest.raises(ValidationError):
        services.line_save(request=request, actor=editor)
    request = approved(
        request, drafter=editor, approver=manager, text="100 ავტობუსი 2026 წელს."
    )
    line = services.line_save(request=request, actor=editor)
    assert (line.subject, line.text, line.language, line.source_request) == (
        "ახალი ავტობუსები",
        "100 ავტობუსი 2026 წელს.",
        "ka",
        request,
    )
    assert "avtobus" in line.search_text
    line = services.line_update(
        line=line, actor=editor, data={"subject": "ავტობუსები", "text": "120 ავტობუსი."}
    )
    assert line.text == "120 ავტობუსი."
    line = services.line_archive(line=line, actor=editor)
    assert not LineToTake.objects.get().active
    assert list(
        AuditEntry.objects.filter(action__startswith="inquiries.line")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["inquiries.line.saved", "inquiries.line.changed", "inquiries.line.changed"]


# --- Status look-up and the audit trail ----------------------------------------


@pytest.mark.django_db
def test_status_lookup_needs_the_exact_pair(make_request):
    staff_made = make_request()
    request, secret = services.request_public_submit(
        data={
            "requester_name": "ნინო",
            "requester_email": "n@example.ge",
            "subject": "ხარჯები",
            "text": "...",
        },
        submission_key="k-1",
    )
    assert services.status_lookup(number=request.number, secret=secret) == request
    assert (
        services.status_lookup(number=f" {request.number} ", secret=secret) == request
    )
    assert services.status_lookup(number=request.number, secret=secret[:-1]) is None
    assert services.status_lookup(number=request.number, secret="") is None
    assert services.status_lookup(number="2026/9999", secret=secret) is None
    assert services.status_lookup(number=staff_made.number, secret="") is None
    assert services.status_lookup(number=staff_made.number, secret=secret) is None
    assert services.status_lookup(number="", secret="") is None


@pytest.mark.django_db
def test_every_step_of_a_request_is_in_the_audit_trail(
    make_request, editor, manager, unit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request()
        request = services.request_assign(request=request, actor=editor, unit=unit)
        question = services.question_ask(
            request=request,
            actor=editor,
            question="?",
            due_on=timezone.localdate(),
            unit=unit,
        )
        services.question_answer(question=question, actor=editor, answer="!")
        request = services.answer_draft(request=request, actor=editor, text="A")
        request = services.answer_return(request=request, actor=manager, reason="B")
        request = services.answer_draft(request=request, actor=editor, text="C")
        request = services.answer_approve(request=request, actor=manager)
        request = services.request_answer(request=request, actor=editor, method="email")
    assert actions(request) == [
        "inquiries.request.registered",
        "inquiries.request.assigned",
        "inquiries.request.answered",
        "inquiries.request.answer_emailed",
    ]
    others = (
        entries(request)
        .exclude(action__startswith="inquiries.request")
        .values_list("action", flat=True)
    )
    assert list(others) == [
        "inquiries.question.asked",
        "inquiries.question.answered",
        "inquiries.answer.drafted",
        "inquiries.answer.returned",
        "inquiries.answer.drafted",
        "inquiries.answer.approved",
    ]
    assert InternalQuestion.objects.get().answer == "!"
