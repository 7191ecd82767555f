"""The activity report's benchmark data set: a year of a PR office, on PostgreSQL.

``fill(year=…, scale=1.0)`` writes, with COPY (psycopg2 ``copy_expert``), at
scale 1:

- contacts: 100,000 people (created over three years, a third in ``year``;
  two in five verified in ``year``), each with an address (some with two, a
  few bounced), 5,000 organisations, affiliations;
- monitoring: 500 sources, 60 topics, 200,000 items over the year (online
  articles, TV, radio, print and citizens' messages in social networks with
  answer due and answered times), their topic matches, sentiments, statuses;
- events: 10,000 events of every type (people received on reception days),
  about 200,000 invitations (sent, answered, checked in), about 14,000
  accreditations;
- archive: 100,000 asset rows (no files) with realistic sizes per kind;
- press releases: 3,000 releases in three languages, their distributions and
  about 100,000 deliveries (a distribution reaches tens of journalists);
- inquiries: 3,000 requests with their deadlines and outcomes.

Rows are written in the order a real database would hold them, with explicit
ids (the sequences are moved past them at the end), then ``VACUUM (ANALYZE)``.
Every table's NOT NULL columns without a database default are checked against
the columns written, so a new required field fails here by name, not halfway
through a COPY. Deterministic for a seed.
"""

import io
import json
import random
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

CHUNK = 20_000

# --- Text --------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


WORDS = {
    "ka": _words(
        "მერია საკრებულო სხდომა ბიუჯეტი პროექტი ქალაქი მოქალაქეები ტრანსპორტი "
        "განათლება ჯანდაცვა გზები მშენებლობა სკოლა საბავშვო ბაღი პარკი წყალი "
        "დასუფთავება გადაწყვეტილება განცხადება შეხვედრა პროგრამა რეფორმა "
        "ინვესტიცია რეგიონი სოფელი ტურიზმი კულტურა სპორტი ახალგაზრდობა "
        "დაფინანსება კონკურსი სამინისტრო პარლამენტი საჯარო განხილვა ოქმი"
    ),
    "hy": _words(
        "քաղաքապետարան ավագանի նիստ բյուջե նախագիծ քաղաք քաղաքացիներ "
        "տրանսպորտ կրթություն առողջապահություն ճանապարհներ շինարարություն "
        "դպրոց մանկապարտեզ այգի ջուր որոշում հայտարարություն հանդիպում "
        "ծրագիր բարեփոխում ներդրում մարզ գյուղ զբոսաշրջություն մշակույթ "
        "սպորտ երիտասարդություն ֆինանսավորում մրցույթ նախարարություն"
    ),
    "en": _words(
        "city hall council session budget project citizens transport education "
        "health roads construction school kindergarten park water decision "
        "statement meeting programme reform investment region village tourism "
        "culture sport youth funding competition ministry parliament hearing"
    ),
}
LANGUAGES = ("ka", "hy", "en")
FIRST = {
    "ka": _words(
        "ნინო გიორგი თამარ ლევან ეკა დავით მარიამ ირაკლი სალომე ნიკა ანა "
        "ზურაბ ქეთევან ლაშა მაკა ბექა ნათია გოგა თეონა შოთა"
    ),
    "hy": _words(
        "Անի Արամ Լիլիթ Դավիթ Նարինե Տիգրան Մարիամ Արմեն Գայանե Հայկ "
        "Սոնա Վահե Լուսինե Կարեն Աննա"
    ),
    "en": _words("Anna John Maria David Laura Peter Sarah Thomas Emma Daniel"),
}
LAST = {
    "ka": _words(
        "ბერიძე კაპანაძე გელაშვილი მაისურაძე ლომიძე წიკლაური ჩიქოვანი "
        "ხარაიშვილი ღლონტი კვარაცხელია ბაქრაძე ჯაფარიძე ნოზაძე მამულაშვილი "
        "ტაბატაძე გოგიტიძე ცინცაძე ხუციშვილი დოლიძე ქავთარაძე"
    ),
    "hy": _words(
        "Պետրոսյան Գրիգորյան Սարգսյան Հովհաննիսյան Ղազարյան Մկրտչյան "
        "Հարությունյան Ավետիսյան Կարապետյան Վարդանյան Խաչատրյան Մանուկյան"
    ),
    "en": _words("Smith Brown Miller Wilson Taylor Clark Walker Young Hall Allen"),
}


class Text:
    """Pools of sentences with their search keys, combined at random, quickly."""

    def __init__(self, rng: random.Random, search_key):
        self.rng = rng
        self.search_key = search_key
        self.pool = {}
        for language in LANGUAGES:
            sentences = []
            for _ in range(400):
                words = rng.choices(WORDS[language], k=rng.randint(6, 14))
                text = " ".join(words).capitalize() + "."
                sentences.append((text, search_key(text)))
            self.pool[language] = sentences

    def sentence(self, language: str) -> tuple[str, str]:
        return self.rng.choice(self.pool[language])

    def paragraph(self, language: str, sentences: int) -> tuple[str, str]:
        chosen = self.rng.choices(self.pool[language], k=sentences)
        return " ".join(s[0] for s in chosen), " ".join(s[1] for s in chosen)

    def title(self, language: str) -> tuple[str, str]:
        text, key = self.sentence(language)
        return text[:-1], key


