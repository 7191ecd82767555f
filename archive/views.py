"""The archive's staff pages: the grid, upload, one asset, albums, appearances, storage.

Views only validate input and call archive.services (writes) and
archive.selectors (reads); each permission is checked here and again in the
service. Files are never served from MEDIA_URL: originals, renditions, press
copies and album ZIPs go out through the permission-checked views below.
"""

import hashlib
import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import (
    content_disposition_header,
    http_date,
    url_has_allowed_host_and_scheme,
)
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import TemplateView

from archive import processing, selectors, services
from archive.forms import (
    AlbumAssetsForm,
    AlbumFilterForm,
    AlbumForm,
    AppearanceFilterForm,
    AppearanceForm,
    AssetBulkForm,
    AssetFilterForm,
    AssetForm,
    AttachToEventForm,
    UploadForm,
)
from archive.models import Album, Asset, MediaAppearance
from archive.uploads import use_hashing_handler
from archive.zipstream import NameBook, ZipMember, file_chunks, zip_stream
from contacts.selectors import capped_count, keyset_page
from events.models import Event

APP = "archive.access_app"
READ = (APP, "archive.view_asset")
ALBUM_READ = (APP, "archive.view_album")
APPEARANCE_READ = (APP, "archive.view_mediaappearance")
ORIGINALS = "archive.download_original"
PAGER_PARAMS = ("after", "before")
COUNT_CAP = 10_000
STREAM_CHUNK = 256 * 1024
# Renditions change address when their file does (?v=…), so they may be kept.
RENDITION_CACHE = "private, max-age=86400"
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the fields it names (or on the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _flash_errors(request, *, form=None, exc=None) -> None:
    errors = list(exc.messages) if exc is not None else []
    if form is not None:
        errors += [e for field_errors in form.errors.values() for e in field_errors]
    for error in errors:
        messages.error(request, error)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next", "") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _filter_params(params) -> dict[str, list[str]]:
    """The grid's filters found in a query string, as lists (for urlencode)."""
    return {
        name: params.getlist(name)
        for name in selectors.ASSET_FILTERS
        if any(v.strip() for v in params.getlist(name))
    }


def _query(params: dict, **extra) -> str:
    merged = {**params, **{k: [v] for k, v in extra.items() if v}}
    return urlencode(merged, doseq=True)


class ArchiveMixin(PermissionRequiredMixin):
    """Every archive page: deny by default, and mark the sub-navigation's tab."""

    permission_required: tuple[str, ...] = READ
    active = "assets"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["active"] = self.active
        return context


class ArchivePostView(PermissionRequiredMixin, View):
    """A button that posts: no page of its own."""

    http_method_names = ["post"]


# --- The grid --------------------------------------------------------------------


def _tiles(assets, query: str) -> list[dict]:
    suffix = f"?{query}" if query else ""
    return [
        {
            "asset": asset,
            "thumb": selectors.rendition_url(asset, "s"),
            "url": f"{asset.get_absolute_url()}{suffix}",
        }
        for asset in assets
    ]


class IndexView(ArchiveMixin, TemplateView):
    """The thumbnail grid: filters, cross-script search, keyset pages, bulk changes."""

    template_name = "archive/index.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        user = self.request.user
        events = list(selectors.filter_events())
        albums = list(selectors.filter_albums())
        tags = list(selectors.filter_tags())
        form = AssetFilterForm(params or None, events=events, albums=albums, tags=tags)
        criteria = form.criteria()
        assets = selectors.assets_filtered(criteria)
        page = keyset_page(
            selectors.for_grid(assets),
            after=params.get("after", ""),
            before=params.get("before", ""),
            size=selectors.PAGE_SIZE,
        )
        pager = urlencode(criteria)
        cursor = {name: params[name] for name in PAGER_PARAMS if params.get(name)}
        detail_query = urlencode({**criteria, **cursor})
        bulk_form = None
        if user.has_perm("archive.change_asset"):
            bulk_form = AssetBulkForm(
                events=Event.objects.order_by("-starts_at", "-pk").only(
                    "pk", "title", "title_ka", "title_hy", "title_en", "starts_at"
                ),
                albums=albums,
                auto_id="bulk_%s",
            )
        return super().get_context_data(
            filter_form=form,
            filtered=bool(criteria),
            page=page,
            tiles=_tiles(page.rows, detail_query),
            count=capped_count(assets, COUNT_CAP) if page.rows else 0,
            count_cap=COUNT_CAP,
            pager_query=pager,
            bulk_form=bulk_form,
            can_upload=user.has_perm("archive.add_asset"),
            **kwargs,
        )


class AssetsBulkView(PermissionRequiredMixin, View):
    """Change the ticked assets of the grid at once."""

    permission_required = (*READ, "archive.change_asset")
    http_method_names = ["post"]

    def post(self, request):
        albums = list(selectors.filter_albums())
        form = AssetBulkForm(
            request.POST,
            events=Event.objects.order_by("-starts_at", "-pk"),
            albums=albums,
        )
        back = _safe_next(request, reverse("archive:index"))
        if not form.is_valid():
            _flash_errors(request, form=form)
            return redirect(back)
        assets = Asset.objects.filter(pk__in=form.cleaned_data["assets"])
        try:
            changed = services.assets_bulk_update(
                assets=assets, data=form.changes(), actor=request.user
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
            return redirect(back)
        messages.success(
            request,
            ngettext(
                "%(count)d asset was changed.",
                "%(count)d assets were changed.",
                changed,
            )
            % {"count": changed},
        )
        return redirect(back)


# --- Upload ----------------------------------------------------------------------


def _upload_result(result) -> dict:
    asset = result.asset
    return {
        "ok": True,
        "url": asset.get_absolute_url(),
        "title": str(asset),
        "duplicates": [
            {"url": other.get_absolute_url(), "title": str(other)}
            for other in result.duplicates
        ],
        "error": "",
    }


def _upload_error(name: str, exc: ValidationError) -> dict:
    return {
        "ok": False,
        "url": "",
        "title": name,
        "duplicates": [],
        "error": " ".join(exc.messages),
    }


@method_decorator(csrf_exempt, name="dispatch")
class UploadView(ArchiveMixin, TemplateView):
    """Upload one or many files; upload.js posts each in its own request (JSON).

    The CSRF check is made inside ``post`` (csrf_protect), after the hashing
    upload handler is installed: the middleware would read the body first, with
    the default handlers, and the SHA-256 would not be computed as it streams.
    """

    permission_required = (*READ, "archive.add_asset")
    template_name = "archive/upload.html"
    active = "upload"

    def get(self, request):
        return self.render_to_response(
            self.get_context_data(form=UploadForm(), results=[])
        )

    def post(self, request):
        use_hashing_handler(request)
        return csrf_protect(self._receive)(request)

    def _receive(self, request):
        form = UploadForm(request.POST)
        files = request.FILES.getlist("files") or request.FILES.getlist("file")
        as_json = _wants_json(request)
        if not form.is_valid():
            if as_json:
                errors = [e for errors in form.errors.values() for e in errors]
                return JsonResponse(
                    {"ok": False, "error": " ".join(errors), "duplicates": []},
                    status=400,
                )
            return self.render_to_response(self.get_context_data(form=form, results=[]))
        if not files:
            message = _("Choose at least one file.")
            if as_json:
                return JsonResponse(
                    {"ok": False, "error": message, "duplicates": []}, status=400
                )
            form.add_error("files", message)
            return self.render_to_response(self.get_context_data(form=form, results=[]))
        results = []
        for upload in files:
            try:
                result = services.asset_upload(
                    file=upload, actor=request.user, data=form.asset_data()
                )
            except ValidationError as exc:
                results.append(_upload_error(upload.name, exc))
            else:
                results.append(_upload_result(result))
        if as_json:
            first = results[0]
            payload = {**first, "results": results} if len(results) > 1 else first
            return JsonResponse(payload, status=200 if first["ok"] else 400)
        done = sum(1 for r in results if r["ok"])
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)d file was uploaded; it is being processed.",
                    "%(count)d files were uploaded; they are being processed.",
                    done,
                )
                % {"count": done},
            )
        return self.render_to_response(
            self.get_context_data(form=UploadForm(), results=results)
        )


