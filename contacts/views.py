"""The contacts staff UI: people, organisations, groups, lists, agreements, merges.

Views only validate input and call services (writes) and selectors (reads); the
permission is checked here and again in the service.
"""

import os
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from contacts import selectors, services
from contacts.forms import (
    AgreementForm,
    BulkActionForm,
    ContactListForm,
    DoNotContactForm,
    EmailFormSetFactory,
    GroupForm,
    InteractionForm,
    MergeForm,
    OptInForm,
    OptOutForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonFilterForm,
    PersonForm,
    PhoneFormSetFactory,
    SaveFilterForm,
    SocialHandleForm,
    inline_formset_helper,
)
from contacts.models import (
    Affiliation,
    ContactGroup,
    ContactList,
    Organisation,
    PartnerAgreement,
    Person,
    PersonEmail,
)
from contacts.phones import to_e164

PAGER_PARAMS = ("after", "before")


def _query_without(params, *names) -> str:
    """The query string of ``params`` minus some parameters (for pager links)."""
    copy = params.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (or the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ContactsMixin(PermissionRequiredMixin):
    """Every contacts page: deny by default, and mark the section for the tabs."""

    section = "people"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section"] = self.section
        return context


class ContactsPostView(PermissionRequiredMixin, View):
    """A form that only posts (a button on a page): no page of its own."""

    http_method_names = ["post"]


# --- People list -------------------------------------------------------------


class IndexView(ContactsMixin, TemplateView):
    """The people list: filters, cross-script search, keyset pages, bulk actions."""

    permission_required = ("contacts.access_app", "contacts.view_person")
    template_name = "contacts/person_list.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET
        form = PersonFilterForm(params or None)
        criteria = form.criteria()
        people = selectors.people_filtered(criteria, sort=form.chosen_sort)
        if criteria.get("q"):
            total_cap = selectors.SEARCH_COUNT_CAP
            people, total = selectors.narrowed_by_search(people, total_cap)
        else:
            total_cap = selectors.COUNT_CAP
            total = selectors.capped_count(people, total_cap)
        page = selectors.keyset_page(
            selectors.people_for_list_page(people),
            after=params.get("after", ""),
            before=params.get("before", ""),
            size=form.page_size,
        )
        filter_query = urlencode(selectors.person_filter_params(criteria))
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(
            filter_form=form,
            page=page,
            people=page.rows,
            total=total,
            total_cap=total_cap,
            filtered=bool(criteria),
            filter_query=filter_query,
            pager_query=_query_without(params, *PAGER_PARAMS),
            stale_before=selectors.stale_before(),
            can_edit=user.has_perm("contacts.change_person"),
            can_export=user.has_perm("contacts.export_contacts"),
        )
        if context["can_edit"]:
            context["bulk_form"] = BulkActionForm(
                initial={"filter_query": filter_query}
            )
        if criteria and user.has_perm("contacts.add_contactlist"):
            context["save_filter_form"] = SaveFilterForm(
                initial={"filter_query": filter_query}
            )
        return context


def _people_from_filter_query(filter_query: str):
    form = PersonFilterForm(QueryDict(filter_query))
    return selectors.people_filtered(form.criteria())


class PersonBulkView(ContactsPostView):
    """Apply one action to the chosen rows, or to everybody the filter matches."""

    permission_required = "contacts.change_person"

    def post(self, request):
        form = BulkActionForm(request.POST)
        back = reverse("contacts:index")
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(back + "?" + request.POST.get("filter_query", ""))
        data = form.cleaned_data
        back += "?" + data["filter_query"]
        if data["scope"] == "all":
            people = _people_from_filter_query(data["filter_query"])
        else:
            ids = [int(v) for v in request.POST.getlist("selected") if v.isdigit()]
            if not ids:
                messages.warning(request, _("Select at least one person first."))
                return redirect(back)
            people = Person.objects.filter(pk__in=ids)
        action, actor = data["action"], request.user
        list_actions = (
            BulkActionForm.Action.LIST_ADD,
            BulkActionForm.Action.LIST_REMOVE,
        )
        if action in list_actions and not actor.has_perm("contacts.change_contactlist"):
            raise PermissionDenied
        try:
            count = self._apply(action, data, people, actor)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(back)
        messages.success(
            request,
            ngettext(
                "Done: %(count)d person changed.",
                "Done: %(count)d people changed.",
                count,
            )
            % {"count": count},
        )
        return redirect(back)

    def _apply(self, action, data, people, actor) -> int:
        Action = BulkActionForm.Action
        if action == Action.GROUP_ADD:
            return services.group_add_people(
                group=data["group"], people=people, actor=actor
            )
        if action == Action.GROUP_REMOVE:
            return services.group_remove_people(
                group=data["group"], people=people, actor=actor
            )
        if action == Action.LIST_ADD:
            return services.contact_list_add_people(
                contact_list=data["contact_list"], people=people, actor=actor
            )
        if action == Action.LIST_REMOVE:
            return services.contact_list_remove_people(
                contact_list=data["contact_list"], people=people, actor=actor
            )
        return services.people_verify(people=people, actor=actor)


# --- One person --------------------------------------------------------------


class PersonDetailView(ContactsMixin, TemplateView):
    permission_required = "contacts.view_person"
    template_name = "contacts/person_detail.html"

    def get_context_data(self, **kwargs):
        person = selectors.person_for_detail(self.kwargs["pk"])
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(
            person=person,
            timeline=list(selectors.person_timeline(person)[:100]),
            stale_before=selectors.stale_before(),
            can_edit=user.has_perm("contacts.change_person"),
            can_clear_dnc=user.has_perm("contacts.clear_donotcontact"),
        )
        if context["can_edit"]:
            forms = {
                "interaction_form": (InteractionForm, "contacts:person_interaction"),
                "dnc_form": (DoNotContactForm, "contacts:person_dnc_set"),
                "opt_out_form": (OptOutForm, "contacts:person_opt_out"),
                "opt_in_form": (OptInForm, "contacts:person_opt_in"),
                "social_form": (SocialHandleForm, "contacts:person_social_add"),
            }
            for name, (form_class, url_name) in forms.items():
                form = form_class(prefix=name.removesuffix("_form"))
                form.helper.form_action = reverse(url_name, args=[person.pk])
                context[name] = form
        return context


def _formsets(data=None, person=None):
    emails_initial = phones_initial = None
    if person is not None:
        emails_initial = [
            {"email": e.email, "label": e.label, "is_primary": e.is_primary}
            for e in person.emails.all()
        ]
        phones_initial = [
            {"number": p.number, "kind": p.kind, "is_primary": p.is_primary}
            for p in person.phones.all()
        ]
    return (
        EmailFormSetFactory(data, prefix="emails", initial=emails_initial),
        PhoneFormSetFactory(data, prefix="phones", initial=phones_initial),
    )


class PersonFormMixin(ContactsMixin):
    template_name = "contacts/person_form.html"

    def render_form(self, form, emails, phones, **extra):
        context = self.get_context_data(
            form=form,
            emails_formset=emails,
            phones_formset=phones,
            formset_helper=inline_formset_helper(),
            **extra,
        )
        return render(self.request, self.template_name, context)


class PersonCreateView(PersonFormMixin, TemplateView):
    """Add a person; a possible duplicate must be confirmed before it is created."""

    permission_required = "contacts.add_person"

    def get(self, request):
        emails, phones = _formsets()
        return self.render_form(PersonForm(), emails, phones)

    def post(self, request):
        confirming = "confirm_duplicate" in request.POST
        form = PersonForm(request.POST, show_confirm=confirming)
        emails, phones = _formsets(request.POST)
        if not (form.is_valid() and emails.is_valid() and phones.is_valid()):
            return self.render_form(form, emails, phones)
        data = form.cleaned_data
        email_items, phone_items = emails.items(), phones.items()
        duplicates = list(
            selectors.possible_duplicates(
                first_name=data["first_name"],
                last_name=data["last_name"],
                emails=[e["email"] for e in email_items],
                phones=[p["number"] for p in phone_items],
            )
        )
        if duplicates and not data.get("confirm_duplicate"):
            form = PersonForm(request.POST, show_confirm=True)
            form.is_valid()
            return self.render_form(form, emails, phones, duplicates=duplicates)
        try:
            person = services.person_create(
                data=data,
                emails=email_items,
                phones=phone_items,
                organisation=data.get("organisation"),
                role=data.get("role", ""),
                groups=data.get("groups") or (),
                actor=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form, emails, phones)
        messages.success(request, _("%(name)s has been added.") % {"name": person})
        return redirect(person)


class PersonEditView(PersonFormMixin, TemplateView):
    permission_required = "contacts.change_person"

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(Person, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def get(self, request, pk):
        emails, phones = _formsets(person=self.person)
        return self.render_form(PersonForm(instance=self.person), emails, phones)

    def post(self, request, pk):
        form = PersonForm(request.POST, instance=self.person)
        emails, phones = _formsets(request.POST, person=self.person)
        if not (form.is_valid() and emails.is_valid() and phones.is_valid()):
            return self.render_form(form, emails, phones)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = services.person_update(
                    person=self.person,
                    data=data,
                    emails=emails.items(),
                    phones=phones.items(),
                    groups=data.get("groups") or [],
                    actor=request.user,
                )
                if data.get("organisation"):
                    services.affiliation_set(
                        person=person,
                        organisation=data["organisation"],
                        role=data.get("role", ""),
                        actor=request.user,
                    )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_form(form, emails, phones)
        messages.success(request, _("The changes have been saved."))
        return redirect(person)


class DuplicateCheckView(PermissionRequiredMixin, View):
    """The duplicate warning as an HTML fragment, for the create form's script."""

    permission_required = "contacts.add_person"

    def get(self, request):
        phones = []
        for raw in request.GET.getlist("phone"):
            try:
                phones.append(to_e164(raw))
            except ValidationError:
                continue
        duplicates = selectors.possible_duplicates(
            first_name=request.GET.get("first_name", "").strip(),
            last_name=request.GET.get("last_name", "").strip(),
            emails=[e.strip() for e in request.GET.getlist("email") if e.strip()],
            phones=phones,
        )
        return render(
            request,
            "contacts/includes/_duplicates.html",
            {"duplicates": list(duplicates), "live": True},
        )


class OrganisationSuggestView(PermissionRequiredMixin, View):
    """Organisation names matching what is typed, as JSON, for the name boxes."""

    permission_required = "contacts.view_organisation"

    def get(self, request):
        suggestions = selectors.organisation_suggestions(request.GET.get("q", ""))
        return JsonResponse({"results": suggestions})


class _PersonActionView(ContactsPostView):
    """A button on the person page that calls one service and comes back."""

    permission_required = "contacts.change_person"
    form_class = None
    prefix = None

    def post(self, request, pk):
        person = get_object_or_404(Person, pk=pk)
        form = (
            self.form_class(request.POST, prefix=self.prefix)
            if self.form_class
            else None
        )
        if form is not None and not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(person)
        try:
            message = self.act(person, form.cleaned_data if form else {})
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return redirect(person)
        messages.success(request, message)
        return redirect(_next_url(request, person.get_absolute_url()))


class PersonVerifyView(_PersonActionView):
    def act(self, person, data):
        services.person_verify(person=person, actor=self.request.user)
        return _("%(name)s is marked as verified today.") % {"name": person}


class PersonInteractionView(_PersonActionView):
    form_class = InteractionForm
    prefix = "interaction"

    def act(self, person, data):
        services.interaction_record(
            kind=data["kind"],
            summary=data["summary"],
            happened_at=data.get("happened_at"),
            person=person,
            actor=self.request.user,
        )
        return _("The entry has been added to the history.")


class PersonDoNotContactView(_PersonActionView):
    form_class = DoNotContactForm
    prefix = "dnc"

    def act(self, person, data):
        services.person_set_do_not_contact(
            person=person, reason=data["reason"], actor=self.request.user
        )
        return _("%(name)s will not be contacted.") % {"name": person}


class PersonClearDoNotContactView(_PersonActionView):
    permission_required = "contacts.clear_donotcontact"

    def act(self, person, data):
        services.person_clear_do_not_contact(person=person, actor=self.request.user)
        return _("%(name)s may be contacted again.") % {"name": person}


class PersonOptOutView(_PersonActionView):
    form_class = OptOutForm
    prefix = "opt_out"

    def act(self, person, data):
        services.person_record_opt_out(
            person=person, source=data["source"], actor=self.request.user
        )
        return _("%(name)s receives no more mailings.") % {"name": person}


class PersonOptInView(_PersonActionView):
    form_class = OptInForm
    prefix = "opt_in"

    def act(self, person, data):
        services.person_opt_in(
            person=person, evidence=data["evidence"], actor=self.request.user
        )
        return _("%(name)s receives mailings again.") % {"name": person}


class PersonSocialAddView(_PersonActionView):
    form_class = SocialHandleForm
    prefix = "social"

    def act(self, person, data):
        services.social_handle_add(
            person=person,
            network=data["network"],
            handle=data["handle"],
            actor=self.request.user,
        )
        return _("The account has been added.")


class EmailBounceView(ContactsPostView):
    permission_required = "contacts.change_person"

    def post(self, request, pk):
        email = get_object_or_404(PersonEmail.objects.select_related("person"), pk=pk)
        services.person_email_mark_bounced(
            email=email, reason=_("marked by staff"), actor=request.user
        )
        messages.success(
            request, _("%(email)s is marked as bounced.") % {"email": email.email}
        )
        return redirect(email.person)


class AffiliationRemoveView(ContactsPostView):
    permission_required = "contacts.change_person"

    def post(self, request, pk):
        affiliation = get_object_or_404(
            Affiliation.objects.select_related("person", "organisation"), pk=pk
        )
        person = affiliation.person
        services.affiliation_remove(affiliation=affiliation, actor=request.user)
        messages.success(request, _("The link to the organisation has been removed."))
        return redirect(_next_url(request, person.get_absolute_url()))


# --- Duplicates and merge ----------------------------------------------------


class DuplicateListView(ContactsMixin, TemplateView):
    permission_required = "contacts.merge_contacts"
    template_name = "contacts/duplicate_list.html"
    section = "duplicates"

    def get_context_data(self, **kwargs):
        groups = selectors.duplicate_people()
        return super().get_context_data(
            groups=[
                {"people": group, "ids": ",".join(str(p.pk) for p in group)}
                for group in groups
            ],
            **kwargs,
        )


class MergeView(ContactsMixin, TemplateView):
    """Choose the record to keep, confirm, and fold the others into it."""

    permission_required = "contacts.merge_contacts"
    template_name = "contacts/person_merge.html"
    section = "duplicates"

    def _people(self, raw: str):
        ids = [int(v) for v in raw.split(",") if v.strip().isdigit()]
        return selectors.people_for_merge(ids) if len(ids) > 1 else []

    def get(self, request):
        people = self._people(request.GET.get("ids", ""))
        form = None
        if len(people) > 1:
            form = MergeForm(
                people=people,
                initial={"ids": ",".join(str(p.pk) for p in people)},
            )
        return self.render_to_response(self.get_context_data(people=people, form=form))

    def post(self, request):
        people = self._people(request.POST.get("ids", ""))
        form = MergeForm(request.POST, people=people)
        if len(people) < 2 or not form.is_valid():
            return self.render_to_response(
                self.get_context_data(people=people, form=form)
            )
        keep = next(p for p in people if p.pk == form.cleaned_data["keep"])
        try:
            keep = services.people_merge(
                keep=keep,
                duplicates=[p for p in people if p.pk != keep.pk],
                actor=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.render_to_response(
                self.get_context_data(people=people, form=form)
            )
        messages.success(
            request, _("The records have been merged into %(name)s.") % {"name": keep}
        )
        return redirect(keep)


# --- Organisations -----------------------------------------------------------


class OrganisationListView(ContactsMixin, TemplateView):
    permission_required = "contacts.view_organisation"
    template_name = "contacts/organisation_list.html"
    section = "organisations"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        params = self.request.GET
        form = OrganisationFilterForm(params or None)
        filters = {}
        if form.is_valid():
            for name, value in form.cleaned_data.items():
                if value not in (None, "", False):
                    filters[name] = [str(getattr(value, "pk", value))]
        organisations = selectors.organisations_filtered(filters)
        page = Paginator(organisations, self.paginate_by).get_page(params.get("page"))
        user = self.request.user
        return super().get_context_data(
            filter_form=form,
            page_obj=page,
            organisations=page.object_list,
            is_paginated=page.has_other_pages(),
            query_string=_query_without(params, "page"),
            stale_before=selectors.stale_before(),
            can_add=user.has_perm("contacts.add_organisation"),
            can_edit=user.has_perm("contacts.change_organisation"),
            **kwargs,
        )


class OrganisationDetailView(ContactsMixin, TemplateView):
    permission_required = "contacts.view_organisation"
    template_name = "contacts/organisation_detail.html"
    section = "organisations"
    people_shown = 100

    def get_context_data(self, **kwargs):
        organisation = selectors.organisation_for_detail(self.kwargs["pk"])
        user = self.request.user
        affiliations = list(
            selectors.organisation_people(organisation)[: self.people_shown + 1]
        )
        return super().get_context_data(
            organisation=organisation,
            affiliations=affiliations[: self.people_shown],
            more_people=len(affiliations) > self.people_shown,
            timeline=list(selectors.organisation_timeline(organisation)[:50]),
            stale_before=selectors.stale_before(),
            can_edit=user.has_perm("contacts.change_organisation"),
            can_add_agreement=user.has_perm("contacts.add_partneragreement"),
            can_edit_agreement=user.has_perm("contacts.change_partneragreement"),
            **kwargs,
        )


class OrganisationCreateView(ContactsMixin, TemplateView):
    permission_required = "contacts.add_organisation"
    template_name = "contacts/organisation_form.html"
    section = "organisations"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def make_form(self, data=None):
        return OrganisationForm(data)

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    organisation = self.save(form.cleaned_data)
                    services.organisation_groups_set(
                        organisation=organisation,
                        groups=form.cleaned_data.get("groups") or [],
                        actor=request.user,
                    )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The organisation has been saved."))
                return redirect(organisation)
        return self.render_to_response(self.get_context_data(form=form))

    def save(self, data):
        return services.organisation_create(data=data, actor=self.request.user)


class OrganisationEditView(OrganisationCreateView):
    permission_required = "contacts.change_organisation"

    def dispatch(self, request, *args, **kwargs):
        self.organisation = get_object_or_404(Organisation, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)

    def make_form(self, data=None):
        return OrganisationForm(data, instance=self.organisation)

    def save(self, data):
        return services.organisation_update(
            organisation=self.organisation, data=data, actor=self.request.user
        )


class OrganisationVerifyView(ContactsPostView):
    permission_required = "contacts.change_organisation"

    def post(self, request, pk):
        organisation = get_object_or_404(Organisation, pk=pk)
        services.organisation_verify(organisation=organisation, actor=request.user)
        messages.success(
            request,
            _("%(name)s is marked as verified today.") % {"name": organisation},
        )
        return redirect(_next_url(request, organisation.get_absolute_url()))


# --- Partner agreements ------------------------------------------------------


class AgreementCreateView(ContactsMixin, TemplateView):
    permission_required = "contacts.add_partneragreement"
    template_name = "contacts/agreement_form.html"
    section = "organisations"

    def setup_objects(self):
        self.organisation = get_object_or_404(Organisation, pk=self.kwargs["pk"])
        self.agreement = None

    def dispatch(self, request, *args, **kwargs):
        self.kwargs = kwargs
        self.setup_objects()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation, agreement=self.agreement, **kwargs
        )

    def get(self, request, pk):
        form = AgreementForm(instance=self.agreement)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, pk):
        form = AgreementForm(request.POST, request.FILES, instance=self.agreement)
        if form.is_valid():
            data = form.cleaned_data
            document = data.get("document")
            if document is False:
                document = ""  # "clear" ticked: the agreement keeps no document
            elif not isinstance(document, UploadedFile):
                document = None
            try:
                self.save(data, document)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("The agreement has been saved."))
                return redirect(self.organisation)
        return self.render_to_response(self.get_context_data(form=form))

    def save(self, data, document):
        return services.agreement_create(
            organisation=self.organisation,
            data=data,
            document=document or None,
            actor=self.request.user,
        )


