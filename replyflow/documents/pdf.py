"""PDF copies through LibreOffice (soffice), when the server has it.

The Windows font names of official documents (仿宋_GB2312, 方正小标宋简体 ...) do not exist on Linux;
a private fontconfig file maps them to Noto CJK so the PDF shows Chinese, not boxes.
"""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from . import spec

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"


class PdfUnavailable(RuntimeError):
    pass


def soffice_path(configured: str | None = None) -> str | None:
    return configured or shutil.which("soffice") or shutil.which("libreoffice")


def fontconfig(settings: spec.DocumentSettings) -> str:
    aliases = {settings.title_font: SERIF, settings.body_font: SERIF, settings.heading2_font: SERIF,
               settings.page_number_font: SERIF, settings.heading1_font: SANS,
               "方正小标宋简体": SERIF, "仿宋_GB2312": SERIF, "仿宋": SERIF, "楷体_GB2312": SERIF, "楷体": SERIF,
               "宋体": SERIF, "黑体": SANS}
    rules = "".join(f'<alias binding="same"><family>{escape(name)}</family><prefer><family>{target}</family>'
                    f'</prefer></alias>' for name, target in aliases.items())
    return ('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
            f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include>{rules}</fontconfig>')


def docx_to_pdf(data: bytes, settings: spec.DocumentSettings | None = None, soffice: str | None = None,
                timeout: int = 120) -> bytes:
    binary = soffice_path(soffice)
    if binary is None:
        raise PdfUnavailable("服务器未安装 LibreOffice，无法生成 PDF。")
    with tempfile.TemporaryDirectory(prefix="replyflow-pdf-") as tmp:
        work = Path(tmp)
        (work / "fonts.conf").write_text(fontconfig(settings or spec.DocumentSettings()), encoding="utf-8")
        (work / "reply.docx").write_bytes(data)
        # a private HOME and profile: conversions may run side by side and never touch a real user's
        env = {**os.environ, "HOME": str(work), "FONTCONFIG_FILE": str(work / "fonts.conf")}
        base = [binary, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore"]
        out = ["--outdir", str(work)]
        try:
            # LibreOffice ignores w:overflowPunct from .docx and hangs a comma that falls at a line end in the
            # margin, where its PDF export drops it. Through flat ODT the paragraphs get punctuation-wrap
            # "simple" (the last character moves to the next line with the comma), as Word sets them.
            subprocess.run([*base, "--convert-to", "fodt", *out, str(work / "reply.docx")], env=env, capture_output=True,
                           timeout=timeout, check=True)
            flat = work / "reply.fodt"
            if not flat.exists():
                raise PdfUnavailable("PDF 转换失败：LibreOffice 没有生成文件。")
            # likewise w:autoSpaceDE/DN: no extra space between Chinese and digits, as in Word
            flat.write_bytes(flat.read_bytes().replace(b'punctuation-wrap="hanging"', b'punctuation-wrap="simple"')
                             .replace(b'text-autospace="ideograph-alpha"', b'text-autospace="none"'))
            subprocess.run([*base, "--convert-to", "pdf", *out, str(flat)], env=env, capture_output=True,
                           timeout=timeout, check=True)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"PDF 转换失败：{exc}") from exc
        pdf = work / "reply.pdf"
        if not pdf.exists():
            raise PdfUnavailable("PDF 转换失败：LibreOffice 没有生成文件。")
        return pdf.read_bytes()
