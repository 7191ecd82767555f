from django.db import migrations

# code, English, Georgian, Armenian, has agenda, counts people received,
# checklist: (English, Georgian, Armenian, days before)
TYPES = [
    ("press-conference", "Press conference", "პრესკონფერენცია", "Մամուլի ասուլիս", False, False, [
        ("Book the hall", "დარბაზის დაჯავშნა", "Ամրագրել դահլիճը", 7),
        ("Backdrop and name plates", "ბანერი და სახელობითი დაფები", "Պաստառ և անվանական ցուցանակներ", 3),
        ("Invite the media", "მედიის მოწვევა", "Հրավիրել լրատվամիջոցներին", 3),
        ("Press kit", "პრეს-კიტი", "Մամուլի փաթեթ", 1),
        ("Sign-language interpreter", "ჟესტური ენის თარჯიმანი", "Ժեստերի լեզվի թարգմանիչ", 2),
        ("Photographer and video", "ფოტოგრაფი და ვიდეო", "Լուսանկարիչ և տեսանկարահանում", 1),
        ("Publish on the website", "ვებგვერდზე გამოქვეყნება", "Հրապարակել կայքում", 0),
    ]),
    ("briefing", "Briefing", "ბრიფინგი", "Ճեպազրույց", False, False, [
        ("Invite the media", "მედიის მოწვევა", "Հրավիրել լրատվամիջոցներին", 1),
        ("Talking points for the speaker", "სპიკერის ძირითადი გზავნილები", "Խոսնակի հիմնական ուղերձները", 1),
    ]),
    ("public-hearing", "Public hearing", "საჯარო განხილვა", "Հանրային լսում", True, False, [
        ("Publish the notice", "განცხადების გამოქვეყნება", "Հրապարակել հայտարարությունը", 14),
        ("Book the hall", "დარბაზის დაჯავშნა", "Ամրագրել դահլիճը", 14),
        ("Prepare the documents for discussion", "განსახილველი დოკუმენტების მომზადება", "Պատրաստել քննարկվող փաստաթղթերը", 7),
        ("Minutes", "ოქმის შედგენა", "Կազմել արձանագրությունը", 0),
    ]),
    ("council-session", "Council session", "საკრებულოს სხდომა", "Ավագանու նիստ", True, False, [
        ("Publish the agenda", "დღის წესრიგის გამოქვეყნება", "Հրապարակել օրակարգը", 7),
        ("Film the session", "სხდომის გადაღება", "Տեսանկարահանել նիստը", 0),
        ("Minutes and official information on decisions", "ოქმი და ოფიციალური ინფორმაცია გადაწყვეტილებების შესახებ", "Արձանագրություն և պաշտոնական տեղեկատվություն որոշումների մասին", 0),
    ]),
    ("commission-session", "Commission session", "კომისიის სხდომა", "Հանձնաժողովի նիստ", True, False, [
        ("Publish the agenda", "დღის წესრიგის გამოქვეყნება", "Հրապարակել օրակարգը", 3),
        ("Minutes", "ოქმის შედგენა", "Կազմել արձանագրությունը", 0),
    ]),
    ("official-meeting", "Official meeting", "ოფიციალური შეხვედრა", "Պաշտոնական հանդիպում", False, False, [
        ("Protocol: seating and flags", "პროტოკოლი: განთავსება და დროშები", "Արարողակարգ՝ նստատեղեր և դրոշներ", 2),
        ("Photographer", "ფოტოგრაფი", "Լուսանկարիչ", 1),
    ]),
    ("visit", "Visit", "ვიზიტი", "Այց", False, False, [
        ("Programme of the visit", "ვიზიტის პროგრამა", "Այցի ծրագիրը", 7),
        ("Transport", "ტრანსპორტი", "Տրանսպորտ", 3),
    ]),
    ("reception-day", "Citizen reception day", "მოქალაქეთა მიღების დღე", "Քաղաքացիների ընդունելության օր", False, True, [
        ("Announce the reception day", "მიღების დღის გამოცხადება", "Հայտարարել ընդունելության օրը", 7),
        ("List of registered citizens", "რეგისტრირებულ მოქალაქეთა სია", "Գրանցված քաղաքացիների ցուցակ", 1),
    ]),
    ("public-lecture", "Public lecture", "საჯარო ლექცია", "Հանրային դասախոսություն", False, False, [
        ("Book the hall", "დარბაზის დაჯავშნა", "Ամրագրել դահլիճը", 10),
        ("Announce on social networks", "სოციალურ ქსელებში გამოცხადება", "Հայտարարել սոցիալական ցանցերում", 5),
    ]),
    ("public-meeting", "Meeting with the public", "შეხვედრა მოსახლეობასთან", "Հանդիպում բնակիչների հետ", False, True, [
        ("Agree the place with the municipality", "ადგილის შეთანხმება მუნიციპალიტეტთან", "Համաձայնեցնել վայրը համայնքի հետ", 10),
        ("Announce locally", "ადგილობრივად გამოცხადება", "Հայտարարել տեղում", 5),
    ]),
    ("campaign", "Campaign", "კამპანია", "Արշավ", False, False, []),
    ("seminar", "Seminar or working meeting", "სემინარი ან სამუშაო შეხვედრა", "Սեմինար կամ աշխատանքային հանդիպում", False, False, [
        ("Book the hall", "დარბაზის დაჯავშნა", "Ամրագրել դահլիճը", 7),
        ("Materials for participants", "მასალები მონაწილეებისთვის", "Նյութեր մասնակիցների համար", 2),
    ]),
]  # fmt: skip


def add_types(apps, schema_editor):
    EventType = apps.get_model("events", "EventType")
    ChecklistTemplateItem = apps.get_model("events", "ChecklistTemplateItem")
    for position, (code, en, ka, hy, agenda, visitors, tasks) in enumerate(TYPES):
        if EventType.objects.filter(code=code).exists():
            continue
        event_type = EventType.objects.create(
            code=code,
            name=en,
            name_en=en,
            name_ka=ka,
            name_hy=hy,
            has_agenda=agenda,
            counts_visitors=visitors,
            position=position,
        )
        for order, (task_en, task_ka, task_hy, days) in enumerate(tasks):
            ChecklistTemplateItem.objects.create(
                event_type=event_type,
                title=task_en,
                title_en=task_en,
                title_ka=task_ka,
                title_hy=task_hy,
                days_before=days,
                position=order,
            )


class Migration(migrations.Migration):
    dependencies = [("events", "0002_planning")]

    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
