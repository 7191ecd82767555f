"""The activity report's figures, computed again by hand from a small world.

``build_world`` makes a few months of work across every app (releases and
their deliveries, events with invitations, accreditations, monitoring items
and citizens' messages, archive files, contacts, inquiries), with moments
close to midnight on the edges of the periods. ``expected`` counts the same
figures the slow and obvious way, from the rows as Python objects; the tests
compare it with ``activity_report``.
"""

import random
import statistics as pystats
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import count

import pytest
from django.utils import timezone

from archive.models import Asset
from contacts.models import Organisation, Person
from events.models import Accreditation, Event, EventType, Invitation
from inquiries.models import Kind, LawProfile, RefusalGround, Request
from media_monitoring.models import Item, ItemTopic, Topic
from pressreleases.models import Delivery, Distribution, PressRelease
from reports.activity import activity_compare, activity_report

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))
WINDOW_START, WINDOW_DAYS = date(2026, 1, 20), 80
_numbers = count(1)


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A local moment (Asia/Tbilisi in the tests)."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# Moments on both sides of the midnights that start and end the periods: in
# UTC each is on another day than in Tbilisi.
EDGES = [
    local(date(2026, 2, 28), 23, 50),
    local(date(2026, 3, 1), 0, 10),
    local(date(2026, 3, 31), 23, 50),
    local(date(2026, 4, 1), 0, 10),
    local(date(2026, 1, 31), 23, 50),
    local(date(2026, 2, 1), 0, 10),
]


def _moment(rng: random.Random) -> datetime:
    if rng.random() < 0.15:
        return rng.choice(EDGES)
    day = WINDOW_START + timedelta(days=rng.randrange(WINDOW_DAYS))
    return local(day, rng.randrange(24), rng.randrange(60))


def _maybe(rng, value, chance=0.5):
    return value if rng.random() < chance else None


@dataclass
class World:
    """Everything build_world made, as the database holds it."""

    releases: list = field(default_factory=list)
    distributions: dict = field(default_factory=dict)
    deliveries: list = field(default_factory=list)
    events: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    accreditations: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    items: list = field(default_factory=list)
    matches: list = field(default_factory=list)
    assets: list = field(default_factory=list)
    people: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    requests: list = field(default_factory=list)


def _set(model_object, **values):
    """Write fields Django fills itself (auto_now_add) and keep the object true."""
    type(model_object).objects.filter(pk=model_object.pk).update(**values)
    for name, value in values.items():
        setattr(model_object, name, value)


def _contacts(world: World, rng) -> None:
    for n in range(30):
        person = Person.objects.create(first_name=f"ნინო {n}", last_name="ბერიძე")
        _set(
            person,
            created_at=_moment(rng),
            last_verified_at=_maybe(rng, _moment(rng), 0.4),
        )
        world.people.append(person)
    for n in range(12):
        organisation = Organisation.objects.create(
            name=f"არასამთავრობო ორგანიზაცია {n}", kind=Organisation.Kind.NGO
        )
        _set(
            organisation,
            created_at=_moment(rng),
            last_verified_at=_maybe(rng, _moment(rng), 0.5),
        )
        world.organisations.append(organisation)


def _releases(world: World, rng, author) -> None:
    R, D, S = PressRelease.Status, Distribution.Status, Delivery.Status
    for n in range(24):
        published_at = _maybe(rng, _moment(rng), 0.6)
        release = PressRelease.objects.create(
            author=author,
            title=f"პრესრელიზი {n}",
            title_ka=f"პრესრელიზი {n}",
            status=rng.choice(R.values),
            published_at=published_at,
        )
        _set(release, created_at=_moment(rng))
        world.releases.append(release)
        for _distribution in range(rng.randrange(3)):
            status = rng.choice(D.values)
            over = status in (D.DONE, D.CANCELLED)
            distribution = Distribution.objects.create(
                release=release,
                created_by=author,
                status=status,
                scheduled_for=_moment(rng),
                finished_at=_moment(rng) if over else None,
            )
            world.distributions[distribution.pk] = distribution
            for _recipient in range(rng.randrange(6)):
                status = rng.choice(S.values)
                world.deliveries.append(
                    Delivery.objects.create(
                        distribution=distribution,
                        release=release,
                        email=f"reader{next(_numbers)}@example.ge",
                        language="ka",
                        status=status,
                        not_before=distribution.scheduled_for,
                        sent_at=distribution.scheduled_for
                        if status == S.SENT
                        else None,
                    )
                )


