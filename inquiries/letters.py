"""The answer as a letter on the office's letterhead, in HTML and as a PDF.

The letter is in the requester's language: the answer (or the reasoned
refusal with its legal ground and the right of appeal, or the notice that the
request was forwarded), our number and date, the requester's address block and
a place for the signature. The PDF is made by WeasyPrint with the press
releases' URL fetcher, which loads nothing from the network or the disk: the
stylesheet is inlined from static/inquiries/letter.css.
"""

from email.utils import parseaddr
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from inquiries.models import DeadlineRule, Request
from prapp.text import slugify_any

TEMPLATE = "inquiries/letter.html"
STYLESHEET = "inquiries/letter.css"
KINDS = ("answer", "extension")


@cache
def _stylesheet() -> str:
    path = finders.find(STYLESHEET)
    if not path:
        return ""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _css_for_style_tag(css: str) -> str:
    # The stylesheet is ours, but never let it close the style element.
    return css.replace("</", "<\\/")


def letter_date(request: Request, kind: str = "answer"):
    """The date the letter carries: when it was answered (or extended), else today."""
    if kind == "extension":
        moment = request.extension_notified_at or request.extended_at
    else:
        moment = request.answered_at or request.approved_at
    return timezone.localdate(moment) if moment else timezone.localdate()


def _context(request: Request, kind: str) -> dict:
    rule = DeadlineRule.objects.filter(
        profile_id=request.law_profile_id, kind=request.kind
    ).first()
    return {
        "request": request,
        "kind": kind,
        "rule": rule,
        "ground": request.refusal_ground,
        "organisation": settings.PRAPP_ORGANISATION_NAME,
        "desk_email": parseaddr(
            getattr(settings, "INQUIRIES_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
        )[1],
        "letter_date": letter_date(request, kind),
        "received_on": timezone.localdate(request.received_at),
        "signatory": request.approved_by,
    }


def letter_html(
    request: Request, *, kind: str = "answer", for_pdf: bool = False
) -> str:
    """The letter as a whole HTML page in the requester's language.

    ``kind`` "answer" is the answer, refusal or forwarding notice (by the
    request's status); "extension" the notice of a longer term. For a page
    shown in the browser the stylesheet is linked (CSP: no inline style); for
    the PDF it is inlined.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown letter {kind!r}")
    with translation.override(request.language or settings.LANGUAGE_CODE):
        context = _context(request, kind)
        context["inline_css"] = (
            mark_safe(_css_for_style_tag(_stylesheet())) if for_pdf else ""  # noqa: S308 (our file)
        )
        context["stylesheet"] = STYLESHEET
        return render_to_string(TEMPLATE, context)


def letter_pdf(request: Request, *, kind: str = "answer") -> bytes:
    """The letter as an A4 PDF, ready to print and sign."""
    from weasyprint import HTML  # imported late: it loads Pango and fonts

    from pressreleases.pdf import url_fetcher

    html = letter_html(request, kind=kind, for_pdf=True)
    return HTML(string=html, base_url=None, url_fetcher=url_fetcher).write_pdf()


def letter_filename(request: Request, *, kind: str = "answer") -> str:
    """An ASCII file name: letter-2026-0042-ka.pdf."""
    number = slugify_any(request.number, max_length=40) or str(request.pk)
    prefix = "extension" if kind == "extension" else "letter"
    return f"{prefix}-{number}-{request.language}.pdf"
