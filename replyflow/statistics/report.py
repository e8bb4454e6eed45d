"""办理工作情况报告: a draft of the sitting's handling report, in the red-header format of the reply renderer.

Written from the same figures as the statistics page (statistics/figures.collect), so that every number in it
is one the page shows. The committee edits it in Word: the closing section is left for them to write."""
from flask import current_app

from ..clock import cn_date
from ..documents.output import render_document
from ..documents.reply import ReplyContent
from ..documents.service import document_settings, page_converter
from .figures import Figures, percent

#: per body: (issuing office, 发文字号 prefix, 主送机关), each overridable by a setting
DEFAULTS = {"cppcc": ("市政协提案委员会", "政协提", "市政协常委会"),
            "npc": ("市人大常委会代表工作委员会", "人大代", "市人大常委会")}
#: departments named in the report's sentence on late answers
NAMED_LATE = 10


def _office(body: str) -> tuple[str, str, str]:
    organ, prefix, addressee = DEFAULTS[body]
    config = current_app.config
    key = body.upper()
    return (config.get(f"REPORT_ORGAN_{key}") or organ, config.get(f"REPORT_DOC_PREFIX_{key}") or prefix,
            config.get(f"REPORT_ADDRESSEE_{key}") or addressee)


def _share(pairs: list[tuple[str, int]], whole: int, unit: str) -> str:
    return "、".join(f"{name}{n}{unit}（占{percent(n, whole)}）" for name, n in pairs if n)


def _rate(label: str, part: int, whole: int, none: str) -> str:
    """满意率80% — or what stands in when there is nothing to divide by (尚未收到评价)."""
    return f"{label}{percent(part, whole)}" if whole else none


def body_of(f: Figures) -> str:
    """The report's text: paragraphs, headings by 一、（一）1., and tables as tab-separated rows."""
    sitting, total = f.scope.sitting, f.total
    kind = f.scope.kind_label
    handled = sum(n for _, n, _ in f.categories)
    states = {code: n for code, _, n in f.states}
    declined = [f"不立案{states['rejected']}件" if states.get("rejected") else "",
                f"并案{states['merged']}件" if states.get("merged") else "",
                f"转为意见{states['converted']}件" if states.get("converted") else ""]
    declined = "，".join(d for d in declined if d)
    ratings = total.ratings
    # the table holds those that answer; one only consulted (会办) has nothing to put in its columns
    answering = [d for d in f.departments if d.assigned]
    lines = [
        f"{sitting.name}共收到{kind}{f.cases}件，经审查立案办理{handled}件"
        f"{'（' + declined + '）' if declined else ''}，交由{len(f.departments)}个承办单位办理。"
        f"截至{cn_date(f.today)}，承办单位已答复{total.answered}件次，{kind}已办结{states.get('closed', 0)}件，"
        + _rate("按时办复率", total.on_time, total.due, "尚无到期的件") + "。"
        + (f"提出人对办理结果表示满意的{ratings.get('satisfied', 0)}件次、基本满意的{ratings.get('basically_satisfied', 0)}"
           f"件次、不满意的{ratings.get('dissatisfied', 0)}件次，满意率{percent(ratings.get('satisfied', 0), total.rated)}。"
           if total.rated else "尚未收到提出人对办理结果的评价。") + "现将办理工作情况报告如下。",
        "一、基本情况",
        f"（一）{kind}的分布。按分类，" + (_share([(f"{c}类", n) for c, n, _ in f.categories], handled, "件") or "暂无")
        + "。" + ("按领衔人所在界别、代表团，" + _share(f.affiliations[:5], f.cases, "件") + (
            "等。" if len(f.affiliations) > 5 else "。") if f.affiliations else ""),
        f"（二）答复类别。在已答复的{total.answered}件次中，"
        + ("，".join(f"{code}类{total.classes.get(code, 0)}件次（占{percent(total.classes.get(code, 0), total.answered)}）"
                     for code in f.classes) if total.answered else "暂无答复") + "。",
        f"（三）沟通见面。承办单位在答复前与提出人沟通的{total.contacted}件次，"
        + _rate("见面率", total.contacted, total.answered, "尚无答复") + "。",
        "二、各承办单位办理情况",
        f"{len(answering)}个单位主办或分办{total.assigned}件次"
        + (f"，{sum(1 for d in f.departments if d.co)}个单位会办{total.co}件次" if total.co else "") + "。各单位办理情况如下：",
        "\t".join(["承办单位", "件次", "已答复", "按时办复率", "满意率"]),
        *["\t".join([d.name, str(d.assigned), str(d.answered), percent(d.on_time, d.due),
                     percent(d.ratings.get("satisfied", 0), d.rated)]) for d in [*answering, total]],
    ]
    if f.late:
        named = "、".join(f"{d.name}（{d.overdue}件）" for d, _ in f.late[:NAMED_LATE])
        lines.append(f"截至{cn_date(f.today)}，仍有{len(f.late)}个单位的{total.overdue}件次超过办理期限未答复："
                     f"{named}{'等' if len(f.late) > NAMED_LATE else ''}。")
    else:
        lines.append(f"截至{cn_date(f.today)}，没有超过办理期限未答复的{kind}。")
    lines.append(f"三、重点{kind}办理情况")
    if f.key:
        shown = f"，以下列出前{len(f.key)}件" if f.key_total > len(f.key) else ""
        lines.append(f"本次会议确定重点{kind}{f.key_total}件{shown}，办理情况如下：")
        for i, s in enumerate(f.key, 1):
            departments = "、".join(a.department.name for a in s.active_assignments) or "尚未交办"
            supervised = "，".join(p for p in (f"{s.supervisor}督办" if s.supervisor else "",
                                               f"{s.supervising_office}牵头" if s.supervising_office else "") if p)
            records = f"，开展督办{len(s.supervision_records)}次" if s.supervision_records else ""
            lines.append(f"{i}．{s.number_display}《{s.title}》（{s.proposers_label}），"
                         f"{supervised + '，' if supervised else ''}承办单位：{departments}{records}，{s.state_label}。")
    else:
        lines.append(f"本次会议未确定重点{kind}。")
    lines += ["四、存在的问题和下一步工作", "（本部分由委员会根据办理情况撰写。）"]
    return "\n".join(lines)


def report_docx(f: Figures) -> tuple[bytes, str]:
    """(.docx bytes, file name) of the report draft."""
    sitting = f.scope.sitting
    organ, prefix, addressee = _office(f.scope.body)
    kind = f.scope.kind_label
    title = f"关于{sitting.name}{kind}办理工作情况的报告"
    content = ReplyContent(
        mark=f"{organ}文件", doc_number=f"{prefix}〔{f.today.year}〕　号", title=title, salutation=f"{addressee}：",
        body=body_of(f), issuing_organ=organ, issue_date=f.today, draft=True, draft_mark="草稿（供委员会修改）")
    # set in LibreOffice where it is at hand, so that the 版记 stands where its pages leave room for it
    rendered = render_document(content, settings=document_settings(), convert=page_converter())
    return rendered.docx, f"{title}（草稿）.docx"
