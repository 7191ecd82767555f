"""The answer as a letter: the requester's language, letterhead, refusal, PDF."""

import io
from datetime import date

import pytest
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from inquiries import letters, services
from inquiries.models import RefusalGround

from .conftest import approved, local


@pytest.fixture(autouse=True)
def _letterhead(settings):
    settings.PRAPP_ORGANISATION_NAME = "Tbilisi City Hall"
    settings.INQUIRIES_FROM_EMAIL = "Inquiry desk <desk@example.ge>"


@pytest.fixture
def answered(make_request, editor, manager):
    request = make_request(
        received_at=local(date(2026, 4, 3)),
        requester_address="თბილისი, რუსთაველის 1",
    )
    request = approved(
        request,
        drafter=editor,
        approver=manager,
        text="ბიუჯეტი შესრულდა 97%-ით.\n\n<script>alert(1)</script>",
    )
    return services.request_answer(request=request, actor=editor, method="letter")


@pytest.mark.django_db
def test_the_letter_is_in_the_requesters_language_with_the_letterhead(answered):
    html = letters.letter_html(answered)
    assert '<html lang="ka">' in html
    assert "Tbilisi City Hall" in html
    assert "desk@example.ge" in html
    assert answered.number in html
    assert "გიორგი მაისურაძე" in html
    assert "რუსთაველის 1" in html
    assert "ბიუჯეტი შესრულდა 97%-ით." in html
    # The answer is text: nothing in it becomes markup.
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    # The signatory is the manager who approved the answer.
    assert "manager" in html


@pytest.mark.django_db
def test_the_browser_letter_links_its_stylesheet_and_the_pdf_inlines_it(answered):
    page = letters.letter_html(answered)
    assert 'rel="stylesheet"' in page and "inquiries/letter.css" in page
    assert "<style" not in page  # CSP: no inline style on a page
    printable = letters.letter_html(answered, for_pdf=True)
    assert "<style>" in printable and "@page" in printable
    assert 'rel="stylesheet"' not in printable
    assert "text-transform" not in printable


@pytest.mark.django_db
def test_a_refusal_letter_names_the_ground_and_the_appeal_in_armenian(
    make_request, editor, manager
):
    request = make_request(language="hy", requester_name="Անի Պետրոսյան")
    request = approved(request, drafter=editor, approver=manager, text="Պատճառները.")
    ground = RefusalGround.objects.get(profile__code="ge", name_en="Personal data")
    request = services.request_refuse(
        request=request, actor=editor, ground=ground, send_email=False
    )
    html = letters.letter_html(request)
    assert '<html lang="hy">' in html
    assert "Անձնական տվյալներ" in html
    assert "Վրաստանի ընդհանուր վարչական օրենսգիրք, հոդված 28" in html


@pytest.mark.django_db
def test_forwarding_and_extension_letters(make_request, editor, profile_am):
    request = make_request(received_at=local(date(2025, 12, 29)), language="en")
    request = services.request_extend(
        request=request, actor=editor, reason="Three departments hold the data."
    )
    notice = letters.letter_html(request, kind="extension")
    assert "Three departments hold the data." in notice
    assert "Law of the Republic of Armenia on Freedom of Information" in notice
    with translation.override("en"):
        assert date_format(date(2026, 1, 29), "DATE_FORMAT") in notice
    request = services.request_forward(
        request=request, actor=editor, name="Ministry of Education", send_email=False
    )
    assert "Ministry of Education" in letters.letter_html(request)
    with pytest.raises(ValueError):
        letters.letter_html(request, kind="poem")


@pytest.mark.django_db
def test_the_pdf_is_a4_with_the_number_and_georgian_text(answered):
    pdf = services.letter_pdf(answered)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "".join(p.extract_text() for p in reader.pages)
    assert answered.number in text
    assert "Tbilisi City Hall" in text
    assert "ბიუჯეტი" in text


@pytest.mark.django_db
def test_the_file_name_is_ascii(answered):
    name = letters.letter_filename(answered)
    assert name == f"letter-{answered.number.replace('/', '-')}-ka.pdf"
    assert name.isascii()
    assert letters.letter_filename(answered, kind="extension").startswith("extension-")
