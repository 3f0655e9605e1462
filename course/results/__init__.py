"""Results: what the gradebook and the autograded notebooks hold, read back as plain data
(gradebook, mistakes), and what is made of it for students (feedback) and teachers (report).

Other stages may use only the modules in PUBLIC (tests/test_architecture.py checks it)."""
PUBLIC = ("mistakes", "feedback", "report", "report_all", "grade_exports")
