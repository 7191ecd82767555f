"""python manage.py import_archive: a folder tree in, duplicates skipped, resumable."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive import services
from archive.management.commands import import_archive
from archive.models import Album, Asset
from tests.archive.conftest import bomb_png, make_image, make_wav

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def importer(make_user):
    return make_user("importer", role="Archivist", language="en")


@pytest.fixture
def tree(tmp_path):
    """Two years of event photos, with the usual clutter and a few bad files."""
    root = tmp_path / "photos"
    (root / "2023" / "Flood in Gori").mkdir(parents=True)
    (root / "2024" / "წყალდიდობა").mkdir(parents=True)
    (root / ".thumbnails").mkdir()
    files = {
        "2023/Flood in Gori/001.jpg": make_image((320, 240)),
        "2023/Flood in Gori/002.JPG": make_image((330, 240)),
        "2023/Flood in Gori/interview.wav": make_wav(0.1),
        "2024/წყალდიდობა/003.png": make_image((200, 150), format="PNG"),
        "2024/წყალდიდობა/copy-of-001.jpg": make_image((320, 240)),  # duplicate
        "2024/empty.jpg": b"",
        "2024/bomb.png": bomb_png(30000, 30000),
        "2024/notes.jpg": b"just some words",
        "guidelines.pdf": b"%PDF-1.4\n%%EOF\n",
        ".DS_Store": b"\x00\x00\x00\x01Bud1",
        "Thumbs.db": b"\xd0\xcf\x11\xe0",
        ".thumbnails/x.jpg": make_image((10, 10)),
    }
    for relative, data in files.items():
        (root / relative).write_bytes(data)
    return root


def _run(*args) -> str:
    out = io.StringIO()
    call_command("import_archive", *args, stdout=out)
    return out.getvalue()


def test_import_tree(tree, importer):
    output = _run(
        str(tree), "--user", "importer", "--rights", "press", "--credit", "Nino"
    )
    assert Asset.objects.count() == 5
    assert sorted(Asset.objects.values_list("import_path", flat=True)) == [
        "photos/2023/Flood in Gori/001.jpg",
        "photos/2023/Flood in Gori/002.JPG",
        "photos/2023/Flood in Gori/interview.wav",
        "photos/2024/წყალდიდობა/003.png",
        "photos/guidelines.pdf",
    ]
    assert set(Asset.objects.values_list("rights", "credit")) == {("press", "Nino")}
    assert set(Asset.objects.values_list("uploaded_by", flat=True)) == {importer.pk}
    # One clear line per refused file, and a summary.
    assert "photos/2024/empty.jpg: The file is empty." in output
    assert "photos/2024/bomb.png: The image has too many pixels" in output
    assert "photos/2024/notes.jpg: This type of file is not accepted" in output
    assert (
        "9 files: 5 imported, 0 imported before, 1 already in the archive, 3 refused."
        in output
    )
    assert "files" in output and "%" in output  # the progress bar
    assert not Album.objects.exists()


def test_album_per_folder(tree, importer):
    _run(str(tree), "--user", "importer", "--album-per-folder")
    albums = {album.title: album for album in Album.objects.all()}
    assert set(albums) == {"2023 / Flood in Gori", "2024 / წყალდიდობა", "photos"}
    assert albums["2023 / Flood in Gori"].assets.count() == 3
    assert albums["2024 / წყალდიდობა"].title_ka == "2024 / წყალდიდობა"
    assert albums["photos"].assets.get().original_name == "guidelines.pdf"


def test_second_run_skips_without_reading(tree, importer, monkeypatch):
    _run(str(tree), "--user", "importer", "--album-per-folder")
    hashed = []
    real = import_archive.sha256_of
    monkeypatch.setattr(
        import_archive,
        "sha256_of",
        lambda handle: hashed.append(handle.name) or real(handle),
    )
    output = _run(str(tree), "--user", "importer", "--album-per-folder")
    assert Asset.objects.count() == 5
    assert Album.objects.count() == 3  # the same albums, found again
    assert "5 imported before" in output
    # Only the files that were not imported are read again.
    assert sorted(name.rsplit("/", 1)[-1] for name in hashed) == [
        "bomb.png",
        "copy-of-001.jpg",
        "empty.jpg",
        "notes.jpg",
    ]


def test_interrupted_import_resumes(tree, importer, monkeypatch):
    calls = []
    real_upload = services.asset_upload

    def upload_then_interrupt(**kwargs):
        calls.append(kwargs["import_path"])
        if len(calls) == 3:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the third file
        return real_upload(**kwargs)

    monkeypatch.setattr(services, "asset_upload", upload_then_interrupt)
    with pytest.raises(CommandError, match="Interrupted") as stopped:
        _run(str(tree), "--user", "importer")
    assert stopped.value.returncode == 130
    assert Asset.objects.count() == 2  # the third left nothing behind
    monkeypatch.undo()

    hashed = []
    real = import_archive.sha256_of
    monkeypatch.setattr(
        import_archive,
        "sha256_of",
        lambda handle: hashed.append(handle.name) or real(handle),
    )
    output = _run(str(tree), "--user", "importer")
    assert "2 imported before" in output
    assert Asset.objects.count() == 5
    assert Asset.objects.values("sha256").distinct().count() == 5
    done_before = {path.rsplit("/", 1)[-1] for path in calls[:2]}
    assert not done_before & {name.rsplit("/", 1)[-1] for name in hashed}


def test_unreadable_file_is_reported_and_the_rest_goes_on(tree, importer):
    secret = tree / "2024" / "secret.jpg"
    secret.write_bytes(make_image((50, 50)))
    secret.chmod(0)
    try:
        import os

        if os.geteuid() == 0:
            pytest.skip("root reads every file")
        output = _run(str(tree), "--user", "importer")
    finally:
        secret.chmod(0o644)
    assert "secret.jpg: cannot be read" in output


def test_symbolic_links_are_not_followed(tree, importer, tmp_path):
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(make_image((60, 60)))
    (tree / "link.jpg").symlink_to(outside)
    output = _run(str(tree), "--user", "importer")
    assert "photos/link.jpg: a symbolic link, not imported." in output
    assert not Asset.objects.filter(import_path="photos/link.jpg").exists()


def test_unexpected_error_on_one_file_does_not_stop_the_import(
    tree, importer, monkeypatch
):
    real_upload = services.asset_upload

    def fail_on_pdf(**kwargs):
        if kwargs["import_path"].endswith(".pdf"):
            raise ZeroDivisionError("bug")
        return real_upload(**kwargs)

    monkeypatch.setattr(services, "asset_upload", fail_on_pdf)
    output = _run(str(tree), "--user", "importer")
    assert "photos/guidelines.pdf: an unexpected error" in output
    assert Asset.objects.count() == 4


def test_missing_folder_and_user(tmp_path, importer):
    with pytest.raises(CommandError, match="no folder"):
        _run(str(tmp_path / "nope"), "--user", "importer")
    with pytest.raises(CommandError, match="no active user"):
        _run(str(tmp_path), "--user", "ghost")


def test_user_without_permission_is_stopped(tree, make_user):
    make_user("reader", role="Viewer", language="en")
    with pytest.raises(CommandError, match="may not add files"):
        _run(str(tree), "--user", "reader")
    assert not Asset.objects.exists()
