package io.img2rec.serve.store;

import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.serve.rules.Recommendation;

import java.util.List;
import java.util.Map;

/** Child process for the kill test: adds images to one profile forever, printing each committed index. */
public final class StoreWriterProcess {
    private StoreWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (ProfileStore store = ProfileStore.open(args[0])) { // a SQLite file or a jdbc:postgresql URL
            for (int i = 0; ; i++) {
                double hat = i % 3 == 0 ? 0.9 : 0.1;
                store.add("victim", new ImageResult("img" + i + ".jpg", "sha-" + i, ImageStatus.ANALYSED, null, 10, 10,
                        false, List.of(), List.of(), Map.of("hat", hat, "beard", 0.2, "eyewear", 0.3),
                        hat >= 0.5 ? List.of("hat") : List.of(), 0, Recommendation.nothing()));
                System.out.println("committed " + i);
                System.out.flush();
            }
        }
    }
}
