"""All models, imported here so Alembic and the app see one metadata."""
from .assignment import Assignment, ContactRecord
from .event import Event
from .notification import Notification
from .org import AnswerClass, Category, Department, RejectionGround, Sitting
from .reply import Feedback, Reply, ReplyVersion
from .submission import Attachment, Submission, SubmissionProposer
from .user import Member, User, UserRole

__all__ = [
    "AnswerClass", "Assignment", "Attachment", "Category", "ContactRecord", "Department", "Event",
    "Feedback", "Member", "Notification", "RejectionGround", "Reply", "ReplyVersion", "Sitting",
    "Submission", "SubmissionProposer", "User", "UserRole",
]
