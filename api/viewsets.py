"""The JSON API at /api/v1/: thin views over coaching.access (what a user may see or change)
and the services (every write).

Per resource, which methods exist and who may use them:

| resource | read (GET) | write |
| --- | --- | --- |
| schools | the schools where the user holds a role | - |
| teachers | VIEW scope; the profile only to their coach | - |
| cycles | VIEW scope; ``content`` only with READ | coach: POST (start), POST close |
| agreed-moves | READ scope (content as a whole) | coach: POST (agree) |
| observations | VIEW scope; ``content`` only with READ | coach: POST (schedule), start, |
| | | finish, notes, sweeps, evidence |
| revisits | VIEW scope; ``content`` only with READ | coach: reschedule, complete |
| time-entries | a coach's own, not archived | coach: POST (log), PATCH (correct), archive |

A row outside the user's scope is a 404, never a 403 (nobody learns it exists); a write by a
user who is no coach is a 403 before any row is looked up. Nothing is ever deleted (README
"Audit history"): there is no DELETE; a time entry is archived by its action.
"""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from api import serializers as s
from coaching import services
from coaching.access import (
    CHANGE,
    READ,
    VIEW,
    agreed_moves_for,
    cycles_for,
    observations_for,
    revisits_for,
    schools_for,
    teachers_for,
    time_entries_for,
)
from coaching.models import OPEN_STATES, CycleState, Move, RevisitStatus
from observations import services as observation_services
from teachers.models import Role
from teachers.selectors import user_roles, user_time_zone

NOT_A_COACH = "Only coaches change coaching records through the API."
NOT_STARTED = "Start the observation before adding entries."


class CoachWrites(BasePermission):
    """Reading is for any signed-in user (within their scope); writing for coaches."""

    message = NOT_A_COACH

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "action", None) is None:
            return True  # a method the route does not take: 405 for everybody, not 403
        user = request.user
        return user.is_superuser or Role.COACH in user_roles(user=user)


def _service_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError in DRF's shape: {"field": ["message"]}."""
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if name == "__all__" else name): [str(m) for m in messages]
            for name, messages in exc.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def call_service(service, /, **kwargs):
    """Run a write; its ValidationError is a 400 with field errors, and nothing is saved."""
    try:
        with transaction.atomic():
            return service(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(_service_errors(exc)) from exc


# Ids are 64-bit: a larger number matches no row (and the database would refuse to compare it).
MAX_ID = 2**63 - 1


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        raise ValidationError({name: ["Give a whole number."]}) from None
    if not 0 <= number <= MAX_ID:
        raise ValidationError({name: ["No such id."]})
    return number


def _date_param(request: Request, name: str) -> datetime.date | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: ["Give a date as YYYY-MM-DD."]}) from None


def _filter(qs: QuerySet, request: Request, params: dict[str, str]) -> QuerySet:
    """Narrow ``qs`` by the integer query parameters given (name -> ORM lookup)."""
    for name, lookup in params.items():
        value = _int_param(request, name)
        if value is not None:
            qs = qs.filter(**{lookup: value})
    return qs


def _params(*names: tuple[str, type, str]) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            name, OpenApiTypes.INT if kind is int else OpenApiTypes.DATE, description=d
        )
        for name, kind, d in names
    ]


SCHOOL = ("school", int, "Only rows of this school.")
TEACHER = ("teacher", int, "Only rows of this teacher.")
CYCLE = ("cycle", int, "Only rows of this cycle.")
DATE_FROM = ("date_from", datetime.date, "From this day on (YYYY-MM-DD).")
DATE_TO = ("date_to", datetime.date, "Up to this day (YYYY-MM-DD).")


