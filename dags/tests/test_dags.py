"""The DAG files build, from conf/pipelines, the DAGs the definitions describe."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import unittest

import yaml

from support import DAG_FILES, DAGS, PIPELINES, load_dag_file, variable_reads

from airflow import DAG
from airflow.models.param import Param
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.timetables.interval import CronDataIntervalTimetable

CONFIG = "{{ var.value.mlops_conf }}"
JAR = "{{ var.value.mlops_job_jar }}"
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def definition(name):
    """The YAML as written, read here without the loader under test."""
    return yaml.safe_load((PIPELINES / f"{name}.yaml").read_text())


def seconds(text):
    """'5m' -> 300: the single-unit durations the definitions use."""
    return int(text[:-1]) * UNITS[text[-1]]


def acyclic(dag):
    """True when the task graph has a topological order (Kahn's algorithm)."""
    waiting = {t.task_id: set(t.upstream_task_ids) for t in dag.tasks}
    while waiting:
        ready = [t for t, up in waiting.items() if not up]
        if not ready:
            return False
        for t in ready:
            del waiting[t]
        for up in waiting.values():
            up.difference_update(ready)
    return True


class DagFilesTest(unittest.TestCase):
    def test_every_dag_file_imports_on_airflow_2_and_3(self):
        for filename, dag_id in DAG_FILES.items():
            for version in (2, 3):
                with self.subTest(file=filename, airflow=version):
                    module = load_dag_file(filename, airflow_version=version)
                    self.assertIsInstance(module.dag, DAG)
                    self.assertEqual(module.dag.dag_id, dag_id)

    def test_airflow_parses_the_dag_files_and_ignores_the_helper_and_tests(self):
        # Airflow's safe mode imports only .py files that contain both words (case-insensitive).
        for filename in DAG_FILES:
            text = (DAGS / filename).read_text().lower()
            self.assertTrue("airflow" in text and "dag" in text, f"{filename}: Airflow's safe mode would skip it")
        patterns = [p for p in (DAGS / ".airflowignore").read_text().splitlines() if p.strip()]

        def ignored(rel):
            # regexp syntax (Airflow 2's default): re.search on the path relative to the DAG folder;
            # glob syntax (Airflow 3's default): gitignore-like, a pattern without '/' matches any name.
            by_regexp = any(re.search(p, rel) for p in patterns)
            by_glob = any(fnmatch.fnmatch(part, p.replace("\\.", ".")) for p in patterns for part in rel.split("/"))
            return by_regexp, by_glob

        for rel in ("mlops_dags.py", "tests", "tests/stubs/airflow/models/dag.py"):
            self.assertEqual(ignored(rel), (True, True), rel)
        for rel in DAG_FILES:
            self.assertEqual(ignored(rel), (False, False), rel)
        import mlops_dags
        self.assertFalse([n for n, v in vars(mlops_dags).items() if isinstance(v, DAG)],
                         "the helper must define no DAG of its own")

    def test_each_pipeline_dag_has_the_steps_and_edges_of_its_yaml(self):
        for name in ("nightly", "retraining"):
            with self.subTest(pipeline=name):
                dag = load_dag_file(f"{name}.py").dag
                steps = definition(name)["steps"]
                self.assertEqual(sorted(dag.task_dict), sorted(s["id"] for s in steps))
                edges = {(up, t.task_id) for t in dag.tasks for up in t.upstream_task_ids}
                expected = {(up, s["id"]) for s in steps for up in s.get("after", [])}
                self.assertEqual(edges, expected)
                self.assertTrue(acyclic(dag), f"{name}: the task graph has a cycle")

    def test_each_task_runs_its_steps_command_through_the_job_jar(self):
        for name in ("nightly", "retraining"):
            dag = load_dag_file(f"{name}.py").dag
            for step in definition(name)["steps"]:
                with self.subTest(pipeline=name, step=step["id"]):
                    task = dag.task_dict[step["id"]]
                    self.assertIsInstance(task, SparkSubmitOperator)
                    self.assertEqual(task.application_args, ["--conf", CONFIG, *map(str, step["command"])])
                    self.assertEqual(task.application, JAR)
                    self.assertEqual(task.java_class, "dev.mlops.jobs.Mlops")
                    self.assertEqual(task.conn_id, "spark_default")
                    self.assertEqual(task.conf, {})
                    self.assertEqual(task.name, f"mlops-{name}-{step['id']}")

    def test_retries_delays_timeouts_and_pools_follow_the_definition(self):
        for name in ("nightly", "retraining"):
            doc = definition(name)
            defaults = doc.get("defaults") or {}
            dag = load_dag_file(f"{name}.py").dag
            for step in doc["steps"]:
                with self.subTest(pipeline=name, step=step["id"]):
                    task = dag.task_dict[step["id"]]
                    merged = {**defaults, **step}
                    self.assertEqual(task.retries, merged.get("retries", 0))
                    delay = merged.get("retry-delay")
                    self.assertEqual(task.retry_delay, dt.timedelta(seconds=seconds(delay) if delay else 300))
                    timeout = merged.get("timeout")
                    self.assertEqual(task.execution_timeout, dt.timedelta(seconds=seconds(timeout)) if timeout else None)
                    self.assertEqual(task.pool, merged.get("pool", "default_pool"))
        self.assertEqual(load_dag_file("nightly.py").dag.task_dict["online_sync"].pool, "redis")

    def test_nightly_is_scheduled_by_its_yaml_without_catchup_one_run_at_a_time(self):
        doc = definition("nightly")
        for version in (2, 3):
            with self.subTest(airflow=version):
                schedule = load_dag_file("nightly.py", version).dag.schedule
                # A data-interval timetable: the run after day D has {{ ds }} = D on Airflow 3 too.
                self.assertIsInstance(schedule, CronDataIntervalTimetable)
                self.assertEqual((schedule.cron, schedule.timezone), (doc["schedule"], "UTC"))
        dag = load_dag_file("nightly.py").dag
        self.assertIs(dag.catchup, False)
        self.assertEqual(dag.max_active_runs, 1)
        self.assertEqual(dag.params, doc["params"])
        self.assertEqual(dag.start_date.utcoffset(), dt.timedelta(0))
        self.assertLess(dag.start_date, dt.datetime.now(dt.timezone.utc))

    def test_retraining_has_no_schedule_and_the_yamls_params(self):
        dag = load_dag_file("retraining.py").dag
        self.assertIsNone(dag.schedule)
        self.assertIs(dag.catchup, False)
        self.assertEqual(dag.params, definition("retraining")["params"])

    def test_the_backfill_dag_runs_pipeline_backfill_over_its_params(self):
        dag = load_dag_file("nightly_backfill.py").dag
        self.assertIsNone(dag.schedule)
        self.assertIs(dag.catchup, False)
        self.assertEqual(dag.max_active_runs, 1)
        self.assertEqual(sorted(dag.params), ["end", "start"])
        for param in dag.params.values():
            self.assertIsInstance(param, Param)
            self.assertFalse(param.has_value(), "start and end must be given by the run's conf")
            self.assertEqual(param.validate("2026-11-30"), "2026-11-30")
            self.assertRaises(ValueError, param.validate, "30/11/2026")
        [task] = dag.tasks
        self.assertEqual(task.application_args, ["--conf", CONFIG, "pipeline", "backfill", "nightly",
                                                 "--start", "{{ params.start }}", "--end", "{{ params.end }}"])
        self.assertEqual((task.retries, task.execution_timeout), (0, None))

    def test_templates_are_only_in_templated_fields(self):
        for filename in DAG_FILES:
            for task in load_dag_file(filename).dag.tasks:
                for attribute, value in vars(task).items():
                    if attribute not in type(task).template_fields and "{{" in repr(value):
                        self.fail(f"{filename}: task {task.task_id}: {attribute} holds a template, "
                                  "which Airflow does not render there")

    def test_the_spark_variable_sets_connection_conf_and_name(self):
        spark = {"conn_id": "spark_yarn", "conf": {"spark.executor.memory": "4g"}, "name": "fraud"}
        for version in (2, 3):
            with self.subTest(airflow=version):
                dag = load_dag_file("nightly.py", version, variables={"mlops_spark": spark}).dag
                score = dag.task_dict["score"]
                self.assertEqual((score.conn_id, score.conf, score.name),
                                 ("spark_yarn", {"spark.executor.memory": "4g"}, "fraud-nightly-score"))
                self.assertEqual(sorted({key for key, _ in variable_reads()}), ["mlops_pipelines_dir", "mlops_spark"],
                                 "the jar and the config path are read when a task runs, in Jinja")

    def test_a_bad_spark_variable_is_refused_with_its_key(self):
        import mlops_dags
        with self.assertRaisesRegex(mlops_dags.PipelineError, r"mlops_spark: unknown key\(s\) conn"):
            load_dag_file("nightly.py", variables={"mlops_spark": {"conn": "spark_yarn"}})

    def test_templates_render_with_airflows_context(self):
        try:
            import jinja2
        except ImportError:
            self.skipTest("jinja2 is not installed (Airflow brings it); the templates' syntax is checked by the loader")

        class Macros:
            @staticmethod
            def ds_add(ds, days):
                return (dt.date.fromisoformat(ds) + dt.timedelta(days=days)).isoformat()

        env = jinja2.Environment(undefined=jinja2.StrictUndefined)
        for filename in DAG_FILES:
            dag = load_dag_file(filename).dag
            params = {k: (v.value if isinstance(v, Param) else v) for k, v in dag.params.items()}
            params.update(start="2026-11-01", end="2026-11-30") if "start" in params else None
            context = {"ds": "2026-12-01", "params": params, "macros": Macros,
                       "var": {"value": {"mlops_conf": "conf/prod.yaml", "mlops_job_jar": "/opt/mlops.jar"}}}
            for task in dag.tasks:
                rendered = [env.from_string(a).render(context) for a in task.application_args]
                self.assertEqual(rendered[:2], ["--conf", "conf/prod.yaml"])
                self.assertFalse([a for a in rendered if "{" in a or a == ""], f"{filename}: {task.task_id}: {rendered}")


class StandInsTest(unittest.TestCase):
    """The stand-ins refuse what the real classes refuse, so the tests above mean something."""

    def test_an_argument_the_operator_does_not_take_fails(self):
        for wrong in ({"spark_conn_id": "x"}, {"queue_name": "x"}, {"post_submit_commands": []}, {"sla": None}):
            with self.subTest(argument=next(iter(wrong))):
                self.assertRaises(TypeError, SparkSubmitOperator, task_id="t", **wrong)
        self.assertRaises(TypeError, DAG, "d", schedule_interval="@daily")
        self.assertRaises(TypeError, DAG, "d", fail_stop=True)

    def test_the_variable_default_is_named_differently_in_airflow_2_and_3(self):
        from airflow.models import Variable as Variable2
        from airflow.sdk import Variable as Variable3
        self.assertIsNone(Variable2.get("absent", None))
        self.assertIsNone(Variable3.get("absent", None))
        self.assertRaises(TypeError, Variable3.get, "absent", default_var=None)
        self.assertRaises(TypeError, Variable2.get, "absent", default=None)

    def test_without_airflow_sdk_the_airflow_2_classes_are_used(self):
        import sys
        from unittest import mock

        import mlops_dags
        from airflow.models import Variable as Variable2
        with mock.patch.dict(sys.modules, {"airflow.sdk": None}):
            self.assertIs(mlops_dags._airflow().Variable, Variable2)
        self.assertIsNot(mlops_dags._airflow().Variable, Variable2)


if __name__ == "__main__":
    unittest.main()
