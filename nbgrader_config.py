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

# Formgrader shows each submission through nbconvert's HTMLExporter, which by default puts a
# student's HTML and JavaScript (a written answer's `<script>`, `display(HTML(...))`,
# `Javascript(...)`) into the grader's page as is: run there, in the grader's session, it could
# set any score through formgrader's own API.  Sanitized, it is shown and never run.
c.HTMLExporter.sanitize_html = True
# Formgrader's own template renders markdown cells without that step, so a `<script>` (or an
# `onerror=`, a `javascript:` link) in a written answer would still run there: nbconvert's
# SanitizeHTML cleans every markdown cell first, keeping the tags a written answer or the
# lesson's text uses (disallowed ones are shown as text, never run).
c.HTMLExporter.preprocessors = ["nbconvert.preprocessors.sanitize.SanitizeHTML"]
# A markdown link (`[see](javascript:…)`, `<javascript:…>`, a reference link) is made after
# that step, by nbconvert's markdown renderer, which keeps any scheme unless told not to: the
# exporter hands these options to that renderer, and then `javascript:`, `vbscript:`, `file:`
# and `data:` (but images) links point to "#harmful-link".  The tamper scan still flags them.
c.HTMLExporter.lexer_options = {"allow_harmful_protocols": False}
c.SanitizeHTML.tags = [
    "a", "abbr", "acronym", "b", "blockquote", "br", "code", "del", "details", "div", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "u", "ul"]
c.SanitizeHTML.attributes = {"a": ["href", "title"], "abbr": ["title"], "acronym": ["title"],
                             "img": ["src", "alt", "title", "width", "height"],
                             "td": ["align"], "th": ["align"]}

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

# Late submissions.  `course collect` records when each notebook was handed in (nbgrader's
# submitted/<student>/<assignment>/timestamp.txt); the due date is nbgrader's own, per
# assignment (`course due ASSIGNMENT "2026-12-10 23:59"`, `course collect ... --due`, or
# formgrader's Manage Assignments).  When grading, nbgrader's AssignLatePenalties asks the
# course's plugin (course/late_policy.py) for the penalty of a late submission:
#   "none" (default): no penalty, or nbgrader's own c.LateSubmissionPlugin.penalty_method
#   "zero": a late submission scores 0
#   "points_per_hour": points_per_hour points off per started hour late
#   "percent_per_day": percent_per_day % of the score off per started day late
# capped at max_percent % of the score.  nbgrader computes it from the autograded score, when
# it grades: after changing the policy or a due date, `course grade ASSIGNMENT --force`.
c.LateSubmissionPlugin.penalty_method = "none"
c.CourseLatePolicy.method = "none"
c.CourseLatePolicy.percent_per_day = 10
c.CourseLatePolicy.points_per_hour = 1
c.CourseLatePolicy.max_percent = 50
# Zip entry times and `--due` carry no zone: they are read in this one (IANA name), or in the
# computer's own zone when empty.  A JupyterHub often runs in UTC: set it there.
c.CourseLatePolicy.timezone = ""  # e.g. "America/Sao_Paulo"
try:
    from course.late_policy import CourseLatePolicy

    c.AssignLatePenalties.plugin_class = CourseLatePolicy
except ImportError:  # the course package is not installed where nbgrader runs
    import warnings

    warnings.warn("course package not importable: late penalties follow "
                  "c.LateSubmissionPlugin.penalty_method only")
