import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from prapp.audit import audit_record
from prapp.models import User
from prapp.roles import MANAGER


class Command(BaseCommand):
    help = "Create the first manager account if it does not exist, and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="manager")

    @transaction.atomic
    def handle(self, *args, username, **options):
        password_file = settings.VAR_DIR / "manager-password.txt"
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User(
                username=username,
                first_name="მენეჯერი",
                is_staff=True,
                language=settings.LANGUAGE_CODE,
                email=f"{username}@localhost",
            )
            user.set_password(password)
            user.full_clean()
            user.save()
            user.groups.add(Group.objects.get(name=MANAGER))
            audit_record(actor=None, action="prapp.user.created", target=user)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        elif password_file.exists():
            password = password_file.read_text().strip()
        else:
            password = "(unchanged; use `manage.py changepassword`)"  # noqa: S105
        self.stdout.write(
            self.style.SUCCESS(
                f"Manager login: username {username!r}, password {password!r}"
            )
        )
