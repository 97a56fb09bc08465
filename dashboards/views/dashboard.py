"""Caseload dashboards for principals and district leaders: the school dashboard, the district
view, the lists behind the figures, and a CSV of every table. Process figures only; the views
check the role, read the filters, call the selectors and render."""

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from coaching.access import LEADER_ROLES, page_scopes, schools_for
from coaching.models import CycleState, NeedArea, Outcome
from coaching.views.home import _require_role
from core.csv_export import csv_response
from core.page_cache import versioned_page
from dashboards import selectors
from dashboards.forms.dashboard import DashboardFilterForm
from dashboards.selectors import (
    DASHBOARD_LISTS,
    DIRECT_TARGET_PCT,
    CoachFigures,
    DashboardFilters,
    SchoolFigures,
)
from teachers.models import COACH_HOURS_PER_MONTH_DEFAULT, Role

LEADERS = (Role.PRINCIPAL, Role.DISTRICT_LEADER, Role.ADMINISTRATOR)
STATE_LABELS = dict(CycleState.choices)
NEED_LABELS = dict(NeedArea.choices)
OUTCOME_LABELS = dict(Outcome.choices)


# --- Filters ---------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[DashboardFilterForm, DashboardFilters]:
    """The filter form and the filters it gives (the default period while it has errors)."""
    defaults = selectors.dashboard_filters(user=request.user)
    # Fill a missing start from a given end the selector's way (the default length before it).
    filled = selectors.dashboard_filters(
        user=request.user, params=request.GET, today=defaults.period_end
    )
    form = DashboardFilterForm(
        {**request.GET.dict(), "start": request.GET.get("start") or str(filled.period_start)},
        coaches=selectors.dashboard_coaches(user=request.user),
        defaults=defaults,
    )
    return form, form.filters()


def _filter_query(filters: DashboardFilters) -> str:
    """The filters as a query string without the coach (each link adds its own)."""
    params = {"start": filters.period_start.isoformat(), "end": filters.period_end.isoformat()}
    if filters.need_area:
        params["need_area"] = filters.need_area
    return urlencode(params)


def _csv_query(filters: DashboardFilters, **extra: str) -> str:
    """The query string of a page's CSV download: its filters, the coach included."""
    query = _filter_query(filters)
    if filters.coach_id:
        query += f"&coach={filters.coach_id}"
    return query + "&" + urlencode({"format": "csv", **extra})


def _period_name(filters: DashboardFilters) -> str:
    return f"{filters.period_start.isoformat()}-to-{filters.period_end.isoformat()}"


