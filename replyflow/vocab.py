"""Fixed vocabularies: stable codes stored in the database, Chinese labels shown to people.

Code never compares labels; templates show labels through these tables.
"""

BODIES = {"cppcc": "政协", "npc": "人大"}
#: what a body's submissions are called, and how the proposer is addressed
SUBMISSION_KIND_OF_BODY = {"cppcc": "proposal", "npc": "suggestion"}
SUBMISSION_KINDS = {"proposal": "提案", "suggestion": "建议"}
MEMBER_TITLE_OF_BODY = {"cppcc": "委员", "npc": "代表"}
MEMBER_KINDS = {"person": "个人", "group": "党派团体"}
#: 抄送 pre-filled on a reply, by body
REPLY_CC_OF_BODY = {"cppcc": "市政协提案委", "npc": "市人大常委会代表工委"}

ROLES = {
    "admin": "系统管理员",
    "clerk": "提案/建议工作人员",
    "handler": "经办人",
    "signer": "签发人",
    "member": "委员/代表",
}

ASSIGNMENT_ROLES = {"lead": "主办", "co": "会办", "split": "分办"}
#: assignment roles whose department writes a reply to the proposer
ANSWERING_ROLES = ("lead", "split")

DISCLOSURE_WISHES = {"public": "同意公开", "not_public": "不同意公开"}
DISCLOSURES = {"public": "公开", "on_request": "依申请公开", "not_public": "不公开"}

CONTACT_METHODS = {"phone": "电话", "visit": "走访", "meeting": "座谈会", "letter": "书面"}

RATINGS = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}

#: the answer classes a body starts with; admins edit them per body
DEFAULT_ANSWER_CLASSES = [
    ("A", "所提问题已经解决或基本解决"),
    ("B", "正在解决或已列入计划逐步解决"),
    ("C", "因条件限制暂时不能解决"),
]
DEFAULT_CATEGORIES = ["经济", "科教", "社会", "城建", "农业", "政法", "其他"]
DEFAULT_REJECTION_GROUNDS = [
    "不属于本市职权范围",
    "涉及党派、团体内部事务",
    "属于学术探讨或个人诉求",
    "内容空泛，缺乏具体建议",
    "涉及诉讼、仲裁或纪检监察案件",
]
