"""All models, imported here so Alembic and the app see one metadata."""
from .assignment import Assignment, ContactRecord
from .event import Event
from .notification import Notification
from .org import AnswerClass, Category, Department, RejectionGround, Sitting
from .reminder import ExtensionRequest, OutboxMessage, Reminder
from .reply import Feedback, Reply, ReplyVersion
from .submission import Attachment, Submission, SubmissionProposer
from .user import Member, User, UserRole

__all__ = [
    "AnswerClass", "Assignment", "Attachment", "Category", "ContactRecord", "Department", "Event", "ExtensionRequest",
    "Feedback", "Member", "Notification", "OutboxMessage", "RejectionGround", "Reminder", "Reply", "ReplyVersion", "Sitting",
    "Submission", "SubmissionProposer", "User", "UserRole",
]
