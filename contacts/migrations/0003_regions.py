from django.db import migrations

# Georgia's regions (and Tbilisi) and Armenia's provinces (and Yerevan): the
# shipped starting point of an editable list.
REGIONS = [
    ("GE", "Tbilisi", "თბილისი", "Թբիլիսի"),
    ("GE", "Adjara", "აჭარა", "Աջարիա"),
    ("GE", "Guria", "გურია", "Գուրիա"),
    ("GE", "Imereti", "იმერეთი", "Իմերեթի"),
    ("GE", "Kakheti", "კახეთი", "Կախեթի"),
    ("GE", "Kvemo Kartli", "ქვემო ქართლი", "Քվեմո Քարթլի"),
    ("GE", "Mtskheta-Mtianeti", "მცხეთა-მთიანეთი", "Մցխեթա-Մթիանեթի"),
    (
        "GE",
        "Racha-Lechkhumi and Kvemo Svaneti",
        "რაჭა-ლეჩხუმი და ქვემო სვანეთი",
        "Ռաչա-Լեչխումի և Քվեմո Սվանեթի",
    ),
    ("GE", "Samegrelo-Zemo Svaneti", "სამეგრელო-ზემო სვანეთი", "Սամեգրելո-Զեմո Սվանեթի"),
    ("GE", "Samtskhe-Javakheti", "სამცხე-ჯავახეთი", "Սամցխե-Ջավախեթի"),
    ("GE", "Shida Kartli", "შიდა ქართლი", "Շիդա Քարթլի"),
    ("GE", "Abkhazia", "აფხაზეთი", "Աբխազիա"),
    ("AM", "Yerevan", "ერევანი", "Երևան"),
    ("AM", "Aragatsotn", "არაგაწოტნი", "Արագածոտն"),
    ("AM", "Ararat", "არარატი", "Արարատ"),
    ("AM", "Armavir", "არმავირი", "Արմավիր"),
    ("AM", "Gegharkunik", "გეღარქუნიქი", "Գեղարքունիք"),
    ("AM", "Kotayk", "კოტაიქი", "Կոտայք"),
    ("AM", "Lori", "ლორე", "Լոռի"),
    ("AM", "Shirak", "შირაკი", "Շիրակ"),
    ("AM", "Syunik", "სიუნიქი", "Սյունիք"),
    ("AM", "Tavush", "ტავუში", "Տավուշ"),
    ("AM", "Vayots Dzor", "ვაიოც ძორი", "Վայոց ձոր"),
]


def add_regions(apps, schema_editor):
    Region = apps.get_model("contacts", "Region")
    for position, (country, en, ka, hy) in enumerate(REGIONS):
        if Region.objects.filter(country=country, name_en=en).exists():
            continue
        Region.objects.create(
            country=country, position=position, name=en, name_en=en, name_ka=ka, name_hy=hy
        )


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_people_and_organisations")]

    operations = [migrations.RunPython(add_regions, migrations.RunPython.noop)]