class ApiViewSet(GenericViewSet):
    permission_classes = [IsAuthenticated, CoachWrites]
    lookup_value_converter = "int"
    # Actions that write look the row up in the CHANGE scope (404 outside it).
    write_actions: frozenset[str] = frozenset()

    def initial(self, request, *args, **kwargs):
        """After authentication, the school time zone, as SchoolTimeZoneMiddleware gives pages:
        a token is read inside the view, so the middleware saw an anonymous request and left
        UTC. "Today", default dates and the date filters are then the school's (the
        middleware deactivates the zone when the response leaves)."""
        super().initial(request, *args, **kwargs)
        by_session = isinstance(request.successful_authenticator, SessionAuthentication)
        if request.user.is_authenticated and not by_session:
            name = user_time_zone(user=request.user)
            if name:
                timezone.activate(zoneinfo.ZoneInfo(name))

    def get_object(self):
        if not 0 <= self.kwargs[self.lookup_url_kwarg] <= MAX_ID:
            raise Http404("No such row.")
        return super().get_object()

    def scope(self) -> str:
        return CHANGE if self.action in self.write_actions else VIEW

    def respond(self, instance, serializer_class=None, status_code=status.HTTP_200_OK):
        """The row as a reader sees it (re-read through the list's queryset)."""
        serializer_class = serializer_class or self.serializer_class
        if serializer_class is self.serializer_class:
            instance = self.read_queryset().get(pk=instance.pk)
        return Response(
            serializer_class(instance, context=self.get_serializer_context()).data,
            status=status_code,
        )

    def read_queryset(self) -> QuerySet:
        action, self.action = self.action, "retrieve"
        try:
            return self.get_queryset()
        finally:
            self.action = action


# --- Schools and teachers ------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Schools where you hold a role"),
    retrieve=extend_schema(summary="One school"),
)
class SchoolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.SchoolSerializer
    lookup_url_kwarg = "school_id"

    def get_queryset(self):
        return schools_for(self.request.user).select_related("district").order_by("name", "id")


@extend_schema_view(
    list=extend_schema(summary="Teachers you may see", parameters=_params(SCHOOL)),
    retrieve=extend_schema(summary="One teacher"),
)
class TeacherViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.TeacherSerializer
    lookup_url_kwarg = "teacher_id"

    def get_queryset(self):
        user = self.request.user
        changeable = teachers_for(user, CHANGE).filter(pk=OuterRef("pk"))
        qs = (
            teachers_for(user, VIEW)
            .select_related("school")
            .annotate(may_change=Exists(changeable))
            .order_by("last_name", "first_name", "id")
        )
        if self.action == "list":
            qs = _filter(qs, self.request, {"school": "school_id"})
        return qs


