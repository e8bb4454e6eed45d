"""Builds the base .docx of replies: page setup, styles, footers (docx_templates/reply_base.docx).

python-docx's own default template is not usable (US Letter, theme fonts, 10 pt after paragraphs,
a Japanese east-Asian language), so every part that matters is written here explicitly.
"""
import copy
import io

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from . import spec
from .layout import mark_line_height

W = nsdecls("w")


def _fonts(name):
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def _rpr(font, size_pt, color=None, bold=False, spacing=None, scale=None):
    parts = [_fonts(font), "<w:b/>" if bold else '<w:b w:val="0"/>']
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if spacing is not None:
        parts.append(f'<w:spacing w:val="{spacing}"/>')
    if scale is not None:
        parts.append(f'<w:w w:val="{scale}"/>')
    parts.append(f'<w:sz w:val="{size_pt * 2}"/><w:szCs w:val="{size_pt * 2}"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


#: How every client keeps line-end punctuation. LibreOffice reads w:overflowPunct inverted (it imports 1 as "no
#: hanging punctuation", and hangs a 、 or ， in the margin for 0 or none, where its PDF loses it), so 1 makes its
#: own conversion of the .docx move the last character down with the mark, as the layout estimate does; Word
#: reads 1 as its default, may set such a mark in the margin, and so never sets the body longer than estimated.
#: The space between Chinese and Latin letters or digits is on (LibreOffice ignores w:autoSpaceDE/DN and always
#: adds it; Word does by default): both clients set the same widths (layout.AUTOSPACE).
LINE_END_RULES = '<w:overflowPunct w:val="1"/><w:autoSpaceDE w:val="1"/><w:autoSpaceDN w:val="1"/>'
#: the pPr children that come after those rules in the schema's order
_AFTER_LINE_END_RULES = ("bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
                         "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
                         "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def set_line_end_rules(ppr):
    """Put LINE_END_RULES into a pPr (a style's or the defaults'), replacing what it had, in schema order."""
    for tag in ("overflowPunct", "autoSpaceDE", "autoSpaceDN"):
        for el in ppr.findall(qn(f"w:{tag}")):
            ppr.remove(el)
    after = next((el for el in ppr if el.tag in {qn(f"w:{t}") for t in _AFTER_LINE_END_RULES}), None)
    for el in parse_xml(f"<w:pPr {W}>{LINE_END_RULES}</w:pPr>"):
        (after.addprevious(el) if after is not None else ppr.append(el))


def _ppr(align="both", first_line=0, left=0, right=0, line=spec.LINE_PITCH, rule="exact", before=0, extra=""):
    ind = f'<w:ind w:left="{left}" w:right="{right}" w:firstLine="{first_line}"/>'
    # snapToGrid off: LibreOffice spreads characters over the character grid (18 a line instead of 28);
    # with the grid ignored, -0.25 pt spacing gives 28 characters in Word and LibreOffice alike
    return (f"<w:pPr>{extra}{LINE_END_RULES}"
            "<w:snapToGrid w:val=\"0\"/>"
            f"<w:spacing w:before=\"{before}\" w:after=\"0\" w:line=\"{line}\" "
            f"w:lineRule=\"{rule}\"/>{ind}<w:jc w:val=\"{align}\"/></w:pPr>")


def style_definitions(settings: spec.DocumentSettings) -> dict[str, str]:
    """The paragraph styles of a reply, keyed by style id, as <w:style> XML."""
    s = settings
    body = dict(font=s.body_font, size_pt=spec.BODY_SIZE_PT, spacing=spec.BODY_CHAR_SPACING)
    mark_line = mark_line_height(s.mark_size_pt)
    defs = {
        "RFClassMark": (_ppr("right" if s.class_marks == "right" else "left"),
                        _rpr(s.heading1_font, spec.BODY_SIZE_PT)),
        "RFMark": (_ppr("center", line=mark_line), _rpr(s.title_font, s.mark_size_pt, color=spec.RED)),
        "RFDocNumber": (_ppr("center"), _rpr(**body)),
        "RFTitle": (_ppr("center", line=spec.pt(spec.TITLE_SIZE_PT * 1.5)), _rpr(s.title_font, spec.TITLE_SIZE_PT)),
        "RFSalutation": (_ppr("both"), _rpr(**body)),
        "RFBody": (_ppr("both", first_line=spec.FIRST_LINE_INDENT), _rpr(**body)),
        "RFHeading1": (_ppr("both", first_line=spec.FIRST_LINE_INDENT),
                       _rpr(s.heading1_font, spec.BODY_SIZE_PT, spacing=spec.BODY_CHAR_SPACING)),
        "RFHeading2": (_ppr("both", first_line=spec.FIRST_LINE_INDENT),
                       _rpr(s.heading2_font, spec.BODY_SIZE_PT, spacing=spec.BODY_CHAR_SPACING)),
        "RFHeading3": (_ppr("both", first_line=spec.FIRST_LINE_INDENT), _rpr(**body)),
        "RFHeading4": (_ppr("both", first_line=spec.FIRST_LINE_INDENT), _rpr(**body)),
        "RFNote": (_ppr("both", first_line=spec.FIRST_LINE_INDENT), _rpr(**body)),
        "RFSignature": (_ppr("right", right=spec.DATE_RIGHT_INDENT), _rpr(**body)),
        "RFDate": (_ppr("right", right=spec.DATE_RIGHT_INDENT), _rpr(**body)),
        "RFImprint": (_ppr("left", left=spec.IMPRINT_INDENT, right=spec.IMPRINT_INDENT),
                      _rpr(s.body_font, spec.IMPRINT_SIZE_PT)),
        "RFPageNumber": (_ppr("right", line=spec.pt(spec.IMPRINT_SIZE_PT * 1.5)),
                         _rpr(s.page_number_font, spec.IMPRINT_SIZE_PT)),
        "RFTable": (_ppr("left", line=spec.pt(22)), _rpr(s.body_font, spec.IMPRINT_SIZE_PT)),
    }
    names = {**spec.STYLES, **spec.EXTRA_STYLES}
    return {
        sid: (f'<w:style {W} w:type="paragraph" w:customStyle="1" w:styleId="{sid}">'
              f'<w:name w:val="{names[sid]}"/><w:basedOn w:val="Normal"/><w:qFormat/>{ppr}{rpr}</w:style>')
        for sid, (ppr, rpr) in defs.items()
    }


def _styles_xml(settings):
    defaults = (
        f'<w:docDefaults {W}><w:rPrDefault><w:rPr>{_fonts(settings.body_font)}'
        f'<w:sz w:val="{spec.BODY_SIZE_PT * 2}"/><w:szCs w:val="{spec.BODY_SIZE_PT * 2}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        # no widow/orphan control: GB/T 9704 wants exactly 22 lines on every full page
        f'<w:pPrDefault><w:pPr><w:widowControl w:val="0"/>{LINE_END_RULES}'
        '<w:snapToGrid w:val="0"/>'
        f'<w:spacing w:before="0" w:after="0" w:line="{spec.LINE_PITCH}" '
        'w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>'
    )
    builtins = [
        f'<w:style {W} w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="{spec.LINE_PITCH}" '
        'w:lineRule="exact"/></w:pPr>'
        f'<w:rPr>{_fonts(settings.body_font)}<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>',
        f'<w:style {W} w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
        f'<w:style {W} w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr></w:style>',
        f'<w:style {W} w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>'
        '</w:style>',
    ]
    return [defaults, *builtins, *style_definitions(settings).values()]


def apply_styles(document, settings: spec.DocumentSettings, replace_all=False):
    """Write the reply styles into `document` (all styles when building a base from scratch)."""
    root = document.styles.element
    if replace_all:
        for child in list(root):
            root.remove(child)
        for xml in _styles_xml(settings):
            root.append(parse_xml(xml))
        return
    for sid, xml in style_definitions(settings).items():
        old = root.find(f"{qn('w:style')}[@{qn('w:styleId')}='{sid}']")
        new = parse_xml(xml)
        if old is not None:
            # keep an office's own paragraph settings, except what the settings decide: fonts, sizes,
            # colours, the side of the class marks and the mark's line height
            new_ppr, old_ppr = new.find(qn("w:pPr")), old.find(qn("w:pPr"))
            if old_ppr is not None:
                kept = copy.deepcopy(old_ppr)
                decided = {"RFClassMark": "w:jc", "RFMark": "w:spacing"}.get(sid)
                if decided is not None and kept.find(qn(decided)) is not None:
                    kept.replace(kept.find(qn(decided)), copy.deepcopy(new_ppr.find(qn(decided))))
                set_line_end_rules(kept)
                new.replace(new_ppr, kept)
            root.replace(old, new)
        else:
            root.append(new)
    # what every paragraph inherits, the anchor of the 版记 and the blank lines included
    for ppr in root.findall(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}"):
        set_line_end_rules(ppr)


def _settings_part(document):
    settings = document.settings.element
    for tag in ("w:evenAndOddHeaders", "w:themeFontLang"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    # schema order: evenAndOddHeaders comes early, themeFontLang late; python-docx appends in place
    even = parse_xml(f'<w:evenAndOddHeaders {W}/>')
    zoom = settings.find(qn("w:zoom"))
    (zoom.addnext if zoom is not None else lambda e: settings.insert(0, e))(even)
    lang = parse_xml(f'<w:themeFontLang {W} w:val="en-US" w:eastAsia="zh-CN"/>')
    anchor = settings.find(qn("w:clrSchemeMapping"))
    if anchor is not None:
        anchor.addprevious(lang)
    else:
        settings.append(lang)



def _page_number_xml(even: bool) -> str:
    indent = (f'<w:ind w:left="{spec.IMPRINT_INDENT}" w:right="0"/>' if even
              else f'<w:ind w:left="0" w:right="{spec.IMPRINT_INDENT}"/>')
    run = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'
    return (f'<w:p {W}><w:pPr><w:pStyle w:val="RFPageNumber"/>{indent}<w:jc w:val="{"left" if even else "right"}"/>'
            f'</w:pPr>{run.format("— ")}<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>{run.format(" —")}</w:p>')


def setup_section(section):
    sect = section._sectPr
    section.page_width, section.page_height = spec.PAGE_WIDTH * 635, spec.PAGE_HEIGHT * 635  # EMU
    section.top_margin, section.bottom_margin = spec.MARGIN_TOP * 635, spec.MARGIN_BOTTOM * 635
    section.left_margin, section.right_margin = spec.MARGIN_LEFT * 635, spec.MARGIN_RIGHT * 635
    section.header_distance, section.footer_distance = spec.HEADER_DISTANCE * 635, spec.FOOTER_DISTANCE * 635
    for el in sect.findall(qn("w:docGrid")):
        sect.remove(el)
    # a line grid only: with linesAndChars LibreOffice sets 27 characters a line and drops a comma that
    # falls at a line end from the PDF; the 28 characters come from the styles' -0.25 pt spacing
    sect.append(parse_xml(f'<w:docGrid {W} w:type="lines" w:linePitch="{spec.LINE_PITCH}"/>'))


def build_base(settings: spec.DocumentSettings | None = None) -> bytes:
    settings = settings or spec.DocumentSettings()
    document = Document()
    apply_styles(document, settings, replace_all=True)
    _settings_part(document)
    section = document.sections[0]
    setup_section(section)
    for footer, even in ((section.footer, False), (section.even_page_footer, True)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph._p.getparent().replace(paragraph._p, parse_xml(_page_number_xml(even)))
    body = document.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


if __name__ == "__main__":  # python -m replyflow.documents.base: rebuild docx_templates/reply_base.docx
    spec.BASE_TEMPLATE.write_bytes(build_base())
    print(f"wrote {spec.BASE_TEMPLATE}")
