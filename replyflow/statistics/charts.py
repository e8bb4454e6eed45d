"""ECharts options for the statistics page, built here from the figures: the page's script only draws them."""
from ..vocab import RATINGS
from .figures import Figures

RED, COLORS = "#c00000", ["#c00000", "#2f6fb3", "#e8a33d", "#5b9a68", "#8e6bb8", "#8c8c8c", "#d9736b", "#46a4b8"]
#: departments shown by name in the bar charts; the table lists them all
TOP = 15


def _base(**option):
    return {"color": COLORS, "tooltip": {"trigger": "axis" if "xAxis" in option else "item"},
            "grid": {"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": True}, **option}


def _pie(name, pairs):
    """A ring of the non-zero parts; None when all are zero (the page says 无 in the table instead)."""
    if not any(value for _, value in pairs):
        return None
    return _base(legend={"bottom": 0, "type": "scroll"}, series=[{
        "name": name, "type": "pie", "radius": ["35%", "62%"], "center": ["50%", "44%"],
        "label": {"formatter": "{b}\n{c}（{d}%）"},
        "data": [{"name": label, "value": value} for label, value in pairs if value]}])


def _bars(names, series, percent=False, horizontal=True):
    category = {"type": "category", "data": names, "axisLabel": {"width": 150, "overflow": "truncate"}}
    value = {"type": "value", **({"max": 100, "axisLabel": {"formatter": "{value}%"}} if percent else {})}
    if horizontal:
        category["inverse"] = True
    return _base(legend={"top": 0}, xAxis=value if horizontal else category, yAxis=category if horizontal else value,
                 series=[{"type": "bar", "name": label, "data": data, "barMaxWidth": 18} for label, data in series])


def options(f: Figures) -> dict:
    """{chart id: ECharts option} for every chart of the page."""
    departments = f.departments[:TOP]
    names = [d.name for d in departments]
    charts = {
        "states": _pie("状态", [(label, n) for _, label, n in f.states]),
        "departments": _bars(names, [("交办件数", [d.assigned for d in departments]),
                                     ("已答复", [d.answered for d in departments]),
                                     ("现超期", [d.overdue for d in departments])]),
        "rates": _bars(names, [("按时办复率", [d.on_time_rate for d in departments]),
                               ("满意率", [d.rating_rate("satisfied") for d in departments]),
                               ("见面率", [d.contact_rate for d in departments])], percent=True),
        "classes": _pie("答复类别", [(f"{code}类", f.total.classes.get(code, 0)) for code in f.classes]),
        "ratings": _pie("办理结果评价", [(label, f.total.ratings.get(code, 0)) for code, label in RATINGS.items()]),
        "categories": _bars([c for c, _, _ in f.categories], [("件数", [n for _, n, _ in f.categories]),
                                                             ("已答复", [a for _, _, a in f.categories])]),
        "affiliations": _bars([a for a, _ in f.affiliations[:TOP]], [("件数", [n for _, n in f.affiliations[:TOP]])]),
        "weeks": _base(legend={"top": 0}, xAxis={"type": "category", "data": [f"{m.month}/{m.day}" for m, _, _ in f.weeks]},
                       yAxis={"type": "value", "minInterval": 1},
                       series=[{"type": "bar", "name": "答复件数", "data": [a for _, a, _ in f.weeks]},
                               {"type": "line", "name": "到期件数", "data": [d for _, _, d in f.weeks]}]),
    }
    if f.sittings:
        names = [s.name for s in f.sittings]
        charts["sittings"] = _bars(names, [("件数", [s.cases for s in f.sittings]),
                                           ("已答复", [s.answered for s in f.sittings])])
        charts["sitting_rates"] = _bars(names, [("按时办复率", [s.work.on_time_rate for s in f.sittings]),
                                                ("满意率", [s.work.rating_rate("satisfied") for s in f.sittings])],
                                        percent=True)
    return {key: option for key, option in charts.items() if option is not None}
