"""Registration numbers: per year, from the local date, no gaps, configurable."""

import threading
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from inquiries import numbering
from inquiries.models import Request

from .conftest import local


@pytest.mark.django_db
def test_numbers_count_per_year_of_the_local_receipt_date(make_request):
    # 23:30 on 31 Dec 2025 in Tbilisi is still 2025 …
    old_year = make_request(received_at=datetime(2025, 12, 31, 19, 30, tzinfo=UTC))
    # … and 00:30 on 1 Jan 2026 is 2026, although UTC still says 31 December.
    first = make_request(received_at=datetime(2025, 12, 31, 20, 30, tzinfo=UTC))
    second = make_request(received_at=local(date(2026, 1, 5)))
    late_entry = make_request(received_at=local(date(2025, 11, 3)))
    assert (old_year.year, old_year.sequence, old_year.number) == (2025, 1, "2025/0001")
    assert (first.year, first.number) == (2026, "2026/0001")
    assert second.number == "2026/0002"
    # A letter from last year registered late continues last year's count.
    assert late_entry.number == "2025/0002"


@pytest.mark.django_db
def test_the_format_comes_from_the_setting(make_request, settings):
    settings.INQUIRIES_NUMBER_FORMAT = "PI-{year}-{sequence:05d}"
    request = make_request(received_at=local(date(2026, 3, 2)))
    assert request.number == "PI-2026-00001"
    assert numbering.number_render(year=2027, sequence=42) == "PI-2027-00042"


@pytest.mark.parametrize(
    "pattern", ["{year}", "{sequence}", "{year}/{seq}", "{year}/{sequence:q}", "plain"]
)
def test_an_unusable_format_falls_back_to_the_default(settings, pattern, caplog):
    settings.INQUIRIES_NUMBER_FORMAT = pattern
    assert numbering.number_render(year=2026, sequence=7) == "2026/0007"
    assert "INQUIRIES_NUMBER_FORMAT" in caplog.text


@pytest.mark.django_db
def test_a_refused_registration_leaves_no_gap(make_request):
    make_request(received_at=local(date(2026, 2, 2)))
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="text/plain")
    with pytest.raises(ValidationError):
        make_request(received_at=local(date(2026, 2, 3)), attachments=[bad])
    with pytest.raises(ValidationError):
        make_request(received_at=local(date(2026, 2, 3)), kind="no-such-kind")
    after = make_request(received_at=local(date(2026, 2, 4)))
    assert after.number == "2026/0002"
    assert list(
        Request.objects.order_by("sequence").values_list("sequence", flat=True)
    ) == [1, 2]


@pytest.mark.django_db
def test_a_taken_number_is_retried_with_the_next(make_request, monkeypatch):
    make_request(received_at=local(date(2026, 2, 2)))
    real = numbering.next_sequence
    calls = []

    def stale(year):
        # The first read is stale (another clerk took 1 meanwhile).
        calls.append(year)
        return 1 if len(calls) == 1 else real(year)

    monkeypatch.setattr(numbering, "next_sequence", stale)
    request = make_request(received_at=local(date(2026, 2, 3)))
    assert request.number == "2026/0002"
    assert len(calls) == 2


@pytest.fixture
def law_profiles(transactional_db):
    """A flushed database (transactional tests) keeps no data-migration rows."""
    from inquiries.law_profiles import law_profiles_seed

    law_profiles_seed()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers itself; run with the integration servers",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_numbers_without_gaps(
    law_profiles, make_request, editor
):
    errors = []
    start = threading.Barrier(6)

    def register():
        try:
            start.wait()
            make_request(actor=editor, received_at=local(date(2026, 5, 5)))
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(
        Request.objects.filter(year=2026).values_list("sequence", flat=True)
    )
    assert sequences == [1, 2, 3, 4, 5, 6]
