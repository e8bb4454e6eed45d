"""A document rendered, its pages set by LibreOffice where it is at hand, and checked: what signing, the draft's
check, the report and `render-reply` all go through.

The renderer places the 版记 by an estimate of where the body ends. When LibreOffice is at hand the PDF shows where
it really ends; should the two disagree (a line set differently than estimated), the document is rendered again
with the measured end, so the PDF and the .docx kept with it agree, and then checked on those pages.
"""
from dataclasses import dataclass

from . import layout, spec
from .inspection import Inspection, inspect
from .pdf import PdfUnavailable
from .pdfcheck import TEXT_TOP_MM, PdfPages, imprint_lines
from .reply import ReplyContent, imprint_height, imprint_rows, render_with_layout


@dataclass
class Rendered:
    docx: bytes
    pdf: bytes | None                        # None where LibreOffice is not at hand
    placement: layout.ImprintPlacement | None
    inspection: Inspection


def _measured_end(pdf: bytes, imprint_marks: list[str]) -> tuple[layout.Position, bool]:
    """(where the body's last line ends, whether the 版记 already stands right: under the body on the even last
    page)."""
    pages = PdfPages(pdf)
    try:
        in_imprint = imprint_lines(pages, imprint_marks)
        body = [ln for p in range(1, pages.count + 1) for ln in pages.page_lines(p) if ln not in in_imprint]
        end = body[-1] if body else None
        position = layout.Position(end.page, round((end.y1 - TEXT_TOP_MM) * spec.TWIPS_PER_MM)) if end else \
            layout.Position(1, 0)
        clear = bool(in_imprint) and all(ln.page < pages.count or ln.y1 < min(i.y0 for i in in_imprint)
                                         for ln in body)
        return position, clear and pages.count % 2 == 0
    finally:
        pages.close()


def render_document(content: ReplyContent, template: bytes | None = None,
                    settings: spec.DocumentSettings | None = None, convert=None) -> Rendered:
    """The document as .docx (and PDF with `convert`, bytes → PDF bytes), its 版记 where LibreOffice's pages
    have room for it, and every rule checked on those pages (on the XML without `convert`)."""
    docx, placement = render_with_layout(content, template, settings)
    if convert is None:
        return Rendered(docx, None, placement, inspect(docx, settings))
    try:
        pdf = convert(docx)
        if placement is not None:
            cc, printed = imprint_rows(content)
            marks = [m for m in ("抄送：" if cc else None, printed[1] if printed else None) if m]
            end, right = _measured_end(pdf, marks)
            measured = layout.imprint_placement(end, imprint_height(content))
            if not right and measured != placement:
                docx, placement = render_with_layout(content, template, settings, placement=measured)
                pdf = convert(docx)
    except PdfUnavailable as error:   # LibreOffice is there but failed: the document fails its check, saying why
        return Rendered(docx, None, placement, inspect(docx, settings, problem=str(error)))
    return Rendered(docx, pdf, placement, inspect(docx, settings, pdf=pdf))
