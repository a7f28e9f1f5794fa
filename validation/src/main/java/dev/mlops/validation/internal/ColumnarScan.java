package dev.mlops.validation.internal;

import dev.mlops.validation.analyzers.ScanState;
import dev.mlops.validation.analyzers.StateFold;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.PlanExpression;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The shared pass read from the column batches of a file scan, when the projection of the
 * analyzers' values is nothing but a projection of one (a table or files, partitions pruned, no
 * other filter): the batches go to the states as {@link BatchValues}, without Spark writing each
 * row's values into a row of their own, and with the values of a dictionary-encoded column's
 * expressions computed once per dictionary entry. Any other plan (a join, a filter, a format that
 * is not read as batches) goes the row way. Same states, same values; a state may take a batch of
 * them at once (see {@link dev.mlops.validation.analyzers.ValueBatch}).
 *
 * <p>Relies on Spark internals: see {@link InternalScan}.
 */
final class ColumnarScan {
  /** The Spark setting that turns the batch reading off (true by default). */
  static final String SETTING = "spark.mlops.validation.columnar";

  private final FileSourceScanExec scan;
  private final BatchValues.Plan plan;

  private ColumnarScan(FileSourceScanExec scan, BatchValues.Plan plan) {
    this.scan = scan;
    this.plan = plan;
  }

  /** The scan under {@code projection}'s plan, when it is a plain projection of a columnar file scan. */
  static Optional<ColumnarScan> of(QueryExecution projection) {
    if (!Boolean.parseBoolean(projection.sparkSession().conf().get(SETTING, "true"))) {
      return Optional.empty();
    }
    SparkPlan top = projection.executedPlan();
    SparkPlan p = top instanceof WholeStageCodegenExec w ? w.child() : top;
    List<Expression> values = null;
    if (p instanceof ProjectExec project) {
      values = new ArrayList<>();
      for (NamedExpression e : CollectionConverters.asJava(project.projectList())) {
        values.add(e instanceof Alias a ? a.child() : (Expression) e);
      }
      p = project.child();
    }
    while (p instanceof InputAdapter || p instanceof ColumnarToRowExec || p instanceof WholeStageCodegenExec) {
      p = p instanceof InputAdapter a ? a.child() : p instanceof WholeStageCodegenExec w ? w.child() : ((ColumnarToRowExec) p).child();
    }
    if (!(p instanceof FileSourceScanExec scan) || !scan.supportsColumnar()) {
      return Optional.empty();
    }
    if (values == null) {
      values = new ArrayList<>(CollectionConverters.asJava(top.output()));
    }
    if (values.stream().anyMatch(ColumnarScan::hasSubquery)) {
      return Optional.empty();
    }
    List<Attribute> output = new ArrayList<>(CollectionConverters.asJava(scan.output()));
    return Optional.of(new ColumnarScan(scan, new BatchValues.Plan(List.copyOf(values), List.copyOf(output))));
  }

  /** The scan's batches, each partition folded into states by {@code fold}. */
  JavaRDD<ScanState[]> fold(StateFold fold) {
    return scan.executeColumnar().toJavaRDD().mapPartitions(new BatchFold(fold, plan));
  }

  private static boolean hasSubquery(Expression e) {
    if (e instanceof PlanExpression) {
      return true;
    }
    for (Expression c : CollectionConverters.asJava(e.children())) {
      if (hasSubquery(c)) {
        return true;
      }
    }
    return false;
  }

  /** Folds a partition's batches, a batch at a time, into fresh states, one per analyzer. */
  private record BatchFold(StateFold fold, BatchValues.Plan plan)
      implements FlatMapFunction<Iterator<ColumnarBatch>, ScanState[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<ScanState[]> call(Iterator<ColumnarBatch> batches) {
      ScanState[] states = fold.empty();
      BatchValues values = new BatchValues(plan.sources(org.apache.spark.TaskContext.getPartitionId()));
      while (batches.hasNext()) {
        ColumnarBatch batch = batches.next();
        values.batch(batch);
        fold.addBatch(states, values);
      }
      return Collections.singletonList(states).iterator();
    }
  }
}
