"""Demo events for `seed_demo`: a month around today in the world of the seeds.

Press conferences of the Public Defender and the ministries, a council session,
a public hearing and reception days in Vanadzor, an official meeting and a
seminar, with checklists, invitations and media accreditations. Bodies and
venues are real; every person is invented (the demo contacts), every address
is on an example domain. Each event is created once: a second run adds nothing.
"""

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from contacts import services as contact_services
from contacts.models import Interaction, Person
from events.models import (
    Accreditation,
    AgendaItem,
    ChecklistTask,
    Event,
    EventType,
    FollowUp,
    Invitation,
    Venue,
)
from prapp.models import User
from prapp.text import search_key

# key: name, address, capacity, accessibility notes
VENUES = {
    "pdo": ("სახალხო დამცველის აპარატი, საკონფერენციო დარბაზი", "თბილისი", 80, "პანდუსი შესასვლელთან, ლიფტი"),
    "pdo-kutaisi": ("სახალხო დამცველის ქუთაისის ოფისი", "ქუთაისი", 25, "პირველი სართული"),
    "mia": ("შინაგან საქმეთა სამინისტრო, ბრიფინგების დარბაზი", "თბილისი", 60, ""),
    "geostat": ("საქსტატი, პრესცენტრი", "თბილისი", 50, "ლიფტი"),
    "ssa": ("სოციალური მომსახურების სააგენტო, სასწავლო ცენტრი", "თბილისი", 40, ""),
    "vanadzor": ("Վանաձորի համայնքապետարան, նիստերի դահլիճ", "Վանաձոր, Լոռու մարզ", 120, "Թեքահարթակ գլխավոր մուտքի մոտ"),
    "vanadzor-mayor": ("Վանաձորի համայնքապետարան, համայնքի ղեկավարի ընդունարան", "Վանաձոր, Լոռու մարզ", 15, ""),
}  # fmt: skip