class AgreementEditView(AgreementCreateView):
    permission_required = "contacts.change_partneragreement"

    def setup_objects(self):
        self.agreement = get_object_or_404(
            PartnerAgreement.objects.select_related("organisation"),
            pk=self.kwargs["pk"],
        )
        self.organisation = self.agreement.organisation

    def save(self, data, document):
        return services.agreement_update(
            agreement=self.agreement,
            data=data,
            document=document,
            actor=self.request.user,
        )


class AgreementDownloadView(PermissionRequiredMixin, View):
    """The agreement's document, for those who may see it; never a public URL."""

    permission_required = "contacts.view_partneragreement"

    def get(self, request, pk):
        agreement = get_object_or_404(PartnerAgreement, pk=pk)
        if not agreement.document:
            raise Http404
        try:
            handle = agreement.document.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=os.path.basename(agreement.document.name),
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class AgreementExpiringView(ContactsMixin, TemplateView):
    permission_required = "contacts.view_partneragreement"
    template_name = "contacts/agreement_expiring.html"
    section = "agreements"
    within_days = 60

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            agreements=selectors.expiring_agreements(within_days=self.within_days),
            within_days=self.within_days,
            **kwargs,
        )


# --- Thematic groups ---------------------------------------------------------


class GroupListView(ContactsMixin, TemplateView):
    permission_required = "contacts.view_contactgroup"
    template_name = "contacts/group_list.html"
    section = "groups"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            groups=selectors.groups_with_counts(),
            can_add=self.request.user.has_perm("contacts.add_contactgroup"),
            **kwargs,
        )


