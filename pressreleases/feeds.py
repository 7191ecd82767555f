"""RSS 2.0 and Atom feeds of the newsroom, one per language.

A feed holds the latest visible releases (``newsroom.public_releases``), each in
its version for the feed's language (or the fallback). The feed is built inside
``translation.override(language)`` so its title, tag names and ``language`` /
``xml:lang`` are those of the address.
"""

from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from pressreleases import newsroom
from pressreleases.models import Tag


class _Atom1Feed(Atom1Feed):
    """Atom that marks an entry shown in a fallback version with its xml:lang."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        language = item.get("content_language")
        if language and language != self.feed["language"]:
            attributes["xml:lang"] = language
        return attributes


class ReleasesRssFeed(Feed):
    """The latest visible releases of one language, as RSS 2.0."""

    feed_type = Rss201rev2Feed
    url_name = "newsroom:rss"

    def __call__(self, request, language):
        if language not in newsroom.newsroom_languages():
            raise Http404
        with translation.override(language):
            response = super().__call__(request, language=language)
        response["Content-Language"] = language
        return response

    def get_object(self, request, language):
        return language

    # --- The feed -----------------------------------------------------------

    def title(self, language):
        organisation = newsroom.organisation_name()
        return _("%(organisation)s: press releases") % {"organisation": organisation}

    def description(self, language):
        organisation = newsroom.organisation_name()
        return _("The latest press releases of %(organisation)s.") % {
            "organisation": organisation
        }

    def subtitle(self, language):
        return self.description(language)

    def link(self, language):
        return newsroom.site_url() + reverse("newsroom:list", args=[language])

    def feed_url(self, language):
        return newsroom.site_url() + reverse(self.url_name, args=[language])

    def author_name(self, language):
        return newsroom.organisation_name()

    def author_link(self, language):
        return newsroom.site_url() + reverse("newsroom:list", args=[language])

    def items(self, language):
        releases = list(
            newsroom.public_releases().prefetch_related(
                Prefetch("tags", queryset=Tag.objects.order_by("slug"))
            )[: newsroom.FEED_SIZE]
        )
        # Item methods see only the item: give each the feed's language version.
        for release in releases:
            release.feed_text = newsroom.release_text(release, language)
            release.feed_url = newsroom.release_url(release, language)
            release.feed_language = language
        return releases

    # --- One release --------------------------------------------------------

    def item_title(self, item):
        return item.feed_text.title

    def item_description(self, item):
        # Both formats read the description as HTML; the lead is plain text.
        return escape(item.feed_text.summary)

    def item_link(self, item):
        return item.feed_url

    def item_guid(self, item):
        """A tag URI (RFC 4151): stable when the slug or the site's paths change."""
        host = urlsplit(newsroom.site_url()).hostname or "localhost"
        day = timezone.localtime(item.created_at).date().isoformat()
        return f"tag:{host},{day}:newsroom/release/{item.pk}/{item.feed_language}"

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item.newsroom_date

    def item_updateddate(self, item):
        # A public release is not edited (editing sends it back to review), so
        # it changes when it becomes public.
        return item.newsroom_date

    def item_categories(self, item):
        return [str(tag.name) for tag in item.tags.all()]

    def item_extra_kwargs(self, item):
        return {"content_language": item.feed_text.language}


class ReleasesAtomFeed(ReleasesRssFeed):
    """The same releases as an Atom 1.0 feed."""

    feed_type = _Atom1Feed
    url_name = "newsroom:atom"
