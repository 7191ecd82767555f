"""The law profiles the desk ships: Georgia and Armenia, with rules and refusal grounds.

Written by the data migration 0002_law_profiles and callable again (tests that
flush the database, a deployment that deleted a profile by mistake): a profile
is added when its code is missing, a rule when its kind is missing, a ground
when its English name is missing; nothing a manager edited is overwritten.

Where the law sets the term, ``legal_basis`` cites it; where it does not (a
journalist's question, a hotline call, and in Armenia letters and requests from
other agencies), the term is the office's practice and the notes say so.
"""

from inquiries.holidays import translated_values

# Rule fields: kind, days, day kind, extended days, extension notice days,
# refusal notice days, legal basis {lang: text}.
_GE_GAC = {
    "en": "General Administrative Code of Georgia",
    "ka": "საქართველოს ზოგადი ადმინისტრაციული კოდექსი",
    "hy": "Վրաստանի ընդհանուր վարչական օրենսգիրք",
}
_AM_FOI = {
    "en": "Law of the Republic of Armenia on Freedom of Information",
    "ka": "სომხეთის რესპუბლიკის კანონი „ინფორმაციის თავისუფლების შესახებ“",
    "hy": "«Տեղեկատվության ազատության մասին» ՀՀ օրենք",
}
_ARTICLE = {"en": "Article {n}", "ka": "მუხლი {n}", "hy": "հոդված {n}"}
_ARTICLES = {
    "en": "Articles {a} and {b}",
    "ka": "მუხლები {a} და {b}",
    "hy": "հոդվածներ {a} և {b}",
}
_OFFICE_PRACTICE = {
    "en": "Office practice (no statutory term); editable",
    "ka": "ოფისის პრაქტიკა (კანონით დადგენილი ვადა არ არის); შეიძლება შეიცვალოს",
    "hy": "Գրասենյակի պրակտիկա (օրենքով սահմանված ժամկետ չկա). խմբագրելի է",
}
_GE_PROCEEDINGS = {
    "en": "General Administrative Code of Georgia, administrative proceedings; "
    "30 days is the office's term, editable",
    "ka": "საქართველოს ზოგადი ადმინისტრაციული კოდექსი, ადმინისტრაციული "
    "წარმოება; 30 დღე ოფისის ვადაა, შეიძლება შეიცვალოს",
    "hy": "Վրաստանի ընդհանուր վարչական օրենսգիրք, վարչական վարույթ. "
    "30 օրը գրասենյակի ժամկետն է, խմբագրելի է",
}


def _cite(law: dict, article: str | int) -> dict:
    return {lang: f"{law[lang]}, {_ARTICLE[lang].format(n=article)}" for lang in law}


def _cite_two(law: dict, first: int, second: int) -> dict:
    return {
        lang: f"{law[lang]}, {_ARTICLES[lang].format(a=first, b=second)}"
        for lang in law
    }


