"""Demo media monitoring for `seed_demo`: three months of a PR office's inbox.

Thirteen sources (Georgian, Armenian and English outlets; the outlets of the
demo contacts, and three invented ones added to the contacts), twelve topics
with terms in Georgian, Armenian and Latin letters, and about six hundred items
over the ninety days before the first run:

- news composed from story templates (council decisions, pensions, social
  assistance, water, kindergartens, roads, police, statistics, the ombudsmen of
  Georgia and Armenia, Vanadzor, Javakheti, weather, culture, sport), each story
  carried by one to four outlets, so that the same story from several outlets
  shares a fingerprint;
- the press coverage of the demo press releases and events, linked to them;
- misinformation about the office flagged for an official response, and the
  office's denials reported by the media;
- TV, radio and print mentions and citizens' messages in social networks
  logged by hand, with the office's answers (some given, some overdue).

Every item is matched to the topics by media_monitoring.matching, as a pull
would; matches are dated by the item's arrival, so the first digest after the
seed holds the last day only. Older items are triaged (statuses, sentiment,
assignees), the newest are still new. Every place is real; every outlet
address, figure, person and message is invented. A second run adds nothing.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext

from contacts import services as contact_services
from contacts.demo import ARMENIAN_FIRST, ARMENIAN_LAST, GEORGIAN_FIRST, GEORGIAN_LAST
from contacts.models import Organisation, Region
from media_monitoring import matching, services
from media_monitoring.models import (
    Item,
    ItemNote,
    ItemTopic,
    Source,
    Subscription,
    Topic,
)
from media_monitoring.pulling import fingerprint
from prapp.demo import seed_staff
from prapp.models import User
from prapp.text import search_key, slugify_any
from pressreleases.demo import PLACES

Kind, Status, Sentiment = Item.Kind, Item.Status, Item.Sentiment
Channel = Item.Channel

DAYS = 90
TARGET_ITEMS = 600
MONITOR = "tamar.lomidze"
MANAGER = "nino.beridze"

# --- Outlets and sources --------------------------------------------------------------

# Outlets that contacts.demo does not create: English name, Georgian, Armenian,
# media type, region. Invented, like their addresses.
NEW_OUTLETS = [
    ("Ambebi 24", "ამბები 24", "Ամբեբի 24", "online", "Tbilisi"),
    ("Javakhk News", "ჯავახეთის ამბები", "Ջավախքի լուրեր", "online", "Samtskhe-Javakheti"),
    ("Caucasus Monitor", "კავკასიის მონიტორი", "Կովկասյան մոնիտոր", "online", "Tbilisi"),
]  # fmt: skip


@dataclass(frozen=True)
class Feed:
    key: str
    name: str
    outlet: str  # the outlet's English name in contacts
    language: str
    url: str
    interval: int  # minutes
    # What the outlet writes about: "ge" (Georgian towns), "ge_arm" (towns with
    # an Armenian community), "ge_nat" (Georgia as a whole), "am" (Armenia).
    covers: frozenset
    kind: str = Source.Kind.FEED
    failures: int = 0
    error: tuple = ()  # (msgid, params): the fetcher's own message
    last_success_hours: float = 0.5  # how long ago the last pull worked


GE = frozenset({"ge", "ge_nat"})
FEEDS = [
    Feed("ipn-ka", "Interpressnews — ქართული", "Interpressnews", "ka", "https://interpressnews.example/ka/rss", 15, GE),
    Feed("ipn-en", "Interpressnews — English", "Interpressnews", "en", "https://interpressnews.example/en/rss", 30, GE),
    Feed("netgazeti", "ნეტგაზეთი", "Netgazeti", "ka", "https://netgazeti.example/feed/", 30, GE),
    Feed(
        "batumelebi", "ბათუმელები", "Batumelebi", "ka", "https://batumelebi.example/rss.xml", 60, GE,
        failures=4, error=("The server answered HTTP %(status)d (%(reason)s).", {"status": 503, "reason": "Service Unavailable"}),
        last_success_hours=41,
    ),
    Feed("gpb-ka", "საზოგადოებრივი მაუწყებელი — ახალი ამბები", "Georgian Public Broadcaster", "ka", "https://gpb-news.example/ka/rss", 15, GE | {"am"}),
    Feed("gpb-hy", "Հանրային հեռարձակող — հայերեն լուրեր", "Georgian Public Broadcaster", "hy", "https://gpb-news.example/hy/rss", 30, frozenset({"ge_arm", "ge_nat"})),
    Feed(
        "liberty-ka", "რადიო თავისუფლება", "Radio Liberty Georgian Service", "ka", "https://liberty-ge.example/api/rss", 30, GE,
        failures=1, error=("%(host)s stopped answering (the read timed out).", {"host": "liberty-ge.example"}),
        last_success_hours=1.2,
    ),
    Feed("ambebi24", "ამბები 24", "Ambebi 24", "ka", "https://ambebi24.example/feed", 30, frozenset({"ge_nat"})),
    Feed("armenpress-hy", "Արմենպրես", "Armenpress", "hy", "https://armenpress.example/hy/rss", 30, frozenset({"am", "ge_arm"})),
    Feed(
        "hetq", "Հետք", "Hetq", "hy", "https://hetq.example/hy/rss", 60, frozenset({"am"}),
        failures=7, error=("The address returned a web page, not a feed. Use the address of the site's RSS or Atom feed, or make this source a web page.", {}),
        last_success_hours=9 * 24 + 3,
    ),
    Feed("azatutyun", "Ազատություն — լրահոս", "Azatutyun Radio", "hy", "https://azatutyun.example/news", 60, frozenset({"am", "ge_arm"}), kind=Source.Kind.PAGE),
    Feed("javakhk", "Ջավախքի լուրեր", "Javakhk News", "hy", "https://javakhk-news.example/rss", 60, frozenset({"ge_arm"})),
    Feed("caucasus", "Caucasus Monitor", "Caucasus Monitor", "en", "https://caucasus-monitor.example/feed.xml", 60, frozenset({"ge_nat", "ge_arm", "am"})),
]  # fmt: skip
# How an outlet's article addresses look (the pulled GUID is the address).
ARTICLE_PATHS = {
    "ipn-ka": "/ka/article/{n}-{slug}/",
    "ipn-en": "/en/article/{n}-{slug}/",
    "netgazeti": "/news/{n}/",
    "batumelebi": "/{n}/{slug}/",
    "gpb-ka": "/ka/news/{n}",
    "gpb-hy": "/hy/news/{n}",
    "liberty-ka": "/a/{n}.html",
    "ambebi24": "/article/{n}",
    "armenpress-hy": "/hy/article/{n}",
    "hetq": "/hy/article/{n}",
    "azatutyun": "/a/{n}.html",
    "javakhk": "/news/{n}.html",
    "caucasus": "/{slug}-{n}",
}

# --- Topics ----------------------------------------------------------------------------

# name, language, priority, include terms, exclude terms, created by
TOPICS = [
    ("სახალხო დამცველი", "", Topic.Priority.NORMAL,
     ["სახალხო დამცველ*", "ადამიანის უფლებათა დამცველ*", "ombudsman*", "public defender*", "human rights defender*", "Հանրային պաշտպան*", "Մարդու իրավունքների պաշտպան*"],
     [], MONITOR),
    ("პენსიები", "", Topic.Priority.NORMAL,
     ["პენსი*", "pension*", "կենսաթոշակ*"],
     # The funded (accumulative) pension scheme is another agency's business.
     ["საპენსიო სააგენტო*", "Pension Agency", "կուտակային*", "funded pension*"], MONITOR),
    ("სოციალური დახმარება", "", Topic.Priority.NORMAL,
     ["საარსებო შემწეობ*", "სოციალური დახმარებ*", "გათბობის დახმარებ*", "subsistence allowance*", "targeted social assistance", "heating assistance", "նպաստ*", "սոցիալական աջակցությ*", "ջեռուցման աջակցությ*"],
     [], MONITOR),
    ("სოციალური მომსახურების სააგენტო", "", Topic.Priority.HIGH,
     ["სოციალური მომსახურების სააგენტო*", "Social Service Agency", "Social Services Agency", "Սոցիալական ծառայությունների գործակալությ*"],
     [], MANAGER),
    ("დეზინფორმაცია", "", Topic.Priority.HIGH,
     ["დეზინფორმაცი*", "ყალბი ინფორმაცი*", "სიმართლეს არ შეესაბამება", "disinformation", "misinformation", "fake news", "ապատեղեկատվ*", "կեղծ լուր*", "չի համապատասխանում իրականությանը"],
     # Trainings on spotting disinformation are not incidents.
     ["ტრენინგ*", "training*", "թրեյնինգ*"], MANAGER),
    ("ინფლაცია და სტატისტიკა", "", Topic.Priority.NORMAL,
     ["ინფლაცი*", "საქსტატ*", "inflation", "Geostat", "գնաճ*", "Վիճակագրության ազգային ծառայությ*"],
     [], MONITOR),
    ("პოლიცია", "", Topic.Priority.NORMAL,
     ["პოლიცი*", "შინაგან საქმეთა სამინისტრო*", "police", "Ministry of Internal Affairs", "ոստիկան*", "Ներքին գործերի նախարարությ*"],
     # Military police belongs to the Ministry of Defence.
     ["სამხედრო პოლიცი*", "military police", "ռազմական ոստիկան*"], MONITOR),
    ("წყალმომარაგება", "", Topic.Priority.NORMAL,
     ["წყალმომარაგებ*", "water supply", "ջրամատակարար*"],
     [], MONITOR),
    ("საბავშვო ბაღები", "", Topic.Priority.NORMAL,
     ["საბავშვო ბაღ*", "ბაგა-ბაღ*", "kindergarten*", "մանկապարտեզ*"],
     [], MONITOR),
    ("გზები და ქუჩები", "", Topic.Priority.NORMAL,
     ["ასფალტ*", "ქუჩის რეაბილიტაცი*", "გამზირის რეაბილიტაცი*", "გზის რეაბილიტაცი*", "asphalt*", "road*", "reconstruction of", "ասֆալտ*", "փողոցի վերանորոգ*", "պողոտայի վերանորոգ*"],
     # Accidents are the police's topic, not the roads'.
     ["საგზაო შემთხვევ*", "ავარი*", "road accident*", "road safety", "crash*", "ճանապարհատրանսպորտային պատահար*", "վթար*"], MONITOR),
    ("Վանաձոր համայնք", "", Topic.Priority.NORMAL,
     ["Վանաձոր*", "Vanadzor*", "ვანაძორ*"],
     [], MANAGER),
    # Read by the Armenian desk only: the Armenian-language press of Javakheti.
    ("Ջավախք", "hy", Topic.Priority.NORMAL,
     ["Ջավախք*", "Ախալքալաք*", "Նինոծմինդա*", "Akhalkalak*"],
     [], MANAGER),
]  # fmt: skip

# username: topics followed (by name).
SUBSCRIPTIONS = {
    "tamar.lomidze": ["სახალხო დამცველი", "პენსიები", "სოციალური დახმარება", "სოციალური მომსახურების სააგენტო", "დეზინფორმაცია", "პოლიცია"],
    "nino.beridze": ["სოციალური მომსახურების სააგენტო", "დეზინფორმაცია", "სახალხო დამცველი"],
    "giorgi.kapanadze": ["პენსიები", "სოციალური დახმარება", "საბავშვო ბაღები", "გზები და ქუჩები", "წყალმომარაგება"],
    "anna.hakobyan": ["Վանաձոր համայնք", "Ջավախք", "დეზინფორმაცია"],
    "armen.sargsyan": ["Վանաձոր համայնք"],
    "sarah.miller": ["სახალხო დამცველი", "ინფლაცია და სტატისტიკა"],
}  # fmt: skip

# --- Places ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Town:
    en: str
    ka: tuple[str, str, str]  # name, genitive, locative
    hy: tuple[str, str, str]
    streets: dict  # language: (street, street in the genitive); {} for none
    georgia: bool = True
    armenian: bool = False


TOWNS_GE = [
    Town(
        p.en,
        p.ka,
        p.hy,
        {
            "ka": p.street_ka,
            "hy": p.street_hy,
            "en": (p.street_en, p.street_en),
        },
        armenian=p.armenian,
    )
    for p in PLACES
]
TOWNS_AM = [
    Town("Vanadzor", ("ვანაძორი", "ვანაძორის", "ვანაძორში"), ("Վանաձոր", "Վանաձորի", "Վանաձորում"), {}, georgia=False, armenian=True),
    Town("Gyumri", ("გიუმრი", "გიუმრის", "გიუმრიში"), ("Գյումրի", "Գյումրու", "Գյումրիում"), {}, georgia=False, armenian=True),
    Town("Yerevan", ("ერევანი", "ერევნის", "ერევანში"), ("Երևան", "Երևանի", "Երևանում"), {}, georgia=False, armenian=True),
    Town("Spitak", ("სპიტაკი", "სპიტაკის", "სპიტაკში"), ("Սպիտակ", "Սպիտակի", "Սպիտակում"), {}, georgia=False, armenian=True),
    Town("Alaverdi", ("ალავერდი", "ალავერდის", "ალავერდში"), ("Ալավերդի", "Ալավերդու", "Ալավերդիում"), {}, georgia=False, armenian=True),
    Town("Stepanavan", ("სტეფანავანი", "სტეფანავანის", "სტეფანავანში"), ("Ստեփանավան", "Ստեփանավանի", "Ստեփանավանում"), {}, georgia=False, armenian=True),
]  # fmt: skip

# --- Story templates -------------------------------------------------------------------

ALL_MONTHS = frozenset(range(1, 13))


@dataclass(frozen=True)
class Story:
    """A kind of news: the same text in Georgian, Armenian and English.

    ``where`` is "ge" (a Georgian town), "ge_arm" (a town with an Armenian
    community), "ge_nat" (Georgia), "am" (an Armenian town) or "vanadzor".
    Placeholders: {nom} {gen} {loc} of the town, {street} {street_gen}, the
    numbers and the choices (a (ka, hy, en) tuple each).
    """

    key: str
    where: str
    weight: int
    texts: dict  # language: (title, summary)
    numbers: dict = field(default_factory=dict)  # name: (low, high)
    choices: dict = field(default_factory=dict)  # name: [(ka, hy, en), ...]
    tone: str = ""  # the sentiment a reader usually gives it
    months: frozenset = ALL_MONTHS


ISSUES = [
    ("პენიტენციურ დაწესებულებებში არსებული მდგომარეობის", "քրեակատարողական հիմնարկներում իրավիճակի", "conditions in penitentiary institutions"),
    ("ქუჩაში მცხოვრები ბავშვების უფლებების", "փողոցում ապրող երեխաների իրավունքների", "the rights of children living on the street"),
    ("შეზღუდული შესაძლებლობის მქონე პირთა უფლებების", "հաշմանդամություն ունեցող անձանց իրավունքների", "the rights of persons with disabilities"),
    ("ქალთა მიმართ ძალადობის", "կանանց նկատմամբ բռնության", "violence against women"),
    ("ხანდაზმულთა თავშესაფრებში არსებული პირობების", "ծերանոցներում պայմանների", "conditions in care homes for the elderly"),
    ("ეთნიკური უმცირესობების ენობრივი უფლებების", "ազգային փոքրամասնությունների լեզվական իրավունքների", "the language rights of ethnic minorities"),
    ("შრომითი უფლებების დარღვევის", "աշխատանքային իրավունքների խախտումների", "violations of labour rights"),
]  # fmt: skip
FESTIVALS = [
    ("ღვინის ფესტივალი", "գինու փառատոնը", "Wine festival"),
    ("ჯაზის ფესტივალი", "ջազի փառատոնը", "Jazz festival"),
    ("ხალხური სიმღერის ფესტივალი", "ժողովրդական երգի փառատոնը", "Folk song festival"),
    ("თეატრალური ფესტივალი", "թատերական փառատոնը", "Theatre festival"),
    ("წიგნის ფესტივალი", "գրքի փառատոնը", "Book festival"),
]  # fmt: skip
PAYDAYS = [("1", "1", "1st"), ("3", "3", "3rd"), ("5", "5", "5th"), ("10", "10", "10th")]  # fmt: skip

STORIES = [
    Story("pd-statement", "ge_nat", 3, {
        "ka": ("სახალხო დამცველის განცხადება {issue} შესახებ",
               "სახალხო დამცველი სახელმწიფო უწყებებს მოუწოდებს, დროულად გამოასწორონ გამოვლენილი ხარვეზები. განცხადებაში მოცემულია რეკომენდაციები ბოლო თვეების მონიტორინგის შედეგებზე დაყრდნობით."),
        "hy": ("Վրաստանի հանրային պաշտպանի հայտարարությունը {issue} մասին",
               "Հանրային պաշտպանը պետական կառույցներին կոչ է անում առանց հապաղելու շտկել հայտնաբերված թերությունները։ Հայտարարության մեջ ներկայացված են առաջարկություններ՝ վերջին ամիսների մշտադիտարկման արդյունքների հիման վրա։"),
        "en": ("Public Defender issues statement on {issue}",
               "The Public Defender urges state agencies to remedy the shortcomings without delay. The statement sets out recommendations based on monitoring in recent months."),
    }, choices={"issue": ISSUES}, tone=Sentiment.NEGATIVE),
    Story("pd-visit", "ge", 3, {
        "ka": ("სახალხო დამცველი {loc} მოქალაქეებს შეხვდა",
               "შეხვედრაზე მოქალაქეებმა სოციალური დახმარების, ჯანდაცვისა და დასაქმების საკითხები დააყენეს. სახალხო დამცველის აპარატი ყველა მომართვას შეისწავლის."),
        "hy": ("Վրաստանի հանրային պաշտպանը {loc} հանդիպեց քաղաքացիների հետ",
               "Հանդիպմանը քաղաքացիները բարձրացրել են սոցիալական աջակցության, առողջապահության և զբաղվածության հարցեր։ Հանրային պաշտպանի գրասենյակը կուսումնասիրի բոլոր դիմումները։"),
        "en": ("Public Defender meets residents in {nom}",
               "Residents raised questions of social assistance, health care and employment. The Public Defender's Office will examine every complaint."),
    }, tone=Sentiment.NEUTRAL),
    Story("ombudsman-am", "am", 2, {
        "ka": ("სომხეთის ადამიანის უფლებათა დამცველმა {loc} მოქალაქეები მიიღო",
               "მოქალაქეებმა სოციალური უზრუნველყოფის, ჯანდაცვისა და შრომითი უფლებების საკითხები დააყენეს. მომართვები შესწავლის პროცესშია."),
        "hy": ("Մարդու իրավունքների պաշտպանը {loc} ընդունեց քաղաքացիներին",
               "Քաղաքացիները բարձրացրել են սոցիալական ապահովության, առողջապահության և աշխատանքային իրավունքների հետ կապված հարցեր։ Դիմումներն ուսումնասիրվում են։"),
        "en": ("Armenia's Human Rights Defender receives citizens in {nom}",
               "Residents raised questions about social security, health care and labour rights. The complaints are being examined."),
    }, tone=Sentiment.NEUTRAL),
    Story("pension-rise", "ge_nat", 1, {
        "ka": ("იანვრიდან პენსია {n} ლარით გაიზრდება",
               "ფინანსთა სამინისტროს ცნობით, პენსიის ზრდა ინფლაციის მაჩვენებელს გაითვალისწინებს. 70 წელს გადაცილებული პენსიონერები დამატებით {m} ლარს მიიღებენ."),
        "hy": ("Վրաստանում հունվարից կենսաթոշակը կավելանա {n} լարիով",
               "Ֆինանսների նախարարության տվյալներով՝ կենսաթոշակի բարձրացումը հաշվի կառնի գնաճի ցուցանիշը։ 70 տարեկանից բարձր կենսաթոշակառուները լրացուցիչ կստանան {m} լարի։"),
        "en": ("Pensions to rise by {n} lari from January",
               "According to the Ministry of Finance, the increase takes inflation into account. Pensioners over 70 will receive an extra {m} lari."),
    }, numbers={"n": (25, 35), "m": (10, 20)}, tone=Sentiment.POSITIVE, months=frozenset({9, 10, 11, 12})),
    Story("pension-payday", "ge_nat", 2, {
        "ka": ("ამ თვის პენსიები {day} რიცხვიდან ჩაირიცხება",
               "პენსია ბანკის ანგარიშზე ჩაირიცხება. სოციალური მომსახურების სააგენტო პენსიონერებს სთხოვს, ბანკის ფილიალებში რიგების თავიდან ასაცილებლად ბარათი გამოიყენონ."),
        "hy": ("Այս ամսվա կենսաթոշակները կփոխանցվեն ամսի {day}-ից",
               "Կենսաթոշակները կփոխանցվեն բանկային հաշիվներին։ Սոցիալական ծառայությունների գործակալությունը կենսաթոշակառուներին խնդրում է օգտվել քարտերից՝ բանկի մասնաճյուղերում հերթերից խուսափելու համար։"),
        "en": ("This month's pensions to be paid from the {day}",
               "Pensions are paid into bank accounts. The Social Service Agency asks pensioners to use their cards to avoid queues at bank branches."),
    }, choices={"day": PAYDAYS}, tone=Sentiment.NEUTRAL),
    Story("reassessment", "ge", 2, {
        "ka": ("{loc} {n} ოჯახის სოციალური მდგომარეობა ხელახლა შეფასდება",
               "სოციალური მომსახურების სააგენტოს აგენტები ოჯახებს საარსებო შემწეობის დასანიშნად მოინახულებენ. შეფასება ერთ თვეში დასრულდება."),
        "hy": ("{loc} կվերագնահատվի {n} ընտանիքի սոցիալական վիճակը",
               "Սոցիալական ծառայությունների գործակալության ներկայացուցիչները կայցելեն ընտանիքներին՝ կենսապահովման նպաստ նշանակելու համար։ Գնահատումը կավարտվի մեկ ամսում։"),
        "en": ("Social situation of {n} families to be reassessed in {nom}",
               "Social Service Agency staff will visit the families to decide on their subsistence allowance. The assessment will be completed within a month."),
    }, numbers={"n": (120, 900)}, tone=Sentiment.NEUTRAL),
    Story("heating", "ge", 2, {
        "ka": ("{loc} {n} ოჯახი ზამთრის გათბობის დახმარებას მიიღებს",
               "დახმარება სოციალურად დაუცველ ოჯახებს ელექტროენერგიის ან ბუნებრივი აირის გადასახადის სახით ჩაერიცხებათ. სიას მუნიციპალიტეტი სოციალური მომსახურების სააგენტოს მონაცემებით ადგენს."),
        "hy": ("{loc} {n} ընտանիք ձմեռային ջեռուցման աջակցություն կստանա",
               "Աջակցությունը սոցիալապես անապահով ընտանիքներին կտրամադրվի էլեկտրաէներգիայի կամ բնական գազի վարձի տեսքով։ Ցուցակը մունիցիպալիտետը կազմում է Սոցիալական ծառայությունների գործակալության տվյալներով։"),
        "en": ("{n} families in {nom} to receive winter heating assistance",
               "Socially vulnerable families will have part of their electricity or gas bills covered. The municipality draws up the list from the Social Service Agency's data."),
    }, numbers={"n": (300, 2400)}, tone=Sentiment.POSITIVE, months=frozenset({10, 11, 12, 1, 2})),
    Story("inflation", "ge_nat", 2, {
        "ka": ("საქსტატი: წლიური ინფლაცია {x}% იყო",
               "ფასები ყველაზე მეტად სურსათსა და უალკოჰოლო სასმელებზე გაიზარდა. თვიური ინფლაცია {y}%-ს შეადგენდა."),
        "hy": ("Վրաստանում տարեկան գնաճը կազմել է {x}%",
               "Գներն առավել շատ աճել են սննդամթերքի և ոչ ալկոհոլային խմիչքների վրա։ Ամսական գնաճը կազմել է {y}%։"),
        "en": ("Geostat: annual inflation at {x}%",
               "Food and non-alcoholic drinks saw the biggest price rises. Monthly inflation stood at {y}%."),
    }, numbers={"x": (1.2, 4.8), "y": (0.1, 0.9)}, tone=Sentiment.NEUTRAL),
    Story("growth", "ge_nat", 1, {
        "ka": ("საქსტატი: ეკონომიკა {x}%-ით გაიზარდა",
               "საქსტატის წინასწარი შეფასებით, ზრდა ძირითადად ვაჭრობამ, მშენებლობამ და ტურიზმმა განაპირობა."),
        "hy": ("Վրաստանի տնտեսությունն աճել է {x}%-ով",
               "Վիճակագրության ազգային ծառայության նախնական գնահատմամբ՝ աճը հիմնականում պայմանավորված է առևտրով, շինարարությամբ և զբոսաշրջությամբ։"),
        "en": ("Geostat: economy grew by {x}%",
               "By Geostat's preliminary estimate, trade, construction and tourism drove the growth."),
    }, numbers={"x": (5.1, 9.4)}, tone=Sentiment.POSITIVE),
    Story("burglary", "ge", 3, {
        "ka": ("{loc} პოლიციამ ქურდობის ბრალდებით {n} პირი დააკავა",
               "შინაგან საქმეთა სამინისტროს ინფორმაციით, დაკავებულები ბინებიდან ძვირფასეულობას იპარავდნენ. გამოძიება სისხლის სამართლის კოდექსის 177-ე მუხლით მიმდინარეობს."),
        "hy": ("{loc} ոստիկանությունը գողության մեղադրանքով ձերբակալել է {n} անձի",
               "Ներքին գործերի նախարարության տեղեկություններով՝ ձերբակալվածները բնակարաններից թանկարժեք իրեր էին գողանում։ Քննությունն ընթանում է Քրեական օրենսգրքի 177-րդ հոդվածով։"),
        "en": ("Police in {nom} detain {n} over burglaries",
               "According to the Ministry of Internal Affairs, the suspects stole jewellery from flats. The investigation is under Article 177 of the Criminal Code."),
    }, numbers={"n": (2, 5)}, tone=Sentiment.NEUTRAL),
    Story("accident", "ge", 3, {
        "ka": ("{loc} საგზაო შემთხვევის შედეგად {n} ადამიანი დაშავდა",
               "შემთხვევა დილის საათებში მოხდა. პოლიცია ავარიის გარემოებებს იძიებს."),
        "hy": ("{loc} ճանապարհատրանսպորտային պատահարի հետևանքով {n} մարդ է վիրավորվել",
               "Պատահարը տեղի է ունեցել առավոտյան։ Ոստիկանությունը պարզում է վթարի հանգամանքները։"),
        "en": ("{n} injured in road accident in {nom}",
               "The accident happened in the morning. Police are investigating the circumstances."),
    }, numbers={"n": (2, 6)}, tone=Sentiment.NEGATIVE),
    Story("water-cut", "ge", 3, {
        "ka": ("{loc} ხვალ {street_gen} მიმდებარე ტერიტორიაზე წყალმომარაგება შეწყდება",
               "სარემონტო სამუშაოების გამო წყალი {h1}:00-დან {h2}:00 საათამდე არ იქნება. მოსახლეობას წყლის მარაგის შექმნას ურჩევენ."),
        "hy": ("{loc} վաղը {street_gen} հարակից տարածքում ջրամատակարարումը կդադարեցվի",
               "Վերանորոգման աշխատանքների պատճառով ջուր չի լինի {h1}:00-ից մինչև {h2}:00։ Բնակիչներին խորհուրդ է տրվում ջրի պաշար ստեղծել։"),
        "en": ("Water supply cut near {street} in {nom} tomorrow",
               "Because of repairs there will be no water from {h1}:00 to {h2}:00. Residents are advised to store water."),
    }, numbers={"h1": (9, 11), "h2": (16, 20)}, tone=Sentiment.NEGATIVE),
    Story("water-24h", "ge", 2, {
        "ka": ("{loc} 24-საათიანი წყალმომარაგება კიდევ {n} ოჯახს აქვს",
               "პროექტის ფარგლებში ახალი წყალსადენის ქსელი მოეწყო და ძველი მილები შეიცვალა."),
        "hy": ("{loc} շուրջօրյա ջրամատակարարում ունի ևս {n} ընտանիք",
               "Ծրագրի շրջանակում կառուցվել է ջրագծերի նոր ցանց, և փոխարինվել են հին խողովակները։"),
        "en": ("Round-the-clock water supply for {n} more households in {nom}",
               "A new network of water mains was laid and old pipes were replaced under the project."),
    }, numbers={"n": (400, 3200)}, tone=Sentiment.POSITIVE),
    Story("kindergarten", "ge", 2, {
        "ka": ("{loc} ახალი საბავშვო ბაღი გაიხსნა",
               "ბაღი {n} ბავშვზეა გათვლილი. შენობა ენერგოეფექტური სტანდარტებით აშენდა და შეზღუდული შესაძლებლობის მქონე ბავშვებისთვის არის ადაპტირებული."),
        "hy": ("{loc} բացվել է նոր մանկապարտեզ",
               "Մանկապարտեզը նախատեսված է {n} երեխայի համար։ Շենքը կառուցվել է էներգաարդյունավետության չափանիշներով և հարմարեցված է հաշմանդամություն ունեցող երեխաների համար։"),
        "en": ("New kindergarten opens in {nom}",
               "The kindergarten has room for {n} children. The building meets energy-efficiency standards and is accessible to children with disabilities."),
    }, numbers={"n": (80, 240)}, tone=Sentiment.POSITIVE),
    Story("kindergarten-registration", "ge", 2, {
        "ka": ("{gen} საბავშვო ბაღებში ონლაინ რეგისტრაცია დაიწყო",
               "მშობლებს ბავშვების რეგისტრაცია {n} დღის განმავლობაში შეეძლებათ. ადგილები ელექტრონული სისტემით გადანაწილდება."),
        "hy": ("{gen} մանկապարտեզներում մեկնարկել է առցանց գրանցումը",
               "Ծնողները երեխաներին կարող են գրանցել {n} օրվա ընթացքում։ Տեղերը կբաշխվեն էլեկտրոնային համակարգով։"),
        "en": ("Online registration opens for kindergartens in {nom}",
               "Parents can register their children within {n} days. Places are allocated by an electronic system."),
    }, numbers={"n": (10, 20)}, tone=Sentiment.NEUTRAL, months=frozenset({8, 9})),
    Story("street", "ge", 3, {
        "ka": ("{loc} {street_gen} რეაბილიტაცია დასრულდა",
               "ქუჩაზე ახალი ასფალტი დაიგო, მოეწყო ტროტუარები და გარე განათება. სამუშაოების ღირებულებამ {n} ათასი ლარი შეადგინა."),
        "hy": ("{loc} ավարտվել է {street_gen} վերանորոգումը",
               "Փողոցում փռվել է նոր ասֆալտ, կառուցվել են մայթեր և արտաքին լուսավորություն։ Աշխատանքների արժեքը կազմել է {n} հազար լարի։"),
        "en": ("Reconstruction of {street} in {nom} completed",
               "The street has new asphalt, pavements and street lighting. The works cost {n} thousand lari."),
    }, numbers={"n": (180, 950)}, tone=Sentiment.POSITIVE),
    Story("buses", "ge", 3, {
        "ka": ("{loc} საზოგადოებრივ ტრანსპორტში {n} ახალი ავტობუსი ჩაერთო",
               "ავტობუსები ადაპტირებულია შეზღუდული შესაძლებლობის მქონე მგზავრებისთვის. მგზავრობის საფასური არ იცვლება."),
        "hy": ("{loc} հասարակական տրանսպորտում շահագործման է հանձնվել {n} նոր ավտոբուս",
               "Ավտոբուսները հարմարեցված են հաշմանդամություն ունեցող ուղևորների համար։ Ուղեվարձը չի փոխվում։"),
        "en": ("{n} new buses join public transport in {nom}",
               "The buses are accessible to passengers with disabilities. Fares stay the same."),
    }, numbers={"n": (8, 40)}, tone=Sentiment.POSITIVE),
    Story("mayor-reception", "ge", 3, {
        "ka": ("{gen} მერმა მოქალაქეთა მიღების დღეს {n} მოქალაქე მიიღო",
               "მოქალაქეები ძირითადად ინფრასტრუქტურული პროექტებისა და სოციალური საკითხების გამო მივიდნენ. მერიამ მომართვებზე პასუხის გაცემა ორ კვირაში დაგეგმა."),
        "hy": ("{gen} քաղաքապետն ընդունելության օրն ընդունել է {n} քաղաքացու",
               "Քաղաքացիները դիմել են հիմնականում ենթակառուցվածքային ծրագրերի և սոցիալական հարցերով։ Քաղաքապետարանը դիմումներին կպատասխանի երկու շաբաթվա ընթացքում։"),
        "en": ("Mayor of {nom} receives {n} citizens on reception day",
               "Most residents came about infrastructure projects and social questions. The city hall plans to answer within two weeks."),
    }, numbers={"n": (12, 45)}, tone=Sentiment.NEUTRAL),
    Story("weather", "ge", 5, {
        "ka": ("ამინდი: ხვალ {loc} ჰაერის ტემპერატურა {t} გრადუსამდე აიწევს",
               "სინოპტიკოსების პროგნოზით, მოსალოდნელია ცვალებადი ღრუბლიანობა, ღამით შესაძლებელია ნალექი."),
        "hy": ("Եղանակ. վաղը {loc} օդի ջերմաստիճանը կբարձրանա մինչև {t} աստիճան",
               "Եղանակի տեսաբանների կանխատեսմամբ՝ սպասվում է փոփոխական ամպամածություն, գիշերը հնարավոր են տեղումներ։"),
        "en": ("Weather: up to {t}°C in {nom} tomorrow",
               "Forecasters expect variable cloud and possible rain at night."),
    }),
    Story("weather-am", "am", 1, {
        "ka": ("ამინდი: ხვალ {loc} ჰაერის ტემპერატურა {t} გრადუსამდე აიწევს",
               "სინოპტიკოსების პროგნოზით, მოსალოდნელია ცვალებადი ღრუბლიანობა, ღამით შესაძლებელია ნალექი."),
        "hy": ("Եղանակ. վաղը {loc} օդի ջերմաստիճանը կբարձրանա մինչև {t} աստիճան",
               "Եղանակի տեսաբանների կանխատեսմամբ՝ սպասվում է փոփոխական ամպամածություն, գիշերը հնարավոր են տեղումներ։"),
        "en": ("Weather: up to {t}°C in {nom} tomorrow",
               "Forecasters expect variable cloud and possible rain at night."),
    }),
    Story("festival", "ge", 3, {
        "ka": ("{loc} {festival} იწყება",
               "ფესტივალი {n} დღე გაგრძელდება. ღონისძიებებზე დასწრება უფასოა."),
        "hy": ("{loc} մեկնարկում է {festival}",
               "Փառատոնը կտևի {n} օր։ Միջոցառումներին մասնակցությունն անվճար է։"),
        "en": ("{festival} opens in {nom}",
               "The festival runs for {n} days. Admission is free."),
    }, numbers={"n": (2, 5)}, choices={"festival": FESTIVALS}, months=frozenset({8, 9, 10})),
    Story("football", "ge_nat", 2, {
        "ka": ("ეროვნული ნაკრების დამცველმა ახალ კლუბთან {n}-წლიანი კონტრაქტი გააფორმა",
               "ფეხბურთელი გუნდს მომავალ კვირას შეუერთდება. კლუბი ტრანსფერის თანხას არ ასაჯაროებს."),
        "hy": ("Վրաստանի ազգային հավաքականի պաշտպանը նոր ակումբի հետ {n} տարվա պայմանագիր է կնքել",
               "Ֆուտբոլիստը թիմին կմիանա հաջորդ շաբաթ։ Ակումբը տրանսֆերի գումարը չի հրապարակում։"),
        "en": ("National team defender signs {n}-year contract with new club",
               "The footballer will join the squad next week. The club does not disclose the transfer fee."),
    }, numbers={"n": (2, 4)}),
    Story("pension-agency", "ge_nat", 1, {
        "ka": ("საპენსიო სააგენტო: დაგროვებითი პენსიის აქტივებმა {n} მილიარდ ლარს გადააჭარბა",
               "საპენსიო სააგენტოს ცნობით, წლის დასაწყისიდან საინვესტიციო შემოსავლიანობამ {x}% შეადგინა."),
        "hy": ("Վրաստանի կուտակային կենսաթոշակային ակտիվները կազմել են ավելի քան {n} միլիարդ լարի",
               "Կենսաթոշակային գործակալության տվյալներով՝ տարեսկզբից ներդրումային եկամտաբերությունը կազմել է {x}%։"),
        "en": ("Pension Agency: funded pension assets exceed {n} billion lari",
               "According to the Pension Agency, the investment return since the start of the year is {x}%."),
    }, numbers={"n": (5, 7), "x": (6.5, 11.5)}),
    Story("disinfo-training", "ge", 1, {
        "ka": ("{loc} რეგიონული მედიის წარმომადგენლებისთვის დეზინფორმაციის ამოცნობის ტრენინგი ჩატარდა",
               "ტრენინგზე მონაწილეებმა ფაქტების გადამოწმების ინსტრუმენტები გაიცნეს."),
        "hy": ("{loc} մարզային լրատվամիջոցների ներկայացուցիչների համար անցկացվել է ապատեղեկատվության բացահայտման թրեյնինգ",
               "Թրեյնինգի ընթացքում մասնակիցները ծանոթացել են փաստերի ստուգման գործիքներին։"),
        "en": ("Training on spotting disinformation held for regional media in {nom}",
               "Participants learned to use fact-checking tools."),
    }, tone=Sentiment.POSITIVE),
    Story("vanadzor-roofs", "vanadzor", 2, {
        "ka": ("ვანაძორში წელს {n} მრავალბინიანი სახლის სახურავი შეკეთდა",
               "სამუშაოები თემის ბიუჯეტისა და მაცხოვრებლების თანადაფინანსებით ჩატარდა. პროგრამა მომავალ წელსაც გაგრძელდება."),
        "hy": ("Վանաձորում այս տարի վերանորոգվել է {n} բազմաբնակարան շենքի տանիք",
               "Աշխատանքներն իրականացվել են համայնքի բյուջեի և բնակիչների համաֆինանսավորմամբ։ Ծրագիրը կշարունակվի նաև հաջորդ տարի։"),
        "en": ("Vanadzor repairs the roofs of {n} apartment blocks this year",
               "The works were co-financed by the community budget and the residents. The programme will continue next year."),
    }, numbers={"n": (12, 38)}, tone=Sentiment.POSITIVE),
    Story("vanadzor-lifts", "vanadzor", 2, {
        "ka": ("ვანაძორის მრავალბინიან სახლებში {n} ახალი ლიფტი დამონტაჟდა",
               "ახალმა ლიფტებმა საბჭოთა პერიოდში დამონტაჟებული ლიფტები ჩაანაცვლა. პროგრამა სახელმწიფო სუბვენციით ხორციელდება."),
        "hy": ("Վանաձորի բազմաբնակարան շենքերում տեղադրվել է {n} նոր վերելակ",
               "Նոր վերելակները փոխարինել են խորհրդային տարիներին տեղադրվածներին։ Ծրագիրն իրականացվում է պետական սուբվենցիայով։"),
        "en": ("{n} new lifts installed in Vanadzor apartment blocks",
               "The lifts replace ones installed in Soviet times. The programme is funded by a state subvention."),
    }, numbers={"n": (6, 24)}, tone=Sentiment.POSITIVE),
    Story("vanadzor-council", "vanadzor", 2, {
        "ka": ("ვანაძორის თემის საკრებულომ {n} გადაწყვეტილება მიიღო",
               "სხდომაზე თემის ქონების გასხვისებისა და ნარჩენების გატანის საფასურის საკითხები განიხილეს."),
        "hy": ("Վանաձոր համայնքի ավագանին ընդունել է {n} որոշում",
               "Նիստում քննարկվել են համայնքային գույքի օտարման և աղբահանության վճարի հարցերը։"),
        "en": ("Vanadzor Council of Elders adopts {n} decisions",
               "The session discussed the sale of community property and the waste collection fee."),
    }, numbers={"n": (6, 19)}, tone=Sentiment.NEUTRAL),
    Story("pension-am", "am", 1, {
        "ka": ("სომხეთში იანვრიდან პენსიები {n} პროცენტით გაიზრდება",
               "შრომისა და სოციალურ საკითხთა სამინისტროს ინფორმაციით, ზრდა 400 ათასზე მეტ პენსიონერს შეეხება."),
        "hy": ("Հայաստանում հունվարից կենսաթոշակները կբարձրացվեն {n} տոկոսով",
               "Աշխատանքի և սոցիալական հարցերի նախարարության տվյալներով՝ բարձրացումը կվերաբերի ավելի քան 400 հազար կենսաթոշակառուի։"),
        "en": ("Armenia to raise pensions by {n}% from January",
               "The Ministry of Labour and Social Affairs says the rise will affect more than 400,000 pensioners."),
    }, numbers={"n": (5, 10)}, tone=Sentiment.POSITIVE, months=frozenset({10, 11, 12})),
    Story("textbooks", "ge_arm", 2, {
        "ka": ("{gen} სომხურენოვან სკოლებს ახალი სახელმძღვანელოები გადაეცა",
               "განათლების სამინისტრომ {n} სახელმძღვანელო გადასცა. წიგნები ქართულიდან სომხურად ითარგმნა."),
        "hy": ("{gen} հայկական դպրոցներին տրամադրվել են նոր դասագրքեր",
               "Կրթության նախարարությունը տրամադրել է {n} դասագիրք։ Գրքերը թարգմանվել են վրացերենից հայերեն։"),
        "en": ("New textbooks for Armenian-language schools in {nom}",
               "The Ministry of Education handed over {n} textbooks translated from Georgian into Armenian."),
    }, numbers={"n": (600, 4200)}, tone=Sentiment.POSITIVE, months=frozenset({8, 9, 10})),
    Story("javakheti-road", "ge_arm", 2, {
        "ka": ("{gen} მიმდებარე სოფლებში {n} კილომეტრი გზა მოასფალტდა",
               "სამუშაოები რეგიონული განვითარების ფონდის დაფინანსებით ჩატარდა. მომავალ წელს კიდევ რამდენიმე სოფლის გზის რეაბილიტაციაა დაგეგმილი."),
        "hy": ("{gen} հարակից գյուղերում ասֆալտապատվել է {n} կիլոմետր ճանապարհ",
               "Աշխատանքներն իրականացվել են տարածաշրջանային զարգացման հիմնադրամի միջոցներով։ Հաջորդ տարի նախատեսվում է վերանորոգել ևս մի քանի գյուղական ճանապարհ։"),
        "en": ("{n} km of village roads asphalted around {nom}",
               "The works were funded by the regional development fund. More village roads are to be repaired next year."),
    }, numbers={"n": (4, 22)}, tone=Sentiment.POSITIVE),
]  # fmt: skip

# The media report the office's denials (dated a day after the rumour).
DENIAL = {
    "ka": ("სოციალური მომსახურების სააგენტო: ინფორმაცია {claim} შესახებ სიმართლეს არ შეესაბამება",
           "სააგენტოს განცხადებით, სოციალურ ქსელებში გავრცელებული ინფორმაცია დეზინფორმაციაა. ყველა გასაცემელი ჩვეულ რეჟიმში ირიცხება."),
    "hy": ("Սոցիալական ծառայությունների գործակալություն. {claim} մասին տեղեկությունը չի համապատասխանում իրականությանը",
           "Գործակալության հայտարարությամբ՝ սոցիալական ցանցերում տարածված տեղեկությունն ապատեղեկատվություն է։ Բոլոր վճարումները կատարվում են սովորական ռեժիմով։"),
    "en": ("Social Service Agency denies reports of {claim}",
           "The agency says the reports circulating on social networks are disinformation. All payments are being made as usual."),
}  # fmt: skip
# claim (ka, hy, en), days ago, outlets
DENIALS = [
    (("საარსებო შემწეობის მასობრივი შეწყვეტის", "կենսապահովման նպաստների զանգվածային դադարեցման", "subsistence allowances being stopped en masse"), 29.2, ["ipn-ka", "netgazeti", "gpb-ka", "ipn-en"]),
    (("სოციალური ბარათების გაუქმების", "սոցիալական քարտերի վերացման", "social cards being abolished"), 18.1, ["gpb-hy", "javakhk", "gpb-ka"]),
    (("პენსიების გაცემის შეჩერების", "կենսաթոշակների վճարման դադարեցման", "pension payments being suspended"), 24.6, ["ipn-ka", "liberty-ka", "caucasus"]),
]  # fmt: skip

# --- Items the office flagged: misinformation in the online press -----------------------

# source, days ago, title, summary, status, response (None, or (text, hours after)),
# assignee
MISINFORMATION = [
    ("ambebi24", 30.1,
     "იანვრიდან საარსებო შემწეობა 40 ათას ოჯახს შეუწყდება",
     "გამოცემა ანონიმურ წყაროზე დაყრდნობით წერს, რომ სოციალური მომსახურების სააგენტო შემწეობის გაცემას მასობრივად შეწყვეტს. სააგენტოს კომენტარი სტატიაში არ არის.",
     Status.RESPONDED,
     ("ოფიციალური განცხადება გამოვაქვეყნეთ: შემწეობის მასობრივი შეწყვეტა არ იგეგმება, ოჯახები ინდივიდუალურად ფასდება. რედაქციას შესწორების მოთხოვნით მივმართეთ.", 19),
     MONITOR),
    ("javakhk", 19.3,
     "Տարածվում է տեղեկություն, թե Ջավախքում սոցիալական քարտերը կվերացվեն",
     "Կայքը, վկայակոչելով անանուն աղբյուր, գրում է, որ Սոցիալական ծառայությունների գործակալությունը դադարեցնում է սոցիալական քարտերի սպասարկումը։ Գործակալության մեկնաբանությունը հոդվածում բացակայում է։",
     Status.RESPONDED,
     ("Հրապարակել ենք պաշտոնական հայտարարություն հայերենով. սոցիալական քարտերը չեն վերացվում։ Խմբագրությանը ուղարկել ենք պարզաբանում։", 22),
     "anna.hakobyan"),
    ("ambebi24", 2.1,
     "ვრცელდება ინფორმაცია, რომ დეკემბრის პენსიები დაგვიანებით გაიცემა",
     "სოციალურ ქსელებში გავრცელებული პოსტის თანახმად, ბიუჯეტში პენსიებისთვის თანხები არ არის. ოფიციალური წყარო პოსტში მითითებული არ არის.",
     Status.NEEDS_RESPONSE, None, MONITOR),
    ("ambebi24", 0.3,
     "სოციალური მომსახურების სააგენტოს ხელმძღვანელობამ სამსახურებრივი ავტომობილები 2 მილიონ ლარად შეიძინა",
     "სტატიის ავტორი Telegram-არხზე გავრცელებულ პოსტს იმეორებს. შესყიდვების დოკუმენტები სტატიაში მოყვანილი არ არის.",
     Status.NEEDS_RESPONSE, None, MANAGER),
]  # fmt: skip

# --- Logged by hand: broadcast and print mentions, citizens' messages ------------------


@dataclass(frozen=True)
class Logged:
    kind: str
    language: str
    days_ago: float
    title: str  # "" for a citizen's message: its first words stand for one
    summary: str
    outlet: str = ""  # English name in contacts
    programme: str = ""
    channel: str = ""
    author: str = ""
    status: str = Status.RELEVANT
    sentiment: str = Sentiment.NEUTRAL
    misinformation: bool = False
    response: tuple = ()  # (text, hours after the message, by whom)
    assignee: str = ""
    topics: tuple = ()  # topics filed by hand (no term found)
    event: str = ""  # the English title of a demo event it covers


LOGGED = [
    Logged(Kind.TV, "ka", 1.2, "სიუჟეტი საარსებო შემწეობის ხელახალ შეფასებაზე",
           "სიუჟეტში სოციალური მომსახურების სააგენტოს წარმომადგენელი განმარტავს, როგორ ფასდება ოჯახების სოციალური მდგომარეობა. გამოკითხული მოქალაქეები შეფასების ვადებს აკრიტიკებენ.",
           outlet="Rustavi 2", programme="კურიერი", sentiment=Sentiment.NEGATIVE, assignee=MONITOR),
    Logged(Kind.TV, "ka", 13, "სახალხო დამცველის სპეციალური ანგარიშის პრეზენტაცია",
           "„მოამბემ“ პრეზენტაციიდან პირდაპირი ჩართვა გადასცა. სიუჟეტში ნაჩვენებია სახალხო დამცველის ინტერვიუ და ანგარიშის ძირითადი რეკომენდაციები.",
           outlet="Georgian Public Broadcaster", programme="მოამბე", sentiment=Sentiment.POSITIVE,
           event="Public Defender presents the special report on the rights of persons with disabilities"),
    Logged(Kind.TV, "ka", 28, "რეპორტაჟი ახალქალაქში 24-საათიანი წყალმომარაგების პროექტზე",
           "რეპორტაჟში მოსახლეობა პროექტს დადებითად აფასებს. ნაჩვენებია მუნიციპალიტეტის მერის კომენტარი.",
           outlet="Imedi TV", programme="ქრონიკა", status=Status.ARCHIVED, sentiment=Sentiment.POSITIVE),
    Logged(Kind.TV, "hy", 6, "Ռեպորտաժ Վանաձորի բազմաբնակարան շենքերի տանիքների վերանորոգման մասին",
           "Ռեպորտաժում բնակիչները գոհունակություն են հայտնում աշխատանքների որակից։ Ներկայացված է համայնքի ղեկավարի մեկնաբանությունը։",
           outlet="Armenian Public Television", programme="Լուրեր", sentiment=Sentiment.POSITIVE, assignee="anna.hakobyan"),
    Logged(Kind.RADIO, "ka", 9, "ინტერვიუ სააგენტოს სპიკერთან ზამთრის გათბობის დახმარებაზე",
           "სპიკერმა ისაუბრა, ვინ მიიღებს დახმარებას და როდის ჩაირიცხება თანხა. წამყვანმა მსმენელების შეკითხვებიც წაიკითხა.",
           outlet="Radio Liberty Georgian Service", programme="დილის გადაცემა",
           topics=("სოციალური მომსახურების სააგენტო",)),
    Logged(Kind.RADIO, "hy", 20, "Ռադիոզրույց Մարդու իրավունքների պաշտպանի հետ ծերանոցներում պայմանների մասին",
           "Պաշտպանը ներկայացրել է ծերանոցներում կատարված այցերի արդյունքները և պետական մարմիններին ուղղված առաջարկությունները։",
           outlet="Azatutyun Radio", programme="Օրվա թեման", status=Status.ARCHIVED),
    Logged(Kind.PRINT, "ka", 16, "სტატია პენსიონერების პრობლემებზე სააგენტოს კომენტარის გარეშე",
           "ავტორი წერს, რომ აჭარაში პენსიონერები ბანკის ფილიალებში რიგებში დგანან. სტატიაში სააგენტოს პოზიცია წარმოდგენილი არ არის.",
           outlet="Batumelebi", programme="ბეჭდური გამოცემა, გვ. 4", status=Status.RESPONDED, sentiment=Sentiment.NEGATIVE,
           response=("რედაქციას განმარტება გავუგზავნეთ: პენსია ბარათზე ირიცხება და მისი გამოტანა ნებისმიერ ბანკომატში შეიძლება. განმარტება მომდევნო ნომერში დაიბეჭდა.", 26, MONITOR),
           assignee=MONITOR, topics=("სოციალური მომსახურების სააგენტო",)),
    Logged(Kind.TV, "ka", 0.4, "სიუჟეტი სოციალური მომსახურების სააგენტოს ახალ სერვისცენტრზე ქუთაისში",
           "სიუჟეტში ნაჩვენებია ახალი სერვისცენტრი და ელექტრონული რიგის სისტემა. მოქალაქეები მომსახურებას დადებითად აფასებენ.",
           outlet="Rustavi 2", programme="კურიერი", sentiment=Sentiment.POSITIVE),
    Logged(Kind.RADIO, "hy", 2.5, "Հաղորդում Ջավախքում սոցիալական աջակցության մասին",
           "Ախալքալաքի բնակիչները պատմում են նպաստների ստացման դժվարությունների մասին։ Հաղորդման մեջ հնչել է անճշտություն, թե նպաստները կդադարեցվեն։",
           outlet="Azatutyun Radio", programme="Օրվա թեման", status=Status.NEEDS_RESPONSE, sentiment=Sentiment.NEGATIVE,
           misinformation=True, assignee="anna.hakobyan", topics=("დეზინფორმაცია",)),
    # Citizens' messages in social networks.
    Logged(Kind.SOCIAL, "ka", 0.2, "", "გამარჯობა, დედაჩემს ამ თვის პენსია ჯერ არ ჩარიცხვია. ვის მივმართოთ?",
           channel=Channel.FACEBOOK, author="ნანა გელაშვილი", status=Status.NEEDS_RESPONSE, assignee=MONITOR),
    Logged(Kind.SOCIAL, "ka", 1.6, "", "საარსებო შემწეობა შემიწყდა და არავინ მიხსნის, რატომ. აგენტი სახლში არ მოსულა.",
           channel=Channel.FACEBOOK, author="გიორგი მაისურაძე", status=Status.NEEDS_RESPONSE, sentiment=Sentiment.NEGATIVE, assignee=MONITOR),
    Logged(Kind.SOCIAL, "ka", 3, "", "ზამთრის გათბობის დახმარებისთვის სად უნდა დავრეგისტრირდე? ოზურგეთში ვცხოვრობ.",
           channel=Channel.FACEBOOK, author="თეონა ხარაიშვილი", status=Status.RESPONDED,
           response=("გამარჯობა, თეონა. დახმარება ავტომატურად ენიშნება ოჯახებს, რომლებიც სოციალურად დაუცველი ოჯახების ბაზაში არიან. დამატებითი ინფორმაციისთვის დაგვიკავშირდით ცხელ ხაზზე.", 3, MONITOR)),
    Logged(Kind.SOCIAL, "hy", 5, "", "Բարև Ձեզ, ինչպե՞ս կարող եմ դիմել ձմեռային ջեռուցման աջակցության համար Նինոծմինդայում։",
           channel=Channel.FACEBOOK, author="Արմինե Պետրոսյան", status=Status.RESPONDED, assignee="anna.hakobyan",
           response=("Բարև Ձեզ, Արմինե։ Աջակցությունը նշանակվում է ավտոմատ կերպով՝ սոցիալապես անապահով ընտանիքների տվյալների բազայում ընդգրկված ընտանիքներին։ Մանրամասների համար զանգահարեք թեժ գծին։", 5, MONITOR)),
    Logged(Kind.SOCIAL, "ka", 2, "", "სოციალური მომსახურების სააგენტოს ხელმძღვანელობამ ბიუჯეტის ფულით ახალი ჯიპები იყიდა, პენსიონერებს კი დახმარებას უკლებენ!",
           channel=Channel.TELEGRAM, author="არხი „ახალი ამბები 24/7“", status=Status.NEEDS_RESPONSE, sentiment=Sentiment.NEGATIVE,
           misinformation=True, assignee=MANAGER, topics=("დეზინფორმაცია",)),
    Logged(Kind.SOCIAL, "ka", 8, "", "რატომ არ მუშაობს სააგენტოს ცხელი ხაზი შაბათობით? ორი საათი ვრეკავდი.",
           channel=Channel.FACEBOOK, author="ლევან ჩიქოვანი", status=Status.RESPONDED, sentiment=Sentiment.NEGATIVE, topics=("სოციალური მომსახურების სააგენტო",),
           response=("ლევან, ბოდიშს გიხდით. ცხელი ხაზი შაბათობით 10:00-დან 15:00 საათამდე მუშაობს; იმ დღეს ზარების რაოდენობა ჩვეულებრივზე მეტი იყო.", 20, MONITOR)),
    Logged(Kind.SOCIAL, "ka", 11, "", "დიდი მადლობა ქუთაისის სერვისცენტრის თანამშრომლებს, ძალიან ყურადღებიანები იყვნენ!",
           channel=Channel.INSTAGRAM, author="mariam_k", status=Status.RESPONDED, sentiment=Sentiment.POSITIVE, topics=("სოციალური მომსახურების სააგენტო",),
           response=("მარიამ, დიდი მადლობა თბილი სიტყვებისთვის! აუცილებლად გადავცემთ კოლეგებს.", 4, MONITOR)),
    Logged(Kind.SOCIAL, "en", 14, "", "Does the Social Service Agency have any information in English about registering a newborn for child benefit?",
           channel=Channel.X, author="@tbilisi_expat", status=Status.RESPONDED,
           response=("Hello! Yes: the agency's website has an English page on child benefit, and the hotline operators can answer in English.", 6, MONITOR)),
    Logged(Kind.SOCIAL, "hy", 18.6, "", "Ճի՞շտ է, որ Ջավախքում սոցիալական քարտերը վերացվում են։ Մարդիկ անհանգստացած են։",
           channel=Channel.FACEBOOK, author="Սամվել Հովհաննիսյան", status=Status.RESPONDED, sentiment=Sentiment.NEGATIVE, topics=("დეზინფორმაცია",),
           misinformation=True, assignee="anna.hakobyan",
           response=("Ոչ, դա ճիշտ չէ։ Սոցիալական քարտերը չեն վերացվում, բոլոր վճարումները կատարվում են սովորական ռեժիմով։ Պաշտոնական հայտարարությունը հրապարակված է մեր կայքում։", 8, MONITOR)),
    Logged(Kind.SOCIAL, "ka", 25, "", "პენსიები მართლა შეჩერდება დეკემბრიდან? მეზობელმა ასე თქვა.",
           channel=Channel.FACEBOOK, author="ეკა ბერიძე", status=Status.RESPONDED, misinformation=True, topics=("დეზინფორმაცია",),
           response=("არა, ეს ინფორმაცია სიმართლეს არ შეესაბამება. პენსიები ჩვეულ რეჟიმში გაიცემა. ოფიციალური განცხადება ჩვენს გვერდზეა გამოქვეყნებული.", 2, MANAGER)),
    Logged(Kind.SOCIAL, "ka", 33, "", "ბავშვის შეზღუდული შესაძლებლობის სტატუსის განახლებას რამდენი ხანი სჭირდება?",
           channel=Channel.FACEBOOK, author="ზურაბ ღლონტი", status=Status.RESPONDED, topics=("სოციალური მომსახურების სააგენტო",),
           response=("ზურაბ, სტატუსის განახლებას, როგორც წესი, 10 სამუშაო დღე სჭირდება. დეტალებისთვის პირად შეტყობინებაში მოგვწერეთ.", 28, MONITOR)),
    Logged(Kind.SOCIAL, "hy", 0.6, "", "Նպաստն այս ամիս ուշանում է, ե՞րբ կփոխանցվի։",
           channel=Channel.TELEGRAM, author="Գոռ Մկրտչյան", status=Status.NEEDS_RESPONSE, assignee="anna.hakobyan"),
    Logged(Kind.SOCIAL, "ka", 42, "", "შესანიშნავი ინიციატივაა ახალი საბავშვო ბაღი გორში, მადლობა!",
           channel=Channel.FACEBOOK, author="სალომე ჯავახიშვილი", status=Status.RESPONDED, sentiment=Sentiment.POSITIVE,
           response=("სალომე, გმადლობთ! ბაღში რეგისტრაცია ონლაინ მიმდინარეობს.", 5, MONITOR)),
    Logged(Kind.SOCIAL, "en", 29.5, "", "Reports claim the Social Service Agency will cut benefits for 40,000 families. Can the agency confirm or deny?",
           channel=Channel.X, author="@caucasus_watch", status=Status.RESPONDED, misinformation=True, topics=("დეზინფორმაცია",),
           response=("The reports are false. No mass termination of benefits is planned; families are reassessed one by one. Our statement is on the agency's website.", 7, MANAGER)),
    Logged(Kind.SOCIAL, "ka", 60, "", "ვიდეოში ამბობენ, რომ სააგენტო ოჯახებს დახმარებას აღარ უხდის. სიმართლეა?",
           channel=Channel.YOUTUBE, author="თამუნა ქ.", status=Status.RESPONDED, misinformation=True, topics=("სოციალური მომსახურების სააგენტო", "დეზინფორმაცია"),
           response=("არა, ეს სიმართლეს არ შეესაბამება. ყველა დახმარება დროულად ირიცხება; ოფიციალური განმარტება ჩვენს ვებგვერდზეა.", 11, MONITOR)),
    Logged(Kind.SOCIAL, "ka", 1.1, "", "მარნეულში სააგენტოს ოფისთან დიდი რიგია, ელექტრონული რიგი არ მუშაობს.",
           channel=Channel.FACEBOOK, author="ირაკლი კაპანაძე", status=Status.NEEDS_RESPONSE, sentiment=Sentiment.NEGATIVE, assignee=MONITOR, topics=("სოციალური მომსახურების სააგენტო",)),
]  # fmt: skip

# Colleagues' notes: (how the item is chosen, author, text).
NOTES = [
    ("misinformation", MANAGER, "დირექტორს ვაცნობე. განმარტებას დღესვე მოვამზადებთ."),
    ("misinformation", MONITOR, "იგივე ტექსტი სამ Telegram-არხზეა გავრცელებული, ბმულები ქვემოთაა."),
    ("overdue", MONITOR, "ოჯახის მონაცემები ტერიტორიულ ცენტრს გადავუგზავნე, პასუხს ველოდები."),
    ("overdue", MANAGER, "გთხოვთ, პასუხი დღეს გაეცეს, ვადა გადაცილებულია."),
    ("negative", MONITOR, "რედაქციასთან დავრეკე, სტატიას სააგენტოს კომენტარს დაამატებენ."),
    ("negative", MONITOR, "იგივე ამბავი სხვა გამოცემებშიც არის, დაიჯესტში შევიტანოთ."),
    ("negative", MANAGER, "იურიდიულ სამსახურს გადავუგზავნე შესაფასებლად."),
    ("positive", MONITOR, "კარგი მასალაა ყოველთვიური ანგარიშისთვის."),
    ("positive", MANAGER, "Forwarded to our UNDP partners; they asked for the figures."),
    ("armenian", MONITOR, "ანას ვთხოვე, სომხური პასუხის ტექსტი გადახედოს."),
    ("armenian", MONITOR, "ჯავახეთის გამოცემებში იგივე თემა მეორე კვირაა."),
    ("release", MONITOR, "ჩვენი პრესრელიზი თითქმის უცვლელად გამოქვეყნდა."),
]  # fmt: skip

RESPONSES_TO_PRESS = [
    "რედაქციას განმარტება გავუგზავნეთ; სტატიას სააგენტოს კომენტარი დაემატა.",
    "ჟურნალისტს ოფიციალური მონაცემები მივაწოდეთ, ცნობა შესწორდა.",
    "სააგენტოს პოზიცია ჩვენს ფეისბუქ-გვერდზე გამოვაქვეყნეთ და რედაქციას გავუგზავნეთ.",
]


# --- The seeder ------------------------------------------------------------------------


def _aware(day, hour: int, minute: int):
    return timezone.make_aware(
        datetime.combine(day, clock(hour, minute)), timezone.get_current_timezone()
    )


def _number(value, language: str) -> str:
    """A figure as the language writes it: 2,190 and 1.5 in English, 2 190 and 1,5
    in Armenian, 2 190 and 1.5 in Georgian."""
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text.replace(".", ",") if language == "hy" else text
    text = f"{value:,}"
    return text if language == "en" else text.replace(",", "\N{NO-BREAK SPACE}")


class _Seeder:
    def __init__(self, rng: random.Random, now):
        self.rng = rng
        self.now = now
        self.users = {u.username: u for u in User.objects.all()}
        self.outlets = {o.name_en: o for o in Organisation.objects.filter(kind="media")}
        self.sources: dict[str, Source] = {}
        self.feeds = {feed.key: feed for feed in FEEDS}
        self.items: list[Item] = []
        self.plans: dict[int, dict] = {}  # id(item) -> what the office did with it
        self.numbers = {feed.key: 100_000 + rng.randint(0, 50_000) for feed in FEEDS}
        self.titles: set[str] = set()

    # Outlets, sources, topics --------------------------------------------------------

    def outlets_add(self) -> None:
        """The invented outlets, added to the contacts like any other outlet."""
        regions = {r.name_en: r for r in Region.objects.all()}
        for en, ka, hy, media_type, region in NEW_OUTLETS:
            if en in self.outlets:
                continue
            self.outlets[en] = contact_services.organisation_create(
                data={
                    "kind": "media",
                    "media_type": media_type,
                    "name_en": en,
                    "name_ka": ka,
                    "name_hy": hy,
                    "name_latin": en,
                    "region": regions.get(region),
                },
                actor=None,
            )

    def sources_add(self) -> None:
        creator = self.users[MONITOR]
        for feed in FEEDS:
            # The demo's addresses are invented (.example never resolves), so
            # the sources are disabled: beat never pulls them and "pull now"
            # asks to enable them first. Add a real feed to see a pull.
            source = services.source_create(
                data={
                    "name": feed.name,
                    "kind": feed.kind,
                    "url": feed.url,
                    "outlet": self.outlets.get(feed.outlet),
                    "language": feed.language,
                    "interval_minutes": feed.interval,
                    "enabled": False,
                },
                actor=creator,
            )
            last_success = self.now - timedelta(hours=feed.last_success_hours)
            health = {
                "created_at": self.now - timedelta(days=DAYS + 30),
                "last_success_at": last_success,
                "last_attempt_at": last_success,
                "next_attempt_at": last_success + timedelta(minutes=feed.interval),
            }
            if feed.failures:
                msgid, params = feed.error
                # In the site's language, as a worker would have written it.
                with translation.override(settings.LANGUAGE_CODE):
                    message = gettext(msgid) % params
                last_attempt = self.now - timedelta(minutes=self.rng.randint(3, 25))
                health.update(
                    last_error=message,
                    consecutive_failures=feed.failures,
                    last_attempt_at=last_attempt,
                    next_attempt_at=last_attempt
                    + timedelta(minutes=min(5 * 2 ** (feed.failures - 1), 1440)),
                )
            Source.objects.filter(pk=source.pk).update(**health)
            self.sources[feed.key] = source

    def topics_add(self) -> dict[str, Topic]:
        topics = {}
        for name, language, priority, includes, excludes, creator in TOPICS:
            topics[name] = services.topic_create(
                data={
                    "name": name,
                    "include_terms": "\n".join(includes),
                    "exclude_terms": "\n".join(excludes),
                    "language": language,
                    "priority": priority,
                    "active": True,
                },
                actor=self.users[creator],
            )
        Topic.objects.filter(pk__in=[t.pk for t in topics.values()]).update(
            created_at=self.now - timedelta(days=DAYS + 25)
        )
        return topics

    def subscriptions_add(self, topics: dict[str, Topic]) -> None:
        for username, names in SUBSCRIPTIONS.items():
            user = self.users.get(username)
            if user is not None:
                services.subscription_set(
                    user=user, topics=[topics[name] for name in names], actor=user
                )
        # Followed since before the demo's first item: the first digest after
        # the seed reaches back one day, not to the start of time.
        Subscription.objects.filter(topic__in=topics.values()).update(
            created_at=self.now - timedelta(days=DAYS + 20)
        )

    # Items ----------------------------------------------------------------------------

    def _author(self, language: str) -> str:
        if self.rng.random() > 0.3 or language == "en":
            return ""
        if language == "hy":
            first, last = (
                self.rng.choice(ARMENIAN_FIRST),
                self.rng.choice(ARMENIAN_LAST),
            )
        else:
            first, last = (
                self.rng.choice(GEORGIAN_FIRST),
                self.rng.choice(GEORGIAN_LAST),
            )
        return f"{first[0]} {last[0]}"

    def online(
        self, feed_key: str, title: str, summary: str, at, plan=None, **links
    ) -> Item | None:
        """One pulled article of ``feed_key`` published at ``at``; None if too late."""
        feed = self.feeds[feed_key]
        published = at
        fetched = published + timedelta(minutes=self.rng.randint(1, feed.interval))
        if fetched > self.now - timedelta(minutes=1):
            return None
        if fetched > self.now - timedelta(hours=feed.last_success_hours):
            return None  # the source was failing by then
        undated = 0.3 if feed.kind == Source.Kind.PAGE else 0.02
        self.numbers[feed_key] += self.rng.randint(3, 40)
        path = ARTICLE_PATHS[feed_key].format(
            n=self.numbers[feed_key], slug=slugify_any(title, 60)
        )
        base = feed.url.split("/", 3)
        url = f"{base[0]}//{base[2]}{path}"
        item = Item(
            kind=Kind.ONLINE,
            source=self.sources[feed_key],
            outlet=self.sources[feed_key].outlet,
            external_id=url,
            url=url,
            title=title,
            summary=summary,
            author=self._author(feed.language),
            language=feed.language,
            # Some entries carry no date (more of them on pages without a
            # feed); the inbox falls back to the time of arrival.
            published_at=None if self.rng.random() < undated else published,
            fetched_at=fetched,
            search_text=search_key(title, summary),
            fingerprint=fingerprint(title, url),
            status=Status.NEW,
            **links,
        )
        self.items.append(item)
        self.plans[id(item)] = plan or {}
        return item

    def _variant(self, title: str, feed_key: str, copy: int) -> str:
        """The same headline as another outlet prints it (same fingerprint)."""
        if copy % 2:
            # "Headline | Outlet": the fingerprint leaves the outlet's name out.
            return f"{title} | {self.feeds[feed_key].name.split(' — ')[0]}"
        return title

    def story_publish(self, texts: dict, tags: set, at, plan=None, **links) -> int:
        """Publish one story in one to four outlets; how many items were made."""
        eligible = [f for f in FEEDS if f.covers & tags and f.language in texts]
        if not eligible:
            return 0
        languages = sorted(
            {feed.language for feed in eligible if feed.language in texts}
        )
        weights = {"ka": 6, "hy": 3, "en": 2}
        language = self.rng.choices(languages, [weights[x] for x in languages])[0]
        same = [feed for feed in eligible if feed.language == language]
        count = min(self.rng.choice([1, 1, 1, 2, 2, 3, 4]), len(same))
        chosen = self.rng.sample(same, count)
        others = [feed for feed in eligible if feed.language != language]
        if others and self.rng.random() < 0.25:
            chosen.append(self.rng.choice(others))
        made = 0
        for copy, feed in enumerate(chosen):
            title, summary = texts[feed.language]
            same_language = sum(1 for f in chosen[:copy] if f.language == feed.language)
            when = at + timedelta(minutes=copy and self.rng.randint(10, 240))
            title = self._variant(title, feed.key, same_language)
            if self.online(feed.key, title, summary, when, plan, **links):
                made += 1
        return made

    def _moment(self, days_ago: float):
        """A plausible time of day, ``days_ago`` days before now (never later)."""
        day = timezone.localdate(self.now) - timedelta(days=int(days_ago))
        hour = self.rng.choice(
            [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22, 23]
        )
        moment = _aware(day, hour, self.rng.randint(0, 59))
        if moment > self.now:
            moment = self.now - timedelta(minutes=self.rng.randint(30, 600))
        return moment

    def _render(self, story: Story, at) -> tuple[dict, set] | None:
        rng = self.rng
        if story.where in ("ge", "ge_arm"):
            towns = [t for t in TOWNS_GE if t.armenian or story.where == "ge"]
            town = rng.choice(towns)
        elif story.where == "am":
            town = rng.choice(TOWNS_AM)
        elif story.where == "vanadzor":
            town = TOWNS_AM[0]
        else:
            town = None
        values = {}
        for name, (low, high) in story.numbers.items():
            values[name] = (
                round(rng.uniform(low, high), 1)
                if isinstance(low, float)
                else rng.randint(low, high)
            )
        # Late summer is hot, late autumn is not.
        values["t"] = {8: 33, 9: 27, 10: 21, 11: 14, 12: 8}.get(
            at.month, 12
        ) - rng.randint(0, 6)
        picks = {name: rng.choice(options) for name, options in story.choices.items()}
        texts = {}
        for index, language in enumerate(("ka", "hy", "en")):
            fill = {name: _number(value, language) for name, value in values.items()}
            fill.update({name: pick[index] for name, pick in picks.items()})
            if town is not None:
                names = getattr(town, language) if language != "en" else (town.en,) * 3
                fill.update(nom=names[0], gen=names[1], loc=names[2])
                street = town.streets.get(language, ("", ""))
                fill.update(street=street[0], street_gen=street[1])
            title, summary = story.texts[language]
            texts[language] = (title.format(**fill), summary.format(**fill))
        if texts["en"][0] in self.titles:
            return None  # that story was told already
        self.titles.add(texts["en"][0])
        if town is None:
            tags = {"ge_nat"} if story.where == "ge_nat" else {"am"}
        elif town.georgia:
            tags = {"ge", "ge_arm"} if town.armenian else {"ge"}
        else:
            tags = {"am"}
        return texts, tags

    def stories_add(self, target: int) -> None:
        """News from the templates until the inbox holds ``target`` items."""
        weights = [story.weight for story in STORIES]
        tries = 0
        while len(self.items) < target and tries < 20 * target:
            tries += 1
            # Slightly more news lately: feeds were added over time.
            days_ago = (self.rng.random() ** 1.2) * (DAYS - 1)
            at = self._moment(days_ago)
            story = self.rng.choices(STORIES, weights)[0]
            if at.month not in story.months:
                continue
            rendered = self._render(story, at)
            if rendered is None:
                continue
            texts, tags = rendered
            self.story_publish(texts, tags, at, {"tone": story.tone})

    @staticmethod
    def _texts(record, *fields: str) -> dict:
        """Title and the first of ``fields`` that has text, per language present."""
        texts = {}
        for language in ("ka", "hy", "en"):
            title = getattr(record, f"title_{language}", "") or ""
            if not title:
                continue
            body = next(
                (
                    strip_tags(text)
                    for name in fields
                    if (text := getattr(record, f"{name}_{language}", "") or "")
                ),
                "",
            )
            texts[language] = (title, Truncator(" ".join(body.split())).chars(400))
        return texts

    def coverage_add(self) -> None:
        """The press picked up the office's releases and events (linked to them)."""
        from events.models import Event
        from pressreleases.models import PressRelease

        since = self.now - timedelta(days=DAYS)
        releases = PressRelease.objects.filter(
            sent_at__gte=since,
            sent_at__lte=self.now,
            status__in=["sent", "published", "withdrawn"],
        ).order_by("sent_at")
        events = Event.objects.filter(
            starts_at__gte=since, starts_at__lte=self.now, status="held"
        ).order_by("starts_at")
        records = [
            (release, release.sent_at, self._texts(release, "lead", "body"))
            for release in releases
        ] + [
            (event, event.starts_at, self._texts(event, "description"))
            for event in events
        ]
        for record, at, texts in records:
            # Vanadzor's news is Armenia's: its outlets, not Georgia's, carry it.
            armenia = "Vanadzor" in (getattr(record, "title_en", "") or "")
            link = {"event" if isinstance(record, Event) else "release": record}
            self.story_publish(
                texts,
                {"am"} if armenia else {"ge", "ge_nat"},
                at + timedelta(minutes=self.rng.randint(20, 240)),
                {"tone": Sentiment.POSITIVE},
                **link,
            )

    def misinformation_add(self) -> None:
        for claim, days_ago, feeds in DENIALS:
            at = self.now - timedelta(days=days_ago)
            for copy, key in enumerate(feeds):
                language = self.feeds[key].language
                index = ("ka", "hy", "en").index(language)
                title, summary = DENIAL[language]
                title = self._variant(title.format(claim=claim[index]), key, copy)
                when = at + timedelta(minutes=25 * copy)
                self.online(key, title, summary, when, {"tone": Sentiment.POSITIVE})
        for key, days_ago, title, summary, status, response, assignee in MISINFORMATION:
            at = self.now - timedelta(days=days_ago)
            item = self.online(key, title, summary, at)
            if item is None:
                continue
            plan = {
                "status": status,
                "sentiment": Sentiment.NEGATIVE,
                "misinformation": True,
                "assignee": assignee,
                "due": item.fetched_at + timedelta(hours=24),
            }
            if response:
                text, hours = response
                plan["response"] = (
                    text,
                    item.fetched_at + timedelta(hours=hours),
                    MONITOR,
                )
            self.plans[id(item)] = plan

    def logged_add(self) -> list[tuple[Item, tuple]]:
        """Broadcast, print and social-network mentions logged by the monitor."""
        from events.models import Event

        logged = []
        for number, entry in enumerate(LOGGED):
            at = self.now - timedelta(days=entry.days_ago)
            event = None
            if entry.event:
                event = Event.objects.filter(title_en=entry.event).first()
                if event is not None and event.starts_at < self.now:
                    at = event.starts_at + timedelta(hours=5)
            published = at
            fetched = min(
                published + timedelta(minutes=self.rng.randint(10, 90)), self.now
            )
            summary = entry.summary
            title = entry.title or Truncator(" ".join(summary.split())).chars(120)
            url = ""
            if entry.kind == Kind.SOCIAL:
                url = (
                    f"https://{entry.channel}.example/posts/{7_300_000 + number * 137}"
                )
            item = Item(
                kind=entry.kind,
                outlet=self.outlets.get(entry.outlet) if entry.outlet else None,
                title=title,
                summary=summary,
                author=entry.author,
                channel=entry.channel,
                programme=entry.programme,
                url=url,
                language=entry.language,
                published_at=published,
                fetched_at=fetched,
                search_text=search_key(title, summary),
                status=entry.status,
                event=event,
                created_by=self.users[MONITOR],
            )
            plan = {
                "status": entry.status,
                "sentiment": entry.sentiment,
                "misinformation": entry.misinformation,
                "assignee": entry.assignee,
            }
            if entry.kind == Kind.SOCIAL or entry.misinformation:
                plan["due"] = fetched + timedelta(
                    hours=settings.MONITORING_RESPONSE_HOURS
                )
            if entry.response:
                text, hours, by = entry.response
                plan["response"] = (text, fetched + timedelta(hours=hours), by)
            self.items.append(item)
            self.plans[id(item)] = plan
            logged.append((item, entry.topics))
        return logged

    # Triage ---------------------------------------------------------------------------

    def _assignee(self, language: str) -> str:
        if language == "hy":
            return self.rng.choice(["anna.hakobyan"] * 4 + [MONITOR])
        return self.rng.choice([MONITOR] * 5 + ["giorgi.kapanadze"] * 2 + [MANAGER])

    def triage(self, item: Item, matched: bool, age_days: float) -> None:
        """What the office has done with ``item`` by now (the newest: nothing)."""
        plan = self.plans.get(id(item), {})
        rng = self.rng
        if "status" in plan:
            item.status = plan["status"]
            item.sentiment = plan.get("sentiment", "")
            item.misinformation = plan.get("misinformation", False)
            item.assignee = self.users.get(plan.get("assignee") or "")
            item.response_due_at = plan.get("due")
            if response := plan.get("response"):
                text, at, by = response
                item.response_text = text
                item.responded_at = min(at, self.now)
                item.responded_by = self.users.get(by)
            return
        if age_days < 1.5:
            weights = {Status.NEW: 85, Status.RELEVANT: 15 if matched else 0}
        elif age_days < 7:
            weights = (
                {
                    Status.NEW: 20,
                    Status.RELEVANT: 50,
                    Status.IRRELEVANT: 15,
                    Status.ARCHIVED: 15,
                }
                if matched
                else {Status.NEW: 35, Status.IRRELEVANT: 40, Status.ARCHIVED: 25}
            )
        else:
            weights = (
                {
                    Status.NEW: 4,
                    Status.RELEVANT: 36,
                    Status.IRRELEVANT: 12,
                    Status.ARCHIVED: 48,
                }
                if matched
                else {Status.NEW: 4, Status.IRRELEVANT: 46, Status.ARCHIVED: 50}
            )
        item.status = rng.choices(list(weights), list(weights.values()))[0]
        if item.status in (Status.RELEVANT, Status.ARCHIVED) and matched:
            tone = plan.get("tone") or Sentiment.NEUTRAL
            item.sentiment = tone if rng.random() < 0.7 else Sentiment.NEUTRAL
            if item.status == Status.RELEVANT and rng.random() < 0.45:
                item.assignee = self.users.get(self._assignee(item.language))
            if (
                item.sentiment == Sentiment.NEGATIVE
                and item.language == "ka"
                and age_days > 5
                and rng.random() < 0.25
            ):
                # The office answered the outlet (a correction, a comment).
                item.status = Status.RESPONDED
                item.assignee = item.assignee or self.users.get(MONITOR)
                item.response_due_at = item.fetched_at + timedelta(hours=24)
                item.responded_at = item.fetched_at + timedelta(
                    hours=rng.randint(2, 20)
                )
                item.response_text = rng.choice(RESPONSES_TO_PRESS)
                item.responded_by = self.users.get(MONITOR)


