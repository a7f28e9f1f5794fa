/**
 * The drift report: one self-contained HTML page per drift run ({@link
 * dev.mlops.monitoring.report.DriftHtmlReport}), with the model's performance trend beside it when
 * there is one ({@link dev.mlops.monitoring.performance.PerformancePoint}).
 */
package dev.mlops.monitoring.report;
