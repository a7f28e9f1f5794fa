"""Builds the platform's Airflow DAGs from the pipeline definitions of conf/pipelines.

The definitions (``<name>.yaml``) are the single list of steps: ``mlops pipeline run`` runs them
in-process, and the DAG files here (``nightly.py``, ``retraining.py``, ``nightly_backfill.py``)
turn them into one ``SparkSubmitOperator`` task per step through this module. It defines no DAG
itself, and ``.airflowignore`` keeps Airflow's DAG-folder parsing away from it; the DAG files
import it because Airflow puts the DAG folder on ``sys.path``.

Where the definitions are found, in this order:

1. the environment variable ``MLOPS_PIPELINES_DIR``;
2. the Airflow Variable ``mlops_pipelines_dir``;
3. ``pipelines/`` beside this file (a DAG folder deployed with its definitions), then
   ``../conf/pipelines`` (this repository's layout).

What the tasks run is read when a task runs, from Airflow Variables in Jinja: the job jar
(``mlops_job_jar``) and the platform config (``mlops_conf``). ``conn_id`` is not a templated
field, so the Spark settings come from the JSON Variable ``mlops_spark`` when Airflow parses the
file: ``{"conn_id": "spark_default", "conf": {"spark.executor.memory": "4g"}, "name": "mlops"}``
(every key optional). docs/PIPELINES.md, section "Airflow", says how to deploy.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

JAVA_CLASS = "dev.mlops.jobs.Mlops"
PIPELINES_DIR_ENV = "MLOPS_PIPELINES_DIR"
PIPELINES_DIR_VARIABLE = "mlops_pipelines_dir"
SPARK_VARIABLE = "mlops_spark"
JOB_JAR_TEMPLATE = "{{ var.value.mlops_job_jar }}"
CONFIG_TEMPLATE = "{{ var.value.mlops_conf }}"
# A fixed start in the past: Airflow needs one; catchup is off, so it never runs old dates.
START_DATE = _dt.datetime(2026, 1, 1, tzinfo=_dt.timezone.utc)

_TOP_KEYS = ("pipeline", "description", "schedule", "params", "defaults", "steps")
_DEFAULT_KEYS = ("retries", "retry-delay", "timeout", "pool")
_STEP_KEYS = ("id", "command", "range-command", "after", "retries", "retry-delay", "timeout", "pool")
_SPARK_KEYS = ("conn_id", "conf", "name")
_TASK_ID = re.compile(r"^[A-Za-z0-9_.-]{1,250}$")
_TEMPLATE = re.compile(r"\{\{(.*?)\}\}")
_DS_ADD = re.compile(r"^macros\.ds_add\(\s*ds\s*,\s*-?\d{1,5}\s*\)$")
_PARAM = re.compile(r"^params\.([A-Za-z_][A-Za-z0-9_]*)$")
# The durations the Java loader reads (core Durations): one number and unit; 0 alone is zero.
_DURATION = re.compile(r"^(\d+)\s*([smhdw])$")
_ZERO = re.compile(r"^0+\s*[smhdw]?$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


class PipelineError(ValueError):
    """A pipeline definition that cannot become a DAG; the message names the file and the steps."""


@dataclass(frozen=True)
class Step:
    """One step of a pipeline: a ``mlops`` command line with its scheduling settings."""

    id: str
    command: tuple[str, ...]
    range_command: tuple[str, ...] | None
    after: tuple[str, ...]
    retries: int
    retry_delay: _dt.timedelta | None
    timeout: _dt.timedelta | None
    pool: str | None


@dataclass(frozen=True)
class Pipeline:
    """A checked pipeline definition: its steps are in file order and form no cycle."""

    name: str
    path: Path
    description: str
    schedule: str | None
    params: Mapping[str, Any]
    steps: tuple[Step, ...]

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)


def pipelines_dir() -> Path:
    """The folder of the definitions (see the module's documentation for the order)."""
    configured = os.environ.get(PIPELINES_DIR_ENV) or _variable(PIPELINES_DIR_VARIABLE)
    if configured:
        folder = Path(configured)
        if not folder.is_dir():
            source = PIPELINES_DIR_ENV if os.environ.get(PIPELINES_DIR_ENV) else f"Variable {PIPELINES_DIR_VARIABLE}"
            raise PipelineError(f"Cannot find the pipeline definitions: {source} names {folder}, which is no folder. "
                                "Point it to the folder of nightly.yaml (conf/pipelines of the repository).")
        return folder
    here = Path(__file__).resolve().parent
    candidates = (here / "pipelines", here.parent / "conf" / "pipelines")
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise PipelineError(f"Cannot find the pipeline definitions: none of {', '.join(map(str, candidates))} exists. "
                        f"Deploy conf/pipelines as {candidates[0]}, or set {PIPELINES_DIR_ENV} "
                        f"or the Airflow Variable {PIPELINES_DIR_VARIABLE}.")


def load_pipeline(name: str, folder: Path | None = None) -> Pipeline:
    """Reads and checks ``<folder>/<name>.yaml``; every problem found is in the one error raised."""
    path = (folder or pipelines_dir()) / f"{name}.yaml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise PipelineError(f"Cannot read pipeline '{name}': {e}") from e
    except yaml.YAMLError as e:
        raise PipelineError(f"{path}: not valid YAML: {e}") from e
    problems: list[str] = []
    pipeline = _parse(name, path, doc, problems)
    if problems:
        raise PipelineError(f"{path}: {len(problems)} problem(s) in pipeline '{name}':\n  "
                            + "\n  ".join(problems))
    return pipeline


def pipeline_dag(name: str, folder: Path | None = None):
    """The DAG of pipeline ``name``: one Spark task per step, dependencies from ``after``."""
    air = _airflow()
    pipeline = load_pipeline(name, folder)
    spark = spark_settings()
    dag = air.DAG(
        pipeline.name,
        description=pipeline.description,
        # The run of the night after day D has {{ ds }} = D, as the definitions mean, on both
        # Airflow 2 and 3: a cron string alone gives Airflow 3 (create_cron_data_intervals False by
        # default) a CronTriggerTimetable, whose {{ ds }} is the day the run starts.
        schedule=air.CronDataIntervalTimetable(pipeline.schedule, timezone="UTC") if pipeline.schedule else None,
        start_date=START_DATE,
        catchup=False,
        # The steps replace the day's partitions of shared tables: runs never overlap.
        max_active_runs=1,
        params=dict(pipeline.params),
        tags=["mlops"],
        doc_md=f"Built from `{pipeline.path.name}` by `mlops_dags.py`: {pipeline.description}",
    )
    tasks = {}
    for step in pipeline.steps:
        optional = {"pool": step.pool} if step.pool else {}
        if step.retry_delay is not None:
            optional["retry_delay"] = step.retry_delay
        tasks[step.id] = air.SparkSubmitOperator(
            task_id=step.id,
            dag=dag,
            application=JOB_JAR_TEMPLATE,
            java_class=JAVA_CLASS,
            application_args=["--conf", CONFIG_TEMPLATE, *step.command],
            conn_id=spark["conn_id"],
            conf=dict(spark["conf"]),
            name=f"{spark['name']}-{pipeline.name}-{step.id}",
            retries=step.retries,
            execution_timeout=step.timeout,
            **optional,
        )
    for step in pipeline.steps:
        for upstream in step.after:
            tasks[step.id].set_upstream(tasks[upstream])
    return dag


def backfill_dag(name: str, folder: Path | None = None):
    """A DAG that runs ``mlops pipeline backfill <name>`` over the dates its run's params give.

    One task: the CLI runs the range steps once over the range, then the other steps day by day
    in date order, in one JVM (docs/PIPELINES.md says why this is not one task per step).
    """
    air = _airflow()
    pipeline = load_pipeline(name, folder)
    spark = spark_settings()
    dag_id = f"{pipeline.name}_backfill"
    dag = air.DAG(
        dag_id,
        description=f"Backfill of pipeline {pipeline.name} over the days start to end (params), "
                    "with mlops pipeline backfill.",
        schedule=None,
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        params={
            "start": air.Param(type="string", format="date", description="first day, yyyy-mm-dd"),
            "end": air.Param(type="string", format="date", description="last day, yyyy-mm-dd (included)"),
        },
        tags=["mlops", "backfill"],
        doc_md=f"Runs `mlops pipeline backfill {pipeline.name} --start <start> --end <end>` "
               f"over the steps of `{pipeline.path.name}`. Trigger it with conf "
               '`{"start": "2026-11-01", "end": "2026-11-30"}`.',
    )
    air.SparkSubmitOperator(
        task_id="backfill",
        dag=dag,
        application=JOB_JAR_TEMPLATE,
        java_class=JAVA_CLASS,
        application_args=["--conf", CONFIG_TEMPLATE, "pipeline", "backfill", pipeline.name,
                          "--start", "{{ params.start }}", "--end", "{{ params.end }}"],
        conn_id=spark["conn_id"],
        conf=dict(spark["conf"]),
        name=f"{spark['name']}-{dag_id}",
        # A retry would redo the whole range: re-trigger the failed days instead.
        retries=0,
        # Days x steps: no fixed bound; each day's steps keep the CLI's own checks.
        execution_timeout=None,
    )
    return dag


def spark_settings() -> dict[str, Any]:
    """``conn_id``, ``conf`` and ``name`` from the JSON Variable ``mlops_spark``, with defaults."""
    raw = _variable(SPARK_VARIABLE, deserialize_json=True)
    settings = {"conn_id": "spark_default", "conf": {}, "name": "mlops"}
    if raw is None:
        return settings
    if not isinstance(raw, dict):
        raise PipelineError(f"Airflow Variable {SPARK_VARIABLE}: expected a JSON object "
                            f"with keys {', '.join(_SPARK_KEYS)}, got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(_SPARK_KEYS))
    if unknown:
        raise PipelineError(f"Airflow Variable {SPARK_VARIABLE}: unknown key(s) {', '.join(unknown)}; "
                            f"the keys are {', '.join(_SPARK_KEYS)}")
    if "conf" in raw and not (isinstance(raw["conf"], dict) and all(isinstance(k, str) for k in raw["conf"])):
        raise PipelineError(f"Airflow Variable {SPARK_VARIABLE}: conf must be an object of Spark settings, "
                            'e.g. {"spark.executor.memory": "4g"}')
    for key in ("conn_id", "name"):
        if key in raw and not (isinstance(raw[key], str) and raw[key]):
            raise PipelineError(f"Airflow Variable {SPARK_VARIABLE}: {key} must be a non-empty string")
    settings.update(raw)
    return settings


def parse_duration(text: Any) -> _dt.timedelta:
    """``30s``, ``5m``, ``1h``, ``1d``, ``1w`` (one number, one unit), or ``0``: as the Java loader."""
    if isinstance(text, (str, int)) and not isinstance(text, bool):
        value = str(text).strip()
        if _ZERO.match(value):
            return _dt.timedelta(0)
        match = _DURATION.match(value)
        if match:
            return _dt.timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])
    raise ValueError(f"expected a duration such as 0s, 30s, 5m, 1h or 1d, got {text!r}")


