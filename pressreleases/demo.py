"""Demo press releases for `seed_demo`: a year of a Georgian PR office's output.

About five releases a month over the twelve months before the first run, in
Georgian, Armenian and English (a few only in Georgian, some without the
Armenian version, so fallbacks show): council sessions, budgets, roads, water,
kindergartens, health screening, grants, reception days, visits, winter aid…
They are composed from topic templates filled with the towns of Georgia and
varying figures, and carry a consistent history: versions, review comments,
approval by the manager, publication, a distribution to the journalists of the
demo contacts with its delivery ledger and their contact history. The newest
ones are still in the workflow: drafts, two in review, one approved under
embargo. The follow-ups of the demo events are linked to them.

Every place is real; every figure is invented. A second run adds nothing.
"""

import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.db import transaction
from django.utils import timezone

from contacts.models import ContactList, Interaction, Person
from contacts.selectors import recipients
from prapp.html import sanitize
from prapp.models import User
from prapp.text import slugify_any
from pressreleases.models import (
    CONTENT_FIELDS,
    Delivery,
    Distribution,
    PressRelease,
    ReleaseComment,
    ReleaseVersion,
    Tag,
)
from pressreleases.services import release_search_key

Status = PressRelease.Status
LANGUAGES = ("ka", "hy", "en")
MANAGER = "nino.beridze"
AUTHORS = ("giorgi.kapanadze", "anna.hakobyan")
JOURNALISTS_LIST = "ყველა ჟურნალისტი"

# slug, Georgian, Armenian, English
TAGS = [
    ("council", "საკრებულო", "ավագանի", "Council"),
    ("budget", "ბიუჯეტი", "բյուջե", "Budget"),
    ("infrastructure", "ინფრასტრუქტურა", "ենթակառուցվածքներ", "Infrastructure"),
    ("health", "ჯანდაცვა", "առողջապահություն", "Health"),
    ("education", "განათლება", "կրթություն", "Education"),
    ("social", "სოციალური დაცვა", "սոցիալական պաշտպանություն", "Social protection"),
    ("international", "საერთაშორისო ურთიერთობები", "միջազգային հարաբերություններ", "International relations"),
    ("citizens", "მოქალაქეები", "քաղաքացիներ", "Citizens"),
    ("culture", "კულტურა", "մշակույթ", "Culture"),
    ("transport", "ტრანსპორტი", "տրանսպորտ", "Transport"),
]  # fmt: skip


@dataclass(frozen=True)
class Place:
    key: str
    en: str
    city: bool  # a self-governing city ("City Council") or a municipality
    ka: tuple[str, str, str]  # name, genitive (of), locative (in)
    hy: tuple[str, str, str]
    street_ka: tuple[str, str]  # name, genitive
    street_hy: tuple[str, str]
    street_en: str
    armenian: bool = False  # Armenian community: the Armenian version matters
    own_water: bool = False  # water not run by the United Water Supply Company


PLACES = [
    Place("tbilisi", "Tbilisi", True, ("თბილისი", "თბილისის", "თბილისში"), ("Թբիլիսի", "Թբիլիսիի", "Թբիլիսիում"), ("ქეთევან წამებულის გამზირი", "ქეთევან წამებულის გამზირის"), ("Քեթևան Ծամեբուլի պողոտա", "Քեթևան Ծամեբուլի պողոտայի"), "Ketevan Tsamebuli Avenue", armenian=True, own_water=True),
    Place("kutaisi", "Kutaisi", True, ("ქუთაისი", "ქუთაისის", "ქუთაისში"), ("Քութայիսի", "Քութայիսիի", "Քութայիսիում"), ("ჭავჭავაძის ქუჩა", "ჭავჭავაძის ქუჩის"), ("Ճավճավաձեի փողոց", "Ճավճավաձեի փողոցի"), "Chavchavadze Street"),
    Place("batumi", "Batumi", True, ("ბათუმი", "ბათუმის", "ბათუმში"), ("Բաթումի", "Բաթումիի", "Բաթումիում"), ("გორგილაძის ქუჩა", "გორგილაძის ქუჩის"), ("Գորգիլաձեի փողոց", "Գորգիլաձեի փողոցի"), "Gorgiladze Street", own_water=True),
    Place("rustavi", "Rustavi", True, ("რუსთავი", "რუსთავის", "რუსთავში"), ("Ռուսթավի", "Ռուսթավիի", "Ռուսթավիում"), ("მეგობრობის გამზირი", "მეგობრობის გამზირის"), ("Բարեկամության պողոտա", "Բարեկամության պողոտայի"), "Megobroba Avenue", own_water=True),
    Place("poti", "Poti", True, ("ფოთი", "ფოთის", "ფოთში"), ("Փոթի", "Փոթիի", "Փոթիում"), ("დავით აღმაშენებლის ქუჩა", "დავით აღმაშენებლის ქუჩის"), ("Դավիթ Աղմաշենեբելու փողոց", "Դավիթ Աղմաշենեբելու փողոցի"), "Davit Aghmashenebeli Street"),
    Place("telavi", "Telavi", False, ("თელავი", "თელავის", "თელავში"), ("Թելավի", "Թելավիի", "Թելավիում"), ("ალაზნის გამზირი", "ალაზნის გამზირის"), ("Ալազանի պողոտա", "Ալազանի պողոտայի"), "Alazani Avenue"),
    Place("gori", "Gori", False, ("გორი", "გორის", "გორში"), ("Գորի", "Գորիի", "Գորիում"), ("რუსთაველის ქუჩა", "რუსთაველის ქუჩის"), ("Ռուսթավելու փողոց", "Ռուսթավելու փողոցի"), "Rustaveli Street"),
    Place("zugdidi", "Zugdidi", False, ("ზუგდიდი", "ზუგდიდის", "ზუგდიდში"), ("Զուգդիդի", "Զուգդիդիի", "Զուգդիդիում"), ("ზვიად გამსახურდიას გამზირი", "ზვიად გამსახურდიას გამზირის"), ("Զվիադ Գամսախուրդիայի պողոտա", "Զվիադ Գամսախուրդիայի պողոտայի"), "Zviad Gamsakhurdia Avenue"),
    Place("akhaltsikhe", "Akhaltsikhe", False, ("ახალციხე", "ახალციხის", "ახალციხეში"), ("Ախալցխա", "Ախալցխայի", "Ախալցխայում"), ("რუსთაველის ქუჩა", "რუსთაველის ქუჩის"), ("Ռուսթավելու փողոց", "Ռուսթավելու փողոցի"), "Rustaveli Street", armenian=True),
    Place("ozurgeti", "Ozurgeti", False, ("ოზურგეთი", "ოზურგეთის", "ოზურგეთში"), ("Օզուրգեթի", "Օզուրգեթիի", "Օզուրգեթիում"), ("გურიის ქუჩა", "გურიის ქუჩის"), ("Գուրիայի փողոց", "Գուրիայի փողոցի"), "Guria Street"),
    Place("marneuli", "Marneuli", False, ("მარნეული", "მარნეულის", "მარნეულში"), ("Մառնեուլի", "Մառնեուլիի", "Մառնեուլիում"), ("რუსთაველის ქუჩა", "რუსთაველის ქუჩის"), ("Ռուսթավելու փողոց", "Ռուսթավելու փողոցի"), "Rustaveli Street", armenian=True),
    Place("akhalkalaki", "Akhalkalaki", False, ("ახალქალაქი", "ახალქალაქის", "ახალქალაქში"), ("Ախալքալաք", "Ախալքալաքի", "Ախալքալաքում"), ("თავისუფლების ქუჩა", "თავისუფლების ქუჩის"), ("Ազատության փողոց", "Ազատության փողոցի"), "Tavisupleba Street", armenian=True),
    Place("ninotsminda", "Ninotsminda", False, ("ნინოწმინდა", "ნინოწმინდის", "ნინოწმინდაში"), ("Նինոծմինդա", "Նինոծմինդայի", "Նինոծմինդայում"), ("ჭავჭავაძის ქუჩა", "ჭავჭავაძის ქუჩის"), ("Ճավճավաձեի փողոց", "Ճավճավաձեի փողոցի"), "Chavchavadze Street", armenian=True),
]  # fmt: skip

# Delegations a mayor meets: English, Georgian genitive, Armenian genitive.
PARTNERS = [
    ("the European Union", "ევროკავშირის", "Եվրամիության"),
    ("the United Nations Development Programme", "გაეროს განვითარების პროგრამის", "ՄԱԿ-ի զարգացման ծրագրի"),
    ("the Council of Europe", "ევროპის საბჭოს", "Եվրոպայի խորհրդի"),
    ("the German development agency GIZ", "გერმანიის საერთაშორისო თანამშრომლობის საზოგადოების (GIZ)", "Գերմանիայի միջազգային համագործակցության ընկերության (GIZ)"),
    ("the Lithuanian city of Kaunas", "ლიტვის ქალაქ კაუნასის", "Լիտվայի Կաունաս քաղաքի"),
    ("Vanadzor community, Armenia", "სომხეთის ვანაძორის თემის", "Հայաստանի Վանաձոր համայնքի"),
]  # fmt: skip

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]  # fmt: skip
# Georgian: "on 5 March" (dative), "5 March" (nominative), "until 5 March".
MONTHS_KA_ON = ["იანვარს", "თებერვალს", "მარტს", "აპრილს", "მაისს", "ივნისს", "ივლისს", "აგვისტოს", "სექტემბერს", "ოქტომბერს", "ნოემბერს", "დეკემბერს"]  # fmt: skip
MONTHS_KA = ["იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი", "ივნისი", "ივლისი", "აგვისტო", "სექტემბერი", "ოქტომბერი", "ნოემბერი", "დეკემბერი"]  # fmt: skip
MONTHS_KA_UNTIL = ["იანვრამდე", "თებერვლამდე", "მარტამდე", "აპრილამდე", "მაისამდე", "ივნისამდე", "ივლისამდე", "აგვისტომდე", "სექტემბრამდე", "ოქტომბრამდე", "ნოემბრამდე", "დეკემბრამდე"]  # fmt: skip
# Armenian dates are written month (genitive) first: "մարտի 5-ին".
MONTHS_HY = ["հունվարի", "փետրվարի", "մարտի", "ապրիլի", "մայիսի", "հունիսի", "հուլիսի", "օգոստոսի", "սեպտեմբերի", "հոկտեմբերի", "նոյեմբերի", "դեկտեմբերի"]  # fmt: skip

ALL_MONTHS = frozenset(range(1, 13))


