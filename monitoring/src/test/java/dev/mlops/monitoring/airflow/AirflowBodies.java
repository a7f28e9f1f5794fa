package dev.mlops.monitoring.airflow;

/**
 * Answers shaped exactly like Airflow's: every field of Airflow 2.9's {@code DAG},
 * {@code DAGRun} and {@code TaskInstance} ({@code /api/v1}) and every required field of Airflow
 * 3's {@code DAGResponse}, {@code DAGRunResponse} and {@code TaskInstanceResponse}
 * ({@code /api/v2}), with the date formats each sends ({@code +00:00} and {@code Z}).
 */
final class AirflowBodies {
  static final String DAG = "train_fraud";
  static final String STARTED = "2026-12-06T10:00:05.123456";
  static final String ENDED = "2026-12-06T10:07:35.623456";

  private AirflowBodies() {}

  static String dag(int v, String dagId, boolean paused) {
    if (v == 1) {
      return """
          {"dag_id": "%1$s", "dag_display_name": "%1$s", "root_dag_id": null, "is_paused": %2$s, "is_active": true,
           "is_subdag": false, "last_parsed_time": "2026-12-06T09:58:12.345678+00:00", "last_pickled": null,
           "last_expired": null, "scheduler_lock": null, "pickle_id": null, "default_view": "grid",
           "fileloc": "/opt/airflow/dags/%1$s.py", "file_token": "Ii9vcHQvYWlyZmxvdy9kYWdzLyI.x1", "owners": ["mlops"],
           "description": "Retrain the fraud model", "schedule_interval": null,
           "timetable_description": "Never, external triggers only", "tags": [{"name": "mlops"}], "max_active_tasks": 16,
           "max_active_runs": 1, "has_task_concurrency_limits": false, "has_import_errors": false, "next_dagrun": null,
           "next_dagrun_data_interval_start": null, "next_dagrun_data_interval_end": null,
           "next_dagrun_create_after": null, "max_consecutive_failed_dag_runs": 0}""".formatted(dagId, paused);
    }
    return """
        {"dag_id": "%1$s", "dag_display_name": "%1$s", "is_paused": %2$s, "is_stale": false,
         "last_parsed_time": "2026-12-06T09:58:12.345678Z", "last_expired": null, "bundle_name": "dags-folder",
         "bundle_version": null, "relative_fileloc": "%1$s.py", "fileloc": "/opt/airflow/dags/%1$s.py",
         "description": "Retrain the fraud model", "timetable_summary": null,
         "timetable_description": "Never, external triggers only",
         "tags": [{"name": "mlops", "dag_id": "%1$s", "dag_display_name": "%1$s"}], "max_active_tasks": 16,
         "max_active_runs": 1, "max_consecutive_failed_dag_runs": 0, "has_task_concurrency_limits": false,
         "has_import_errors": false, "next_dagrun_logical_date": null, "next_dagrun_data_interval_start": null,
         "next_dagrun_data_interval_end": null, "next_dagrun_run_after": null, "owners": ["mlops"],
         "file_token": "Ii9vcHQvYWlyZmxvdy9kYWdzLyI.x1"}""".formatted(dagId, paused);
  }