def _events(world: World, rng) -> None:
    types = list(EventType.objects.all())
    for n in range(40):
        event_type = rng.choice(types)
        starts_at = _moment(rng)
        event = Event.objects.create(
            event_type=event_type,
            title=f"ღონისძიება {n}",
            status=rng.choice(Event.Status.values),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            # Filled now and then on a type that does not count visitors too:
            # the report must not add those up.
            people_received=_maybe(rng, rng.randrange(1, 60), 0.7),
            effectiveness=_maybe(rng, rng.randrange(1, 6), 0.6),
        )
        world.events.append(event)
        for person in rng.sample(world.people, rng.randrange(5)):
            world.invitations.append(
                Invitation.objects.create(
                    event=event,
                    person=person,
                    response=rng.choice(Invitation.Response.values),
                    attended_at=_maybe(rng, starts_at, 0.4),
                )
            )
    for n in range(15):
        on_event = rng.random() < 0.7
        accreditation = Accreditation.objects.create(
            event=rng.choice(world.events) if on_event else None,
            valid_from=None if on_event else date(2026, 3, 1),
            valid_until=None if on_event else date(2026, 6, 30),
            full_name=f"ჟურნალისტი {n}",
            outlet="ინტერპრესნიუსი",
            role=Accreditation.Role.REPORTER,
            email=f"journalist{n}@example.ge",
            status=rng.choice(Accreditation.Status.values),
        )
        _set(accreditation, submitted_at=_moment(rng))
        world.accreditations.append(accreditation)


def _monitoring(world: World, rng) -> None:
    world.topics = [
        Topic.objects.create(name=name, include_terms=name)
        for name in ("ბიუჯეტი", "ტრანსპორტი", "Armenian community")
    ]
    for n in range(60):
        kind = rng.choice(Item.Kind.values)
        fetched_at = _moment(rng)
        due = responded = None
        if kind == Item.Kind.SOCIAL:
            due = _maybe(rng, fetched_at + timedelta(hours=24), 0.85)
            responded = _maybe(
                rng, fetched_at + timedelta(hours=rng.randrange(1, 60)), 0.7
            )
        item = Item.objects.create(
            kind=kind,
            title=f"სიახლე {n}",
            fetched_at=fetched_at,
            status=rng.choice(Item.Status.values),
            sentiment=rng.choice([*Item.Sentiment.values, ""]),
            response_due_at=due,
            responded_at=responded,
        )
        world.items.append(item)
        for topic in rng.sample(world.topics, rng.randrange(3)):
            world.matches.append(ItemTopic.objects.create(item=item, topic=topic))


def _archive(world: World, rng) -> None:
    for n in range(30):
        kind = rng.choice(Asset.Kind.values)
        world.assets.append(
            Asset.objects.create(
                kind=kind,
                file=f"archive/originals/2026/03/{n}.bin",
                original_name=f"file-{n}.bin",
                extension="bin",
                content_type="application/octet-stream",
                size=rng.randrange(10_000, 3_000_000_000),
                sha256=f"{n:064x}",
                state=rng.choice(Asset.State.values),
                uploaded_at=_moment(rng),
            )
        )


