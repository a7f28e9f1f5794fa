package dev.mlops.validation;

/**
 * One check's result, as reported and stored in {@code validation.check_results}.
 *
 * @param check the check's name, unique in its suite
 * @param type the check type ({@code completeness}, {@code range}, ...)
 * @param severity its severity
 * @param status its outcome
 * @param observed what the data showed, as text
 * @param expected what the check wanted, as text
 * @param message a sentence for the report
 * @param failingRows rows that broke a row-level check (quarantined ones included), else -1
 */
public record CheckResult(String check, String type, Severity severity, CheckStatus status, String observed, String expected,
    String message, long failingRows) {
  /** True when this result fails the gate: an error-level check that failed or could not be evaluated. */
  public boolean failsGate() {
    return severity == Severity.ERROR && (status == CheckStatus.FAILURE || status == CheckStatus.ERROR);
  }
}
