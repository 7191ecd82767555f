"""Demo archive for `seed_demo`: a year of photos, a few files, the head's interviews.

About sixty photos over the year before the first run, all drawn here with
Pillow (a hall, a square or a portrait in the colours of their album, with the
album's title written on them when a font is installed; nothing is
downloaded): an album for each demo event already held, linked to it, four
older albums (the annual report in Parliament, a summer school, Vanadzor's
city day, the opening of the Kutaisi office) and a few photos in no album.
Titles and captions are in Georgian, Armenian and English in the mixes real
archives have; credits, rights (some licences expired) and consent (pending
and refused among them, at the reception day) vary; tags file them. Some
photos carry their caption and credit only inside the file (XMP) and EXIF
camera data, as a camera or an agency would send them: processing reads them.

Also: a recording of the council session (when ffmpeg is installed), the
office's PR guidelines (a PDF drawn with Pillow and two text files), a radio
interview's recording (a WAV written with the standard library) and the
head's appearances on TV, radio and online, linked to the demo outlets.

Every file is processed by the real processing code, at once (no worker
needed), so thumbnails exist when the seed returns. A second run adds nothing.
"""

import hashlib
import io
import math
import random
import struct
import subprocess
import tempfile
import time
import wave
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import ExifTags, Image, ImageDraw, ImageFont, ImageOps, TiffImagePlugin

from archive import processing, services
from archive.models import Album, Asset, MediaAppearance
from archive.uploads import TYPES
from contacts.models import Organisation
from events.demo import EVENTS
from events.models import Event
from prapp.demo import seed_staff
from prapp.models import User

PHOTO_SIZE = (1600, 1067)
ARCHIVIST = "levan.tsiklauri"
MANAGER = "nino.beridze"
# The head of the office, as the appearances name them (invented).
HEAD = "ქეთევან ხარაიშვილი"
OFFICE_CREDIT = "ლევან წიკლაური / სახალხო დამცველის აპარატი"
VANADZOR_CREDIT = "Վանաձորի համայնքապետարանի լրատվական բաժին"

# --- What the photos show ----------------------------------------------------------

# The shots of each kind of demo event: English, Georgian, Armenian.
SHOTS = {
    "press-conference": [
        ("The Public Defender presents the report", "სახალხო დამცველი ანგარიშს წარადგენს", "Հանրային պաշտպանը ներկայացնում է զեկույցը"),
        ("Journalists in the conference hall", "ჟურნალისტები საკონფერენციო დარბაზში", "Լրագրողները համաժողովների դահլիճում"),
        ("Questions from the press", "ჟურნალისტების შეკითხვები", "Լրագրողների հարցերը"),
        ("Broadcasters' cameras at the back of the hall", "მაუწყებლების კამერები დარბაზის ბოლოს", "Հեռարձակողների տեսախցիկները դահլիճի վերջում"),
        ("Copies of the report for the press", "ანგარიშის ეგზემპლარები პრესისთვის", "Զեկույցի օրինակները մամուլի համար"),
    ],
    "council-session": [
        ("Members of the Council of Elders vote", "თემის საკრებულოს წევრები კენჭს უყრიან", "Ավագանու անդամները քվեարկում են"),
        ("The Head of the community opens the session", "თემის ხელმძღვანელი სხდომას ხსნის", "Համայնքի ղեկավարը բացում է նիստը"),
        ("The session hall", "სხდომათა დარბაზი", "Նիստերի դահլիճը"),
        ("Residents follow the session", "მოქალაქეები სხდომას ადევნებენ თვალს", "Բնակիչները հետևում են նիստին"),
        ("The agenda on the screen", "დღის წესრიგი ეკრანზე", "Օրակարգը էկրանին"),
    ],
    "reception-day": [
        ("Citizens wait for the reception", "მოქალაქეები მიღებას ელოდებიან", "Քաղաքացիները սպասում են ընդունելությանը"),
        ("The Head of the community talks with a resident", "თემის ხელმძღვანელი მოქალაქეს ესაუბრება", "Համայնքի ղեկավարը զրուցում է բնակչի հետ"),
        ("Applications are registered", "განცხადებების რეგისტრაცია", "Դիմումների գրանցումը"),
        ("A family at the reception", "ოჯახი მიღებაზე", "Ընտանիքը ընդունելության ժամանակ"),
        ("The reception room", "მისაღები ოთახი", "Ընդունարանը"),
    ],
    "briefing": [
        ("The spokesperson at the briefing", "სპიკერი ბრიფინგზე", "Խոսնակը ճեպազրույցի ժամանակ"),
        ("Road safety figures on the screen", "საგზაო უსაფრთხოების მონაცემები ეკრანზე", "Ճանապարհային անվտանգության տվյալները էկրանին"),
        ("Journalists take notes", "ჟურნალისტები ჩანაწერებს აკეთებენ", "Լրագրողները նշումներ են անում"),
        ("Patrol police officers at the briefing", "საპატრულო პოლიციის თანამშრომლები ბრიფინგზე", "Պարեկային ոստիկանության աշխատակիցները ճեպազրույցին"),
    ],
    "seminar": [
        ("Participants of the working meeting", "სამუშაო შეხვედრის მონაწილეები", "Աշխատանքային հանդիպման մասնակիցները"),
        ("Work in groups", "ჯგუფური მუშაობა", "Խմբային աշխատանք"),
        ("A presentation on access to public information", "პრეზენტაცია საჯარო ინფორმაციის ხელმისაწვდომობაზე", "Ներկայացում հանրային տեղեկատվության հասանելիության մասին"),
        ("Regional journalists ask questions", "რეგიონული ჟურნალისტები კითხვებს სვამენ", "Մարզային լրագրողները հարցեր են տալիս"),
        ("Coffee break", "ყავის შესვენება", "Սուրճի ընդմիջում"),
    ],
    "official-meeting": [
        ("Handshake with the UNDP delegation", "ხელის ჩამორთმევა გაეროს განვითარების პროგრამის დელეგაციასთან", "Ձեռքսեղմում ՄԱԶԾ պատվիրակության հետ"),
        ("Talks at the table", "მოლაპარაკება მაგიდასთან", "Բանակցություններ սեղանի շուրջ"),
        ("Signing of the memorandum", "მემორანდუმის ხელმოწერა", "Հուշագրի ստորագրումը"),
        ("Joint photo of the delegations", "დელეგაციების ერთობლივი ფოტო", "Պատվիրակությունների համատեղ լուսանկարը"),
        ("Flags in the meeting room", "დროშები შეხვედრების ოთახში", "Դրոշները հանդիպումների սենյակում"),
    ],
}  # fmt: skip

