"""Phone numbers in and out: every number is stored in E.164 (phonenumbers)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Numbers typed without a country code are read as numbers of the deployment's
# country: Georgian (+995) by default, Armenian (+374) for an Armenian office.
_REGION_BY_LANGUAGE = {"ka": "GE", "hy": "AM"}


def default_region() -> str:
    from django.conf import settings

    return _REGION_BY_LANGUAGE.get(settings.LANGUAGE_CODE, "GE")


def to_e164(raw: str, region: str | None = None) -> str:
    """``raw`` as an E.164 number, or ValidationError with a message for the user."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="empty")
    try:
        number = phonenumbers.parse(text, region or default_region())
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(number)s” is not a phone number."),
            code="invalid",
            params={"number": text},
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(number)s” is not a valid phone number."),
            code="invalid",
            params={"number": text},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """An E.164 number the way people read it: +995 32 123 45 67."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
