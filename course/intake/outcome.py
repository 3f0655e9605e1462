"""What collect decided about one file of an export (shared by `collect`, `keep`, `earlier`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from . import names
from .archive import Upload


@dataclass
class Outcome:
    upload: Upload
    student: str | None
    reason: str | None = None  # why it was rejected; None when accepted
    notes: str = ""
    name: names.Name | None = None  # the student's name, when the path carries one
    lms_late: bool = False  # the LMS marked the file late (Canvas's LATE)
    at: datetime | None = None  # when it was handed in (None: the export does not say)
    late: str = ""  # for an accepted notebook handed in after its due date: by how much
    id_is_name: bool = False  # the id is the student's name (Classroom, a folder, a file name)
    moodle: str = ""  # Moodle's participant number of this assignment, when Moodle named it
    skipped: bool = False  # no student's file (Mac/Windows litter, the LMS's own): `reason` says

    @property
    def accepted(self) -> bool:
        return self.reason is None and not self.skipped

    @property
    def rejected(self) -> bool:
        return self.reason is not None and not self.skipped
