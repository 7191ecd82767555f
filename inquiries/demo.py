"""Demo inquiry desk for `seed_demo`: a year of requests, questions and answers.

About 250 requests received over the 365 days before the first run, in
Georgian, Armenian and English: journalists' questions (from the demo
journalists in contacts), public-information requests from citizens and NGOs,
citizens' letters, hotline calls and requests from other agencies. Six units
(finance, legal, social services, infrastructure, human resources, the mayor's
office) answer internal questions. Most requests were answered on time, some
late, a few refused with a legal ground or forwarded to the competent body; the
newest are still open, and a few are overdue. A dozen answers to journalists
are kept as lines to take.

Deadlines are computed by inquiries.deadlines from the deployment's law profile
and its public holidays, and numbers by inquiries.numbering, exactly as a
registration would. Every person and address is invented; the organisations
are the demo contacts. A second run adds nothing.
"""

import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from contacts.demo import ARMENIAN_FIRST, ARMENIAN_LAST, GEORGIAN_FIRST, GEORGIAN_LAST
from contacts.models import Affiliation, Organisation, Person
from events.models import Event
from inquiries import deadlines, numbering, services
from inquiries.models import (
    InternalQuestion,
    Kind,
    LineToTake,
    RefusalGround,
    Request,
    Unit,
)
from prapp.demo import seed_staff
from prapp.models import User
from pressreleases.models import PressRelease

Status, Channel, Method = Request.Status, Request.Channel, Request.AnswerMethod
DAYS = 365
TARGET = 250
MANAGER = "nino.beridze"
# Who works on requests in which language.
DESK = {"ka": "giorgi.kapanadze", "hy": "anna.hakobyan", "en": "giorgi.kapanadze"}

# English, Georgian, Armenian, address name (unit email: <name>@city.example.ge)
UNITS = [
    ("Finance Department", "საფინანსო სამსახური", "Ֆինանսական բաժին", "finance"),
    ("Legal Department", "იურიდიული სამსახური", "Իրավաբանական բաժին", "legal"),
    ("Social Services Department", "სოციალური სამსახური", "Սոցիալական ծառայությունների բաժին", "social"),
    ("Infrastructure Department", "ინფრასტრუქტურის სამსახური", "Ենթակառուցվածքների բաժին", "infrastructure"),
    ("Human Resources Department", "ადამიანური რესურსების მართვის სამსახური", "Անձնակազմի կառավարման բաժին", "hr"),
    ("Mayor's Office", "მერის აპარატი", "Քաղաքապետի աշխատակազմ", "mayor"),
]  # fmt: skip


@dataclass(frozen=True)
class Topic:
    """What one kind of request is about: subject, text and answer per language."""

    kind: str
    unit: str  # a UNITS address name
    texts: dict  # language: (subject, text, answer)
    ground: str = ""  # English name of the ground it is refused on, if ever
    agency: str = ""  # English name of the organisation that writes (agencies)