# --- One asset -------------------------------------------------------------------


class AssetDetailView(ArchiveMixin, TemplateView):
    """One asset: preview, metadata, edit form, downloads, duplicates, neighbours."""

    template_name = "archive/asset_detail.html"

    def get_asset(self) -> Asset:
        if not hasattr(self, "_asset"):
            self._asset = selectors.asset_for_detail(self.kwargs["pk"])
        return self._asset

    def navigation(self, asset: Asset) -> dict:
        """Previous and next assets within the grid's filter, and the way back."""
        params = self.request.GET
        filters = _filter_params(params)
        newer, older = selectors.neighbours(selectors.assets_filtered(filters), asset)

        def link(other):
            if other is None:
                return ""
            query = _query(filters, after=selectors.cursor_at(other))
            return f"{other.get_absolute_url()}?{query}"

        cursor = {name: params[name] for name in PAGER_PARAMS if params.get(name)}
        back = reverse("archive:index")
        if query := _query(filters, **cursor):
            back = f"{back}?{query}"
        return {
            "newer_url": link(newer),
            "older_url": link(older),
            "grid_url": f"{back}#asset-{asset.pk}",
            "here_query": params.urlencode(),
        }

    def get_context_data(self, **kwargs):
        asset = self.get_asset()
        user = self.request.user
        can = {
            "can_change": user.has_perm("archive.change_asset"),
            "can_delete": user.has_perm("archive.delete_asset"),
            "can_download": user.has_perm(ORIGINALS),
        }
        cleared = asset.cleared_for_press
        # Photos are attached to a release from the release's page (the
        # pressreleases app sits above the archive); this page only says so.
        can["can_attach_release"] = cleared and user.has_perm(
            "pressreleases.change_pressrelease"
        )
        forms = {}
        if can["can_change"]:
            forms["form"] = AssetForm(asset=asset)
        if cleared and user.has_perm("events.add_eventattachment"):
            forms["press_kit_form"] = AttachToEventForm(
                initial={"event": asset.event_id, "title": str(asset)}
            )
        for name in list(forms):
            forms[name] = kwargs.pop(name, forms[name])
        renditions = {
            size: selectors.rendition_url(asset, size)
            for size in selectors.RENDITION_NAMES
        }
        return super().get_context_data(
            asset=asset,
            cleared=cleared,
            renditions=renditions,
            preview_url=renditions["l"] or renditions["m"] or renditions["poster"],
            duplicates=selectors.duplicates_of(asset),
            **self.navigation(asset),
            **can,
            **forms,
            **kwargs,
        )


