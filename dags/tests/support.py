"""What the DAG tests share: paths, the stand-in `airflow` package, loading a DAG file.

The stand-ins (stubs/airflow) record what the DAG files build; `load_dag_file` runs a DAG file as
Airflow 3 does (airflow.sdk present) or as Airflow 2 does (airflow.sdk absent).
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import json
import os
import sys
from pathlib import Path
from unittest import mock

TESTS = Path(__file__).resolve().parent
DAGS = TESTS.parent
REPO = DAGS.parent
PIPELINES = REPO / "conf" / "pipelines"
DAG_FILES = {"nightly.py": "nightly", "retraining.py": "retraining", "nightly_backfill.py": "nightly_backfill"}

for _path in (str(DAGS), str(TESTS / "stubs")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import airflow  # noqa: E402  (the stand-in, from stubs/)
from airflow.models import variable as _variables  # noqa: E402

assert Path(airflow.__file__).resolve().is_relative_to(TESTS / "stubs"), (
    f"the tests must run on the stand-in airflow package, not {airflow.__file__}")

_counter = itertools.count()


def load_dag_file(filename: str, airflow_version: int = 3, variables: dict | None = None,
                  env: dict | None = None):
    """Runs dags/<filename> in a new module and returns it; its `dag` is what Airflow would find.

    variables: Airflow Variables (values as Airflow stores them: text; dicts become JSON).
    env: environment variables to set while the file runs.
    """
    stored = {k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in (variables or {}).items()}
    hidden = {"airflow.sdk": None} if airflow_version == 2 else {}
    spec = importlib.util.spec_from_file_location(f"dagfile_{next(_counter)}", DAGS / filename)
    module = importlib.util.module_from_spec(spec)
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.dict(os.environ, env or {}))
        if "MLOPS_PIPELINES_DIR" not in (env or {}):
            os.environ.pop("MLOPS_PIPELINES_DIR", None)  # restored on exit
        stack.enter_context(mock.patch.dict(sys.modules, hidden))
        stack.enter_context(mock.patch.dict(_variables.values, stored, clear=True))
        _variables.reads.clear()
        spec.loader.exec_module(module)
    return module


def variable_reads() -> list:
    """The Variables the last DAG file read while it was parsed: (key, deserialize_json)."""
    return list(_variables.reads)
