"""A handler's reply drafted in Word or WPS (.docx) read into the editor's fields.

Takes the title, the salutation, the body paragraphs with their level numbers (一、（一）1.（1）,
typed or from Word's automatic numbering) and tables (as tab-separated rows, which the renderer
sets as tables again), and the 签发人 / 经办人 / 联系电话 / 抄送 lines when present. A red-header
document's head (class marks, mark, document number) and its signature block are skipped.
A file with macros or links to outside templates or objects is refused.
"""
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from .ooxml import UnsafeFile, open_package
from .punctuation import normalise_fields
from .spec import DOC_NUMBER

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
MAX_SIZE = 20 * 1024 * 1024
DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
SALUTATION = re.compile(r"^.{1,60}[：:]$")
CLASS_MARK = re.compile(r"^[（(][^）)]{1,8}[）)]$")
NOTE = re.compile(r"^(签发人|经办人|联系电话|联系人|抄送)[：:]\s*(.*)$")


class ImportRefused(ValueError):
    pass


@dataclass
class ImportedReply:
    title: str = ""
    salutation: str = ""
    body: str = ""
    fields: dict = field(default_factory=dict)
    paragraphs: int = 0
    tables: int = 0
    changes: list = field(default_factory=list)


def w(name):
    return f"{{{W}}}{name}"


def _open(data: bytes) -> zipfile.ZipFile:
    if len(data) > MAX_SIZE:
        raise ImportRefused("文件超过 20 MB。")
    try:
        return open_package(data, "docx")
    except UnsafeFile as refused:
        raise ImportRefused(str(refused)) from None


class _Numbering:
    """Word's automatic numbering (numPr) turned back into the text it shows: 一、（一）1.（1）"""

    FORMATS = {
        "chineseCounting": "一二三四五六七八九十", "chineseCountingThousand": "一二三四五六七八九十",
        "ideographTraditional": "甲乙丙丁戊己庚辛壬癸", "japaneseCounting": "一二三四五六七八九十",
    }

    def __init__(self, archive):
        self.levels, self.nums, self.counters = {}, {}, {}
        try:
            root = etree.fromstring(archive.read("word/numbering.xml"))
        except KeyError:
            return
        for abstract in root.findall("w:abstractNum", NS):
            aid = abstract.get(w("abstractNumId"))
            for lvl in abstract.findall("w:lvl", NS):
                fmt = lvl.find("w:numFmt", NS)
                text = lvl.find("w:lvlText", NS)
                self.levels[(aid, lvl.get(w("ilvl")))] = (fmt.get(w("val")) if fmt is not None else "decimal",
                                                          text.get(w("val")) if text is not None else "")
        for num in root.findall("w:num", NS):
            ref = num.find("w:abstractNumId", NS)
            if ref is not None:
                self.nums[num.get(w("numId"))] = ref.get(w("val"))

    @staticmethod
    def _chinese(n: int) -> str:
        digits = "零一二三四五六七八九"
        if n < 10:
            return digits[n]
        if n < 20:
            return "十" + (digits[n % 10] if n % 10 else "")
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")

    def label(self, num_id, ilvl) -> str:
        aid = self.nums.get(num_id)
        if aid is None or (aid, ilvl) not in self.levels:
            return ""
        fmt, text = self.levels[(aid, ilvl)]
        if fmt in ("none", "bullet"):
            return ""
        key = (aid, ilvl)
        self.counters[key] = self.counters.get(key, 0) + 1
        for (a, lv) in list(self.counters):  # a higher level restarts the lower ones
            if a == aid and int(lv) > int(ilvl):
                del self.counters[(a, lv)]
        n = self.counters[key]
        shown = self._chinese(n) if fmt in self.FORMATS else str(n)
        return re.sub(r"%\d", shown, text)


def _style_numbering(archive) -> dict:
    """Paragraph styles that number their paragraphs (Word's 列表编号 / a template's 一级标题)."""
    try:
        root = etree.fromstring(archive.read("word/styles.xml"))
    except (KeyError, etree.XMLSyntaxError):
        return {}
    return {s.get(w("styleId")): s.find("w:pPr/w:numPr", NS) for s in root.findall("w:style", NS)
            if s.find("w:pPr/w:numPr", NS) is not None}


