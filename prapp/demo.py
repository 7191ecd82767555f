"""Demo staff for `seed_demo`: a department of the kind the seeds describe."""

from django.contrib.auth.models import Group
from django.db import transaction

from prapp.audit import audit_record
from prapp.models import User
from prapp.roles import ARCHIVIST, EDITOR, MANAGER, MONITOR, VIEWER

STAFF = [
    # username, first name, last name, language, role
    ("nino.beridze", "ნინო", "ბერიძე", "ka", MANAGER),
    ("giorgi.kapanadze", "გიორგი", "კაპანაძე", "ka", EDITOR),
    ("tamar.lomidze", "თამარ", "ლომიძე", "ka", MONITOR),
    ("levan.tsiklauri", "ლევან", "წიკლაური", "ka", ARCHIVIST),
    ("anna.hakobyan", "Աննա", "Հակոբյան", "hy", EDITOR),
    ("armen.sargsyan", "Արմեն", "Սարգսյան", "hy", VIEWER),
    ("sarah.miller", "Sarah", "Miller", "en", VIEWER),
]


@transaction.atomic
def seed_staff() -> int:
    """Create the demo staff once; later runs add nothing. Return how many are new."""
    created = 0
    for username, first, last, language, role in STAFF:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "language": language,
                "email": f"{username}@pr.example.ge",
                "is_staff": role == MANAGER,
            },
        )
        if was_created:
            # Demo colleagues sign in only once a manager sets their password.
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role))
            audit_record(actor=None, action="prapp.user.created", target=user)
            created += 1
    return created
