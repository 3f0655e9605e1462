# nbgrader settings for this course.  Plain `nbgrader ...` commands run from this folder use
# them, and so does the `course` command (which adds the per-language answer stub).
import os

c = get_config()  # noqa: F821  (provided by nbgrader)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "autograd"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# Only the notebook travels: lesson sources never live under source/, and nothing else may
# be copied into release/ (it could carry solutions).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.py"]

# nbgrader's exchange (release_assignment / fetch / submit / collect on a shared JupyterHub)
# lives inside the course folder, so formgrader finds it and never warns that it is missing.
# On a shared hub, make it writable by the students: chmod 1777 exchange
c.Exchange.root = os.path.join(c.CourseDirectory.root, "exchange")
os.makedirs(c.Exchange.root, exist_ok=True)

# Training loops need more than nbgrader's 30 s default per cell; a runaway cell still stops.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# A deleted test cell is restored and run, instead of silently needing manual grading.
c.OverwriteCells.add_missing_cells = True

# nbgrader gives 0 to a test cell that wrote anything to stderr.  A torch/Python warning
# ("...: UserWarning: ...") is not a failure: drop such stderr output before grading.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\w+Warning: "

# Answer stubs are set per assignment by `course release` (nbgrader keys them by kernel
# language, not by the students' language); this default only serves plain nbgrader use.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Formgrader's "Generate Feedback" (and `nbgrader generate_feedback`) would show every hidden
# test: render nbgrader's page without them (`course feedback` writes the course's own page).
try:
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from course.results.safe_feedback import HideHiddenTests

    c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
except ImportError:  # the course package is not installed where nbgrader runs
    import warnings

    warnings.warn("course package not importable: nbgrader's feedback would show hidden tests; "
                  "use `course feedback`")
