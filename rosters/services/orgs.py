"""The district and school rows of a roster import: found by sourcedId, created, renamed,
closed (``_Orgs``, mixed into ``apply._Importer``)."""

from __future__ import annotations

from django.utils.text import slugify

from rosters import oneroster
from rosters.oneroster import OrgRow
from rosters.services.lookups import _diff
from teachers.models import District, School


def _unique_slug(model, base: str, taken: set[str]) -> str:
    base = (slugify(base) or model.__name__.lower())[:70]
    slug, n = base, 1
    while slug in taken or model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


class _Orgs:
    """The walk over the district org and the school orgs (a mixin of ``_Importer``)."""

    def _district(self) -> None:
        org = self.district_org
        line = org.line if org else None
        if org:
            self._tick()
        found = District.objects.filter(sourced_id=org.sourced_id).first() if org else None
        if self.district is None:
            if org is None:
                self._problem(
                    oneroster.ORGS, None, "type", "no org of type district: choose the district"
                )
                return
            if found is not None:
                self.district = found
                self._row(oneroster.ORGS, line, "district", org.sourced_id, org.name, "unchanged")
                return
            district = District(
                name=org.name,
                slug=_unique_slug(District, org.name, set()),
                sourced_id=org.sourced_id,
            )
            if self.apply:
                self.district = self._save(district)
            self._row(oneroster.ORGS, line, "district", org.sourced_id, org.name, "create")
            return
        if org is None:
            return
        if found is not None and found.pk != self.district.pk:
            self._problem(
                oneroster.ORGS,
                line,
                "sourcedId",
                f"this district org was imported into {found.name}, not {self.district.name}",
            )
            return
        if self.district.sourced_id and self.district.sourced_id != org.sourced_id:
            self._problem(
                oneroster.ORGS,
                line,
                "sourcedId",
                f"{self.district.name} was imported from another district org "
                f"({self.district.sourced_id!r})",
            )
            return
        if self.district.sourced_id == org.sourced_id:
            self._row(
                oneroster.ORGS, line, "district", org.sourced_id, self.district.name, "unchanged"
            )
            return
        if self.apply:
            self.district.sourced_id = org.sourced_id
            self._save(self.district)
        self._row(
            oneroster.ORGS,
            line,
            "district",
            org.sourced_id,
            self.district.name,
            "update",
            [f"sourced_id: None → {org.sourced_id!r}"],
        )

    def _school(self, org: OrgRow) -> None:
        school = self._school_by_sid.get(org.sourced_id)
        row = (oneroster.ORGS, org.line, "school", org.sourced_id, org.name)
        if (
            school is not None
            and self.district is not None
            and school.district_id != self.district.pk
        ):
            self._problem(
                oneroster.ORGS,
                org.line,
                "sourcedId",
                "this sourcedId is a school of another district: this bundle cannot change it",
            )
            return
        if school is None:
            if org.to_be_deleted:
                self.absent_schools.add(org.sourced_id)
                self._row(*row, "unchanged", ["not imported before: nothing to close"])
                return
            if self.apply:
                school = self._save(
                    School(
                        district=self.district,
                        name=org.name,
                        slug=_unique_slug(School, org.name, self.slugs),
                        sourced_id=org.sourced_id,
                    )
                )
                self.touched_schools.add(school.pk)
                self._school_by_sid[org.sourced_id] = school
            self.schools[org.sourced_id] = school
            self._row(*row, "create")
            return
        self.schools[org.sourced_id] = school
        wanted = {"name": org.name, "is_active": not org.to_be_deleted}
        changes = _diff(school, wanted)
        if not changes:
            self._row(*row, "unchanged")
            return
        if self.apply:
            for name, value in wanted.items():
                setattr(school, name, value)
            self._save(school)
            self.touched_schools.add(school.pk)
        self._row(*row, "deactivate" if org.to_be_deleted else "update", changes)
