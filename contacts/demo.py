"""Demo contacts for `seed_demo`: the outlets, agencies, NGOs and journalists.

Names of organisations are real public bodies and outlets; every person is
invented, and every address uses example domains, so nobody real is mailed.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from contacts import services
from contacts.models import (
    ContactGroup,
    ContactList,
    Interaction,
    Organisation,
    PartnerAgreement,
    Person,
    Region,
)

# kind, media type, English, Georgian, Armenian, Latin, region (English name)
ORGANISATIONS = [
    ("state", "", "Public Defender's Office of Georgia", "საქართველოს სახალხო დამცველის აპარატი", "Վրաստանի հանրային պաշտպանի գրասենյակ", "Sakhalkho Damtsvelis Aparati", "Tbilisi"),
    ("state", "", "Ministry of Internal Affairs of Georgia", "საქართველოს შინაგან საქმეთა სამინისტრო", "Վրաստանի ներքին գործերի նախարարություն", "", "Tbilisi"),
    ("state", "", "Social Service Agency", "სოციალური მომსახურების სააგენტო", "Սոցիալական ծառայությունների գործակալություն", "", "Tbilisi"),
    ("state", "", "National Statistics Office of Georgia (Geostat)", "საქართველოს სტატისტიკის ეროვნული სამსახური (საქსტატი)", "Վրաստանի վիճակագրության ազգային ծառայություն", "Sakstati", "Tbilisi"),
    ("parliament", "", "Parliament of Georgia", "საქართველოს პარლამენტი", "Վրաստանի խորհրդարան", "", "Imereti"),
    ("municipality", "", "Tbilisi City Hall", "თბილისის მერია", "Թբիլիսիի քաղաքապետարան", "Tbilisis Meria", "Tbilisi"),
    ("municipality", "", "Vanadzor Municipality", "ვანაძორის მუნიციპალიტეტი", "Վանաձորի համայնքապետարան", "Vanadzori hamaynqapetaran", "Lori"),
    ("state", "", "Lori Regional Administration", "ლორეს მარზპეტარანი", "Լոռու մարզպետարան", "", "Lori"),
    ("media", "tv", "Georgian Public Broadcaster", "საქართველოს საზოგადოებრივი მაუწყებელი", "Վրաստանի հանրային հեռարձակող", "", "Tbilisi"),
    ("media", "tv", "Rustavi 2", "რუსთავი 2", "Ռուսթավի 2", "", "Tbilisi"),
    ("media", "tv", "Imedi TV", "ტელეკომპანია იმედი", "Իմեդի հեռուստաընկերություն", "", "Tbilisi"),
    ("media", "agency", "Interpressnews", "ინტერპრესნიუსი", "Ինտերպրեսնյուս", "", "Tbilisi"),
    ("media", "online", "Netgazeti", "ნეტგაზეთი", "Նետգազեթի", "", "Tbilisi"),
    ("media", "print", "Batumelebi", "ბათუმელები", "Բաթումելեբի", "", "Adjara"),
    ("media", "radio", "Radio Liberty Georgian Service", "რადიო თავისუფლება", "Ազատություն ռադիոկայանի վրացական ծառայություն", "", "Tbilisi"),
    ("media", "tv", "Armenian Public Television", "სომხეთის საზოგადოებრივი ტელევიზია", "Հանրային հեռուստաընկերություն", "", "Yerevan"),
    ("media", "agency", "Armenpress", "არმენპრესი", "Արմենպրես", "", "Yerevan"),
    ("media", "online", "Hetq", "ჰეტკი", "Հետք", "", "Yerevan"),
    ("media", "radio", "Azatutyun Radio", "რადიო აზატუთიუნი", "Ազատություն ռադիոկայան", "", "Yerevan"),
    ("ngo", "", "Georgian Young Lawyers' Association", "საქართველოს ახალგაზრდა იურისტთა ასოციაცია", "Վրաստանի երիտասարդ իրավաբանների ասոցիացիա", "", "Tbilisi"),
    ("ngo", "", "Transparency International Georgia", "საერთაშორისო გამჭვირვალობა — საქართველო", "Թրանսփարենսի Ինթերնեշնլ Վրաստան", "", "Tbilisi"),
    ("ngo", "", "Helsinki Citizens' Assembly Vanadzor", "ჰელსინკის სამოქალაქო ასამბლეა — ვანაძორი", "Հելսինկյան քաղաքացիական ասամբլեայի Վանաձորի գրասենյակ", "", "Lori"),
    ("international", "", "UNDP in Georgia", "გაეროს განვითარების პროგრამა საქართველოში", "ՄԱԿ-ի զարգացման ծրագիրը Վրաստանում", "", "Tbilisi"),
    ("international", "", "Council of Europe Office in Georgia", "ევროპის საბჭოს ოფისი საქართველოში", "Եվրոպայի խորհրդի գրասենյակը Վրաստանում", "", "Tbilisi"),
    ("embassy", "", "Embassy of Armenia in Georgia", "სომხეთის საელჩო საქართველოში", "Վրաստանում Հայաստանի դեսպանություն", "", "Tbilisi"),
    ("academic", "", "Tbilisi State University", "ივანე ჯავახიშვილის სახელობის თბილისის სახელმწიფო უნივერსიტეტი", "Թբիլիսիի պետական համալսարան", "", "Tbilisi"),
    ("religious", "", "Armenian Apostolic Church Diocese in Georgia", "სომეხთა სამოციქულო ეკლესიის ეპარქია საქართველოში", "Հայ առաքելական եկեղեցու Վրաստանի թեմ", "", "Tbilisi"),
]  # fmt: skip

GEORGIAN_FIRST = [("ნინო", "Nino"), ("გიორგი", "Giorgi"), ("თამარ", "Tamar"), ("ლევან", "Levan"), ("ეკა", "Eka"), ("დავით", "Davit"), ("მარიამ", "Mariam"), ("ირაკლი", "Irakli"), ("სალომე", "Salome"), ("ზურაბ", "Zurab"), ("ქეთევან", "Ketevan"), ("ლაშა", "Lasha")]  # fmt: skip
GEORGIAN_LAST = [("ბერიძე", "Beridze"), ("კაპანაძე", "Kapanadze"), ("გელაშვილი", "Gelashvili"), ("მაისურაძე", "Maisuradze"), ("ლომიძე", "Lomidze"), ("წიკლაური", "Tsiklauri"), ("ჩიქოვანი", "Chikovani"), ("ხარაიშვილი", "Kharaishvili"), ("ღლონტი", "Ghlonti"), ("ჯავახიშვილი", "Javakhishvili")]  # fmt: skip
ARMENIAN_FIRST = [("Անի", "Ani"), ("Արամ", "Aram"), ("Լիլիթ", "Lilit"), ("Դավիթ", "Davit"), ("Նարինե", "Narine"), ("Տիգրան", "Tigran"), ("Մարիամ", "Mariam"), ("Գոռ", "Gor"), ("Սոնա", "Sona"), ("Հայկ", "Hayk")]  # fmt: skip
ARMENIAN_LAST = [("Պետրոսյան", "Petrosyan"), ("Գրիգորյան", "Grigoryan"), ("Սարգսյան", "Sargsyan"), ("Հովհաննիսյան", "Hovhannisyan"), ("Ղազարյան", "Ghazaryan"), ("Մկրտչյան", "Mkrtchyan"), ("Վարդանյան", "Vardanyan"), ("Ավետիսյան", "Avetisyan")]  # fmt: skip

GROUPS = [
    ("human rights", "ადამიანის უფლებები", "մարդու իրավունքներ"),
    ("regional media", "რეგიონული მედია", "մարզային լրատվամիջոցներ"),
    ("social protection", "სოციალური დაცვა", "սոցիալական պաշտպանություն"),
    ("statistics users", "სტატისტიკის მომხმარებლები", "վիճակագրության օգտատերեր"),
    ("local government", "ადგილობრივი თვითმმართველობა", "տեղական ինքնակառավարում"),
]

POSITIONS_KA = ["ჟურნალისტი", "რედაქტორი", "რეპორტიორი", "პრესსპიკერი", "ოპერატორი", "ფოტორეპორტიორი"]  # fmt: skip
POSITIONS_HY = ["լրագրող", "խմբագիր", "թղթակից", "մամուլի քարտուղար", "օպերատոր", "ֆոտոլրագրող"]  # fmt: skip
ROLES = ["reporter", "editor", "camera", "photo", "press officer"]


def _phone(rng: random.Random, armenian: bool) -> str:
    if armenian:
        return f"+374{rng.choice(['91', '93', '94', '77', '99'])}{rng.randint(100000, 999999)}"
    return f"+9955{rng.choice(['55', '57', '58', '68', '93', '99'])}{rng.randint(100000, 999999)}"


@transaction.atomic
def seed_contacts(people: int = 120) -> int:
    """Create the demo contacts once; later runs add nothing. Returns people created."""
    if Organisation.objects.filter(name_en=ORGANISATIONS[0][2]).exists():
        return 0
    rng = random.Random(2026)
    regions = {r.name_en: r for r in Region.objects.all()}
    organisations = []
    for kind, media_type, en, ka, hy, latin, region in ORGANISATIONS:
        organisations.append(
            services.organisation_create(
                data={
                    "kind": kind,
                    "media_type": media_type,
                    "name_en": en,
                    "name_ka": ka,
                    "name_hy": hy,
                    "name_latin": latin or en,
                    "region": regions.get(region),
                },
                actor=None,
            )
        )
    groups = []
    for en, ka, hy in GROUPS:
        group = ContactGroup(name=en, name_en=en, name_ka=ka, name_hy=hy)
        group.full_clean()
        group.save()
        groups.append(group)
    media = [o for o in organisations if o.kind == Organisation.Kind.MEDIA]
    created = 0
    now = timezone.now()
    for number in range(people):
        armenian = number % 3 == 2
        english = number % 17 == 0
        if armenian:
            (first, first_latin), (last, last_latin) = (
                rng.choice(ARMENIAN_FIRST),
                rng.choice(ARMENIAN_LAST),
            )
            position = rng.choice(POSITIONS_HY)
            domain = "example.am"
        else:
            (first, first_latin), (last, last_latin) = (
                rng.choice(GEORGIAN_FIRST),
                rng.choice(GEORGIAN_LAST),
            )
            position = rng.choice(POSITIONS_KA)
            domain = "example.ge"
        organisation = rng.choice(media if number % 4 else organisations)
        person = services.person_create(
            data={
                "first_name": first,
                "last_name": last,
                "first_name_latin": first_latin,
                "last_name_latin": last_latin,
                "position": position,
                "language": "en" if english else ("hy" if armenian else "ka"),
                "region": organisation.region,
                "consent_basis": rng.choice(
                    [Person.ConsentBasis.CONSENT, Person.ConsentBasis.PUBLIC_TASK]
                ),
                "consent_evidence": "Accreditation form, signed",
                "consent_at": now - timedelta(days=rng.randint(30, 700)),
            },
            emails=[{"email": f"{first_latin}.{last_latin}.{number}@{domain}".lower()}],
            phones=[{"number": _phone(rng, armenian)}],
            organisation=organisation,
            role=rng.choice(ROLES),
            groups=rng.sample(groups, k=rng.randint(0, 2)),
            actor=None,
        )
        if number % 5:
            Person.objects.filter(pk=person.pk).update(
                last_verified_at=now - timedelta(days=rng.randint(1, 500))
            )
        if number % 11 == 0:
            services.interaction_record(
                kind=Interaction.Kind.CALL,
                summary="Asked for comments on the annual report.",
                person=person,
                actor=None,
                happened_at=now - timedelta(days=rng.randint(1, 90)),
            )
        created += 1
    Person.objects.filter(
        pk__in=Person.objects.order_by("pk").values("pk")[5:6]
    ).update(opted_out_at=now - timedelta(days=20), opted_out_source="unsubscribe link")
    everyone = ContactList(name="ყველა ჟურნალისტი", kind=ContactList.Kind.STATIC)
    everyone.save()
    everyone.members.set(
        Person.objects.filter(affiliations__organisation__kind="media")
    )
    ContactList.objects.create(
        name="Armenian-language media",
        kind=ContactList.Kind.SMART,
        criteria={"language": ["hy"], "kind": ["media"]},
    )
    PartnerAgreement.objects.create(
        organisation=organisations[22],
        title="Memorandum of cooperation on human-rights education",
        signed_on=timezone.localdate() - timedelta(days=700),
        expires_on=timezone.localdate() + timedelta(days=40),
    )
    PartnerAgreement.objects.create(
        organisation=organisations[19],
        title="ურთიერთთანამშრომლობის მემორანდუმი",
        signed_on=timezone.localdate() - timedelta(days=300),
        expires_on=timezone.localdate() + timedelta(days=400),
    )
    return created
