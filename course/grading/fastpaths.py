"""Speed-ups inside a grading worker that leave everything nbgrader decides unchanged.

Profiling a worker showed two costs that come from how nbgrader calls its libraries, not from
what it computes, repeated for every submission:

- `jsonschema.validate(metadata, schema)` (CheckCellMetadata, twice per submission, once per
  cell) first checks the *schema* against jsonschema's meta-schema and builds a validator,
  every call.  Here the check and the validator are made once per schema; each cell's metadata
  is still validated, and the first error raised is the one `jsonschema.validate` raises
  (`best_match`).  Metadata already found valid is remembered as valid (validation is a pure
  function of the metadata and the schema).
- every `Gradebook(...)` (OverwriteKernelspec, OverwriteCells: two per submission) creates a
  new SQLAlchemy engine, whose SQL compilation cache starts empty.  Here one engine per
  database URL is kept for the worker's life (`Gradebook.close` disposes of its connections,
  which the engine opens again when next used).
- a new gradebook (each worker's scratch course makes one) records nbgrader's database schema
  version, which nbgrader asks of a new `alembic` process (4 s on a small machine); here the
  same alembic scripts are read in this process, once.

Only worker processes install them (`runner.GradingWorker`); they touch nothing in the
instructor's process, which writes the grades.  (`schema_head` may be called there before
local workers fork, so that they all inherit its answer.)
"""
from __future__ import annotations

import functools
import json

_installed = False
_nbgraders_version = None  # nbgrader's own get_alembic_version, once install() replaced it


class _SchemaValidation:
    """The `jsonschema` module as nbgrader's metadata validator uses it, with `validate`
    memoized as described above."""

    def __init__(self, module):
        self._module = module
        self._validators: dict[str, object] = {}
        self._valid: set[tuple[str, str]] = set()

    def __getattr__(self, name):
        return getattr(self._module, name)

    def validate(self, instance, schema, cls=None, *args, **kwargs):
        if cls is not None or args or kwargs:
            return self._module.validate(instance, schema, cls, *args, **kwargs)
        skey = json.dumps(schema, sort_keys=True)
        try:
            ikey = json.dumps(instance, sort_keys=True)
        except (TypeError, ValueError):
            return self._module.validate(instance, schema)
        if (skey, ikey) in self._valid:
            return None
        validator = self._validators.get(skey)
        if validator is None:
            cls = self._module.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._validators[skey] = cls(schema)
        error = self._module.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error
        self._valid.add((skey, ikey))
        return None


def install() -> None:
    """Install both speed-ups in this (worker) process; idempotent."""
    global _installed, _nbgraders_version
    if _installed:
        return
    import jsonschema
    from nbgrader import api
    from nbgrader.nbgraderformat import common

    common.jsonschema = _SchemaValidation(jsonschema)
    engines: dict[tuple, object] = {}
    create_engine = api.create_engine

    def shared_engine(url, *args, **kwargs):
        key = (str(url), args, tuple(sorted(kwargs.items())))
        engine = engines.get(key)
        if engine is None:
            engine = engines[key] = create_engine(url, *args, **kwargs)
        return engine

    api.create_engine = shared_engine
    _nbgraders_version = api.get_alembic_version
    api.get_alembic_version = schema_head
    _installed = True


@functools.cache
def schema_head() -> str:
    """nbgrader's gradebook schema version, read from its alembic scripts in this process
    (once) rather than by nbgrader's `alembic` subprocess."""
    from nbgrader import api

    try:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        with api._temp_alembic_ini("sqlite:////tmp/gradebook.db") as ini:
            return ScriptDirectory.from_config(Config(ini)).get_current_head()
    except Exception:
        return (_nbgraders_version or api.get_alembic_version)()