# Per kind of event: the album's primary language, tags, rights, scene, colours.
EVENT_STYLE = {
    "press-conference": ("ka", ["სახალხო დამცველი", "პრესკონფერენცია", "ანგარიში"], "public", "hall", ((24, 46, 92), (196, 208, 230))),
    "council-session": ("hy", ["Վանաձոր", "ավագանի"], "public", "hall", ((70, 40, 30), (230, 205, 170))),
    "reception-day": ("hy", ["Վանաձոր", "քաղաքացիների ընդունելություն"], "internal", "hall", ((40, 70, 60), (210, 230, 215))),
    "briefing": ("ka", ["პოლიცია", "ბრიფინგი", "საგზაო უსაფრთხოება"], "press", "hall", ((20, 30, 60), (150, 170, 210))),
    "seminar": ("ka", ["რეგიონული მედია", "საჯარო ინფორმაცია"], "press", "hall", ((60, 60, 20), (235, 225, 180))),
    "official-meeting": ("hy", ["Վանաձոր", "UNDP"], "public", "hall", ((30, 50, 90), (225, 225, 235))),
}  # fmt: skip


@dataclass(frozen=True)
class OlderAlbum:
    """An album of the year before the demo events, linked to no demo event."""

    days_ago: int
    hour: int
    titles: tuple[str, str, str]  # English, Georgian, Armenian
    place: tuple[str, str, str]
    language: str  # the language its photographers caption in
    scene: str
    colours: tuple
    tags: list
    credit: str
    rights: str
    shots: list
    gps: tuple[float, float]
    consent: str = "not_needed"
    consent_note: str = ""
    licence_days: int | None = None  # licence expiry, from today


OLDER_ALBUMS = [
    OlderAlbum(
        300, 12,
        ("Presentation of the annual report in Parliament", "წლიური ანგარიშის წარდგენა პარლამენტში", "Տարեկան զեկույցի ներկայացումը խորհրդարանում"),
        ("Tbilisi", "თბილისი", "Թբիլիսի"), "ka", "hall", ((90, 20, 30), (235, 215, 200)),
        ["პარლამენტი", "ანგარიში", "სახალხო დამცველი"],
        "საქართველოს პარლამენტის პრესსამსახური", "press",
        [
            ("The Public Defender at the rostrum", "სახალხო დამცველი ტრიბუნასთან", "Հանրային պաշտպանը ամբիոնի մոտ"),
            ("Members of Parliament listen", "პარლამენტის წევრები ისმენენ", "Խորհրդարանի անդամները լսում են"),
            ("The plenary hall", "სხდომათა დარბაზი", "Լիագումար նիստերի դահլիճը"),
            ("Interview in the lobby", "ინტერვიუ კულუარებში", "Հարցազրույց կուլուարներում"),
            ("The report handed to the Speaker", "ანგარიში პარლამენტის თავმჯდომარეს გადაეცა", "Զեկույցը հանձնվում է խորհրդարանի նախագահին"),
            ("Journalists at the press stand", "ჟურნალისტები პრესის ადგილებზე", "Լրագրողները մամուլի համար նախատեսված տեղերում"),
        ],
        (41.6976, 44.7980),
        # The Parliament's press office licensed them for a year, which is over.
        licence_days=-20,
    ),
    OlderAlbum(
        210, 11,
        ("Summer school on human rights", "ადამიანის უფლებების საზაფხულო სკოლა", "Մարդու իրավունքների ամառային դպրոց"),
        ("Bakuriani", "ბაკურიანი", "Բակուրիանի"), "ka", "outdoor", ((40, 110, 170), (120, 170, 90)),
        ["ადამიანის უფლებები", "სტუდენტები"],
        OFFICE_CREDIT, "public",
        [
            ("Opening of the summer school", "საზაფხულო სკოლის გახსნა", "Ամառային դպրոցի բացումը"),
            ("Students in a workshop", "სტუდენტები სამუშაო ჯგუფში", "Ուսանողները աշխատաժողովում"),
            ("A lecture outdoors", "ლექცია ღია ცის ქვეშ", "Դասախոսություն բացօթյա"),
            ("Moot court", "იმიტირებული სასამართლო პროცესი", "Դատական խաղ"),
            ("Certificates for the participants", "მონაწილეთა სერტიფიკატები", "Մասնակիցների վկայականները"),
            ("Group photo", "ჯგუფური ფოტო", "Խմբային լուսանկար"),
        ],
        (41.7506, 43.5296),
        consent="obtained",
        consent_note="მონაწილეებმა ხელი მოაწერეს თანხმობის ფორმებს; ფორმები ინახება აპარატის არქივში.",
    ),
    OlderAlbum(
        140, 17,
        ("Vanadzor City Day", "ვანაძორის ქალაქის დღე", "Վանաձորի քաղաքի օր"),
        ("Vanadzor", "ვანაძორი", "Վանաձոր"), "hy", "outdoor", ((230, 140, 60), (90, 90, 110)),
        ["Վանաձոր", "տոն"],
        "Լիլիթ Ավետիսյան / Հետք", "press",
        [
            ("Concert on the central square", "კონცერტი ცენტრალურ მოედანზე", "Համերգ կենտրոնական հրապարակում"),
            ("The Head of the community greets residents", "თემის ხელმძღვანელი მოქალაქეებს ესალმება", "Համայնքի ղեկավարը ողջունում է բնակիչներին"),
            ("Folk dance ensemble", "ხალხური ცეკვის ანსამბლი", "Ժողովրդական պարի համույթ"),
            ("Children's drawing contest", "ბავშვთა ნახატების კონკურსი", "Մանկական նկարչական մրցույթ"),
            ("Fireworks over the city", "ფეიერვერკი ქალაქის თავზე", "Հրավառություն քաղաքի վրա"),
            ("Fair of local producers", "ადგილობრივი მწარმოებლების ბაზრობა", "Տեղական արտադրողների տոնավաճառ"),
        ],
        (40.8128, 44.4883),
        licence_days=200,
    ),
    OlderAlbum(
        70, 13,
        ("Opening of the Public Defender's office in Kutaisi", "სახალხო დამცველის ქუთაისის ოფისის გახსნა", "Հանրային պաշտպանի Քութայիսիի գրասենյակի բացումը"),
        ("Kutaisi", "ქუთაისი", "Քութայիսի"), "ka", "outdoor", ((70, 120, 200), (160, 150, 140)),
        ["ქუთაისი", "რეგიონული ოფისი", "სახალხო დამცველი"],
        "Sophie Laurent / AFP", "press",
        [
            ("Cutting the ribbon", "ლენტის გაჭრა", "Ժապավենի կտրում"),
            ("The new reception room", "ახალი მისაღები", "Նոր ընդունարանը"),
            ("Staff of the regional office", "რეგიონული ოფისის თანამშრომლები", "Տարածքային գրասենյակի աշխատակիցները"),
            ("Guests at the opening", "სტუმრები გახსნაზე", "Հյուրերը բացմանը"),
            ("The sign at the entrance", "აბრა შესასვლელთან", "Ցուցանակը մուտքի մոտ"),
            ("Accessible entrance with a ramp", "პანდუსიანი შესასვლელი", "Թեքահարթակով մուտք"),
        ],
        (42.2679, 42.6946),
        consent="obtained",
        licence_days=90,
    ),
]  # fmt: skip