# days from today, hour, type, venue, English, Georgian, Armenian, status
# (None: held if past, confirmed if future), accreditation open, organisation
# whose people are key participants, responsible (username)
EVENTS = [
    (-13, 11, "press-conference", "pdo", "Public Defender presents the special report on the rights of persons with disabilities", "სახალხო დამცველი შეზღუდული შესაძლებლობის მქონე პირთა უფლებების შესახებ სპეციალურ ანგარიშს წარადგენს", "Հանրային պաշտպանը ներկայացնում է հաշմանդամություն ունեցող անձանց իրավունքների մասին հատուկ զեկույցը", None, True, "Public Defender's Office of Georgia", "giorgi.kapanadze"),
    (-10, 10, "council-session", "vanadzor", "Session of the Vanadzor Council of Elders", "ვანაძორის თემის საკრებულოს სხდომა", "Վանաձոր համայնքի ավագանու նիստ", None, False, "Vanadzor Municipality", "anna.hakobyan"),
    (-8, 10, "reception-day", "vanadzor-mayor", "Citizen reception day of the Head of Vanadzor community", "ვანაძორის თემის ხელმძღვანელის მიერ მოქალაქეთა მიღების დღე", "Վանաձոր համայնքի ղեկավարի կողմից քաղաքացիների ընդունելության օր", None, False, "Vanadzor Municipality", "anna.hakobyan"),
    (-6, 12, "briefing", "mia", "Ministry of Internal Affairs briefing on road safety during the holidays", "შინაგან საქმეთა სამინისტროს ბრიფინგი დღესასწაულების პერიოდში საგზაო უსაფრთხოების შესახებ", "Ներքին գործերի նախարարության ճեպազրույց տոնական օրերին ճանապարհային անվտանգության վերաբերյալ", None, False, "Ministry of Internal Affairs of Georgia", "giorgi.kapanadze"),
    (-3, 15, "seminar", "pdo", "Working meeting with regional media on access to public information", "სამუშაო შეხვედრა რეგიონულ მედიასთან საჯარო ინფორმაციის ხელმისაწვდომობის შესახებ", "Աշխատանքային հանդիպում մարզային լրատվամիջոցների հետ հանրային տեղեկատվության հասանելիության վերաբերյալ", None, False, "Public Defender's Office of Georgia", "nino.beridze"),
    (-1, 11, "official-meeting", "vanadzor-mayor", "Official meeting of the Head of Vanadzor community with the UNDP delegation", "ვანაძორის თემის ხელმძღვანელის ოფიციალური შეხვედრა გაეროს განვითარების პროგრამის დელეგაციასთან", "Վանաձոր համայնքի ղեկավարի պաշտոնական հանդիպումը ՄԱԶԾ պատվիրակության հետ", None, False, "UNDP in Georgia", "anna.hakobyan"),
    (2, 11, "press-conference", "geostat", "Geostat presents the preliminary estimate of economic growth for the quarter", "საქსტატი კვარტლის ეკონომიკური ზრდის წინასწარ შეფასებას წარადგენს", "Վրաստանի վիճակագրության ազգային ծառայությունը ներկայացնում է եռամսյակի տնտեսական աճի նախնական գնահատականը", None, True, "National Statistics Office of Georgia (Geostat)", "giorgi.kapanadze"),
    (4, 11, "public-hearing", "vanadzor", "Public hearing on the draft budget of Vanadzor community for next year", "საჯარო განხილვა ვანაძორის თემის მომავალი წლის ბიუჯეტის პროექტზე", "Հանրային լսում Վանաձոր համայնքի հաջորդ տարվա բյուջեի նախագծի վերաբերյալ", Event.Status.PLANNED, True, "Vanadzor Municipality", "anna.hakobyan"),
    (7, 10, "press-conference", "pdo", "Public Defender's press conference on conditions in penitentiary institutions", "სახალხო დამცველის პრესკონფერენცია პენიტენციურ დაწესებულებებში არსებულ მდგომარეობაზე", "Հանրային պաշտպանի մամուլի ասուլիսը քրեակատարողական հիմնարկներում պայմանների վերաբերյալ", None, True, "Public Defender's Office of Georgia", "giorgi.kapanadze"),
    (9, 11, "reception-day", "pdo-kutaisi", "Citizen reception at the Public Defender's office in Kutaisi", "მოქალაქეთა მიღება სახალხო დამცველის ქუთაისის ოფისში", "Քաղաքացիների ընդունելություն Հանրային պաշտպանի Քութայիսիի գրասենյակում", Event.Status.PLANNED, False, "Public Defender's Office of Georgia", "nino.beridze"),
    (11, 10, "council-session", "vanadzor", "Session of the Vanadzor Council of Elders", "ვანაძორის თემის საკრებულოს სხდომა", "Վանաձոր համայնքի ավագանու հերթական նիստ", Event.Status.PLANNED, False, "Vanadzor Municipality", "anna.hakobyan"),
    (13, 14, "seminar", "ssa", "Social Service Agency seminar on the new rules of social assistance", "სოციალური მომსახურების სააგენტოს სემინარი სოციალური დახმარების ახალ წესებზე", "Սոցիալական ծառայությունների գործակալության սեմինար սոցիալական աջակցության նոր կանոնների վերաբերյալ", Event.Status.PLANNED, False, "Social Service Agency", "nino.beridze"),
    (15, 12, "briefing", "mia", "Ministry of Internal Affairs briefing on the new service centres of the patrol police", "შინაგან საქმეთა სამინისტროს ბრიფინგი საპატრულო პოლიციის ახალი მომსახურების ცენტრების შესახებ", "Ներքին գործերի նախարարության ճեպազրույց պարեկային ոստիկանության նոր սպասարկման կենտրոնների մասին", Event.Status.POSTPONED, False, "Ministry of Internal Affairs of Georgia", "giorgi.kapanadze"),
]  # fmt: skip

# Agenda of the Vanadzor sessions and hearing (the seed's own vocabulary).
AGENDA = {
    "Session of the Vanadzor Council of Elders": [
        ("Վանաձոր համայնքի բյուջեի կատարման եռամսյակային հաշվետվության մասին", "Ընդունվել է ի գիտություն։ Կողմ՝ 21, դեմ՝ 0, ձեռնպահ՝ 2։"),
        ("Համայնքային սեփականություն հանդիսացող հողամասերի աճուրդով օտարման մասին", "Հաստատվել է։ Կողմ՝ 18, դեմ՝ 3, ձեռնպահ՝ 2։"),
        ("Ներբակային տարածքների բարեկարգման ծրագրին համաֆինանսավորում տրամադրելու մասին", "Հաստատվել է միաձայն։"),
        ("Մանկապարտեզների ծառայությունների վարձավճարների արտոնությունների մասին", "Հետաձգվել է հաջորդ նիստին՝ լրացուցիչ հաշվարկների համար։"),
    ],
    "Public hearing on the draft budget of Vanadzor community for next year": [
        ("Համայնքի հաջորդ տարվա բյուջեի նախագծի ներկայացում", ""),
        ("Կապիտալ ծախսերի ծրագիր՝ փողոցների լուսավորություն և ճանապարհներ", ""),
        ("Բնակիչների առաջարկություններ և հարցեր", ""),
    ],
}  # fmt: skip
NEXT_SESSION_AGENDA = [
    ("Համայնքի ղեկավարի տարեկան աշխատանքային պլանի կատարման ընթացքի մասին", ""),
    ("Հանրային լսման արդյունքների քննարկում և բյուջեի նախագծի հավանություն", ""),
]  # fmt: skip