# --- internals -------------------------------------------------------------------------------


class _Airflow:
    """The Airflow classes the DAGs use, from whichever Airflow is installed."""

    def __init__(self):
        try:
            # Airflow 3: the Task SDK is the public authoring API; airflow.models.Variable and
            # airflow.models.param there are compatibility shims that warn.
            from airflow.sdk import DAG, Param, Variable
        except ImportError:
            # Airflow 2.9+: no airflow.sdk.
            from airflow import DAG
            from airflow.models import Variable
            from airflow.models.param import Param
        try:
            from airflow.sdk import CronDataIntervalTimetable  # Airflow 3.1+
        except ImportError:
            # Airflow 2.9+ and 3.0 (where the core module remains).
            from airflow.timetables.interval import CronDataIntervalTimetable
        # The same module path in Airflow 2.9+ and 3.x (provider 4.8.0 and later).
        from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

        self.DAG, self.Param, self.Variable = DAG, Param, Variable
        self.CronDataIntervalTimetable = CronDataIntervalTimetable
        self.SparkSubmitOperator = SparkSubmitOperator


def _airflow() -> _Airflow:
    return _Airflow()


def _variable(key: str, deserialize_json: bool = False):
    """An Airflow Variable read while parsing, or None; None too when Airflow is not installed.

    The default goes positionally: Airflow 2 names it ``default_var``, the Task SDK ``default``.
    Airflow reads ``AIRFLOW_VAR_<KEY>`` environment variables before its metadata database.
    """
    try:
        variable = _airflow().Variable
    except ImportError:
        return None
    return variable.get(key, None, deserialize_json=deserialize_json)


