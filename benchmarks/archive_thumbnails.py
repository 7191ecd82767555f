"""Archive renditions (s/m/l) of 24-megapixel JPEGs: ours, naive Pillow and pyvips.

Run: .venv/bin/python benchmarks/archive_thumbnails.py [--images 20]
     [--width 6000] [--height 4000] [--quality 90] [--rounds 2]

Makes --images JPEGs locally (gradients, shapes and sensor-like noise, at
--quality) in a temporary folder, then runs each variant in a child process of
its own, over the same files, in one run:

- ours: archive.processing.image_renditions, the very function the worker's
  task uses (open once, bomb guard, JPEG draft decode at the smallest DCT
  scale that covers 2048 px, l first, m from l, s from m, EXIF orientation,
  JPEG encoding);
- naive Pillow: Image.open, .load() (full decode, so draft mode is defeated),
  then for each size a copy of the full image and .thumbnail(reducing_gap=None),
  JPEG encoding at the same qualities;
- pyvips: pyvips.Image.thumbnail (shrink-on-load) for l, then m and s from l
  with thumbnail_image, JPEG encoding at the same qualities; with libvips'
  default threads, and with one thread (VIPS_CONCURRENCY=1), which is what a
  worker process gets when every core runs a task.

Each child reports milliseconds per image (the best of --rounds passes over
all files) and its peak resident memory (getrusage ru_maxrss), next to the
memory it had before its first image. Aims: ours ≥ 3× faster than naive
Pillow, and at least 0.8× pyvips' speed.
"""

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {"s": 320, "m": 1024, "l": 2048}
QUALITY = {"s": 82, "m": 85, "l": 88}
VARIANTS = ["ours", "naive", "pyvips", "pyvips-1-thread"]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prapp.settings.test")
    import django

    django.setup()


# --- The images -------------------------------------------------------------------


def make_images(folder: Path, count: int, width: int, height: int, quality: int):
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(7)
    paths = []
    for number in range(count):
        horizontal = Image.linear_gradient("L").rotate(90).resize((width, height))
        vertical = Image.linear_gradient("L").resize((width, height))
        radial = Image.radial_gradient("L").resize((width, height))
        image = Image.merge("RGB", (horizontal, vertical, radial))
        draw = ImageDraw.Draw(image)
        for _shape in range(40):
            x, y = rng.randrange(width), rng.randrange(height)
            w, h = rng.randrange(50, width // 4), rng.randrange(50, height // 4)
            colour = tuple(rng.randrange(256) for _channel in range(3))
            if rng.random() < 0.5:
                draw.ellipse((x, y, x + w, y + h), fill=colour)
            else:
                draw.rectangle((x, y, x + w, y + h), fill=colour)
        image = image.filter(ImageFilter.GaussianBlur(2))
        # Sensor-like noise: what makes a real photo's JPEG large and slow to
        # decode (a clean gradient would flatter every decoder).
        noise = Image.effect_noise((width, height), 40).convert("RGB")
        image = Image.blend(image, noise, 0.2)
        path = folder / f"photo-{number:03d}.jpg"
        image.save(path, "JPEG", quality=quality)
        paths.append(path)
        print(
            f"\r  made {number + 1}/{count} ({path.stat().st_size / 1e6:.1f} MB)",
            end="",
            flush=True,
        )
    print()
    return paths


# --- The variants (run in a child process each) -----------------------------------


def run_ours(path: Path) -> dict:
    from archive.processing import image_renditions

    return image_renditions(str(path))


def run_naive(path: Path) -> dict:
    from PIL import Image

    out = {}
    with Image.open(path) as image:
        image.load()  # full decode: draft mode can no longer act
        for name, box in sorted(SIZES.items(), key=lambda item: -item[1]):
            copy = image.copy()
            copy.thumbnail((box, box), reducing_gap=None)
            buffer = io.BytesIO()
            copy.save(buffer, "JPEG", quality=QUALITY[name])
            out[name] = buffer.getvalue()
    return out


def run_pyvips(path: Path) -> dict:
    import pyvips

    large = pyvips.Image.thumbnail(str(path), SIZES["l"]).copy_memory()
    out = {"l": large.jpegsave_buffer(Q=QUALITY["l"])}
    medium = large.thumbnail_image(SIZES["m"]).copy_memory()
    out["m"] = medium.jpegsave_buffer(Q=QUALITY["m"])
    out["s"] = medium.thumbnail_image(SIZES["s"]).jpegsave_buffer(Q=QUALITY["s"])
    return out


def child(variant: str, folder: Path, rounds: int) -> None:
    _setup_django()
    runner = {
        "ours": run_ours,
        "naive": run_naive,
        "pyvips": run_pyvips,
        "pyvips-1-thread": run_pyvips,
    }[variant]
    if variant.startswith("pyvips"):
        import pyvips  # noqa: F401  (loaded before the baseline is taken)
    paths = sorted(folder.glob("*.jpg"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    best = None
    sizes = None
    for _round in range(rounds):
        started = time.perf_counter()
        for path in paths:
            result = runner(path)
            sizes = {name: len(data) for name, data in result.items()}
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "variant": variant,
                "ms_per_image": 1000 * best / len(paths),
                "rss_before_kb": before,
                "rss_peak_kb": peak,
                "last_sizes": sizes,
            }
        )
    )