class _MembersMixin:
    """Members of a group or list, as keyset pages of the people table."""

    def members_context(self, people):
        params = self.request.GET
        page = selectors.keyset_page(
            selectors.people_for_list_page(people),
            after=params.get("after", ""),
            before=params.get("before", ""),
            size=50,
        )
        return {
            "page": page,
            "people": page.rows,
            "total": people.count(),
            "pager_query": _query_without(params, *PAGER_PARAMS),
            "stale_before": selectors.stale_before(),
        }


class GroupDetailView(_MembersMixin, ContactsMixin, TemplateView):
    permission_required = "contacts.view_contactgroup"
    template_name = "contacts/group_detail.html"
    section = "groups"

    def get_context_data(self, **kwargs):
        group = get_object_or_404(ContactGroup, pk=self.kwargs["pk"])
        return super().get_context_data(
            group=group,
            organisations=group.organisations.order_by("name", "pk")[:100],
            can_edit=self.request.user.has_perm("contacts.change_contactgroup"),
            **self.members_context(selectors.group_members(group)),
            **kwargs,
        )


class _SimpleFormView(ContactsMixin, TemplateView):
    """Create or edit one record through a service: the shape of groups and lists."""

    form_class = None
    model = None
    detail_url_name = ""

    def get_object(self):
        if "pk" in self.kwargs:
            return get_object_or_404(self.model, pk=self.kwargs["pk"])
        return None

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.form_class(instance=self.object)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.form_class(request.POST, instance=self.object)
        if form.is_valid():
            try:
                saved = self.save(form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.detail_url_name, pk=saved.pk)
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)