def _notes_add(seeder: _Seeder, items: list[Item], matched: set[int]) -> int:
    """A few colleagues' notes on the items that called for them.

    ``matched`` holds the ``id()`` of the items that matched a topic.
    """
    pools = {
        "misinformation": [i for i in items if i.misinformation],
        "overdue": [i for i in items if i.response_due_at and not i.responded_at],
        "negative": [i for i in items if i.sentiment == Sentiment.NEGATIVE and id(i) in matched],
        "positive": [i for i in items if i.sentiment == Sentiment.POSITIVE and id(i) in matched],
        "armenian": [i for i in items if i.language == "hy" and id(i) in matched and i.status != Status.NEW],
        "release": [i for i in items if i.release_id],
    }  # fmt: skip
    notes, written = [], []
    for pool, author, text in NOTES:
        candidates = pools[pool]
        user = seeder.users.get(author)
        if not candidates or user is None:
            continue
        item = seeder.rng.choice(candidates)
        notes.append(ItemNote(item=item, author=user, text=text))
        written.append(
            min(
                item.fetched_at + timedelta(hours=seeder.rng.randint(1, 20)), seeder.now
            )
        )
    ItemNote.objects.bulk_create(notes)
    # created_at is auto_now_add: put the notes back at the time they were written.
    for note, at in zip(notes, written, strict=True):
        note.created_at = at
    ItemNote.objects.bulk_update(notes, ["created_at"])
    return len(notes)