def _parse(name: str, path: Path, doc: Any, problems: list[str]) -> Pipeline:
    if not isinstance(doc, dict):
        problems.append("expected a mapping with keys " + ", ".join(_TOP_KEYS))
        return Pipeline(name, path, "", None, {}, ())
    _unknown_keys(doc, _TOP_KEYS, "the top level", problems)
    if doc.get("pipeline") != name:
        problems.append(f"pipeline: must be the file's name '{name}', got {doc.get('pipeline')!r}")
    schedule = doc.get("schedule")
    if schedule is not None and not isinstance(schedule, str):
        problems.append(f"schedule: expected a cron expression or null, got {schedule!r}")
    params = doc.get("params") or {}
    if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
        problems.append("params: expected a mapping of names to values")
        params = {}
    for key, value in params.items():
        # An unquoted 2026-01-01 is a date to PyYAML and text to the Java loader; both render it alike.
        is_date = isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)
        if not isinstance(value, str) and not is_date and (not isinstance(value, int) or isinstance(value, bool)):
            problems.append(f"params.{key}: expected a text or an integer, got {value!r}; quote it "
                            "(Jinja and the local runner render true, 1.5 or null differently)")
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, dict):
        problems.append("defaults: expected a mapping with keys " + ", ".join(_DEFAULT_KEYS))
        defaults = {}
    _unknown_keys(defaults, _DEFAULT_KEYS, "defaults", problems)
    raw_steps = doc.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append("steps: expected a non-empty list of steps")
        raw_steps = []
    steps = [_step(i, raw, defaults, params, problems) for i, raw in enumerate(raw_steps)]
    steps = [s for s in steps if s is not None]
    _check_graph(steps, path, problems)
    return Pipeline(name, path, " ".join(str(doc.get("description") or "").split()),
                    schedule, dict(params), tuple(steps))


