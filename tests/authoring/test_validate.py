"""Lesson validation rejects each kind of broken lesson, naming the lesson file and the cell."""
from __future__ import annotations

import textwrap

import pytest

from course.authoring import validate
from course.authoring.lesson_format import read_all, read_lesson

GOOD = '''\
# %% [markdown] lang="pt"
# # Título

# %% [markdown] lang="es"
# # Título

# %%
import torch

# %% nbgrader={"grade_id": "f", "solution": true}
def f(x):
    ### BEGIN SOLUTION
    return x
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_f", "grade": true, "points": 1}
assert f(1) == 1
### BEGIN HIDDEN TESTS
assert f(2) == 2
### END HIDDEN TESTS
'''


def problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "09_demo" / "lesson.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return validate.validate(read_lesson(path))


def test_good_lesson_is_valid(tmp_path):
    assert problems(tmp_path, GOOD) == []


def test_every_real_lesson_is_valid():
    for lesson in read_all():
        assert validate.validate(lesson) == [], lesson.path.name


@pytest.mark.parametrize("edit,expected", [
    (lambda s: s.replace('# %% [markdown] lang="es"\n# # Título\n', ""),
     "09_demo/lesson.py, cell 1 (line 1): lang=pt cell has no lang=es twin"),
    (lambda s: s.replace('lang="es"', 'lang="en"'),
     "09_demo/lesson.py, cell 2 (line 4): unknown language tag lang='en'"),
    (lambda s: s.replace('"grade_id": "test_f"', '"grade_id": "f"'),
     "09_demo/lesson.py, cell 5 (line 16) [f]: duplicated grade_id 'f' in the pt notebook"),
    (lambda s: s.replace("    ### END SOLUTION\n", ""),
     "09_demo/lesson.py, cell 4 (line 10) [f]: unbalanced markers: `### BEGIN SOLUTION` is never closed"),
    (lambda s: s.replace("### END HIDDEN TESTS\n", ""),
     "09_demo/lesson.py, cell 5 (line 16) [test_f]: unbalanced markers: `### BEGIN HIDDEN TESTS`"),
    (lambda s: s.replace("# %%\nimport torch", "# %% execution_count=3\nimport torch"),
     "09_demo/lesson.py, cell 3 (line 7): stored outputs"),
    (lambda s: s.replace("assert f(2) == 2", "f(2) == 2"),
     "09_demo/lesson.py, cell 5 (line 16) [test_f]: test cell ends with a bare expression"),
    (lambda s: s.replace("### BEGIN HIDDEN TESTS\nassert f(2) == 2\n### END HIDDEN TESTS\n",
                         "1.0\n"),
     "test cell ends with a bare expression"),
    (lambda s: s.replace('"points": 1', '"points": 0'), "a graded cell needs points > 0"),
    (lambda s: s.replace("    ### BEGIN SOLUTION\n", "").replace("    ### END SOLUTION\n", ""),
     "answer cell without `### BEGIN SOLUTION`"),
])
def test_broken_lesson_is_rejected_with_its_place(tmp_path, edit, expected):
    found = problems(tmp_path, edit(GOOD))
    assert any(expected in p for p in found), found


def test_check_raises_one_error_listing_all_problems(tmp_path):
    path = tmp_path / "09_demo" / "lesson.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(GOOD.replace('lang="es"', 'lang="en"').replace('"points": 1', '"points": -1'))
    with pytest.raises(validate.LessonError) as info:
        validate.check([read_lesson(path)])
    assert "unknown language tag" in str(info.value) and "points > 0" in str(info.value)
