"""答复审核: what a clerk sees before passing a signed reply — its format (the one checker, on the pages of the frozen
copy where LibreOffice is installed), the text, the contacts."""
from ..documents.inspection import inspect
from ..documents.service import document_settings, page_converter, reply_bytes


def review_checks(assignment) -> dict:
    reply = assignment.current_reply
    inspection = inspect(reply_bytes(reply), document_settings(), page_converter(),
                         pdf=reply.signed_pdf) if reply is not None else None
    results = inspection.results if inspection is not None else []
    failures = [r for r in results if not r.passed]
    return {"reply": reply, "format_failures": failures, "format_passed": len(results) - len(failures),
            "contacts": list(assignment.contacts), "format_how": inspection.mode_label if inspection else ""}
