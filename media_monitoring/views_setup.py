"""Monitoring set-up pages: the sources pulled, the topics matched, my subscriptions.

Views validate input and call media_monitoring.services (writes) or
media_monitoring.matching (preview and re-apply); each permission is checked
here and again in the service.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from media_monitoring import matching, services
from media_monitoring.forms_setup import SourceForm, SubscriptionsForm, TopicForm
from media_monitoring.models import ItemTopic, Source, Subscription, Topic
from media_monitoring.views import _apply_errors

APP = "media_monitoring.access_app"
PREVIEW_LIMIT = 50
LATEST_ITEMS = 20


class SetupMixin(PermissionRequiredMixin):
    """Every set-up page: app access at least, and the sub-navigation's tab."""

    permission_required: tuple[str, ...] = (APP,)
    active = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["active"] = self.active
        return context


class SetupPostView(SetupMixin, View):
    """A button that posts: no page of its own."""

    http_method_names = ["post"]


# --- Sources -------------------------------------------------------------------


def _sources_with_health():
    return Source.objects.select_related("outlet").annotate(item_count=Count("items"))


class SourceListView(SetupMixin, TemplateView):
    """Every source with its health at a glance; failing ones stand out."""

    permission_required = (APP, "media_monitoring.view_source")
    template_name = "media_monitoring/source_list.html"
    active = "sources"

    def get_context_data(self, **kwargs):
        sources = list(_sources_with_health().order_by("name", "pk"))
        return super().get_context_data(
            sources=sources,
            failing_count=sum(1 for s in sources if s.enabled and s.is_failing),
            can_add=self.request.user.has_perm("media_monitoring.add_source"),
            **kwargs,
        )


class SourceDetailView(SetupMixin, TemplateView):
    """One source: health, settings and the latest items pulled from it."""

    permission_required = (APP, "media_monitoring.view_source")
    template_name = "media_monitoring/source_detail.html"
    active = "sources"

    def get_context_data(self, **kwargs):
        source = get_object_or_404(_sources_with_health(), pk=self.kwargs["pk"])
        user = self.request.user
        # "source" stays loaded: the related manager reads it on every row,
        # and a deferred column would cost one query per item.
        items = list(
            source.items.order_by("-fetched_at", "-id")[:LATEST_ITEMS].only(
                "pk",
                "source",
                "title",
                "url",
                "language",
                "published_at",
                "fetched_at",
                "status",
            )
        )
        return super().get_context_data(
            source=source,
            items=items,
            can_change=user.has_perm("media_monitoring.change_source"),
            can_delete=user.has_perm("media_monitoring.delete_source"),
            **kwargs,
        )


class _SourceFormView(SetupMixin, TemplateView):
    template_name = "media_monitoring/source_form.html"
    active = "sources"

    def render_form(self, form, **extra):
        return self.render_to_response(self.get_context_data(form=form, **extra))


