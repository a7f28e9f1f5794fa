package dev.mlops.features.repo;

import dev.mlops.features.Source;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * Tells the schemas that validating a repository needs: of sources, of a SQL view's output, of
 * expressions over a schema. Each method throws {@link SchemaException} with Spark's reason when
 * the thing cannot be resolved.
 */
public interface SchemaResolver {
  /** The columns of {@code source}. */
  StructType source(Source source);

  /** The output columns of {@code sql} run over {@code sources}, each visible under its name. */
  StructType query(List<Source> sources, String sql);

  /** The type of each expression evaluated over rows of {@code input}. */
  StructType expressions(StructType input, List<String> expressions);

  /** Could not resolve: the message is Spark's, short. */
  final class SchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SchemaException(String message) {
      super(message);
    }
  }
}