# --- Figures as table cells and CSV rows --------------------------------------------------------


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _hours(minutes: float | None) -> Decimal | None:
    """Minutes as hours to a tenth (half up, as core.formatting.hours on the page), a number
    for a CSV cell."""
    if minutes is None:
        return None
    return (Decimal(str(minutes)) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


CSV_FIGURES_HEADER = [
    "Caseload",
    "Open cycles",
    "Active cycles",
    "Closed in period",
    *(f"Closed: {label}" for label in Outcome.labels),
    "Moves mastered",
    "Teachers on caseload at period end",
    "Teachers seen in the last 4 school weeks",
    "Cadence kept (%)",
    "Overdue revisits",
    "Oldest overdue revisit (school days)",
    *(f"Open cycles: {label}" for label in NeedArea.labels),
    "Observations with sweeps before and after",
    "Engagement change (percentage points)",
    "Hours logged",
    "Direct hours",
    "Direct share (%)",
    f"Direct share against the {DIRECT_TARGET_PCT[0]}-{DIRECT_TARGET_PCT[1]}% target",
    "Completed cycles with logged time",
    "Hours per completed cycle",
    "Hours needed a month",
    "Hours available a month",
    "Overloaded",
]


def _figures_cells(c: CoachFigures, *, capacity: tuple | None) -> list:
    """One CSV row's figures; ``capacity``: (hours needed, hours available, overloaded)."""
    return [
        c.caseload,
        c.open_cycles,
        c.active_cycles,
        c.closed_total,
        *(c.closed.get(o, 0) for o in Outcome.values),
        c.moves_mastered,
        c.cadence_caseload,
        c.cadence_touched,
        c.cadence_pct,
        c.overdue_revisits,
        "" if c.overdue_oldest_school_days is None else c.overdue_oldest_school_days,
        *(n for _, _, n in c.need_area_mix),
        c.engagement_observations,
        _round(c.engagement_change),
        _hours(c.minutes_total),
        _hours(c.minutes_direct),
        c.direct_pct,
        c.direct_status or "",
        c.completed_cycles_timed,
        _hours(c.minutes_per_completed_cycle),
        *(capacity or ("", "", "")),
    ]


def _row(c: CoachFigures) -> dict:
    """A table row: the figures and the teachers off cadence at the period's end."""
    return {"c": c, "off": c.cadence_caseload - c.cadence_touched}


def _school_capacity(sf: SchoolFigures) -> tuple:
    return (sf.hours_needed, sf.hours_available, len(sf.overloaded_coaches))


# --- Charts ------------------------------------------------------------------------------------


def _school_charts(sf: SchoolFigures, plots: dict) -> list[dict]:
    """The four plots of one school as specs for static/js/dashboard_charts.js, each with the
    id of its json_script and a text for its aria-label."""
    sid = sf.school.id
    mine = {
        key: [r for r in plots[key] if r["school_id"] == sid]
        for key in ("cadence", "time", "need_area_mix", "engagement")
    }
    coaches = [r for r in mine["time"] if r["coach_id"] is not None]
    totals = next((r for r in mine["need_area_mix"] if r["coach_id"] is None), None)
    need = [r for r in mine["need_area_mix"] if r["coach_id"] is not None]
    name = sf.school.name
    return [
        {
            "id": f"chart-cadence-{sid}",
            "title": "Teachers seen in the last 4 school weeks, week by week",
            "label": f"Line chart of the share of each coach's teachers seen in the 4 school "
            f"weeks before each week's end, at {name}. The table gives the figures.",
            "spec": {
                "type": "line",
                "labels": plots["week_labels"],
                "datasets": [{"label": r["coach"], "data": r["pct"]} for r in mine["cadence"]],
                "unit": "%",
                "min": 0,
                "max": 100,
            },
        },
        {
            "id": f"chart-time-{sid}",
            "title": "Time allocation (hours logged in the period)",
            "label": f"Stacked bar chart of the hours each coach at {name} logged in the period "
            "by category. The table gives the direct share of each coach.",
            "spec": {
                "type": "bar",
                "stacked": True,
                "labels": [r["coach"] for r in coaches],
                "datasets": [
                    {
                        "label": category["label"],
                        "data": [round(r["minutes"][i] / 60, 1) for r in coaches],
                    }
                    for i, category in enumerate(plots["categories"])
                ],
                "unit": "h",
            },
        },
        {
            "id": f"chart-need-{sid}",
            "title": "Open cycles by need area",
            "label": f"Stacked bar chart of each coach's open cycles at {name} by need area: "
            + ", ".join(
                f"{area['label']} {n}"
                for area, n in zip(
                    plots["need_areas"], totals["open_cycles"] if totals else [], strict=False
                )
            )
            + " in all. The table gives each coach's.",
            "spec": {
                "type": "bar",
                "stacked": True,
                "labels": [r["coach"] for r in need],
                "datasets": [
                    {"label": area["label"], "data": [r["open_cycles"][i] for r in need]}
                    for i, area in enumerate(plots["need_areas"])
                ],
                "unit": "",
            },
        },
        {
            "id": f"chart-engagement-{sid}",
            "title": "More students engaged after the move (per 100 students)",
            "label": f"Bar chart of how many more students in every 100 were engaged after "
            f"the move than before it, on average per coach at {name}. The table gives the "
            "figures.",
            "spec": {
                "type": "bar",
                "labels": [r["coach"] for r in mine["engagement"]],
                "datasets": [
                    {
                        "label": "More engaged per 100 students",
                        "data": [r["change_points"] for r in mine["engagement"]],
                    }
                ],
                "unit": "in 100",
            },
        },
    ]


# --- Pages -------------------------------------------------------------------------------------


@require_GET
@versioned_page(page_scopes)
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Per school: every figure per coach with totals, the plots, and the filter bar.
    ``?format=csv``: the coach figures of every school."""
    _require_role(request, *LEADERS)
    form, filters = _filters(request)
    schools = selectors.school_dashboard(user=request.user, filters=filters)
    if request.GET.get("format") == "csv":
        rows = []
        for sf in schools:
            for c in sf.coaches:
                cap = c.capacity
                capacity = (cap.hours_needed, cap.hours_available, cap.overloaded)
                rows.append(
                    [sf.school.name, c.coach.display_name, *_figures_cells(c, capacity=capacity)]
                )
            rows.append(
                [
                    sf.school.name,
                    "All coaches",
                    *_figures_cells(sf.totals, capacity=_school_capacity(sf)),
                ]
            )
        return csv_response(
            filename=f"dashboard-{_period_name(filters)}",
            header=["School", "Coach", *CSV_FIGURES_HEADER],
            rows=rows,
        )
    plots = selectors.dashboard_plot_data(schools=schools)
    components = selectors.dashboard_component_counts(
        schools=[sf.school for sf in schools], filters=filters
    )
    context = {
        "schools": schools,
        "summary": selectors.dashboard_summary(schools=schools),
        "sections": [
            {
                "sf": sf,
                "rows": [_row(c) for c in sf.coaches],
                "totals": _row(sf.totals),
                "charts": _school_charts(sf, plots),
                "components": components.get(sf.school.id),
            }
            for sf in schools
        ],
        "form": form,
        "filters": filters,
        "filter_query": _filter_query(filters),
        "csv_query": _csv_query(filters),
        "direct_target": DIRECT_TARGET_PCT,
    }
    return render(request, "dashboards/dashboard.html", context)


@require_GET
@versioned_page(page_scopes)
@login_required
def district_dashboard(request: HttpRequest) -> HttpResponse:
    """The schools the user leads side by side, and caseload size against outcomes per coach.
    A principal sees their own school(s) only (the selector's scope). ``?format=csv`` gives
    the schools table, ``&table=points`` the coaches' points."""
    _require_role(request, *LEADERS)
    form, filters = _filters(request)
    district = selectors.district_dashboard(user=request.user, filters=filters)
    fmt, table = request.GET.get("format"), request.GET.get("table")
    if fmt == "csv" and table == "points":
        return csv_response(
            filename=f"district-caseload-outcomes-{_period_name(filters)}",
            header=[
                "School",
                "Coach",
                "Caseload",
                "Closed in period",
                "Mastered or progressing (%)",
                "Cadence kept (%)",
            ],
            rows=[
                [
                    p.school,
                    p.coach,
                    p.caseload,
                    p.closed,
                    _pct(p.progressed_share),
                    _pct(p.cadence_kept),
                ]
                for p in district.points
            ],
        )
    if fmt == "csv":
        return csv_response(
            filename=f"district-schools-{_period_name(filters)}",
            header=["School", "Coaches", *CSV_FIGURES_HEADER],
            rows=[
                [
                    sf.school.name,
                    len(sf.coaches),
                    *_figures_cells(sf.totals, capacity=_school_capacity(sf)),
                ]
                for sf in district.schools
            ],
        )
    points = [p for p in district.points if p.progressed_share is not None]
    scatter = {
        "type": "scatter",
        "datasets": [
            {
                "label": "Coaches",
                "data": [
                    {
                        "x": p.caseload,
                        "y": _pct(p.progressed_share),
                        "label": f"{p.coach} ({p.school})",
                    }
                    for p in points
                ],
            }
        ],
        "unit": "%",
        "min": 0,
        "max": 100,
        "x_label": "Teachers on the caseload",
        "y_label": "Closed cycles mastered or progressing",
    }
    correlation = district.caseload_outcome_correlation
    everyone = [c for sf in district.schools for c in sf.coaches]
    all_schools = SchoolFigures(
        school=None,
        coaches=everyone,
        states={},
        weeks=district.schools[0].weeks if district.schools else [],
    )
    component_tables = selectors.component_table_totals(
        selectors.dashboard_component_counts(
            schools=[sf.school for sf in district.schools], filters=filters
        )
    )
    context = {
        "district": district,
        "summary": selectors.dashboard_summary(schools=district.schools),
        "component_tables": component_tables,
        "rows": [{"sf": sf, **_row(sf.totals)} for sf in district.schools],
        "all_totals": {
            "c": all_schools.totals,
            "minutes_needed": all_schools.minutes_needed,
            "minutes_available": all_schools.minutes_available,
        }
        if len(district.schools) > 1
        else None,
        "points": district.points,
        "plotted": len(points),
        "scatter": scatter,
        "correlation": None if correlation is None else round(correlation, 2),
        "form": form,
        "filters": filters,
        "filter_query": _filter_query(filters),
        "csv_query": _csv_query(filters),
        "points_csv_query": _csv_query(filters, table="points"),
        "direct_target": DIRECT_TARGET_PCT,
    }
    return render(request, "dashboards/district.html", context)


def _pct(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


@require_GET
@login_required
def dashboard_list(request: HttpRequest) -> HttpResponse:
    """The rows behind one figure: ``?school=ID&figure=KEY`` and the dashboard's filters.
    Process fields only; a link to the cycle only where the user may read it. A school outside
    the user's scope or an unknown figure: 404."""
    _require_role(request, *LEADERS)
    school_id, figure = request.GET.get("school", ""), request.GET.get("figure", "")
    if not school_id.isdigit() or figure not in DASHBOARD_LISTS:
        raise Http404("No such list.")
    school = get_object_or_404(schools_for(request.user, LEADER_ROLES), pk=int(school_id))
    form, filters = _filters(request)
    rows = [
        {
            "row": r,
            "state": STATE_LABELS.get(r.state, ""),
            "need_area": NEED_LABELS.get(r.need_area, ""),
            "outcome": OUTCOME_LABELS.get(r.outcome, ""),
        }
        for r in selectors.dashboard_list(
            user=request.user, school_id=school.id, figure=figure, filters=filters
        )
    ]
    if request.GET.get("format") == "csv":
        return csv_response(
            filename=f"{figure}-{school.name}-{_period_name(filters)}",
            header=[
                "Teacher",
                "Coach",
                "Cycle state",
                "Need area",
                "Outcome",
                "Opened",
                "Closed",
                "Revisit due",
                "Last touch",
                "School days overdue",
                "Reason for the revisit date",
            ],
            rows=[
                [
                    d["row"].teacher,
                    d["row"].coach,
                    d["state"],
                    d["need_area"],
                    d["outcome"],
                    d["row"].opened_on,
                    d["row"].closed_on,
                    d["row"].revisit_due_on,
                    d["row"].last_touch,
                    d["row"].school_days_overdue,
                    d["row"].revisit_off_rule_reason,
                ]
                for d in rows
            ],
        )
    coach = (
        next((c for c in form.fields["coach"].queryset if c.pk == filters.coach_id), None)
        if filters.coach_id
        else None
    )
    query = request.GET.copy()
    query["format"] = "csv"
    context = {
        "school": school,
        "figure": figure,
        "title": DASHBOARD_LISTS[figure],
        "rows": rows,
        "form": form,
        "filters": filters,
        "coach": coach,
        "filter_query": _filter_query(filters),
        "csv_query": query.urlencode(),
        "hidden": [("school", school.id), ("figure", figure)],
        "need_label": NEED_LABELS.get(filters.need_area or "", ""),
        "uses_period": figure in ("closed", "mastered", "off_cadence"),
        "shows_touch": figure in ("caseload", "off_cadence"),
        "shows_due": figure == "overdue_revisits",
        "shows_closed": figure in ("closed", "mastered"),
    }
    return render(request, "dashboards/list.html", context)


@require_GET
@login_required
def dashboard_help(request: HttpRequest) -> HttpResponse:
    """ "About these figures": what each dashboard figure means, how it is worked out and the
    research behind its defaults (the citations live here, not on the dashboards)."""
    _require_role(request, *LEADERS)
    context = {
        "direct_target": DIRECT_TARGET_PCT,
        "cadence_school_days": selectors.CADENCE_SCHOOL_DAYS,
        "own_min_cycles": selectors.CAPACITY_OWN_MIN_CYCLES,
        "lookback_days": selectors.CAPACITY_LOOKBACK_DAYS,
        "hours_default": COACH_HOURS_PER_MONTH_DEFAULT,
    }
    return render(request, "dashboards/help.html", context)
