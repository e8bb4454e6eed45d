"""All models, one per file, imported here so Alembic and the app see one metadata."""
from . import (
    next_due,  # noqa: E402,F401  (keeps Submission.next_due_on after every flush)
    search_terms,  # noqa: E402,F401  (keeps Submission.search_terms after every flush)
)
from .answer_class import AnswerClass
from .assignment import Assignment
from .attachment import Attachment
from .audit_entry import AuditEntry, AuditHead
from .category import Category
from .contact import ContactRecord
from .cosigner_opinion import CosignerOpinion
from .department import Department
from .doc_number_counter import DocNumberCounter
from .draft import Draft, DraftFile, DraftInvitation
from .event import Event
from .extension import ExtensionRequest
from .feedback import Feedback
from .follow_up import FollowUpProgress
from .import_batch import ImportBatch
from .login_throttle import LoginThrottle
from .member import Member
from .notification import Notification
from .outbox import OutboxMessage
from .password_history import PasswordHistory
from .proposer import SubmissionProposer
from .rejection_ground import RejectionGround
from .reminder import Reminder
from .reply import Reply
from .reply_version import ReplyVersion
from .sitting import Sitting
from .submission import Submission
from .supervision import SupervisionRecord
from .user import User
from .user_role import UserRole

__all__ = [
    "AnswerClass", "AuditEntry", "AuditHead", "Assignment", "Attachment", "Category", "ContactRecord", "CosignerOpinion",
    "Department", "DocNumberCounter", "Draft", "DraftFile", "DraftInvitation",
    "Event", "ExtensionRequest", "Feedback", "FollowUpProgress",
    "ImportBatch", "LoginThrottle", "Member", "Notification", "OutboxMessage",
    "PasswordHistory", "RejectionGround",
    "Reminder", "Reply", "ReplyVersion", "Sitting", "Submission", "SubmissionProposer", "SupervisionRecord", "User",
    "UserRole",
]
