import pytest
from django.urls import reverse

from prapp import services
from prapp.audit import audit_record, diff, snapshot
from prapp.models import AuditEntry


@pytest.mark.django_db
def test_audit_record_keeps_who_what_and_target(manager):
    entry = audit_record(
        actor=manager,
        action="prapp.user.language_changed",
        target=manager,
        changes={"language": ["ka", "hy"]},
    )
    entry.refresh_from_db()
    assert entry.actor == manager
    assert entry.actor_name == str(manager)
    assert entry.target_type.model == "user"
    assert entry.target_id == str(manager.pk)
    assert entry.changes == {"language": ["ka", "hy"]}


@pytest.mark.django_db
def test_snapshot_and_diff_skip_passwords(manager):
    before = snapshot(manager)
    assert "password" not in before
    manager.first_name = "ნინო"
    assert diff(before, snapshot(manager)) == {"first_name": ["", "ნინო"]}


@pytest.mark.django_db
def test_profile_change_is_audited_with_its_changes(client, make_user):
    user = make_user("giorgi", role="Editor", language="ka")
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {
            "first_name": "გიორგი",
            "last_name": "კაპანაძე",
            "email": "g@example.ge",
            "language": "hy",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.first_name == "გიორგი" and user.language == "hy"
    entry = AuditEntry.objects.get(action="prapp.user.profile_changed")
    assert entry.actor == user
    assert entry.changes["language"] == ["ka", "hy"]
    assert entry.changes["first_name"] == ["", "გიორგი"]


@pytest.mark.django_db
def test_unchanged_profile_writes_no_audit_entry(make_user):
    user = make_user("tamar", language="ka")
    services.user_update_profile(
        user=user,
        changes={
            "first_name": "",
            "last_name": "",
            "email": user.email,
            "language": "ka",
        },
        actor=user,
    )
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_admin_change_is_audited(client, manager, make_user):
    colleague = make_user("levan", role="Archivist")
    client.force_login(manager)
    url = reverse("admin:prapp_user_change", args=[colleague.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "username": "levan",
            "first_name": "ლევან",
            "last_name": "წიკლაური",
            "email": "levan@example.ge",
            "language": "ka",
            "is_active": "on",
            "groups": [g.pk for g in colleague.groups.all()],
            "date_joined_0": colleague.date_joined.strftime("%d.%m.%Y"),
            "date_joined_1": colleague.date_joined.strftime("%H:%M:%S"),
        }
    )
    data.pop("password", None)
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="prapp.user.changed")
    assert entry.actor == manager
    assert entry.changes["first_name"] == ["", "ლევან"]


@pytest.mark.django_db
def test_audit_page_lists_entries_with_a_pinned_query_count(
    client, manager, django_assert_num_queries
):
    for number in range(30):
        audit_record(actor=manager, action=f"prapp.test.{number}", target=manager)
    client.force_login(manager)
    # session, user, permissions (2), count, page of entries with actor and type
    with django_assert_num_queries(6):
        response = client.get(reverse("audit"))
    assert "prapp.test.29" in response.text
    filtered = client.get(reverse("audit"), {"action": "prapp.test.1"})
    assert "prapp.test.12" in filtered.text
    assert "prapp.test.29" not in filtered.text


def test_audit_entries_cannot_be_edited_in_admin(client, manager, db):
    entry = audit_record(actor=manager, action="prapp.x", target=manager)
    client.force_login(manager)
    change = reverse("admin:prapp_auditentry_change", args=[entry.pk])
    response = client.post(change, {"action": "forged"})
    entry.refresh_from_db()
    assert entry.action == "prapp.x"
    assert response.status_code in (200, 403)
    assert client.get(reverse("admin:prapp_auditentry_add")).status_code == 403
