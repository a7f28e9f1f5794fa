"""Every task's java_class is a class of the built job jar.

The jar: $MLOPS_JOB_JAR (Maven's DagFilesIT always sets it to jobs/target/mlops-spark-job.jar,
so there a missing jar fails). Run by hand without it, the test uses that same path when the
jar was built, and is skipped, saying how to build it, when it was not.
"""

from __future__ import annotations

import os
import unittest
import zipfile
from pathlib import Path

from support import DAG_FILES, REPO, load_dag_file


class JobJarTest(unittest.TestCase):
    def jar(self) -> Path:
        configured = os.environ.get("MLOPS_JOB_JAR")
        if configured:
            path = Path(configured)
            self.assertTrue(path.is_file(), f"MLOPS_JOB_JAR={configured}: no such file; build it with "
                                            "mvn -pl jobs -am -DskipTests package")
            return path
        path = REPO / "jobs" / "target" / "mlops-spark-job.jar"
        if not path.is_file():
            self.skipTest(f"no job jar: set MLOPS_JOB_JAR, or build {path} with mvn -pl jobs -am -DskipTests package")
        return path

    def test_every_java_class_is_in_the_job_jar(self):
        jar = self.jar()
        with zipfile.ZipFile(jar) as z:
            names = set(z.namelist())
            main_class = next((line.split(":", 1)[1].strip() for line in
                               z.read("META-INF/MANIFEST.MF").decode().splitlines() if line.startswith("Main-Class:")),
                              None)
        for filename in DAG_FILES:
            for task in load_dag_file(filename).dag.tasks:
                with self.subTest(file=filename, task=task.task_id):
                    self.assertIn(task.java_class.replace(".", "/") + ".class", names,
                                  f"{jar} has no class {task.java_class}")
                    self.assertEqual(task.java_class, main_class, "the jar's Main-Class")


if __name__ == "__main__":
    unittest.main()
