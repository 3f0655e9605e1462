"""`course collect` on hostile exports: a huge entry, a zip bomb whose header lies, nested zips,
zip-slip names.  The bad file is rejected with its reason, every other student is collected,
memory stays bounded (measured as the peak RSS of a `course collect` subprocess) and nothing is
written outside submitted/.  Bombs are built in a few ms: a deflate block of 1 MB of zeros, cut
with a full flush, is the same bytes every time, so 1 GB of zeros is one block repeated."""
from __future__ import annotations

import bz2
import io
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import nbformat
import pytest

from course import cli
from course.intake import collect
from test_collect import A, ROOT, TARGET, course, log, submitted, text, write, zipped  # noqa: F401
from test_repair import solved

MB = 1 << 20
GB = 1 << 30
PEAK_MB = 200  # a `course collect` process holds ~50 MB after its imports; the bombs are >= 256


def zero_deflate(size: int) -> bytes:
    """Raw deflate data inflating to `size` zeros (a multiple of 1 MB), ~1 KB per MB."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(b"\0" * MB) + c.flush(zlib.Z_FULL_FLUSH)
    return block * (size // MB) + c.flush()


def crafted_zip(path: Path, entries: list[tuple]) -> Path:
    """A zip written byte by byte, so that its headers may say what its data is not.  Each entry:
    (name, method, packed bytes, crc, size the headers declare[, DOS date])."""
    out, central = bytearray(), bytearray()
    for name, method, packed, crc, size, *date in entries:
        raw, dosdate, offset = name.encode(), (date or [(44 << 9) | (3 << 5) | 1])[0], len(out)
        common = (method, 12 << 11, dosdate, crc, len(packed), size, len(raw))
        out += struct.pack("<4s3H2H3L2H", b"PK\x03\x04", 20, 0, *common, 0) + raw + packed
        central += struct.pack("<4s4H2H3L5H2L", b"PK\x01\x02", 20, 20, 0, *common,
                               0, 0, 0, 0, 0, offset) + raw
    n = len(entries)
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, len(central), len(out), 0)
    path.write_bytes(bytes(out + central) + eocd)
    return path


def stored(name: str, data: str | bytes) -> tuple:
    data = data.encode() if isinstance(data, str) else data
    return (name, zipfile.ZIP_STORED, data, zlib.crc32(data), len(data))


def collect_in_subprocess(export: Path, *flags: str) -> tuple[int, float, str]:
    """`course collect A export` in its own process: (exit code, its peak RSS in MB, output)."""
    # VmHWM, the peak RSS of this process's own memory: ru_maxrss would also count the memory
    # of the pytest process that spawned it (Linux carries it over the exec)
    code = ("import re, sys\nfrom course import cli\nrc = cli.main(sys.argv[1:])\n"
            "status = open('/proc/self/status').read()\n"
            "print('PEAK_RSS_KB', re.search(r'VmHWM:\\s*(\\d+)', status).group(1))\n"
            "sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code, "collect", A, str(export), *flags],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    output = proc.stdout + proc.stderr
    peak = [ln for ln in proc.stdout.splitlines() if ln.startswith("PEAK_RSS_KB")]
    assert peak, output
    peak_mb = int(peak[0].split()[1]) / 1024
    print(f"\npeak RSS of `course collect {export.name}`: {peak_mb:.0f} MB")
    return proc.returncode, peak_mb, output


def good_students() -> list[tuple]:
    return [stored(f"s1/{A}.ipynb", text(solved())),
            stored(f"s2/Copy of {A}.ipynb", text(solved()))]


# --- size ---------------------------------------------------------------------------------

def test_an_oversized_zip_entry_is_rejected_unread_in_bounded_memory(course, tmp_path):
    """1 GB of zeros (4.7 MB zipped) next to two good students, zipped by zipfile itself."""
    export = zipped(tmp_path / "export.zip", {f"s1/{A}.ipynb": text(solved()),
                                              f"s2/Copy of {A}.ipynb": text(solved())})
    with zipfile.ZipFile(export, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("s3/huge.ipynb", "w") as fh:
            for _ in range(1024):
                fh.write(b"\0" * MB)
    rc, peak, output = collect_in_subprocess(export)
    assert rc == 0, output
    assert peak < PEAK_MB
    reason = "too large: 1.0 GB, over the 50 MB limit (not read; --max-file-mb changes the limit)"
    assert log(course, "rejected") == {"s3/huge.ipynb": reason}
    assert "s3/huge.ipynb" in output and reason in output
    assert submitted(course) == [f"s1/{TARGET}", f"s2/{TARGET}"]


def test_a_folder_export_with_an_oversized_file_rejects_it_by_size_unread(course, tmp_path):
    export = write(tmp_path / "export", {f"s1/{A}.ipynb": text(solved())})
    (export / "s2").mkdir()
    with open(export / "s2" / f"{A}.ipynb", "wb") as fh:
        os.truncate(fh.fileno(), GB)  # sparse: 1 GB of zeros that costs no disk
    rc, peak, output = collect_in_subprocess(export)
    assert (rc, peak < PEAK_MB) == (0, True), output
    assert log(course, "rejected") == {f"s2/{A}.ipynb": "too large: 1.0 GB, over the 50 MB "
                                       "limit (not read; --max-file-mb changes the limit)"}
    assert submitted(course) == [f"s1/{TARGET}"]


def test_max_file_mb_changes_the_limit(course, tmp_path, capsys):
    big = solved()
    big.cells.append(nbformat.v4.new_markdown_cell(os.urandom(MB).hex()))  # 2 MB, zips 2:1
    export = zipped(tmp_path / "export.zip", {f"s1/{A}.ipynb": text(big),
                                              f"s2/{A}.ipynb": text(solved())})
    assert cli.main(["collect", A, str(export), "--max-file-mb", "1"]) == 0
    assert log(course, "rejected") == {f"s1/{A}.ipynb": "too large: 2.0 MB, over the 1 MB limit "
                                       "(not read; --max-file-mb changes the limit)"}
    assert submitted(course) == [f"s2/{TARGET}"]
    assert cli.main(["collect", A, str(export)]) == 0  # the default, 50 MB, takes it
    assert log(course, "rejected") == {}
    assert submitted(course) == [f"s1/{TARGET}", f"s2/{TARGET}"]
    outcomes = {o.upload.path: o for o in collect.collect(course, A, export, max_file_mb=1.5)}
    assert outcomes[f"s1/{A}.ipynb"].reason.startswith("too large: 2.0 MB, over the 1.5 MB")
    assert collect.main(course, A, str(export), None, max_file_mb=3) == 0
    for bad in ("0", "-1", "inf", "nan"):
        assert cli.main(["collect", A, str(export), "--max-file-mb", bad]) == 2
        assert "--max-file-mb must be a positive number" in capsys.readouterr().err


# --- bombs --------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["deflate", "bzip2"])
def test_a_bomb_whose_header_lies_is_not_inflated(course, tmp_path, method):
    """The headers say 1 KB; the data inflates to 1 GB (deflate) or 256 MB (bzip2: 177 bytes).
    `ZipFile.read` would inflate all of it in one call before cutting it to 1 KB."""
    if method == "deflate":
        bomb = (f"s3/{A}.ipynb", zipfile.ZIP_DEFLATED, zero_deflate(GB), 0, 1024)
        reason = f"cannot be read: Bad CRC-32 for file 's3/{A}.ipynb'"
    else:
        bomb = (f"s3/{A}.ipynb", zipfile.ZIP_BZIP2, bz2.compress(b"\0" * (256 * MB)), 0, 1024)
        reason = ("compressed with bzip2: only stored and deflate zip entries are read "
                  "(not read)")
    export = crafted_zip(tmp_path / "bomb.zip", good_students() + [bomb])
    rc, peak, output = collect_in_subprocess(export)
    assert (rc, peak < PEAK_MB) == (0, True), output
    assert log(course, "rejected") == {f"s3/{A}.ipynb": reason}
    assert submitted(course) == [f"s1/{TARGET}", f"s2/{TARGET}"]


def test_an_absurd_compression_ratio_is_rejected_as_a_bomb_unread(course, tmp_path):
    """40 MB of zeros is under the size limit, but 1000:1 is no notebook; 3 MB of zeros is
    too small to call a bomb and is read (and rejected as what it is)."""
    export = zipped(tmp_path / "export.zip", {f"s1/{A}.ipynb": text(solved())})
    with zipfile.ZipFile(export, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("s2/x.ipynb", b"\0" * (40 * MB))
        zf.writestr("s3/y.ipynb", b"\0" * (3 * MB))
    reasons = log_after(course, export)
    assert reasons["s2/x.ipynb"].startswith("looks like a zip bomb: 40.0 MB packed into ")
    assert reasons["s2/x.ipynb"].endswith(":1, over 200:1; not read)")
    assert reasons["s3/y.ipynb"] == "not a notebook: the file is not JSON"
    assert submitted(course) == [f"s1/{TARGET}"]


def log_after(course, export: Path, **kw) -> dict[str, str]:
    collect.collect(course, A, export, **kw)
    return log(course, "rejected")


def test_a_nested_zip_bomb_is_not_opened(course, tmp_path):
    """A zip of a zip of 1 GB of zeros, and a zip named like a notebook: none is unpacked."""
    inner = crafted_zip(tmp_path / "inner.zip", [
        (f"s9/{A}.ipynb", zipfile.ZIP_DEFLATED, zero_deflate(GB), 0, GB)]).read_bytes()
    middle = io.BytesIO()
    with zipfile.ZipFile(middle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("inner.zip", inner)
    export = zipped(tmp_path / "export.zip", {
        f"s1/{A}.ipynb": text(solved()), "s2/submission.zip": middle.getvalue(),
        "s3/ENTREGA.ZIP": inner, f"s4/{A}.ipynb": inner})
    reasons = log_after(course, export)
    # a student's zip in their LMS folder: unzipped elsewhere, the folder that names the
    # student would be lost, so the reason says to unzip it where it lies
    nested = ("a zip inside the export: not opened (nested archives are not unpacked; unzip it "
              "where it lies, inside the unzipped export, so that its folder still names its "
              "student, and collect the export's folder)")
    assert reasons == {"s2/submission.zip": nested, "s3/ENTREGA.ZIP": nested,
                       f"s4/{A}.ipynb": "not a notebook: the file is not JSON"}
    assert submitted(course) == [f"s1/{TARGET}"]


def test_reading_stops_once_more_than_the_limit_came_out():
    """Whatever a header said: an endless stream is read to just past the limit, no further."""
    from course.intake import archive

    class Endless(io.RawIOBase):
        served = 0

        def read(self, n=-1):
            assert n > 0, "read in chunks, never whole"
            self.served += n
            return b"\0" * n

    stream = Endless()
    with pytest.raises(ValueError, match="^too large: more than the 1 MB limit came out of it "
                                         "though 10 bytes was declared"):
        archive.read_capped(stream, MB, 10)
    assert stream.served <= 2 * MB


# --- one bad entry never aborts the intake; paths never decide where files go -------------

def test_damaged_entries_are_rejected_and_the_rest_collected(course, tmp_path):
    """A zero DOS date (some zip tools), JSON nested 100000 deep, deflate garbage."""
    export = crafted_zip(tmp_path / "export.zip", [
        (*stored(f"s1/{A}.ipynb", text(solved())), 0),
        stored(f"s2/{A}.ipynb", b"[" * 100_000),
        (f"s3/{A}.ipynb", zipfile.ZIP_DEFLATED, b"\xff" * 100, 0, 300),
        stored(f"s4/{A}.ipynb", text(solved()))])
    outcomes = {o.upload.path: o for o in collect.collect(course, A, export)}
    assert outcomes[f"s1/{A}.ipynb"].upload.mtime == 0
    reasons = log(course, "rejected")
    assert reasons[f"s2/{A}.ipynb"] == "not a notebook: JSON nested too deeply"
    assert reasons[f"s3/{A}.ipynb"].startswith("cannot be read: Error -3 while decompressing")
    assert submitted(course) == [f"s1/{TARGET}", f"s4/{TARGET}"]


def files_in(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_paths_in_the_archive_never_decide_where_files_are_written(course, tmp_path):
    """With the built-in patterns (this held before the limits) and with one that takes a whole
    folder path as the id: ids are one path component without `..`, files land in submitted/."""
    names = ["../../evil1/x.ipynb", "/abs/evil2/x.ipynb", "..\\..\\evil3\\x.ipynb",
             "s4/../../../x.ipynb", "a/../b/x.ipynb", "C:/evil6/x.ipynb", "./../x.ipynb"]
    export = crafted_zip(tmp_path / "evil.zip", [stored(n, text(solved())) for n in names])
    for patterns in (None, [r"^(?P<student>.*)/[^/]+$"]):
        before = files_in(tmp_path)
        outcomes = collect.collect(course, A, export, patterns)
        written = set(files_in(tmp_path).items()) - set(before.items())
        assert written, "some notebooks were collected"
        for p, _ in written:
            assert course.submitted_dir in p.parents or course.reports_dir(A) in p.parents, p
        for out in outcomes:
            if out.student is not None:
                assert "/" not in out.student and ".." not in out.student, (patterns, out.student)
        for rel in submitted(course):
            student, rest = rel.split("/", 1)
            assert rest == TARGET and ".." not in student
    assert not Path("/abs").exists() and not (tmp_path.parent / "evil1").exists()
