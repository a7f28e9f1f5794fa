"""A broken step in a definition fails with the step's id: the loader's own checks.

Each test writes a broken copy of conf/pipelines/nightly.yaml into a temporary folder and loads
it there, through the loader and through the DAG file (what Airflow shows as an import error).
"""

from __future__ import annotations

import datetime
import tempfile
import unittest
from pathlib import Path

import yaml

from support import PIPELINES, load_dag_file

import mlops_dags
from mlops_dags import PipelineError


def broken_nightly(folder: Path, change) -> Path:
    """Writes nightly.yaml, changed by change(doc, steps by id), into folder."""
    doc = yaml.safe_load((PIPELINES / "nightly.yaml").read_text())
    change(doc, {s["id"]: s for s in doc["steps"]})
    (folder / "nightly.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    return folder


class BrokenDefinitionTest(unittest.TestCase):
    def setUp(self):
        self.folder = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def assertFails(self, change, *fragments):
        broken_nightly(self.folder, change)
        with self.assertRaises(PipelineError) as caught:
            mlops_dags.load_pipeline("nightly", self.folder)
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))
        # The DAG file fails the same way when the folder is configured for it.
        with self.assertRaises(PipelineError) as from_dag_file:
            load_dag_file("nightly.py", env={"MLOPS_PIPELINES_DIR": str(self.folder)})
        self.assertEqual(str(from_dag_file.exception), str(caught.exception))
        return str(caught.exception)

    def test_the_copy_unchanged_loads(self):
        broken_nightly(self.folder, lambda doc, steps: None)
        pipeline = mlops_dags.load_pipeline("nightly", self.folder)
        original = yaml.safe_load((PIPELINES / "nightly.yaml").read_text())["steps"]
        self.assertEqual([s.id for s in pipeline.steps], [s["id"] for s in original])
        dag = load_dag_file("nightly.py", env={"MLOPS_PIPELINES_DIR": str(self.folder)}).dag
        self.assertEqual(sorted(dag.task_dict), sorted(s["id"] for s in original))

    def test_an_explicit_null_takes_the_defaults_as_in_the_java_loader(self):
        def nulls(doc, steps):
            doc["defaults"]["timeout"] = "1h"
            doc["defaults"]["retries"] = 2
            steps["score"]["timeout"] = None
            steps["score"]["retries"] = None
            steps["drift"]["timeout"] = "0s"
        broken_nightly(self.folder, nulls)
        pipeline = mlops_dags.load_pipeline("nightly", self.folder)
        self.assertEqual(pipeline.step("score").timeout, mlops_dags.parse_duration("1h"))
        self.assertEqual(pipeline.step("score").retries, 2)
        self.assertIsNone(pipeline.step("drift").timeout, "a timeout of 0 is no limit")

    def test_a_cycle_names_its_steps(self):
        def cycle(doc, steps):
            steps["validate_raw_transactions"]["after"] = ["drift"]
        message = self.assertFails(cycle, "form a cycle", "'validate_raw_transactions'", "'drift'",
                                   "'validate_predictions'", "'score'")
        self.assertRegex(message, r"validate_raw_transactions -> drift -> .* -> validate_raw_transactions")

    def test_a_step_after_itself_is_a_cycle(self):
        self.assertFails(lambda doc, steps: steps["score"].update(after=["score"]),
                         "steps 'score' form a cycle (score -> score")

    def test_a_dependency_on_a_missing_step_names_both(self):
        self.assertFails(lambda doc, steps: steps["score"].update(after=["validate_features", "materialise_spend"]),
                         "step 'score': after names 'materialise_spend', which is no step of nightly.yaml")

    def test_an_unknown_param_in_a_template_names_the_step(self):
        self.assertFails(lambda doc, steps: steps["drift"]["command"].__setitem__(2, "{{ params.modle }}"),
                         "step 'drift': command: {{ params.modle }}: no param 'modle' in params (params: model, service)")

    def test_a_param_jinja_renders_otherwise_than_java_is_refused(self):
        self.assertFails(lambda doc, steps: doc["params"].update(strict=True),
                         "params.strict: expected a text or an integer, got True; quote it")

    def test_an_unquoted_date_param_loads_as_in_java(self):
        broken_nightly(self.folder, lambda doc, steps: doc["params"].update(since=datetime.date(2026, 1, 1)))
        self.assertEqual(mlops_dags.load_pipeline("nightly", self.folder).params["since"], datetime.date(2026, 1, 1))

    def test_start_and_end_only_in_range_commands(self):
        self.assertFails(lambda doc, steps: steps["materialize_merchant_risk"]["command"].__setitem__(4, "{{ start }}"),
                         "step 'materialize_merchant_risk': command: {{ start }}: {{ start }} and {{ end }} "
                         "are for range-command only")

    def test_an_unknown_template_names_the_step(self):
        self.assertFails(lambda doc, steps: steps["score"]["command"].__setitem__(4, "{{ yesterday_ds }}"),
                         "step 'score': command: {{ yesterday_ds }}: a command takes {{ ds }}")

    def test_a_range_command_may_read_ds_its_last_day(self):
        def ranged(doc, steps):
            steps["drift"]["range-command"] = ["drift", "--start", "{{ start }}", "--end", "{{ macros.ds_add(ds, 1) }}"]
        broken_nightly(self.folder, ranged)
        self.assertEqual(mlops_dags.load_pipeline("nightly", self.folder).step("drift").range_command[-1],
                         "{{ macros.ds_add(ds, 1) }}")

    def test_unbalanced_braces_name_the_step(self):
        self.assertFails(lambda doc, steps: steps["score"]["command"].__setitem__(4, "{{ ds }"),
                         "step 'score': command: unbalanced template braces in '{{ ds }'")

    def test_an_unknown_key_names_the_step(self):
        self.assertFails(lambda doc, steps: steps["online_sync"].update(retires=3),
                         "step 'online_sync': unknown key 'retires'")

    def test_a_bad_duration_names_the_step(self):
        self.assertFails(lambda doc, steps: steps["score"].update(timeout="an hour"),
                         "step 'score': timeout: expected a duration")

    def test_a_duplicate_id_names_the_step(self):
        self.assertFails(lambda doc, steps: doc["steps"].append({"id": "score", "command": ["score"]}),
                         "step 'score': another step has the same id")

    def test_an_empty_command_names_the_step(self):
        self.assertFails(lambda doc, steps: steps["online_verify"].update(command=[]),
                         "step 'online_verify': command: expected a non-empty list")

    def test_every_problem_is_reported_at_once(self):
        def two(doc, steps):
            steps["score"]["after"] = ["nope"]
            steps["drift"]["pool"] = ""
        self.assertFails(two, "2 problem(s)", "step 'score'", "step 'drift': pool")

    def test_a_missing_folder_names_the_setting(self):
        with self.assertRaisesRegex(PipelineError, "MLOPS_PIPELINES_DIR names /nonexistent, which is no folder"):
            load_dag_file("nightly.py", env={"MLOPS_PIPELINES_DIR": "/nonexistent"})
        with self.assertRaisesRegex(PipelineError, "Variable mlops_pipelines_dir names /nonexistent"):
            load_dag_file("nightly.py", variables={"mlops_pipelines_dir": "/nonexistent"})

    def test_the_variable_or_env_var_chooses_the_folder(self):
        broken_nightly(self.folder, lambda doc, steps: doc.update(description="from the copy"))
        for how in ({"env": {"MLOPS_PIPELINES_DIR": str(self.folder)}},
                    {"variables": {"mlops_pipelines_dir": str(self.folder)}}):
            with self.subTest(**{k: list(v) for k, v in how.items()}):
                self.assertEqual(load_dag_file("nightly.py", **how).dag.description, "from the copy")
        self.assertNotEqual(load_dag_file("nightly.py").dag.description, "from the copy")


class DurationTest(unittest.TestCase):
    def test_durations_are_read_as_the_java_loader_reads_them(self):
        for text, seconds in (("90s", 90), ("5m", 300), ("5 m", 300), ("1h", 3600), ("2d", 172800),
                              ("1w", 604800), ("0", 0), ("0s", 0)):
            self.assertEqual(mlops_dags.parse_duration(text).total_seconds(), seconds, text)
        for bad in ("", "5", "1.5h", "m", "1h30m", "-1h", True, None):
            self.assertRaises(ValueError, mlops_dags.parse_duration, bad)


if __name__ == "__main__":
    unittest.main()