# Photos in no album: days ago, English, Georgian, Armenian, rights, consent,
# scene, EXIF orientation (6: the camera was turned; stored on its side).
LOOSE = [
    (330, "Portrait of the Public Defender", "სახალხო დამცველის პორტრეტი", "Հանրային պաշտպանի դիմանկարը", "public", "obtained", "portrait", 6),
    (250, "The office building in Tbilisi", "აპარატის შენობა თბილისში", "Գրասենյակի շենքը Թբիլիսիում", "public", "not_needed", "outdoor", 1),
    (180, "The PR unit at work", "საზოგადოებასთან ურთიერთობის სამსახური მუშაობისას", "Հանրային կապերի բաժինը աշխատանքի ժամանակ", "internal", "obtained", "hall", 1),
    (120, "Meeting with students of Tbilisi State University", "შეხვედრა თბილისის სახელმწიფო უნივერსიტეტის სტუდენტებთან", "Հանդիպում Թբիլիսիի պետական համալսարանի ուսանողների հետ", "press", "obtained", "hall", 1),
    (45, "Hotline operators", "ცხელი ხაზის ოპერატორები", "Թեժ գծի օպերատորները", "internal", "pending", "hall", 1),
    (20, "Press kit for journalists", "პრეს-კიტი ჟურნალისტებისთვის", "Մամուլի փաթեթ լրագրողների համար", "public", "not_needed", "portrait", 8),
]  # fmt: skip

# The towns of the demo events' venues (events.demo.VENUES): English,
# Georgian, Armenian.
VENUE_TOWNS = {
    "pdo": ("Tbilisi", "თბილისი", "Թբիլիսի"),
    "mia": ("Tbilisi", "თბილისი", "Թբիլիսի"),
    "geostat": ("Tbilisi", "თბილისი", "Թբիլիսի"),
    "ssa": ("Tbilisi", "თბილისი", "Թբիլիսի"),
    "pdo-kutaisi": ("Kutaisi", "ქუთაისი", "Քութայիսի"),
    "vanadzor": ("Vanadzor", "ვანაძორი", "Վանաձոր"),
    "vanadzor-mayor": ("Vanadzor", "ვანაძორი", "Վանաձոր"),
}

CAMERAS = [("Canon", "EOS R6"), ("Nikon", "Z 6II"), ("Sony", "ILCE-7M3"), ("Apple", "iPhone 13")]  # fmt: skip

# --- Documents and recordings ------------------------------------------------------

