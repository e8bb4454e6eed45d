"""The app's side of reply documents: settings from config, rendering, freezing on signature."""
import hashlib

from flask import current_app

from . import spec
from .reply import content_of, render


def document_settings(config=None) -> spec.DocumentSettings:
    c = config or current_app.config
    size = c["DOC_MARK_SIZE_PT"]
    low, high = spec.MARK_SIZE_RANGE_PT
    return spec.DocumentSettings(
        title_font=c["DOC_TITLE_FONT"], body_font=c["DOC_BODY_FONT"], heading1_font=c["DOC_HEADING1_FONT"],
        heading2_font=c["DOC_HEADING2_FONT"], page_number_font=c["DOC_PAGE_NUMBER_FONT"],
        mark_size_pt=min(max(size, low), high), class_marks=c["DOC_CLASS_MARKS"])


def render_reply(reply, draft: bool | None = None) -> bytes:
    department = reply.assignment.department
    return render(content_of(reply, draft=draft), template=department.template_docx,
                  settings=document_settings())


def freeze(reply):
    """Store the exact signed .docx and its SHA-256; what is delivered never changes afterwards.

    With REPLY_PDF_AT_SIGNING and LibreOffice, the PDF is made now too, and the 版记's page is
    confirmed in its layout before the .docx is frozen."""
    data, pdf = None, None
    if current_app.config.get("REPLY_PDF_AT_SIGNING") and pdf_available():
        from .output import render_checked
        from .pdf import PdfUnavailable

        department = reply.assignment.department
        try:
            data, pdf = render_checked(content_of(reply, draft=False), department.template_docx,
                                       document_settings(), current_app.config.get("SOFFICE"))
        except PdfUnavailable as error:  # signing does not wait for a broken converter: the PDF comes later
            current_app.logger.warning("PDF at signing failed, made at first download instead: %s", error)
    if data is None:
        data = render_reply(reply, draft=False)
    reply.signed_docx = data
    reply.signed_sha256 = hashlib.sha256(data).hexdigest()
    reply.signed_pdf = pdf


def reply_bytes(reply) -> bytes:
    """The signed copy once signed, else a freshly rendered draft."""
    if reply.signed_docx is not None:
        return reply.signed_docx
    return render_reply(reply, draft=True)


def download_name(reply) -> str:
    submission = reply.assignment.submission
    title = "".join(ch for ch in (reply.title or "答复件") if ch not in '\\/:*?"<>|')[:80]
    return f"{submission.number_label or '无编号'}_{title}{'' if reply.signed_docx is not None else '（草稿）'}.docx"


def pdf_available() -> bool:
    from .pdf import soffice_path

    return soffice_path(current_app.config.get("SOFFICE")) is not None


def reply_pdf(reply) -> tuple[bytes, bool]:
    """(the PDF, whether it was made just now and stored): a signed reply's PDF is made once and kept."""
    from .pdf import docx_to_pdf

    if reply.signed_docx is not None and reply.signed_pdf is not None:
        return reply.signed_pdf, False
    pdf = docx_to_pdf(reply_bytes(reply), document_settings(), current_app.config.get("SOFFICE"))
    if reply.signed_docx is not None:
        reply.signed_pdf = pdf
        return pdf, True
    return pdf, False

