package io.img2rec.spark;

import io.img2rec.serve.store.ProfileStore;
import io.img2rec.serve.store.ProfileStoreException;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.Objects;

/**
 * The write stage's function: adds each row of a partition of the committed per-image table (scored rows only,
 * sorted by profile, name, path: {@link BatchRecommendJob#storeRows}) to the profile store with
 * {@link ProfileStore#add} — the server's own add, one transaction per image, which keys the image by its SHA-256 and
 * recomputes the profile from its stored rows. An image the store holds already (a retried task's, a re-run's, or
 * one the server was sent) changes nothing. Counts what it did in two accumulators (the Spark UI shows them).
 */
final class ProfileStoreWriter implements ForeachPartitionFunction<Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ProfileStoreWriter.class);

    private final StoreTarget target;
    private final LongAccumulator added;
    private final LongAccumulator present;

    ProfileStoreWriter(StoreTarget target, LongAccumulator added, LongAccumulator present) {
        this.target = Objects.requireNonNull(target, "target");
        this.added = added;
        this.present = present;
    }

    @Override
    public void call(Iterator<Row> rows) throws ProfileStoreException {
        ProfileStore store = null;
        while (rows.hasNext()) {
            Row row = rows.next();
            if (store == null) {
                store = ExecutorProfileStores.get(target);
            }
            String profile = row.getAs(ImageRows.PROFILE);
            try {
                if (store.add(profile, ImageRows.forRules(row)).added()) {
                    added.add(1);
                } else {
                    present.add(1);
                }
            } catch (ProfileStoreException | RuntimeException e) {
                // the task fails and Spark retries it; what was added stays added and is not counted twice
                LOG.error("adding {} ({}) to profile {} in {} failed", row.getAs(ImageRows.NAME),
                        row.getAs(ImageRows.IMAGE), profile, target.shown(), e);
                throw e;
            }
        }
    }
}