def _inquiries(world: World, rng) -> None:
    profile = LawProfile.objects.get(code="ge")
    ground = RefusalGround.objects.filter(profile=profile).first()
    S = Request.Status
    for _n in range(20):
        received_at = _moment(rng)
        sequence = next(_numbers)
        due_on = timezone.localdate(received_at) + timedelta(days=10)
        status = rng.choice(S.values)
        closed = status in Request.CLOSED_STATUSES
        answered_at = (
            received_at + timedelta(days=rng.randrange(1, 20)) if closed else None
        )
        world.requests.append(
            Request.objects.create(
                year=received_at.year,
                sequence=sequence,
                number=f"T{received_at.year}/{sequence:05d}",
                kind=Kind.PUBLIC_INFORMATION,
                channel=Request.Channel.EMAIL,
                requester_name="ნინო ბერიძე",
                subject="ბიუჯეტის შესრულება",
                text="გთხოვთ მოგვაწოდოთ ინფორმაცია.",
                received_at=received_at,
                law_profile=profile,
                due_on=due_on,
                original_due_on=due_on,
                status=status,
                answered_at=answered_at,
                refusal_ground=ground if status == S.REFUSED else None,
            )
        )


def build_world(author, *, seed: int = 8) -> World:
    """A few months of the department's work, January to April 2026."""
    rng = random.Random(seed)
    world = World()
    _contacts(world, rng)
    _releases(world, rng, author)
    _events(world, rng)
    _monitoring(world, rng)
    _archive(world, rng)
    _inquiries(world, rng)
    return world


def expected(world: World, start: date, end: date) -> dict:
    """The report's figures again, from the objects, one obvious rule each."""

    def within(moment) -> bool:
        return moment is not None and start <= timezone.localdate(moment) <= end

    R, D, S = PressRelease.Status, Distribution.Status, Delivery.Status
    over = [
        delivery
        for delivery in world.deliveries
        if world.distributions[delivery.distribution_id].status in (D.DONE, D.CANCELLED)
        and within(world.distributions[delivery.distribution_id].finished_at)
    ]
    reached = [d for d in over if d.status == S.SENT]
    failed = [d for d in over if d.status == S.FAILED]
    attempted = len(reached) + len(failed)
    releases = {
        "drafted": sum(within(r.created_at) for r in world.releases),
        "published": sum(
            within(r.published_at)
            and r.status not in (R.DRAFT, R.IN_REVIEW, R.WITHDRAWN)
            for r in world.releases
        ),
        "sent": len({d.release_id for d in reached}),
        "distributions": len({d.distribution_id for d in reached}),
        "reached": len(reached),
        "failed": len(failed),
        "bounce_rate": round(len(failed) * 100 / attempted, 1) if attempted else None,
    }

    held = [
        event
        for event in world.events
        if within(event.starts_at)
        and event.starts_at <= timezone.now()
        and event.status not in (Event.Status.CANCELLED, Event.Status.POSTPONED)
    ]
    held_ids = {event.pk for event in held}
    by_type = Counter(event.event_type.code for event in held)
    visitors = Counter()
    for event in held:
        if event.event_type.counts_visitors:
            visitors[event.event_type.code] += event.people_received or 0
    scores = [event.effectiveness for event in held if event.effectiveness]
    events = {
        "total": len(held),
        "by_type": dict(by_type),
        "people_received": sum(visitors.values()),
        "visitors": dict(visitors),
        "effectiveness": round(pystats.mean(scores), 1) if scores else None,
    }

    invitations = [i for i in world.invitations if i.event_id in held_ids]
    accreditations = [a for a in world.accreditations if within(a.submitted_at)]

    items = [
        item
        for item in world.items
        if within(item.fetched_at) and item.status != Item.Status.IRRELEVANT
    ]
    item_ids = {item.pk for item in items}
    sentiment_of = {item.pk: item.sentiment for item in items}
    by_topic = Counter()
    topic_sentiments = Counter()
    for match in world.matches:
        if match.item_id in item_ids:
            by_topic[match.topic_id] += 1
            topic_sentiments[match.topic_id, sentiment_of[match.item_id]] += 1
    messages = [item for item in items if item.kind == Item.Kind.SOCIAL]
    on_time = [
        m
        for m in messages
        if m.responded_at
        and (m.response_due_at is None or m.responded_at <= m.response_due_at)
    ]
    late = [
        m
        for m in messages
        if m.responded_at and m.response_due_at and m.responded_at > m.response_due_at
    ]

    assets = [
        asset
        for asset in world.assets
        if within(asset.uploaded_at) and asset.state != Asset.State.FAILED
    ]

    requests = [r for r in world.requests if within(r.received_at)]
    answered = [
        r
        for r in requests
        if r.status in (Request.Status.ANSWERED, Request.Status.PARTLY_ANSWERED)
    ]
    return {
        "releases": releases,
        "events": events,
        "invitations": {
            "invited": len(invitations),
            "accepted": sum(i.response == "accepted" for i in invitations),
            "declined": sum(i.response == "declined" for i in invitations),
            "attended": sum(i.attended_at is not None for i in invitations),
        },
        "accreditations": {
            "received": len(accreditations),
            "approved": sum(a.status == "approved" for a in accreditations),
            "rejected": sum(a.status == "rejected" for a in accreditations),
        },
        "monitoring": {
            "mentions": len(items),
            "by_sentiment": {
                value: sum(item.sentiment == value for item in items)
                for value in ("positive", "neutral", "negative", "")
            },
            "by_topic": dict(by_topic),
            "topic_sentiments": dict(topic_sentiments),
        },
        "messages": {
            "messages": len(messages),
            "on_time": len(on_time),
            "late": len(late),
            "unanswered": sum(m.responded_at is None for m in messages),
        },
        "archive": {
            "files": len(assets),
            "bytes": sum(asset.size for asset in assets),
            "by_kind": {
                kind: (
                    sum(a.kind == kind for a in assets),
                    sum(a.size for a in assets if a.kind == kind),
                )
                for kind in Asset.Kind.values
            },
        },
        "contacts": {
            "people_added": sum(within(p.created_at) for p in world.people),
            "organisations_added": sum(
                within(o.created_at) for o in world.organisations
            ),
            "people_verified": sum(within(p.last_verified_at) for p in world.people),
            "organisations_verified": sum(
                within(o.last_verified_at) for o in world.organisations
            ),
        },
        "inquiries": {
            "received": len(requests),
            "on_time": sum(
                timezone.localdate(r.answered_at) <= r.due_on for r in answered
            ),
            "late": sum(timezone.localdate(r.answered_at) > r.due_on for r in answered),
            "refused": sum(r.status == Request.Status.REFUSED for r in requests),
        },
    }