class GroupCreateView(_SimpleFormView):
    permission_required = "contacts.add_contactgroup"
    template_name = "contacts/group_form.html"
    section = "groups"
    form_class = GroupForm
    model = ContactGroup
    detail_url_name = "contacts:group_detail"

    def save(self, data):
        return services.group_create(data=data, actor=self.request.user)


class GroupEditView(GroupCreateView):
    permission_required = "contacts.change_contactgroup"

    def save(self, data):
        return services.group_update(
            group=self.object, data=data, actor=self.request.user
        )


# --- Contact lists -----------------------------------------------------------


class ContactListListView(ContactsMixin, TemplateView):
    permission_required = "contacts.view_contactlist"
    template_name = "contacts/contactlist_list.html"
    section = "lists"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lists=selectors.contact_lists_with_counts(),
            can_add=self.request.user.has_perm("contacts.add_contactlist"),
            **kwargs,
        )


class ContactListDetailView(_MembersMixin, ContactsMixin, TemplateView):
    permission_required = "contacts.view_contactlist"
    template_name = "contacts/contactlist_detail.html"
    section = "lists"

    def get_context_data(self, **kwargs):
        contact_list = get_object_or_404(
            ContactList.objects.select_related("created_by"), pk=self.kwargs["pk"]
        )
        user = self.request.user
        smart = contact_list.kind == ContactList.Kind.SMART
        members = selectors.contact_list_members(contact_list)
        return super().get_context_data(
            contact_list=contact_list,
            smart=smart,
            criteria=selectors.criteria_described(contact_list.criteria)
            if smart
            else [],
            criteria_query=urlencode(
                selectors.person_filter_params(contact_list.criteria)
            ),
            can_edit=user.has_perm("contacts.change_contactlist"),
            can_export=user.has_perm("contacts.export_contacts"),
            **self.members_context(members),
            **kwargs,
        )