PR_GUIDELINES = """საზოგადოებასთან ურთიერთობის სახელმძღვანელო

1. პრესრელიზი ქვეყნდება ქართულ, სომხურ და ინგლისურ ენებზე.
2. ფოტოზე გამოსახული ადამიანების თანხმობა აუცილებელია; ბავშვებისა და მოწყვლადი ჯგუფების შემთხვევაში — წერილობით.
3. ფოტოს ავტორი ყოველთვის მიეთითება.
4. ჟურნალისტის შეკითხვას ვპასუხობთ ორი სამუშაო დღის განმავლობაში.
5. ქართული ტექსტი არასდროს იწერება მთავრულით.

PR guidelines

1. Press releases are published in Georgian, Armenian and English.
2. People shown in photos give their consent; children and vulnerable people always in writing.
3. The photographer is always credited.
4. Journalists' questions are answered within two working days.
5. Georgian text is never set in capitals (Mtavruli).
"""
ACCREDITATION_RULES = """Լրատվամիջոցների հավատարմագրման կարգ

1. Հավատարմագրման հայտը ներկայացվում է միջոցառումից առնվազն երկու օր առաջ։
2. Լրագրողը ներկայացնում է մամուլի քարտ կամ խմբագրության նամակ։
3. Նիստերի դահլիճում լուսանկարահանումը թույլատրվում է առանց լուսաթարթիչի։
"""
PHOTO_GUIDELINES = [
    "Photo and video guidelines",
    "",
    "- Photograph the speaker and the audience; avoid the backs of heads.",
    "- Ask for consent before photographing citizens at reception days.",
    "- Never publish photos of children without their guardian's written consent.",
    "- Caption every photo in Georgian and English; add Armenian for Vanadzor.",
    "- Upload the photos to the archive on the day of the event.",
    "- Credit the photographer; agency photos only while the licence lasts.",
]

# The head's appearances: days ago, hour, medium, outlet (English name in the
# demo contacts), programme, subject, link path ("" for the recording).
APPEARANCES = [
    (320, 21, "tv", "Georgian Public Broadcaster", "მოამბე", "ანგარიში ადამიანის უფლებების მდგომარეობაზე", "https://gpb-news.example/ka/video/annual-report"),
    (240, 9, "radio", "Radio Liberty Georgian Service", "დილის საუბრები", "საზაფხულო სკოლა და ახალგაზრდების უფლებები", ""),
    (150, 20, "tv", "Rustavi 2", "კურიერი", "პენიტენციურ დაწესებულებებში არსებული მდგომარეობა", "https://rustavi2.example/ka/video/penitentiary"),
    (95, 12, "online", "Netgazeti", "", "ინტერვიუ: რატომ არის მნიშვნელოვანი საჯარო ინფორმაციის ხელმისაწვდომობა", "https://netgazeti.example/interview/public-information/"),
    (40, 19, "tv", "Armenian Public Television", "Լրաբեր", "Հարցազրույց Ջավախքի հայ համայնքի իրավունքների մասին", "https://armenian-public-tv.example/hy/video/javakhk"),
    (12, 22, "tv", "Imedi TV", "ქრონიკა", "შეზღუდული შესაძლებლობის მქონე პირთა უფლებები — სპეციალური ანგარიში", "https://imedi.example/ka/video/special-report"),
    (5, 10, "radio", "Azatutyun Radio", "Ազատության ժամ", "Քաղաքացիների ընդունելությունը Վանաձորում", "https://azatutyun.example/a/reception.html"),
]  # fmt: skip

# --- Fonts -------------------------------------------------------------------------

FONT_FOLDERS = [
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/noto"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
]
FONT_FILES = {
    "ka": ["NotoSansGeorgian-Regular.ttf", "DejaVuSans.ttf"],
    "hy": ["NotoSansArmenian-Regular.ttf", "DejaVuSans.ttf"],
    "en": ["NotoSans-Regular.ttf", "DejaVuSans.ttf"],
}


def _font_path(language: str) -> Path | None:
    for name in FONT_FILES[language]:
        for folder in FONT_FOLDERS:
            if (folder / name).is_file():
                return folder / name
    return None


class _Fonts:
    """Fonts per language and size, when installed; without them, no text."""

    def __init__(self):
        self.paths = {language: _font_path(language) for language in FONT_FILES}
        self.cache = {}

    def get(self, language: str, size: int):
        key = (language, size)
        if key not in self.cache:
            path = self.paths.get(language)
            self.cache[key] = ImageFont.truetype(str(path), size) if path else None
        return self.cache[key]


# --- Pictures ----------------------------------------------------------------------


def _shade(colour, factor: float) -> tuple:
    return tuple(max(0, min(255, round(c * factor))) for c in colour)


def _person(draw, x: float, y: float, scale: float, colour) -> None:
    """A head and shoulders, their top at (x, y)."""
    head = 38 * scale
    draw.ellipse((x - head, y, x + head, y + 2 * head), fill=_shade(colour, 1.3))
    draw.rounded_rectangle(
        (x - 2.2 * head, y + 2.1 * head, x + 2.2 * head, y + 6 * head),
        radius=round(head),
        fill=colour,
    )


def _hall(draw, rng, size, dark) -> None:
    width, height = size
    # A screen or banner at the back, a table for the speakers, the audience.
    draw.rectangle(
        (width * 0.28, height * 0.07, width * 0.72, height * 0.34),
        fill=(235, 238, 242),
        outline=_shade(dark, 0.6),
        width=6,
    )
    for line in range(4):
        top = height * (0.12 + 0.05 * line)
        draw.rectangle(
            (width * 0.32, top, width * rng.uniform(0.5, 0.68), top + 14),
            fill=_shade(dark, 1.6),
        )
    for x in (0.38, 0.5, 0.62):
        _person(
            draw, width * x, height * 0.36, 0.9, _shade(dark, rng.uniform(0.7, 1.2))
        )
    draw.rectangle(
        (width * 0.2, height * 0.5, width * 0.8, height * 0.6), fill=(110, 70, 40)
    )
    for row, y in enumerate((0.62, 0.74)):
        for column in range(7):
            x = width * (0.08 + column * 0.14 + (0.07 if row else 0))
            if x < width * 0.97:
                tone = _shade(dark, rng.uniform(0.5, 1.4))
                _person(draw, x, height * y, 1.2 + 0.25 * row, tone)