# --- COPY --------------------------------------------------------------------------


def _field(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif not isinstance(value, str):
        return str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


class Loader:
    """COPY into tables; remembers how many rows each got and their first id."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.rows: dict[str, int] = {}

    def next_id(self, table: str) -> int:
        self.cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        return self.cursor.fetchone()[0]

    def _check(self, table: str, columns: tuple[str, ...]) -> None:
        self.cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s "
            "AND is_nullable = 'NO' AND column_default IS NULL "
            "AND is_identity = 'NO'",
            [table],
        )
        missing = {row[0] for row in self.cursor.fetchall()} - set(columns)
        if missing:
            raise ValueError(f"{table}: required columns not written: {missing}")

    def copy(self, table: str, columns: tuple[str, ...], rows: Iterable) -> int:
        self._check(table, columns)
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        count = 0
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(map(_field, row)))
            buffer.write("\n")
            count += 1
            if count % CHUNK == 0:
                buffer.seek(0)
                self.cursor.copy_expert(sql, buffer)
                buffer = io.StringIO()
        if buffer.tell():
            buffer.seek(0)
            self.cursor.copy_expert(sql, buffer)
        self.rows[table] = self.rows.get(table, 0) + count
        return count


# --- Time --------------------------------------------------------------------------


class Calendar:
    """Moments in working hours (Tbilisi is UTC+4) over a span of days."""

    def __init__(self, rng: random.Random, year: int):
        self.rng = rng
        self.start = datetime(year, 1, 1, tzinfo=UTC)
        self.end = datetime(year + 1, 1, 1, tzinfo=UTC)
        self.days = (self.end - self.start).days

    def moment(self, first_day: int = 0, days: int | None = None) -> datetime:
        rng = self.rng
        day = first_day + rng.randrange(days if days is not None else self.days)
        return self.start + timedelta(
            days=day, hours=rng.randint(4, 15), minutes=rng.randrange(60)
        )

    def after(self, moment: datetime, low_hours: float, high_hours: float):
        hours = self.rng.uniform(low_hours, high_hours)
        return moment + timedelta(hours=hours)


def _hex(rng: random.Random, digits: int) -> str:
    return f"{rng.getrandbits(digits * 4):0{digits}x}"


def _pick(rng: random.Random, weighted: dict):
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


# --- Data set ----------------------------------------------------------------------


class DataSet:
    """Fills every table the activity report reads; ``scale`` 1 is the issue's set."""

    def __init__(self, loader: Loader, year: int, scale: float, seed: int):
        from prapp.text import search_key

        self.load = loader
        self.rng = random.Random(seed)
        self.year = year
        self.scale = scale
        self.when = Calendar(self.rng, year)
        self.text = Text(self.rng, search_key)
        self.search_key = search_key

    def n(self, count: int) -> int:
        return max(1, round(count * self.scale))

    # Users and the lists that migrations seed.

    def users(self) -> None:
        from prapp.models import User

        created = User.objects.bulk_create(
            [
                User(
                    username=f"staff{n}",
                    first_name=FIRST["ka"][n % len(FIRST["ka"])],
                    last_name=LAST["ka"][n % len(LAST["ka"])],
                    email=f"staff{n}@office.example",
                    password="!",  # noqa: S106 (an unusable password)
                    language=LANGUAGES[n % 3],
                )
                for n in range(30)
            ]
        )
        self.staff = [user.pk for user in created]
        cursor = self.load.cursor
        cursor.execute("SELECT id FROM contacts_region")
        self.regions = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id, code, counts_visitors FROM events_eventtype")
        self.event_types = {code: (pk, visitors) for pk, code, visitors in cursor}
        cursor.execute("SELECT id, code FROM inquiries_lawprofile ORDER BY id")
        self.law_profiles = cursor.fetchall()
        cursor.execute("SELECT id, profile_id FROM inquiries_refusalground")
        self.grounds: dict[int, list[int]] = {}
        for pk, profile in cursor.fetchall():
            self.grounds.setdefault(profile, []).append(pk)

    # Contacts.

    def organisations(self) -> None:
        rng, text = self.rng, self.text
        first = self.load.next_id("contacts_organisation")
        count = self.n(5_000)
        kinds = {
            "media": 30,
            "state": 15,
            "municipality": 10,
            "ngo": 20,
            "international": 5,
            "embassy": 3,
            "academic": 5,
            "private": 10,
            "other": 2,
        }
        media_types = ["tv", "radio", "print", "online", "online", "agency"]
        self.media_orgs, self.orgs = [], []

        def rows():
            for pk in range(first, first + count):
                kind = _pick(rng, kinds)
                language = LANGUAGES[pk % 3]
                name, key = text.title(language)
                name = f"{name[:200]} {pk}"
                created = self.when.moment(-730, 1095)
                verified = self.when.moment(-365, 730) if rng.random() < 0.5 else None
                self.orgs.append(pk)
                if kind == "media":
                    self.media_orgs.append(pk)
                yield (
                    pk, name, name if language == "ka" else None,
                    name if language == "hy" else None,
                    name if language == "en" else None,
                    key[:300], kind,
                    rng.choice(media_types) if kind == "media" else "",
                    f"https://org{pk}.example", f"info@org{pk}.example",
                    f"+99532{pk:07d}", "", f"{key} {pk}", created,
                    max(created, verified or created), verified,
                    rng.choice(self.regions) if self.regions else None,
                )  # fmt: skip

        self.load.copy(
            "contacts_organisation",
            (
                "id", "name", "name_ka", "name_hy", "name_en", "name_latin",
                "kind", "media_type", "website", "email", "phone", "notes",
                "search_key", "created_at", "updated_at", "last_verified_at",
                "region_id",
            ),
            rows(),
        )  # fmt: skip

    def people(self) -> None:
        rng, key = self.rng, self.search_key
        first = self.load.next_id("contacts_person")
        count = self.n(100_000)
        self.people_ids = range(first, first + count)
        self.emails: dict[int, str] = {}
        self.person_language: dict[int, str] = {}
        self.person_name: dict[int, str] = {}
        name_keys = {
            language: {n: key(n) for n in FIRST[language] + LAST[language]}
            for language in LANGUAGES
        }
        bases = {"public_task": 40, "legitimate_interest": 25, "consent": 20, "": 15}
        positions = ["journalist", "editor", "press officer", "head of unit", ""]

        def rows():
            for pk in self.people_ids:
                language = _pick(rng, {"ka": 70, "hy": 22, "en": 8})
                first_name = rng.choice(FIRST[language])
                last_name = rng.choice(LAST[language])
                first_key = name_keys[language][first_name]
                last_key = name_keys[language][last_name]
                email = f"{first_key}.{last_key}.{pk}@mail.example".replace(" ", "")
                self.emails[pk] = email
                self.person_language[pk] = language
                self.person_name[pk] = f"{first_name} {last_name}"
                # A third of the people were added in the report's year.
                created = self.when.moment(-730, 1095)
                verified = None
                if rng.random() < 0.4:
                    low = max(0, (created - self.when.start).days)
                    verified = self.when.moment(low, max(1, 365 - low))
                basis = _pick(rng, bases)
                opted_out = (
                    created + timedelta(days=30) if rng.random() < 0.01 else None
                )
                yield (
                    pk, first_name, last_name, first_key.title(), last_key.title(),
                    rng.choice(positions), language, "",
                    f"{first_key} {last_key}", f"{first_key} {last_key} {email}",
                    basis, "signed form" if basis == "consent" else "",
                    created if basis == "consent" else None,
                    opted_out, "unsubscribe link" if opted_out else "",
                    rng.random() < 0.005, "", rng.random() < 0.03,
                    created, max(created, verified or created), verified,
                    rng.choice(self.staff) if verified else None,
                    rng.choice(self.regions) if self.regions else None,
                )  # fmt: skip

        self.load.copy(
            "contacts_person",
            (
                "id", "first_name", "last_name", "first_name_latin",
                "last_name_latin", "position", "language", "notes", "name_key",
                "search_key", "consent_basis", "consent_evidence", "consent_at",
                "opted_out_at", "opted_out_source", "do_not_contact",
                "do_not_contact_reason", "receives_embargoed", "created_at",
                "updated_at", "last_verified_at", "last_verified_by_id",
                "region_id",
            ),
            rows(),
        )  # fmt: skip

        def emails():
            pk = self.load.next_id("contacts_personemail")
            for person in self.people_ids:
                bounced = rng.random() < 0.02
                yield (
                    pk, person, self.emails[person], "work", True,
                    self.when.moment() if bounced else None,
                    "550 mailbox unavailable" if bounced else "",
                )  # fmt: skip
                pk += 1
                if rng.random() < 0.1:
                    yield (pk, person, f"p{person}@other.example", "", False, None, "")
                    pk += 1

        self.load.copy(
            "contacts_personemail",
            ("id", "person_id", "email", "label", "is_primary", "bounced_at",
             "bounce_reason"),
            emails(),
        )  # fmt: skip

        def affiliations():
            pk = self.load.next_id("contacts_affiliation")
            for person in self.people_ids:
                if rng.random() < 0.7:
                    organisation = rng.choice(
                        self.media_orgs if rng.random() < 0.6 else self.orgs
                    )
                    yield (pk, person, organisation, "", rng.random() < 0.9)
                    pk += 1

        self.load.copy(
            "contacts_affiliation",
            ("id", "person_id", "organisation_id", "role", "is_current"),
            affiliations(),
        )

    # Events.

    EVENT_MIX = {
        # code: (share, invitations low, high)
        "press-conference": (20, 20, 60),
        "briefing": (14, 10, 40),
        "public-hearing": (5, 20, 80),
        "council-session": (8, 10, 30),
        "commission-session": (8, 5, 15),
        "official-meeting": (14, 3, 15),
        "visit": (5, 5, 20),
        "reception-day": (9, 0, 0),
        "public-lecture": (3, 10, 50),
        "public-meeting": (6, 10, 60),
        "campaign": (2, 0, 0),
        "seminar": (6, 10, 30),
    }
    ACCREDITED = ("press-conference", "briefing", "public-hearing", "council-session")

    def events(self) -> None:
        rng, text = self.rng, self.text
        venue = self.load.next_id("events_venue")
        self.load.copy(
            "events_venue",
            ("id", "name", "address", "capacity", "accessibility_notes"),
            (
                (venue + n, f"Hall {n}", f"Street {n}", 40 + 10 * n, "")
                for n in range(40)
            ),
        )
        venues = list(range(venue, venue + 40))
        first = self.load.next_id("events_event")
        count = self.n(10_000)
        mix = {code: share for code, (share, _lo, _hi) in self.EVENT_MIX.items()}
        statuses = {"held": 84, "cancelled": 5, "postponed": 3, "confirmed": 4,
                    "planned": 4}  # fmt: skip
        self.held_events = []  # (id, code, starts_at)
        self.event_ids = range(first, first + count)

        def rows():
            for pk in self.event_ids:
                code = _pick(rng, mix)
                type_id, counts_visitors = self.event_types[code]
                status = _pick(rng, statuses)
                starts = self.when.moment()
                ends = starts + timedelta(hours=rng.choice((1, 1, 2, 3, 4)))
                title, key = text.title("ka")
                title_hy, key_hy = text.title("hy")
                description, _ = text.paragraph("ka", 3)
                held = status == "held"
                self.held_events.append((pk, code, starts, held))
                created = starts - timedelta(days=rng.randint(3, 40))
                yield (
                    pk, type_id, title, title, title_hy, None, description,
                    description, None, None, status, starts, ends,
                    rng.choice(venues), "", rng.choice(self.staff), "Press office",
                    "", "" if not held else text.sentence("ka")[0],
                    rng.randint(5, 90) if held and counts_visitors else None,
                    rng.randint(1, 5) if held and rng.random() < 0.5 else None,
                    "", held and code in self.ACCREDITED and rng.random() < 0.4,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    f"{key} {key_hy}", rng.choice(self.staff), created,
                    max(created, ends),
                )  # fmt: skip

        self.load.copy(
            "events_event",
            (
                "id", "event_type_id", "title", "title_ka", "title_hy", "title_en",
                "description", "description_ka", "description_hy",
                "description_en", "status", "starts_at", "ends_at", "venue_id",
                "online_url", "responsible_id", "unit", "minutes", "outcome",
                "people_received", "effectiveness", "effectiveness_notes",
                "accreditation_open", "uid", "search_key", "created_by_id",
                "created_at", "updated_at",
            ),
            rows(),
        )  # fmt: skip
        self._invitations()
        self._accreditations()

    def _invitations(self) -> None:
        rng = self.rng
        people = self.people_ids
        deliveries = {"sent": 90, "failed": 3, "not_sent": 4, "pending": 3}
        answers = {"accepted": 45, "declined": 15, "maybe": 5, "": 35}
        channels = ["link", "link", "link", "phone", "email", "letter"]

        def rows():
            pk = self.load.next_id("events_invitation")
            for event, code, starts, held in self.held_events:
                _share, low, high = self.EVENT_MIX[code]
                if not high:
                    continue
                invited = starts - timedelta(days=rng.randint(3, 21))
                role = "media" if code in self.ACCREDITED else "guest"
                for person in rng.sample(
                    people, min(len(people), rng.randint(low, high))
                ):
                    delivery = _pick(rng, deliveries)
                    sent = delivery == "sent"
                    answer = _pick(rng, answers) if sent else ""
                    answered = invited + timedelta(hours=rng.randint(2, 60))
                    attended = (
                        starts + timedelta(minutes=rng.randint(-20, 15))
                        if held and answer == "accepted" and rng.random() < 0.75
                        else None
                    )
                    yield (
                        pk, event, person, role, self.emails[person],
                        self.person_language[person], delivery,
                        invited if sent else None,
                        "550 unknown user" if delivery == "failed" else "",
                        answer, rng.choice(channels) if answer else "",
                        answered if answer else None, "", attended,
                        _hex(rng, 32), rng.choice(self.staff), invited,
                    )  # fmt: skip
                    pk += 1

        self.load.copy(
            "events_invitation",
            (
                "id", "event_id", "person_id", "role", "email", "language",
                "delivery", "sent_at", "delivery_error", "response",
                "response_channel", "responded_at", "response_note",
                "attended_at", "secret", "invited_by_id", "created_at",
            ),
            rows(),
        )  # fmt: skip

    def _accreditations(self) -> None:
        rng = self.rng
        statuses = {"approved": 80, "rejected": 8, "pending": 7, "revoked": 5}
        roles = ["reporter", "reporter", "camera", "photo"]

        def one(pk, event, submitted, valid_from=None, valid_until=None):
            person = rng.choice(self.people_ids)
            status = _pick(rng, statuses)
            decided = status != "pending"
            return (
                pk, event, valid_from, valid_until, self.person_name[person],
                f"Outlet {rng.choice(self.media_orgs)}", rng.choice(roles),
                f"PC-{pk}", self.emails[person], "", self.person_language[person],
                status, rng.choice(self.staff) if decided else None,
                submitted + timedelta(hours=rng.randint(1, 48)) if decided else None,
                "", person if rng.random() < 0.7 else None,
                f"B{pk:06d}" if status == "approved" else "", submitted,
                _hex(rng, 64),
            )  # fmt: skip

        def rows():
            pk = self.load.next_id("events_accreditation")
            for event, code, starts, _held in self.held_events:
                if code not in self.ACCREDITED or rng.random() >= 0.4:
                    continue
                for _ in range(rng.randint(2, 12)):
                    submitted = starts - timedelta(hours=rng.randint(6, 240))
                    yield one(pk, event, submitted)
                    pk += 1
            for _ in range(self.n(150)):  # accreditations for a period
                submitted = self.when.moment()
                valid_from = submitted.date() + timedelta(days=7)
                yield one(
                    pk, None, submitted, valid_from, valid_from + timedelta(days=90)
                )
                pk += 1

        self.load.copy(
            "events_accreditation",
            (
                "id", "event_id", "valid_from", "valid_until", "full_name",
                "outlet", "role", "press_card", "email", "phone", "language",
                "status", "decided_by_id", "decided_at", "decision_note",
                "person_id", "badge_number", "submitted_at", "source_hash",
            ),
            rows(),
        )  # fmt: skip

    # Press releases.

    def releases(self) -> None:
        rng, text = self.rng, self.text
        first = self.load.next_id("pressreleases_pressrelease")
        count = self.n(3_000)
        self.release_ids = range(first, first + count)
        statuses = {"published": 45, "sent": 30, "draft": 10, "in_review": 5,
                    "approved": 3, "scheduled": 2, "withdrawn": 5}  # fmt: skip
        self.sent_releases = []  # (id, sent_at)

        def rows():
            for pk in self.release_ids:
                status = _pick(rng, statuses)
                created = self.when.moment()
                versions = {}
                keys = []
                for language in LANGUAGES:
                    title, title_key = text.title(language)
                    lead, lead_key = text.paragraph(language, 2)
                    body, body_key = text.paragraph(language, rng.randint(8, 20))
                    versions[language] = (title, lead, body)
                    keys.append(f"{title_key} {lead_key} {body_key}")
                submitted = approved = sent = published = withdrawn = None
                if status not in ("draft",):
                    submitted = created + timedelta(hours=rng.randint(1, 30))
                if status in ("approved", "scheduled", "sent", "published",
                              "withdrawn"):  # fmt: skip
                    approved = submitted + timedelta(hours=rng.randint(1, 20))
                if status in ("sent", "published", "withdrawn"):
                    sent = approved + timedelta(hours=rng.randint(0, 5))
                    self.sent_releases.append((pk, sent))
                if status == "published":
                    published = sent
                if status == "withdrawn":
                    withdrawn = sent + timedelta(days=2)
                ka, hy, en = versions["ka"], versions["hy"], versions["en"]
                yield (
                    pk, ka[0], ka[0], hy[0], en[0], ka[1], ka[1], hy[1], en[1],
                    ka[2], ka[2], hy[2], en[2], f"release-{pk}", status,
                    rng.choice(self.staff), rng.choice(self.people_ids),
                    rng.choice(self.event_ids) if rng.random() < 0.3 else None,
                    3, submitted, rng.choice(self.staff) if approved else None,
                    approved, 3 if approved else None, published, sent,
                    withdrawn, "outdated figures" if withdrawn else "",
                    " ".join(keys), created,
                    max(filter(None, (created, submitted, approved, sent, withdrawn))),
                )  # fmt: skip

        self.load.copy(
            "pressreleases_pressrelease",
            (
                "id", "title", "title_ka", "title_hy", "title_en", "lead",
                "lead_ka", "lead_hy", "lead_en", "body", "body_ka", "body_hy",
                "body_en", "slug", "status", "author_id", "contact_person_id",
                "event_id", "version", "submitted_at", "approved_by_id",
                "approved_at", "approved_version", "published_at", "sent_at",
                "withdrawn_at", "withdrawn_reason", "search_key", "created_at",
                "updated_at",
            ),
            rows(),
        )  # fmt: skip
        self._distributions()

    def _distributions(self) -> None:
        rng = self.rng
        distributions = []  # (id, release, scheduled, status)
        pk = self.load.next_id("pressreleases_distribution")
        for release, sent in self.sent_releases:
            for n in range(2 if rng.random() < 0.15 else 1):
                status = _pick(rng, {"done": 95, "cancelled": 3, "sending": 2})
                scheduled = sent + timedelta(days=n * 2)
                distributions.append((pk, release, scheduled, status))
                pk += 1
        recipients = {
            pk: rng.randint(15, 70) for pk, _release, _when, _status in distributions
        }

        def distribution_rows():
            for pk, release, scheduled, status in distributions:
                yield (
                    pk, release, status, rng.choice(self.staff),
                    scheduled - timedelta(minutes=10), scheduled, True,
                    recipients[pk], rng.randint(0, 3), "", scheduled,
                    scheduled + timedelta(minutes=rng.randint(1, 15))
                    if status == "done" else None,
                )  # fmt: skip

        self.load.copy(
            "pressreleases_distribution",
            (
                "id", "release_id", "status", "created_by_id", "created_at",
                "scheduled_for", "attach_pdf", "total", "left_out", "runner",
                "started_at", "finished_at",
            ),
            distribution_rows(),
        )  # fmt: skip
        statuses = {"sent": 93, "failed": 4, "unknown": 0.5, "cancelled": 1.5,
                    "pending": 1}  # fmt: skip

        def rows():
            pk = self.load.next_id("pressreleases_delivery")
            by_release: dict[int, list] = {}
            for distribution, release, scheduled, status in distributions:
                by_release.setdefault(release, []).append(
                    (distribution, scheduled, status)
                )
            for release, sendings in by_release.items():
                total = sum(recipients[d] for d, _s, _st in sendings)
                people = iter(rng.sample(self.people_ids, total))
                for distribution, scheduled, dist_status in sendings:
                    for _ in range(recipients[distribution]):
                        person = next(people)
                        email = self.emails[person]
                        status = (
                            "cancelled"
                            if dist_status == "cancelled"
                            else _pick(rng, statuses)
                        )
                        sent = status == "sent"
                        yield (
                            pk, distribution, release, person, email, email.lower(),
                            self.person_name[person], self.person_language[person],
                            False, status, scheduled, 1 if status != "cancelled" else 0,
                            "", scheduled + timedelta(seconds=rng.randint(1, 900))
                            if sent else None,
                            f"<{pk}@office.example>" if sent else "",
                            "550 mailbox unavailable" if status == "failed" else "",
                        )  # fmt: skip
                        pk += 1

        self.load.copy(
            "pressreleases_delivery",
            (
                "id", "distribution_id", "release_id", "person_id", "email",
                "email_key", "name", "language", "under_embargo", "status",
                "not_before", "attempts", "claimed_by", "sent_at", "message_id",
                "error",
            ),
            rows(),
        )  # fmt: skip

    # Monitoring.

    def monitoring(self) -> None:
        rng, text = self.rng, self.text
        source = self.load.next_id("media_monitoring_source")
        sources = list(range(source, source + self.n(500)))
        source_language = {pk: LANGUAGES[pk % 3] for pk in sources}

        def source_rows():
            for pk in sources:
                failing = pk % 50 == 0
                yield (
                    pk, f"Outlet {pk}", "feed", f"https://outlet{pk}.example/rss",
                    rng.choice(self.media_orgs), source_language[pk], 30, True, "",
                    "", self.when.end, self.when.end, "timed out" if failing else "",
                    3 if failing else 0, self.when.end,
                    self.when.start - timedelta(days=100),
                )  # fmt: skip

        self.load.copy(
            "media_monitoring_source",
            (
                "id", "name", "kind", "url", "outlet_id", "language",
                "interval_minutes", "enabled", "etag", "last_modified",
                "last_attempt_at", "last_success_at", "last_error",
                "consecutive_failures", "next_attempt_at", "created_at",
            ),
            source_rows(),
        )  # fmt: skip
        topic = self.load.next_id("media_monitoring_topic")
        topics = list(range(topic, topic + 60))

        def topic_rows():
            for pk in topics:
                yield (
                    pk, f"Topic {pk}", "\n".join(rng.sample(WORDS["en"], 3)), "",
                    "", "high" if pk % 15 == 0 else "normal", True,
                    self.when.start - timedelta(days=100), self.when.start,
                )  # fmt: skip

        self.load.copy(
            "media_monitoring_topic",
            (
                "id", "name", "include_terms", "exclude_terms", "language",
                "priority", "active", "created_at", "updated_at",
            ),
            topic_rows(),
        )  # fmt: skip
        # A few topics find most of the news, as "budget" does.
        topic_weights = [1 / (rank + 1) for rank in range(len(topics))]
        first = self.load.next_id("media_monitoring_item")
        count = self.n(200_000)
        kinds = {"online": 90, "tv": 3, "radio": 2, "print": 2, "social": 3}
        statuses = {"new": 20, "relevant": 32, "irrelevant": 30, "archived": 18}
        sentiments = {"positive": 17, "neutral": 33, "negative": 15, "": 35}
        channels = ["facebook", "facebook", "facebook", "x", "instagram", "telegram"]
        matches = []  # (item, topic, matched_at)
        sequence = dict.fromkeys(sources, 0)

        def rows():
            fingerprint = _hex(rng, 40)
            for pk in range(first, first + count):
                kind = _pick(rng, kinds)
                fetched = self.when.moment()
                source_id = external = outlet = None
                language = _pick(rng, {"ka": 65, "hy": 20, "en": 12, "ru": 3})
                if kind == "online":
                    source_id = rng.choice(sources)
                    sequence[source_id] += 1
                    external = f"{source_id}-{sequence[source_id]}"
                    language = source_language[source_id]
                    outlet = rng.choice(self.media_orgs)
                elif kind != "social":
                    outlet = rng.choice(self.media_orgs)
                pool_language = language if language in LANGUAGES else "en"
                title, title_key = text.title(pool_language)
                summary, summary_key = text.paragraph(pool_language, rng.randint(3, 6))
                if rng.random() > 0.15:  # else the same story as the last item
                    fingerprint = _hex(rng, 40)
                status = _pick(rng, statuses)
                due = responded = None
                if kind == "social":
                    due = fetched + timedelta(hours=rng.choice((24, 72)))
                    if rng.random() < 0.8:
                        responded = fetched + timedelta(
                            hours=rng.uniform(1, 20)
                            if rng.random() < 0.8
                            else rng.uniform(73, 200)
                        )
                        status = "responded"
                    else:
                        status = "needs_response"
                if rng.random() < 0.6:
                    for topic_id in set(
                        rng.choices(topics, topic_weights, k=rng.randint(1, 3))
                    ):
                        matches.append((pk, topic_id, fetched))
                manual = kind != "online"
                yield (
                    pk, kind, source_id, outlet, external or "",
                    "" if kind in ("tv", "radio") else f"https://m.example/{pk}",
                    title, summary, "",
                    rng.choice(channels) if kind == "social" else "",
                    "Evening news" if kind in ("tv", "radio") else "", language,
                    fetched - timedelta(minutes=rng.randint(1, 240)), fetched,
                    f"{title_key} {summary_key}", fingerprint, status,
                    _pick(rng, sentiments), rng.random() < 0.002,
                    text.sentence(pool_language)[0] if responded else "",
                    due, responded, rng.choice(self.staff) if responded else None,
                    rng.choice(self.staff) if manual else None,
                    rng.choice(self.staff) if manual else None,
                    responded or fetched,
                    rng.choice(self.event_ids) if rng.random() < 0.04 else None,
                    rng.choice(self.release_ids) if rng.random() < 0.04 else None,
                )  # fmt: skip

        self.load.copy(
            "media_monitoring_item",
            (
                "id", "kind", "source_id", "outlet_id", "external_id", "url",
                "title", "summary", "author", "channel", "programme", "language",
                "published_at", "fetched_at", "search_text", "fingerprint",
                "status", "sentiment", "misinformation", "response_text",
                "response_due_at", "responded_at", "responded_by_id",
                "assignee_id", "created_by_id", "updated_at", "event_id",
                "release_id",
            ),
            rows(),
        )  # fmt: skip
        first_match = self.load.next_id("media_monitoring_itemtopic")
        self.load.copy(
            "media_monitoring_itemtopic",
            ("id", "item_id", "topic_id", "matched_at", "terms"),
            (
                (first_match + n, item, topic_id, matched, "")
                for n, (item, topic_id, matched) in enumerate(matches)
            ),
        )

    # Archive.

    ASSET_KINDS = {
        # kind: share, (median MB, spread), extensions with content types
        "photo": (82, (4.5, 0.5), [("jpg", "image/jpeg"), ("png", "image/png")]),
        "video": (7, (180, 1.0), [("mp4", "video/mp4"), ("mov", "video/quicktime")]),
        "audio": (3, (25, 0.7), [("mp3", "audio/mpeg"), ("wav", "audio/wav")]),
        "document": (8, (0.8, 1.0), [("pdf", "application/pdf")]),
    }

    def assets(self) -> None:
        rng, text = self.rng, self.text
        first = self.load.next_id("archive_asset")
        count = self.n(100_000)
        mix = {kind: share for kind, (share, _s, _e) in self.ASSET_KINDS.items()}
        held = [(pk, starts) for pk, _code, starts, was_held in self.held_events
                if was_held]  # fmt: skip

        def rows():
            for pk in range(first, first + count):
                kind = _pick(rng, mix)
                _share, (median, sigma), types = self.ASSET_KINDS[kind]
                extension, content_type = rng.choice(types)
                size = int(rng.lognormvariate(0, sigma) * median * 1_000_000)
                event = taken = None
                if rng.random() < 0.45:
                    event, taken = rng.choice(held)
                    uploaded = taken + timedelta(hours=rng.randint(2, 72))
                else:
                    uploaded = self.when.moment()
                    taken = uploaded - timedelta(days=rng.randint(0, 30))
                state = _pick(rng, {"ready": 97, "processing": 1, "failed": 2})
                titled = rng.random() < 0.3
                title, key = text.title("ka") if titled else ("", "")
                visual = kind in ("photo", "video")
                yield (
                    pk, kind,
                    f"archive/originals/{uploaded:%Y/%m}/{_hex(rng, 32)}.{extension}",
                    f"IMG_{pk:06d}.{extension}", extension, content_type, size,
                    _hex(rng, 64), state,
                    "could not read the file" if state == "failed" else "", "",
                    title, title, None, None, "", "", None, None, "", taken,
                    "Tbilisi" if titled else "", "", "Press office",
                    _pick(rng, {"internal": 50, "press": 35, "public": 15}),
                    None, _pick(rng, {"not_needed": 70, "obtained": 25,
                                      "pending": 4, "refused": 1}),
                    "", "Canon EOS R6" if kind == "photo" else "",
                    rng.choice((4000, 6000)) if visual else None,
                    rng.choice((3000, 4000)) if visual else None,
                    rng.uniform(10, 3600) if kind in ("video", "audio") else None,
                    {"s": f"archive/thumbs/{pk}/s.jpg",
                     "m": f"archive/thumbs/{pk}/m.jpg"}
                    if state == "ready" and visual else {},
                    key, rng.choice(self.staff), uploaded, "", event,
                )  # fmt: skip

        self.load.copy(
            "archive_asset",
            (
                "id", "kind", "file", "original_name", "extension",
                "content_type", "size", "sha256", "state", "failure",
                "processing_note", "title", "title_ka", "title_hy", "title_en",
                "caption", "caption_ka", "caption_hy", "caption_en",
                "description", "taken_at", "place", "people_shown", "credit",
                "rights", "licence_expires", "consent", "consent_note", "camera",
                "width", "height", "duration_seconds", "renditions",
                "search_text", "uploaded_by_id", "uploaded_at", "import_path",
                "event_id",
            ),
            rows(),
        )  # fmt: skip

    # Inquiries.

    def inquiries(self) -> None:
        rng, text = self.rng, self.text
        first = self.load.next_id("inquiries_request")
        count = self.n(3_000)
        kinds = {"journalist": 35, "public_info": 30, "letter": 25, "hotline": 5,
                 "agency": 5}  # fmt: skip
        days = {"journalist": 3, "public_info": 10, "letter": 30, "hotline": 1,
                "agency": 30}  # fmt: skip
        channels = ["email", "email", "web", "letter", "phone", "in_person", "social"]
        outcomes = {"answered": 70, "partly": 5, "refused": 7, "forwarded": 5,
                    "registered": 3, "assigned": 5, "drafted": 3,
                    "approved": 2}  # fmt: skip
        received_moments = sorted(self.when.moment() for _ in range(count))
        methods = ["email", "email", "letter", "phone"]

        def rows():
            for sequence, received in enumerate(received_moments, start=1):
                pk = first + sequence - 1
                kind = _pick(rng, kinds)
                profile, _code = self.law_profiles[0 if rng.random() < 0.8 else -1]
                local_day = (received + timedelta(hours=4)).date()
                original_due = local_day + timedelta(days=days[kind])
                extended = kind == "public_info" and rng.random() < 0.1
                due = original_due + timedelta(days=10) if extended else original_due
                status = _pick(rng, outcomes)
                answered = None
                if status in ("answered", "partly", "refused", "forwarded"):
                    late = rng.random() < 0.12
                    answer_day = (
                        due + timedelta(days=rng.randint(1, 10))
                        if late
                        else local_day
                        + timedelta(days=rng.randint(0, (due - local_day).days))
                    )
                    answered = datetime(
                        answer_day.year, answer_day.month, answer_day.day,
                        rng.randint(6, 13), tzinfo=UTC,
                    )  # fmt: skip
                    answered = max(answered, received + timedelta(hours=1))
                person = rng.choice(self.people_ids)
                subject, subject_key = text.title(self.person_language[person])
                body, body_key = text.paragraph(self.person_language[person], 4)
                grounds = self.grounds.get(profile) or [None]
                yield (
                    pk, self.year, sequence, f"{self.year}/{sequence:04d}", kind,
                    rng.choice(channels), person, self.person_name[person],
                    self.emails[person], "", "", self.person_language[person],
                    subject, body, received, profile, due, original_due,
                    "more time needed" if extended else "",
                    received + timedelta(days=3) if extended else None,
                    status, rng.choice(self.staff),
                    text.paragraph("ka", 3)[0] if answered else "",
                    rng.choice(self.staff) if answered else None,
                    rng.choice(self.staff) if answered else None,
                    answered, answered, rng.choice(methods) if answered else "",
                    rng.choice(grounds) if status == "refused" else None,
                    "Ministry" if status == "forwarded" else "", "",
                    f"{subject_key} {body_key}", rng.choice(self.staff), received,
                    answered or received,
                )  # fmt: skip

        self.load.copy(
            "inquiries_request",
            (
                "id", "year", "sequence", "number", "kind", "channel",
                "requester_id", "requester_name", "requester_email",
                "requester_phone", "requester_address", "language", "subject",
                "text", "received_at", "law_profile_id", "due_on",
                "original_due_on", "extension_reason", "extended_at", "status",
                "assignee_id", "answer_text", "drafted_by_id", "approved_by_id",
                "approved_at", "answered_at", "answer_method",
                "refusal_ground_id", "forwarded_to_name", "secret_hash",
                "search_text", "created_by_id", "created_at", "updated_at",
            ),
            rows(),
        )  # fmt: skip


def fill(*, year: int, scale: float = 1.0, seed: int = 8, echo=print) -> dict:
    """Write the data set for ``year``; returns {table: rows written}."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        loader = Loader(cursor)
        data = DataSet(loader, year, scale, seed)
        steps = [
            ("users", data.users),
            ("contacts", lambda: (data.organisations(), data.people())),
            ("events", data.events),
            ("press releases", data.releases),
            ("monitoring", data.monitoring),
            ("archive", data.assets),
            ("inquiries", data.inquiries),
        ]
        for name, step in steps:
            step_started = time.perf_counter()
            step()
            echo(f"  {name}: {time.perf_counter() - step_started:.0f} s")
        models = [
            model for model in apps.get_models() if model._meta.db_table in loader.rows
        ]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    analyse_started = time.perf_counter()
    with connection.cursor() as cursor:
        # VACUUM as well as ANALYZE: a database that has lived a year has its
        # visibility map set, and autovacuum would otherwise wake up in the
        # middle of the timings.
        cursor.execute("VACUUM (ANALYZE)")
    echo(
        f"  VACUUM (ANALYZE): {time.perf_counter() - analyse_started:.0f} s; "
        f"filled in {time.perf_counter() - started:.0f} s"
    )
    return dict(loader.rows)
