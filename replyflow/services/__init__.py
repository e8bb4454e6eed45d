"""Services: one verb per function. They validate, change the session and flush; never commit.

A refusal is raised as ServiceError (a WorkflowError) with a message for the user; the view then
rolls back, so nothing is half-saved.
"""
from ..workflow.engine import NotAllowed
from ..workflow.engine import WorkflowError as ServiceError

__all__ = ["NotAllowed", "ServiceError"]