TOPICS = [
    # --- Journalists ------------------------------------------------------------
    Topic(Kind.JOURNALIST, "infrastructure", {
        "ka": ("საბავშვო ბაღების რეაბილიტაციის ვადები", "რა ეტაპზეა საბავშვო ბაღების რეაბილიტაცია და როდის გაიხსნება ბაღები?", "რეაბილიტაცია 12 ბაღში მიმდინარეობს; სამუშაოები სექტემბრამდე დასრულდება და ბაღები სასწავლო წლის დასაწყისში გაიხსნება."),
        "hy": ("Մանկապարտեզների վերանորոգման ժամկետները", "Ի՞նչ փուլում է մանկապարտեզների վերանորոգումը, և ե՞րբ կբացվեն դրանք։", "Վերանորոգումն ընթանում է 12 մանկապարտեզում. աշխատանքները կավարտվեն մինչև սեպտեմբեր, և մանկապարտեզները կբացվեն ուսումնական տարվա սկզբին։"),
        "en": ("Kindergarten renovation timeline", "How far has the kindergarten renovation got, and when will the kindergartens reopen?", "Work is under way in 12 kindergartens; it will be finished by September, and they will reopen at the start of the school year."),
    }),
    Topic(Kind.JOURNALIST, "social", {
        "ka": ("გათბობის დახმარების მიმღებთა რაოდენობა", "რამდენმა ოჯახმა მიიღო გათბობის დახმარება ამ ზამთარში?", "გათბობის დახმარება ამ ზამთარში 8 240 ოჯახმა მიიღო; თანხა ოჯახის ანგარიშზე ყოველთვიურად ირიცხება."),
        "hy": ("Ջեռուցման աջակցություն ստացած ընտանիքների թիվը", "Քանի՞ ընտանիք է ստացել ջեռուցման աջակցություն այս ձմռանը։", "Այս ձմռանը ջեռուցման աջակցություն է ստացել 8 240 ընտանիք. գումարը ամեն ամիս փոխանցվում է ընտանիքի հաշվին։"),
        "en": ("Families receiving heating assistance", "How many families received heating assistance this winter?", "8,240 families received heating assistance this winter; it is paid into the family's account every month."),
    }),
    Topic(Kind.JOURNALIST, "finance", {
        "ka": ("ქუჩების რეაბილიტაციის ტენდერის შედეგები", "რომელმა კომპანიამ მოიგო ქუჩების რეაბილიტაციის ტენდერი და რა ღირს სამუშაოები?", "ტენდერი ელექტრონული შესყიდვების სისტემით ჩატარდა; გამარჯვებულის ვინაობა და ხელშეკრულების ღირებულება შესყიდვების პორტალზეა გამოქვეყნებული."),
        "hy": ("Փողոցների վերանորոգման մրցույթի արդյունքները", "Ո՞ր ընկերությունն է հաղթել փողոցների վերանորոգման մրցույթում, և որքա՞ն արժեն աշխատանքները։", "Մրցույթն անցկացվել է էլեկտրոնային գնումների համակարգով. հաղթողի անունը և պայմանագրի արժեքը հրապարակված են գնումների կայքում։"),
        "en": ("Results of the street repair tender", "Which company won the street repair tender, and what will the works cost?", "The tender ran on the e-procurement system; the winner and the contract value are published on the procurement portal."),
    }),
    Topic(Kind.JOURNALIST, "infrastructure", {
        "ka": ("წყალმომარაგების შეფერხება", "რა არის წყალმომარაგების შეფერხების მიზეზი და როდის აღდგება?", "შეფერხება მაგისტრალური მილის დაზიანებამ გამოიწვია; წყალმომარაგება დღის ბოლომდე აღდგება, მანამდე უბნებში წყლის ავზები დგას."),
        "hy": ("Ջրամատակարարման ընդհատումը", "Ո՞րն է ջրամատակարարման ընդհատման պատճառը, և ե՞րբ այն կվերականգնվի։", "Ընդհատման պատճառը մայրուղային խողովակի վնասումն է. ջրամատակարարումը կվերականգնվի մինչև օրվա վերջ, իսկ մինչ այդ թաղամասերում տեղադրված են ջրի բաքեր։"),
        "en": ("Interruption of the water supply", "What caused the water supply interruption, and when will it be restored?", "A damaged main pipe caused it; supply will be restored by the end of the day, and water tanks stand in the districts until then."),
    }),
    Topic(Kind.JOURNALIST, "finance", {
        "ka": ("ბიუჯეტის ცვლილება", "რა ცვლილებები შევიდა მუნიციპალიტეტის ბიუჯეტში და რომელ პროგრამებს შეეხო?", "საკრებულომ ბიუჯეტის ცვლილება დაამტკიცა; დამატებითი თანხა სოციალურ პროგრამებსა და გზების მოვლას მოხმარდა."),
        "hy": ("Բյուջեի փոփոխությունը", "Ի՞նչ փոփոխություններ են կատարվել համայնքի բյուջեում, և որ ծրագրերին են դրանք վերաբերում։", "Ավագանին հաստատել է բյուջեի փոփոխությունը. լրացուցիչ գումարն ուղղվել է սոցիալական ծրագրերին և ճանապարհների պահպանմանը։"),
        "en": ("Amendment to the budget", "What changed in the municipal budget, and which programmes are affected?", "The council approved the amendment; the additional funds go to social programmes and road maintenance."),
    }),
    Topic(Kind.JOURNALIST, "mayor", {
        "ka": ("საზოგადოებრივი ტრანსპორტის ახალი მარშრუტები", "როდის ამოქმედდება ავტობუსების ახალი მარშრუტები და შეიცვლება თუ არა მგზავრობის საფასური?", "ახალი მარშრუტები მომავალი თვის პირველი რიცხვიდან ამოქმედდება; მგზავრობის საფასური არ იცვლება."),
        "hy": ("Հասարակական տրանսպորտի նոր երթուղիները", "Ե՞րբ կգործարկվեն ավտոբուսների նոր երթուղիները, և կփոխվի՞ արդյոք ուղեվարձը։", "Նոր երթուղիները կգործարկվեն հաջորդ ամսվա առաջին օրվանից. ուղեվարձը չի փոխվում։"),
        "en": ("New public transport routes", "When do the new bus routes start, and will the fare change?", "The new routes start on the first day of next month; the fare stays the same."),
    }),
    # --- Public information -------------------------------------------------------
    Topic(Kind.PUBLIC_INFORMATION, "hr", {
        "ka": ("ინფორმაცია თანამდებობის პირების პრემიების შესახებ", "საჯარო ინფორმაციის სახით გთხოვთ მომაწოდოთ გასულ წელს თანამდებობის პირებზე გაცემული პრემიების ოდენობა.", "გიგზავნით გასულ წელს თანამდებობის პირებზე გაცემული პრემიების ცხრილს თანამდებობების მიხედვით."),
        "hy": ("Տեղեկատվություն պաշտոնատար անձանց պարգևավճարների մասին", "Խնդրում եմ տրամադրել նախորդ տարում պաշտոնատար անձանց վճարված պարգևավճարների չափը։", "Կցում ենք նախորդ տարում պաշտոնատար անձանց վճարված պարգևավճարների աղյուսակը՝ ըստ պաշտոնների։"),
        "en": ("Bonuses paid to officials", "Please provide, as public information, the bonuses paid to officials last year.", "Please find attached the table of bonuses paid to officials last year, by position."),
    }, ground="Personal data"),
    Topic(Kind.PUBLIC_INFORMATION, "finance", {
        "ka": ("სახელმწიფო შესყიდვების ხელშეკრულებების ასლები", "გთხოვთ მომაწოდოთ გზების მოვლის ხელშეკრულებების ასლები დანართებით.", "გიგზავნით ხელშეკრულებების ასლებს; ხარჯთაღრიცხვის დანართები შესყიდვების პორტალზეც ხელმისაწვდომია."),
        "hy": ("Գնումների պայմանագրերի պատճենները", "Խնդրում եմ տրամադրել ճանապարհների պահպանման պայմանագրերի պատճենները՝ հավելվածներով։", "Կցում ենք պայմանագրերի պատճենները. նախահաշվային հավելվածները հասանելի են նաև գնումների կայքում։"),
        "en": ("Copies of procurement contracts", "Please send copies of the road maintenance contracts with their annexes.", "Copies of the contracts are attached; the cost annexes are also on the procurement portal."),
    }, ground="Commercial secret"),
    Topic(Kind.PUBLIC_INFORMATION, "finance", {
        "ka": ("სამსახურებრივი ავტომობილების ხარჯები", "რამდენი სამსახურებრივი ავტომობილი ჰყავს მერიას და რა დაიხარჯა საწვავზე გასულ წელს?", "მერიის ბალანსზე 23 ავტომობილია; საწვავის ხარჯი თვეების მიხედვით თანდართულ ცხრილშია."),
        "hy": ("Ծառայողական մեքենաների ծախսերը", "Քանի՞ ծառայողական մեքենա ունի քաղաքապետարանը, և որքա՞ն է ծախսվել վառելիքի վրա նախորդ տարում։", "Քաղաքապետարանի հաշվեկշռում 23 մեքենա կա. վառելիքի ծախսն ըստ ամիսների ներկայացված է կից աղյուսակում։"),
        "en": ("Costs of official cars", "How many official cars does the city hall have, and what was spent on fuel last year?", "The city hall has 23 cars; the fuel costs by month are in the attached table."),
    }),
    Topic(Kind.PUBLIC_INFORMATION, "hr", {
        "ka": ("საშტატო განრიგი და თანამშრომელთა რაოდენობა", "გთხოვთ მომაწოდოთ მერიის საშტატო განრიგი და თანამდებობრივი სარგოები.", "გიგზავნით დამტკიცებულ საშტატო განრიგს თანამდებობრივი სარგოებით."),
        "hy": ("Հաստիքացուցակը և աշխատակիցների թիվը", "Խնդրում եմ տրամադրել քաղաքապետարանի հաստիքացուցակը և պաշտոնային դրույքաչափերը։", "Կցում ենք հաստատված հաստիքացուցակը՝ պաշտոնային դրույքաչափերով։"),
        "en": ("Staff list and salaries", "Please provide the city hall's staff list and salary scale.", "The approved staff list with its salary scale is attached."),
    }),
    Topic(Kind.PUBLIC_INFORMATION, "social", {
        "ka": ("სოციალური პროგრამების ბენეფიციართა სტატისტიკა", "რამდენი ბენეფიციარი ჰყავდა თითოეულ სოციალურ პროგრამას გასულ წელს?", "თითოეული პროგრამის ბენეფიციართა რაოდენობა და დახარჯული თანხა თანდართულ ცხრილშია."),
        "hy": ("Սոցիալական ծրագրերի շահառուների վիճակագրությունը", "Քանի՞ շահառու է ունեցել յուրաքանչյուր սոցիալական ծրագիր նախորդ տարում։", "Յուրաքանչյուր ծրագրի շահառուների թիվը և ծախսված գումարը ներկայացված են կից աղյուսակում։"),
        "en": ("Social programme beneficiaries", "How many beneficiaries did each social programme have last year?", "The number of beneficiaries and the spending of each programme are in the attached table."),
    }),
    Topic(Kind.PUBLIC_INFORMATION, "legal", {
        "ka": ("მერის განკარგულებები მიწის ნაკვეთების შესახებ", "გთხოვთ მომაწოდოთ მიწის ნაკვეთების პრივატიზების შესახებ მიღებული განკარგულებების ასლები.", "გიგზავნით განკარგულებების ასლებს; პერსონალური მონაცემები დაფარულია."),
        "hy": ("Հողամասերի վերաբերյալ քաղաքապետի որոշումները", "Խնդրում եմ տրամադրել հողամասերի սեփականաշնորհման վերաբերյալ որոշումների պատճենները։", "Կցում ենք որոշումների պատճենները. անձնական տվյալները թաքցված են։"),
        "en": ("Mayor's decisions on land plots", "Please send copies of the decisions on the privatisation of land plots.", "Copies of the decisions are attached, with personal data blacked out."),
    }, ground="Personal data"),
    # --- Citizens' letters --------------------------------------------------------
    Topic(Kind.CITIZEN_LETTER, "infrastructure", {
        "ka": ("საცხოვრებელი კორპუსის სახურავის შეკეთება", "ჩვენი კორპუსის სახურავი ჩამოდის და ბოლო სართულის ბინები იტბორება. გთხოვთ, დაგვეხმაროთ შეკეთებაში.", "თქვენი კორპუსი ბინათმესაკუთრეთა ამხანაგობების თანადაფინანსების პროგრამაში ჩაირთო; სამუშაოები მიმდინარე სეზონზე ჩატარდება."),
        "hy": ("Բազմաբնակարան շենքի տանիքի վերանորոգում", "Մեր շենքի տանիքը կաթում է, և վերջին հարկի բնակարանները ջրով են լցվում։ Խնդրում ենք օգնել վերանորոգմանը։", "Ձեր շենքը ներառվել է համատիրությունների համաֆինանսավորման ծրագրում. աշխատանքները կկատարվեն այս սեզոնին։"),
        "en": ("Repair of a block of flats' roof", "The roof of our block leaks and the top-floor flats flood. Please help us repair it.", "Your block has been included in the co-financing programme for homeowners' associations; the work will be done this season."),
    }),
    Topic(Kind.CITIZEN_LETTER, "social", {
        "ka": ("ერთჯერადი დახმარების დანიშვნის თხოვნა", "ვარ მარტოხელა დედა სამი შვილით. გთხოვთ, განიხილოთ ერთჯერადი დახმარების დანიშვნის საკითხი.", "ერთჯერადი დახმარება დაგენიშნათ; თანხა ორი კვირის განმავლობაში ჩაირიცხება თქვენს ანგარიშზე."),
        "hy": ("Միանվագ աջակցության դիմում", "Երեք երեխա ունեցող միայնակ մայր եմ։ Խնդրում եմ քննարկել միանվագ աջակցություն նշանակելու հարցը։", "Ձեզ նշանակվել է միանվագ աջակցություն. գումարը կփոխանցվի ձեր հաշվին երկու շաբաթվա ընթացքում։"),
        "en": ("Application for one-off assistance", "I am a single mother of three. Please consider granting me one-off assistance.", "One-off assistance has been granted; it will be paid into your account within two weeks."),
    }),
    Topic(Kind.CITIZEN_LETTER, "infrastructure", {
        "ka": ("ქუჩის განათების აღდგენა", "ჩვენს ქუჩაზე ორი თვეა განათება არ არის. გთხოვთ, აღადგინოთ.", "განათება აღდგენილია; დაზიანებული სანათები შეიცვალა."),
        "hy": ("Փողոցի լուսավորության վերականգնում", "Մեր փողոցում երկու ամիս է՝ լուսավորություն չկա։ Խնդրում ենք վերականգնել։", "Լուսավորությունը վերականգնված է. վնասված լուսատուները փոխարինվել են։"),
        "en": ("Street lighting", "Our street has had no lighting for two months. Please restore it.", "The lighting has been restored; the broken lamps were replaced."),
    }),
    Topic(Kind.CITIZEN_LETTER, "legal", {
        "ka": ("ეზოში ავარიული ხის მოჭრა", "ეზოში ავარიული ხე დგას და შესაძლოა მანქანებს ან ბავშვებს დაეცეს. გთხოვთ, მიიღოთ ზომები.", "სპეციალისტებმა ხე დაათვალიერეს; ის მიმდინარე კვირაში მოიჭრება."),
        "hy": ("Բակում վթարային ծառի հատում", "Բակում վթարային ծառ կա, որը կարող է ընկնել մեքենաների կամ երեխաների վրա։ Խնդրում ենք միջոցներ ձեռնարկել։", "Մասնագետները զննել են ծառը. այն կհատվի այս շաբաթ։"),
        "en": ("Dangerous tree in the courtyard", "A dangerous tree in our courtyard could fall on cars or children. Please take action.", "Specialists have inspected the tree; it will be felled this week."),
    }),
    Topic(Kind.CITIZEN_LETTER, "mayor", {
        "ka": ("პანდუსის მოწყობა პოლიკლინიკასთან", "პოლიკლინიკის შესასვლელთან პანდუსი არ არის და ეტლით შესვლა შეუძლებელია.", "პანდუსის მოწყობა მომავალი წლის ბიუჯეტით დაიგეგმა; მანამდე დროებითი მოსახსნელი პანდუსი დამონტაჟდა."),
        "hy": ("Թեքահարթակ պոլիկլինիկայի մոտ", "Պոլիկլինիկայի մուտքի մոտ թեքահարթակ չկա, և անվասայլակով հնարավոր չէ ներս մտնել։", "Թեքահարթակը նախատեսված է հաջորդ տարվա բյուջեով. մինչ այդ տեղադրվել է ժամանակավոր շարժական թեքահարթակ։"),
        "en": ("Ramp at the polyclinic", "The polyclinic's entrance has no ramp, so a wheelchair cannot get in.", "A ramp is planned in next year's budget; a temporary removable ramp has been installed meanwhile."),
    }),
    # --- Hotline calls ------------------------------------------------------------
    Topic(Kind.HOTLINE, "infrastructure", {
        "ka": ("ნაგავი არ გააქვთ", "მოქალაქე აცნობებს, რომ სამი დღეა ნაგავი არ გაუტანიათ.", "დასუფთავების სამსახურს ეცნობა; ნაგავი იმავე დღეს გაიტანეს."),
        "hy": ("Աղբը չի հավաքվում", "Քաղաքացին հայտնում է, որ երեք օր է՝ աղբը չի հավաքվում։", "Տեղեկացվել է մաքրման ծառայությանը. աղբը հավաքվել է նույն օրը։"),
        "en": ("Rubbish not collected", "A caller reports that rubbish has not been collected for three days.", "The cleaning service was told; the rubbish was collected the same day."),
    }),
    Topic(Kind.HOTLINE, "infrastructure", {
        "ka": ("წყალი არ მოდის", "მოქალაქე აცნობებს, რომ კორპუსში დილიდან წყალი არ მოდის.", "წყალმომარაგების კომპანიას ეცნობა; მიწოდება საღამოს აღდგა."),
        "hy": ("Ջուր չկա", "Քաղաքացին հայտնում է, որ շենքում առավոտից ջուր չկա։", "Տեղեկացվել է ջրամատակարար ընկերությանը. ջրամատակարարումը վերականգնվել է երեկոյան։"),
        "en": ("No water", "A caller reports no water in the building since the morning.", "The water company was told; supply came back in the evening."),
    }),
    Topic(Kind.HOTLINE, "infrastructure", {
        "ka": ("ქუჩის ნათურა არ ანთია", "მოქალაქე აცნობებს, რომ ფეხით მოსიარულეთა გადასასვლელთან ნათურა არ ანთია.", "ნათურა შეიცვალა."),
        "hy": ("Փողոցի լամպը չի վառվում", "Քաղաքացին հայտնում է, որ հետիոտնային անցումի մոտ լամպը չի վառվում։", "Լամպը փոխարինվել է։"),
        "en": ("Street lamp out", "A caller reports that the lamp at the pedestrian crossing is out.", "The lamp was replaced."),
    }),
    Topic(Kind.HOTLINE, "legal", {
        "ka": ("ღამით ხმაური სამშენებლო ობიექტზე", "მოქალაქე უჩივის ღამით მიმდინარე სამშენებლო სამუშაოების ხმაურს.", "ზედამხედველობის სამსახურმა ობიექტი შეამოწმა და მშენებელი დააჯარიმა."),
        "hy": ("Գիշերային աղմուկ շինհրապարակում", "Քաղաքացին բողոքում է գիշերը ընթացող շինարարական աշխատանքների աղմուկից։", "Վերահսկողական ծառայությունը ստուգել է շինհրապարակը և տուգանել կառուցապատողին։"),
        "en": ("Night-time noise from a building site", "A caller complains about building work going on at night.", "The inspection service checked the site and fined the builder."),
    }),
    # --- Other agencies -----------------------------------------------------------
    Topic(Kind.AGENCY, "social", {
        "ka": ("ბენეფიციართა სიების დაზუსტება", "სოციალური მომსახურების სააგენტო გთხოვთ, დააზუსტოთ მუნიციპალური პროგრამების ბენეფიციართა სიები.", "დაზუსტებული სიები სააგენტოს დაცული არხით გადაეგზავნა."),
        "hy": ("Շահառուների ցուցակների ճշգրտում", "Սոցիալական ծառայությունների գործակալությունը խնդրում է ճշգրտել համայնքային ծրագրերի շահառուների ցուցակները։", "Ճշգրտված ցուցակներն ուղարկվել են գործակալությանը պաշտպանված կապուղով։"),
        "en": ("Reconciling beneficiary lists", "The Social Service Agency asks us to reconcile the beneficiary lists of the municipal programmes.", "The reconciled lists were sent to the agency over the secure channel."),
    }, agency="Social Service Agency"),
    Topic(Kind.AGENCY, "social", {
        "ka": ("შეზღუდული შესაძლებლობის მქონე პირთა მომსახურება", "სახალხო დამცველის აპარატი ითხოვს ინფორმაციას შეზღუდული შესაძლებლობის მქონე პირებისთვის მუნიციპალური მომსახურების შესახებ.", "ინფორმაცია პროგრამების, ბენეფიციარებისა და დაფინანსების შესახებ აპარატს გადაეგზავნა."),
        "hy": ("Հաշմանդամություն ունեցող անձանց ծառայությունները", "Հանրային պաշտպանի գրասենյակը տեղեկատվություն է խնդրում հաշմանդամություն ունեցող անձանց համայնքային ծառայությունների մասին։", "Ծրագրերի, շահառուների և ֆինանսավորման մասին տեղեկատվությունն ուղարկվել է գրասենյակին։"),
        "en": ("Services for persons with disabilities", "The Public Defender's Office asks for information on municipal services for persons with disabilities.", "Information on the programmes, beneficiaries and funding was sent to the Office."),
    }, agency="Public Defender's Office of Georgia"),
    Topic(Kind.AGENCY, "finance", {
        "ka": ("მუნიციპალური სტატისტიკის მოთხოვნა", "საქსტატი ითხოვს მუნიციპალიტეტის ბიუჯეტის შესრულების კვარტალურ მონაცემებს.", "კვარტალური მონაცემები დადგენილი ფორმით გადაეგზავნა."),
        "hy": ("Համայնքային վիճակագրության հարցում", "Վիճակագրության ազգային ծառայությունը խնդրում է համայնքի բյուջեի կատարման եռամսյակային տվյալները։", "Եռամսյակային տվյալներն ուղարկվել են սահմանված ձևով։"),
        "en": ("Request for municipal statistics", "Geostat asks for the quarterly budget execution data of the municipality.", "The quarterly data were sent in the prescribed form."),
    }, agency="National Statistics Office of Georgia (Geostat)"),
    Topic(Kind.AGENCY, "mayor", {
        "ka": ("ინფორმაცია ინფრასტრუქტურული პროექტების დაფინანსების შესახებ", "პარლამენტის კომიტეტი ითხოვს ინფორმაციას ინფრასტრუქტურული პროექტების დაფინანსების შესახებ.", "ინფორმაცია პროექტებისა და მათი დაფინანსების შესახებ კომიტეტს გადაეგზავნა."),
        "hy": ("Տեղեկատվություն ենթակառուցվածքային ծրագրերի ֆինանսավորման մասին", "Խորհրդարանի հանձնաժողովը տեղեկատվություն է խնդրում ենթակառուցվածքային ծրագրերի ֆինանսավորման մասին։", "Ծրագրերի և դրանց ֆինանսավորման մասին տեղեկատվությունն ուղարկվել է հանձնաժողովին։"),
        "en": ("Funding of infrastructure projects", "A parliamentary committee asks for information on the funding of infrastructure projects.", "Information on the projects and their funding was sent to the committee."),
    }, agency="Parliament of Georgia"),
]  # fmt: skip

