package io.img2rec.spark;

import scala.jdk.javaapi.CollectionConverters;

import java.util.List;
import java.util.Map;

/** Java collections as the Scala ones that Spark's row encoder expects for array and map columns. */
final class SparkValues {
    private SparkValues() {
    }

    static scala.collection.immutable.Seq<Object> seq(List<?> values) {
        @SuppressWarnings("unchecked")
        List<Object> objects = (List<Object>) values;
        return CollectionConverters.asScala(objects).toList();
    }

    static scala.collection.Map<Object, Object> map(Map<?, ?> values) {
        @SuppressWarnings("unchecked")
        Map<Object, Object> objects = (Map<Object, Object>) values;
        return CollectionConverters.asScala(objects);
    }
}
