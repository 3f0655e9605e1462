"""Authoring: lessons → validated notebooks → source/ (build) → release/ (nbgrader
generate_assignment), plus the manifest and `course try`.

Other stages may use only the modules in PUBLIC (tests/test_architecture.py checks it)."""
PUBLIC = ("release", "notebooks", "lesson_format", "build")