@dataclass(frozen=True)
class Topic:
    key: str
    tags: tuple[str, ...]
    months: frozenset
    numbers: dict  # name: (low, high); a float range gives one decimal
    texts: dict  # language: {"title", "lead", "body"}
    places: str = "any"  # "any" or "utility" (towns served by the national utility)


def _p(*paragraphs: str) -> str:
    return "".join(
        part if part.startswith("<") else f"<p>{part}</p>" for part in paragraphs
    )


TOPICS = [
    Topic(
        "council-session",
        ("council",),
        ALL_MONTHS - {8},
        {"n1": (6, 14), "n2": (21, 35)},
        {
            "ka": {
                "title": "{gen} საკრებულომ მორიგ სხდომაზე {n1} გადაწყვეტილება მიიღო",
                "lead": "{gen} საკრებულოს დღევანდელ სხდომას საკრებულოს {n2} წევრი ესწრებოდა. საკრებულომ, სხვა საკითხებთან ერთად, საცხოვრებელი ეზოების რეაბილიტაციის თანადაფინანსება დაამტკიცა.",
                "body": _p(
                    "სხდომა საკრებულოს თავმჯდომარემ გახსნა. დღის წესრიგში {n1_plus} საკითხი იყო შეტანილი, მათ შორის მუნიციპალური ქონების განკარგვის, საზოგადოებრივი ტრანსპორტის ტარიფებისა და სკოლამდელი აღზრდის დაწესებულებების საკითხები.",
                    "საკრებულომ დაამტკიცა საცხოვრებელი ეზოების რეაბილიტაციის პროგრამის თანადაფინანსება: სამუშაოების ღირებულების 90 პროცენტს მუნიციპალიტეტი დაფარავს, დანარჩენს კი — ბინათმესაკუთრეთა ამხანაგობები. ერთი საკითხის განხილვა მომდევნო სხდომისთვის გადაიდო.",
                    "სხდომის ოქმი და მიღებული გადაწყვეტილებები {gen} მუნიციპალიტეტის ოფიციალურ ვებგვერდზე გამოქვეყნდება. სხდომის ვიდეოჩანაწერი ხელმისაწვდომია საკრებულოს ფეისბუქის გვერდზე.",
                ),
            },
            "hy": {
                "title": "{gen} ավագանին հերթական նիստում ընդունեց {n1} որոշում",
                "lead": "{gen} ավագանու այսօրվա նիստին մասնակցեց ավագանու {n2} անդամ։ Ավագանին, այլ հարցերի հետ մեկտեղ, հաստատեց բնակելի բակերի բարեկարգման համաֆինանսավորումը։",
                "body": _p(
                    "Նիստը բացեց ավագանու նախագահը։ Օրակարգում ընդգրկված էր {n1_plus} հարց, այդ թվում՝ համայնքային գույքի տնօրինման, հասարակական տրանսպորտի սակագների և նախադպրոցական հաստատությունների վերաբերյալ։",
                    "Ավագանին հաստատեց բնակելի բակերի բարեկարգման ծրագրի համաֆինանսավորումը. աշխատանքների արժեքի 90 տոկոսը կհոգա մունիցիպալիտետը, իսկ մնացածը՝ բնակարանատերերի ընկերակցությունները։ Մեկ հարցի քննարկումը հետաձգվեց հաջորդ նիստին։",
                    "Նիստի արձանագրությունը և ընդունված որոշումները կհրապարակվեն {gen} մունիցիպալիտետի պաշտոնական կայքում։ Նիստի տեսագրությունը հասանելի է ավագանու ֆեյսբուքյան էջում։",
                ),
            },
            "en": {
                "title": "{council} adopts {n1} decisions at its regular session",
                "lead": "Today's session of the {council} was attended by {n2} members. Among other items, the council approved co-financing for the rehabilitation of residential courtyards.",
                "body": _p(
                    "The session was opened by the Chair of the Council. The agenda comprised {n1_plus} items, including the management of municipal property, public transport fares and pre-school institutions.",
                    "The council approved co-financing for the programme to rehabilitate residential courtyards: the municipality will cover 90 percent of the cost of the works, and homeowners' associations the rest. Consideration of one item was postponed to the next session.",
                    "The minutes and the decisions adopted will be published on the official website of {name} Municipality. A video recording of the session is available on the council's Facebook page.",
                ),
            },
        },
    ),
    Topic(
        "budget-hearing",
        ("budget", "citizens"),
        frozenset({10, 11}),
        {"amount": (18_000_000, 95_000_000)},
        {
            "ka": {
                "title": "{gen} მუნიციპალიტეტის {next_year} წლის ბიუჯეტის პროექტის საჯარო განხილვა",
                "lead": "{gen} მერია მოსახლეობას, სამოქალაქო ორგანიზაციებსა და მედიას {next_year} წლის ბიუჯეტის პროექტის საჯარო განხილვაზე იწვევს, რომელიც {when} გაიმართება.",
                "body": _p(
                    "პროექტის მიხედვით, მუნიციპალიტეტის ბიუჯეტის მთლიანი მოცულობა {amount} ლარს შეადგენს. პრიორიტეტებად განსაზღვრულია ინფრასტრუქტურა, სკოლამდელი განათლება, სოციალური პროგრამები და ჯანდაცვა.",
                    "შეხვედრაზე მერიის ფინანსური სამსახურის წარმომადგენლები ბიუჯეტის ძირითად მუხლებს წარადგენენ და დამსწრეთა კითხვებს უპასუხებენ. წერილობითი შენიშვნებისა და წინადადებების წარდგენა მუნიციპალიტეტის ვებგვერდის მეშვეობითაც შეიძლება.",
                    "<ul><li>ადგილი: {gen} მერიის სააქტო დარბაზი</li><li>თარიღი: {when_nom}, 11:00</li></ul>",
                    "საჯარო განხილვის შედეგები შეჯამდება და წარედგინება საკრებულოს, რომელიც ბიუჯეტს წლის ბოლომდე განიხილავს.",
                ),
            },
            "hy": {
                "title": "Հանրային լսում {gen} մունիցիպալիտետի {next_year} թվականի բյուջեի նախագծի վերաբերյալ",
                "lead": "{gen} քաղաքապետարանը բնակիչներին, քաղաքացիական հասարակության կազմակերպություններին և լրատվամիջոցներին հրավիրում է {next_year} թվականի բյուջեի նախագծի հանրային լսմանը, որը տեղի կունենա {when}։",
                "body": _p(
                    "Նախագծի համաձայն՝ մունիցիպալիտետի բյուջեի ընդհանուր ծավալը կազմում է {amount} լարի։ Որպես առաջնահերթություններ սահմանված են ենթակառուցվածքները, նախադպրոցական կրթությունը, սոցիալական ծրագրերը և առողջապահությունը։",
                    "Հանդիպմանը քաղաքապետարանի ֆինանսական ծառայության ներկայացուցիչները կներկայացնեն բյուջեի հիմնական հոդվածները և կպատասխանեն ներկաների հարցերին։ Գրավոր դիտողություններ և առաջարկություններ կարելի է ներկայացնել նաև մունիցիպալիտետի կայքի միջոցով։",
                    "<ul><li>Վայրը՝ {gen} քաղաքապետարանի նիստերի դահլիճ</li><li>Ամսաթիվը՝ {when_nom}, ժամը 11:00</li></ul>",
                    "Հանրային լսման արդյունքներն ամփոփվելու և ներկայացվելու են ավագանուն, որը բյուջեն կքննարկի մինչև տարեվերջ։",
                ),
            },
            "en": {
                "title": "Public hearing on the draft {next_year} budget of {name} Municipality",
                "lead": "{hall} invites residents, civil society organisations and the media to a public hearing on the draft budget for {next_year}, to be held {when}.",
                "body": _p(
                    "Under the draft, the municipal budget totals GEL {amount}. Its priorities are infrastructure, pre-school education, social programmes and health care.",
                    "Representatives of the City Hall's finance service will present the main budget lines and answer questions. Written comments and proposals can also be submitted through the municipality's website.",
                    "<ul><li>Venue: assembly hall, {hall}</li><li>Date: {when_nom}, 11:00</li></ul>",
                    "The results of the hearing will be summarised and submitted to the council, which will consider the budget before the end of the year.",
                ),
            },
        },
    ),
    Topic(
        "budget-adopted",
        ("budget", "council"),
        frozenset({12}),
        {
            "amount": (18_000_000, 95_000_000),
            "n1": (19, 27),
            "n4": (2, 6),
            "pct": (31, 44),
        },
        {
            "ka": {
                "title": "{gen} საკრებულომ {next_year} წლის ბიუჯეტი დაამტკიცა",
                "lead": "ბიუჯეტის მთლიანი მოცულობა {amount} ლარია. მას მხარი საკრებულოს {n1} წევრმა დაუჭირა, წინააღმდეგ კი {n4} წევრმა მისცა ხმა.",
                "body": _p(
                    "ბიუჯეტის ყველაზე დიდი წილი — {pct} პროცენტი — ინფრასტრუქტურის განვითარებას ხმარდება. გაიზრდება სკოლამდელი განათლების, სოციალური დაცვისა და ჯანდაცვის პროგრამების დაფინანსებაც.",
                    "ბიუჯეტში გათვალისწინებულია საჯარო განხილვაზე მოქალაქეებისა და არასამთავრობო ორგანიზაციების მიერ წარმოდგენილი წინადადებები, მათ შორის სოფლის გზების შეკეთებისა და ახალი სპორტული მოედნების მოწყობის თაობაზე.",
                    "დამტკიცებული ბიუჯეტი და მისი მოქალაქის გზამკვლევი მუნიციპალიტეტის ვებგვერდზე გამოქვეყნდება.",
                ),
            },
            "hy": {
                "title": "{gen} ավագանին հաստատեց {next_year} թվականի բյուջեն",
                "lead": "Բյուջեի ընդհանուր ծավալը {amount} լարի է։ Կողմ է քվեարկել ավագանու {n1} անդամ, դեմ՝ {n4}։",
                "body": _p(
                    "Բյուջեի ամենամեծ բաժինը՝ {pct} տոկոսը, ուղղվում է ենթակառուցվածքների զարգացմանը։ Կավելանա նաև նախադպրոցական կրթության, սոցիալական պաշտպանության և առողջապահական ծրագրերի ֆինանսավորումը։",
                    "Բյուջեում հաշվի են առնվել հանրային լսման ժամանակ քաղաքացիների և հասարակական կազմակերպությունների ներկայացրած առաջարկությունները, այդ թվում՝ գյուղական ճանապարհների վերանորոգման և նոր մարզահրապարակների կառուցման վերաբերյալ։",
                    "Հաստատված բյուջեն և դրա քաղաքացիական ուղեցույցը կհրապարակվեն մունիցիպալիտետի կայքում։",
                ),
            },
            "en": {
                "title": "{council} adopts the {next_year} budget",
                "lead": "The budget totals GEL {amount}. {n1} council members voted in favour and {n4} against.",
                "body": _p(
                    "The largest share of the budget, {pct} percent, goes to infrastructure. Funding for pre-school education, social protection and health programmes will also increase.",
                    "The budget takes into account proposals made by residents and civil society organisations at the public hearing, including the repair of village roads and new sports grounds.",
                    "The adopted budget and its citizens' guide will be published on the municipality's website.",
                ),
            },
        },
    ),
    Topic(
        "road-rehabilitation",
        ("infrastructure", "transport"),
        frozenset(range(3, 12)),
        {"km": (0.8, 3.6), "months": (4, 9), "amount": (900_000, 6_500_000)},
        {
            "ka": {
                "title": "{loc} {street_gen} რეაბილიტაცია იწყება",
                "lead": "{street_gen} {km} კილომეტრიან მონაკვეთზე სამუშაოები დაახლოებით {months} თვე გაგრძელდება და {amount} ლარი დაჯდება. სამუშაოების მიმდინარეობისას მოძრაობა ნაწილობრივ შეიზღუდება.",
                "body": _p(
                    "პროექტი ითვალისწინებს სავალი ნაწილის ასფალტბეტონის საფარის სრულ შეცვლას, ტროტუარების მოწყობას, სანიაღვრე სისტემისა და გარე განათების მოწესრიგებას. ქუჩაზე ასევე მოეწყობა შშმ პირებისთვის ადაპტირებული გადასასვლელები.",
                    "სამუშაოებს ტენდერში გამარჯვებული კომპანია შეასრულებს, მათ ხარისხს კი მერიის ინფრასტრუქტურის სამსახური გააკონტროლებს.",
                    "მერია მძღოლებს სთხოვს, სამუშაოების პერიოდში ალტერნატიული მარშრუტებით ისარგებლონ და გზის დროებით ნიშნებს მიაქციონ ყურადღება. მოძრაობის შეზღუდვის გრაფიკი მუნიციპალიტეტის ვებგვერდზე გამოქვეყნდება.",
                ),
            },
            "hy": {
                "title": "{loc} մեկնարկում է {street_gen} հիմնանորոգումը",
                "lead": "{street_gen} {km} կիլոմետրանոց հատվածում աշխատանքները կտևեն մոտ {months} ամիս, և դրանց արժեքը կկազմի {amount} լարի։ Աշխատանքների ընթացքում երթևեկությունը մասնակիորեն կսահմանափակվի։",
                "body": _p(
                    "Նախագիծը նախատեսում է երթևեկելի մասի ասֆալտբետոնե ծածկի ամբողջական փոխարինում, մայթերի կառուցում, անձրևաջրերի հեռացման համակարգի և արտաքին լուսավորության կարգավորում։ Փողոցում կկառուցվեն նաև հաշմանդամություն ունեցող անձանց համար հարմարեցված անցումներ։",
                    "Աշխատանքները կիրականացնի մրցույթում հաղթած ընկերությունը, իսկ դրանց որակը կվերահսկի քաղաքապետարանի ենթակառուցվածքների ծառայությունը։",
                    "Քաղաքապետարանը վարորդներին խնդրում է աշխատանքների ընթացքում օգտվել այլընտրանքային երթուղիներից և ուշադրություն դարձնել ճանապարհային ժամանակավոր նշաններին։ Երթևեկության սահմանափակումների ժամանակացույցը կհրապարակվի մունիցիպալիտետի կայքում։",
                ),
            },
            "en": {
                "title": "Rehabilitation of {street} in {name} begins",
                "lead": "Works on a {km} km section of {street} will take about {months} months and cost GEL {amount}. Traffic will be partly restricted while they last.",
                "body": _p(
                    "The project includes replacing the entire asphalt surface of the carriageway, building pavements, and renewing storm drainage and street lighting. Crossings adapted for persons with disabilities will also be built.",
                    "The works will be carried out by the company that won the tender; their quality will be supervised by the City Hall's infrastructure service.",
                    "The City Hall asks drivers to use alternative routes during the works and to follow the temporary road signs. The schedule of traffic restrictions will be published on the municipality's website.",
                ),
            },
        },
    ),
    Topic(
        "kindergartens",
        ("education", "infrastructure"),
        frozenset({7, 8, 9}),
        {"n1": (3, 9), "kids": (600, 2400), "amount": (450_000, 2_800_000)},
        {
            "ka": {
                "title": "{loc} ახალი სასწავლო წლისთვის {n1} საბავშვო ბაღი განახლდა",
                "lead": "დასრულდა სარემონტო სამუშაოები {n1} მუნიციპალურ საბავშვო ბაღში, რომლებშიც {kids}-ზე მეტი ბავშვი დადის. სამუშაოების ჯამურმა ღირებულებამ {amount} ლარი შეადგინა.",
                "body": _p(
                    "შეკეთდა სახურავები, შეიცვალა გათბობის სისტემები, ფანჯრები და სანტექნიკა, განახლდა სამზარეულოები და სათამაშო მოედნები. ყველა შენობაში მოეწყო პანდუსი.",
                    "„ჩვენი მიზანია, ყველა ბავშვს ჰქონდეს უსაფრთხო და კომფორტული გარემო. მომავალ წელს პროგრამა კიდევ რამდენიმე ბაღს მოიცავს“, — განაცხადა {gen} მერმა განახლებული ბაღების დათვალიერებისას.",
                    "მუნიციპალიტეტის საბავშვო ბაღებში ბავშვების ელექტრონული რეგისტრაცია გრძელდება.",
                ),
            },
            "hy": {
                "title": "{loc} նոր ուսումնական տարվա մեկնարկին ընդառաջ վերանորոգվել է {n1} մանկապարտեզ",
                "lead": "Ավարտվել են վերանորոգման աշխատանքները {n1} համայնքային մանկապարտեզում, որոնք հաճախում է ավելի քան {kids} երեխա։ Աշխատանքների ընդհանուր արժեքը կազմել է {amount} լարի։",
                "body": _p(
                    "Վերանորոգվել են տանիքները, փոխարինվել են ջեռուցման համակարգերը, պատուհաններն ու սանտեխնիկան, նորացվել են խոհանոցներն ու խաղահրապարակները։ Բոլոր շենքերում կառուցվել են թեքահարթակներ։",
                    "«Մեր նպատակն է, որ յուրաքանչյուր երեխա ունենա անվտանգ և հարմարավետ միջավայր։ Հաջորդ տարի ծրագիրը կընդգրկի ևս մի քանի մանկապարտեզ»,- նորացված մանկապարտեզներն այցելելիս ասաց {gen} քաղաքապետը։",
                    "Մունիցիպալիտետի մանկապարտեզներում երեխաների էլեկտրոնային գրանցումը շարունակվում է։",
                ),
            },
            "en": {
                "title": "{n1} kindergartens in {name} renovated for the new school year",
                "lead": "Renovation of {n1} municipal kindergartens, attended by more than {kids} children, has been completed. The works cost GEL {amount} in total.",
                "body": _p(
                    "Roofs were repaired, heating systems, windows and plumbing replaced, and kitchens and playgrounds renewed. Every building now has a ramp.",
                    "“Our aim is for every child to have a safe and comfortable environment. Next year the programme will cover several more kindergartens,” the {mayor} said while visiting the renovated kindergartens.",
                    "Online registration of children for the municipality's kindergartens continues.",
                ),
            },
        },
    ),
    Topic(
        "health-screening",
        ("health",),
        frozenset(range(3, 13)),
        {"n2": (1200, 9800)},
        {
            "ka": {
                "title": "{loc} უფასო პროფილაქტიკური სკრინინგის პროგრამა გაგრძელდება",
                "lead": "{year} წელს მუნიციპალური ჯანდაცვის პროგრამის ფარგლებში {n2} მოქალაქემ უფასოდ გაიარა გამოკვლევა. დიაბეტის, ჰიპერტენზიისა და ძუძუს კიბოს სკრინინგი კვლავ ხელმისაწვდომია მუნიციპალიტეტში რეგისტრირებული ყველა ზრდასრულისთვის.",
                "body": _p(
                    "გამოკვლევები ტარდება {gen} პოლიკლინიკებსა და სოფლის ამბულატორიებში. რეგისტრაციისთვის საკმარისია პირადობის მოწმობა; წინასწარი ჩაწერა შესაძლებელია ცხელ ხაზზე.",
                    "პროგრამა მოიცავს:",
                    "<ul><li>სისხლში შაქრისა და ქოლესტერინის დონის განსაზღვრას;</li><li>არტერიული წნევის გაზომვასა და კარდიოლოგის კონსულტაციას;</li><li>40 წელს გადაცილებული ქალებისთვის მამოგრაფიას.</li></ul>",
                    "„ადრეული დიაგნოსტიკა მკურნალობის წარმატების ყველაზე მნიშვნელოვანი წინაპირობაა“, — აღნიშნავენ მერიის ჯანდაცვის სამსახურში.",
                ),
            },
            "hy": {
                "title": "{loc} անվճար կանխարգելիչ սքրինինգի ծրագիրը կշարունակվի",
                "lead": "{year} թվականին համայնքային առողջապահական ծրագրի շրջանակում {n2} բնակիչ անվճար հետազոտություն է անցել։ Շաքարային դիաբետի, զարկերակային գերճնշման և կրծքագեղձի քաղցկեղի սքրինինգը շարունակում է հասանելի մնալ մունիցիպալիտետում գրանցված բոլոր չափահասների համար։",
                "body": _p(
                    "Հետազոտություններն անցկացվում են {gen} պոլիկլինիկաներում և գյուղական բուժկետերում։ Գրանցվելու համար բավական է անձը հաստատող փաստաթուղթ, իսկ նախնական գրանցումը հնարավոր է թեժ գծով։",
                    "Ծրագիրը ներառում է՝",
                    "<ul><li>արյան մեջ շաքարի և խոլեստերինի մակարդակի որոշում,</li><li>զարկերակային ճնշման չափում և սրտաբանի խորհրդատվություն,</li><li>40 տարեկանից բարձր կանանց համար մամոգրաֆիա։</li></ul>",
                    "«Վաղ ախտորոշումը բուժման հաջողության ամենակարևոր նախապայմանն է»,- նշում են քաղաքապետարանի առողջապահության ծառայությունում։",
                ),
            },
            "en": {
                "title": "Free preventive screening programme continues in {name}",
                "lead": "In {year}, {n2} residents had free check-ups under the municipal health programme. Screening for diabetes, hypertension and breast cancer remains available to every adult registered in the municipality.",
                "body": _p(
                    "Check-ups take place in the polyclinics of {name} and in village outpatient clinics. An identity card is all that is needed to register; appointments can be booked through the hotline.",
                    "The programme includes:",
                    "<ul><li>blood sugar and cholesterol tests;</li><li>blood pressure measurement and a cardiologist's consultation;</li><li>mammography for women over 40.</li></ul>",
                    "“Early diagnosis is the most important condition for successful treatment,” the City Hall's health service notes.",
                ),
            },
        },
    ),
    Topic(
        "youth-grants",
        ("citizens", "education"),
        frozenset({2, 3, 4, 5, 6, 9, 10}),
        {"grant": (3000, 8000), "amount": (60_000, 250_000)},
        {
            "ka": {
                "title": "{gen} მუნიციპალიტეტი ახალგაზრდული ინიციატივების საგრანტო კონკურსს აცხადებს",
                "lead": "18-დან 29 წლამდე ასაკის ახალგაზრდების ჯგუფებს თავიანთ უბნებში პროექტების განსახორციელებლად {grant} ლარამდე დაფინანსების მოპოვება შეუძლიათ. განაცხადები {until} მიიღება.",
                "body": _p(
                    "კონკურსის მთლიანი ბიუჯეტი {amount} ლარია. დაფინანსდება პროექტები განათლების, კულტურის, სპორტის, გარემოს დაცვისა და სამოქალაქო ჩართულობის მიმართულებით.",
                    "განაცხადის ფორმა და კონკურსის დებულება განთავსებულია მუნიციპალიტეტის ვებგვერდზე. განაცხადებს დამოუკიდებელი კომისია შეაფასებს, რომლის შემადგენლობაშიც არასამთავრობო ორგანიზაციების წარმომადგენლებიც შედიან.",
                    "საინფორმაციო შეხვედრა დაინტერესებული ახალგაზრდებისთვის {when} მერიის ახალგაზრდულ ცენტრში გაიმართება.",
                ),
            },
            "hy": {
                "title": "{gen} մունիցիպալիտետը հայտարարում է երիտասարդական նախաձեռնությունների դրամաշնորհային մրցույթ",
                "lead": "18-ից 29 տարեկան երիտասարդների խմբերը կարող են ստանալ մինչև {grant} լարի ֆինանսավորում՝ իրենց թաղամասերում նախագծեր իրականացնելու համար։ Հայտերն ընդունվում են {until}։",
                "body": _p(
                    "Մրցույթի ընդհանուր բյուջեն {amount} լարի է։ Կֆինանսավորվեն կրթության, մշակույթի, սպորտի, շրջակա միջավայրի պահպանության և քաղաքացիական ներգրավվածության ոլորտների նախագծեր։",
                    "Հայտի ձևը և մրցույթի կանոնակարգը տեղադրված են մունիցիպալիտետի կայքում։ Հայտերը կգնահատի անկախ հանձնաժողովը, որի կազմում ընդգրկված են նաև հասարակական կազմակերպությունների ներկայացուցիչներ։",
                    "Հետաքրքրված երիտասարդների համար տեղեկատվական հանդիպումը տեղի կունենա {when} քաղաքապետարանի երիտասարդական կենտրոնում։",
                ),
            },
            "en": {
                "title": "{name} Municipality announces a grant competition for youth initiatives",
                "lead": "Groups of young people aged 18 to 29 can apply for up to GEL {grant} to carry out projects in their neighbourhoods. Applications are accepted {until}.",
                "body": _p(
                    "The competition has a total budget of GEL {amount}. Projects in education, culture, sport, environmental protection and civic engagement will be funded.",
                    "The application form and the rules of the competition are on the municipality's website. Applications will be assessed by an independent panel that includes representatives of non-governmental organisations.",
                    "An information session for interested young people will be held {when} at the City Hall's youth centre.",
                ),
            },
        },
    ),
    Topic(
        "reception-day",
        ("citizens",),
        ALL_MONTHS,
        {"n2": (18, 46), "n3": (5, 14)},
        {
            "ka": {
                "title": "{gen} მერმა მოქალაქეთა მიღების დღეს {n2} მოქალაქე მიიღო",
                "lead": "მიმართვების უმეტესობა სოციალურ დახმარებას, საცხოვრებელი სახლების შეკეთებასა და დასაქმებას ეხებოდა. {n3} საკითხი ადგილზევე გადაწყდა, დანარჩენი კი შესაბამის სამსახურებს გადაეცა.",
                "body": _p(
                    "მოქალაქეთა მიღება მერიის ადმინისტრაციულ შენობაში გაიმართა. მიღებას მერის მოადგილეები და სტრუქტურული ერთეულების ხელმძღვანელებიც ესწრებოდნენ, რათა მოქალაქეებს კითხვებზე პასუხი ადგილზევე მიეღოთ.",
                    "ყველა მიმართვა რეგისტრირებულია და მათზე რეაგირებას მერიის საზოგადოებასთან ურთიერთობის სამსახური აკონტროლებს. მომდევნო მიღების დღე {when} გაიმართება; წინასწარი ჩაწერა შესაძლებელია ცხელ ხაზზე ან მერიის ფრონტ-ოფისში.",
                ),
            },
            "hy": {
                "title": "{gen} քաղաքապետի ընդունելության օրն ընդունվել է {n2} քաղաքացի",
                "lead": "Դիմումների մեծ մասը վերաբերում էր սոցիալական աջակցությանը, բնակելի շենքերի վերանորոգմանը և զբաղվածությանը։ {n3} հարց լուծվեց տեղում, մնացածը փոխանցվեցին համապատասխան ծառայություններին։",
                "body": _p(
                    "Քաղաքացիների ընդունելությունը տեղի ունեցավ քաղաքապետարանի վարչական շենքում։ Ընդունելությանը ներկա էին նաև քաղաքապետի տեղակալները և կառուցվածքային ստորաբաժանումների ղեկավարները, որպեսզի քաղաքացիները հարցերի պատասխանները ստանան տեղում։",
                    "Բոլոր դիմումները գրանցված են, և դրանց ընթացքը վերահսկում է քաղաքապետարանի հանրային կապերի ծառայությունը։ Հաջորդ ընդունելության օրը տեղի կունենա {when}։ Նախնական գրանցումը հնարավոր է թեժ գծով կամ քաղաքապետարանի ֆրոնտ-օֆիսում։",
                ),
            },
            "en": {
                "title": "{mayor_cap} receives {n2} citizens on reception day",
                "lead": "Most requests concerned social assistance, repairs to residential buildings and employment. {n3} issues were resolved on the spot; the rest have been passed to the relevant services.",
                "body": _p(
                    "The reception took place in the administrative building of the City Hall. Deputy mayors and heads of departments also attended, so that citizens could get answers on the spot.",
                    "Every request has been registered, and the City Hall's public relations service follows up on each. The next reception day will be held {when}; appointments can be made through the hotline or at the City Hall's front office.",
                ),
            },
        },
    ),
    Topic(
        "international-visit",
        ("international",),
        ALL_MONTHS,
        {},
        {
            "ka": {
                "title": "{gen} მერი {partner} დელეგაციას შეხვდა",
                "lead": "მხარეებმა ურბანული განვითარების, ენერგოეფექტიანობისა და ადგილობრივი ბიზნესის მხარდაჭერის ერთობლივი პროექტები განიხილეს და ურთიერთთანამშრომლობის მემორანდუმს მოაწერეს ხელი.",
                "body": _p(
                    "შეხვედრაზე {gen} მერმა სტუმრებს მუნიციპალიტეტის განვითარების ძირითადი პრიორიტეტები და უკვე განხორციელებული პროექტები გააცნო. განსაკუთრებული ყურადღება დაეთმო საჯარო შენობების ენერგოეფექტიანობასა და ახალგაზრდების დასაქმებას.",
                    "„თანამშრომლობა ჩვენი მოქალაქეებისთვის ხელშესახებ შედეგებს უნდა იძლეოდეს. ხელმოწერილი მემორანდუმი ამ მიმართულებით მნიშვნელოვანი ნაბიჯია“, — აღნიშნა მერმა.",
                    "დელეგაციამ ასევე მოინახულა ქალაქის ისტორიული ნაწილი და შეხვდა ადგილობრივი არასამთავრობო ორგანიზაციების წარმომადგენლებს.",
                ),
            },
            "hy": {
                "title": "{gen} քաղաքապետը հանդիպեց {partner} պատվիրակությանը",
                "lead": "Կողմերը քննարկեցին քաղաքաշինության, էներգաարդյունավետության և տեղական բիզնեսի աջակցության համատեղ նախագծեր և ստորագրեցին համագործակցության հուշագիր։",
                "body": _p(
                    "Հանդիպմանը {gen} քաղաքապետը հյուրերին ներկայացրեց մունիցիպալիտետի զարգացման հիմնական առաջնահերթությունները և արդեն իրականացված նախագծերը։ Հատուկ ուշադրություն դարձվեց հանրային շենքերի էներգաարդյունավետությանը և երիտասարդների զբաղվածությանը։",
                    "«Համագործակցությունը պետք է շոշափելի արդյունքներ տա մեր քաղաքացիների համար։ Ստորագրված հուշագիրը կարևոր քայլ է այդ ուղղությամբ»,- նշեց քաղաքապետը։",
                    "Պատվիրակությունը շրջեց նաև քաղաքի պատմական հատվածում և հանդիպեց տեղական հասարակական կազմակերպությունների ներկայացուցիչների հետ։",
                ),
            },
            "en": {
                "title": "{mayor_cap} meets a delegation of {partner}",
                "lead": "The two sides discussed joint projects in urban development, energy efficiency and support for local businesses, and signed a memorandum of cooperation.",
                "body": _p(
                    "The {mayor} presented the municipality's main development priorities and the projects already completed. Particular attention was paid to the energy efficiency of public buildings and to youth employment.",
                    "“Cooperation has to bring tangible results for our citizens. The memorandum signed today is an important step in that direction,” the mayor said.",
                    "The delegation also visited the historic part of the town and met representatives of local non-governmental organisations.",
                ),
            },
        },
    ),
    Topic(
        "water-supply",
        ("infrastructure",),
        frozenset(range(4, 11)),
        {"n2": (350, 2600), "amount": (700_000, 4_200_000), "km": (2.5, 14.0)},
        {
            "ka": {
                "title": "{loc} {n2} ოჯახი 24-საათიან წყალმომარაგებაზე გადავიდა",
                "lead": "უბანში ახალი მაგისტრალური წყალსადენი და რეზერვუარი აშენდა. {amount} ლარის ღირებულების პროექტი მუნიციპალიტეტმა და საქართველოს გაერთიანებულმა წყალმომარაგების კომპანიამ ერთობლივად დააფინანსეს.",
                "body": _p(
                    "მანამდე უბნის მაცხოვრებლები წყალს გრაფიკით, დღეში რამდენიმე საათით იღებდნენ. სამუშაოების ფარგლებში {km} კილომეტრი ახალი მილი ჩაიდო და შიდა ქსელი განახლდა.",
                    "მომდევნო ეტაპზე პროექტი მუნიციპალიტეტის კიდევ ორ სოფელს მოიცავს. სამუშაოების დასრულება მომავალი წლის ბოლოსთვის იგეგმება.",
                    "წყალმომარაგების დაზიანების შესახებ შეგიძლიათ შეატყობინოთ კომპანიის ცხელ ხაზზე.",
                ),
            },
            "hy": {
                "title": "{loc} {n2} ընտանիք անցել է շուրջօրյա ջրամատակարարման",
                "lead": "Թաղամասում կառուցվել են նոր մայրուղային ջրատար և ջրամբար։ {amount} լարի արժողությամբ նախագիծը համատեղ ֆինանսավորել են մունիցիպալիտետը և Վրաստանի միացյալ ջրամատակարարման ընկերությունը։",
                "body": _p(
                    "Մինչ այդ թաղամասի բնակիչները ջուր էին ստանում ժամանակացույցով՝ օրական մի քանի ժամ։ Աշխատանքների ընթացքում անցկացվել է {km} կիլոմետր նոր խողովակաշար, և նորացվել է ներքին ցանցը։",
                    "Հաջորդ փուլում նախագիծը կընդգրկի մունիցիպալիտետի ևս երկու գյուղ։ Աշխատանքների ավարտը նախատեսված է հաջորդ տարվա վերջին։",
                    "Ջրամատակարարման վթարների մասին կարող եք հայտնել ընկերության թեժ գծով։",
                ),
            },
            "en": {
                "title": "Round-the-clock water supply for {n2} households in {name}",
                "lead": "A new water main and a reservoir have been built in the district. The GEL {amount} project was co-financed by the municipality and the United Water Supply Company of Georgia.",
                "body": _p(
                    "Until now residents of the district received water on a schedule, a few hours a day. The works laid {km} km of new pipes and renewed the local network.",
                    "In the next stage the project will reach two more villages of the municipality. The works are expected to be completed by the end of next year.",
                    "Damage to the water supply can be reported to the company's hotline.",
                ),
            },
        },
        places="utility",
    ),
    Topic(
        "winter-aid",
        ("social",),
        frozenset({11, 12, 1, 2}),
        {
            "n2": (900, 6400),
            "grant": (150, 300),
            "amount": (200_000, 1_600_000),
            "n3": (140, 620),
        },
        {
            "ka": {
                "title": "{loc} {n2} ოჯახი ზამთრის გათბობის დახმარებას მიიღებს",
                "lead": "მარტოხელა პენსიონერები, სოციალურად დაუცველ ოჯახებად რეგისტრირებული და შეზღუდული შესაძლებლობის მქონე პირების ოჯახები ერთჯერადად {grant} ლარს მიიღებენ.",
                "body": _p(
                    "დახმარების ჯამური ბიუჯეტი {amount} ლარია. თანხა ბენეფიციარებს ანგარიშზე დამატებითი განცხადების გარეშე ჩაერიცხებათ.",
                    "ვინც სიაში არ აღმოჩნდა, მაგრამ მიიჩნევს, რომ დახმარება ეკუთვნის, შეუძლია {until} მიმართოს მერიის სოციალურ სამსახურს ან იუსტიციის სახლს.",
                    "ასევე გრძელდება მარტოხელა მოხუცების შინ მოვლის პროგრამა, რომლითაც ამ ეტაპზე {n3} ადამიანი სარგებლობს.",
                ),
            },
            "hy": {
                "title": "{loc} {n2} ընտանիք ձմեռային ջեռուցման աջակցություն կստանա",
                "lead": "Միայնակ թոշակառուները, սոցիալապես անապահով ընտանիքները և հաշմանդամություն ունեցող անձանց ընտանիքները կստանան {grant} լարի միանվագ աջակցություն։",
                "body": _p(
                    "Աջակցության ընդհանուր բյուջեն {amount} լարի է։ Գումարը շահառուների հաշվին կփոխանցվի առանց լրացուցիչ դիմումի։",
                    "Նրանք, ովքեր ցուցակում չեն ընդգրկվել, բայց կարծում են, որ աջակցության իրավունք ունեն, կարող են {until} դիմել քաղաքապետարանի սոցիալական ծառայությանը կամ Արդարադատության տանը։",
                    "Շարունակվում է նաև միայնակ տարեցների տնային խնամքի ծրագիրը, որից այս պահին օգտվում է {n3} մարդ։",
                ),
            },
            "en": {
                "title": "Winter heating assistance for {n2} families in {name}",
                "lead": "Pensioners living alone, families registered as socially vulnerable and families of persons with disabilities will receive a one-off payment of GEL {grant}.",
                "body": _p(
                    "The assistance has a total budget of GEL {amount}. The money will be paid into beneficiaries' accounts without any further application.",
                    "Anyone not on the list who believes they are entitled to the assistance may apply to the City Hall's social service or to a Public Service Hall {until}.",
                    "The home-care programme for older people living alone also continues; {n3} people currently use it.",
                ),
            },
        },
    ),
    Topic(
        "winter-readiness",
        ("infrastructure", "transport"),
        frozenset({12, 1, 2}),
        {"n1": (14, 60), "salt": (300, 2500)},
        {
            "ka": {
                "title": "{gen} მერია ზამთრისთვის მზადაა: თოვლის საწმენდად {n1} ერთეული სპეცტექნიკა მორიგეობს",
                "lead": "მომარაგებულია {salt} ტონა მარილისა და ქვიშის ნარევი, თოვლის დროს კი სასწრაფო რეაგირების ბრიგადები სადღეღამისო რეჟიმში იმუშავებენ.",
                "body": _p(
                    "პირველ რიგში იწმინდება მთავარი მაგისტრალები, ხიდები, აღმართები, საავადმყოფოებისა და სკოლების მისასვლელი გზები და საზოგადოებრივი ტრანსპორტის გაჩერებები.",
                    "მერია მოსახლეობას სთხოვს, თოვლის დროს ავტომობილები ისე გააჩერონ, რომ სპეცტექნიკას გზა არ გადაუკეტონ, ხოლო ყინულის შემთხვევაში ფრთხილად იმოძრაონ.",
                    "გაუწმენდავი ქუჩის ან ჩამოკიდებული ყინულის შესახებ შეგიძლიათ შეატყობინოთ მერიის ცხელ ხაზზე, რომელიც ზამთრის პერიოდში 24 საათის განმავლობაში მუშაობს.",
                ),
            },
            "hy": {
                "title": "{gen} քաղաքապետարանը պատրաստ է ձմռանը. ձյան մաքրման համար հերթապահում է {n1} միավոր հատուկ տեխնիկա",
                "lead": "Պահեստավորվել է {salt} տոննա աղի և ավազի խառնուրդ, իսկ ձյան տեղումների ժամանակ արագ արձագանքման խմբերը կաշխատեն շուրջօրյա ռեժիմով։",
                "body": _p(
                    "Առաջին հերթին մաքրվում են գլխավոր մայրուղիները, կամուրջները, վերելքները, հիվանդանոցների և դպրոցների մատույցները, ինչպես նաև հասարակական տրանսպորտի կանգառները։",
                    "Քաղաքապետարանը բնակիչներին խնդրում է ձյան տեղումների ժամանակ ավտոմեքենաները կայանել այնպես, որ չխոչընդոտեն հատուկ տեխնիկայի աշխատանքին, իսկ մերկասառույցի դեպքում երթևեկել զգուշորեն։",
                    "Չմաքրված փողոցի կամ կախված սառցալուլաների մասին կարող եք հայտնել քաղաքապետարանի թեժ գծին, որը ձմռանը աշխատում է շուրջօրյա։",
                ),
            },
            "en": {
                "title": "{hall} ready for winter: {n1} snow-clearing vehicles on duty",
                "lead": "{salt} tonnes of salt and sand mix have been stockpiled, and emergency crews will work around the clock during snowfall.",
                "body": _p(
                    "Main roads, bridges, steep streets, the approaches to hospitals and schools, and public transport stops are cleared first.",
                    "The City Hall asks residents to park so that snow ploughs can pass during snowfall, and to drive carefully when roads are icy.",
                    "Uncleared streets or hanging ice can be reported to the City Hall's hotline, which works around the clock in winter.",
                ),
            },
        },
    ),
    Topic(
        "city-day",
        ("culture",),
        frozenset(range(5, 11)),
        {},
        {
            "ka": {
                "title": "{loc} ქალაქის დღე აღინიშნება: კონცერტები, გამოფენები და ბაზრობა",
                "lead": "სადღესასწაულო ღონისძიებები {when} ქალაქის სხვადასხვა ნაწილში გაიმართება. ყველა ღონისძიებაზე დასწრება უფასოა.",
                "body": _p(
                    "პროგრამაში შედის ადგილობრივი ანსამბლების კონცერტი ცენტრალურ მოედანზე, ხალხური რეწვის ოსტატების ბაზრობა, ფოტოგამოფენა „ჩვენი ქალაქი — გუშინ და დღეს“ და საბავშვო სპორტული შეჯიბრებები.",
                    "ღონისძიებების დროს ქალაქის ცენტრში ავტომობილების მოძრაობა დროებით შეიზღუდება. მოძრაობის სქემა და დეტალური პროგრამა მუნიციპალიტეტის ვებგვერდზეა გამოქვეყნებული.",
                    "დღესასწაულს საზეიმო ფეიერვერკი დაასრულებს.",
                ),
            },
            "hy": {
                "title": "{loc} կնշվի Քաղաքի օրը. համերգներ, ցուցահանդեսներ և տոնավաճառ",
                "lead": "Տոնական միջոցառումները տեղի կունենան {when} քաղաքի տարբեր հատվածներում։ Բոլոր միջոցառումների մուտքն ազատ է։",
                "body": _p(
                    "Ծրագրում ընդգրկված են տեղական համույթների համերգը կենտրոնական հրապարակում, ժողովրդական արհեստագործների տոնավաճառը, «Մեր քաղաքը՝ երեկ և այսօր» լուսանկարչական ցուցահանդեսը և մանկական սպորտային մրցումները։",
                    "Միջոցառումների ընթացքում քաղաքի կենտրոնում ավտոմեքենաների երթևեկությունը ժամանակավորապես կսահմանափակվի։ Երթևեկության սխեման և մանրամասն ծրագիրը հրապարակված են մունիցիպալիտետի կայքում։",
                    "Տոնը կավարտվի տոնական հրավառությամբ։",
                ),
            },
            "en": {
                "title": "{name} celebrates City Day with concerts, exhibitions and a fair",
                "lead": "Celebrations will take place {when} in different parts of the town. Admission to all events is free.",
                "body": _p(
                    "The programme includes a concert of local ensembles on the central square, a fair of folk craftsmen, the photo exhibition “Our Town, Yesterday and Today” and sports competitions for children.",
                    "Traffic in the town centre will be temporarily restricted during the celebrations. The traffic plan and the full programme are published on the municipality's website.",
                    "The day will end with fireworks.",
                ),
            },
        },
    ),
    Topic(
        "new-buses",
        ("transport",),
        ALL_MONTHS,
        {"n1": (8, 40), "n3": (3, 9), "bus": (310_000, 480_000)},
        {
            "ka": {
                "title": "{loc} {n1} ახალმა ავტობუსმა დაიწყო მუშაობა",
                "lead": "დაბალიატაკიანი ავტობუსები ადაპტირებულია ეტლით მოსარგებლე პირებისთვის, აღჭურვილია კონდიციონერით და მგზავრობის საფასურის ბარათით გადახდის საშუალებას იძლევა. ისინი {n3} მარშრუტს მოემსახურებიან.",
                "body": _p(
                    "ავტობუსები მუნიციპალიტეტმა საერთაშორისო ტენდერის საფუძველზე შეიძინა; ერთი ავტობუსის ღირებულება დაახლოებით {bus} ლარია. ყველა ავტობუსში დამონტაჟებულია ვიდეოკამერები და GPS-სისტემა, რომლის მეშვეობითაც გაჩერებებზე განთავსებული ელექტრონული ტაბლოები მგზავრებს ავტობუსის მოსვლის დროს აცნობებს.",
                    "მგზავრობის საფასური არ იცვლება. სტუდენტები, პენსიონერები და მრავალშვილიანი ოჯახების წევრები შეღავათით კვლავ ისარგებლებენ.",
                    "წლის ბოლომდე ქალაქის ავტოპარკის განახლება გაგრძელდება.",
                ),
            },
            "hy": {
                "title": "{loc} երթուղի է դուրս եկել {n1} նոր ավտոբուս",
                "lead": "Ցածրահատակ ավտոբուսները հարմարեցված են անվասայլակ օգտագործողների համար, ունեն օդորակիչ և հնարավորություն են տալիս ուղեվարձը վճարել քարտով։ Դրանք կսպասարկեն {n3} երթուղի։",
                "body": _p(
                    "Ավտոբուսները մունիցիպալիտետը ձեռք է բերել միջազգային մրցույթի արդյունքում. մեկ ավտոբուսի արժեքը մոտ {bus} լարի է։ Բոլոր ավտոբուսներում տեղադրված են տեսախցիկներ և GPS համակարգ, որի շնորհիվ կանգառների էլեկտրոնային ցուցատախտակները ուղևորներին տեղեկացնում են ավտոբուսի ժամանման ժամանակի մասին։",
                    "Ուղեվարձը չի փոխվում։ Ուսանողները, թոշակառուները և բազմազավակ ընտանիքների անդամները կշարունակեն օգտվել արտոնություններից։",
                    "Մինչև տարեվերջ քաղաքի ավտոպարկի նորացումը կշարունակվի։",
                ),
            },
            "en": {
                "title": "{n1} new buses enter service in {name}",
                "lead": "The low-floor buses are accessible to wheelchair users, air-conditioned and accept card payment. They will serve {n3} routes.",
                "body": _p(
                    "The municipality bought the buses through an international tender; each cost about GEL {bus}. Every bus has video cameras and GPS, so that electronic boards at the stops tell passengers when the next bus will arrive.",
                    "Fares do not change. Students, pensioners and members of large families keep their discounts.",
                    "The renewal of the town's fleet will continue until the end of the year.",
                ),
            },
        },
    ),
    Topic(
        "annual-report",
        ("council", "budget"),
        frozenset({1, 2, 3}),
        {"n1": (12, 48), "pct": (88, 97), "n2": (2100, 9600), "n3": (240, 780)},
        {
            "ka": {
                "title": "{gen} მერმა საკრებულოს წლიური ანგარიში წარუდგინა",
                "lead": "{prev_year} წელს მუნიციპალიტეტმა {n1} ინფრასტრუქტურული პროექტი განახორციელა, ბიუჯეტი კი {pct} პროცენტით შესრულდა.",
                "body": _p(
                    "ანგარიშში წარმოდგენილია გზების, წყალმომარაგებისა და გარე განათების პროექტები, სოციალური და ჯანდაცვის პროგრამების შედეგები და მოქალაქეებთან კომუნიკაციის მონაცემები. გასულ წელს მერიაში {n2} წერილობითი მიმართვა შევიდა, მიღების დღეებზე კი მერმა {n3} მოქალაქე მიიღო.",
                    "საკრებულოს წევრებმა მერს შეკითხვები დაუსვეს ბიუჯეტის შესრულებისა და სახელმწიფო შესყიდვების შესახებ. ოპოზიციური ფრაქციის წარმომადგენლებმა კრიტიკული შენიშვნები გამოთქვეს გზების შეკეთების ვადებთან დაკავშირებით.",
                    "ანგარიშის სრული ტექსტი მუნიციპალიტეტის ვებგვერდზეა ხელმისაწვდომი.",
                ),
            },
            "hy": {
                "title": "{gen} քաղաքապետն ավագանուն ներկայացրեց տարեկան հաշվետվությունը",
                "lead": "{prev_year} թվականին մունիցիպալիտետն իրականացրել է {n1} ենթակառուցվածքային նախագիծ, իսկ բյուջեն կատարվել է {pct} տոկոսով։",
                "body": _p(
                    "Հաշվետվությունում ներկայացված են ճանապարհների, ջրամատակարարման և արտաքին լուսավորության նախագծերը, սոցիալական և առողջապահական ծրագրերի արդյունքները, ինչպես նաև քաղաքացիների հետ հաղորդակցության տվյալները։ Անցյալ տարի քաղաքապետարան է ներկայացվել {n2} գրավոր դիմում, իսկ ընդունելության օրերին քաղաքապետի մոտ է եղել {n3} քաղաքացի։",
                    "Ավագանու անդամները քաղաքապետին հարցեր ուղղեցին բյուջեի կատարման և պետական գնումների վերաբերյալ։ Ընդդիմադիր խմբակցության ներկայացուցիչները քննադատական դիտողություններ արեցին ճանապարհների վերանորոգման ժամկետների վերաբերյալ։",
                    "Հաշվետվության ամբողջական տեքստը հասանելի է մունիցիպալիտետի կայքում։",
                ),
            },
            "en": {
                "title": "{mayor_cap} presents the annual report to the council",
                "lead": "In {prev_year} the municipality carried out {n1} infrastructure projects, and {pct} percent of its budget was executed.",
                "body": _p(
                    "The report covers road, water supply and street lighting projects, the results of social and health programmes, and figures on communication with citizens. Last year the City Hall received {n2} written requests, and {n3} citizens were received by the mayor on reception days.",
                    "Council members asked the mayor about budget execution and public procurement. Members of the opposition faction criticised the timetable of road repairs.",
                    "The full text of the report is available on the municipality's website.",
                ),
            },
        },
    ),
]

