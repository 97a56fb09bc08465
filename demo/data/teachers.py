"""``TEACHERS``: every demo teacher, caseload by caseload in the order the seeder loads them (the
``teachers_*`` modules of this package, one per school; Prairie View's two coaches one each)."""

from demo.data.histories import TeacherSpec
from demo.data.teachers_cedar_creek import TEACHERS_CEDAR_CREEK
from demo.data.teachers_prairie_view_okafor import TEACHERS_PRAIRIE_VIEW_OKAFOR
from demo.data.teachers_prairie_view_rivera import TEACHERS_PRAIRIE_VIEW_RIVERA
from demo.data.teachers_riverside import TEACHERS_RIVERSIDE

TEACHERS: tuple[TeacherSpec, ...] = (
    *TEACHERS_PRAIRIE_VIEW_RIVERA,
    *TEACHERS_PRAIRIE_VIEW_OKAFOR,
    *TEACHERS_CEDAR_CREEK,
    *TEACHERS_RIVERSIDE,
)
