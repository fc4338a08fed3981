package io.img2rec.serve.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.img2rec.core.sample.SampleDatasetGenerator;
import io.img2rec.eval.api.Evaluation;
import io.img2rec.eval.api.EvaluationResult;
import io.img2rec.eval.api.ModelEvaluation;
import io.img2rec.core.metrics.ScoredExamples;
import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.api.RecommenderOptions;
import io.img2rec.serve.http.RecommendationServer;
import io.img2rec.serve.http.ServerLimits;
import io.img2rec.serve.json.ResultJson;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.ImageStatus;
import io.img2rec.train.api.TrainedRun;
import io.img2rec.train.api.Training;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three public APIs one after the other, as an application uses them: train a tiny model on generated images
 * ({@link Training}) → evaluate it ({@link Evaluation}) → recommend through the library ({@link Recommender}) and
 * through HTTP. The served ensemble is the report's: same thresholds, same scores, same decisions on the held-out
 * test images.
 */
class EndToEndApiTest {
    private static final String TINY_YAML = """
            name: e2e
            labels: [hat, eyewear]
            model:
              architecture: tiny_cnn
              weights: random
            train:
              top:
                epochs: 2
              fine_tune:
                epochs: 1
                learning_rate: 0.01
            augment:
              copies: 1
            cache:
              ram_budget_mb: 64
            """;
    /** Scores of the same network on the same pixels may differ in the last float digits between code paths. */
    private static final double SCORE_TOLERANCE = 1e-5;

    @Test
    void trainEvaluateAndRecommendThroughThePublicApiServeTheReportsEnsemble(@TempDir Path dir) throws Exception {
        Path dataset = dir.resolve("dataset");
        new SampleDatasetGenerator(60, 11).generate(dataset);
        Path yaml = Files.writeString(dir.resolve("e2e.yaml"), TINY_YAML);

        TrainedRun run = Training.builder().setConfigFile(yaml).optDatasetRoot(dataset).optRunsDir(dir.resolve("runs"))
                .optProjectRoot(dir).build().train();
        assertEquals(List.of("hat", "eyewear"), run.labels());

        Evaluation evaluation = Evaluation.builder().addRun(run.runFolder()).build();
        EvaluationResult result = evaluation.evaluate();
        Evaluation.Report report = evaluation.writeReport(result, run.runFolder());
        assertTrue(Files.size(report.html()) > 1000, "report written");

        HttpClient client = HttpClient.newHttpClient();
        try (Recommender recommender = Recommender.builder().runs(List.of(run.runFolder()))
                .options(RecommenderOptions.DEFAULTS.withFaces(RecommenderOptions.FaceMode.WHOLE_IMAGE)).build();
             RecommendationServer server = new RecommendationServer(recommender, null, ServerLimits.DEFAULTS,
                     new InetSocketAddress("127.0.0.1", 0))) {
            int compared = 0;
            int nearThreshold = 0;
            for (String label : run.labels()) {
                ModelEvaluation ensemble = result.label(label).orElseThrow().models().stream()
                        .filter(ModelEvaluation::ensemble).findFirst().orElseThrow();
                double threshold = ensemble.threshold().threshold();
                assertEquals(threshold, recommender.thresholds().get(label), 0.0,
                        label + ": the served threshold is the report's ensemble threshold");
                ScoredExamples test = ensemble.test();
                assertTrue(test.size() >= 5, "test images for " + label + ": " + test.size());
                for (int i = 0; i < test.size(); i++) {
                    Path image = dataset.resolve(test.paths().get(i));
                    double reported = test.scoreAt(i);
                    boolean reportedPositive = reported >= threshold;

                    ImageResult library = recommender.recommendImage(image);
                    assertEquals(ImageStatus.ANALYSED, library.status(), image + ": " + library.error());
                    double served = library.labelScores().get(label);
                    assertEquals(reported, served, SCORE_TOLERANCE, image + " " + label);

                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + server.port() + "/v1/recommend?name=" + image.getFileName()))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "image/png")
                            .POST(HttpRequest.BodyPublishers.ofFile(image)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, response.statusCode(), response.body());
                    JsonNode json = ResultJson.mapper().readTree(response.body());
                    assertEquals(served, json.get("labelScores").get(label).asDouble(), 1e-12, "HTTP = library");
                    List<String> httpPositives = new ArrayList<>();
                    json.get("positives").forEach(n -> httpPositives.add(n.asText()));
                    assertEquals(library.positives(), httpPositives, "HTTP decisions = library decisions");

                    if (Math.abs(reported - threshold) < SCORE_TOLERANCE) {
                        nearThreshold++; // too close to call across code paths; counted, not compared
                        continue;
                    }
                    assertEquals(reportedPositive, library.positives().contains(label),
                            image + " " + label + ": served decision = report's ensemble decision (score " + served
                                    + ", threshold " + threshold + ")");
                    compared++;
                }
            }
            assertTrue(compared >= 10 && nearThreshold <= 2, compared + " decisions compared, " + nearThreshold
                    + " too close to the threshold to compare");
        }
    }
}
