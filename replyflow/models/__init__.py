"""All models, imported here so Alembic and the app see one metadata."""
from .org import AnswerClass, Category, Department, RejectionGround, Sitting
from .user import Member, User, UserRole
from .submission import Attachment, Submission, SubmissionProposer
from .assignment import Assignment, ContactRecord
from .reply import Feedback, Reply, ReplyVersion
from .event import Event
from .notification import Notification

__all__ = [
    "AnswerClass", "Assignment", "Attachment", "Category", "ContactRecord", "Department", "Event",
    "Feedback", "Member", "Notification", "RejectionGround", "Reply", "ReplyVersion", "Sitting",
    "Submission", "SubmissionProposer", "User", "UserRole",
]
