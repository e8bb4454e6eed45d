"""The editable lists a fresh install starts with (the 0004 migration installs the same)."""
from sqlalchemy import func, select

from ..extensions import db
from ..models import AnswerClass, Category, RejectionGround
from ..vocab import DEFAULT_ANSWER_CLASSES, DEFAULT_CATEGORIES, DEFAULT_REJECTION_GROUNDS


def install_defaults():
    """Add the default answer classes, 不立案 grounds and categories where a list is empty."""
    for body, classes in DEFAULT_ANSWER_CLASSES.items():
        if not db.session.scalar(select(func.count(AnswerClass.id)).where(AnswerClass.body == body)):
            db.session.add_all(AnswerClass(body=body, code=code, label=label, position=i)
                               for i, (code, label) in enumerate(classes))
    for model, names in ((RejectionGround, DEFAULT_REJECTION_GROUNDS), (Category, DEFAULT_CATEGORIES)):
        if not db.session.scalar(select(func.count(model.id))):
            db.session.add_all(model(name=name, position=i) for i, name in enumerate(names))
    db.session.flush()
