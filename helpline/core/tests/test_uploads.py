"""validate_uploads: size, count and the types that are never accepted, whatever the uploader claims."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from helpline.core.uploads import validate_uploads

# The limits are the desk settings' (a row over the deployment's settings): these tests read it.
pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes = b"content", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusals(files) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        validate_uploads(files)
    return refused.value.messages


@pytest.mark.parametrize(
    "name",
    ["report.pdf", "photo.JPG", "notes.txt", "data.csv", "archive.zip", "mail.eml", "README", "a.php.txt"],
)
def test_ordinary_files_are_accepted(name):
    validate_uploads([upload(name)])


@pytest.mark.parametrize(
    "name",
    [
        "setup.exe",
        "RUN.BAT",
        "page.html",
        "page.htm",
        "page.shtml",
        "page.xht",
        "image.svg",
        "image.svgz",
        "app.js",
        "module.mjs",
        "shell.php",
        "shell.php.",
        "shell.php ",
        "shell.pHp\u200b",
        "\u200b.htaccess.html",
        "script.ps1",
    ],
)
def test_active_types_are_refused_whatever_the_claimed_content_type(name):
    [message] = refusals([upload(name, content_type="image/png")])
    assert "not accepted" in message


def test_files_over_the_size_limit_are_refused(settings):
    settings.HELPLINE_MAX_ATTACHMENT_BYTES = 10
    validate_uploads([upload("ok.txt", b"x" * 10)])
    assert refusals([upload("big.txt", b"x" * 11)]) == ["big.txt is larger than 10\xa0bytes."]


def test_empty_files_are_refused():
    assert refusals([upload("empty.txt", b"")]) == ["empty.txt is empty."]


def test_too_many_files_are_refused(settings):
    settings.HELPLINE_MAX_ATTACHMENTS = 2
    validate_uploads([upload("a.txt"), upload("b.txt")])
    assert refusals([upload("a.txt"), upload("b.txt"), upload("c.txt")]) == [
        "At most 2 files may be attached at once."
    ]


def test_every_refused_file_is_named_under_its_clean_name():
    messages = refusals([upload("../../evil.exe"), upload("fine.pdf"), upload("blank.txt", b"")])
    assert messages == ["evil.exe: .exe files are not accepted.", "blank.txt is empty."]


def test_no_files_is_fine():
    validate_uploads([])
