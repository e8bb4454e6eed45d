"""Validating uploaded attachments: PDF, Word (.docx), Excel (.xlsx) and images, checked by content, not name."""
import os
import re
from dataclasses import dataclass

from flask import current_app

from ..documents.ooxml import UnsafeFile, open_package
from ..inputs import clean_text
from . import ServiceError

#: PDF features that run something when the file is opened
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")

ALLOWED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


@dataclass
class Upload:
    filename: str
    data: bytes

    def __post_init__(self):
        # a browser's file name may carry a path (old IE) or control characters
        self.filename = clean_text(os.path.basename((self.filename or "").replace("\\", "/"))).strip()

    @property
    def extension(self):
        return os.path.splitext(self.filename)[1].lower()


def check_upload(upload: Upload, max_bytes: int) -> str:
    """Return the content type of a valid upload, or raise ServiceError saying what is wrong."""
    name = upload.filename
    if len(name) > 200:
        raise ServiceError(f"附件文件名过长（最多200字）：{name[:40]}…")
    if upload.extension not in ALLOWED:
        raise ServiceError(f"附件「{name}」的格式不受支持，只能上传 PDF、DOCX、XLSX 或 JPG/PNG 图片。")
    if not upload.data:
        raise ServiceError(f"附件「{name}」是空文件。")
    if len(upload.data) > max_bytes:
        raise ServiceError(f"附件「{name}」超过 {max_bytes // (1024 * 1024)} MB。")
    content_type, magics = ALLOWED[upload.extension]
    if not any(upload.data.startswith(m) for m in magics):
        raise ServiceError(f"附件「{name}」的内容与扩展名不符，可能已损坏。")
    if upload.extension in (".docx", ".xlsx"):
        try:
            open_package(upload.data, upload.extension[1:])
        except UnsafeFile as refused:
            raise ServiceError(f"附件「{name}」：{refused}") from None
    if upload.extension == ".pdf" and PDF_ACTIVE.search(upload.data):
        raise ServiceError(f"附件「{name}」含有脚本、启动动作或嵌入文件，不予接收：请“打印为 PDF”后再上传。")
    return content_type


def checked(uploads) -> list[tuple[Upload, str]]:
    """Each upload with its content type, all checked against ATTACHMENT_MAX_BYTES before any is kept: one
    wrong file refuses them all (a case or draft is never left with half its files)."""
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    return [(upload, check_upload(upload, limit)) for upload in uploads]
