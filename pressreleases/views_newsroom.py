"""The public newsroom: no login, one language per address, nothing unpublished.

Every page is rendered inside ``translation.override(<language of the address>)``
so the interface, dates and ``<html lang>`` follow the address and not the
visitor's cookie; the release itself is shown in its version for that language
(or the configured fallback, marked with its own ``lang``).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import get_language_from_request
from django.views.decorators.http import require_safe

from pressreleases import newsroom

# --- Helpers --------------------------------------------------------------------


def _check_language(language: str) -> str:
    if language not in newsroom.newsroom_languages():
        raise Http404
    return language


def _feeds(language: str) -> dict:
    return {
        "rss_url": reverse("newsroom:rss", args=[language]),
        "atom_url": reverse("newsroom:atom", args=[language]),
    }


def _render(request, language: str, template: str, context: dict, status=200):
    """Render ``template`` in ``language`` (interface, dates and <html lang>)."""
    with translation.override(language):
        context = {
            "page_language": language,
            "organisation": newsroom.organisation_name(),
            "list_url": reverse("newsroom:list", args=[language]),
            **_feeds(language),
            **context,
        }
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    return response


def _gone(request, language: str) -> HttpResponse:
    return _render(request, language, "pressreleases/newsroom/gone.html", {}, 410)


def _visible_release_or_gone(request, language: str, pk: int):
    """(release, None) for a visible release, (None, 410 page) for a withdrawn one.

    Anything else (draft, embargoed, not yet published, unknown) is a 404, so
    that an address says nothing about a release that is not out.
    """
    release = newsroom.newsroom_release(pk)
    if release is not None:
        return release, None
    if newsroom.release_was_withdrawn(pk):
        return None, _gone(request, language)
    raise Http404


# --- Pages ----------------------------------------------------------------------


@login_not_required
@require_safe
def index(request):
    """/newsroom/: on to the visitor's language (cookie, browser, else the default)."""
    language = get_language_from_request(request)
    if language not in newsroom.newsroom_languages():
        language = settings.LANGUAGE_CODE
    response = redirect("newsroom:list", language=language)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@login_not_required
@require_safe
def release_list(request, language):
    """Visible releases, newest first: search in any script, filter by one tag."""
    _check_language(language)
    query = request.GET.get("q", "").strip()[:200]
    tag = request.GET.get("tag", "").strip()[:80]
    paginator = Paginator(
        newsroom.newsroom_list(query=query, tag=tag), newsroom.PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    filters = {key: value for key, value in (("q", query), ("tag", tag)) if value}
    query_string = urlencode(filters)
    with translation.override(language):
        items = [
            {
                "release": release,
                "text": newsroom.release_text(release, language),
                "url": newsroom.release_path(release, language),
                "date": release.newsroom_date,
            }
            for release in page.object_list
        ]
        tags = list(newsroom.newsroom_tags())
    current_tag = next((t for t in tags if t.slug == tag), None)
    page_suffix = f"page={page.number}" if page.number > 1 else ""
    switch_query = "&".join(part for part in (query_string, page_suffix) if part)
    switch = [
        {
            "code": code,
            "url": reverse("newsroom:list", args=[code])
            + (f"?{switch_query}" if switch_query else ""),
        }
        for code in newsroom.newsroom_languages()
        if code != language
    ]
    return _render(
        request,
        language,
        "pressreleases/newsroom/list.html",
        {
            "items": items,
            "page_obj": page,
            "is_paginated": paginator.num_pages > 1,
            "query_string": query_string,
            "query": query,
            "tag": tag,
            "current_tag": current_tag,
            "tags": tags,
            "filtered": bool(filters),
            "language_links": switch,
            "alternates": [
                {
                    "code": code,
                    "url": newsroom.site_url() + reverse("newsroom:list", args=[code]),
                }
                for code in newsroom.newsroom_languages()
                if code != language
            ],
            "canonical_url": newsroom.site_url()
            + reverse("newsroom:list", args=[language]),
        },
    )


@login_not_required
@require_safe
def release_detail(request, language, pk, slug):
    """One release, with its OpenGraph description, attachments and PDF."""
    _check_language(language)
    release, gone = _visible_release_or_gone(request, language, pk)
    if gone:
        return gone
    if slug != newsroom.url_slug(release):
        return redirect(newsroom.release_path(release, language), permanent=True)
    text = newsroom.release_text(release, language)
    others = [code for code in release.languages if code != text.language]
    image = next((a for a in release.public_attachments if a.is_image), None)
    with translation.override(language):
        event_title = release.event.title if release.event else ""
    context = {
        "release": release,
        "text": text,
        "date": release.newsroom_date,
        "published_time": timezone.localtime(release.newsroom_date).isoformat(
            timespec="seconds"
        ),
        "tags": release.tags.all(),
        "attachments": release.public_attachments,
        "contact": newsroom.contact_card(release, language),
        "event_title": event_title,
        "canonical_url": newsroom.release_url(release, language),
        "og_locale": newsroom.OG_LOCALES.get(text.language, text.language),
        "og_locale_alternates": [newsroom.OG_LOCALES.get(c, c) for c in others],
        "og_image": (
            newsroom.site_url()
            + reverse("newsroom:attachment", args=[language, release.pk, image.pk])
            if image
            else ""
        ),
        "og_image_alt": str(image) if image else "",
        # Other pages that carry a version of their own (hreflang).
        "alternates": [
            {"code": code, "url": newsroom.release_url(release, code)}
            for code in release.languages
            if code != language
        ],
        "language_links": [
            {"code": code, "url": newsroom.release_path(release, code)}
            for code in newsroom.newsroom_languages()
            if code != language
        ],
        "pdf_url": reverse("newsroom:pdf", args=[language, release.pk]),
    }
    return _render(request, language, "pressreleases/newsroom/detail.html", context)


@login_not_required
@require_safe
def release_pdf(request, language, pk):
    """The release as a PDF, in the version for readers of ``language``."""
    _check_language(language)
    release, gone = _visible_release_or_gone(request, language, pk)
    if gone:
        return gone
    # Imported here: the PDF module loads WeasyPrint's stack when it renders.
    from pressreleases import pdf

    with translation.override(language):
        content = pdf.release_pdf(release, language)
        filename = pdf.release_pdf_filename(release, language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
@require_safe
def attachment_download(request, language, pk, attachment_pk):
    """A public attachment of a visible release, as a download."""
    _check_language(language)
    attachment = newsroom.public_attachment(release_pk=pk, attachment_pk=attachment_pk)
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name or "attachment",
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
