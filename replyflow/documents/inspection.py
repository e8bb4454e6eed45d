"""The one checker of generated documents: the pages as LibreOffice sets them whenever it is installed, the XML
otherwise, saying which.

The XML rules (checker.py) read what the .docx asks for: fonts, sizes, styles, the 版记's rules. The page rules
(pdfcheck.py) measure what a reader gets: every character there, 22 lines of 28, the 版记 on an even last page
under the body, the 署名 never alone. With the pages at hand, the XML's own estimate of where the 版记 falls gives
way to the measured page.
"""
import logging
from dataclasses import dataclass, field

from . import spec
from .checker import ESTIMATED, RuleResult, check_docx
from .pdf import PdfUnavailable
from .pdfcheck import Expected, check_pdf

PAGE, XML = "page", "xml"
log = logging.getLogger(__name__)


#: the rule a document fails when LibreOffice is there but could not set its pages: its pages were not checked
PAGES_SET = "在 LibreOffice 中排出页面"


@dataclass
class Inspection:
    mode: str                          # PAGE or XML
    results: list[RuleResult] = field(default_factory=list)
    pdf: bytes | None = None
    #: why the pages could not be set, where LibreOffice is installed but failed (then the XML alone was checked)
    problem: str | None = None

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if not r.passed]

    @property
    def passed(self) -> bool:
        return not self.failed

    @property
    def mode_label(self) -> str:
        if self.mode == PAGE:
            return "版面检查：LibreOffice 排出的 PDF 逐页量取"
        if self.problem:
            return f"未能按排出的页面检查（{self.problem}），只检查了 XML"
        return "仅检查 XML：本机未安装 LibreOffice（或 poppler），未按排出的页面检查"

    def summary(self, limit: int = 4) -> str:
        """The failed rules in a sentence, for a refusal."""
        named = "；".join(f"{r.rule}（{r.measured}）" for r in self.failed[:limit])
        more = f"等 {len(self.failed)} 项" if len(self.failed) > limit else ""
        return named + more


def inspect(docx: bytes, settings: spec.DocumentSettings | None = None, convert=None,
            pdf: bytes | None = None, problem: str | None = None) -> Inspection:
    """Every rule on `docx`. `convert` (bytes → PDF bytes) sets its pages, or `pdf` is that already; with
    neither, the XML alone is checked. Where the pages were to be set and could not be (`problem`, or `convert`
    failing), the document fails: a page that was not looked at is not taken as passing."""
    results = check_docx(docx, settings)
    if pdf is None and convert is not None and problem is None:
        try:
            pdf = convert(docx)
        except PdfUnavailable as error:
            problem = str(error)
    if pdf is None:
        if problem:
            log.error("the pages could not be set in LibreOffice: %s", problem)
            results.append(RuleResult(PAGES_SET, False, f"{problem}：无法检查排出的页面，请系统管理员检查 LibreOffice"))
        return Inspection(XML, results, problem=problem)
    results = [r for r in results if r.rule not in ESTIMATED] + check_pdf(pdf, Expected.of_docx(docx))
    return Inspection(PAGE, results, pdf)
