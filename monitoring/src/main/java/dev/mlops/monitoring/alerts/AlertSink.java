package dev.mlops.monitoring.alerts;

import dev.mlops.core.runs.JobRun;
import java.util.List;

/**
 * Where monitoring sends the alerts a run raised: the alerts table ({@link TableAlertSink}), and,
 * in a deployment that asks for it, a retraining trigger. A sink receives every alert of the run,
 * raised before or not; it keeps its own record of what it already acted on.
 *
 * <p>Implementations say whether they are thread-safe.
 */
public interface AlertSink {
  /**
   * Takes the alerts {@code run} raised.
   *
   * @return the alerts it had not seen before
   */
  List<Alert> deliver(List<Alert> alerts, JobRun run);

  /**
   * Gives {@code alerts} to every one of {@code sinks}, in order.
   *
   * @return the alerts the first sink (the record of what was raised before) had not seen; all of
   *     them when there is no sink
   */
  static List<Alert> deliverAll(List<AlertSink> sinks, List<Alert> alerts, JobRun run) {
    List<Alert> fresh = alerts;
    for (int i = 0; i < sinks.size(); i++) {
      List<Alert> unseen = sinks.get(i).deliver(alerts, run);
      fresh = i == 0 ? unseen : fresh;
    }
    return fresh;
  }
}
