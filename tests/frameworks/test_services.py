"""Framework CSV import (known answer on the sample file), every kind of bad input reported by
line and column with nothing saved, and activation."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from core.page_cache import GLOBAL, data_versions
from frameworks import services
from frameworks.models import Component, Domain, Framework, PerformanceLevel
from teachers.models import District
from tests import factories as f

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "frameworks" / "sample" / "home_grown_rubric.csv"
HEADER = "type,code,name,description,parent,rank\n"
GOOD_ROWS = (
    "domain,1,Culture,,,\n"
    "component,1a,Routines,Students know what to do,1,\n"
    "level,,Beginning,,,1\n"
    "level,,Effective,,,2\n"
)


@pytest.fixture
def district():
    return f.DistrictFactory()


def _import(district, text: str | bytes, *, name: str = "Our rubric", activate: bool = False):
    data = text.encode() if isinstance(text, str) else text
    return services.framework_import_csv(
        district=district, name=name, file=data, activate=activate, user=None
    )


def _file_errors(district, text: str | bytes, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        _import(district, text, **kwargs)
    return caught.value.message_dict.get("file", [])


def _nothing_saved() -> None:
    assert Framework.objects.count() == 0
    assert Domain.objects.count() == Component.objects.count() == 0
    assert PerformanceLevel.objects.count() == 0


def test_the_sample_file_imports_four_domains_ten_components_and_four_levels(district):
    with SAMPLE.open("rb") as handle:
        framework = services.framework_import_csv(
            district=district, name="Home-grown rubric", file=handle, activate=True, user=None
        )
    assert framework.is_active
    assert [d.name for d in framework.domains.order_by("position")] == [
        "Classroom culture",
        "Planning for learning",
        "Instruction",
        "Growing as a professional",
    ]
    components = Component.objects.filter(domain__framework=framework)
    assert components.count() == 10
    assert [str(c) for c in components.filter(domain__code="3").order_by("position")] == [
        "3a Questions that reach every student",
        "3b Checking for understanding",
        "3c Feedback students can use",
    ]
    assert components.get(code="1b").domain.name == "Classroom culture"
    assert list(framework.levels.values_list("rank", "name")) == [
        (1, "Beginning"),
        (2, "Developing"),
        (3, "Effective"),
        (4, "Exemplary"),
    ]


def test_a_file_saved_with_a_byte_order_mark_imports(district):
    framework = _import(district, b"\xef\xbb\xbf" + (HEADER + GOOD_ROWS).encode())
    assert framework.domains.get().components.get().code == "1a"
    assert not framework.is_active


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("widget,1,Thing,,,\n", "Line 6, column “type”: “widget” is not a type"),
        ("component,2a,Orphan,,9,\n", "Line 6, column “parent”: no domain with code “9”"),
        ("component,2a,No parent,,,\n", "Line 6, column “parent”: a component needs"),
        ("domain,1,Again,,,\n", "Line 6, column “code”: domain code “1” is already on line 2."),
        ("component,1a,Again,,1,\n", "Line 6, column “code”: component code “1a” is already"),
        ("domain,,No code,,,\n", "Line 6, column “code”: a domain needs a code."),
        ("domain,9,,,,\n", "Line 6, column “name”: a domain needs a name."),
        ("level,,Odd,,,²\n", "Line 6, column “rank”: “²” is not a rank"),
        ("level,,Half,,,3.5\n", "Line 6, column “rank”: “3.5” is not a rank"),
        ("level,,Below,,,-1\n", "Line 6, column “rank”: “-1” is not a rank"),
        ("level,,Zero,,,0\n", "Line 6, column “rank”: “0” is not a rank"),
        ("level,,Empty,,,\n", "Line 6, column “rank”: empty is not a rank"),
        pytest.param(
            "level,,Huge,,," + "9" * 5000 + "\n",
            "Line 6, column “rank”: “99999999999999999999…” is not a rank",
            id="a rank of 5000 digits",
        ),
        (
            "level,,Named " + "L" * 101 + ",,,3\n",
            "Line 6, column “name”: a level name has at most 100",
        ),
        ("domain,8," + "D" * 201 + ",,,\n", "Line 6, column “name”: a domain name has at most 200"),
        ('domain,8,"Two\nlines",,,\n', "Line 6, column “name”: a line break inside the cell"),
        ('component,"2\nb",Split,,1,\n', "Line 6, column “code”: a line break inside the cell"),
        ('domain,8,"Open quote,,,\nlevel,,More,,,3\n', 'Line 6: a quote (") opened on this line'),
        ('domain,8,"Stray"x,,,\n', "Line 6: this is not a readable CSV line"),
        ("level,,Twice,,,1\n", "Line 6, column “rank”: rank 1 is already on line"),
        ("domain,7,Too,many,cells,,x\n", "Line 6: 7 cells for 6 columns."),
    ],
)
def test_each_bad_row_is_reported_by_line_and_column_and_nothing_is_saved(district, rows, expected):
    errors = _file_errors(district, HEADER + GOOD_ROWS + rows)
    assert any(e.startswith(expected) for e in errors), errors
    _nothing_saved()


def test_a_missing_or_unknown_column_is_reported_on_the_header_line(district):
    errors = _file_errors(district, "type,code,name,parnet,rank\n" + GOOD_ROWS)
    assert (
        "Line 1, column “parnet”: unknown column; the columns are type, code, name, "
        "description, parent, rank." in errors
    )
    assert "Line 1, column “parent”: this column is missing from the header line." in errors
    _nothing_saved()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty."),
        (b"type,code\xff,name\n", "Line 1: the file is not UTF-8 text"),
        (b"type,code,name,description,parent,rank\n\x00\x01", "Line 2: the file holds a NUL"),
        (HEADER.encode(), "The file has no component rows"),
        (b"x" * (services.MAX_BYTES + 1), "The file is larger than 1024 KB"),
    ],
)
def test_a_file_that_is_not_a_usable_csv_is_refused_with_the_reason(district, data, expected):
    errors = _file_errors(district, data)
    assert any(e.startswith(expected) for e in errors), errors
    _nothing_saved()


def test_too_many_rows_are_refused(district, monkeypatch):
    monkeypatch.setattr(services, "MAX_ROWS", 3)
    errors = _file_errors(district, HEADER + GOOD_ROWS + "level,,More,,,3\n")
    assert "Line 5: the file has more than 3 rows." in errors
    _nothing_saved()


def test_a_name_already_used_in_the_district_is_an_error_on_the_name(district):
    f.FrameworkFactory(district=district, name="Our rubric", is_active=False)
    with pytest.raises(ValidationError) as caught:
        _import(district, HEADER + GOOD_ROWS, name="our rubric")
    assert caught.value.message_dict == {
        "name": [f"{district} already has a framework called “our rubric”."]
    }
    assert Framework.objects.count() == 1


def test_importing_as_active_deactivates_the_districts_previous_framework(district):
    old = f.FrameworkFactory(district=district, is_active=True)
    new = _import(district, HEADER + GOOD_ROWS, activate=True)
    old.refresh_from_db()
    assert new.is_active and not old.is_active


def test_activating_a_framework_leaves_other_districts_alone(district):
    mine = f.FrameworkFactory(district=district, is_active=False)
    current = f.FrameworkFactory(district=district, is_active=True)
    elsewhere = f.FrameworkFactory(is_active=True)
    services.framework_activate(framework=mine)
    assert set(Framework.objects.filter(is_active=True)) == {mine, elsewhere}
    current.refresh_from_db()
    assert not current.is_active


def test_framework_create_makes_an_empty_inactive_framework(district):
    framework = services.framework_create(district=district, name="  Draft  ")
    assert (framework.name, framework.is_active) == ("Draft", False)
    with pytest.raises(ValidationError):
        services.framework_create(district=district, name="Draft")


def _rows(components: int) -> str:
    return (
        HEADER
        + "domain,1,Culture,,,\n"
        + "".join(f"component,c{i},Component {i},,1,\n" for i in range(components))
        + "level,,Beginning,,,1\n"
    )


def test_an_import_runs_the_same_queries_whatever_the_number_of_rows(district):
    elsewhere = f.DistrictFactory()
    with CaptureQueriesContext(connection) as small:
        _import(elsewhere, _rows(2), name="Small", activate=True)
    with CaptureQueriesContext(connection) as large:
        _import(district, _rows(60), name="Large", activate=True)
    assert len(large) == len(small)
    assert Component.objects.filter(domain__framework__name="Large").count() == 60


def test_an_inactive_import_gives_no_new_version_and_activating_it_does(
    district, settings, django_capture_on_commit_callbacks
):
    settings.VERSIONED_CACHE = True
    before = data_versions(scopes=[GLOBAL])
    with django_capture_on_commit_callbacks(execute=True):
        framework = _import(district, _rows(30))
    assert data_versions(scopes=[GLOBAL]) == before
    with django_capture_on_commit_callbacks(execute=True):
        services.framework_activate(framework=framework)
    assert data_versions(scopes=[GLOBAL]) != before


def test_a_first_activation_locks_the_district_row(district, monkeypatch):
    """With no active framework yet there is no framework row to lock: the district is."""
    locked = []
    select_for_update = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return select_for_update(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    framework = f.FrameworkFactory(district=district, is_active=False)
    services.framework_activate(framework=framework)
    assert District in locked
    assert Framework.objects.get(district=district, is_active=True) == framework