# The follow-up of a demo event: the event's own titles, a lead by event type.
EVENT_LEADS = {
    "press-conference": (
        "პრესკონფერენციას {n} მედიასაშუალების წარმომადგენელი დაესწრო. წარდგენილი ანგარიშის სრული ტექსტი ჩვენს ვებგვერდზეა ხელმისაწვდომი.",
        "Մամուլի ասուլիսին մասնակցել են {n} լրատվամիջոցի ներկայացուցիչներ։ Ներկայացված զեկույցի ամբողջական տեքստը հասանելի է մեր կայքում։",
        "Representatives of {n} media outlets attended the press conference. The full text of the report is available on our website.",
    ),
    "briefing": (
        "ბრიფინგს {n} მედიასაშუალება დაესწრო. ბრიფინგის ვიდეოჩანაწერი ჩვენს ვებგვერდზე გამოქვეყნდა.",
        "Ճեպազրույցին մասնակցել են {n} լրատվամիջոցներ։ Ճեպազրույցի տեսագրությունը հրապարակվել է մեր կայքում։",
        "{n} media outlets attended the briefing. A video recording has been published on our website.",
    ),
    "council-session": (
        "სხდომაზე დღის წესრიგით გათვალისწინებული {n} საკითხი განიხილეს. მიღებული გადაწყვეტილებები ოფიციალურ ვებგვერდზე გამოქვეყნდება.",
        "Նիստում քննարկվել է օրակարգում ընդգրկված {n} հարց։ Ընդունված որոշումները կհրապարակվեն պաշտոնական կայքում։",
        "The session considered {n} items on its agenda. The decisions adopted will be published on the official website.",
    ),
    "official-meeting": (
        "შეხვედრაზე მხარეებმა თანამშრომლობის პერსპექტივები განიხილეს და ურთიერთთანამშრომლობის მემორანდუმს მოაწერეს ხელი.",
        "Հանդիպմանը կողմերը քննարկեցին համագործակցության հեռանկարները և ստորագրեցին համագործակցության հուշագիր։",
        "The two sides discussed the prospects for cooperation and signed a memorandum of cooperation.",
    ),
    "reception-day": (
        "მიღების დღეს {n} მოქალაქე მიიღეს. მათი მიმართვები შესაბამის სამსახურებს გადაეცა.",
        "Ընդունելության օրն ընդունվել է {n} քաղաքացի։ Նրանց դիմումները փոխանցվել են համապատասխան ծառայություններին։",
        "{n} citizens were received. Their requests have been passed to the relevant services.",
    ),
    "seminar": (
        "შეხვედრაში {n} მონაწილე მიიღო მონაწილეობა. პრეზენტაციები მონაწილეებს ელექტრონული ფოსტით გაეგზავნათ.",
        "Հանդիպմանը մասնակցել են {n} հոգի։ Շնորհանդեսներն ուղարկվել են մասնակիցներին էլեկտրոնային փոստով։",
        "{n} people took part. The presentations have been sent to them by email.",
    ),
}  # fmt: skip
EVENT_BODY = (
    _p(
        "ღონისძიების ფოტო და ვიდეომასალა ხელმისაწვდომია ჩვენს არქივში და მედიასაშუალებებს მოთხოვნისთანავე მიეწოდება.",
        "დამატებითი ინფორმაციისთვის ჟურნალისტებს შეუძლიათ დაუკავშირდნენ საზოგადოებასთან ურთიერთობის სამსახურს.",
    ),
    _p(
        "Միջոցառման լուսանկարներն ու տեսանյութերը հասանելի են մեր արխիվում և ըստ պահանջի կտրամադրվեն լրատվամիջոցներին։",
        "Լրացուցիչ տեղեկությունների համար լրագրողները կարող են դիմել հանրային կապերի ծառայությանը։",
    ),
    _p(
        "Photos and video of the event are in our archive and are provided to media outlets on request.",
        "For further information, journalists may contact the public relations service.",
    ),
)
EVENT_TAGS = {
    "press-conference": ("citizens",),
    "briefing": ("transport",),
    "council-session": ("council",),
    "official-meeting": ("international",),
    "reception-day": ("citizens",),
    "seminar": ("citizens", "education"),
}

