"""Public holidays of Georgia and Armenia, taken from the ``holidays`` package.

The package computes movable feasts (Orthodox Easter and the days around it in
Georgia) and carries the names in Georgian and English (GE) and Armenian and
English (AM); the language it lacks is filled from the English name. Rows are
added, never overwritten: a manager may have corrected a date or a name in the
admin, or added a one-off day off the government announced.
"""

import logging
from collections.abc import Iterable

logger = logging.getLogger(__name__)

COUNTRIES = ("GE", "AM")
# The package's language codes for ours.
_PACKAGE_LANGUAGES = {"ka": "ka", "hy": "hy", "en": "en_US"}
_NAME_MAX = 200


def _names(country: str, year: int, language: str) -> dict:
    import holidays  # imported late: migrations and commands only

    supported = holidays.country_holidays(country).supported_languages
    code = _PACKAGE_LANGUAGES[language]
    if code not in supported:
        return {}
    return dict(holidays.country_holidays(country, years=year, language=code))


def translated_values(model, field: str, values: dict) -> dict:
    """``{field_ka: …, field_hy: …, field_en: …}`` for ``model(**…)``.

    A migration's historical model has no modeltranslation descriptor, so it
    gets the original column too (the English text); the real model fills it
    itself, and setting it there would overwrite the active language's text.
    """
    from modeltranslation.fields import TranslationFieldDescriptor

    data = {f"{field}_{lang}": text for lang, text in values.items()}
    if not isinstance(model.__dict__.get(field), TranslationFieldDescriptor):
        data[field] = values["en"]
    return data


def holidays_for(country: str, years: Iterable[int]) -> list[dict]:
    """Each holiday of ``country`` in ``years``: date and name in ka, hy and en."""
    rows = []
    for year in sorted(set(years)):
        english = _names(country, year, "en")
        localised = {lang: _names(country, year, lang) for lang in ("ka", "hy")}
        for day in sorted(english):
            names = {"en": english[day]}
            for lang, table in localised.items():
                names[lang] = table.get(day) or english[day]
            rows.append(
                {
                    "date": day,
                    **{
                        f"name_{lang}": name[:_NAME_MAX] for lang, name in names.items()
                    },
                }
            )
    return rows


def holidays_seed(
    *, years: Iterable[int], countries: Iterable[str] = COUNTRIES, model=None
) -> int:
    """Add the public holidays of ``countries`` in ``years``; returns rows added.

    ``model`` is the Holiday model to write to (a migration passes its
    historical one). Days already in the table are left as they are.
    """
    if model is None:
        from inquiries.models import Holiday as model
    years = list(years)
    added = 0
    for country in countries:
        rows = holidays_for(country, years)
        taken = set(
            model.objects.filter(
                country=country, date__in=[row["date"] for row in rows]
            ).values_list("date", flat=True)
        )
        new = [
            model(
                country=country,
                date=row["date"],
                **translated_values(
                    model,
                    "name",
                    {lang: row[f"name_{lang}"] for lang in ("ka", "hy", "en")},
                ),
            )
            for row in rows
            if row["date"] not in taken
        ]
        model.objects.bulk_create(new, ignore_conflicts=True)
        added += len(new)
    logger.debug("Seeded %d public holidays for %s", added, ", ".join(countries))
    return added