class ContactListCreateView(_SimpleFormView):
    permission_required = "contacts.add_contactlist"
    template_name = "contacts/contactlist_form.html"
    section = "lists"
    form_class = ContactListForm
    model = ContactList
    detail_url_name = "contacts:list_detail"

    def save(self, data):
        return services.contact_list_create(
            name=data["name"],
            description=data.get("description", ""),
            actor=self.request.user,
        )


class ContactListEditView(ContactListCreateView):
    permission_required = "contacts.change_contactlist"

    def save(self, data):
        return services.contact_list_update(
            contact_list=self.object, data=data, actor=self.request.user
        )


class ContactListSaveFilterView(ContactsPostView):
    """ "Save this filter as a list": a smart list of the people list's filter."""

    permission_required = "contacts.add_contactlist"

    def post(self, request):
        form = SaveFilterForm(request.POST)
        filter_query = request.POST.get("filter_query", "")
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(reverse("contacts:index") + "?" + filter_query)
        criteria = PersonFilterForm(QueryDict(filter_query)).criteria()
        if not criteria:
            messages.error(request, _("Choose at least one filter first."))
            return redirect("contacts:index")
        contact_list = services.contact_list_create(
            name=form.cleaned_data["name"],
            kind=ContactList.Kind.SMART,
            criteria=criteria,
            actor=request.user,
        )
        messages.success(request, _("The list has been saved."))
        return redirect(contact_list)


class ContactListRemoveMembersView(ContactsPostView):
    permission_required = "contacts.change_contactlist"

    def post(self, request, pk):
        contact_list = get_object_or_404(ContactList, pk=pk)
        ids = [int(v) for v in request.POST.getlist("selected") if v.isdigit()]
        if not ids:
            messages.warning(request, _("Select at least one person first."))
            return redirect(contact_list)
        count = services.contact_list_remove_people(
            contact_list=contact_list,
            people=Person.objects.filter(pk__in=ids),
            actor=request.user,
        )
        messages.success(
            request,
            ngettext(
                "%(count)d person removed from the list.",
                "%(count)d people removed from the list.",
                count,
            )
            % {"count": count},
        )
        return redirect(contact_list)