def _compare(report: dict, hand: dict) -> None:
    assert report["releases"] == hand["releases"]
    events = report["events"]
    assert events["total"] == hand["events"]["total"]
    assert {
        row["code"]: row["count"] for row in events["by_type"] if row["count"]
    } == hand["events"]["by_type"]
    assert events["people_received"] == hand["events"]["people_received"]
    assert {
        row["code"]: row["people_received"]
        for row in events["by_type"]
        if row["people_received"]
    } == {code: n for code, n in hand["events"]["visitors"].items() if n}
    assert events["effectiveness"] == hand["events"]["effectiveness"]
    assert report["invitations"] == hand["invitations"]
    assert report["accreditations"] == hand["accreditations"]
    monitoring = report["monitoring"]
    assert monitoring["mentions"] == hand["monitoring"]["mentions"]
    assert monitoring["by_sentiment"] == hand["monitoring"]["by_sentiment"]
    assert {pk: topic["count"] for pk, topic in monitoring["by_topic"].items()} == hand[
        "monitoring"
    ]["by_topic"]
    for pk, topic in monitoring["by_topic"].items():
        for sentiment, n in topic["by_sentiment"].items():
            assert n == hand["monitoring"]["topic_sentiments"].get((pk, sentiment), 0)
    assert report["messages"] == hand["messages"]
    archive = report["archive"]
    assert archive["files"] == hand["archive"]["files"]
    assert archive["bytes"] == hand["archive"]["bytes"]
    assert {
        kind: (row["files"], row["bytes"]) for kind, row in archive["by_kind"].items()
    } == hand["archive"]["by_kind"]
    contacts = report["contacts"]
    for key, value in hand["contacts"].items():
        assert contacts[key] == value, key
    assert contacts["verified"] == (
        hand["contacts"]["people_verified"] + hand["contacts"]["organisations_verified"]
    )
    for key, value in hand["inquiries"].items():
        assert report["inquiries"][key] == value, key


