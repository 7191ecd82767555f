from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

ROLES = ["Manager", "Editor", "Monitor", "Archivist", "Viewer"]


def create_roles(apps, schema_editor):
    """The five roles exist from the first migration; post_migrate fills their permissions."""
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("prapp", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        # A no-op on SQLite; on PostgreSQL the search keys get trigram indexes.
        TrigramExtension(),
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