def _step(index: int, raw: Any, defaults: dict, params: dict, problems: list[str]) -> Step | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        problems.append(f"steps[{index}]: expected a mapping with an id")
        return None
    sid = raw["id"]
    where = f"step '{sid}'"
    if not _TASK_ID.match(sid):
        problems.append(f"{where}: id must be letters, digits, '_', '-' or '.' (an Airflow task id)")
    _unknown_keys(raw, _STEP_KEYS, where, problems)
    command = _command(raw.get("command"), f"{where}: command", params, False, problems)
    range_command = None
    if raw.get("range-command") is not None:
        range_command = _command(raw["range-command"], f"{where}: range-command", params, True, problems)
    after = raw.get("after") or []
    if not isinstance(after, list) or not all(isinstance(a, str) for a in after):
        problems.append(f"{where}: after: expected a list of step ids")
        after = []
    # An explicit null falls back to the defaults, as in the Java loader.
    merged = {k: raw[k] if raw.get(k) is not None else defaults.get(k) for k in _DEFAULT_KEYS}
    retries = merged["retries"] if merged["retries"] is not None else 0
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        problems.append(f"{where}: retries: expected a whole number >= 0, got {retries!r}")
        retries = 0
    durations = {}
    for key in ("retry-delay", "timeout"):
        durations[key] = None
        if merged[key] is not None:
            try:
                durations[key] = parse_duration(merged[key])
            except ValueError as e:
                problems.append(f"{where}: {key}: {e}")
    if durations["timeout"] == _dt.timedelta(0):
        durations["timeout"] = None  # timeout 0: no limit (Airflow would end the task at once)
    pool = merged["pool"]
    if pool is not None and not (isinstance(pool, str) and pool):
        problems.append(f"{where}: pool: expected the name of an Airflow pool, got {pool!r}")
        pool = None
    return Step(sid, tuple(command), tuple(range_command) if range_command is not None else None,
                tuple(after), retries, durations["retry-delay"], durations["timeout"], pool)


