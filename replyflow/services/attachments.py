"""Validating uploaded attachments: PDF, Word (.docx) and images, checked by content, not name."""
import os
from dataclasses import dataclass

from . import ServiceError

ALLOWED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


@dataclass
class Upload:
    filename: str
    data: bytes

    @property
    def extension(self):
        return os.path.splitext(self.filename)[1].lower()


def check_upload(upload: Upload, max_bytes: int) -> str:
    """Return the content type of a valid upload, or raise ServiceError saying what is wrong."""
    name = upload.filename
    if len(name) > 200:
        raise ServiceError(f"附件文件名过长（最多200字）：{name[:40]}…")
    if upload.extension not in ALLOWED:
        raise ServiceError(f"附件「{name}」的格式不受支持，只能上传 PDF、DOCX 或 JPG/PNG 图片。")
    if not upload.data:
        raise ServiceError(f"附件「{name}」是空文件。")
    if len(upload.data) > max_bytes:
        raise ServiceError(f"附件「{name}」超过 {max_bytes // (1024 * 1024)} MB。")
    content_type, magics = ALLOWED[upload.extension]
    if not any(upload.data.startswith(m) for m in magics):
        raise ServiceError(f"附件「{name}」的内容与扩展名不符，可能已损坏。")
    return content_type