class SourceCreateView(_SourceFormView):
    permission_required = (APP, "media_monitoring.add_source")

    def get(self, request):
        return self.render_form(SourceForm())

    def post(self, request):
        form = SourceForm(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            source = services.source_create(data=form.source_data(), actor=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form)
        messages.success(
            request, _("The source was added; its first pull starts within a minute.")
        )
        return redirect(source)


class SourceUpdateView(_SourceFormView):
    permission_required = (APP, "media_monitoring.change_source")

    def dispatch(self, request, *args, **kwargs):
        self.source = get_object_or_404(Source, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render_form(SourceForm(instance=self.source), source=self.source)

    def post(self, request, pk):
        # A copy for the form: validation writes onto its instance.
        form = SourceForm(request.POST, instance=Source.objects.get(pk=pk))
        if not form.is_valid():
            return self.render_form(form, source=self.source)
        try:
            source = services.source_update(
                source=self.source, data=form.source_data(), actor=request.user
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form, source=self.source)
        messages.success(request, _("The source was saved."))
        return redirect(source)


class SourceDeleteView(SetupMixin, TemplateView):
    """Ask first: deleting a source deletes every item pulled from it."""

    permission_required = (APP, "media_monitoring.delete_source")
    template_name = "media_monitoring/source_confirm_delete.html"
    active = "sources"

    def dispatch(self, request, *args, **kwargs):
        self.source = get_object_or_404(Source, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            source=self.source, item_count=self.source.items.count(), **kwargs
        )

    def post(self, request, pk):
        name = self.source.name
        services.source_delete(source=self.source, actor=request.user)
        messages.success(
            request,
            _("The source “%(name)s” and its items were deleted.") % {"name": name},
        )
        return redirect("media_monitoring:source_list")


class SourcePullView(SetupPostView):
    """ "Pull now": the source becomes due at once and a worker pulls it."""

    permission_required = (APP, "media_monitoring.change_source")

    def post(self, request, pk):
        source = get_object_or_404(Source, pk=pk)
        try:
            services.source_pull_request(source=source, actor=request.user)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(
                request,
                _(
                    "The pull has been queued; new items appear here when the "
                    "worker has fetched the source."
                ),
            )
        return redirect(source)


# --- Topics --------------------------------------------------------------------


def _count_of(queryset):
    """A correlated COUNT(*) per topic: several counts without a row explosion."""
    counted = (
        queryset.filter(topic=OuterRef("pk"))
        .order_by()
        .values("topic")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class TopicListView(SetupMixin, TemplateView):
    """Topics with their terms, matches, followers, and whether I follow each."""

    permission_required = (APP, "media_monitoring.view_topic")
    template_name = "media_monitoring/topic_list.html"
    active = "topics"

    def get_context_data(self, **kwargs):
        user = self.request.user
        topics = Topic.objects.annotate(
            match_count=_count_of(ItemTopic.objects.all()),
            subscriber_count=_count_of(Subscription.objects.all()),
            followed=Exists(
                Subscription.objects.filter(topic=OuterRef("pk"), user=user)
            ),
        ).order_by("-active", "name", "pk")
        return super().get_context_data(
            topics=list(topics),
            can_add=user.has_perm("media_monitoring.add_topic"),
            **kwargs,
        )


class TopicDetailView(SetupMixin, TemplateView):
    """One topic: its terms and the items it matched most recently."""

    permission_required = (APP, "media_monitoring.view_topic")
    template_name = "media_monitoring/topic_detail.html"
    active = "topics"

    def get_context_data(self, **kwargs):
        user = self.request.user
        topic = get_object_or_404(
            Topic.objects.select_related("created_by").annotate(
                match_count=_count_of(ItemTopic.objects.all()),
                subscriber_count=_count_of(Subscription.objects.all()),
                followed=Exists(
                    Subscription.objects.filter(topic=OuterRef("pk"), user=user)
                ),
            ),
            pk=self.kwargs["pk"],
        )
        matches = list(
            topic.matches.select_related("item", "item__source").order_by(
                "-matched_at", "-pk"
            )[:LATEST_ITEMS]
        )
        return super().get_context_data(
            topic=topic,
            matches=matches,
            can_change=user.has_perm("media_monitoring.change_topic"),
            can_delete=user.has_perm("media_monitoring.delete_topic"),
            **kwargs,
        )


class _TopicFormView(SetupMixin, TemplateView):
    """Create or edit; the "Preview" button shows what would match, saving nothing."""

    template_name = "media_monitoring/topic_form.html"
    active = "topics"
    topic: Topic | None = None

    def render_form(self, form, **extra):
        return self.render_to_response(
            self.get_context_data(form=form, topic=self.topic, **extra)
        )

    def preview(self, form):
        items, total = matching.topic_preview(
            topic=form.unsaved_topic(), limit=PREVIEW_LIMIT
        )
        return self.render_form(
            form, preview_items=list(items), preview_total=total, previewed=True
        )

    def save(self, form) -> Topic:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        form = TopicForm(
            request.POST,
            instance=Topic.objects.get(pk=self.topic.pk) if self.topic else None,
        )
        if not form.is_valid():
            return self.render_form(form)
        if "preview" in request.POST:
            return self.preview(form)
        try:
            topic = self.save(form)
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form)
        return redirect(topic)


class TopicCreateView(_TopicFormView):
    permission_required = (APP, "media_monitoring.add_topic")

    def get(self, request):
        return self.render_form(TopicForm())

    def save(self, form) -> Topic:
        topic = services.topic_create(data=form.topic_data(), actor=self.request.user)
        messages.success(
            self.request,
            _(
                "The topic was added; new items are matched from now on. "
                "Re-apply it to find the stored ones."
            ),
        )
        return topic


class TopicUpdateView(_TopicFormView):
    permission_required = (APP, "media_monitoring.change_topic")

    def dispatch(self, request, *args, **kwargs):
        self.topic = get_object_or_404(Topic, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render_form(TopicForm(instance=self.topic))

    def save(self, form) -> Topic:
        topic = services.topic_update(
            topic=self.topic, data=form.topic_data(), actor=self.request.user
        )
        messages.success(self.request, _("The topic was saved."))
        return topic


class TopicDeleteView(SetupMixin, TemplateView):
    """Ask first: the topic's matches and subscriptions go with it (items stay)."""

    permission_required = (APP, "media_monitoring.delete_topic")
    template_name = "media_monitoring/topic_confirm_delete.html"
    active = "topics"

    def dispatch(self, request, *args, **kwargs):
        self.topic = get_object_or_404(Topic, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            topic=self.topic,
            match_count=self.topic.matches.count(),
            subscriber_count=self.topic.subscriptions.count(),
            **kwargs,
        )

    def post(self, request, pk):
        name = self.topic.name
        services.topic_delete(topic=self.topic, actor=request.user)
        messages.success(
            request, _("The topic “%(name)s” was deleted.") % {"name": name}
        )
        return redirect("media_monitoring:topic_list")


class TopicReapplyView(SetupPostView):
    """Match the topic against every stored item, and say how many it found."""

    permission_required = (APP, "media_monitoring.change_topic")

    def post(self, request, pk):
        topic = get_object_or_404(Topic, pk=pk)
        try:
            count = matching.topic_reapply(topic=topic, actor=request.user)
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return redirect(topic)
        messages.success(
            request,
            ngettext(
                "Re-applied to the stored items: %(count)s item newly matches.",
                "Re-applied to the stored items: %(count)s items newly match.",
                count,
            )
            % {"count": count},
        )
        return redirect(topic)


# --- My subscriptions ----------------------------------------------------------


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


class SubscriptionsView(SetupMixin, TemplateView):
    """The topics I follow in the daily digest; anyone with app access has one."""

    template_name = "media_monitoring/subscriptions.html"
    active = "subscriptions"

    def get_context_data(self, **kwargs):
        user = self.request.user
        language = user.language or settings.LANGUAGE_CODE
        return super().get_context_data(
            digest_time=settings.MONITORING_DIGEST_TIME,
            time_zone=settings.TIME_ZONE,
            digest_language=_language_name(language),
            digest_language_code=language,
            language_chosen=bool(user.language),
            **kwargs,
        )

    def get(self, request):
        followed = Subscription.objects.filter(user=request.user).values_list(
            "topic_id", flat=True
        )
        form = SubscriptionsForm(initial={"topics": list(followed)})
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request):
        form = SubscriptionsForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        # Only active topics are offered: an inactive one followed before stays
        # followed, so that it comes back when the topic is switched on again.
        kept = Topic.objects.filter(subscriptions__user=request.user, active=False)
        topics = [*form.cleaned_data["topics"], *kept]
        services.subscription_set(user=request.user, topics=topics, actor=request.user)
        messages.success(request, _("Your subscriptions were saved."))
        return redirect("media_monitoring:subscriptions")
