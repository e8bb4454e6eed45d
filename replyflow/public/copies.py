"""What a department's own website takes: a public reply as plain text and as an HTML fragment."""
from flask import render_template

from ..clock import cn_date
from ..documents.reply import body_parts, content_of
from .queries import heading


def plain_text(reply) -> str:
    """The published reply as text: heading, salutation, paragraphs (tables as tab-separated rows), organ, date."""
    content = content_of(reply)
    lines = [heading(reply), "", content.salutation, ""]
    for part in body_parts(content.body):
        lines.extend(["\t".join(row) for row in part] if isinstance(part, list) else [part])
        lines.append("")
    lines += [content.issuing_organ or reply.assignment.department.name, cn_date(content.issue_date)]
    return "\n".join(lines).strip() + "\n"


def html_fragment(reply) -> str:
    """The same as an <article> with no styles or scripts of ours, to paste into a site's own page."""
    content = content_of(reply)
    return render_template("public/fragment.html", reply=reply, heading=heading(reply), c=content,
                           parts=body_parts(content.body))
