"""The app's side of reply documents: settings and the PDF converter from config, rendering, checking, freezing on
signature."""
import hashlib
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from types import SimpleNamespace

from flask import current_app

from ..clock import today
from . import spec
from .output import Rendered, render_document
from .reply import content_of, render, with_doc_number


def document_settings(config=None) -> spec.DocumentSettings:
    c = config or current_app.config
    size = c["DOC_MARK_SIZE_PT"]
    low, high = spec.MARK_SIZE_RANGE_PT
    return spec.DocumentSettings(
        title_font=c["DOC_TITLE_FONT"], body_font=c["DOC_BODY_FONT"], heading1_font=c["DOC_HEADING1_FONT"],
        heading2_font=c["DOC_HEADING2_FONT"], page_number_font=c["DOC_PAGE_NUMBER_FONT"],
        mark_size_pt=min(max(size, low), high), class_marks=c["DOC_CLASS_MARKS"])


def pdf_available() -> bool:
    from .pdf import soffice_path

    return bool(current_app.config.get("PDF_SERVER")) or soffice_path(current_app.config.get("SOFFICE")) is not None


def pdf_cache():
    from .pdf import PdfCache

    c = current_app.config
    folder = c.get("PDF_CACHE_PATH") or str(Path(current_app.instance_path) / "pdf-cache")
    return PdfCache(Path(folder), c.get("PDF_CACHE_MB", 500))


def converter():
    """bytes → PDF bytes as configured (a kept-running LibreOffice, the cache), or None without LibreOffice."""
    from .pdf import docx_to_pdf

    if not pdf_available():
        return None
    c = current_app.config
    return partial(docx_to_pdf, settings=document_settings(), soffice=c.get("SOFFICE"), cache=pdf_cache(),
                   server=c.get("PDF_SERVER") or None, python=c.get("UNO_PYTHON") or None,
                   keep_running=c.get("PDF_KEEP_RUNNING", True))


def page_converter():
    """The converter the checks set pages with: LibreOffice and poppler (which reads the pages back) both at hand,
    else None (the XML alone is checked, and the check says so)."""
    from .pdfcheck import available

    return converter() if available() else None


def render_reply(reply, draft: bool | None = None) -> bytes:
    department = reply.assignment.department
    return render(content_of(reply, draft=draft), template=department.template_docx,
                  settings=document_settings())


def check_reply(reply, draft: bool = True) -> Rendered:
    """The reply rendered and checked as it would be signed now (the pages set in LibreOffice where it is at hand):
    what the handler sees before 送签 and what 签发 refuses on."""
    content = content_of(reply, draft=draft)
    return render_document(content, reply.assignment.department.template_docx, document_settings(), page_converter())


def check_posted(assignment, reply, data: dict) -> Rendered:
    """A draft's text as posted (not saved yet) rendered and checked as `check_reply` would."""
    stand_in = reply if reply is not None else SimpleNamespace(assignment=assignment, signed_at=None)
    content = content_of(stand_in, draft=True, data=data)
    return render_document(content, assignment.department.template_docx, document_settings(), page_converter())


#: stands for the sequence of the document number while the reply to be signed is rendered and checked: the number
#: is taken under the row lock and written in then (a number's width moves nothing: its line stands alone)
NUMBER_PLACEHOLDER = "9999"


@dataclass
class Signing:
    """A reply rendered and checked for signing: its document, what it was made of, the number standing in it until
    the real one is taken, and the day it is dated."""

    rendered: Rendered
    fingerprint: str
    stand_in: str
    issued: date


def render_for_signing(reply) -> Signing:
    """The slow part of 签发, done before the row lock is taken: the final document rendered with a stand-in for
    its number, set in LibreOffice and checked on the page; refused with the failed rules named."""
    content = content_of(reply, draft=False)
    issue = reply.issue_date or today()
    number = content.doc_number or f"{reply.assignment.department.doc_prefix}〔{issue.year}〕{NUMBER_PLACEHOLDER}号"
    content.doc_number, content.issue_date = number, issue
    rendered = render_document(content, reply.assignment.department.template_docx, document_settings(), page_converter())
    refuse_failing(rendered.inspection, "签发", "请经办人修改后重新送签。")
    return Signing(rendered, fingerprint(reply), number, issue)


def refuse_failing(inspection, action: str, remedy: str):
    """Refuse `action` (送签, 签发) on a reply that failed its check, naming the rules; where LibreOffice failed, saying
    that instead (the reply may be fine: its pages could not be looked at)."""
    from ..services import ServiceError

    if inspection.problem:
        raise ServiceError(f"暂不能{action}：{inspection.problem}，答复件无法按排出的页面检查。请系统管理员检查 LibreOffice。")
    if inspection.failed:
        raise ServiceError(f"答复件未通过版面检查，不能{action}：{inspection.summary()}。{remedy}")


def fingerprint(reply) -> str:
    """What the signed document is made of (the reply's fields): unchanged between the check and the signature."""
    return hashlib.sha256(repr(sorted(reply.snapshot().items())).encode()).hexdigest()


def freeze(reply, signing: Signing | None = None):
    """Store the exact signed .docx and its SHA-256; what is delivered never changes afterwards. With `signing`
    (checked on the page before the lock), its bytes are kept with the number taken written in."""
    if signing is not None:
        data = with_doc_number(signing.rendered.docx, signing.stand_in, reply.doc_number)
    else:
        data = render_reply(reply, draft=False)
    reply.signed_docx = data
    reply.signed_sha256 = hashlib.sha256(data).hexdigest()
    reply.signed_pdf = signing.rendered.pdf if signing is not None and signing.stand_in == reply.doc_number else None


def reply_bytes(reply) -> bytes:
    """The signed copy once signed, else a freshly rendered draft."""
    if reply.signed_docx is not None:
        return reply.signed_docx
    return render_reply(reply, draft=True)


def download_name(reply) -> str:
    submission = reply.assignment.submission
    title = "".join(ch for ch in (reply.title or "答复件") if ch not in '\\/:*?"<>|')[:80]
    return f"{submission.number_label or '无编号'}_{title}{'' if reply.signed_docx is not None else '（草稿）'}.docx"


def reply_pdf(reply) -> tuple[bytes, bool]:
    """(the PDF, whether it was made just now and stored): a signed reply's PDF is made once and kept; a draft's
    comes from the cache when its text was converted before."""
    from .pdf import PdfUnavailable

    if reply.signed_docx is not None and reply.signed_pdf is not None:
        return reply.signed_pdf, False
    convert = converter()
    if convert is None:
        raise PdfUnavailable("服务器未安装 LibreOffice，无法生成 PDF。")
    pdf = convert(reply_bytes(reply))
    if reply.signed_docx is not None:
        reply.signed_pdf = pdf
        return pdf, True
    return pdf, False


