package io.img2rec.train.cache;

import io.img2rec.core.image.InputEncoder;
import io.img2rec.core.image.PixelPreprocessing;
import io.img2rec.core.image.ResizeInterpolation;
import io.img2rec.core.image.TensorLayout;
import io.img2rec.core.testing.BadInputCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7: the training data loader fed the whole corpus in one batch, as if every file had changed after the scan
 * (the manifest normally keeps the bad ones out): a per-file failure for each undecodable entry, every valid image
 * in the batch, no exception, and neither 30000×30000 PNG decoded.
 */
class ImageInputsBadInputTest {
    @TempDir
    Path dir;

    @Test
    void oneBatchOfTheCorpusLoadsEveryValidImageAndReportsEachFailure() throws Exception {
        List<BadInputCorpus.Item> items = BadInputCorpus.write(dir);
        List<Path> files = new ArrayList<>();
        for (BadInputCorpus.Item item : items) {
            files.add(dir.resolve(item.name()));
        }
        var encoder = new InputEncoder(32, PixelPreprocessing.BGR_RESCALE, ResizeInterpolation.NEAREST, TensorLayout.NHWC);
        var inputs = new ImageInputs(files, Collections.nCopies(files.size(), "0".repeat(64)), encoder, null, 7);
        List<CacheItem> batch = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            batch.add(new CacheItem(i, CacheItem.ORIGINAL));
        }

        BatchSource.LoadedBatch loaded = inputs.load(batch);

        Set<String> failed = new TreeSet<>();
        loaded.failures().forEach((item, reason) -> {
            String name = items.get(item.image()).name();
            assertTrue(reason != null && reason.contains(name), "the failure names the file: " + reason);
            failed.add(name);
        });
        // the decoder alone is lenient with the truncated JPEG and the bad-CRC PNG (the manifest refuses those)
        assertEquals(new TreeSet<>(Set.of("empty.jpg", "page.jpg", "bomb-30000x30000.png", "deflate-bomb.png",
                "loop.jpg", "folder.jpg")), failed);
        assertEquals(17, loaded.loaded().size(), "15 valid corpus images + the lenient two");
        assertEquals(items.size(), loaded.loaded().size() + loaded.failures().size(), "every file accounted for");
        assertArrayEquals(new long[] {17, 32, 32, 3}, loaded.inputs()[0].shape());
        for (CacheItem item : loaded.loaded()) {
            assertTrue(items.get(item.image()).servable() || items.get(item.image()).name().matches("truncated.jpg|bad-crc.png"),
                    items.get(item.image()).name());
        }
    }
}
