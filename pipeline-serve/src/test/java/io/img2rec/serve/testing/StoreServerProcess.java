package io.img2rec.serve.testing;

import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions;
import io.img2rec.serve.http.HttpTimeouts;
import io.img2rec.serve.http.RecommendationServer;
import io.img2rec.serve.http.ServerLimits;
import io.img2rec.serve.registry.ModelRegistry;
import io.img2rec.serve.store.ProfileStore;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Child JVM for {@code SharedStoreServingTest}: one HTTP server with fake models (hat from redness, 2 ms a call;
 * beard never) on the profile store {@code args[0]} (a PostgreSQL URL that another such process shares), token
 * {@code s3cret}, on a free loopback port. Prints {@code port <n>}; stops when its standard input closes.
 */
public final class StoreServerProcess {
    public static final String TOKEN = "s3cret";

    private StoreServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        HttpTimeouts.applyDefaultsUnlessSet();
        var registry = ModelRegistry.of(List.of(
                ServeFixtures.fake("vgg16", "hat", 0.5, ServeFixtures::redness, 2),
                ServeFixtures.fake("vgg16", "beard", 0.5, c -> 0.1, 0)), List.of("hat", "beard"));
        ServerLimits limits = new ServerLimits(4L * 1024 * 1024, 4, Duration.ofSeconds(30), 16, Optional.of(TOKEN));
        try (Recommender recommender = Recommender.builder().models(registry)
                .options(RecommenderOptions.DEFAULTS.withFaces(RecommenderOptions.FaceMode.WHOLE_IMAGE)).build();
             ProfileStore store = ProfileStore.open(args[0]);
             RecommendationServer server = new RecommendationServer(recommender, store, limits,
                     new InetSocketAddress("127.0.0.1", 0))) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our input
            }
        }
    }
}
