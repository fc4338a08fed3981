package io.img2rec.serve.testing;

import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions;
import io.img2rec.serve.http.HttpTimeouts;
import io.img2rec.serve.http.RecommendationServer;
import io.img2rec.serve.http.ServerLimits;
import io.img2rec.serve.registry.ModelRegistry;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Child JVM for {@code HttpTimeoutsTest}: the JDK server reads its time limits once per JVM, so the test needs a
 * server of its own. Serves a fake hat model with {@code args[0]} handler threads on a free loopback port, prints
 * {@code port <n>}, and stops when its standard input closes.
 */
public final class TimeoutServerProcess {
    private TimeoutServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        HttpTimeouts.applyDefaultsUnlessSet(); // as ServeMain does: keeps the -D values the test passes
        var registry = ModelRegistry.of(List.of(ServeFixtures.fake("vgg16", "hat", 0.5, ServeFixtures::redness, 0)),
                List.of("hat"));
        ServerLimits limits = new ServerLimits(1 << 20, 1, Duration.ofSeconds(10), Integer.parseInt(args[0]),
                Optional.empty());
        try (Recommender recommender = Recommender.builder().models(registry)
                .options(RecommenderOptions.DEFAULTS.withFaces(RecommenderOptions.FaceMode.WHOLE_IMAGE)).build();
             RecommendationServer server = new RecommendationServer(recommender, null, limits,
                     new InetSocketAddress("127.0.0.1", 0))) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our input
            }
        }
    }
}
