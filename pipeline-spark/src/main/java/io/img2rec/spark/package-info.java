/**
 * Batch recommendations on Apache Spark: {@link io.img2rec.spark.BatchRecommendJob} scores (profile, image) rows with
 * the serving {@code Recommender}, loaded once per executor JVM ({@link io.img2rec.spark.ExecutorRecommenders}), and
 * aggregates profiles with the serving rules; Parquet out, and optionally the serving profile store
 * ({@link io.img2rec.spark.StoreTarget}). {@link io.img2rec.spark.SparkRecommendMain} is the {@code spark-submit}
 * entry. And the training cache filled on Spark: {@link io.img2rec.spark.CacheFillJob} (entry
 * {@link io.img2rec.spark.SparkCacheFillMain}) writes the shards a run reads with {@code cache.shards}.
 */
package io.img2rec.spark;
