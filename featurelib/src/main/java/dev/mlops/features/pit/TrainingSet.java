package dev.mlops.features.pit;

import dev.mlops.features.registry.RegisteredService;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The result of a historical retrieval: the spine's rows with the service's features as they
 * were at each row's time, and the pins that make the same call return the same rows later.
 *
 * @param rows the spine's columns followed by the features, one row per spine row
 * @param service the service
 * @param pins every view read, at its Delta version
 */
public record TrainingSet(Dataset<Row> rows, RegisteredService service, List<ViewPin> pins) {}
