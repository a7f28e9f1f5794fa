"""Airflow DAG `nightly_backfill`: `mlops pipeline backfill nightly` over the days a run's params give.

Triggered by hand with conf {"start": "2026-11-01", "end": "2026-11-30"}: the range steps of
conf/pipelines/nightly.yaml run once over the range, then the other steps day by day.
"""

from mlops_dags import backfill_dag

dag = backfill_dag("nightly")
