"""A reply described in a JSON file (`flask render-reply SPEC.json`): no case in the database needed."""
import json
from datetime import date

from .layout import BODY_TRACKING, text_width
from .reply import MAX_ISSUER_CHARS, ReplyContent

KEYS = {
    "department": "发文机关全称（用于版头，如 中共常州市委人才工作领导小组办公室）",
    "doc_number": "发文字号，如 常人才办〔2025〕24号",
    "answer_class": "答复类别，如 A",
    "disclosure": "公开属性：公开 / 依申请公开 / 不公开",
    "title": "标题",
    "salutation": "主送，如 曹留俊委员：",
    "body": "正文，段落之间空一行",
    "signer": "签发人",
    "handler": "经办人",
    "phone": "联系电话",
    "issue_date": "印发日期 YYYY-MM-DD（成文日期未给出时也用它）",
    "issuer": "发文机关署名（正文之下署的机关名称，默认同 department）",
    "written_date": "成文日期 YYYY-MM-DD（正文之下的日期，默认同 issue_date）",
    "cc": "抄送机关名单（数组）",
    "format": "file（文件格式）或 letter（信函格式）",
}
REQUIRED = ("department", "title", "salutation", "body")
DISCLOSURES = ("公开", "依申请公开", "不公开")


class SpecError(ValueError):
    pass


def _paragraphs(body: str) -> str:
    """Paragraphs separated by blank lines; lines inside one paragraph are joined (a table keeps its rows, and two
    tables a blank line apart stay two tables)."""
    parts = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all("\t" in line for line in lines) and len(lines) > 1:
            parts.append("\n".join(lines) + "\n")   # the blank line after a table ends it
        else:
            parts.append("".join(line.strip() for line in lines))
    return "\n".join(parts).rstrip("\n")


def content_from_spec(data) -> ReplyContent:
    if not isinstance(data, dict):
        raise SpecError("JSON 顶层应为对象 {…}。")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise SpecError(f"未知的键：{', '.join(unknown)}；可用的键：{', '.join(KEYS)}。")
    missing = [k for k in REQUIRED if not str(data.get(k) or "").strip()]
    if missing:
        raise SpecError("缺少必填项：" + "、".join(f"{k}（{KEYS[k]}）" for k in missing) + "。")
    for key in KEYS:
        if key != "cc" and data.get(key) is not None and not isinstance(data[key], str):
            raise SpecError(f"「{key}」应为字符串。")
    cc = data.get("cc") or []
    if isinstance(cc, str):
        cc = [cc]
    if not isinstance(cc, list) or not all(isinstance(n, str) for n in cc):
        raise SpecError("「cc」应为名称的数组，如 [\"市委办公室\", \"市政协提案委\"]。")
    fmt = data.get("format") or "file"
    if fmt not in ("file", "letter"):
        raise SpecError("「format」应为 file 或 letter。")
    if data.get("disclosure") and data["disclosure"] not in DISCLOSURES:
        raise SpecError("「disclosure」应为 公开、依申请公开 或 不公开。")
    issue_date, written_date = (_date(data, key) for key in ("issue_date", "written_date"))
    department = data["department"].strip()
    issuer = (data.get("issuer") or "").strip() or department.removesuffix("文件")
    if text_width(issuer, BODY_TRACKING) > MAX_ISSUER_CHARS:
        raise SpecError(f"发文机关署名「{issuer}」一行放不下（最多 {MAX_ISSUER_CHARS} 个字宽）："
                        "请用「issuer」给出规范简称。")
    mark = department if fmt == "letter" or department.endswith("文件") else f"{department}文件"
    return ReplyContent(
        mark=mark, doc_number=(data.get("doc_number") or "").strip(), title=data["title"].strip(),
        salutation=data["salutation"].strip(), body=_paragraphs(data["body"]),
        issuing_organ=department.removesuffix("文件"), issue_date=issue_date,
        answer_class=data.get("answer_class") or None, disclosure=data.get("disclosure") or None,
        signer_name=data.get("signer") or None, handler_name=data.get("handler") or None,
        phone=data.get("phone") or None, cc="，".join(n.strip() for n in cc if n.strip()) or None,
        letter=fmt == "letter", issuer=(data.get("issuer") or "").strip() or None, written_date=written_date)


def _date(data: dict, key: str) -> date | None:
    if not data.get(key):
        return None
    try:
        return date.fromisoformat(data[key])
    except ValueError:
        raise SpecError(f"「{key}」应为 YYYY-MM-DD，收到「{data[key]}」。") from None


def load(path) -> ReplyContent:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except UnicodeDecodeError:
        raise SpecError("文件应为 UTF-8 编码的 JSON。") from None
    except json.JSONDecodeError as error:
        raise SpecError(f"不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列：{error.msg}。") from None
    return content_from_spec(data)
