"""Intake: an LMS export → submitted/ (collect, identify), and each submission's cells put
back in place before grading (repair).

Other stages may use only the modules in PUBLIC (tests/test_architecture.py checks it)."""
PUBLIC = ("repair",)