def _outdoor(draw, rng, size, dark) -> None:
    width, height = size
    draw.ellipse(
        (width * 0.78, height * 0.06, width * 0.9, height * 0.24), fill=(250, 230, 150)
    )
    x = 0.0
    while x < width:
        building = rng.uniform(0.08, 0.16) * width
        top = height * rng.uniform(0.25, 0.45)
        wall = _shade((190, 180, 165), rng.uniform(0.7, 1.1))
        draw.rectangle((x, top, x + building - 6, height * 0.7), fill=wall)
        for window_y in range(int(top) + 20, int(height * 0.66), 46):
            for window_x in range(int(x) + 14, int(x + building) - 30, 38):
                draw.rectangle(
                    (window_x, window_y, window_x + 20, window_y + 26),
                    fill=(80, 100, 130),
                )
        x += building
    draw.rectangle((0, height * 0.7, width, height), fill=(120, 115, 105))
    for _number in range(9):
        _person(
            draw,
            rng.uniform(0.05, 0.95) * width,
            height * rng.uniform(0.6, 0.72),
            rng.uniform(0.9, 1.4),
            _shade(dark, rng.uniform(0.5, 1.5)),
        )


def _portrait(draw, rng, size, dark) -> None:
    width, height = size
    _person(draw, width / 2, height * 0.16, 3.4, _shade(dark, rng.uniform(0.8, 1.1)))


SCENES = {"hall": _hall, "outdoor": _outdoor, "portrait": _portrait}


def _fit_text(draw, text: str, font, room: float) -> str:
    if draw.textlength(text, font=font) <= room:
        return text
    while text and draw.textlength(text + "…", font=font) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def picture(
    rng, *, scene, colours, lines, fonts, size=PHOTO_SIZE, stored_size=None
) -> Image.Image:
    """A photo-like picture: gradient, shapes, and a caption band with ``lines``.

    ``lines`` are (language, text) pairs written where a font for them is
    installed. ``stored_size`` turns the picture on its side (a camera held
    upright stores it so, with EXIF orientation 6 or 8).
    """
    top, bottom = colours
    gradient = Image.linear_gradient("L").resize(size)
    image = ImageOps.colorize(gradient, black=top, white=bottom)
    draw = ImageDraw.Draw(image)
    SCENES[scene](draw, rng, size, _shade(top, rng.uniform(0.8, 1.6)))
    width, height = size
    band = 150 if scene != "portrait" else 190
    draw.rectangle((0, height - band, width, height), fill=(20, 22, 28))
    y = height - band + 24
    for language, text in lines:
        font = fonts.get(language, 44 if y < height - band + 40 else 32)
        if font is None or not text:
            continue
        draw.text(
            (40, y), _fit_text(draw, text, font, width - 80), font=font, fill="white"
        )
        y += 64
    return image


def _rational(value: float) -> TiffImagePlugin.IFDRational:
    return TiffImagePlugin.IFDRational(round(value * 10000), 10000)


def _dms(value: float) -> tuple:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return (_rational(degrees), _rational(minutes), _rational(seconds))


def jpeg(
    image: Image.Image,
    *,
    taken: datetime,
    camera: tuple[str, str],
    orientation: int = 1,
    gps: tuple[float, float] | None = None,
    xmp: bytes | None = None,
) -> bytes:
    """The picture as a camera would store it: JPEG with EXIF (and XMP)."""
    if orientation == 6:
        # Stored as the sensor saw it; orientation 6 turns it back clockwise.
        image = image.transpose(Image.Transpose.ROTATE_90)
    elif orientation == 8:
        image = image.transpose(Image.Transpose.ROTATE_270)
    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = camera
    if orientation != 1:
        exif[ExifTags.Base.Orientation] = orientation
    local = timezone.localtime(taken)
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.DateTimeOriginal] = local.strftime("%Y:%m:%d %H:%M:%S")
    details[ExifTags.Base.OffsetTimeOriginal] = local.strftime("%z")[:3] + ":00"
    if gps:
        latitude, longitude = gps
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef] = "N"
        info[ExifTags.GPS.GPSLatitude] = _dms(latitude)
        info[ExifTags.GPS.GPSLongitudeRef] = "E"
        info[ExifTags.GPS.GPSLongitude] = _dms(longitude)
    options = {"quality": 84, "exif": exif}
    if xmp:
        options["xmp"] = xmp
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def guidelines_pdf(fonts) -> bytes:
    """A one-page A4 PDF (150 dpi) of the photo guidelines, drawn with Pillow."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1240, 140), fill=(24, 46, 92))
    heading = fonts.get("ka", 48)
    if heading is not None:
        draw.text((90, 42), "ფოტო და ვიდეო: სახელმძღვანელო", font=heading, fill="white")
    body = fonts.get("en", 34) or ImageFont.load_default()
    y = 220
    for line in PHOTO_GUIDELINES:
        draw.text((90, y), line, font=body, fill=(20, 20, 20))
        y += 62
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150.0)
    return buffer.getvalue()


def interview_wav(seconds: float = 4.0, rate: int = 8000) -> bytes:
    """Two voices taking turns, as tones: a recording that is not silence."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = bytearray()
        for n in range(int(seconds * rate)):
            pitch = 180 if (n // (rate // 2)) % 2 == 0 else 260
            sample = 6000 * math.sin(2 * math.pi * pitch * n / rate)
            frames += struct.pack("<h", int(sample))
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def session_video() -> bytes | None:
    """A three-second clip from ffmpeg's test pattern; None without ffmpeg."""
    ffmpeg = processing.tool("ffmpeg")
    if ffmpeg is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "session.mp4"
        for codec in (["-c:v", "libx264"], ["-c:v", "mpeg4"]):
            result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
                [
                    ffmpeg,
                    "-v",
                    "error",
                    "-nostdin",
                    "-y",
                    "-f",
                    "lavfi",
                    "-i",
                    "testsrc2=duration=3:size=640x360:rate=25",
                    *codec,
                    "-pix_fmt",
                    "yuv420p",
                    str(path),
                ],
                capture_output=True,
                timeout=120,
                check=False,
            )
            if result.returncode == 0 and path.exists():
                return path.read_bytes()
    return None