REVIEW_COMMENTS = [
    ("გთხოვთ, ლიდში მიუთითოთ თანხის ზუსტი ოდენობა.", "გასწორებულია, გთხოვთ, ხელახლა გადახედოთ."),
    ("ინგლისური ვერსია აკლია — გაგზავნამდე დავამატოთ.", "ინგლისური ვერსია დამატებულია."),
    ("სათაური ძალიან გრძელია, შევამოკლოთ.", "შევამოკლე, ახლა ერთ სტრიქონში ეტევა."),
    ("Հայերեն տարբերակում ստուգեք տեղանունների ուղղագրությունը։", "Ստուգված է, ուղղումները կատարված են։"),
]  # fmt: skip
WITHDRAWAL_REASONS = [
    "რელიზში შეცდომით იყო მითითებული პროექტის ღირებულება. შესწორებული ინფორმაცია ცალკე გავრცელდება.",
    "ღონისძიება გადაიდო; ახალი თარიღის შესახებ ინფორმაციას დამატებით გავავრცელებთ.",
    "რელიზი დუბლირებული იყო — იგივე ინფორმაცია უკვე გავრცელდა.",
]


# ---------------------------------------------------------------------------
# Filling the templates


# Sums of money are round; counts of people and things are not.
ROUNDED = {"amount": 10_000, "bus": 1_000, "grant": 500, "salt": 50, "kids": 50}


