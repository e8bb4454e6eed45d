"""Who may act on a case: the actor rules named in the transition table.

Each rule takes (user, obj), obj being a Submission or an Assignment.
"""


def submission_of(obj):
    return obj.submission if hasattr(obj, "submission") else obj


def clerk(user, obj) -> bool:
    """Staff of the body the case belongs to (a clerk without a body serves both)."""
    body = submission_of(obj).sitting.body
    return user.has_role("clerk") and user.body in (None, body)


def handler(user, obj) -> bool:
    """经办人 of the department the assignment is with."""
    return user.has_role("handler") and obj.department_id is not None and user.department_id == obj.department_id


def signer(user, obj) -> bool:
    """签发人 (head) of the department the assignment is with."""
    return user.has_role("signer") and user.department_id is not None and user.department_id == obj.department_id


def lead_proposer(user, obj) -> bool:
    """The lead proposer (领衔), who answers for the submission and rates the reply."""
    member = user.member
    lead = submission_of(obj).lead
    return user.has_role("member") and member is not None and lead is not None and lead.id == member.id


def cosigner(user, obj) -> bool:
    """A co-signer (联名人) of the case, or a proposer of a case merged into it, who is not its lead."""
    member = user.member
    if member is None or not user.has_role("member"):
        return False
    submission = submission_of(obj)
    lead = submission.lead
    return any(p.member_id == member.id and (lead is None or lead.id != member.id)
               for own in [submission, *submission.merged] for p in own.proposers)


RULES = {
    "clerk": clerk,
    "handler": handler,
    "signer": signer,
    "lead_proposer": lead_proposer,
    "cosigner": cosigner,
}
