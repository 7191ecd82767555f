"""Migrations, roles and the trigram extension on a real PostgreSQL server."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from prapp.roles import ROLE_PERMISSIONS, role_grants

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_suite_runs_on_postgresql_with_a_utf8_database():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_encoding_to_char(encoding), datctype FROM pg_database "
            "WHERE datname = current_database()"
        )
        encoding, ctype = cursor.fetchone()
    assert connection.settings_dict["NAME"].startswith("test_")
    assert (encoding, ctype) == ("UTF8", "C.UTF-8")


def test_every_migration_is_applied():
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    assert executor.migration_plan(targets) == []
    applied = executor.loader.applied_migrations
    assert ("prapp", "0002_roles_and_trigram") in applied


def test_the_trigram_extension_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchall() == [("pg_trgm",)]
        cursor.execute("SELECT show_trgm('tbilisi')")
        (trigrams,) = cursor.fetchone()
    assert "tbi" in trigrams


def test_the_five_roles_exist_with_their_permissions():
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions")}
    assert set(groups) == set(ROLE_PERMISSIONS)
    for role, group in groups.items():
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        assert held, f"{role} holds no permission"
        assert all(role_grants(role, perm) for perm in held)
    manager = {p.codename for p in groups["Manager"].permissions.all()}
    viewer = {p.codename for p in groups["Viewer"].permissions.all()}
    assert "view_auditentry" in manager
    assert "view_auditentry" not in viewer
    assert "access_app" in viewer
    assert viewer < manager