def _number(value, language: str) -> str:
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text if language == "en" else text.replace(".", ",")
    grouped = f"{value:,}"
    return grouped if language == "en" else grouped.replace(",", " ")


def _dates(day: date, language: str) -> dict:
    when = day + timedelta(days=6 + day.weekday() % 3)
    until = day + timedelta(days=30)
    if language == "ka":
        return {
            "when": f"{when.day} {MONTHS_KA_ON[when.month - 1]}",
            "when_nom": f"{when.day} {MONTHS_KA[when.month - 1]}",
            "until": f"{until.day} {MONTHS_KA_UNTIL[until.month - 1]}",
        }
    if language == "hy":
        return {
            "when": f"{MONTHS_HY[when.month - 1]} {when.day}-ին",
            "when_nom": f"{MONTHS_HY[when.month - 1]} {when.day}",
            "until": f"մինչև {MONTHS_HY[until.month - 1]} {until.day}-ը",
        }
    return {
        "when": f"on {when.day} {MONTHS_EN[when.month - 1]}",
        "when_nom": f"{when.day} {MONTHS_EN[when.month - 1]}",
        "until": f"until {until.day} {MONTHS_EN[until.month - 1]}",
    }


def _place_words(place: Place, language: str, partner) -> dict:
    if language == "ka":
        name, gen, loc = place.ka
        street, street_gen = place.street_ka
        return {"name": name, "gen": gen, "loc": loc, "street": street,
                "street_gen": street_gen, "partner": partner[1]}  # fmt: skip
    if language == "hy":
        name, gen, loc = place.hy
        street, street_gen = place.street_hy
        return {"name": name, "gen": gen, "loc": loc, "street": street,
                "street_gen": street_gen, "partner": partner[2]}  # fmt: skip
    council = f"{place.en} {'City' if place.city else 'Municipal'} Council"
    return {
        "name": place.en,
        "street": place.street_en,
        "council": council,
        "hall": f"{place.en} City Hall",
        "mayor": f"Mayor of {place.en}",
        "mayor_cap": f"Mayor of {place.en}",
        "partner": partner[0],
    }


