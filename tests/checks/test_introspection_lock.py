"""In a grading kernel a submission's code gets no frame and no walk over the collector's
objects; libraries keep theirs.  Run in a fresh interpreter: the lock cannot be lifted once
enforced, and this process is pytest's."""
from __future__ import annotations

from conftest import fresh_python

CELL = '''
import sys, inspect, traceback, gc, io, logging, warnings
def own_frame(): return sys._getframe(0)
def inspect_stack(): return inspect.stack()
def walk_stack(): return list(traceback.walk_stack(None))
def tb_frame():
    try:
        1 / 0
    except ZeroDivisionError as err:
        return err.__traceback__.tb_frame
def referrers(): return gc.get_referrers(sys)
def objects(): return gc.get_objects()
def pose_as_library(): return compile("x = 1", inspect.__file__, "exec")
def print_exc():  # walks frames inside traceback, hands none out
    try:
        1 / 0
    except ZeroDivisionError:
        traceback.print_exc(file=io.StringIO())
def log(): logging.getLogger("course-test").warning("a library reading frames for itself")
def warn(): warnings.warn("also fine")
def library_frame(): return logging.currentframe()
def named(): from collections import namedtuple; return namedtuple("P", "a")
'''

SCRIPT = '''
import json, sys, warnings, logging
logging.basicConfig(stream=sys.stdout)
warnings.simplefilter("ignore")
from course.checks import code_lock, introspection_lock
ns = {}
exec(compile(CELL, "/tmp/ipykernel_1/123.py", "exec"), ns)
before = {}
for name in ("own_frame", "print_exc", "log", "warn"):
    try:
        ns[name](); before[name] = "allowed"
    except RuntimeError:
        before[name] = "refused"
introspection_lock.enforce()
after = {}
for name in ("own_frame", "inspect_stack", "walk_stack", "tb_frame", "referrers", "objects",
             "pose_as_library", "print_exc", "log", "warn"):
    try:
        ns[name](); after[name] = "allowed"
    except RuntimeError as err:
        after[name] = "refused" if "corrección automática" in str(err) else str(err)
from course.checks.calling import call  # a hidden test calling the answer
called = {}
for name in ("library_frame", "named", "log"):
    outside = "allowed"
    try:
        ns[name]()
    except RuntimeError:
        outside = "refused"
    try:
        call("pt", name, ns[name]); inside = "allowed"
    except Exception as err:
        inside = "refused" if "corrección automática" in str(err) else str(err)
    called[name] = [outside, inside]
print(json.dumps({"before": before, "after": after, "pending": code_lock.pending(),
                  "called": called}))
'''


def run():
    return fresh_python(f"CELL = {CELL!r}\n" + SCRIPT)


def test_nothing_is_refused_before_the_lock_is_enforced_and_frames_are_after():
    out = run()
    assert set(out["before"].values()) == {"allowed"}
    refused = {k for k, v in out["after"].items() if v == "refused"}
    assert refused == {"own_frame", "inspect_stack", "walk_stack", "tb_frame", "referrers",
                       "objects", "pose_as_library"}, out["after"]
    assert {out["after"][k] for k in ("print_exc", "log", "warn")} == {"allowed"}


def test_what_was_refused_is_counted_for_the_verdict():
    pending = run()["pending"]
    assert "gc.get_referrers" in pending and "compile" in pending
    assert any(p.startswith("sys._getframe") for p in pending), pending
    assert any(p.startswith(".tb_frame") for p in pending), pending


def test_a_frame_a_library_hands_out_is_refused_only_while_a_hidden_test_calls_the_answer():
    """`logging.currentframe()` is `sys._getframe(1)` in a library: it hands the caller its own
    frame, from which the test's frames are one `f_back` away.  Refused while the grader calls
    the answer; in the student's own cells, as libraries that only read their caller's frame
    (namedtuple), left alone."""
    called = run()["called"]
    assert called["library_frame"] == ["allowed", "refused"]
    assert called["named"] == ["allowed", "refused"]  # the rare price, documented
    assert called["log"] == ["allowed", "allowed"]
