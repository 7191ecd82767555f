"""Shared fixtures of the inquiry desk's tests.

The law profiles (Georgia "ge", Armenia "am") with their rules and refusal
grounds, and the public holidays of both countries, come from the data
migration; ``holidays_for_years`` adds the years a test reasons about, so the
arithmetic does not depend on the year the suite runs in.
"""

from datetime import datetime, time

import pytest
from django.utils import timezone

from inquiries import services
from inquiries.holidays import holidays_seed
from inquiries.models import LawProfile, Request, Unit
from tests.contacts.factories import PersonEmailFactory, PersonFactory

YEARS = (2025, 2026, 2027, 2028)


def local(day, hour: int = 10, minute: int = 0) -> datetime:
    """An aware datetime at ``hour`` on ``day`` in the project's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def holidays_for_years(db):
    """Georgian and Armenian holidays of 2025–2028, whatever the current year."""
    holidays_seed(years=YEARS)


@pytest.fixture
def profile_ge(db, settings) -> LawProfile:
    settings.INQUIRIES_LAW_PROFILE = "ge"
    return LawProfile.objects.get(code="ge")


@pytest.fixture
def profile_am(db, settings) -> LawProfile:
    settings.INQUIRIES_LAW_PROFILE = "am"
    return LawProfile.objects.get(code="am")


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor", first_name="ნინო", last_name="ბერიძე")


@pytest.fixture
def manager2(make_user):
    """A second manager, for the four-eyes rule."""
    return make_user("manager2", role="Manager", language="hy")


@pytest.fixture
def requester(db):
    """A journalist in contacts who reads Georgian."""
    person = PersonFactory(first_name="თამარ", last_name="გელაშვილი", language="ka")
    PersonEmailFactory(person=person, email="tamar@example.ge")
    return person


@pytest.fixture
def unit(db, make_user) -> Unit:
    head = make_user("finance-head", role="Viewer", language="en")
    return Unit.objects.create(
        name_ka="ფინანსური სამსახური",
        name_hy="Ֆինանսական ծառայություն",
        name_en="Finance department",
        email="finance@example.ge",
        head=head,
    )


@pytest.fixture
def make_request(db, editor, holidays_for_years):
    """Register a request through the service; keyword arguments override data."""

    def make(*, actor=None, attachments=(), create_contact=False, **data) -> Request:
        values = {
            "kind": Request.Kind.PUBLIC_INFORMATION,
            "channel": Request.Channel.EMAIL,
            "requester_name": "გიორგი მაისურაძე",
            "requester_email": "giorgi@example.ge",
            "language": "ka",
            "subject": "ბიუჯეტის შესრულება",
            "text": "გთხოვთ, მომაწოდოთ 2025 წლის ბიუჯეტის შესრულების ანგარიში.",
            "received_at": timezone.now(),
        }
        values.update(data)
        return services.request_register(
            data=values,
            actor=actor or editor,
            attachments=attachments,
            create_contact=create_contact,
        )

    return make


def approved(request: Request, *, drafter, approver, text: str = "") -> Request:
    """Draft an answer as ``drafter`` and approve it as ``approver``."""
    request = services.answer_draft(
        request=request,
        actor=drafter,
        text=text or "ანგარიში თან ერთვის. ბიუჯეტი შესრულდა 97%-ით.",
    )
    return services.answer_approve(request=request, actor=approver)