class AssetUpdateView(AssetDetailView):
    """The edit form of the asset page: back to the page, or the page with errors."""

    permission_required = (*READ, "archive.change_asset")
    http_method_names = ["post"]

    def post(self, request, pk):
        asset = self.get_asset()
        form = AssetForm(request.POST, asset=asset)
        if form.is_valid():
            try:
                services.asset_update(
                    asset=asset, data=form.asset_data(), actor=request.user
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The asset was saved."))
                query = request.GET.urlencode()
                url = asset.get_absolute_url()
                return redirect(f"{url}?{query}" if query else url)
        return self.render_to_response(self.get_context_data(form=form))


class AssetDeleteView(ArchiveMixin, TemplateView):
    """Ask first: deleting an asset deletes its file and every rendition."""

    permission_required = (*READ, "archive.delete_asset")
    template_name = "archive/asset_confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        self.asset = get_object_or_404(Asset, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            asset=self.asset,
            album_count=self.asset.albums.count(),
            back_url=_safe_next(self.request, self.asset.get_absolute_url()),
            **kwargs,
        )

    def post(self, request, pk):
        name = str(self.asset)
        services.asset_delete(asset=self.asset, actor=request.user)
        messages.success(
            request, _("“%(name)s” was deleted with its files.") % {"name": name}
        )
        return redirect("archive:index")


class AssetReprocessView(ArchivePostView):
    """Make the thumbnails and read the metadata again (after a failure, say)."""

    permission_required = (*READ, "archive.change_asset")

    def post(self, request, pk):
        asset = get_object_or_404(Asset, pk=pk)
        try:
            services.asset_reprocess(asset=asset, actor=request.user)
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
        else:
            messages.success(request, _("The asset is being processed again."))
        return redirect(_safe_next(request, asset.get_absolute_url()))