# --- Seeding -----------------------------------------------------------------------


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


@dataclass
class _Seeder:
    """Makes the files and rows, remembering what it stored (to undo a failure)."""

    rng: random.Random
    now: datetime
    archivist: User | None
    manager: User | None
    fonts: _Fonts = field(default_factory=_Fonts)
    assets: list = field(default_factory=list)
    stored: list = field(default_factory=list)  # every file name written

    def asset_add(
        self,
        *,
        name: str,
        data: bytes,
        extension: str,
        uploaded_at: datetime,
        fields: dict,
        tags=(),
        albums=(),
    ) -> Asset:
        """Store a file and register it as an upload would; processed later."""
        file_type = TYPES[extension]
        # Photos of yesterday's event were uploaded by now, not tomorrow.
        uploaded_at = min(uploaded_at, self.now - timedelta(minutes=10))
        asset = Asset(
            kind=file_type.kind,
            extension=file_type.extension,
            content_type=file_type.content_type,
            original_name=name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            state=Asset.State.PROCESSING,
            uploaded_by=self.archivist,
            uploaded_at=uploaded_at,
            **fields,
        )
        asset.file.save(name, ContentFile(data), save=False)
        self.stored.append(asset.file.name)
        asset.full_clean(exclude=["file", "title", "caption"])
        asset.save()
        if tags:
            asset.tags.set(services.tags_get_or_create(tags))
        if albums:
            asset.albums.set(albums)
        asset.search_text = services.asset_search_text(asset)
        asset.save(update_fields=["search_text"])
        self.assets.append(asset)
        return asset

    def album_add(self, titles, descriptions, event, created_at) -> Album:
        en, ka, hy = titles
        album = Album(
            title=en,
            title_en=en,
            title_ka=ka,
            title_hy=hy,
            description_en=descriptions[0],
            description_ka=descriptions[1],
            description_hy=descriptions[2],
            event=event,
            created_by=self.archivist,
        )
        album.search_text = services.album_search_text(album)
        album.full_clean(exclude=["title", "description"])
        album.save()
        # Made when its photos were uploaded, not at the time of the seed.
        created_at = min(created_at, self.now - timedelta(minutes=10))
        Album.objects.filter(pk=album.pk).update(created_at=created_at)
        return album

    def photos_add(
        self,
        *,
        album: Album | None,
        shots,
        start: datetime,
        language: str,
        scene: str,
        colours,
        place: tuple[str, str, str],
        credit: str,
        rights: str,
        consent: str,
        tags,
        place_name: str = "",
        gps=None,
        licence_expires=None,
        consent_note: str = "",
        embedded_every: int = 0,
    ) -> list[Asset]:
        """One album's photos, a few minutes apart, captioned in its languages."""
        camera = self.rng.choice(CAMERAS)
        added = []
        for number, (en, ka, hy) in enumerate(shots):
            taken = start + timedelta(minutes=4 * number + self.rng.randint(0, 3))
            titles = {"en": en, "ka": ka, "hy": hy}
            album_titles = (
                {"en": album.title_en, "ka": album.title_ka, "hy": album.title_hy}
                if album
                else titles
            )
            place_of = dict(zip(("en", "ka", "hy"), place, strict=True))
            # The album's language always, English mostly, the third language
            # now and then: the mixes a real archive has.
            languages = [language]
            if number % 4 != 3:
                languages.append("en")
            if number % 3 == 0:
                languages.append("hy" if language == "ka" else "ka")
            captions = {
                lang: f"{titles[lang]}. {album_titles[lang]}, {place_of[lang]}."
                for lang in languages
            }
            fields = {f"title_{lang}": titles[lang] for lang in languages}
            embedded = bool(embedded_every) and number % embedded_every == 1
            xmp = None
            if embedded:
                # An agency's file: caption and credit come inside the file.
                xmp = _xmp(captions, credit)
            else:
                fields.update({f"caption_{lang}": captions[lang] for lang in languages})
                fields["credit"] = credit
            fields.update(
                rights=rights,
                consent=consent,
                consent_note=consent_note,
                licence_expires=licence_expires,
                place=place_name or place_of[language],
                taken_at=taken,
                event=album.event if album else None,
            )
            image = picture(
                self.rng,
                # Now and then one person, close up, among the wide shots.
                scene="portrait" if scene == "hall" and number % 5 == 2 else scene,
                colours=colours,
                lines=[(language, album_titles[language]), ("en", en)],
                fonts=self.fonts,
            )
            data = jpeg(image, taken=taken, camera=camera, gps=gps, xmp=xmp)
            stamp = timezone.localtime(taken)
            added.append(
                self.asset_add(
                    name=f"{stamp:%Y%m%d}_{stamp:%H%M}_{number + 1:02d}.jpg",
                    data=data,
                    extension="jpg",
                    uploaded_at=taken + timedelta(hours=self.rng.randint(2, 20)),
                    fields=fields,
                    tags=tags,
                    albums=[album] if album else [],
                )
            )
        if album is not None and added:
            album.cover = added[0]
            album.save(update_fields=["cover"])
        return added

    def files_delete(self) -> None:
        """Delete every file this seed stored (its rows were rolled back)."""
        names = list(self.stored)
        for asset in self.assets:
            names += processing.rendition_files(asset.pk)
        processing.files_delete(names)

    def event_albums_add(self) -> int:
        """An album for each demo event already held, linked to it."""
        count = 0
        for row in EVENTS:
            offset, _hour, code, venue_key, en, ka, hy = row[:7]
            if offset >= 0:
                continue
            event = (
                Event.objects.filter(title_en=en, starts_at__lt=self.now)
                .select_related("venue")
                .order_by("-starts_at")
                .first()
            )
            if event is None:
                continue
            language, tags, rights, scene, colours = EVENT_STYLE[code]
            start = event.starts_at + timedelta(minutes=5)
            album = self.album_add(
                (en, ka, hy),
                (
                    "Photos of the event, taken by the press office.",
                    "ღონისძიების ფოტოები, გადაღებული პრესსამსახურის მიერ.",
                    "Միջոցառման լուսանկարները՝ արված մամուլի ծառայության կողմից։",
                ),
                event,
                start + timedelta(hours=4),
            )
            venue = event.venue.name if event.venue else ""
            vanadzor = language == "hy"
            added = self.photos_add(
                album=album,
                shots=SHOTS[code],
                start=start,
                language=language,
                scene=scene,
                colours=colours,
                place=VENUE_TOWNS[venue_key],
                place_name=venue,
                credit=VANADZOR_CREDIT if vanadzor else OFFICE_CREDIT,
                rights=rights,
                # Citizens at a reception: asked, not all answered yet.
                consent="pending" if code == "reception-day" else "not_needed",
                tags=tags,
                gps=(40.8128, 44.4883) if vanadzor else (41.7151, 44.8271),
                embedded_every=0 if vanadzor else 3,
            )
            if code == "reception-day":
                self._reception_consents(added)
            count += len(added)
        return count

    def _reception_consents(self, photos: list[Asset]) -> None:
        # Citizens at a reception are often vulnerable: their consent decides.
        family = photos[3]  # SHOTS["reception-day"]: "A family at the reception"
        Asset.objects.filter(pk=family.pk).update(
            consent=Asset.Consent.REFUSED,
            consent_note="Լուսանկարում երեխա կա. մայրը չի համաձայնել հրապարակմանը։",
        )
        room = photos[4]  # "The reception room"
        Asset.objects.filter(pk=room.pk).update(
            consent=Asset.Consent.NOT_NEEDED, rights=Asset.Rights.PUBLIC
        )
        talk = photos[1]
        Asset.objects.filter(pk=talk.pk).update(
            consent=Asset.Consent.OBTAINED,
            consent_note="Բնակիչը բանավոր համաձայնել է, գրավոր ձևը՝ գործում։",
        )

    def older_albums_add(self) -> int:
        count = 0
        for older in OLDER_ALBUMS:
            day = timezone.localdate() - timedelta(days=older.days_ago)
            start = _at(day, older.hour)
            album = self.album_add(
                older.titles,
                (
                    f"{older.titles[0]}, {older.place[0]}.",
                    f"{older.titles[1]}, {older.place[1]}.",
                    f"{older.titles[2]}, {older.place[2]}։",
                ),
                None,
                start + timedelta(hours=5),
            )
            licence = (
                timezone.localdate() + timedelta(days=older.licence_days)
                if older.licence_days is not None
                else None
            )
            added = self.photos_add(
                album=album,
                shots=older.shots,
                start=start,
                language=older.language,
                scene=older.scene,
                colours=older.colours,
                place=older.place,
                credit=older.credit,
                rights=older.rights,
                consent=older.consent,
                consent_note=older.consent_note,
                tags=older.tags,
                gps=older.gps,
                licence_expires=licence,
                embedded_every=2 if older.credit.endswith("AFP") else 0,
            )
            count += len(added)
        return count

    def loose_add(self) -> int:
        for days_ago, en, ka, hy, rights, consent, scene, orientation in LOOSE:
            day = timezone.localdate() - timedelta(days=days_ago)
            taken = _at(day, 10 + days_ago % 7, 15)
            size = PHOTO_SIZE if orientation == 1 else PHOTO_SIZE[::-1]
            image = picture(
                self.rng,
                scene=scene,
                colours=((50, 60, 80), (200, 200, 190)),
                lines=[("ka", ka), ("en", en)],
                fonts=self.fonts,
                size=size,
            )
            data = jpeg(
                image,
                taken=taken,
                camera=self.rng.choice(CAMERAS),
                orientation=orientation,
            )
            self.asset_add(
                name=f"{timezone.localtime(taken):%Y%m%d}_{en.split()[0].lower()}.jpg",
                data=data,
                extension="jpg",
                uploaded_at=taken + timedelta(hours=3),
                fields={
                    "title_ka": ka,
                    "title_en": en,
                    "title_hy": hy,
                    "caption_ka": f"{ka}.",
                    "credit": OFFICE_CREDIT,
                    "rights": rights,
                    "consent": consent,
                    "people_shown": HEAD
                    if scene == "portrait" and "Portrait" in en
                    else "",
                    "taken_at": taken,
                },
                tags=["სახალხო დამცველი"] if "Public Defender" in en else ["ოფისი"],
            )
        return len(LOOSE)

    def video_add(self) -> Asset | None:
        data = session_video()
        if data is None:
            return None
        album = Album.objects.filter(
            event__title_en="Session of the Vanadzor Council of Elders"
        ).first()
        event = album.event if album else None
        taken = (event.starts_at if event else self.now) + timedelta(minutes=2)
        return self.asset_add(
            name="avagani-nist.mp4",
            data=data,
            extension="mp4",
            uploaded_at=taken + timedelta(hours=6),
            fields={
                "title_hy": "Ավագանու նիստի տեսագրությունը",
                "title_ka": "საკრებულოს სხდომის ვიდეოჩანაწერი",
                "title_en": "Recording of the council session",
                "credit": VANADZOR_CREDIT,
                "rights": Asset.Rights.PUBLIC,
                "taken_at": taken,
                "event": event,
            },
            tags=["Վանաձոր", "ավագանի"],
            albums=[album] if album else [],
        )

    def documents_add(self) -> int:
        day = timezone.localdate() - timedelta(days=200)
        documents = [
            ("PR guidelines.txt", PR_GUIDELINES.encode(), "txt", {
                "title_ka": "საზოგადოებასთან ურთიერთობის სახელმძღვანელო",
                "title_en": "PR guidelines",
                "title_hy": "Հանրային կապերի ուղեցույց",
            }, 0),
            ("photo-guidelines.pdf", guidelines_pdf(self.fonts), "pdf", {
                "title_ka": "ფოტო და ვიდეო: სახელმძღვანელო",
                "title_en": "Photo and video guidelines",
            }, 30),
            ("havatarmagrman-karg.txt", ACCREDITATION_RULES.encode(), "txt", {
                "title_hy": "Լրատվամիջոցների հավատարմագրման կարգ",
                "title_en": "Media accreditation rules (Vanadzor)",
            }, 90),
        ]  # fmt: skip
        for name, data, extension, titles, later in documents:
            uploaded = _at(day + timedelta(days=later), 16)
            self.asset_add(
                name=name,
                data=data,
                extension=extension,
                uploaded_at=uploaded,
                fields={**titles, "rights": Asset.Rights.INTERNAL},
                tags=["სახელმძღვანელო"],
            )
        return len(documents)

    def appearances_add(self) -> int:
        outlets = {
            org.name_en: org
            for org in Organisation.objects.filter(
                name_en__in=[row[3] for row in APPEARANCES]
            )
        }
        created = 0
        for days_ago, hour, medium, outlet, programme, title, link in APPEARANCES:
            aired = _at(timezone.localdate() - timedelta(days=days_ago), hour)
            recording = None
            if not link:
                recording = self.asset_add(
                    name="radio-interview.wav",
                    data=interview_wav(),
                    extension="wav",
                    uploaded_at=aired + timedelta(hours=2),
                    fields={
                        "title_ka": f"{programme} — ინტერვიუ",
                        "title_en": f"Radio interview: {outlet}",
                        "credit": outlet,
                        "rights": Asset.Rights.INTERNAL,
                        "taken_at": aired,
                    },
                    tags=["ინტერვიუ"],
                )
            appearance = MediaAppearance(
                speaker_name=HEAD,
                outlet=outlets.get(outlet),
                medium=medium,
                programme=programme,
                title=title,
                aired_at=aired,
                link=link,
                recording=recording,
                notes="" if outlet in outlets else outlet,
                created_by=self.manager,
            )
            appearance.search_text = services.appearance_search_text(appearance)
            appearance.full_clean()
            appearance.save()
            created += 1
        return created

    def process_all(self) -> None:
        for asset in self.assets:
            processing.asset_process(asset.pk)