@pytest.fixture
def world(make_user):
    return build_world(make_user("author", role="Editor"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "period",
    [MARCH, FEBRUARY, (date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 3, 1),) * 2],
    ids=["march", "february", "quarter", "one-day"],
)
def test_every_figure_matches_the_count_by_hand(world, period):
    start, end = period
    report = activity_report(start=start, end=end)
    assert (report["start"], report["end"]) == (start, end)
    _compare(report, expected(world, start, end))


@pytest.mark.django_db
def test_the_world_gives_every_figure_something_to_count(world):
    # Guard against a test that passes on zeros: March has some of everything.
    hand = expected(world, *MARCH)
    assert hand["releases"]["drafted"] and hand["releases"]["reached"]
    assert hand["releases"]["failed"] and hand["releases"]["published"]
    assert hand["events"]["total"] >= 5 and hand["events"]["effectiveness"]
    assert hand["invitations"]["invited"] and hand["invitations"]["attended"]
    assert hand["accreditations"]["received"]
    assert hand["monitoring"]["mentions"] and hand["monitoring"]["by_topic"]
    assert hand["messages"]["messages"]
    assert hand["archive"]["files"] and hand["contacts"]["people_added"]
    assert hand["contacts"]["people_verified"]
    assert hand["inquiries"]["received"]


@pytest.mark.django_db
def test_local_midnight_decides_the_period(make_user):
    author = make_user("author", role="Editor")
    late_february = local(date(2026, 2, 28), 23, 50)
    early_march = local(date(2026, 3, 1), 0, 10)
    for moment in (late_february, early_march):
        release = PressRelease.objects.create(author=author, title="x", title_ka="x")
        _set(release, created_at=moment)
        Asset.objects.create(
            kind=Asset.Kind.PHOTO,
            file="archive/originals/x.jpg",
            original_name="x.jpg",
            content_type="image/jpeg",
            size=2_500_000_000,
            uploaded_at=moment,
            state=Asset.State.READY,
        )
    march = activity_report(start=MARCH[0], end=MARCH[1])
    february = activity_report(start=FEBRUARY[0], end=FEBRUARY[1])
    assert march["releases"]["drafted"] == february["releases"]["drafted"] == 1
    assert march["archive"]["files"] == february["archive"]["files"] == 1
    assert march["archive"]["by_kind"]["photo"]["bytes"] == 2_500_000_000


@pytest.mark.django_db
def test_reception_days_count_the_people_received_and_others_do_not(make_user):
    reception = EventType.objects.get(code="reception-day")
    hearing = EventType.objects.get(code="public-hearing")
    assert reception.counts_visitors and not hearing.counts_visitors
    moment = local(date(2026, 3, 10))
    for event_type, people, status in [
        (reception, 40, Event.Status.HELD),
        (reception, 25, Event.Status.CONFIRMED),
        (reception, 99, Event.Status.CANCELLED),
        (hearing, 70, Event.Status.HELD),
    ]:
        Event.objects.create(
            event_type=event_type,
            title="x",
            starts_at=moment,
            ends_at=moment + timedelta(hours=3),
            status=status,
            people_received=people,
            effectiveness=4 if event_type == hearing else 5,
        )
    events = activity_report(start=MARCH[0], end=MARCH[1])["events"]
    rows = {row["code"]: row for row in events["by_type"]}
    assert rows["reception-day"]["count"] == 2
    assert rows["reception-day"]["people_received"] == 65
    assert rows["public-hearing"]["count"] == 1
    assert rows["public-hearing"]["people_received"] is None
    assert events["people_received"] == 65
    assert events["total"] == 3
    assert events["effectiveness"] == round((5 + 5 + 4) / 3, 1)
    # Every type is listed, those without events too, in the office's order.
    assert [row["code"] for row in events["by_type"]] == list(
        EventType.objects.order_by("position", "name", "pk").values_list(
            "code", flat=True
        )
    )


