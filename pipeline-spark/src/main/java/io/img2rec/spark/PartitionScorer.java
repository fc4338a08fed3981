package io.img2rec.spark;

import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.rules.ImageResult;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * Scores one partition of input rows {@code (profile, image, name)}, sorted by profile then name: the images of each
 * profile go through {@link Recommender#recommendImages} in chunks of up to {@code chunkImages}, so crops of
 * consecutive images are scored in batches exactly as {@code recommendProfile} batches a folder. Lazy: one profile's
 * chunk is held at a time. Every input row yields one output row ({@link ImageRows#SCHEMA}); a file that cannot be
 * read or decoded is an error row, never a failed task.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PartitionScorer.class);

    private final RecommenderSpec spec;
    private final HadoopConf conf;
    private final long maxFileBytes;
    private final int chunkImages;

    PartitionScorer(RecommenderSpec spec, HadoopConf conf, long maxFileBytes, int chunkImages) {
        this.spec = spec;
        this.conf = conf;
        this.maxFileBytes = maxFileBytes;
        this.chunkImages = chunkImages;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        Recommender recommender = ExecutorRecommenders.get(spec);
        ImageFetcher fetcher = new ImageFetcher(conf.get(), maxFileBytes);
        TaskContext task = TaskContext.get();
        if (task != null) {
            // copies of remote images go even when the task is killed or fails half-way
            task.addTaskCompletionListener((TaskCompletionListener) context -> fetcher.close());
        }
        return new Iterator<>() {
            private Row peeked = input.hasNext() ? input.next() : null;
            private Iterator<Row> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && peeked != null) {
                    current = nextChunk().iterator();
                }
                if (!current.hasNext()) {
                    fetcher.close();
                }
                return current.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }

            /** The next up to chunkImages rows of the current profile, scored. */
            private List<Row> nextChunk() {
                String profile = peeked.getString(0);
                List<Row> chunk = new ArrayList<>();
                while (peeked != null && peeked.getString(0).equals(profile) && chunk.size() < chunkImages) {
                    chunk.add(peeked);
                    peeked = input.hasNext() ? input.next() : null;
                }
                try {
                    return score(recommender, fetcher, profile, chunk);
                } finally {
                    fetcher.clear();
                }
            }
        };
    }

    private static List<Row> score(Recommender recommender, ImageFetcher fetcher, String profile, List<Row> chunk) {
        ImageResult[] results = new ImageResult[chunk.size()];
        List<Path> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            String image = chunk.get(i).getString(1);
            String name = chunk.get(i).getString(2);
            ImageFetcher.Fetched fetched = fetcher.fetch(image, name);
            if (fetched.ok()) {
                files.add(fetched.file());
                names.add(name);
                slots.add(i);
            } else {
                results[i] = ImageResult.error(name, null, fetched.code(), fetched.error());
            }
        }
        List<ImageResult> scored;
        try {
            scored = recommender.recommendImages(files, names);
        } catch (RuntimeException | OutOfMemoryError e) {
            // recommendImages turns per-image faults into results; this is the last guard so a task never fails
            String errorId = UUID.randomUUID().toString();
            LOG.error("profile {}: scoring {} images ({}...) failed [error id {}]", profile, names.size(),
                    names.isEmpty() ? "" : names.get(0), errorId, e);
            scored = new ArrayList<>();
            for (String name : names) {
                scored.add(ImageResult.analysisFailed(name, null, errorId, e));
            }
        }
        for (int j = 0; j < slots.size(); j++) {
            results[slots.get(j)] = scored.get(j);
        }
        List<Row> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            ImageResult r = results[i];
            if (r.errorCode() != null) {
                LOG.warn("profile {}: image {} is an error row: {} ({})", profile, chunk.get(i).getString(1),
                        r.errorCode().code(), r.error());
            }
            out.add(ImageRows.toRow(profile, chunk.get(i).getString(1), r));
        }
        return out;
    }
}
