"""How much the cross-script search key costs, next to plain case-folding.

Run: .venv/bin/python benchmarks/search_key.py
Keys are built on every save of a searchable record, so the number that
matters is keys per second against the simplest baseline, str.casefold().
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prapp.settings.test")

import django

django.setup()

from prapp.text import search_key  # noqa: E402

NAMES = [
    "ნინო ბერიძე",
    "საქართველოს სახალხო დამცველი",
    "Արմեն Սարգսյան",
    "Վանաձորի համայնքապետարան",
    "Public Defender of Georgia",
    "Министерство внутренних дел",
    "ლევან წიკლაური, რუსთავი 2",
    "Հանրային հեռուստաընկերություն",
]


def run(count: int = 200_000) -> None:
    rng = random.Random(7)
    texts = [f"{rng.choice(NAMES)} {i}" for i in range(count)]

    start = time.perf_counter()
    for text in texts:
        text.casefold()
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    for text in texts:
        search_key(text)
    ours = time.perf_counter() - start

    print(f"texts: {count}")
    print(f"str.casefold: {count / baseline:,.0f} per second")
    print(f"search_key:   {count / ours:,.0f} per second")
    print(f"ratio (search_key time / casefold time): {ours / baseline:.1f}")


if __name__ == "__main__":
    run()