PROFILES = [
    {
        "code": "ge",
        "country": "GE",
        "roll_to_working_day": True,
        "name": {
            "en": "Georgia: General Administrative Code",
            "ka": "საქართველო: ზოგადი ადმინისტრაციული კოდექსი",
            "hy": "Վրաստան. Ընդհանուր վարչական օրենսգիրք",
        },
        "notes": {
            "en": (
                "Public information is released immediately, or within 10 days "
                "at the latest when it has to be retrieved from another unit, "
                "processed in volume or discussed with another institution "
                "(GAC Art. 40). A refusal is notified at once, and within 3 days "
                "of the decision the requester is told in writing of their "
                "rights and how to appeal (GAC Art. 41). Citizens' letters and "
                "requests from other agencies are given 30 calendar days, the "
                "office's term for administrative proceedings under the GAC; a "
                "journalist's question 3 calendar days and a hotline call 1 "
                "working day are office practice. All terms are editable. A "
                "deadline that falls on a weekend or public holiday moves to "
                "the next working day."
            ),
            "ka": (
                "საჯარო ინფორმაცია გაიცემა დაუყოვნებლივ ან არაუგვიანეს 10 "
                "დღისა, თუ საჭიროა მისი მოძიება სხვა ქვედანაყოფში, დიდი "
                "მოცულობის დამუშავება ან სხვა დაწესებულებასთან კონსულტაცია "
                "(სზაკ-ის 40-ე მუხლი). უარი ეცნობება დაუყოვნებლივ, ხოლო "
                "გადაწყვეტილების მიღებიდან 3 დღის ვადაში განმცხადებელს "
                "წერილობით განემარტება მისი უფლებები და გასაჩივრების წესი "
                "(სზაკ-ის 41-ე მუხლი). მოქალაქეთა წერილებსა და სხვა "
                "უწყებების მოთხოვნებზე ვადა 30 კალენდარული დღეა — ოფისის "
                "ვადა სზაკ-ით გათვალისწინებული ადმინისტრაციული წარმოებისთვის; "
                "ჟურნალისტის შეკითხვაზე 3 კალენდარული დღე და ცხელ ხაზზე "
                "შემოსულ ზარზე 1 სამუშაო დღე ოფისის პრაქტიკაა. ყველა ვადა "
                "შეიძლება შეიცვალოს. ვადა, რომელიც შაბათ-კვირას ან უქმე დღეს "
                "ემთხვევა, გადადის მომდევნო სამუშაო დღეზე."
            ),
            "hy": (
                "Հանրային տեղեկատվությունը տրամադրվում է անհապաղ կամ "
                "առավելագույնը 10 օրում, եթե այն պետք է ստանալ այլ "
                "ստորաբաժանումից, մշակել մեծ ծավալով կամ քննարկել այլ "
                "հաստատության հետ (ԸՎՕ, հոդված 40): Մերժումը հայտնվում է "
                "անհապաղ, և որոշման կայացումից 3 օրվա ընթացքում դիմողին "
                "գրավոր պարզաբանվում են նրա իրավունքները և բողոքարկման "
                "կարգը (ԸՎՕ, հոդված 41): Քաղաքացիների նամակներին և այլ "
                "գերատեսչությունների հարցումներին տրվում է 30 օրացուցային "
                "օր՝ ԸՎՕ-ով նախատեսված վարչական վարույթի համար գրասենյակի "
                "ժամկետը. լրագրողի հարցին 3 օրացուցային օրը և թեժ գծի "
                "զանգին 1 աշխատանքային օրը գրասենյակի պրակտիկա են: Բոլոր "
                "ժամկետները խմբագրելի են: Հանգստյան կամ տոն օրվան ընկնող "
                "ժամկետը տեղափոխվում է հաջորդ աշխատանքային օր:"
            ),
        },
        "rules": [
            ("public_info", 10, "calendar", None, 0, 3, _cite_two(_GE_GAC, 40, 41)),
            ("letter", 30, "calendar", None, 0, 0, _GE_PROCEEDINGS),
            ("agency", 30, "calendar", None, 0, 0, _GE_PROCEEDINGS),
            ("journalist", 3, "calendar", None, 0, 0, _OFFICE_PRACTICE),
            ("hotline", 1, "working", None, 0, 0, _OFFICE_PRACTICE),
        ],
        "grounds": [
            {
                "en": "State secret",
                "ka": "სახელმწიფო საიდუმლოება",
                "hy": "Պետական գաղտնիք",
            },
            {
                "en": "Commercial secret",
                "ka": "კომერციული საიდუმლოება",
                "hy": "Առևտրային գաղտնիք",
            },
            {
                "en": "Professional secret",
                "ka": "პროფესიული საიდუმლოება",
                "hy": "Մասնագիտական գաղտնիք",
            },
            {
                "en": "Personal data",
                "ka": "პერსონალური მონაცემები",
                "hy": "Անձնական տվյալներ",
            },
            {
                "en": "Other information closed by law",
                "ka": "კანონით დახურული სხვა ინფორმაცია",
                "hy": "Օրենքով փակ այլ տեղեկատվություն",
            },
        ],
        "grounds_basis": _cite(_GE_GAC, 28),
    },
    {
        "code": "am",
        "country": "AM",
        "roll_to_working_day": True,
        "name": {
            "en": "Armenia: Law on Freedom of Information",
            "ka": "სომხეთი: კანონი „ინფორმაციის თავისუფლების შესახებ“",
            "hy": "Հայաստան. «Տեղեկատվության ազատության մասին» օրենք",
        },
        "notes": {
            "en": (
                "A written request is answered within 5 days after its receipt; "
                "when additional work is needed, within 30 days after receipt, "
                "and the requester is told in writing within 5 days of receipt "
                "why, and of the final deadline (Law on Freedom of Information, "
                "Art. 9). Refusal grounds follow Art. 8. The terms for citizens' "
                "letters and agencies' requests (30 calendar days), a "
                "journalist's question (3 calendar days) and a hotline call (1 "
                "working day) are office practice, not set by this law. All "
                "terms are editable. A deadline that falls on a weekend or "
                "public holiday moves to the next working day."
            ),
            "ka": (
                "წერილობით მოთხოვნას პასუხი ეცემა მიღებიდან 5 დღის ვადაში; "
                "თუ საჭიროა დამატებითი სამუშაო — მიღებიდან 30 დღის ვადაში, "
                "ხოლო მიღებიდან 5 დღის ვადაში მომთხოვნს წერილობით ეცნობება "
                "მიზეზი და საბოლოო ვადა (კანონი „ინფორმაციის თავისუფლების "
                "შესახებ“, მუხლი 9). უარის საფუძვლები — მუხლი 8. მოქალაქეთა "
                "წერილების და უწყებების მოთხოვნების (30 კალენდარული დღე), "
                "ჟურნალისტის შეკითხვის (3 კალენდარული დღე) და ცხელი ხაზის "
                "ზარის (1 სამუშაო დღე) ვადები ოფისის პრაქტიკაა და ამ კანონით "
                "არ არის დადგენილი. ყველა ვადა შეიძლება შეიცვალოს. ვადა, "
                "რომელიც შაბათ-კვირას ან უქმე დღეს ემთხვევა, გადადის "
                "მომდევნო სამუშაო დღეზე."
            ),
            "hy": (
                "Գրավոր հարցմանը պատասխանվում է այն ստանալուց հետո 5 օրվա "
                "ընթացքում. եթե անհրաժեշտ է լրացուցիչ աշխատանք՝ ստանալուց "
                "հետո 30 օրվա ընթացքում, և ստանալուց հետո 5 օրվա ընթացքում "
                "հարցում ներկայացնողին գրավոր տեղեկացվում են պատճառները և "
                "վերջնական ժամկետը («Տեղեկատվության ազատության մասին» օրենք, "
                "հոդված 9): Մերժման հիմքերը՝ հոդված 8: Քաղաքացիների "
                "նամակների և գերատեսչությունների հարցումների (30 "
                "օրացուցային օր), լրագրողի հարցի (3 օրացուցային օր) և թեժ "
                "գծի զանգի (1 աշխատանքային օր) ժամկետները գրասենյակի "
                "պրակտիկա են, այս օրենքով սահմանված չեն: Բոլոր ժամկետները "
                "խմբագրելի են: Հանգստյան կամ տոն օրվան ընկնող ժամկետը "
                "տեղափոխվում է հաջորդ աշխատանքային օր:"
            ),
        },
        "rules": [
            ("public_info", 5, "calendar", 30, 5, 0, _cite(_AM_FOI, 9)),
            ("letter", 30, "calendar", None, 0, 0, _OFFICE_PRACTICE),
            ("agency", 30, "calendar", None, 0, 0, _OFFICE_PRACTICE),
            ("journalist", 3, "calendar", None, 0, 0, _OFFICE_PRACTICE),
            ("hotline", 1, "working", None, 0, 0, _OFFICE_PRACTICE),
        ],
        "grounds": [
            {
                "en": "State secret",
                "ka": "სახელმწიფო საიდუმლოება",
                "hy": "Պետական գաղտնիք",
            },
            {
                "en": "Official secret",
                "ka": "სამსახურებრივი საიდუმლოება",
                "hy": "Ծառայողական գաղտնիք",
            },
            {
                "en": "Bank secret",
                "ka": "საბანკო საიდუმლოება",
                "hy": "Բանկային գաղտնիք",
            },
            {
                "en": "Commercial secret",
                "ka": "კომერციული საიდუმლოება",
                "hy": "Առևտրային գաղտնիք",
            },
            {
                "en": "Privacy of a person and their family (personal data)",
                "ka": "პირისა და მისი ოჯახის პირადი ცხოვრება (პერსონალური მონაცემები)",
                "hy": "Անձի և նրա ընտանիքի անձնական կյանք (անձնական տվյալներ)",
            },
            {
                "en": "Pre-trial investigation data not to be made public",
                "ka": "წინასწარი გამოძიების გასაჯაროებას დაუქვემდებარებელი მონაცემები",
                "hy": "Նախաքննության՝ հրապարակման ոչ ենթակա տվյալներ",
            },
            {
                "en": "Professional secret (medical, notarial, advocate's)",
                "ka": "პროფესიული საიდუმლოება (სამედიცინო, სანოტარო, ადვოკატის)",
                "hy": "Մասնագիտական գաղտնիք (բժշկական, նոտարական, փաստաբանական)",
            },
            {
                "en": "Copyright and related rights",
                "ka": "საავტორო და მომიჯნავე უფლებები",
                "hy": "Հեղինակային և հարակից իրավունքներ",
            },
        ],
        "grounds_basis": _cite(_AM_FOI, 8),
    },
]


