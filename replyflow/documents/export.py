"""Batch export: the signed replies of a list of submissions as one .zip."""
import io
import re
import zipfile

from .. import permissions as perm

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _safe(name: str) -> str:
    return _UNSAFE.sub("", name).strip()[:80] or "答复件"


def signed_replies_zip(user, submissions) -> tuple[bytes, int]:
    """(zip bytes, number of files): each visible signed reply, frozen bytes as delivered."""
    out = io.BytesIO()
    used = set()
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for submission in submissions:
            answering = submission.answering_assignments
            for assignment in answering:
                reply = assignment.current_reply
                if reply is None or reply.signed_sha256 is None or not perm.can_view_reply(user, reply):
                    continue
                name = f"{submission.number_label or '无编号'}_{_safe(reply.title or submission.title)}"
                if len(answering) > 1:
                    name += f"_{_safe(assignment.department.name)}"
                if name in used:  # the same number in two sittings
                    name += f"_{_safe(submission.sitting.name)}"
                used.add(name)
                archive.writestr(f"{name}.docx", reply.signed_docx)
                count += 1
    return out.getvalue(), count