def _draw_numbers(topic: Topic, rng: random.Random) -> dict:
    numbers = {}
    for name, (low, high) in topic.numbers.items():
        if isinstance(low, float):
            numbers[name] = round(rng.uniform(low, high), 1)
        elif name in ROUNDED:
            step = ROUNDED[name] if high >= 10 * ROUNDED[name] else 50
            numbers[name] = rng.randint(low // step, high // step) * step
        else:
            numbers[name] = rng.randint(low, high)
    if "n1" in numbers:
        numbers["n1_plus"] = numbers["n1"] + 1
    return numbers


def _compose(topic: Topic, place: Place, day: date, rng: random.Random) -> dict:
    """Title, lead and body of every language version of one release."""
    numbers = _draw_numbers(topic, rng)
    partner = rng.choice(PARTNERS)
    content = {}
    for language in LANGUAGES:
        words = {
            "year": day.year,
            "prev_year": day.year - 1,
            "next_year": day.year + 1,
            **_place_words(place, language, partner),
            **_dates(day, language),
            **{key: _number(value, language) for key, value in numbers.items()},
        }
        texts = topic.texts[language]
        for part in CONTENT_FIELDS:
            content[f"{part}_{language}"] = texts[part].format_map(words)
    return content


# ---------------------------------------------------------------------------
# The plan: which release on which day, and where it stands


@dataclass
class Slot:
    at: datetime
    content: dict
    tags: tuple[str, ...]
    state: str = Status.SENT
    languages: tuple[str, ...] = LANGUAGES
    event: object = None
    versions: int = 1
    # Written in the hour after the event it reports, not days ahead.
    quick: bool = False


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def _working_days(start: date, end: date) -> list[date]:
    days = []
    day = start
    while day < end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _choose(options, used: dict, rng: random.Random):
    """The least used of ``options`` (ties broken at random)."""
    return min(options, key=lambda item: (used.get(item.key, 0), rng.random()))


def _languages(number: int, place: Place) -> tuple[str, ...]:
    if number % 9 == 4:
        return ("ka",)
    if number % 5 == 2 and not place.armenian:
        return ("ka", "en")
    return LANGUAGES


def _plan(today: date, rng: random.Random) -> list[Slot]:
    start = today - timedelta(days=360)
    slots: list[Slot] = []
    topic_use: dict = {}
    place_use: dict = {}
    pairs_used: set = set()
    number = 0
    for month in range(12):
        window_start = start + timedelta(days=30 * month)
        window_end = window_start + timedelta(days=30)
        if month == 11:
            # The last month: a few sent, the rest are the workflow ones below.
            window_end = today - timedelta(days=14)
            count = 3
        else:
            count = rng.choice([4, 4, 5, 5])
        days = sorted(rng.sample(_working_days(window_start, window_end), count))
        used_here: set = set()
        for day in days:
            topics = [
                t for t in TOPICS if day.month in t.months and t.key not in used_here
            ]
            topic = _choose(topics, topic_use, rng)
            places = [p for p in PLACES if topic.places == "any" or not p.own_water]
            # The same street is not rebuilt twice in a year.
            fresh = [p for p in places if (topic.key, p.key) not in pairs_used]
            place = _choose(fresh or places, place_use, rng)
            pairs_used.add((topic.key, place.key))
            used_here.add(topic.key)
            topic_use[topic.key] = topic_use.get(topic.key, 0) + 1
            place_use[place.key] = place_use.get(place.key, 0) + 1
            at = _aware(day, rng.randint(10, 16), rng.choice([0, 15, 30, 45]))
            slots.append(
                Slot(
                    at=at,
                    content=_compose(topic, place, day, rng),
                    tags=topic.tags,
                    languages=_languages(number, place),
                    versions=1 + number % 3,
                )
            )
            number += 1
    # Who stands where: a few withdrawn, some published first and sent later.
    for index in (len(slots) // 6, len(slots) // 2, 5 * len(slots) // 6):
        slots[index].state = Status.WITHDRAWN
    for index in range(3, len(slots), 8):
        if slots[index].state == Status.SENT:
            slots[index].state = Status.PUBLISHED
    # This week's work: drafts, two in review, one approved under embargo.
    recent = [
        (1, Status.DRAFT, 1),
        (2, Status.DRAFT, 1),
        (3, Status.IN_REVIEW, 2),
        (4, Status.IN_REVIEW, 3),
        (2, Status.APPROVED, 2),
    ]
    fresh_topics = ["new-buses", "health-screening", "reception-day",
                    "council-session", "international-visit"]  # fmt: skip
    by_key = {t.key: t for t in TOPICS}
    fresh_places = ["tbilisi", "akhalkalaki", "kutaisi", "batumi", "marneuli"]
    places = {p.key: p for p in PLACES}
    for (days_ago, state, versions), key, place_key in zip(
        recent, fresh_topics, fresh_places, strict=True
    ):
        day = today - timedelta(days=days_ago)
        topic, place = by_key[key], places[place_key]
        slots.append(
            Slot(
                at=_aware(day, 12 + days_ago),
                content=_compose(topic, place, day, rng),
                tags=topic.tags,
                state=state,
                languages=("ka", "en") if state == Status.DRAFT else LANGUAGES,
                versions=versions,
            )
        )
    return slots


def _event_slots(rng: random.Random) -> list[Slot]:
    """A release after each held demo event, linked to it."""
    from events.models import Event  # pressreleases may import events

    slots = []
    events = Event.objects.filter(
        status=Event.Status.HELD, starts_at__lt=timezone.now()
    ).select_related("event_type")
    for event in events.prefetch_related("agenda").order_by("starts_at"):
        code = event.event_type.code
        if code not in EVENT_LEADS:
            continue
        if code == "council-session":
            n = len(event.agenda.all()) or 4
        elif code == "reception-day":
            n = event.people_received or 25
        else:
            n = rng.randint(7, 16)
        content = {}
        for position, language in enumerate(LANGUAGES):
            content[f"title_{language}"] = getattr(event, f"title_{language}") or ""
            content[f"lead_{language}"] = EVENT_LEADS[code][position].format(n=n)
            content[f"body_{language}"] = EVENT_BODY[position]
        slots.append(
            Slot(
                at=event.ends_at + timedelta(hours=1),
                content=content,
                tags=EVENT_TAGS[code],
                event=event,
                quick=True,
            )
        )
    return slots


# ---------------------------------------------------------------------------
# Writing it down


def _staff() -> dict:
    from prapp.demo import seed_staff

    wanted = (MANAGER, *AUTHORS)
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    if len(users) < len(wanted):
        seed_staff()
        users = {u.username: u for u in User.objects.filter(username__in=wanted)}
    return users


def _tags() -> dict:
    tags = {}
    for slug, ka, hy, en in TAGS:
        tags[slug], _created = Tag.objects.get_or_create(
            slug=slug, defaults={"name_ka": ka, "name_hy": hy, "name_en": en}
        )
    return tags


def _spokespeople() -> list[Person]:
    """Press officers from the demo contacts, named as the releases' contact."""
    people = Person.objects.filter(
        opted_out_at__isnull=True, do_not_contact=False, emails__isnull=False
    ).distinct()
    chosen = list(
        people.filter(position__in=["პრესსპიკერი", "մամուլի քարտուղար"]).order_by("pk")[
            :3
        ]
    )
    return chosen or list(people.order_by("pk")[:2])


def _version_content(values: dict, release, tags, languages) -> dict:
    content = {
        f"{part}_{language}": values[f"{part}_{language}"]
        if language in languages
        else ""
        for part in CONTENT_FIELDS
        for language in LANGUAGES
    }
    content["embargo_until"] = (
        release.embargo_until.isoformat() if release.embargo_until else None
    )
    content["contact_person"] = str(release.contact_person or "")
    content["event"] = str(release.event or "")
    content["tags"] = sorted(str(tag) for tag in tags)
    content["attachments"] = []
    return content


def _version_languages(slot: Slot, number: int) -> tuple[str, ...]:
    """The Georgian text comes first; translations join in later versions."""
    if number == slot.versions:
        return slot.languages
    if number == 1:
        return ("ka",)
    return tuple(code for code in slot.languages if code != "hy")


def _timeline(slot: Slot, rng: random.Random) -> dict:
    """When each step happened, working back from the release's moment."""
    at = slot.at
    if slot.quick:
        return {
            "created": at - timedelta(minutes=70),
            "submitted": at - timedelta(minutes=35),
            "approved": at - timedelta(minutes=rng.randint(5, 25)),
        }
    created = at - timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 3))
    if slot.state == Status.DRAFT:
        created = at - timedelta(hours=3)
    submitted = at - timedelta(hours=rng.randint(3, 20))
    approved = at - timedelta(minutes=rng.randint(20, 90))
    return {"created": created, "submitted": submitted, "approved": approved}