def law_profiles_seed(*, profile_model=None, rule_model=None, ground_model=None) -> int:
    """Add the shipped profiles, rules and grounds that are missing; rows added.

    A migration passes its historical models; everyone else the real ones.
    """
    if profile_model is None:
        from inquiries.models import DeadlineRule, LawProfile, RefusalGround

        profile_model, rule_model, ground_model = (
            LawProfile,
            DeadlineRule,
            RefusalGround,
        )
    added = 0
    for spec in PROFILES:
        profile = profile_model.objects.filter(code=spec["code"]).first()
        if profile is None:
            profile = profile_model.objects.create(
                code=spec["code"],
                country=spec["country"],
                roll_to_working_day=spec["roll_to_working_day"],
                **translated_values(profile_model, "name", spec["name"]),
                **translated_values(profile_model, "notes", spec["notes"]),
            )
            added += 1
        for kind, days, day_kind, extended, notice, refusal, basis in spec["rules"]:
            if rule_model.objects.filter(profile=profile, kind=kind).exists():
                continue
            rule_model.objects.create(
                profile=profile,
                kind=kind,
                days=days,
                day_kind=day_kind,
                extended_days=extended,
                extension_notice_days=notice,
                refusal_notice_days=refusal,
                **translated_values(rule_model, "legal_basis", basis),
            )
            added += 1
        for names in spec["grounds"]:
            if ground_model.objects.filter(
                profile=profile, name_en=names["en"]
            ).exists():
                continue
            ground_model.objects.create(
                profile=profile,
                **translated_values(ground_model, "name", names),
                **translated_values(ground_model, "legal_basis", spec["grounds_basis"]),
            )
            added += 1
    return added
