"""How a reply starts, following who proposed: its title, salutation and first line.

- one member: 曹留俊委员： … 您提出的…
- a lead with co-signers, as the sitting's rule says: 曹留俊委员： (the lead for all), 曹留俊等3位委员：,
  or every one named (陈姝伃、王建平代表：, the 人大 rule unless the co-signers agreed to the lead alone);
  … 你们提出的…; "等5名代表" with the others unnamed: 王伟等5位代表：
- a body acting collectively: 九三学社常州市委： … 贵会提出的… (贵单位, 贵委 … by its kind), and
  集体提案 in the title.
A title already ending in 提案 / 建议 is not doubled: never 《…的提案》的提案收悉.
"""
from ..clock import cn_date


def _joint_style(submission) -> str:
    style = submission.sitting.joint_salutation
    if style == "each" and (submission.reply_to_lead or submission.unnamed_count):
        return "lead_count"  # the others agreed to the lead alone, or are not all known by name
    return style


def salutation(submission) -> str:
    lead = submission.lead
    if lead is None:
        return ""
    if lead.is_group or submission.proposer_total == 1:
        return f"{lead.display_name}："
    style = _joint_style(submission)
    if style == "each":
        return "、".join(m.name for m in submission.members) + f"{lead.title}："
    if style == "lead_count":
        return f"{lead.name}等{submission.proposer_total}位{lead.title}："
    return f"{lead.display_name}："


def you(submission) -> str:
    """您 / 你们 / 贵会: who the first line speaks to."""
    lead = submission.lead
    if lead is not None and lead.is_group:
        return lead.you
    return "你们" if submission.proposer_total > 1 else "您"


def _cited_title(submission) -> str:
    """The submission as the first line cites it."""
    title = submission.title.strip()
    kind = submission.kind_label
    if title.endswith(kind):
        # 建议 are cited bare (…的建议收悉), 提案 in book-title marks (《…的提案》收悉)
        return title if submission.kind == "suggestion" else f"《{title}》"
    return f"《{title}》的{kind}"


def opening(submission) -> str:
    """你们提出的《关于…的建议》的提案收悉，现答复如下：/ 您提出的关于…的建议收悉，现答复如下："""
    return f"{you(submission)}提出的{_cited_title(submission)}收悉，现答复如下："


def second_opening(submission, first) -> str:
    """二次答复: 您提出的《…》提案，我单位已于2025年6月16日以常人才办〔2025〕24号答复。经跟踪落实，…"""
    answered = f"于{cn_date(first.issue_date)}" if first.issue_date else ""
    by = f"以{first.doc_number}" if first.doc_number else ""
    return (f"{you(submission)}提出的{_cited_title(submission)}，我单位已{answered}{by}作出答复。"
            "经持续跟踪落实，现将办理落实情况答复如下：")


def title(submission) -> str:
    """关于对市政协十五届四次会议委员提案第0294号的答复 / 对市十六届人大五次会议第0078号建议的答复"""
    sitting = submission.sitting.name
    if submission.period == "recess" and "闭会" not in sitting:
        sitting += "闭会期间"
    if submission.kind == "proposal":
        who = "集体" if submission.is_collective else "委员"
        cited = submission.number_label or f"《{submission.title.strip()}》"
        return f"关于对{sitting}{who}提案{cited}的答复"
    if submission.number_label:
        return f"对{sitting}{submission.number_label}建议的答复"
    return f"对{sitting}{_cited_title(submission)}的答复"