# --- Cycles --------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Coaching cycles you may see",
        parameters=[
            *_params(SCHOOL, TEACHER, DATE_FROM, DATE_TO),
            OpenApiParameter("state", str, enum=CycleState.values, description="Only this state."),
        ],
        description="``date_from``/``date_to`` bound the day the cycle opened.",
    ),
    retrieve=extend_schema(summary="One coaching cycle"),
)
class CycleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.CycleSerializer
    lookup_url_kwarg = "cycle_id"
    write_actions = frozenset({"close"})

    def get_queryset(self):
        user = self.request.user
        readable = cycles_for(user, READ).filter(pk=OuterRef("pk"))
        qs = (
            cycles_for(user, self.scope())
            .select_related("teacher", "coach", "assessment", "persistent_problem")
            .annotate(may_read=Exists(readable))
            .order_by("-opened_on", "-id")
        )
        if self.action == "list":
            request = self.request
            qs = _filter(qs, request, {"school": "teacher__school_id", "teacher": "teacher_id"})
            if (state := request.query_params.get("state")) is not None:
                if state not in CycleState.values:
                    raise ValidationError({"state": [f"Choose one of {', '.join(CycleState)}."]})
                qs = qs.filter(state=state)
            if (day := _date_param(request, "date_from")) is not None:
                qs = qs.filter(opened_on__gte=day)
            if (day := _date_param(request, "date_to")) is not None:
                qs = qs.filter(opened_on__lte=day)
        return qs

    @extend_schema(
        summary="Start a cycle from an assessment (coaches)",
        request=s.CycleStartSerializer,
        responses={201: s.CycleSerializer},
    )
    def create(self, request: Request) -> Response:
        data = s.CycleStartSerializer(
            data=request.data, teachers=teachers_for(request.user, CHANGE)
        )
        data.is_valid(raise_exception=True)
        cycle = call_service(services.cycle_start, coach=request.user, **data.validated_data)
        return self.respond(cycle, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Close the cycle with its outcome (coaches)",
        request=s.CycleCloseSerializer,
        responses={200: s.CycleSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, cycle_id: int) -> Response:
        cycle = self.get_object()
        data = s.CycleCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cycle = call_service(services.cycle_close, cycle=cycle, **data.validated_data)
        return self.respond(cycle)


# --- Agreed moves --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Agreed moves of the cycles you may read",
        parameters=_params(SCHOOL, TEACHER, CYCLE),
    ),
    retrieve=extend_schema(summary="One agreed move"),
)
class AgreedMoveViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.AgreedMoveSerializer
    lookup_url_kwarg = "agreed_move_id"

    def get_queryset(self):
        qs = (
            agreed_moves_for(self.request.user, READ)
            .select_related("move", "cycle")
            .order_by("-due_on", "-id")
        )
        if self.action == "list":
            qs = _filter(
                qs,
                self.request,
                {
                    "school": "cycle__teacher__school_id",
                    "teacher": "cycle__teacher_id",
                    "cycle": "cycle_id",
                },
            )
        return qs

    @extend_schema(
        summary="Agree on the ONE move of a cycle (coaches)",
        description="While the cycle is planned, agreeing again replaces the move; afterwards "
        "it is fixed.",
        request=s.AgreedMoveSetSerializer,
        responses={201: s.AgreedMoveSerializer},
    )
    def create(self, request: Request) -> Response:
        data = s.AgreedMoveSetSerializer(
            data=request.data,
            cycles=cycles_for(request.user, CHANGE).select_related("assessment"),
            moves=Move.objects.filter(is_active=True),
        )
        data.is_valid(raise_exception=True)
        agreed = call_service(services.agreed_move_set, **data.validated_data)
        return self.respond(agreed, status_code=status.HTTP_201_CREATED)