@pytest.mark.django_db
def test_an_empty_period_has_zeros_and_no_rates():
    report = activity_report(start=MARCH[0], end=MARCH[1])
    assert report["releases"]["bounce_rate"] is None
    assert report["events"]["effectiveness"] is None
    assert report["events"]["total"] == 0
    assert report["monitoring"]["by_topic"] == {}
    assert report["archive"]["bytes"] == 0
    assert report["inquiries"]["median_days"] is None


@pytest.mark.django_db
def test_the_comparison_holds_the_previous_period_and_the_change(world):
    figures = activity_compare(start=MARCH[0], end=MARCH[1])
    _compare(figures["current"], expected(world, *MARCH))
    _compare(figures["previous"], expected(world, *FEBRUARY))
    assert (figures["previous"]["start"], figures["previous"]["end"]) == FEBRUARY
    rows = {row.key: row for row in figures["rows"]}
    now, before = expected(world, *MARCH), expected(world, *FEBRUARY)
    drafted = rows["releases.drafted"]
    assert (drafted.current, drafted.previous) == (
        now["releases"]["drafted"],
        before["releases"]["drafted"],
    )
    assert drafted.change == drafted.current - drafted.previous
    messages = rows["messages.on_time"]
    assert messages.change == now["messages"]["on_time"] - before["messages"]["on_time"]
    size = rows["archive.gigabytes"]
    assert size.current == round(now["archive"]["bytes"] / 10**9, 2)
    assert size.change == round(size.current - size.previous, 2)
    for code, n in now["events"]["by_type"].items():
        assert rows[f"events.type:{code}"].current == n
    for topic in world.topics:
        row = rows[f"monitoring.topic:{topic.pk}"]
        assert row.label == topic.name
        assert row.current == now["monitoring"]["by_topic"].get(topic.pk, 0)
        assert row.previous == before["monitoring"]["by_topic"].get(topic.pk, 0)
    # The sections' lines, under their headings, are the exports' table.
    flat = []
    for section in figures["sections"]:
        flat.append(f"section:{section.key}")
        flat += [row.key for row in section.rows]
    assert [row.key for row in figures["rows"]] == flat
    headings = [row for row in figures["rows"] if row.key.startswith("section:")]
    assert all(row.is_heading and row.change is None for row in headings)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "before"),
    [
        (date(2026, 1, 1), date(2026, 3, 31), (date(2025, 10, 1), date(2025, 12, 31))),
        (date(2026, 1, 1), date(2026, 12, 31), (date(2025, 1, 1), date(2025, 12, 31))),
        (date(2026, 3, 10), date(2026, 3, 19), (date(2026, 2, 28), date(2026, 3, 9))),
    ],
    ids=["quarter", "year", "ten-days"],
)
def test_the_previous_period_has_the_same_length(world, start, end, before):
    figures = activity_compare(start=start, end=end)
    previous = figures["previous"]
    assert (previous["start"], previous["end"]) == before
    _compare(previous, expected(world, *before))


@pytest.mark.django_db
def test_the_query_count_is_pinned_and_does_not_grow_with_the_data(
    make_user, django_assert_num_queries, django_assert_max_num_queries
):
    author = make_user("author", role="Editor")
    build_world(author, seed=1)
    # releases, deliveries, event types, invitations, accreditations,
    # monitoring counts, topics, archive, people, organisations; the inquiry
    # desk's counts, refusal grounds, their names and the median answer time
    with django_assert_num_queries(14):
        activity_report(start=date(2026, 1, 1), end=date(2026, 3, 31))
    build_world(author, seed=2)
    with django_assert_num_queries(14):
        activity_report(start=date(2026, 1, 1), end=date(2026, 3, 31))
    # Each period at most the same (the desk skips the refusal grounds and the
    # median of a period without refusals or answers).
    with django_assert_max_num_queries(28):
        activity_compare(start=MARCH[0], end=MARCH[1])
