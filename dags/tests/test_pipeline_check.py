"""`mlops pipeline check` accepts every step of every definition and names a broken step.

The Java side (`mlops pipeline run|backfill|list|show|check`) checks what Python cannot: that
each command is a `mlops` subcommand and its options exist. These tests run the launcher:

    MLOPS_CHECK=1     run them; fail when `mlops pipeline check` is missing
    MLOPS_CHECK=0     skip them
    unset (auto)      run them when the CLI knows `pipeline check`, and
                      skip them, saying so, while it does not (before the Java side is merged);
                      `mlops help pipeline` tells

bin/mlops runs with MLOPS_NO_BUILD=1: build the project first (Maven's DagFilesIT runs after
`package`). MLOPS_BIN names another launcher (for trying the tests against a fake one).
Contract (that of `PipelineCommand.Check` on the pipeline branch): `mlops pipeline check --json
FILE...` exits 0 when every step of the definitions passes a dry run, and 1 naming
"pipeline P, step S" for each one that does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

import yaml

from support import PIPELINES, REPO

_available: bool | None = None


def mlops(*args: str) -> subprocess.CompletedProcess:
    launcher = os.environ.get("MLOPS_BIN") or str(REPO / "bin" / "mlops")
    return subprocess.run([launcher, *args], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "MLOPS_NO_BUILD": "1"})


def check(*paths: Path) -> subprocess.CompletedProcess:
    return mlops("pipeline", "check", "--json", *map(str, paths))


class PipelineCheckTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        global _available
        mode = os.environ.get("MLOPS_CHECK", "auto")
        if mode == "0":
            raise unittest.SkipTest("MLOPS_CHECK=0")
        if _available is None:
            # picocli: `help pipeline` exits 2 with "Unknown subcommand 'pipeline'" until it exists.
            probe = mlops("help", "pipeline")
            _available = probe.returncode == 0 and "check" in probe.stdout
            cls.probe = probe
        if not _available:
            message = (f"`mlops pipeline check` is not available (exit {cls.probe.returncode}: "
                       f"{(cls.probe.stderr or cls.probe.stdout).strip().splitlines()[0][:200]})")
            if mode == "1":
                raise AssertionError(message + "; MLOPS_CHECK=1 requires it")
            raise unittest.SkipTest(message + "; set MLOPS_CHECK=1 to require it")

    def test_every_definition_passes_the_check(self):
        paths = sorted(PIPELINES.glob("*.yaml"))
        result = check(*paths)  # one JVM for all: each start costs seconds
        self.assertEqual(result.returncode, 0, f"{[p.name for p in paths]}: {result.stdout}{result.stderr}")
        json.loads(result.stdout)  # --json: one JSON document on stdout

    def assertCheckNames(self, step_id: str, change):
        with tempfile.TemporaryDirectory() as folder:
            doc = yaml.safe_load((PIPELINES / "nightly.yaml").read_text())
            change({s["id"]: s for s in doc["steps"]}[step_id])
            path = Path(folder) / "nightly.yaml"
            path.write_text(yaml.safe_dump(doc, sort_keys=False))
            result = check(path)
        self.assertNotEqual(result.returncode, 0, f"the check passed a broken step {step_id}: {result.stdout}")
        self.assertIn(step_id, result.stdout + result.stderr, "the check's failure must name the step")

    def test_an_unknown_subcommand_fails_naming_the_step(self):
        self.assertCheckNames("online_verify", lambda step: step["command"].__setitem__(1, "verfy"))

    def test_an_unknown_option_fails_naming_the_step(self):
        self.assertCheckNames("monitor_performance", lambda step: step["command"].__setitem__(4, "--dat"))


if __name__ == "__main__":
    unittest.main()