# --- Observations --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Observations you may see",
        parameters=_params(SCHOOL, TEACHER, CYCLE, DATE_FROM, DATE_TO),
        description="``date_from``/``date_to`` bound the day of the visit (started, else "
        "scheduled), in your school's time zone.",
    ),
    retrieve=extend_schema(summary="One observation"),
)
class ObservationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.ObservationSerializer
    lookup_url_kwarg = "observation_id"
    write_actions = frozenset({"start", "finish", "notes", "sweeps", "evidence"})

    def get_queryset(self):
        user = self.request.user
        readable = observations_for(user, READ).filter(pk=OuterRef("pk"))
        qs = (
            observations_for(user, self.scope())
            .select_related("teacher", "cycle")
            .prefetch_related("notes", "engagement_samples", "student_evidence")
            .annotate(may_read=Exists(readable))
            .order_by("-started_at", "-scheduled_for", "-id")
        )
        if self.action == "list":
            request = self.request
            qs = _filter(
                qs,
                request,
                {"school": "teacher__school_id", "teacher": "teacher_id", "cycle": "cycle_id"},
            )
            if (day := _date_param(request, "date_from")) is not None:
                qs = qs.filter(
                    Q(started_at__date__gte=day)
                    | Q(started_at__isnull=True, scheduled_for__date__gte=day)
                )
            if (day := _date_param(request, "date_to")) is not None:
                qs = qs.filter(
                    Q(started_at__date__lte=day)
                    | Q(started_at__isnull=True, scheduled_for__date__lte=day)
                )
        return qs

    @extend_schema(
        summary="Schedule a classroom visit in a cycle (coaches)",
        request=s.ObservationScheduleSerializer,
        responses={201: s.ObservationSerializer},
    )
    def create(self, request: Request) -> Response:
        data = s.ObservationScheduleSerializer(
            data=request.data, cycles=cycles_for(request.user, CHANGE).select_related("teacher")
        )
        data.is_valid(raise_exception=True)
        observation = call_service(services.cycle_schedule_observation, **data.validated_data)
        return self.respond(observation, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start the visit (coaches)",
        request=None,
        responses={200: s.ObservationSerializer},
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, observation_id: int) -> Response:
        observation = call_service(services.cycle_observation_start, observation=self.get_object())
        return self.respond(observation)

    @extend_schema(
        summary="End the visit; its length counts as observation time (coaches)",
        request=s.ObservationFinishSerializer,
        responses={200: s.ObservationSerializer},
    )
    @action(detail=True, methods=["post"])
    def finish(self, request: Request, observation_id: int) -> Response:
        observation = self.get_object()
        data = s.ObservationFinishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ended_at = data.validated_data["ended_at"]
        if ended_at is not None and observation.started_at and ended_at < observation.started_at:
            raise ValidationError({"ended_at": ["A visit cannot end before it started."]})
        observation = call_service(
            services.cycle_observation_finish, observation=observation, ended_at=ended_at
        )
        return self.respond(observation)

    def _add_entry(self, request: Request, serializer_class, add, out):
        observation = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        if observation.started_at is None:
            raise ValidationError({"non_field_errors": [NOT_STARTED]})
        entry = call_service(add, observation=observation, **data.validated_data)
        return Response(out(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add a timestamped note to a started visit (coaches)",
        request=s.NoteAddSerializer,
        responses={201: s.NoteSerializer},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, observation_id: int) -> Response:
        return self._add_entry(
            request,
            s.NoteAddSerializer,
            observation_services.observation_add_note,
            s.NoteSerializer,
        )

    @extend_schema(
        summary="Add an engagement sweep to a started visit (coaches)",
        request=s.SweepAddSerializer,
        responses={201: s.SweepSerializer},
    )
    @action(detail=True, methods=["post"])
    def sweeps(self, request: Request, observation_id: int) -> Response:
        return self._add_entry(
            request,
            s.SweepAddSerializer,
            observation_services.observation_add_sweep,
            s.SweepSerializer,
        )

    @extend_schema(
        summary="Add student evidence to a started visit (coaches)",
        request=s.EvidenceAddSerializer,
        responses={201: s.EvidenceSerializer},
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request: Request, observation_id: int) -> Response:
        return self._add_entry(
            request,
            s.EvidenceAddSerializer,
            observation_services.observation_add_evidence,
            s.EvidenceSerializer,
        )


# --- Revisits ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Revisits of the cycles you may see",
        parameters=[
            *_params(SCHOOL, TEACHER, CYCLE, DATE_FROM, DATE_TO),
            OpenApiParameter(
                "status", str, enum=RevisitStatus.values, description="Only this status."
            ),
        ],
        description="``date_from``/``date_to`` bound the due date.",
    ),
    retrieve=extend_schema(summary="One revisit"),
)
class RevisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.RevisitSerializer
    lookup_url_kwarg = "revisit_id"
    write_actions = frozenset({"reschedule", "complete"})

    def get_queryset(self):
        user = self.request.user
        readable = cycles_for(user, READ).filter(pk=OuterRef("cycle_id"))
        qs = (
            revisits_for(user, self.scope())
            .select_related("cycle")
            .annotate(may_read=Exists(readable))
            .order_by("due_on", "id")
        )
        if self.action == "list":
            request = self.request
            qs = _filter(
                qs,
                request,
                {
                    "school": "cycle__teacher__school_id",
                    "teacher": "cycle__teacher_id",
                    "cycle": "cycle_id",
                },
            )
            if (state := request.query_params.get("status")) is not None:
                if state not in RevisitStatus.values:
                    raise ValidationError(
                        {"status": [f"Choose one of {', '.join(RevisitStatus)}."]}
                    )
                qs = qs.filter(status=state)
            if (day := _date_param(request, "date_from")) is not None:
                qs = qs.filter(due_on__gte=day)
            if (day := _date_param(request, "date_to")) is not None:
                qs = qs.filter(due_on__lte=day)
        return qs

    @extend_schema(
        summary="Move a scheduled revisit to another day (coaches)",
        request=s.RevisitMoveSerializer,
        responses={200: s.RevisitSerializer},
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, revisit_id: int) -> Response:
        revisit = self.get_object()
        data = s.RevisitMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revisit = call_service(services.revisit_reschedule, revisit=revisit, **data.validated_data)
        return self.respond(revisit)

    @extend_schema(
        summary="Mark a scheduled revisit done (coaches)",
        request=s.RevisitCompleteSerializer,
        responses={200: s.RevisitSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, revisit_id: int) -> Response:
        revisit = self.get_object()
        data = s.RevisitCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        completed_on = data.validated_data["completed_on"]
        if completed_on is not None and completed_on > timezone.localdate():
            raise ValidationError({"completed_on": ["A revisit cannot be done in the future."]})
        revisit = call_service(
            services.revisit_complete, revisit=revisit, completed_on=completed_on
        )
        return self.respond(revisit)


# --- Time entries --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Your own time entries (coaches)",
        parameters=_params(SCHOOL, CYCLE, DATE_FROM, DATE_TO),
    ),
    retrieve=extend_schema(summary="One of your time entries"),
)
class TimeEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.TimeEntrySerializer
    lookup_url_kwarg = "entry_id"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = time_entries_for(self.request.user, CHANGE).order_by("-entry_date", "-id")
        if self.action == "list":
            request = self.request
            qs = _filter(qs, request, {"school": "school_id", "cycle": "cycle_id"})
            if (day := _date_param(request, "date_from")) is not None:
                qs = qs.filter(entry_date__gte=day)
            if (day := _date_param(request, "date_to")) is not None:
                qs = qs.filter(entry_date__lte=day)
        return qs

    def _open_cycles(self):
        return cycles_for(self.request.user, CHANGE).filter(state__in=OPEN_STATES)

    @extend_schema(
        summary="Log minutes (coaches)",
        request=s.TimeEntryLogSerializer,
        responses={201: s.TimeEntrySerializer},
    )
    def create(self, request: Request) -> Response:
        data = s.TimeEntryLogSerializer(
            data=request.data,
            schools=schools_for(request.user, (Role.COACH,)),
            cycles=self._open_cycles().select_related("teacher"),
        )
        data.is_valid(raise_exception=True)
        entry = call_service(services.time_entry_log, coach=request.user, **data.validated_data)
        return self.respond(entry, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct one of your manual entries (coaches)",
        description="History keeps the earlier values. Entries a session or an observation "
        "logged are corrected there (400 here).",
        request=s.TimeEntryCorrectSerializer,
        responses={200: s.TimeEntrySerializer},
    )
    def partial_update(self, request: Request, entry_id: int) -> Response:
        entry = self.get_object()
        data = s.TimeEntryCorrectSerializer(
            data=request.data, cycles=self._open_cycles().select_related("teacher")
        )
        data.is_valid(raise_exception=True)
        if data.validated_data:
            entry = call_service(services.time_entry_correct, entry=entry, **data.validated_data)
        return self.respond(entry)

    @extend_schema(
        summary="Archive one of your entries: it no longer counts (coaches)",
        description="Nothing is deleted: the row and its history stay.",
        request=s.TimeEntryArchiveSerializer,
        responses={204: None},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, entry_id: int) -> Response:
        entry = self.get_object()
        data = s.TimeEntryArchiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(
            services.time_entry_archive,
            entry=entry,
            by=request.user,
            reason=data.validated_data["reason"] or "Archived through the API.",
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
