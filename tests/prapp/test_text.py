import pytest

from prapp.models import User
from prapp.text import (
    contains_mtavruli,
    romanize,
    safe_capfirst,
    safe_upper,
    search_key,
    search_q,
    slugify_any,
)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("თბილისი", "tbilisi"),
        ("ქუთაისი", "kutaisi"),
        ("წყალტუბო", "tsqaltubo"),
        ("ჭიათურა", "chiatura"),
        ("ზუგდიდი", "zugdidi"),
        ("სახალხო დამცველი", "sakhalkho damtsveli"),
        ("ნინო ბერიძე", "nino beridze"),
        ("ლევან წიკლაური", "levan tsiklauri"),
        ("Երևան", "yerevan"),
        ("ԵՐԵՎԱՆ", "yerevan"),
        ("Վանաձոր", "vanadzor"),
        ("Գյումրի", "gyumri"),
        ("Հովհաննիսյան", "hovhannisyan"),
        ("Ոսկան", "voskan"),
        ("Արմեն Սարգսյան", "armen sargsyan"),
        ("Էջմիածին", "ejmiatsin"),
        ("Մարիամ Ղազարյան", "mariam ghazaryan"),
        ("Ачарян", "acharyan"),
        ("Ğürcüstan", "gurcustan"),
        ("  Public   Defender!  ", "public defender"),
    ],
)
def test_search_key_romanizes_each_script(text, key):
    assert search_key(text) == key


def test_mtavruli_folds_to_the_same_key_as_mkhedruli():
    # Mtavruli capitals (U+1C90…) are the upper case of Mkhedruli.
    assert search_key("ᲗᲑᲘᲚᲘᲡᲘ") == "tbilisi"


def test_armenian_position_rules_follow_bgn_pcgn():
    assert romanize("եղբայր") == "yeghbayr"  # ե initially: ye
    assert romanize("մեր") == "mer"  # ե after a consonant: e
    assert romanize("Ով") == "ov"  # ո before վ initially: o
    assert romanize("Ուրբաթ") == "urbat"  # ու is u
    assert romanize("և") == "yev"


def test_key_drops_apostrophes_of_the_georgian_standard():
    assert search_key("p'et'ri") == search_key("პეტრი") == "petri"


def test_several_parts_are_joined():
    assert search_key("ნინო", None, "", "Beridze") == "nino beridze"


@pytest.mark.django_db
def test_search_q_finds_any_script_from_any_script():
    names = {
        "tbilisi": "თბილისის მერია",
        "yerevan": "Երևանի քաղաքապետարան",
        "geostat": "National Statistics Office (Geostat)",
    }
    for username, name in names.items():
        User.objects.create(username=username, last_name=search_key(name))

    def found(query):
        return set(
            User.objects.filter(search_q("last_name", query)).values_list(
                "username", flat=True
            )
        )

    assert found("tbilisi") == {"tbilisi"}
    assert found("თბილისი") == {"tbilisi"}
    assert found("yerevan") == {"yerevan"}
    assert found("ԵՐԵՎԱՆ") == {"yerevan"}
    assert found("Երևան") == {"yerevan"}
    assert found("GEOSTAT office") == {"geostat"}
    assert found("geostat tbilisi") == set()


def test_slugify_any_gives_latin_slugs_for_georgian_and_armenian():
    assert slugify_any("სახალხო დამცველის ანგარიში") == "sakhalkho-damtsvelis-angarishi"
    assert slugify_any("Վանաձորի համայնք") == "vanadzori-hamaynk"
    assert slugify_any("Press release 2026") == "press-release-2026"


def test_safe_casing_never_makes_mtavruli():
    assert safe_capfirst("მომხმარებლის სახელი") == "მომხმარებლის სახელი"
    assert safe_capfirst("օգտատեր") == "Օգտատեր"
    assert safe_capfirst("user") == "User"
    assert safe_upper("abc ქართული") == "ABC ქართული"
    assert not contains_mtavruli(safe_upper("ქართული"))
    # The trap itself, so that this test would notice Python changing.
    assert contains_mtavruli("ქართული".upper())