def _create(slot, number, users, tags, contacts, now, rng) -> PressRelease:
    manager = users[MANAGER]
    author = users[AUTHORS[number % 2]]
    values = {
        key: value
        for key, value in slot.content.items()
        if key.rsplit("_", 1)[1] in slot.languages
    }
    for key in list(values):
        if key.startswith("body_"):
            values[key] = sanitize(values[key])
    times = _timeline(slot, rng)
    state = slot.state
    release = PressRelease(
        author=author,
        status=state,
        contact_person=contacts[number % len(contacts)] if contacts else None,
        event=slot.event,
        version=slot.versions,
        slug=slugify_any(values.get("title_en") or values["title_ka"], 100),
        **values,
    )
    if state != Status.DRAFT:
        release.submitted_at = times["submitted"]
    if state not in (Status.DRAFT, Status.IN_REVIEW):
        release.approved_by = manager
        release.approved_at = times["approved"]
        release.approved_version = slot.versions
    if state == Status.APPROVED:
        release.embargo_until = _aware(timezone.localdate() + timedelta(days=2), 11)
    if state in (Status.SENT, Status.PUBLISHED, Status.WITHDRAWN):
        release.published_at = slot.at
        release.sent_at = (
            slot.at + timedelta(hours=rng.randint(1, 4))
            if state == Status.PUBLISHED
            else slot.at + timedelta(minutes=2)
        )
    if state == Status.WITHDRAWN:
        release.withdrawn_at = slot.at + timedelta(hours=rng.randint(2, 30))
        release.withdrawn_reason = WITHDRAWAL_REASONS[number % len(WITHDRAWAL_REASONS)]
    release.search_key = release_search_key(release)
    release.full_clean(exclude=["search_key"])
    release.save()
    release_tags = [tags[slug] for slug in slot.tags]
    release.tags.set(release_tags)

    # Versions: saved between creation and submission (or now, for a draft).
    last_save = times["submitted"] if state != Status.DRAFT else slot.at
    step = (last_save - times["created"]) / max(slot.versions, 1)
    versions = []
    for version in range(1, slot.versions + 1):
        saved = times["created"] + step * (version - 1)
        row = ReleaseVersion.objects.create(
            release=release,
            number=version,
            author=author,
            content=_version_content(
                values, release, release_tags, _version_languages(slot, version)
            ),
        )
        row.created_at = saved
        versions.append(row)
    ReleaseVersion.objects.bulk_update(versions, ["created_at"])

    # A reviewer's remark on an early version, and the author's answer.
    if slot.versions > 1 and (number % 4 == 1 or state == Status.IN_REVIEW):
        remark, answer = REVIEW_COMMENTS[number % len(REVIEW_COMMENTS)]
        first = ReleaseComment.objects.create(
            release=release, author=manager, version=1, body=remark
        )
        second = ReleaseComment.objects.create(
            release=release, author=author, version=2, body=answer
        )
        first.created_at = times["created"] + step * 0.5
        second.created_at = times["created"] + step * 1.2
        ReleaseComment.objects.bulk_update([first, second], ["created_at"])

    release.created_at = times["created"]
    release.updated_at = min(release.withdrawn_at or release.sent_at or last_save, now)
    PressRelease.objects.filter(pk=release.pk).update(
        created_at=release.created_at, updated_at=release.updated_at
    )
    return release


