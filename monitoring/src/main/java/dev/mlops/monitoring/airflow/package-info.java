/**
 * A client for Airflow's REST API: trigger a DAG run, follow its state and its task instances,
 * wait for it to end, unpause a DAG. It speaks Airflow 2's stable API ({@code /api/v1}, basic
 * authentication) and Airflow 3's API ({@code /api/v2}, a bearer token), retries what is safe to
 * retry, and makes triggers idempotent through their run id. See {@code docs/AIRFLOW.md}.
 *
 * <p>Start with {@link dev.mlops.monitoring.airflow.AirflowClient} and
 * {@link dev.mlops.monitoring.airflow.HttpAirflowClient#fromConfig}. Every value is non-null
 * unless its documentation says otherwise. Nothing here uses Spark.
 */
package dev.mlops.monitoring.airflow;
