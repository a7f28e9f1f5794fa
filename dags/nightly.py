"""Airflow DAG `nightly`: the steps of conf/pipelines/nightly.yaml, one Spark task per step.

Scheduled by the definition's cron (UTC), no catchup, one run at a time. The steps, their
commands, dependencies, retries, timeouts and pools are all in the YAML; see mlops_dags.py.
"""

from mlops_dags import pipeline_dag

dag = pipeline_dag("nightly")
