"""Text helpers shared by every app: cross-script search keys, safe casing, slugs.

Search runs on a *key*, not on the raw text: SQLite LIKE, PostgreSQL ILIKE and
Django's ``icontains`` all fail at Armenian case-folding, and none of them lets a
Latin query find Georgian or Armenian text. The key is the text case-folded and
romanized with the national systems (Georgian: national system of 2002;
Armenian: BGN/PCGN 1981), without apostrophes, with every run of other
characters reduced to one space. A user's query is keyed the same way.
"""

import re
import unicodedata

from django.db.models import Q
from django.utils.functional import keep_lazy_text
from django.utils.text import slugify

# Georgian national romanization (2002). Ejectives carry an apostrophe in the
# standard (k', p', t', ts', ch', q'); the key drops it so that typing without
# it finds the word.
_GEORGIAN = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z",
    "თ": "t", "ი": "i", "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o",
    "პ": "p", "ჟ": "zh", "რ": "r", "ს": "s", "ტ": "t", "უ": "u", "ფ": "p",
    "ქ": "k", "ღ": "gh", "ყ": "q", "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz",
    "წ": "ts", "ჭ": "ch", "ხ": "kh", "ჯ": "j", "ჰ": "h",
    # Archaic letters still met in names and old texts.
    "ჱ": "e", "ჲ": "i", "ჳ": "ui", "ჴ": "q", "ჵ": "o", "ჶ": "f",
}  # fmt: skip

# Armenian BGN/PCGN (1981). ե, ո, ու and և depend on their place; see below.
_ARMENIAN = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "զ": "z", "է": "e", "ը": "y",
    "թ": "t", "ժ": "zh", "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k",
    "հ": "h", "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m", "յ": "y", "ն": "n",
    "շ": "sh", "չ": "ch", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v",
    "տ": "t", "ր": "r", "ց": "ts", "ւ": "v", "փ": "p", "ք": "k", "օ": "o",
    "ֆ": "f", "ե": "e", "ո": "o",
}  # fmt: skip

# Russian names appear in contact lists of both countries.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "є": "ye",
}  # fmt: skip

_APOSTROPHES = "'’ʼ`´‘"
_SEPARATORS = re.compile(r"[^0-9a-z]+")


_LETTER_TABLE = str.maketrans(
    {**_GEORGIAN, **_ARMENIAN, **_CYRILLIC, **dict.fromkeys(_APOSTROPHES, None)}
)
# Armenian letters whose reading depends on their place (BGN/PCGN): ու is u;
# ե is ye at the start of a word and after a vowel; ո is vo at the start of a
# word, except in ով; և (case-folded to եւ) is yev or ev by the same rule as ե.
_VOWEL_BEFORE = "(?:(?<![\\w])|(?<=[աեէըիոօu]))"
_ARMENIAN_RULES = [
    (re.compile("ու"), "u"),
    (re.compile(_VOWEL_BEFORE + "եւ"), "yev"),
    (re.compile("եւ"), "ev"),
    (re.compile(_VOWEL_BEFORE + "ե"), "ye"),
    (re.compile("(?<![\\w])ո(?!վ)"), "vo"),
]


_ARMENIAN_LETTER = re.compile("[\u0531-\u058f]")


def _has_armenian(text: str) -> bool:
    return _ARMENIAN_LETTER.search(text) is not None


def romanize(text: str) -> str:
    """Case-folded Latin rendering of ``text`` in any of our scripts."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    if _has_armenian(folded):
        for pattern, replacement in _ARMENIAN_RULES:
            folded = pattern.sub(replacement, folded)
    latin = folded.translate(_LETTER_TABLE)
    if latin.isascii():
        return latin
    # Latin with diacritics (Ä, ş, ő…) keeps its base letter.
    decomposed = unicodedata.normalize("NFKD", latin)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_key(*parts) -> str:
    """The search key of one or more texts: romanized words separated by one space."""
    text = " ".join(str(part) for part in parts if part)
    return _SEPARATORS.sub(" ", romanize(text)).strip()


def search_q(field: str, query: str) -> Q:
    """A filter that finds rows whose key field contains every word of ``query``."""
    condition = Q()
    for word in search_key(query).split():
        condition &= Q(**{f"{field}__contains": word})
    return condition


def slugify_any(text: str, max_length: int = 80) -> str:
    """A URL slug for text in any of our scripts (plain ``slugify`` gives "")."""
    return slugify(search_key(text))[:max_length].strip("-")


def _is_georgian(char: str) -> bool:
    # Mkhedruli, Mtavruli and the Georgian supplement: none of them is ever
    # capitalised in running text.
    return (
        "\u10a0" <= char <= "\u10ff"
        or "\u1c90" <= char <= "\u1cbf"
        or "\u2d00" <= char <= "\u2d2f"
    )


def _upper_char(char: str) -> str:
    return char if _is_georgian(char) else char.upper()


@keep_lazy_text
def safe_capfirst(value) -> str:
    """Django's ``capfirst`` without turning a Georgian first letter into Mtavruli."""
    if not value:
        return value
    value = str(value)
    return _upper_char(value[0]) + value[1:]


@keep_lazy_text
def safe_upper(value) -> str:
    """``str.upper`` that leaves Georgian letters as they are."""
    return "".join(_upper_char(char) for char in str(value))


def contains_mtavruli(text: str) -> bool:
    """True when ``text`` holds a Georgian capital (Mtavruli) letter."""
    return any("\u1c90" <= char <= "\u1cbf" for char in text)