  /**
   * A run in {@code state}: started unless queued, ended when terminal.
   *
   * @param logicalDate {@code 2026-12-01T00:00:00} (UTC, written in the version's format), or null
   * @param conf the conf as JSON
   */
  static String dagRun(int v, String runId, String state, String logicalDate, String conf) {
    boolean started = !state.equals("queued");
    boolean ended = state.equals("success") || state.equals("failed");
    String start = started ? date(v, STARTED) : "null";
    String end = ended ? date(v, ENDED) : "null";
    String logical = logicalDate == null ? "null" : date(v, logicalDate);
    if (v == 1) {
      return """
          {"dag_run_id": "%1$s", "dag_id": "%2$s", "logical_date": %3$s, "execution_date": %3$s, "start_date": %4$s,
           "end_date": %5$s, "data_interval_start": %3$s, "data_interval_end": %3$s, "last_scheduling_decision": null,
           "run_type": "manual", "state": "%6$s", "external_trigger": true, "conf": %7$s, "note": null}"""
          .formatted(runId, DAG, logical, start, end, state, conf);
    }
    return """
        {"dag_run_id": "%1$s", "dag_id": "%2$s", "logical_date": %3$s, "queued_at": "2026-12-06T10:00:00.512345Z",
         "start_date": %4$s, "end_date": %5$s, "duration": %6$s, "data_interval_start": %3$s, "data_interval_end": %3$s,
         "run_after": "2026-12-06T10:00:00.500000Z", "last_scheduling_decision": null, "run_type": "manual",
         "state": "%7$s", "triggered_by": "rest_api", "triggering_user_name": "mlops", "conf": %8$s, "note": null,
         "dag_versions": [{"id": "0193a9c4-7d2e-7c4a-9b1e-2f3a4b5c6d7e", "version_number": 1, "dag_id": "%2$s",
           "bundle_name": "dags-folder", "bundle_version": null, "created_at": "2026-12-01T08:00:00.000000Z",
           "dag_display_name": "%2$s", "bundle_url": null}],
         "bundle_version": null, "dag_display_name": "%2$s"}"""
        .formatted(runId, DAG, logical, start, end, ended ? "450.5" : "null", state, conf);
  }

  /** One task instance; {@code state} null for "no status", {@code ended} says whether it has an end. */
  static String task(int v, String runId, String taskId, String state, int tryNumber, boolean ended) {
    String start = state == null || state.equals("none") ? "null" : date(v, STARTED);
    String end = ended ? date(v, ENDED) : "null";
    String duration = ended ? "450.5" : "null";
    String st = state == null ? "null" : "\"" + state + "\"";
    if (v == 1) {
      return """
          {"task_id": "%1$s", "task_display_name": "%1$s", "dag_id": "%2$s", "dag_run_id": "%3$s",
           "execution_date": "2026-12-06T10:00:00+00:00", "start_date": %4$s, "end_date": %5$s, "duration": %6$s,
           "state": %7$s, "try_number": %8$d, "map_index": -1, "max_tries": 2, "hostname": "worker-1",
           "unixname": "airflow", "pool": "default_pool", "pool_slots": 1, "queue": "default", "priority_weight": 2,
           "operator": "SparkSubmitOperator", "queued_when": "2026-12-06T10:00:04.000000+00:00", "pid": 4242,
           "executor_config": "{}", "sla_miss": null, "rendered_map_index": null, "rendered_fields": {},
           "trigger": null, "triggerer_job": null, "note": null}"""
          .formatted(taskId, DAG, runId, start, end, duration, st, tryNumber);
    }
    return """
        {"id": "0193a9c5-1111-7c4a-9b1e-%9$s", "task_id": "%1$s", "dag_id": "%2$s", "dag_run_id": "%3$s",
         "map_index": -1, "logical_date": null, "run_after": "2026-12-06T10:00:00.500000Z", "start_date": %4$s,
         "end_date": %5$s, "duration": %6$s, "state": %7$s, "try_number": %8$d, "max_tries": 2,
         "task_display_name": "%1$s", "dag_display_name": "%2$s", "hostname": "worker-1", "unixname": "airflow",
         "pool": "default_pool", "pool_slots": 1, "queue": "default", "priority_weight": 2,
         "operator": "SparkSubmitOperator", "operator_name": "SparkSubmitOperator",
         "queued_when": "2026-12-06T10:00:04.000000Z", "scheduled_when": "2026-12-06T10:00:03.000000Z", "pid": 4242,
         "executor": null, "executor_config": "{}", "note": null, "rendered_map_index": null, "rendered_fields": {},
         "trigger": null, "triggerer_job": null, "dag_version": null}"""
        .formatted(taskId, DAG, runId, start, end, duration, st, tryNumber,
            String.format("%012x", Math.abs(taskId.hashCode())));
  }

  static String taskPage(int totalEntries, String... tasks) {
    return "{\"task_instances\": [" + String.join(", ", tasks) + "], \"total_entries\": " + totalEntries + "}";
  }

  /** {@code local} (UTC) as the version writes it: {@code +00:00} for Airflow 2, {@code Z} for 3. */
  static String date(int v, String local) {
    return "\"" + local + (v == 1 ? "+00:00" : "Z") + "\"";
  }
}