def _text(p) -> str:
    parts = []
    for node in p.iter(w("t"), w("tab"), w("br")):
        if any(a.tag == w("txbxContent") for a in node.iterancestors()):
            continue
        parts.append(node.text or "" if node.tag == w("t") else ("" if node.tag == w("br") else "\t"))
    # the zero-width spaces our own replies put into addresses are not the text
    return "".join(parts).replace("\u200b", "").strip()


def _is_red(p) -> bool:
    colors = [c.get(w("val"), "") for c in p.iter(w("color"))]
    return any(re.fullmatch(r"(?i)(FF0000|E60000|C00000|ED1C24|FF0000)", c) for c in colors)


def read_docx(data: bytes) -> ImportedReply:
    archive = _open(data)
    try:
        root = etree.fromstring(archive.read("word/document.xml"))
    except etree.XMLSyntaxError:
        raise ImportRefused("文档内容已损坏，无法读取。") from None
    numbering = _Numbering(archive)
    style_numbers = _style_numbering(archive)
    body = root.find(w("body"))
    items = []   # ("p", text) or ("table", rows)
    for el in body:
        if el.tag == w("p"):
            text = _text(el)
            num = el.find("w:pPr/w:numPr", NS)
            style = el.find("w:pPr/w:pStyle", NS)
            if num is None and style is not None:
                num = style_numbers.get(style.get(w("val")))
            if num is not None and text:
                ilvl = num.find("w:ilvl", NS)
                num_id = num.find("w:numId", NS)
                text = numbering.label(num_id.get(w("val")) if num_id is not None else None,
                                       ilvl.get(w("val")) if ilvl is not None else "0") + text
            if text and not _is_red(el):
                items.append(("p", text))
        elif el.tag == w("tbl"):
            rows = []
            for tr in el.findall("w:tr", NS):
                cells = [" ".join(_text(p) for p in tc.iter(w("p")) if _text(p)) for tc in tr.findall("w:tc", NS)]
                if any(cells):
                    rows.append([c.replace("\t", " ") for c in cells])
            if rows:
                items.append(("table", rows))
    result = ImportedReply()
    # the head: class marks, document number, anything before the title
    texts = [t for kind, t in items if kind == "p"]
    salutation_at = next((i for i, (kind, t) in enumerate(items) if kind == "p" and SALUTATION.match(t)
                          and not NOTE.match(t)), None)
    if salutation_at is None:
        raise ImportRefused("没有找到称谓（如“曹留俊委员：”）：请确认这是一份答复件。" if texts else "文档没有文字。")
    head = [t for kind, t in items[:salutation_at] if kind == "p"
            and not CLASS_MARK.match(t) and not DOC_NUMBER.match(t.replace(" ", "")) and not t.endswith("文件")]
    # the title: what stands above the salutation once the head is gone (a long title may be 2–3 paragraphs)
    result.title = "".join(head[-3:])
    result.salutation = items[salutation_at][1]
    lines, fields = [], {}
    rest = items[salutation_at + 1:]
    for n, (kind, value) in enumerate(rest):
        if kind == "table":
            lines.extend("\t".join(row) for row in value)
            lines.append("")   # a table ends here: the next one, even right after it, is a table of its own
            result.tables += 1
            continue
        note = NOTE.match(value)
        if note:
            key = {"签发人": "signer_name", "经办人": "handler_name", "联系人": "handler_name",
                   "联系电话": "phone", "抄送": "cc"}[note.group(1)]
            fields[key] = note.group(2).strip().rstrip("。")
            continue
        if DATE.match(value.replace(" ", "")):
            # the signature block: the organ line right above the date goes with it
            if lines and n and rest[n - 1][0] == "p" and lines[-1] == rest[n - 1][1] and len(lines[-1]) <= 40:
                fields["issuing_organ"] = lines.pop()
            continue
        if value.endswith("印发") or re.search(r"\d{4}\s*年.*印发$", value):
            continue
        lines.append(value)
        result.paragraphs += 1
    result.fields = fields
    values, result.changes = normalise_fields(
        {"title": result.title, "salutation": result.salutation, "body": "\n".join(lines)},
        ("title", "salutation", "body"))
    result.title, result.salutation, result.body = values["title"], values["salutation"], values["body"]
    return result
