"""Airflow DAG `retraining`: the steps of conf/pipelines/retraining.yaml, one Spark task per step.

No schedule: drift and performance alerts trigger it through Airflow's REST API with conf
{"model", "reason", "alert_ids"}; the conf's model overrides the definition's params.model.
"""

from mlops_dags import pipeline_dag

dag = pipeline_dag("retraining")