def _command(raw: Any, where: str, params: dict, is_range: bool, problems: list[str]) -> list[str]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: expected a non-empty list of arguments, e.g. [validate, --suite, x]")
        return []
    args = []
    for arg in raw:
        if isinstance(arg, bool) or not isinstance(arg, (str, int, float)):
            problems.append(f"{where}: argument {arg!r} is not a string or a number")
            continue
        args.append(str(arg))
        for expression in _TEMPLATE.findall(str(arg)):
            problem = _template_problem(expression.strip(), params, is_range)
            if problem:
                problems.append(f"{where}: {{{{ {expression.strip()} }}}}: {problem}")
        rest = _TEMPLATE.sub("", str(arg))
        if "{{" in rest or "}}" in rest:
            problems.append(f"{where}: unbalanced template braces in {str(arg)!r}")
    return args


def _template_problem(expression: str, params: dict, is_range: bool) -> str | None:
    param = _PARAM.match(expression)
    if param:
        if param.group(1) not in params:
            known = ", ".join(sorted(params)) or "none"
            return f"no param '{param.group(1)}' in params (params: {known})"
        return None
    # As the Java runner (core Templates): in a range-command {{ ds }} is the range's last day.
    if expression == "ds" or _DS_ADD.match(expression):
        return None
    if is_range:
        if expression in ("start", "end"):
            return None
        return "a range-command takes {{ ds }}, {{ macros.ds_add(ds, N) }}, {{ params.NAME }}, {{ start }} and {{ end }}"
    if expression in ("start", "end"):
        return "{{ start }} and {{ end }} are for range-command only; use {{ ds }}"
    return "a command takes {{ ds }}, {{ macros.ds_add(ds, N) }} and {{ params.NAME }} only"


def _unknown_keys(mapping: dict, known: tuple[str, ...], where: str, problems: list[str]) -> None:
    for key in mapping:
        if key not in known:
            problems.append(f"{where}: unknown key '{key}' (known: {', '.join(known)})")


def _check_graph(steps: list[Step], path: Path, problems: list[str]) -> None:
    ids = [s.id for s in steps]
    seen = set()
    for sid in ids:
        if sid in seen:
            problems.append(f"step '{sid}': another step has the same id; give each step its own")
        seen.add(sid)
    for step in steps:
        for upstream in step.after:
            if upstream not in seen:
                problems.append(f"step '{step.id}': after names '{upstream}', which is no step of {path.name}; "
                                f"fix the id or remove it (steps: {', '.join(ids)})")
    cycle = _find_cycle({s.id: [a for a in s.after if a in seen] for s in steps})
    if cycle:
        problems.append(f"steps {', '.join(repr(s) for s in cycle[:-1])} form a cycle "
                        f"({' -> '.join(cycle)} through 'after'); remove one of these dependencies")


def _find_cycle(after: dict[str, list[str]]) -> list[str] | None:
    """The first cycle found, as the ids along it with the first repeated at the end; or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for upstream in after.get(node, ()):
            if state.get(upstream) == 1:
                return path[path.index(upstream):] + [upstream]
            if upstream not in state:
                found = visit(upstream)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in after:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def to_json(pipeline: Pipeline) -> str:
    """The pipeline's steps as JSON (for debugging a deployment: python3 -m mlops_dags nightly)."""
    return json.dumps({"pipeline": pipeline.name, "schedule": pipeline.schedule, "params": dict(pipeline.params),
                       "steps": [{"id": s.id, "command": list(s.command), "after": list(s.after),
                                  "retries": s.retries, "pool": s.pool,
                                  "timeout": s.timeout.total_seconds() if s.timeout else None}
                                 for s in pipeline.steps]}, indent=2)


if __name__ == "__main__":
    import sys

    for pipeline_name in sys.argv[1:] or ["nightly", "retraining"]:
        print(to_json(load_pipeline(pipeline_name)))
