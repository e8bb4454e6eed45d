from wtforms import RadioField, TextAreaField
from wtforms.validators import Optional

from ..forms_common import BaseForm, chosen, max_len
from ..vocab import RATINGS


class FeedbackForm(BaseForm):
    handling_rating = RadioField("对办理工作的评价", choices=list(RATINGS.items()),
                                 validators=[chosen("对办理工作的评价")])
    result_rating = RadioField("对办理结果的评价", choices=list(RATINGS.items()),
                               validators=[chosen("对办理结果的评价")])
    comment = TextAreaField("意见和建议", validators=[Optional(), max_len("意见和建议", 2000)])
