"""Services: one verb per function. They validate, change the session and flush; never commit.

A refusal is raised as ServiceError (a WorkflowError) with a message for the user; the view then
rolls back, so nothing is half-saved.
"""
from ..workflow.engine import NotAllowed
from ..workflow.engine import WorkflowError as ServiceError

__all__ = ["NotAllowed", "ServiceError", "join_notes"]


def join_notes(*parts) -> str | None:
    """A timeline comment of the parts that say something: 常人才办〔2025〕1号；同意。"""
    return "；".join(p for p in parts if p) or None
