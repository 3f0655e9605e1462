"""Grading: submitted/ → autograded/ and the gradebook, with nbgrader's own Autograde run by a
fast engine (parallel workers, kernels forked from a warm zygote, sandbox, limits, repair).

Other stages may use only the modules in PUBLIC (tests/test_architecture.py checks it)."""
PUBLIC = ("grade", "engine")
