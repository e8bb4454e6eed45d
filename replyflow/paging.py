"""A page of a long list whose total is counted only up to a cap.

Counting every match of a filter over an archive of 200,000 cases costs more than showing the page; no one
reads "第 4,213 页". So the count stops at `cap` (the list then says 超过 2,000 件), one row more than
the page is fetched to know whether there is a next page, and the pager shows the pages it knows of."""
import math

from sqlalchemy import func, select

from .extensions import db


def count_up_to(query, cap: int):
    """SELECT of how many rows `query` gives, counted no further than cap + 1: more than `cap` shows as
    cap + 1, and no count reads more rows than that."""
    return select(func.count()).select_from(query.limit(cap + 1).subquery())


class CappedPage:
    def __init__(self, query, page: int, per_page: int, cap: int, key_column):
        self.page, self.per_page, self.cap = page, per_page, cap
        found = db.session.scalar(count_up_to(
            query.with_only_columns(key_column, maintain_column_froms=True).order_by(None), cap))
        self.exact = found <= cap
        self.total = found if self.exact else cap
        rows = db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)).all()
        self.items = rows[:per_page]
        self.has_next = len(rows) > per_page
        self.has_prev = page > 1
        known = math.ceil(self.total / per_page) if self.total else 0
        self.pages = max(known, page + 1 if self.has_next else page if self.items else known)

    def iter_pages(self, left_edge=1, left_current=2, right_current=2, right_edge=1):
        """Page numbers to show, None for a gap (the signature of Flask-SQLAlchemy's, for the same macro);
        past the cap the last page is not known, so no right edge is shown."""
        last = self.pages if self.exact else None
        shown = set(range(1, min(left_edge, self.pages) + 1))
        shown |= set(range(max(1, self.page - left_current), min(self.pages, self.page + right_current) + 1))
        if last is not None:
            shown |= set(range(max(1, last - right_edge + 1), last + 1))
        previous = 0
        for number in sorted(shown):
            if number != previous + 1:
                yield None
            yield number
            previous = number
