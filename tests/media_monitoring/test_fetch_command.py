"""python manage.py fetch_sources: pulls now, with a progress bar and a summary."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from media_monitoring import matching
from media_monitoring.models import Item, Source
from tests.media_monitoring.feedserver import ATOM_EN, RSS_KA, XXE, FeedServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


@pytest.fixture(autouse=True)
def _settings(settings, monkeypatch):
    settings.MONITORING_ALLOW_PRIVATE_ADDRESSES = True
    monkeypatch.setattr(
        matching, "items_match", lambda *, items, topics=None, fresh=False: []
    )
    with translation.override("en"):
        yield


@pytest.fixture
def sources(server):
    later = timezone.now() + timedelta(hours=1)
    return {
        "ka": Source.objects.create(
            name="Interpressnews",
            url=server.add("/ka.xml", body=RSS_KA, etag='"1"'),
            next_attempt_at=later,  # not due: the command pulls anyway
        ),
        "en": Source.objects.create(
            name="Civil", url=server.add("/en.xml", body=ATOM_EN)
        ),
        "bad": Source.objects.create(
            name="Hostile", url=server.add("/xxe.xml", body=XXE)
        ),
        "off": Source.objects.create(
            name="Switched off",
            url=server.add("/off.xml", body=RSS_KA),
            enabled=False,
        ),
    }


def _run(*args) -> str:
    out = StringIO()
    call_command("fetch_sources", *args, stdout=out)
    return out.getvalue()


def test_pulls_every_enabled_source(server, sources):
    output = _run()

    assert Item.objects.filter(source=sources["ka"]).count() == 3
    assert Item.objects.filter(source=sources["en"]).count() == 2
    assert server.hits("/off.xml") == 0
    assert "3/3 rows" in output  # the progress bar reached the end
    assert f"Hostile (#{sources['bad'].pk}): The feed declares XML entities" in output
    assert "Interpressnews (#" not in output
    assert "3 sources pulled: 5 new items, 0 unchanged, 1 failed." in output
    hostile = Source.objects.get(pk=sources["bad"].pk)
    assert hostile.consecutive_failures == 1


def test_second_run_counts_unchanged_sources(server, sources):
    _run()
    output = _run()
    assert "3 sources pulled: 0 new items, 1 unchanged, 1 failed." in output


def test_one_source(server, sources):
    output = _run("--source", str(sources["en"].pk))
    assert Item.objects.count() == 2
    assert server.hits("/ka.xml") == 0
    assert "1 source pulled: 2 new items, 0 unchanged, 0 failed." in output


def test_unknown_source():
    with pytest.raises(CommandError, match="There is no source number 999"):
        _run("--source", "999")


def test_disabled_source(sources):
    with pytest.raises(CommandError, match="is disabled"):
        _run("--source", str(sources["off"].pk))
    assert Item.objects.count() == 0


def test_no_sources():
    assert "0 sources pulled: 0 new items, 0 unchanged, 0 failed." in _run()