OUTCOMES = {
    "press-conference": "ანგარიში წარდგენილია; 14 მედიასაშუალება, 3 პირდაპირი ჩართვა.",
    "council-session": "Նիստին մասնակցել է 23 ավագանի. որոշումները հրապարակված են համայնքի կայքում։",
    "reception-day": "Ընդունվել է 31 քաղաքացի. 9 դիմում փոխանցվել է համապատասխան բաժիններին։",
    "briefing": "ბრიფინგს დაესწრო 9 მედიასაშუალება; ვიდეო გამოქვეყნდა სამინისტროს გვერდზე.",
    "seminar": "18 მონაწილე 9 რეგიონული მედიასაშუალებიდან; პრეზენტაციები გაეგზავნათ მონაწილეებს.",
    "official-meeting": "Քննարկվել են համայնքային ենթակառուցվածքների ծրագրերը. ստորագրվել է համագործակցության հուշագիր։",
}  # fmt: skip
PEOPLE_RECEIVED = {"reception-day": 31}

# Invented journalists asking for accreditation through the public form.
REQUESTS = [
    ("მარიამ ჩიქოვანი", "ნეტგაზეთი", "reporter", "mariam.chikovani.acc@example.ge", "+995599301122", "ka"),
    ("ზურაბ ღლონტი", "ტელეკომპანია იმედი", "camera", "zurab.ghlonti.acc@example.ge", "+995577402233", "ka"),
    ("Լիլիթ Ավետիսյան", "Հետք", "photo", "lilit.avetisyan.acc@example.am", "+37493112233", "hy"),
    ("Sophie Laurent", "Agence France-Presse", "photo", "sophie.laurent@example.com", "", "en"),
]  # fmt: skip


def _at(day_offset: int, hour: int, minute: int = 0):
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _venues() -> dict:
    venues = {}
    for key, (name, address, capacity, notes) in VENUES.items():
        venues[key], _created = Venue.objects.get_or_create(
            name=name,
            defaults={
                "address": address,
                "capacity": capacity,
                "accessibility_notes": notes,
            },
        )
    return venues


def _people_of(organisation_en: str, count: int) -> list[Person]:
    return list(
        Person.objects.filter(
            affiliations__organisation__name_en=organisation_en
        ).order_by("pk")[:count]
    )


def _journalists() -> list[Person]:
    return list(
        Person.objects.filter(
            affiliations__organisation__kind="media",
            emails__isnull=False,
            opted_out_at__isnull=True,
        )
        .distinct()
        .order_by("pk")[:40]
    )


def _checklist(event: Event, held: bool, rng: random.Random) -> None:
    start = timezone.localtime(event.starts_at).date()
    today = timezone.localdate()
    tasks = []
    with translation.override(settings.LANGUAGE_CODE):
        for position, item in enumerate(event.event_type.checklist_items.all()):
            due = start - timedelta(days=item.days_before)
            done = held or (due < today and rng.random() < 0.7)
            tasks.append(
                ChecklistTask(
                    event=event,
                    title=item.title,
                    due_on=due,
                    assignee=event.responsible,
                    position=position,
                    state=ChecklistTask.State.DONE
                    if done
                    else ChecklistTask.State.OPEN,
                    completed_at=timezone.now() - timedelta(days=1) if done else None,
                )
            )
    ChecklistTask.objects.bulk_create(tasks)


def _agenda(event: Event, items) -> None:
    held = event.status == Event.Status.HELD
    for position, (title, decision) in enumerate(items, start=1):
        AgendaItem.objects.create(
            event=event,
            position=position,
            title=title,
            decision=decision if held else "",
        )


def _invite(event: Event, people: list[Person], held: bool, rng: random.Random):
    source = f"events.event:{event.pk}"
    sent_at = event.starts_at - timedelta(days=4)
    answers = ["accepted", "accepted", "declined", "maybe", ""]
    for person in people:
        email = person.emails.order_by("-is_primary", "pk").first()
        response = rng.choice(answers)
        attended = held and response == "accepted" and rng.random() < 0.8
        Invitation.objects.create(
            event=event,
            person=person,
            role=Invitation.Role.MEDIA,
            email=email.email if email else "",
            language=person.language,
            delivery=Invitation.Delivery.SENT,
            sent_at=sent_at,
            response=response,
            response_channel=(
                rng.choice([Invitation.Channel.LINK, Invitation.Channel.PHONE])
                if response
                else ""
            ),
            responded_at=sent_at + timedelta(hours=rng.randint(2, 60))
            if response
            else None,
            attended_at=event.starts_at - timedelta(minutes=10) if attended else None,
            invited_by=event.responsible,
        )
        contact_services.interaction_record(
            kind=Interaction.Kind.INVITED,
            summary=str(event.title_ka or event.title_en),
            person=person,
            happened_at=sent_at,
            source=source,
        )
        if attended:
            contact_services.interaction_record(
                kind=Interaction.Kind.ATTENDED,
                summary=str(event.title_ka or event.title_en),
                person=person,
                happened_at=event.starts_at,
                source=source,
            )