def measure(variant: str, folder: Path, rounds: int) -> dict:
    env = dict(os.environ)
    if variant == "pyvips-1-thread":
        env["VIPS_CONCURRENCY"] = "1"
    result = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            variant,
            "--folder",
            str(folder),
            "--rounds",
            str(rounds),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        return {"variant": variant, "error": result.stderr.strip().splitlines()[-1:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20)
    parser.add_argument("--width", type=int, default=6000)
    parser.add_argument("--height", type=int, default=4000)
    parser.add_argument("--quality", type=int, default=90)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--make", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.rounds)
        return
    if args.make:
        make_images(args.folder, args.images, args.width, args.height, args.quality)
        return

    with tempfile.TemporaryDirectory(prefix="archive-bench-") as tmp:
        folder = Path(tmp)
        megapixels = args.width * args.height / 1e6
        print(
            f"Making {args.images} JPEGs of {args.width}×{args.height} "
            f"({megapixels:.0f} MP, quality {args.quality})…"
        )
        # In a child process too: ru_maxrss survives fork and exec on Linux,
        # so this process must stay small for the children's figures to hold.
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--make",
                "--folder",
                str(folder),
                "--images",
                str(args.images),
                "--width",
                str(args.width),
                "--height",
                str(args.height),
                "--quality",
                str(args.quality),
            ],
            check=True,
        )
        total = sum(path.stat().st_size for path in folder.glob("*.jpg"))
        print(f"  {total / 1e6 / args.images:.1f} MB per file on average")
        results = {}
        for variant in VARIANTS:
            print(f"Running {variant}…", flush=True)
            results[variant] = measure(variant, folder, args.rounds)

    print()
    print(f"{'variant':<18}{'ms/image':>10}{'peak RSS':>12}{'before':>10}")
    for variant, result in results.items():
        if "error" in result:
            print(f"{variant:<18}  failed: {result['error']}")
            continue
        print(
            f"{variant:<18}{result['ms_per_image']:>10.1f}"
            f"{result['rss_peak_kb'] / 1024:>9.0f} MB"
            f"{result['rss_before_kb'] / 1024:>7.0f} MB"
        )
    ours = results["ours"].get("ms_per_image")
    if not ours:
        return
    print()
    naive = results["naive"].get("ms_per_image")
    if naive:
        verdict = "met" if naive / ours >= 3 else "NOT met"
        print(f"ours vs naive Pillow: {naive / ours:.2f}× faster (aim ≥ 3×: {verdict})")
    for variant in ("pyvips", "pyvips-1-thread"):
        vips = results[variant].get("ms_per_image")
        if vips:
            verdict = "met" if vips / ours >= 0.8 else "NOT met"
            print(
                f"ours vs {variant}: {vips / ours:.2f}× its speed "
                f"(aim ≥ 0.8×: {verdict})"
            )


if __name__ == "__main__":
    main()
