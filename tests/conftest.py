import pytest
from django.contrib.auth.models import Group

from prapp.models import User
from prapp.roles import ROLE_PERMISSIONS


@pytest.fixture
def make_user(db):
    """Create a member of staff holding one role (or none)."""

    def make(username="user", role=None, language="ka", **extra):
        user = User.objects.create_user(
            username=username,
            password="a-long-test-password",
            language=language,
            email=f"{username}@example.ge",
            **extra,
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def manager(make_user):
    return make_user("manager", role="Manager", is_staff=True)


@pytest.fixture
def viewer(make_user):
    return make_user("viewer", role="Viewer")


@pytest.fixture(params=sorted(ROLE_PERMISSIONS))
def role_user(request, make_user):
    """One user per role, in turn."""
    return make_user(f"{request.param.lower()}-user", role=request.param)


@pytest.fixture(autouse=True)
def _captured_mail(settings):
    """Mail goes where it goes in the embedded mode: into the CapturedEmail table.

    (pytest-django would otherwise swap in Django's in-memory backend.)
    """
    settings.EMAIL_BACKEND = "prapp.mail.CapturedEmailBackend"


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path_factory):
    """Uploaded and generated files go to a temporary folder, never into var/.

    Not for the integration suite: its worker processes read MEDIA_ROOT from
    their own environment and must see the files the test wrote.
    """
    if "integration" in request.node.path.parts:
        return
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
