package dev.mlops.training.sets;

import dev.mlops.core.tables.TableVersion;
import dev.mlops.features.pit.ViewPin;
import dev.mlops.features.registry.RegisteredService;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A model's training set as built: the spine's rows with the service's features at each row's
 * time, and everything needed to build the same rows again.
 *
 * @param rows the spine's columns, then the features
 * @param service the feature service, at its resolved version
 * @param featureColumns the model's input columns: the features used, then the request features
 * @param viewPins every view read, at the Delta version of its table
 * @param sources the spine's source tables, at the versions read
 * @param spineSql the spine query as run, with its tables pinned
 */
public record BuiltTrainingSet(Dataset<Row> rows, RegisteredService service, List<String> featureColumns,
    List<ViewPin> viewPins, List<TableVersion> sources, String spineSql) {}
