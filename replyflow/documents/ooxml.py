"""Opening Word / Excel files from outside safely: a real OOXML package, no macros or ActiveX, no links to
outside templates or objects, not a zip bomb. Used by the Word import, attachments and template uploads."""
import io
import re
import zipfile

MACRO_MARKERS = ("vbaproject", "macroenabled", "vbadata", "activex")
EXTERNAL = re.compile(
    r'Type="[^"]*/(attachedTemplate|oleObject|frame|subDocument|externalLink|externalLinkPath)"[^>]*'
    r'TargetMode="External"|TargetMode="External"[^>]*Type="[^"]*/(attachedTemplate|oleObject|frame|'
    r'subDocument|externalLink|externalLinkPath)"')
#: what a real document of a few MB unpacks to, with room; beyond it the file is a zip bomb
MAX_UNPACKED = 300 * 1024 * 1024
MAX_PARTS = 5000
KINDS = {"docx": ("word/document.xml", "Word 文档（.docx）", "Word 或 WPS"),
         "xlsx": ("xl/workbook.xml", "Excel 工作簿（.xlsx）", "Excel 或 WPS")}


class UnsafeFile(ValueError):
    """The file is refused; the message says why and what to do, in the user's words."""


def open_package(data: bytes, kind: str = "docx") -> zipfile.ZipFile:
    main, label, app = KINDS[kind]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeFile(f"不是 {label}：请在 {app} 中“另存为 .{kind}”后再上传。") from None
    names = [i.filename for i in infos]
    if main not in names or "[Content_Types].xml" not in names:
        raise UnsafeFile(f"不是 {label}：压缩包中没有{'正文' if kind == 'docx' else '工作簿'}（{main}）。")
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise UnsafeFile(f"文件解压后过大，不是正常的 {label}。")
    types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    if any(marker in (types + " ".join(names)).lower() for marker in MACRO_MARKERS):
        raise UnsafeFile(f"文件含有宏或控件（如 .{kind[:-1]}m 改名而来），不予接收：请另存为不含宏的 .{kind}。")
    for name in names:
        if name.endswith(".rels") and 'TargetMode="External"' in (rels := archive.read(name).decode("utf-8", "replace")):
            if EXTERNAL.search(rels):
                raise UnsafeFile("文件链接了外部模板、数据或对象，不予接收：请去掉外部链接后另存。")
    return archive