def _open_original(asset: Asset):
    try:
        return asset.file.storage.open(asset.file.name, "rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404 from exc


class AssetOriginalView(PermissionRequiredMixin, View):
    """The original file, streamed, under its original name (RFC 5987)."""

    permission_required = (*READ, ORIGINALS)

    def get(self, request, pk):
        asset = get_object_or_404(Asset, pk=pk)
        response = FileResponse(
            _open_original(asset),
            as_attachment=True,
            filename=asset.original_name
            or f"{services.file_stem(asset)}.{asset.extension}",
            content_type=asset.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


def _ranged_chunks(handle, length: int):
    try:
        while length > 0:
            data = handle.read(min(STREAM_CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


class AssetStreamView(PermissionRequiredMixin, View):
    """The original of a video or a recording, inline, with byte ranges (seeking).

    For the page's <video> and <audio> players; needs the same permission as
    downloading the original.
    """

    permission_required = (*READ, ORIGINALS)

    def get(self, request, pk):
        asset = get_object_or_404(Asset, pk=pk)
        if asset.kind not in (Asset.Kind.VIDEO, Asset.Kind.AUDIO):
            raise Http404
        handle = _open_original(asset)
        size = asset.size
        content_type = asset.content_type or "application/octet-stream"
        match = _RANGE.match(request.headers.get("Range", "").strip())
        if match and size and any(match.groups()):
            first, last = match.groups()
            if first:
                start = int(first)
                end = min(int(last), size - 1) if last else size - 1
            else:
                start, end = max(0, size - int(last)), size - 1
            if start > end or start >= size:
                handle.close()
                response = HttpResponse(status=416)
                response["Content-Range"] = f"bytes */{size}"
                return response
            handle.seek(start)
            response = StreamingHttpResponse(
                _ranged_chunks(handle, end - start + 1),
                status=206,
                content_type=content_type,
            )
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Length"] = str(end - start + 1)
        else:
            response = FileResponse(handle, content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class AssetPressCopyView(PermissionRequiredMixin, View):
    """A JPEG for journalists with caption and credit embedded; cleared assets only."""

    permission_required = READ

    def get(self, request, pk):
        asset = get_object_or_404(Asset, pk=pk)
        if not asset.cleared_for_press:
            raise Http404
        try:
            data = processing.press_copy(asset)
        except (OSError, ValueError, ValidationError) as exc:
            raise Http404 from exc
        response = HttpResponse(data, content_type="image/jpeg")
        response["Content-Disposition"] = content_disposition_header(
            True, f"{services.file_stem(asset)}.jpg"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class RenditionView(PermissionRequiredMixin, View):
    """A thumbnail, a larger view or a video's poster frame (all JPEG)."""

    permission_required = READ

    def get(self, request, pk, size):
        if size not in selectors.RENDITION_NAMES:
            raise Http404
        asset = get_object_or_404(Asset.objects.only("pk", "renditions"), pk=pk)
        path = (asset.renditions or {}).get(size)
        if not path:
            raise Http404
        try:
            modified = default_storage.get_modified_time(path)
        except (NotImplementedError, OSError):
            modified = None
        tag = hashlib.sha256(f"{path}:{modified}".encode()).hexdigest()[:20]
        etag = f'"{tag}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            try:
                handle = default_storage.open(path, "rb")
            except (FileNotFoundError, OSError) as exc:
                raise Http404 from exc
            response = FileResponse(handle, content_type="image/jpeg")
        response["ETag"] = etag
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        response["Cache-Control"] = RENDITION_CACHE
        response["X-Content-Type-Options"] = "nosniff"
        return response


class AssetAttachEventView(ArchivePostView):
    """Add the asset's press copy to an event's files (its press kit)."""

    permission_required = (*READ, "events.add_eventattachment")

    def post(self, request, pk):
        from events.services import attachment_add

        asset = get_object_or_404(Asset, pk=pk)
        form = AttachToEventForm(request.POST)
        if not form.is_valid():
            _flash_errors(request, form=form)
            return redirect(asset)
        event = form.cleaned_data["event"]
        try:
            attachment_add(
                event=event,
                title=form.cleaned_data["title"] or str(asset),
                upload=services.press_copy_file(asset=asset),
                actor=request.user,
            )
        except ValidationError as exc:
            _flash_errors(request, exc=exc)
            return redirect(asset)
        messages.success(
            request,
            _("The press copy was added to the files of “%(event)s”.")
            % {"event": event},
        )
        return redirect(asset)


# --- Storage ---------------------------------------------------------------------


class StorageView(ArchiveMixin, TemplateView):
    """Space taken by the archive per year and per kind."""

    template_name = "archive/storage.html"
    active = "storage"

    def get_context_data(self, **kwargs):
        stats = selectors.storage_stats()
        return super().get_context_data(stats=stats, kinds=Asset.Kind.choices, **kwargs)


# --- Albums ----------------------------------------------------------------------


class AlbumListView(ArchiveMixin, TemplateView):
    """Albums, newest first, by event and words."""

    permission_required = ALBUM_READ
    template_name = "archive/album_list.html"
    active = "albums"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        events = list(selectors.filter_events())
        wanted = params.get("event", "")
        if wanted.isdigit() and all(event.pk != int(wanted) for event in events):
            # The event page links here before the event has an album.
            events += list(Event.objects.filter(pk=int(wanted)))
        form = AlbumFilterForm(params or None, events=events)
        criteria = form.criteria()
        page = keyset_page(
            selectors.albums_filtered(criteria),
            after=params.get("after", ""),
            before=params.get("before", ""),
            size=selectors.ALBUM_PAGE_SIZE,
        )
        rows = [
            {
                "album": album,
                "cover": selectors.rendition_url(album.cover, "s")
                if album.cover
                else "",
            }
            for album in page.rows
        ]
        return super().get_context_data(
            filter_form=form,
            filtered=bool(criteria),
            page=page,
            rows=rows,
            pager_query=urlencode(criteria),
            can_add=self.request.user.has_perm("archive.add_album"),
            **kwargs,
        )


class AlbumDetailView(ArchiveMixin, TemplateView):
    """An album: its event, description and the grid of its assets."""

    permission_required = ALBUM_READ
    template_name = "archive/album_detail.html"
    active = "albums"

    def get_context_data(self, **kwargs):
        album = selectors.album_for_detail(self.kwargs["pk"])
        params = self.request.GET
        user = self.request.user
        assets = selectors.album_assets(album)
        page = keyset_page(
            selectors.for_grid(assets),
            after=params.get("after", ""),
            before=params.get("before", ""),
            size=selectors.PAGE_SIZE,
        )
        filters = {"album": str(album.pk)}
        cursor = {name: params[name] for name in PAGER_PARAMS if params.get(name)}
        can_change = user.has_perm("archive.change_album")
        return super().get_context_data(
            album=album,
            page=page,
            tiles=_tiles(page.rows, urlencode({**filters, **cursor})),
            count=capped_count(assets, COUNT_CAP) if page.rows else 0,
            count_cap=COUNT_CAP,
            pager_query="",
            remove_form=AlbumAssetsForm(auto_id="bulk_%s") if can_change else None,
            can_change=can_change,
            can_delete=user.has_perm("archive.delete_album"),
            can_download=user.has_perm(ORIGINALS),
            grid_url=f"{reverse('archive:index')}?{urlencode(filters)}",
            **kwargs,
        )


class _AlbumFormView(ArchiveMixin, TemplateView):
    template_name = "archive/album_form.html"
    active = "albums"

    def render_form(self, form, **extra):
        return self.render_to_response(self.get_context_data(form=form, **extra))


class AlbumCreateView(_AlbumFormView):
    permission_required = (*ALBUM_READ, "archive.add_album")

    def get(self, request):
        initial = {}
        event = request.GET.get("event", "")
        if event.isdigit():
            initial["event"] = int(event)
        return self.render_form(AlbumForm(initial=initial))

    def post(self, request):
        form = AlbumForm(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            album = services.album_create(data=form.album_data(), actor=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form)
        messages.success(request, _("The album was created."))
        return redirect(album)


class AlbumUpdateView(_AlbumFormView):
    permission_required = (*ALBUM_READ, "archive.change_album")

    def dispatch(self, request, *args, **kwargs):
        self.album = get_object_or_404(Album, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render_form(AlbumForm(album=self.album), album=self.album)

    def post(self, request, pk):
        form = AlbumForm(request.POST, album=self.album)
        if not form.is_valid():
            return self.render_form(form, album=self.album)
        try:
            album = services.album_update(
                album=self.album, data=form.album_data(), actor=request.user
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form, album=self.album)
        messages.success(request, _("The album was saved."))
        return redirect(album)


class AlbumDeleteView(ArchiveMixin, TemplateView):
    """Ask first; the assets stay in the archive."""

    permission_required = (*ALBUM_READ, "archive.delete_album")
    template_name = "archive/album_confirm_delete.html"
    active = "albums"

    def dispatch(self, request, *args, **kwargs):
        self.album = get_object_or_404(Album, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            album=self.album, asset_count=self.album.assets.count(), **kwargs
        )

    def post(self, request, pk):
        title = str(self.album)
        services.album_delete(album=self.album, actor=request.user)
        messages.success(
            request,
            _("The album “%(title)s” was deleted; its assets stay in the archive.")
            % {"title": title},
        )
        return redirect("archive:album_list")


class AlbumAssetsRemoveView(ArchivePostView):
    """Take the ticked assets out of the album (they stay in the archive)."""

    permission_required = (*ALBUM_READ, "archive.change_album")

    def post(self, request, pk):
        album = get_object_or_404(Album, pk=pk)
        form = AlbumAssetsForm(request.POST)
        if not form.is_valid():
            _flash_errors(request, form=form)
            return redirect(album)
        assets = list(Asset.objects.filter(pk__in=form.cleaned_data["assets"]))
        services.album_remove_assets(album=album, assets=assets, actor=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d asset was taken out of the album.",
                "%(count)d assets were taken out of the album.",
                len(assets),
            )
            % {"count": len(assets)},
        )
        return redirect(album)


def _press_copy_chunks(asset: Asset):
    def read():
        try:
            return [processing.press_copy(asset)]
        except (OSError, ValueError, ValidationError) as exc:
            # No press copy: the large rendition as it is, or (OSError) nothing.
            path = (asset.renditions or {}).get("l")
            if not path:
                raise OSError(str(exc)) from exc
            with default_storage.open(path, "rb") as handle:
                return [handle.read()]

    return read


def album_zip_members(album: Album, user) -> list[ZipMember]:
    """What an album's ZIP holds for ``user``: originals, or press copies.

    With the right to download originals: every original under its own name.
    Without it: a press copy (JPEG, caption and credit embedded) of each asset
    cleared for the press that has a picture; nothing else.
    """
    assets = album.assets.order_by("uploaded_at", "id")
    originals = user.has_perm(ORIGINALS)
    if not originals:
        assets = selectors.cleared_for_press(assets)
    names = NameBook()
    members = []
    for asset in assets:
        if originals:
            storage, name = asset.file.storage, asset.file.name
            members.append(
                ZipMember(
                    name=names.claim(
                        asset.original_name
                        or f"{services.file_stem(asset)}.{asset.extension}"
                    ),
                    chunks=file_chunks(
                        lambda storage=storage, name=name: storage.open(name, "rb")
                    ),
                    size=asset.size,
                    modified=asset.taken_at or asset.uploaded_at,
                )
            )
        elif (asset.renditions or {}).get("l"):
            members.append(
                ZipMember(
                    name=names.claim(f"{services.file_stem(asset)}.jpg"),
                    chunks=_press_copy_chunks(asset),
                    modified=asset.taken_at or asset.uploaded_at,
                )
            )
    return members


class AlbumDownloadView(PermissionRequiredMixin, View):
    """The album as a ZIP, streamed as it is written (never whole in memory)."""

    permission_required = ALBUM_READ

    def get(self, request, pk):
        album = get_object_or_404(Album, pk=pk)
        members = album_zip_members(album, request.user)
        response = StreamingHttpResponse(
            zip_stream(members), content_type="application/zip"
        )
        name = NameBook().claim(str(album) or f"album-{album.pk}")
        response["Content-Disposition"] = content_disposition_header(
            True, f"{name}.zip"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# --- Media appearances -----------------------------------------------------------


class AppearanceListView(ArchiveMixin, TemplateView):
    """The head's appearances on TV, radio and online, latest first."""

    permission_required = APPEARANCE_READ
    template_name = "archive/appearance_list.html"
    active = "appearances"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        form = AppearanceFilterForm(
            params or None, outlets=selectors.appearance_outlets()
        )
        criteria = form.criteria()
        page = keyset_page(
            selectors.appearances_filtered(criteria),
            after=params.get("after", ""),
            before=params.get("before", ""),
            size=selectors.APPEARANCE_PAGE_SIZE,
        )
        return super().get_context_data(
            filter_form=form,
            filtered=bool(criteria),
            page=page,
            appearances=page.rows,
            pager_query=urlencode(criteria),
            can_add=self.request.user.has_perm("archive.add_mediaappearance"),
            **kwargs,
        )


class AppearanceDetailView(ArchiveMixin, TemplateView):
    permission_required = APPEARANCE_READ
    template_name = "archive/appearance_detail.html"
    active = "appearances"

    def get_context_data(self, **kwargs):
        appearance = selectors.appearance_for_detail(self.kwargs["pk"])
        user = self.request.user
        recording = appearance.recording
        return super().get_context_data(
            appearance=appearance,
            link=appearance.link
            if appearance.link.lower().startswith(("http://", "https://"))
            else "",
            recording_poster=selectors.rendition_url(recording, "poster")
            or selectors.rendition_url(recording, "m")
            if recording
            else "",
            can_view_assets=user.has_perm("archive.view_asset"),
            can_download=user.has_perm(ORIGINALS),
            can_change=user.has_perm("archive.change_mediaappearance"),
            can_delete=user.has_perm("archive.delete_mediaappearance"),
            **kwargs,
        )


class _AppearanceFormView(ArchiveMixin, TemplateView):
    template_name = "archive/appearance_form.html"
    active = "appearances"

    def render_form(self, form, **extra):
        return self.render_to_response(self.get_context_data(form=form, **extra))


class AppearanceCreateView(_AppearanceFormView):
    permission_required = (*APPEARANCE_READ, "archive.add_mediaappearance")

    def get(self, request):
        recording = None
        if (value := request.GET.get("recording", "")).isdigit():
            recording = Asset.objects.filter(pk=int(value)).first()
        initial = {"recording": recording.pk} if recording else {}
        return self.render_form(AppearanceForm(initial=initial, recording=recording))

    def post(self, request):
        form = AppearanceForm(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            appearance = services.appearance_create(
                data=form.appearance_data(), actor=request.user
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form)
        messages.success(request, _("The appearance was recorded."))
        return redirect(appearance)


class AppearanceUpdateView(_AppearanceFormView):
    permission_required = (*APPEARANCE_READ, "archive.change_mediaappearance")

    def dispatch(self, request, *args, **kwargs):
        self.appearance = get_object_or_404(MediaAppearance, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render_form(
            AppearanceForm(appearance=self.appearance), appearance=self.appearance
        )

    def post(self, request, pk):
        form = AppearanceForm(request.POST, appearance=self.appearance)
        if not form.is_valid():
            return self.render_form(form, appearance=self.appearance)
        try:
            appearance = services.appearance_update(
                appearance=self.appearance,
                data=form.appearance_data(),
                actor=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form, appearance=self.appearance)
        messages.success(request, _("The appearance was saved."))
        return redirect(appearance)


class AppearanceDeleteView(ArchiveMixin, TemplateView):
    permission_required = (*APPEARANCE_READ, "archive.delete_mediaappearance")
    template_name = "archive/appearance_confirm_delete.html"
    active = "appearances"

    def dispatch(self, request, *args, **kwargs):
        self.appearance = get_object_or_404(MediaAppearance, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(appearance=self.appearance, **kwargs)

    def post(self, request, pk):
        title = str(self.appearance)
        services.appearance_delete(appearance=self.appearance, actor=request.user)
        messages.success(
            request, _("The appearance “%(title)s” was deleted.") % {"title": title}
        )
        return redirect("archive:appearance_list")
