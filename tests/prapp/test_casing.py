"""Django's capfirst and |upper turn Georgian into Mtavruli; the project stops it."""

from django.template import Context, Template
from django.urls import reverse
from django.utils import text as django_text
from django.utils import translation

from prapp.text import contains_mtavruli, safe_capfirst


def test_django_capfirst_is_replaced_everywhere_it_was_imported():
    from django.db.models import fields as model_fields
    from django.forms import models as form_models

    assert django_text.capfirst is safe_capfirst
    assert model_fields.capfirst is safe_capfirst
    assert form_models.capfirst is safe_capfirst
    assert django_text.capfirst("ენა") == "ენა"


def test_template_filters_upper_and_capfirst_leave_georgian_alone():
    rendered = Template("{{ v|upper }}|{{ v|capfirst }}|{{ w|upper }}").render(
        Context({"v": "პრესრელიზი", "w": "press"})
    )
    assert rendered == "პრესრელიზი|პრესრელიზი|PRESS"


def test_model_form_label_in_georgian_has_no_mtavruli(db):
    from prapp.forms import ProfileForm

    with translation.override("ka"):
        labels = [str(field.label) for field in ProfileForm().fields.values()]
    assert labels
    assert not any(contains_mtavruli(label) for label in labels)


def test_login_and_admin_pages_in_georgian_have_no_mtavruli(client, manager):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ka")
    assert 'lang="ka"' in page.text
    assert not contains_mtavruli(page.text)
    client.force_login(manager)
    for url in [
        reverse("admin:index"),
        reverse("admin:prapp_user_changelist"),
        reverse("admin:prapp_user_change", args=[manager.pk]),
        reverse("admin:prapp_auditentry_changelist"),
        reverse("profile"),
    ]:
        html = client.get(url).text
        assert 'lang="ka"' in html, url
        assert not contains_mtavruli(html), url
