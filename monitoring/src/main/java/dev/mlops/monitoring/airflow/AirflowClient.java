package dev.mlops.monitoring.airflow;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Airflow's REST API as the platform uses it: trigger DAG runs, follow them, unpause DAGs.
 *
 * <p>Obtain one with {@link HttpAirflowClient#fromConfig} (from a config's {@code airflow}
 * section) or {@link HttpAirflowClient#builder}; tests of code that triggers runs can implement
 * this interface with a fake. Implementations are thread-safe. Every method throws an
 * {@link AirflowException} whose message says what failed and how to fix it.
 */
public interface AirflowClient {

  /**
   * The DAG {@code dagId}: whether it is paused.
   *
   * @throws AirflowException when Airflow has no such DAG, refuses the call or cannot be reached
   */
  Dag dag(String dagId);

  /**
   * Unpauses the DAG {@code dagId} (nothing changes if it is not paused) and returns it as
   * Airflow now reports it.
   *
   * @throws AirflowException when Airflow has no such DAG, the user may not edit it, or Airflow
   *     cannot be reached
   */
  Dag unpause(String dagId);

  /**
   * Triggers a run of the DAG {@code dagId}. The run id is the request's, or one derived by
   * {@link RunIds#derive} before the first attempt; every retry sends the same id. When Airflow
   * already has a run with that id (HTTP 409: an earlier call, or an attempt of this one whose
   * answer was lost), nothing new starts and the existing run is returned with
   * {@link TriggerResult#existing()} set, so a trigger with a fixed run id is idempotent.
   *
   * <p>A paused DAG is handled by the request's {@link PausedPolicy}: by default the run is
   * triggered and stays queued, and the result's warnings say so.
   *
   * @throws AirflowException when the DAG does not exist or is paused and an unpaused DAG was
   *     required, Airflow rejects the request (a conf its params refuse, a logical date another
   *     run has), the user may not trigger it, or Airflow cannot be reached
   */
  TriggerResult trigger(String dagId, TriggerRequest request);

  /**
   * The run {@code runId} of the DAG {@code dagId}, as Airflow reports it now.
   *
   * @throws AirflowException when Airflow has no such run, refuses the call or cannot be reached
   */
  DagRun run(String dagId, String runId);

  /**
   * Every task instance of the run {@code runId} of the DAG {@code dagId}: its state, try
   * number, start, end and duration. Reads every page Airflow splits them into.
   *
   * @throws AirflowException when Airflow has no such run, refuses the call or cannot be reached
   */
  List<TaskInstance> tasks(String dagId, String runId);

  /**
   * Polls the run until it ends ({@link RunState#isTerminal()}) and returns it, whether it
   * succeeded or failed. Polls back off exponentially up to a cap; {@code onChange} is called
   * with the run on the first poll and whenever its state changes, for progress messages.
   *
   * @throws AirflowException when the run has not ended within {@code timeout} (the message names
   *     the run and its last state), or a poll fails
   */
  DagRun waitFor(String dagId, String runId, Duration timeout, Consumer<DagRun> onChange);
}
