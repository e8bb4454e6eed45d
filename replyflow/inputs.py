"""Input as it enters the app: control characters removed from every query and form value (NUL never reaches
the database), ids and page numbers outside what a row or a page can be answered with 404."""
import re
import unicodedata

from flask import Request, abort
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter

#: C0 controls but tab, line feed and carriage return; DEL; C1 controls; lone surrogates; BOM; noncharacters
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
#: ids are INTEGER columns (32-bit on PostgreSQL, which refuses a larger bound value: a 500, not a 404)
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000


def clean_text(value: str) -> str:
    return CONTROL.sub("", value)


class CleanArgs(ImmutableMultiDict):
    """The query string's and the form's values, cleaned once as they are parsed. A name starting with "_" is
    no field of ours and is dropped: pages pass their query on to url_for, for which _scheme, _method,
    _external and _anchor mean something else (?_scheme=x was a 500)."""

    def __init__(self, mapping=None):
        pairs = MultiDict(mapping or ()).items(multi=True)
        super().__init__([(clean_text(k) if isinstance(k, str) else k,
                           clean_text(v) if isinstance(v, str) else v) for k, v in pairs
                          if not (isinstance(k, str) and k.startswith("_"))])


class CleanRequest(Request):
    parameter_storage_class = CleanArgs


class BoundedIntConverter(IntegerConverter):
    """<int:…> in a URL: beyond an INTEGER is no row of ours, so 404 instead of a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def bounded_int(value, low=1, high=MAX_ID) -> int | None:
    """An id from a query string: None when absent or not a number; out of range is None too (matches nothing)."""
    text = str(value or "").strip()
    if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 20:   # "²" is a digit to isdigit()
        return None
    number = int(text)
    return number if low <= number <= high else None


MOBILE = re.compile(r"1[3-9]\d{9}")


def normal_mobile(value: str | None) -> str | None:
    """A mainland mobile number as 11 digits (+86, spaces and dashes dropped); None when it is not one."""
    digits = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", value or ""))
    digits = digits.removeprefix("+86").removeprefix("0086")
    return digits if MOBILE.fullmatch(digits) else None


def ids_of(values) -> list[int]:
    """The ids among `values` (typed or ticked), in order, each once; what is no id is left out."""
    found = (bounded_int(value) for value in values)
    return list(dict.fromkeys(i for i in found if i is not None))


def page_number(args) -> int:
    """?page=: 1 when absent or not a number; 404 for a number no list has (0, negative, absurdly large)."""
    raw = (args.get("page") or "").strip()
    if not raw.lstrip("-").isdigit():
        return 1
    if len(raw) > 7 or not 1 <= int(raw) <= MAX_PAGE:
        abort(404)
    return int(raw)


def kept_args(args) -> dict:
    """The filters a list's pager carries to its other pages: every argument given, but the page."""
    return {k: v for k, v in args.items() if k != "page" and v}


def register(app):
    app.request_class = CleanRequest
    app.url_map.converters["int"] = BoundedIntConverter
