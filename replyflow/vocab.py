"""Fixed vocabularies: stable codes stored in the database, Chinese labels shown to people.

Code never compares labels; templates show labels through these tables.
"""

BODIES = {"cppcc": "政协", "npc": "人大"}
#: what a body's submissions are called, and how the proposer is addressed
SUBMISSION_KIND_OF_BODY = {"cppcc": "proposal", "npc": "suggestion"}
SUBMISSION_KINDS = {"proposal": "提案", "suggestion": "建议"}
#: derived: the body that receives each kind, and what a body's submissions are called
BODY_OF_KIND = {kind: body for body, kind in SUBMISSION_KIND_OF_BODY.items()}
KIND_LABEL_OF_BODY = {body: SUBMISSION_KINDS[kind] for body, kind in SUBMISSION_KIND_OF_BODY.items()}
MEMBER_TITLE_OF_BODY = {"cppcc": "委员", "npc": "代表"}
#: the office of each body that registers, assigns and reviews
OFFICE_OF_BODY = {"cppcc": "提案委", "npc": "代表工委"}
MEMBER_KINDS = {"person": "个人", "group": "集体（党派、团体、专委会等）"}
#: kinds of collective proposer (集体提案 / 代表团建议)
GROUP_KINDS = {
    "party": "民主党派", "organisation": "人民团体", "committee": "专门委员会", "sector": "界别",
    "team": "委员小组", "delegation": "代表团", "other": "其他单位",
}
#: how a reply addresses a collective proposer in its first line (贵会提出的…), unless its record says otherwise
GROUP_ADDRESS = {
    "party": "贵会", "organisation": "贵会", "committee": "贵委", "sector": "你们", "team": "你们",
    "delegation": "你们", "other": "贵单位",
}

#: a sitting's numbering: plain numbers shown with a width (第0294号), or codes as written (2025D048)
NUMBER_STYLES = {"digits": "数字编号（按位数补零）", "code": "自定编码（如 2025D048、DH0271）"}
#: when a case left without a number gets one
AUTO_NUMBERING = {"register": "登记时自动编号", "accept": "立案时自动编号", "none": "不自动编号（可无编号）"}
#: when a submission was made
PERIODS = {"session": "大会期间", "recess": "闭会期间"}
#: how a reply to a lead with co-signers addresses them
JOINT_SALUTATIONS = {
    "lead": "称领衔人（曹留俊委员：）",
    "lead_count": "领衔人等N位（曹留俊等3位委员：）",
    "each": "逐一称呼每位（曹留俊、冯建国、许振宇委员：）",
}
#: the default of a new sitting: 政协 answers the lead for all, 人大 each deputy (代表法)
JOINT_SALUTATION_OF_BODY = {"cppcc": "lead_count", "npc": "each"}
#: 抄送 pre-filled on a reply, by body
REPLY_CC_OF_BODY = {"cppcc": "市政协提案委", "npc": "市人大常委会代表工委"}

ROLES = {
    "admin": "系统管理员",
    "clerk": "提案/建议工作人员",
    "handler": "经办人",
    "signer": "签发人",
    "member": "委员/代表",
    "security_admin": "安全管理员",
    "audit_admin": "审计管理员",
}
#: 三员分立: the system administrator (accounts and settings), the security administrator (roles and their
#: scope) and the audit administrator (the audit log) each have an account of their own that holds no other
#: role and reads no case; they are made from the shell, never granted on a web page
SEPARATED_ROLES = ("admin", "security_admin", "audit_admin")
#: the roles the security administrator grants on the web
BUSINESS_ROLES = tuple(r for r in ROLES if r not in SEPARATED_ROLES)

ASSIGNMENT_ROLES = {"lead": "主办", "co": "会办", "split": "分办"}
#: assignment roles whose department writes a reply to the proposer
ANSWERING_ROLES = ("lead", "split")

DISCLOSURE_WISHES = {"public": "同意公开", "not_public": "不同意公开"}
DISCLOSURES = {"public": "公开", "on_request": "依申请公开", "not_public": "不公开"}

#: kinds of 督办记录 kept on a 重点 case
SUPERVISION_KINDS = {"visit": "视察调研", "meeting": "督办会议", "progress": "进展情况", "other": "其他"}

CONTACT_METHODS = {"phone": "电话", "visit": "走访", "meeting": "座谈会", "letter": "书面"}

RATINGS = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}
#: how the department got in touch before answering, as the 征询意见表 asks
FEEDBACK_CONTACT_METHODS = {"face": "面商", "phone": "电话", "letter": "书面"}

#: the answer classes each body starts with (the 0004 migration installs them); admins edit them
DEFAULT_ANSWER_CLASSES = {
    "cppcc": [
        ("A", "所提问题已经解决或基本解决"),
        ("B", "所提问题正在解决或已列入计划逐步解决"),
        ("C", "所提问题因条件限制暂时不能解决"),
    ],
    # the national wording for deputies' suggestions (全国人大代表建议办理)
    "npc": [
        ("A", "所提问题已经解决或者基本解决"),
        ("B", "所提问题正在解决或者列入规划逐步解决"),
        ("C", "所提问题因目前条件限制或者其他原因需待以后解决"),
        ("D", "所提问题留作参考"),
    ],
}
#: 跟踪落实: the answer classes whose matter stays under follow-up after the case closes, by body
FOLLOW_UP_CLASSES = {"cppcc": ("B", "C"), "npc": ("B", "C", "D")}
FOLLOW_UP_STATES = {"open": "跟踪落实中", "answering": "二次答复办理中", "done": "已落实"}

#: like the answer classes, installed by the 0004 migration and editable by admins
DEFAULT_CATEGORIES = ["经济", "科教", "社会", "城建", "农业", "政法", "其他"]
DEFAULT_REJECTION_GROUNDS = [
    "不属于本级职权范围",
    "涉及党派、团体内部事务",
    "属于学术探讨、个人诉求或具体案件",
    "内容空泛，缺乏具体建议",
    "涉及诉讼、仲裁或纪检监察案件",
    "与已办理的提案建议内容相同",
]
