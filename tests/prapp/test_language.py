import pytest
from django.conf import settings
from django.urls import reverse

from prapp.models import AuditEntry


@pytest.mark.django_db
def test_default_language_is_the_deployments(client):
    page = client.get(reverse("login"))
    assert '<html lang="ka">' in page.text


@pytest.mark.django_db
def test_users_language_beats_cookie_and_browser(client, make_user):
    client.force_login(make_user("armen", role="Viewer", language="hy"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("reports:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="hy">' in page.text


@pytest.mark.django_db
def test_switcher_saves_the_choice_in_the_profile(client, make_user):
    user = make_user("nino", role="Editor", language="ka")
    client.force_login(user)
    response = client.post(
        reverse("set_language"), {"language": "hy", "next": reverse("contacts:index")}
    )
    assert response.status_code == 302
    assert response.url == reverse("contacts:index")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hy"
    user.refresh_from_db()
    assert user.language == "hy"
    assert AuditEntry.objects.filter(action="prapp.user.language_changed").exists()
    page = client.get(reverse("contacts:index"))
    assert '<html lang="hy">' in page.text


@pytest.mark.django_db
def test_switcher_works_before_login_with_a_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("login")).text


@pytest.mark.django_db
def test_switcher_refuses_foreign_redirects_and_unknown_languages(client, make_user):
    user = make_user("x", language="ka")
    client.force_login(user)
    response = client.post(
        reverse("set_language"), {"language": "ru", "next": "https://evil.example/"}
    )
    assert response.url == "/"
    user.refresh_from_db()
    assert user.language == "ka"
