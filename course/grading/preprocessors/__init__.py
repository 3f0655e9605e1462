"""nbgrader preprocessors of this course (one class per module, as in nbgrader itself)."""
from .repair_cells import RepairCells

__all__ = ["RepairCells"]
