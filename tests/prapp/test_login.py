"""Brute-force protection: a username from one address locks, never a whole address."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

PASSWORD = "a-long-test-password"


def _login(client, username, password, ip):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def _fail(client, username, ip, times):
    for _ in range(times):
        _login(client, username, "wrong-password", ip)


@pytest.mark.django_db
def test_real_login_lands_on_the_dashboard(client, make_user):
    make_user("nino", role="Editor")
    response = _login(client, "nino", PASSWORD, "10.0.0.1")
    assert response.status_code == 302
    assert response.url == reverse("reports:dashboard")


@pytest.mark.django_db
def test_username_from_one_address_is_locked_after_five_failures(
    client, make_user, settings
):
    make_user("nino", role="Editor")
    _fail(client, "nino", "10.0.0.1", settings.AXES_FAILURE_LIMIT)
    locked = _login(client, "nino", PASSWORD, "10.0.0.1")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_same_address_other_user_and_same_user_other_address_still_log_in(
    client, make_user, settings, django_user_model
):
    make_user("nino", role="Editor")
    make_user("giorgi", role="Editor")
    _fail(client, "nino", "10.0.0.1", settings.AXES_FAILURE_LIMIT)
    # A colleague behind the same ministry address is not affected…
    assert _login(client, "giorgi", PASSWORD, "10.0.0.1").status_code == 302
    client.logout()
    # …nor is the same person from another address.
    assert _login(client, "nino", PASSWORD, "10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_lock_ends_after_the_cool_off(client, make_user, settings):
    make_user("nino", role="Editor")
    _fail(client, "nino", "10.0.0.1", settings.AXES_FAILURE_LIMIT)
    assert _login(client, "nino", PASSWORD, "10.0.0.1").status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    assert _login(client, "nino", PASSWORD, "10.0.0.1").status_code == 302
