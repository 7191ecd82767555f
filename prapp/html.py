"""Rich text from browsers: one allow-list, applied on save and again on display.

Minutes, press releases and every other rich-text field store HTML typed in an
editor; what reaches the database or a page is only what this module lets
through. Cleaning twice (on save and on display) means a row written by an old
version, an import or the admin can still not run a script on a page.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize(html: str) -> str:
    """``html`` with only the allowed tags, attributes and link schemes left."""
    if not html:
        return ""
    cleaned = nh3.clean(
        str(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # An editor's empty document is one empty paragraph: store it as nothing.
    return "" if cleaned.strip() in {"", "<p></p>", "<p><br></p>"} else cleaned


def sanitized_safe(html: str) -> SafeString:
    """``sanitize`` for a template: the cleaned HTML, marked safe to output."""
    return mark_safe(sanitize(html))  # noqa: S308 (cleaned by nh3 just above)
