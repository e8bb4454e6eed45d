"""答复审核: what a clerk sees before passing a signed reply — its format, the text, the contacts."""
from ..documents.checker import check_docx
from ..documents.service import document_settings, reply_bytes


def review_checks(assignment) -> dict:
    reply = assignment.current_reply
    results = check_docx(reply_bytes(reply), document_settings()) if reply is not None else []
    failures = [r for r in results if not r.passed]
    return {"reply": reply, "format_failures": failures, "format_passed": len(results) - len(failures),
            "contacts": list(assignment.contacts)}