def _already_seeded() -> bool:
    return Source.objects.filter(url=FEEDS[0].url).exists()


@transaction.atomic
def seed_monitoring(*, stdout=None) -> int:
    """Create the demo media monitoring once; later runs add nothing.

    Returns how many items were created. Needs the demo staff (created here if
    missing); uses the contacts' outlets, press releases and events when they
    exist. With ``stdout`` (a command's output), says what was made.
    """
    started = time.monotonic()
    seed_staff()
    if _already_seeded():
        return 0
    rng = random.Random(2024)
    now = timezone.now()
    seeder = _Seeder(rng, now)
    seeder.outlets_add()
    seeder.sources_add()
    topics = seeder.topics_add()
    seeder.subscriptions_add(topics)

    seeder.misinformation_add()
    seeder.coverage_add()
    logged = seeder.logged_add()
    seeder.stories_add(TARGET_ITEMS)
    items = sorted(seeder.items, key=lambda item: (item.fetched_at, item.title))

    # Triage needs to know what matched: ask the pull's own matcher, so that
    # every item is written once, with its final state.
    matcher = matching.matcher_for(list(topics.values()))
    filed = {id(item) for item, names in logged if names}
    matched = {
        id(item)
        for item in items
        if id(item) in filed or matcher.match_key(item.search_text, item.language)
    }
    for item in items:
        age = (now - item.fetched_at).total_seconds() / 86400
        seeder.triage(item, id(item) in matched, age)
    # Inserted in order of arrival, like the pulls that would have made them.
    Item.objects.bulk_create(items, batch_size=500)

    # Matches stored as a pull stores them; then the few filed by hand.
    matching.items_match(items=items, topics=list(topics.values()))
    ItemTopic.objects.bulk_create(
        [
            ItemTopic(item=item, topic=topics[name], terms="")
            for item, names in logged
            for name in names
        ],
        ignore_conflicts=True,
    )
    # A match is dated by its item's arrival, as if made by that pull.
    arrival = Item.objects.filter(pk=OuterRef("item_id")).values("fetched_at")[:1]
    ids = [item.pk for item in items]
    for start in range(0, len(ids), 500):
        ItemTopic.objects.filter(item_id__in=ids[start : start + 500]).update(
            matched_at=Subquery(arrival)
        )
    notes = _notes_add(seeder, items, matched)

    if stdout is not None:
        by_language = {
            language: sum(1 for item in items if item.language == language)
            for language in ("ka", "hy", "en")
        }
        stdout.write(
            f"Media monitoring: {len(items)} new items "
            f"(ka {by_language['ka']}, hy {by_language['hy']}, en {by_language['en']}; "
            f"{len(logged)} logged by hand), {len(matched)} matched to "
            f"{len(topics)} topics, {len(seeder.sources)} sources (disabled: demo "
            f"addresses), {notes} notes; {time.monotonic() - started:.1f} s.\n"
        )
    return len(items)