def _accredit_known(event, person: Person, decided_by, number: int) -> None:
    """An approved accreditation of a journalist already in the contacts."""
    affiliation = person.affiliations.select_related("organisation").first()
    email = person.emails.order_by("-is_primary", "pk").first()
    phone = person.phones.first()
    accreditation = Accreditation.objects.create(
        event=event,
        full_name=f"{person.first_name} {person.last_name}".strip(),
        outlet=str(affiliation.organisation) if affiliation else "—",
        role=[Accreditation.Role.REPORTER, Accreditation.Role.CAMERA][number % 2],
        press_card=f"PC-{2400 + person.pk}",
        email=email.email if email else f"press{person.pk}@example.ge",
        phone=phone.number if phone else "",
        language=person.language,
        status=Accreditation.Status.APPROVED,
        decided_by=decided_by,
        decided_at=timezone.now() - timedelta(days=1),
        person=person,
    )
    accreditation.badge_number = f"AC-{timezone.now():%y}-{accreditation.pk:05d}"
    accreditation.save(update_fields=["badge_number"])
    contact_services.interaction_record(
        kind=Interaction.Kind.ACCREDITED,
        summary=str(event.title_ka or event.title_en),
        person=person,
        happened_at=accreditation.decided_at,
        source=f"events.event:{event.pk}",
    )


def _accreditation_requests(event: Event, rows) -> None:
    for full_name, outlet, role, email, phone, language in rows:
        Accreditation.objects.create(
            event=event,
            full_name=full_name,
            outlet=outlet,
            role=role,
            email=email,
            phone=phone,
            language=language,
        )


@transaction.atomic
def seed_events() -> int:
    """Create the demo month of events once; later runs add nothing. Returns new."""
    # The month is laid around the day of the first run; later runs (even on
    # another day) find its first event and leave everything as it is.
    if Event.objects.filter(title_en=EVENTS[0][4]).exists():
        return 0
    rng = random.Random(2018)
    types = {t.code: t for t in EventType.objects.all()}
    users = {u.username: u for u in User.objects.all()}
    venues = _venues()
    journalists = _journalists()
    now = timezone.now()
    created = 0
    for number, row in enumerate(EVENTS):
        offset, hour, code, venue, en, ka, hy, status, accreditation, owner, who = row
        starts_at = _at(offset, hour)
        past = starts_at < now
        if status is None:
            status = Event.Status.HELD if past else Event.Status.CONFIRMED
        held = status == Event.Status.HELD
        event = Event(
            event_type=types[code],
            title=en,
            title_en=en,
            title_ka=ka,
            title_hy=hy,
            status=status,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2 if code != "reception-day" else 5),
            venue=venues[venue],
            responsible=users.get(who),
            unit="საზოგადოებასთან ურთიერთობის სამსახური"
            if venue != "vanadzor" and not venue.startswith("vanadzor")
            else "Հանրային կապերի, լրատվության և արարողակարգի բաժին",
            accreditation_open=accreditation and not past,
            outcome=OUTCOMES.get(code, "") if held else "",
            people_received=PEOPLE_RECEIVED.get(code) if held else None,
            effectiveness=rng.randint(3, 5) if held else None,
            created_by=users.get(who),
        )
        event.search_key = search_key(ka, hy, en)
        event.full_clean(exclude=["search_key"])
        event.save()
        event.key_participants.set(_people_of(owner, 2))
        _checklist(event, held, rng)
        if code == "council-session":
            _agenda(event, AGENDA.get(en) if held else NEXT_SESSION_AGENDA)
        elif en in AGENDA:
            _agenda(event, AGENDA[en])
        if held and code == "council-session":
            FollowUp.objects.create(
                event=event,
                instruction="Հրապարակել ավագանու որոշումների պաշտոնական տեղեկատվությունը համայնքի կայքում և ֆեյսբուքյան էջում",
                unit="Հանրային կապերի, լրատվության և արարողակարգի բաժին",
                assignee=users.get(who),
                due_on=timezone.localdate() - timedelta(days=offset + 3),
            )
        if code in ("press-conference", "briefing", "public-hearing") and journalists:
            _invite(event, rng.sample(journalists, min(8, len(journalists))), held, rng)
        if accreditation and journalists:
            for index, person in enumerate(rng.sample(journalists, 2)):
                if not Accreditation.objects.filter(
                    event=event, person=person
                ).exists():
                    _accredit_known(event, person, users.get(who), index)
        if accreditation and not past:
            _accreditation_requests(event, REQUESTS[number % 2 :: 2])
        created += 1
    return created
