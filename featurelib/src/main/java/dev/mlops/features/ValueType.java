package dev.mlops.features;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** The types a join key or a feature may have, named as in Spark SQL. */
public enum ValueType {
  BIGINT(DataTypes.LongType),
  INT(DataTypes.IntegerType),
  DOUBLE(DataTypes.DoubleType),
  FLOAT(DataTypes.FloatType),
  STRING(DataTypes.StringType),
  BOOLEAN(DataTypes.BooleanType),
  DATE(DataTypes.DateType),
  TIMESTAMP(DataTypes.TimestampType);

  private final DataType sparkType;

  ValueType(DataType sparkType) {
    this.sparkType = sparkType;
  }

  /** The Spark type. */
  public DataType sparkType() {
    return sparkType;
  }

  /** The SQL name, lower-case ({@code bigint}). */
  public String sqlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether values are numbers. */
  public boolean numeric() {
    return this == BIGINT || this == INT || this == DOUBLE || this == FLOAT;
  }

  /** The type named {@code name} ({@code bigint}, {@code long} and {@code integer} accepted too). */
  public static Optional<ValueType> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.strip().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "long" -> Optional.of(BIGINT);
      case "integer" -> Optional.of(INT);
      default -> Arrays.stream(values()).filter(v -> v.sqlName().equals(n)).findFirst();
    };
  }

  /** The type of a Spark column, if it is one of ours. */
  public static Optional<ValueType> of(DataType type) {
    return Arrays.stream(values()).filter(v -> v.sparkType.equals(type)).findFirst();
  }

  /** The accepted names, for messages. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(ValueType::sqlName).toList());
  }
}