# Kind: (share of the requests, {channel: weight}, {language: weight})
MIX = {
    Kind.JOURNALIST: (0.34, {Channel.EMAIL: 6, Channel.PHONE: 3, Channel.SOCIAL: 1}, None),
    Kind.PUBLIC_INFORMATION: (0.24, {Channel.EMAIL: 5, Channel.WEB_FORM: 3, Channel.LETTER: 2, Channel.IN_PERSON: 1}, {"ka": 7, "hy": 2, "en": 1}),
    Kind.CITIZEN_LETTER: (0.2, {Channel.LETTER: 6, Channel.IN_PERSON: 2, Channel.EMAIL: 2}, {"ka": 7, "hy": 3}),
    Kind.HOTLINE: (0.14, {Channel.PHONE: 1}, {"ka": 8, "hy": 2}),
    Kind.AGENCY: (0.08, {Channel.LETTER: 6, Channel.EMAIL: 4}, {"ka": 9, "en": 1}),
}  # fmt: skip

ENGLISH_NAMES = [("John", "Carter"), ("Emma", "Schneider"), ("Lukas", "Weber"), ("Sophie", "Martin"), ("Daniel", "Novak")]  # fmt: skip
STREETS = {
    "ka": ["ჭავჭავაძის გამზირი", "წერეთლის გამზირი", "ვაჟა-ფშაველას გამზირი", "აღმაშენებლის გამზირი", "პეკინის ქუჩა"],
    "hy": ["Թբիլիսի, Լեսելիձեի փողոց", "Ախալքալաք, Թամարաշվիլու փողոց", "Նինոծմինդա, Ազատության փողոց"],
    "en": ["Rustaveli Avenue, Tbilisi", "Chavchavadze Avenue, Tbilisi"],
}  # fmt: skip
NGOS = {
    "ka": ["Georgian Young Lawyers' Association", "Transparency International Georgia"],
    "hy": ["Helsinki Citizens' Assembly Vanadzor"],
    "en": ["Transparency International Georgia"],
}
# Where requests outside the office's remit go.
COMPETENT = ["Social Service Agency", "Ministry of Internal Affairs of Georgia", "Tbilisi City Hall"]  # fmt: skip

