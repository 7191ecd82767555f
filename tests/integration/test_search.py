"""Cross-script search keys, trigrams and the LC_CTYPE check on PostgreSQL."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core import checks
from django.db import connection
from django.db.migrations.state import ProjectState

from prapp.db import AddTrigramIndex
from prapp.models import User
from prapp.text import search_key, search_q

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]

NAMES = {
    "ka-city": "თბილისი",
    "ka-person": "გიორგი ბერიძე",
    "hy-city": "Երևան",
    "hy-person": "Արամ Պետրոսյան",
    "en-person": "Anna Smith",
}


@pytest.fixture
def keyed_users(db):
    """Users whose first name is the text and last name its search key."""
    for username, name in NAMES.items():
        User.objects.create(
            username=username, first_name=name, last_name=search_key(name)
        )


def found(query: str) -> set[str]:
    return set(
        User.objects.filter(search_q("last_name", query)).values_list(
            "username", flat=True
        )
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tbilisi", {"ka-city"}),
        ("TBILISI", {"ka-city"}),
        ("ᲗᲑᲘᲚᲘᲡᲘ", {"ka-city"}),  # Mtavruli capitals
        ("giorgi beridze", {"ka-person"}),
        ("Beridze", {"ka-person"}),
        ("yerevan", {"hy-city"}),
        ("ԵՐԵՎԱՆ", {"hy-city"}),
        ("Երեւան", {"hy-city"}),  # the two-letter spelling of և
        ("aram petrosyan", {"hy-person"}),
        ("ԱՐԱՄ ՊԵՏՐՈՍՅԱՆ", {"hy-person"}),
        ("petros", {"hy-person"}),
        ("გიორგი", {"ka-person"}),
        ("smith", {"en-person"}),
        ("an", {"en-person", "hy-city", "hy-person"}),
        ("tbilisi yerevan", set()),
    ],
)
def test_search_key_finds_every_script_on_postgresql(keyed_users, query, expected):
    assert found(query) == expected


def test_raw_text_search_does_not_cross_scripts(keyed_users):
    # Why the key exists: PostgreSQL cannot match a Latin query to Georgian.
    assert not User.objects.filter(first_name__icontains="tbilisi").exists()
    assert found("tbilisi") == {"ka-city"}


def connect(dbname: str):
    """A plain psycopg2 connection in autocommit to a database of the test server."""
    settings = connection.settings_dict
    conn = psycopg2.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"],
        dbname=dbname,
    )  # fmt: skip
    conn.autocommit = True
    return conn


@pytest.fixture
def c_ctype_database(transactional_db):
    """The name of a second database whose LC_CTYPE is C, dropped afterwards."""
    name = f"probe_c_{uuid.uuid4().hex[:8]}"
    admin = connect(connection.settings_dict["NAME"])
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C' LC_CTYPE 'C'"
            )
        probe = connect(name)
        with probe, probe.cursor() as cursor:
            cursor.execute("CREATE EXTENSION pg_trgm")
        probe.close()
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def show_trgm(dbname: str, text: str) -> list[str]:
    conn = connect(dbname)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT current_setting('lc_ctype'), show_trgm(%s)", [text])
            ctype, trigrams = cursor.fetchone()
    finally:
        conn.close()
    assert ctype == ("C" if dbname.startswith("probe_c") else "C.UTF-8")
    return trigrams


def test_trigrams_of_georgian_need_a_utf8_ctype_but_keys_never_do(
    c_ctype_database,
):
    test_database = connection.settings_dict["NAME"]
    # Under LC_CTYPE C every Georgian letter is a non-letter: no trigrams at all.
    assert show_trgm(c_ctype_database, "თბილისი") == []
    assert len(show_trgm(test_database, "თბილისი")) >= 5
    # The ASCII key has the same trigrams whatever the ctype.
    key = search_key("თბილისი")
    assert key == "tbilisi"
    in_c = show_trgm(c_ctype_database, key)
    assert in_c == show_trgm(test_database, key)
    assert {"tbi", "bil", "isi"} <= set(in_c)


def run_check(dbname: str) -> subprocess.CompletedProcess:
    """``manage.py check --database default`` with the default database at dbname."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "prapp.settings.integration",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{dbname}",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--database", "default",
         "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_ctype_check_warns_on_a_c_database_only(c_ctype_database):
    on_c = run_check(c_ctype_database)
    assert on_c.returncode == 1, on_c.stdout + on_c.stderr
    assert "prapp.W001" in on_c.stderr
    # The message is in the office language; the database's name is in any.
    assert "(prapp.W001) " in on_c.stderr
    assert c_ctype_database in on_c.stderr

    on_utf8 = run_check(connection.settings_dict["NAME"])
    assert on_utf8.returncode == 0, on_utf8.stdout + on_utf8.stderr
    assert "prapp.W001" not in on_utf8.stdout + on_utf8.stderr
    # In process too, through the registry the check is registered in.
    messages = checks.run_checks(databases=["default"], tags=[checks.Tags.database])
    assert "prapp.W001" not in {m.id for m in messages}


@pytest.mark.django_db
def test_add_trigram_index_creates_a_gin_index_that_search_uses(keyed_users):
    operation = AddTrigramIndex(
        model_name="user", field="last_name", name="integration_user_key_trgm"
    )
    state = ProjectState.from_apps(User._meta.apps)

    def index_definition():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                [operation.name],
            )
            row = cursor.fetchone()
        return row[0] if row else None

    assert index_definition() is None
    with connection.schema_editor() as editor:
        operation.database_forwards("prapp", editor, state, state)
    definition = index_definition()
    assert definition is not None
    assert "USING gin (last_name gin_trgm_ops)" in definition
    assert "prapp_user" in definition

    # The index serves the LIKE '%…%' that search_q produces.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = User.objects.filter(search_q("last_name", "tbilisi")).explain()
    assert operation.name in plan

    with connection.schema_editor() as editor:
        operation.database_backwards("prapp", editor, state, state)
    assert index_definition() is None
