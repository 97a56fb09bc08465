"""The school calendar: the weekdays a school teaches and its holidays and breaks, which every
date the app proposes (revisits, plans, reminders) skips. Principals and administrators of the
school, district leaders and administrators of its district (and superusers) edit it, by hand or
from the district's iCalendar file (.ics); anybody else gets a 404 (coaching.access).

One page per school (``/schools/<slug>/calendar/``): its forms post back to it with an
``action`` (``weekdays``, ``add``, ``import``), so a refused form comes back on the page with its
errors next to its fields; removing a day off has its own confirmation page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from coaching.access import (
    calendar_schools_for,
    non_school_day_get_for_user,
    school_get_for_user,
)
from coaching.forms.school_calendar import CalendarImportForm, NonSchoolDayForm, WeekdaysForm
from core.forms import add_service_errors
from teachers import selectors
from teachers import services as school_services
from teachers.models import School
from teachers.school_days import weekdays_from


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


@require_GET
@login_required
def school_calendar_index(request: HttpRequest) -> HttpResponse:
    """The schools whose calendar the user edits; straight to it when there is one."""
    schools = list(
        calendar_schools_for(request.user)
        .select_related("district")
        .order_by("district__name", "name")
    )
    if not schools:
        raise Http404("No school calendar to edit.")
    if len(schools) == 1:
        return redirect("school_calendar", school_slug=schools[0].slug)
    rows = [
        (school, selectors.weekdays_as_written(weekdays_from(school.school_weekdays)))
        for school in schools
    ]
    return render(request, "coaching/school_calendar/index.html", {"rows": rows})


def _forms(school: School, bound: dict | None = None) -> dict:
    """The page's three forms, unbound but for the one posted (``bound``)."""
    forms = {
        "weekdays_form": WeekdaysForm(
            prefix="weekdays", initial={"weekdays": sorted(weekdays_from(school.school_weekdays))}
        ),
        "day_form": NonSchoolDayForm(prefix="day"),
        "import_form": CalendarImportForm(prefix="ics"),
    }
    forms.update(bound or {})
    return forms


def _set_weekdays(request: HttpRequest, school: School) -> dict | None:
    form = WeekdaysForm(request.POST, prefix="weekdays")
    if form.is_valid():
        weekdays = set(form.cleaned_data["weekdays"])
        if weekdays == set(weekdays_from(school.school_weekdays)):
            messages.info(request, "Nothing changed.")
            return None
        try:
            school_services.school_weekdays_set(school=school, weekdays=weekdays)
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"school_weekdays": "weekdays"})
        else:
            messages.success(
                request, f"School days are now {selectors.weekdays_as_written(weekdays)}."
            )
            return None
    return {"weekdays_form": form}


def _add_day(request: HttpRequest, school: School) -> dict | None:
    form = NonSchoolDayForm(request.POST, prefix="day")
    if form.is_valid():
        data = form.cleaned_data
        try:
            day = school_services.non_school_day_add(
                school=school,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                name=data["name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            out = selectors.school_days_out(school=school, first=day.starts_on, last=day.ends_on)
            messages.success(
                request,
                f"Added {day.name}, {selectors.dates_as_written(day.starts_on, day.ends_on)}: "
                f"{_plural(out, 'school day')} off.",
            )
            return None
    return {"day_form": form}


def _import(request: HttpRequest, school: School) -> dict | None:
    form = CalendarImportForm(request.POST, request.FILES, prefix="ics")
    if form.is_valid():
        try:
            result = school_services.school_calendar_import_ics(
                school=school, data=form.data_bytes()
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(request, f"Calendar imported: {result.summary}")
            return None
    return {"import_form": form}


ACTIONS = {"weekdays": _set_weekdays, "add": _add_day, "import": _import}


@require_http_methods(["GET", "POST"])
@login_required
def school_calendar(request: HttpRequest, school_slug: str) -> HttpResponse:
    school = school_get_for_user(user=request.user, school_slug=school_slug)
    bound: dict | None = None
    status = 200
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            messages.error(request, "Choose what to change: the school days, a day off or a file.")
            status = 400
        else:
            bound = action(request, school)
            if bound is None:
                return redirect("school_calendar", school_slug=school.slug)
            school.refresh_from_db()  # a refused change keeps the stored weekdays on the page
    context = {
        "calendar": selectors.school_calendar(school=school),
        "several": calendar_schools_for(request.user).count() > 1,
        **_forms(school, bound),
    }
    return render(request, "coaching/school_calendar/page.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def school_calendar_day_remove(request: HttpRequest, school_slug: str, day_id: int) -> HttpResponse:
    """Ask, then remove a holiday or break (POST). School days it closed are school days again."""
    school = school_get_for_user(user=request.user, school_slug=school_slug)
    day = non_school_day_get_for_user(user=request.user, school=school, day_id=day_id)
    dates = selectors.dates_as_written(day.starts_on, day.ends_on)
    if request.method == "POST":
        school_services.non_school_day_remove(non_school_day=day)
        messages.success(request, f"Removed {day.name}, {dates}.")
        return redirect("school_calendar", school_slug=school.slug)
    context = {"school": school, "day": day, "dates": dates}
    return render(request, "coaching/school_calendar/remove.html", context)
