package dev.mlops.core.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Sends Java records through Java serialization when {@code spark.serializer} is Kryo, as clusters'
 * {@code spark-defaults.conf} often set. Spark serializes task results (and broadcasts) with that
 * serializer, and the platform's executors return records (a curve scan's runs, a fold's partial
 * states); Spark's Kryo 4 builds a field serializer for them, which the JVM refuses for a record's
 * fields, so such a task failed on a standalone cluster with "Unable to create serializer
 * FieldSerializer". {@link SparkSessions} names this class in {@code spark.kryo.registrator}.
 * Stateless.
 */
public final class KryoRecords implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.addDefaultSerializer(Record.class, new JavaSerializer());
  }
}