def _xmp(captions: dict[str, str], credit: str) -> bytes:
    """The XMP packet a photo agency puts in its files: caption and credit."""
    items = "".join(
        f"<rdf:li xml:lang={quoteattr(lang)}>{escape(text)}</rdf:li>"
        for lang, text in captions.items()
    )
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        f"<dc:description><rdf:Alt>{items}</rdf:Alt></dc:description>"
        f"<photoshop:Credit>{escape(credit)}</photoshop:Credit>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def _already_seeded() -> bool:
    return Album.objects.filter(title_en=OLDER_ALBUMS[0].titles[0]).exists()


def seed_archive(*, stdout=None) -> int:
    """Create the demo archive once; later runs add nothing. Returns new assets.

    Links albums to the demo events already held and appearances to the demo
    outlets when they exist (seed them first); works without them too.
    Every file is processed here, synchronously. With ``stdout`` (a command's
    output), says what was made.
    """
    started = time.monotonic()
    seed_staff()
    if _already_seeded():
        return 0
    users = {
        u.username: u for u in User.objects.filter(username__in=[ARCHIVIST, MANAGER])
    }
    seeder = _Seeder(
        rng=random.Random(2027),
        now=timezone.now(),
        archivist=users.get(ARCHIVIST),
        manager=users.get(MANAGER),
    )
    try:
        with transaction.atomic():
            event_photos = seeder.event_albums_add()
            older_photos = seeder.older_albums_add()
            loose = seeder.loose_add()
            video = seeder.video_add()
            documents = seeder.documents_add()
            appearances = seeder.appearances_add()
            seeder.process_all()
    except BaseException:
        # The rows are rolled back; the files they named must go too.
        seeder.files_delete()
        raise
    if stdout is not None:
        linked = Album.objects.filter(event__isnull=False).count()
        stdout.write(
            f"Archive: {len(seeder.assets)} new assets "
            f"({event_photos + older_photos + loose} photos, {event_photos} of "
            f"them in albums of {linked} events; "
            f"{'a video' if video else 'no video (no ffmpeg)'}, "
            f"{documents} documents, a recording), "
            f"{Album.objects.count()} albums, {appearances} media appearances; "
            f"{time.monotonic() - started:.1f} s.\n"
        )
    return len(seeder.assets)
