"""A handling department (承办单位) and what its official documents carry."""

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..extensions import db
from ..storage import StoredBytes


class Department(db.Model):
    """A handling department (承办单位) and what its official documents carry."""

    __tablename__ = "department"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    #: prefix of its document numbers, e.g. 常人才办 in 常人才办〔2025〕24号
    doc_prefix: Mapped[str] = mapped_column(String(20))
    #: the red header (发文机关标志), e.g. 中共常州市委人才工作领导小组办公室文件
    header_title: Mapped[str] = mapped_column(String(80))
    #: the organ named under the body (发文机关署名) and in 印发; defaults to the department name
    issuing_organ: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(40))
    #: "file" (文件格式, red header) or "letter" (信函格式)
    doc_format: Mapped[str] = mapped_column(String(8), default="file", server_default="file")
    #: the department's own base template (.docx); None means docx_templates/reply_base.docx
    template_docx: Mapped[bytes | None] = deferred(mapped_column("template_file", StoredBytes))
    template_name: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def organ_name(self):
        return self.issuing_organ or self.name

    def __str__(self):
        return self.name
