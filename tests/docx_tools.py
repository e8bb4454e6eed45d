"""Helpers for tests that open generated .docx files and change them on purpose."""
import io
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}


def w(name):
    return f"{{{W}}}{name}"


def mutate(data: bytes, part: str, change) -> bytes:
    """A copy of the .docx with `change(root)` applied to one XML part."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                root = etree.fromstring(content)
                change(root)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, content)
    return out.getvalue()


def style(root, style_id):
    return root.find(f"w:style[@w:styleId='{style_id}']", NS)


def paragraphs(root, style_id):
    return [p for p in root.iter(w("p")) if p.find(f"w:pPr/w:pStyle[@w:val='{style_id}']", NS) is not None]


def text_of(p):
    parts = []
    for node in p.iter(w("t"), w("tab"), w("br")):
        parts.append(node.text or "" if node.tag == w("t") else ("\t" if node.tag == w("tab") else ""))
    return "".join(parts)


def elements(data: bytes) -> list[str]:
    """The document's non-empty paragraphs in reading order, 版记 included, tab-separated parts split."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    body = root.find(w("body"))
    result, parted = [], False
    for p in body.iter(w("p")):
        if p.find(".//w:txbxContent", NS) is not None:
            own = "".join(text_of(r) for r in p.findall("w:r", NS) if r.find(".//w:txbxContent", NS) is None)
        else:
            own = text_of(p)
        own = own.replace("\u200b", "")
        parts = [part for part in own.split("\t") if part.strip()]
        if parted and parts:
            # the last lines of a long paragraph parted to go with the 署名 read as that paragraph
            result[-1] += parts.pop(0)
        result.extend(parts)
        parted = p.find("w:pPr/w:jc[@w:val='distribute']", NS) is not None
    return result


def normalise(text: str) -> str:
    """Ignore spacing and half/full-width differences of brackets and colons."""
    table = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"})
    return re.sub(r"[\s\u200b]+", "", text).translate(table)


def styled_texts(document, style_name) -> list[str]:
    """The texts of a python-docx document's paragraphs of one style, as a reader reads them: the last lines of a
    paragraph parted to go along with the 署名 (justified to its end, then a paragraph without an indent) joined
    to it, zero-width break opportunities left out."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    texts, parted = [], False
    for p in document.paragraphs:
        if p.style.name != style_name:
            parted = False
            continue
        text = p.text.replace("\u200b", "")
        if parted:
            texts[-1] += text
        else:
            texts.append(text)
        parted = p.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.DISTRIBUTE
    return texts