PARTLY = {
    "ka": " მოთხოვნილი ინფორმაციის ნაწილი ჩვენს უწყებაში არ ინახება.",
    "hy": " Պահանջվող տեղեկատվության մի մասը մեզ մոտ չի պահվում։",
    "en": " Part of the information requested is not held by us.",
}
REFUSAL = {
    "ka": "მოთხოვნილი ინფორმაციის გაცემაზე უარი გეთქვათ. საფუძველი: {ground}. გადაწყვეტილება შეგიძლიათ გაასაჩივროთ კანონით დადგენილი წესით.",
    "hy": "Պահանջվող տեղեկատվության տրամադրումը մերժվել է։ Հիմքը՝ {ground}։ Որոշումը կարող եք բողոքարկել օրենքով սահմանված կարգով։",
    "en": "We cannot release the information requested. Ground: {ground}. You may appeal against this decision as the law provides.",
}
FORWARDED = {
    "ka": "თქვენი მოთხოვნა განსახილველად გადაეგზავნა უფლებამოსილ ორგანოს: {body}.",
    "hy": "Ձեր դիմումը քննարկման է ուղարկվել իրավասու մարմնին՝ {body}։",
    "en": "Your request has been passed to the competent body: {body}.",
}
QUESTION = {
    "ka": ("გთხოვთ, მოგვაწოდოთ ინფორმაცია მოთხოვნაზე პასუხისთვის: „{subject}“.", "ინფორმაცია თანდართულია; დამატებითი კითხვების შემთხვევაში დაგვიკავშირდით."),
    "hy": ("Խնդրում ենք տրամադրել տեղեկատվություն «{subject}» դիմումի պատասխանի համար։", "Տեղեկատվությունը կցված է. լրացուցիչ հարցերի դեպքում կապվեք մեզ հետ։"),
    "en": ("Please send us what we need to answer “{subject}”.", "The information is attached; call us if anything is missing."),
}  # fmt: skip
EXTENSION_REASON = {
    "ka": "ინფორმაციის მოძიება რამდენიმე სამსახურიდან არის საჭირო.",
    "hy": "Տեղեկատվությունը պետք է հավաքել մի քանի բաժիններից։",
    "en": "The information has to be gathered from several units.",
}
LINES_TO_TAKE = 12


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _local(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def _translated(record, field: str, language: str) -> str:
    return getattr(record, f"{field}_{language}", "") or str(record)


class _Seeder:
    def __init__(self, rng: random.Random, now: datetime):
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.users = {u.username: u for u in User.objects.all()}
        self.profile = services.law_profile()
        self.grounds = list(RefusalGround.objects.filter(profile=self.profile))
        self.organisations = {o.name_en: o for o in Organisation.objects.all()}
        self.journalists = list(
            Person.objects.filter(
                affiliations__organisation__kind=Organisation.Kind.MEDIA,
                affiliations__is_current=True,
            )
            .prefetch_related(
                "emails",
                "phones",
                Prefetch(
                    "affiliations",
                    queryset=Affiliation.objects.filter(is_current=True)
                    .select_related("organisation")
                    .order_by("pk"),
                ),
            )
            .distinct()
            .order_by("pk")
        )
        self.events = list(
            Event.objects.filter(starts_at__lt=now).order_by("starts_at")
        )
        self.releases = list(
            PressRelease.objects.filter(published_at__lt=now).order_by("published_at")
        )
        self.topics = {kind: [t for t in TOPICS if t.kind == kind] for kind in Kind}
        self.units: dict[str, Unit] = {}
        self.questions: list[InternalQuestion] = []

    # Units ---------------------------------------------------------------------

    def units_add(self) -> None:
        for en, ka, hy, key in UNITS:
            unit, _ = Unit.objects.get_or_create(
                name_en=en,
                defaults={
                    "name": en,
                    "name_ka": ka,
                    "name_hy": hy,
                    "email": f"{key}@city.example.ge",
                },
            )
            self.units[key] = unit

    # Requesters ----------------------------------------------------------------

    def _citizen(self, language: str) -> dict:
        rng = self.rng
        if language == "hy":
            (first, first_latin), (last, last_latin) = (
                rng.choice(ARMENIAN_FIRST),
                rng.choice(ARMENIAN_LAST),
            )
            phone = f"+995599{rng.randint(100000, 999999)}"
        elif language == "en":
            first, last = first_latin, last_latin = rng.choice(ENGLISH_NAMES)
            phone = f"+995577{rng.randint(100000, 999999)}"
        else:
            (first, first_latin), (last, last_latin) = (
                rng.choice(GEORGIAN_FIRST),
                rng.choice(GEORGIAN_LAST),
            )
            phone = (
                f"+9955{rng.choice(['55', '58', '93'])}{rng.randint(100000, 999999)}"
            )
        number = rng.randint(1, 140)
        street = rng.choice(STREETS[language])
        address = {
            "ka": f"{street} {number}, თბილისი",
            "hy": f"{street} {number}",
            "en": f"{number} {street}",
        }[language]
        return {
            "requester_name": f"{first} {last}",
            "requester_email": f"{first_latin}.{last_latin}{rng.randint(1, 99)}@mail.example.ge".lower(),
            "requester_phone": phone,
            "requester_address": address,
        }

    def _journalist(self) -> tuple[str, dict]:
        if not self.journalists:
            return "ka", self._citizen("ka")
        person = self.rng.choice(self.journalists)
        emails = [e.email for e in person.emails.all()]
        phones = [p.number for p in person.phones.all()]
        affiliations = list(person.affiliations.all())
        return person.language, {
            "requester": person,
            "requester_organisation": affiliations[0].organisation
            if affiliations
            else None,
            "requester_name": str(person),
            "requester_email": emails[0] if emails else "",
            "requester_phone": phones[0] if phones else "",
        }

    def requester(self, topic: Topic, channel: str) -> tuple[str, dict]:
        """The language and the requester fields of one request."""
        rng = self.rng
        if topic.kind == Kind.JOURNALIST:
            return self._journalist()
        language = _weighted(rng, MIX[topic.kind][2])
        values = self._citizen(language)
        if topic.kind == Kind.AGENCY:
            organisation = self.organisations.get(topic.agency)
            values["requester_organisation"] = organisation
            values["requester_address"] = ""
            values["requester_email"] = f"office.{rng.randint(1, 9)}@agency.example.ge"
        elif topic.kind == Kind.PUBLIC_INFORMATION and rng.random() < 0.3:
            organisation = self.organisations.get(rng.choice(NGOS[language]))
            if organisation is not None:
                values["requester_organisation"] = organisation
                values["requester_email"] = f"foi.{organisation.pk}@ngo.example.ge"
        if topic.kind == Kind.HOTLINE:
            values["requester_email"] = ""
            values["requester_address"] = ""
        if channel == Channel.LETTER and topic.kind == Kind.CITIZEN_LETTER:
            # Paper letters often come without an email address.
            values["requester_email"] = (
                "" if rng.random() < 0.6 else values["requester_email"]
            )
        return language, values

    # Requests ------------------------------------------------------------------

    def _received_at(self, kind: str, channel: str) -> datetime:
        rng = self.rng
        while True:
            # A little busier lately: the desk's queue has work in it.
            back = (
                rng.randint(0, 13) if rng.random() < 0.1 else rng.randint(0, DAYS - 1)
            )
            day = self.today - timedelta(days=back)
            # The web form and the hotline never close; the office does at weekends.
            if (
                day.weekday() < 5
                or channel in (Channel.WEB_FORM, Channel.SOCIAL)
                or (kind == Kind.HOTLINE and rng.random() < 0.3)
            ):
                break
        hour = rng.randint(0, 23) if channel == Channel.WEB_FORM else rng.randint(9, 18)
        moment = _local(day, hour, rng.randrange(60))
        if moment >= self.now:
            moment = self.now - timedelta(minutes=rng.randint(20, 300))
        return moment.replace(second=0, microsecond=0)

    def _answered_at(
        self, received_at: datetime, due_on: date, *, late: bool, fast: bool
    ):
        """When the answer went out: by the deadline, or a few days after it."""
        rng = self.rng
        received = timezone.localdate(received_at)
        day = due_on + timedelta(days=rng.randint(1, 6))
        if not late or day >= self.today:
            span = max((due_on - received).days, 0)
            if fast:
                span = min(span, 1)
            # Most answers go out well before the deadline.
            day = received + timedelta(
                days=min(span, int(rng.triangular(0, span, span * 0.4)))
            )
        moment = _local(day, rng.randint(10, 18), rng.randrange(60))
        if moment <= received_at:
            moment = received_at + timedelta(minutes=rng.randint(30, 150))
        if moment > self.now:
            return None
        return moment

    def _link(self, request: Request) -> None:
        """A journalist's question about a recent event or release links to it."""
        rng = self.rng
        if rng.random() > 0.3:
            return
        week_before = request.received_at - timedelta(days=7)
        events = [
            e for e in self.events if week_before <= e.starts_at <= request.received_at
        ]
        releases = [
            r
            for r in self.releases
            if week_before <= r.published_at <= request.received_at
        ]
        if events and rng.random() < 0.5:
            request.event = rng.choice(events)
        elif releases:
            request.release = rng.choice(releases)

    def plan(self, topic: Topic, *, overdue: bool) -> Request:
        rng = self.rng
        channel = _weighted(rng, MIX[topic.kind][1])
        language, values = self.requester(topic, channel)
        subject, text, answer = topic.texts[language]
        received_at = self._received_at(topic.kind, channel)
        due_on = deadlines.due_for(
            kind=topic.kind, received_at=received_at, profile=self.profile
        )
        if overdue:
            # Received long enough ago for its deadline to have passed lately.
            day = self.today - timedelta(days=rng.randint(4, 12))
            received_at = _local(day, rng.randint(9, 17), rng.randrange(60))
            due_on = deadlines.due_for(
                kind=topic.kind, received_at=received_at, profile=self.profile
            )
            if due_on >= self.today:
                received_at -= timedelta(days=(due_on - self.today).days + 3)
                due_on = deadlines.due_for(
                    kind=topic.kind, received_at=received_at, profile=self.profile
                )
        request = Request(
            kind=topic.kind,
            channel=channel,
            language=language,
            subject=subject,
            text=text,
            received_at=received_at,
            created_at=received_at + timedelta(minutes=rng.randint(2, 40)),
            law_profile=self.profile,
            created_by=None
            if channel == Channel.WEB_FORM
            else self.users.get(DESK[language]),
            **values,
        )
        request.year = deadlines.received_on(received_at).year
        request.due_on = request.original_due_on = due_on
        if topic.kind == Kind.JOURNALIST:
            self._link(request)
        self._progress(request, topic, answer, overdue=overdue)
        return request

    def _extend(self, request: Request) -> None:
        if request.kind != Kind.PUBLIC_INFORMATION or self.rng.random() > 0.25:
            return
        if not deadlines.extension_allowed(request):
            return
        request.due_on = deadlines.extended_due_for(request=request)
        request.extended_at = request.received_at + timedelta(days=1, hours=2)
        request.extension_reason = EXTENSION_REASON[request.language]
        request.extension_notice_due_on = deadlines.extension_notice_due_for(
            request=request
        )
        if request.extended_at < self.now:
            request.extension_notified_at = request.extended_at + timedelta(hours=3)

    def _progress(
        self, request: Request, topic: Topic, answer: str, *, overdue: bool
    ) -> None:
        """Assignment, questions to units, the answer: as far as time has allowed."""
        rng = self.rng
        language = request.language
        assignee = self.users.get(DESK[language])
        if rng.random() < 0.25:
            assignee = self.users.get(MANAGER)
        manager = self.users.get(MANAGER)
        self._extend(request)
        age = (self.today - timezone.localdate(request.received_at)).days
        if not overdue and age <= 2 and rng.random() < 0.5:
            return  # just registered: nobody has it yet
        request.status = Status.ASSIGNED
        request.assignee = assignee
        asks_unit = topic.kind != Kind.HOTLINE and rng.random() < 0.45
        if asks_unit or topic.kind in (Kind.CITIZEN_LETTER, Kind.AGENCY):
            request.unit = self.units[topic.unit]
        if overdue:
            if rng.random() < 0.5:
                self._question(request, topic, answered=False)
                return
            request.status = Status.DRAFTED
            request.answer_text = answer
            request.drafted_by = assignee
            return
        fast = topic.kind in (Kind.JOURNALIST, Kind.HOTLINE)
        late = rng.random() < (0.04 if fast else 0.13)
        answered_at = self._answered_at(
            request.received_at, request.due_on, late=late, fast=fast
        )
        recent = age <= 10 and request.due_on >= self.today and rng.random() < 0.6
        if recent or answered_at is None or answered_at > self.now - timedelta(hours=2):
            # Still being worked on.
            if asks_unit:
                self._question(request, topic, answered=rng.random() < 0.5)
            stage = rng.random()
            if stage > 0.4:
                request.status = Status.DRAFTED
                request.answer_text = answer
                request.drafted_by = assignee
            if stage > 0.75:
                request.status = Status.APPROVED
                request.approved_by = manager
                request.approved_at = self.now - timedelta(hours=rng.randint(1, 5))
            return
        if asks_unit:
            self._question(request, topic, answered=True, before=answered_at)
        request.answered_at = answered_at
        request.drafted_by = assignee
        request.approved_by = manager
        request.approved_at = answered_at - timedelta(minutes=rng.randint(20, 180))
        request.approved_at = max(request.approved_at, request.received_at)
        outcome = rng.random()
        email = bool(request.requester_email)
        method = Method.EMAIL if email else Method.LETTER
        if topic.kind == Kind.HOTLINE:
            method = Method.PHONE
        elif request.channel == Channel.PHONE and topic.kind == Kind.JOURNALIST:
            method = Method.PHONE if rng.random() < 0.6 else method
        if topic.kind == Kind.PUBLIC_INFORMATION and outcome < 0.16 and self.grounds:
            ground = next(
                (g for g in self.grounds if g.name_en == topic.ground), None
            ) or rng.choice(self.grounds)
            request.status = Status.REFUSED
            request.refusal_ground = ground
            request.answer_text = REFUSAL[language].format(
                ground=_translated(ground, "name", language)
            )
            request.answer_method = Method.EMAIL if email else ""
        elif (
            topic.kind in (Kind.PUBLIC_INFORMATION, Kind.CITIZEN_LETTER, Kind.HOTLINE)
            and outcome > 0.93
        ):
            body = self.organisations.get(rng.choice(COMPETENT))
            name = _translated(body, "name", language) if body else COMPETENT[0]
            request.status = Status.FORWARDED
            request.forwarded_to = body
            request.forwarded_to_name = name
            request.answer_text = FORWARDED[language].format(body=name)
        elif (
            topic.kind in (Kind.PUBLIC_INFORMATION, Kind.CITIZEN_LETTER)
            and outcome > 0.86
        ):
            request.status = Status.PARTLY_ANSWERED
            request.answer_text = answer + PARTLY[language]
            request.answer_method = method
        else:
            request.status = Status.ANSWERED
            request.answer_text = answer
            request.answer_method = method

    def _question(
        self, request: Request, topic: Topic, *, answered: bool, before=None
    ) -> None:
        rng = self.rng
        language = request.language if request.language in QUESTION else "ka"
        question, reply = QUESTION[language]
        asked_at = request.received_at + timedelta(hours=rng.randint(1, 20))
        due_on = min(
            timezone.localdate(asked_at) + timedelta(days=rng.randint(2, 4)),
            request.due_on,
        )
        unit = request.unit or self.units[topic.unit]
        item = InternalQuestion(
            request=request,
            unit=unit,
            question=question.format(subject=request.subject),
            due_on=max(due_on, timezone.localdate(asked_at)),
            created_by=request.assignee,
            created_at=min(asked_at, self.now),
        )
        if answered:
            latest = before or self.now
            answered_at = min(
                asked_at + timedelta(hours=rng.randint(3, 60)),
                latest - timedelta(minutes=30),
            )
            if answered_at > item.created_at:
                item.answer = reply
                item.answered_at = answered_at
        self.questions.append(item)


def _number(requests: list[Request]) -> None:
    """Numbers in the order the requests arrived, after any the year already has."""
    sequences: dict[int, int] = {}
    for request in sorted(requests, key=lambda r: (r.received_at, r.subject)):
        if request.year not in sequences:
            sequences[request.year] = numbering.next_sequence(request.year)
        request.sequence = sequences[request.year]
        sequences[request.year] += 1
        request.number = numbering.number_render(
            year=request.year, sequence=request.sequence
        )
        request.search_text = services.request_search_key(request)


def _lines(seeder: _Seeder, requests: list[Request]) -> list[LineToTake]:
    """A dozen answers to journalists kept for reuse, one per subject and language."""
    lines, seen = [], set()
    answered = [
        r for r in requests if r.kind == Kind.JOURNALIST and r.status == Status.ANSWERED
    ]
    for request in sorted(answered, key=lambda r: r.answered_at, reverse=True):
        if (request.subject, request.language) in seen:
            continue
        seen.add((request.subject, request.language))
        line = LineToTake(
            subject=request.subject,
            text=request.answer_text,
            language=request.language,
            source_request=request,
            created_by=request.approved_by,
        )
        line.search_text = services.line_search_key(line)
        lines.append(line)
        if len(lines) == LINES_TO_TAKE:
            break
    LineToTake.objects.bulk_create(lines)
    # The line was saved when its answer was approved, not today.
    for line in lines:
        line.created_at = line.source_request.approved_at
    LineToTake.objects.bulk_update(lines, ["created_at"])
    return lines


def _already_seeded() -> bool:
    return Unit.objects.filter(email=f"{UNITS[0][3]}@city.example.ge").exists()


@transaction.atomic
def seed_inquiries(*, stdout=None) -> int:
    """Create the demo year of the inquiry desk once; later runs add nothing.

    Returns how many requests were created. Needs the demo staff (created here
    if missing) and the deployment's law profile; uses the demo contacts,
    events and press releases when they exist.
    """
    started = time.monotonic()
    seed_staff()
    if _already_seeded():
        return 0
    rng = random.Random(2009)
    now = timezone.now()
    seeder = _Seeder(rng, now)
    seeder.units_add()
    kinds = list(MIX)
    shares = [MIX[kind][0] for kind in kinds]
    requests = []
    overdue_left = 5
    for index in range(TARGET):
        kind = rng.choices(kinds, weights=shares)[0]
        topic = rng.choice(seeder.topics[kind])
        overdue = kind != Kind.HOTLINE and overdue_left > 0 and index % 37 == 5
        overdue_left -= overdue
        requests.append(seeder.plan(topic, overdue=overdue))
    _number(requests)
    Request.objects.bulk_create(requests, batch_size=200)
    for question in seeder.questions:
        question.request_id = question.request.pk
    InternalQuestion.objects.bulk_create(seeder.questions, batch_size=200)
    lines = _lines(seeder, requests)

    if stdout is not None:
        by_language = {
            language: sum(1 for r in requests if r.language == language)
            for language in ("ka", "hy", "en")
        }
        open_ = [r for r in requests if r.status in Request.OPEN_STATUSES]
        overdue = sum(1 for r in open_ if r.due_on < seeder.today)
        stdout.write(
            f"Inquiry desk: {len(requests)} new requests (ka {by_language['ka']}, "
            f"hy {by_language['hy']}, en {by_language['en']}; {len(open_)} open, "
            f"{overdue} overdue), {len(seeder.questions)} internal questions, "
            f"{len(lines)} lines to take, {len(seeder.units)} units; "
            f"{time.monotonic() - started:.1f} s.\n"
        )
    return len(requests)
