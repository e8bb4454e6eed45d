"""A reply and its PDF, with the 版记's page confirmed in LibreOffice's layout.

The renderer places the 版记 by an estimate of where the body ends. When LibreOffice is at hand the
PDF shows where it really ends; should the two disagree (a line set differently than estimated), the
reply is rendered again with the measured end, so the PDF and the .docx kept with it agree.
"""
from . import layout, spec
from .pdf import docx_to_pdf
from .pdfcheck import TEXT_TOP_MM, PdfPages, imprint_lines
from .reply import ReplyContent, imprint_height, imprint_rows, render_with_layout


def _measured_end(pdf: bytes, imprint_marks: list[str]) -> tuple[layout.Position, bool]:
    """(where the body's last line ends, whether the 版记 already stands right: on the even last page)."""
    pages = PdfPages(pdf)
    try:
        in_imprint = imprint_lines(pages, imprint_marks)
        body = [ln for p in range(1, pages.count + 1) for ln in pages.page_lines(p) if ln not in in_imprint]
        end = body[-1] if body else None
        position = layout.Position(end.page, round((end.y1 - TEXT_TOP_MM) * spec.TWIPS_PER_MM)) if end else \
            layout.Position(1, 0)
        return position, bool(in_imprint) and pages.count % 2 == 0
    finally:
        pages.close()


def render_checked(content: ReplyContent, template: bytes | None = None,
                   settings: spec.DocumentSettings | None = None, soffice: str | None = None) -> tuple[bytes, bytes]:
    """(.docx, .pdf) of the reply; raises PdfUnavailable without LibreOffice."""
    docx, placement = render_with_layout(content, template, settings)
    pdf = docx_to_pdf(docx, settings, soffice)
    if placement is None:
        return docx, pdf
    cc, printed = imprint_rows(content)
    marks = [m for m in ("抄送：" if cc else None, "印发" if printed else None) if m]
    end, right = _measured_end(pdf, marks)
    if right:
        return docx, pdf
    measured = layout.imprint_placement(end, imprint_height(content))
    docx, _ = render_with_layout(content, template, settings, placement=measured)
    return docx, docx_to_pdf(docx, settings, soffice)