def _distribute(
    release: PressRelease, audience, contact_list, members: int, manager
) -> int:
    """The ledger of a sent release: every journalist's delivery and history entry."""
    sent_at = release.sent_at
    distribution = Distribution.objects.create(
        release=release,
        status=Distribution.Status.DONE,
        created_by=manager,
        scheduled_for=sent_at,
        attach_pdf=True,
        started_at=sent_at,
        finished_at=sent_at + timedelta(seconds=max(len(audience) // 20, 1)),
        left_out=max(members - len(audience), 0),
    )
    distribution.lists.add(contact_list)
    deliveries, interactions = [], []
    for position, recipient in enumerate(audience):
        language = release.language_for(recipient.language)
        delivered = sent_at + timedelta(milliseconds=50 * position)
        deliveries.append(
            Delivery(
                distribution=distribution,
                release=release,
                person_id=recipient.person_id,
                email=recipient.email,
                email_key=recipient.email.strip().lower(),
                name=recipient.name[:310],
                language=language,
                status=Delivery.Status.SENT,
                not_before=sent_at,
                attempts=1,
                sent_at=delivered,
                message_id=f"<release-{release.pk}.{recipient.person_id}"
                f".{int(sent_at.timestamp())}@pr.example.ge>",
            )
        )
        interactions.append(
            Interaction(
                person_id=recipient.person_id,
                kind=Interaction.Kind.RELEASE_SENT,
                summary=getattr(release, f"title_{language}") or str(release),
                happened_at=delivered,
                source=f"pressreleases.release:{release.pk}",
            )
        )
    Delivery.objects.bulk_create(deliveries, batch_size=500)
    Interaction.objects.bulk_create(interactions, batch_size=500)
    distribution.total = len(deliveries)
    distribution.created_at = sent_at - timedelta(minutes=1)
    Distribution.objects.filter(pk=distribution.pk).update(
        total=distribution.total, created_at=distribution.created_at
    )
    return len(deliveries)


def _already_seeded(users: dict) -> bool:
    return PressRelease.objects.filter(
        author__in=[users[name] for name in AUTHORS if name in users],
        tags__slug__in=[slug for slug, *_names in TAGS],
    ).exists()


@transaction.atomic
def seed_pressreleases(*, stdout=None) -> int:
    """Create the demo year of press releases once; later runs add nothing.

    Returns how many releases were created. With ``stdout`` (a command's
    output), also says what was made and how long it took.
    """
    started = time.monotonic()
    users = _staff()
    tags = _tags()
    if _already_seeded(users):
        return 0
    rng = random.Random(2025)
    now = timezone.now()
    slots = sorted(
        _plan(timezone.localdate(), rng) + _event_slots(rng), key=lambda s: s.at
    )
    contacts = _spokespeople()
    journalists = ContactList.objects.filter(name=JOURNALISTS_LIST).first()
    members = journalists.members.all() if journalists else Person.objects.none()
    audience = recipients(members)
    member_count = members.count()
    created = deliveries = 0
    for number, slot in enumerate(slots):
        release = _create(slot, number, users, tags, contacts, now, rng)
        created += 1
        if release.sent_at and audience:
            deliveries += _distribute(
                release, audience, journalists, member_count, users[MANAGER]
            )
    if stdout is not None:
        counts = {
            state: sum(1 for slot in slots if slot.state == state)
            for state in Status.values
        }
        summary = ", ".join(f"{state}: {n}" for state, n in counts.items() if n)
        stdout.write(
            f"Press releases: {created} new ({summary}); {deliveries} deliveries "
            f"recorded; {time.monotonic() - started:.1f} s.\n"
        )
    return created
