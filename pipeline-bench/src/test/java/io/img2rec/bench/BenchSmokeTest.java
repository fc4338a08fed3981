package io.img2rec.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness end to end at tiny size on the tiny CNN: well-formed records, consistent numerics; never timings. */
class BenchSmokeTest {

    @Test
    void tinyRunWritesOneWellFormedRecordPerCase(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("results.jsonl");
        BenchMain.Options options = BenchMain.Options.parse(new String[] {
                "--size", "tiny", "--backbones", "tiny_cnn", "--suites", "check,forward,train,recipe,serve,layout",
                "--tag", "smoke", "--out", out.toString()});

        BenchMain.run(options);

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            records.add(json.readTree(line));
        }
        assertEquals("env", records.get(0).get("suite").asText());
        assertEquals("memory", records.get(records.size() - 1).get("suite").asText());
        assertTrue(records.get(records.size() - 1).get("extra").get("heap_peak_bytes").asLong() > 0);
        List<String> suites = records.stream().map(r -> r.get("suite").asText()).distinct().toList();
        assertEquals(List.of("env", "check", "forward", "train_step", "recipe", "serve", "layout", "memory"), suites);
        for (JsonNode r : records) {
            if (r.get("suite").asText().equals("layout") && r.get("extra").has("max_relative_diff")) {
                assertTrue(r.get("extra").get("max_relative_diff").asDouble() < 1e-4, "layouts agree: " + r);
            }
        }
        for (JsonNode r : records.subList(1, records.size() - 1)) {
            assertEquals("img2rec", r.get("side").asText());
            assertEquals("smoke", r.get("extra").get("tag").asText());
            for (JsonNode s : r.get("seconds")) {
                assertTrue(s.asDouble() > 0, "positive timings in " + r);
            }
            if (r.get("suite").asText().equals("forward")) {
                assertTrue(r.get("img_per_s").asDouble() > 0, "throughput in " + r);
                assertTrue(r.get("extra").get("output_shape").asText().endsWith(", 1]"), "one output column in " + r);
                if (r.get("variant").asText().equals(ForwardBench.SERVED)) { // serving's path scores as the graph
                    assertTrue(r.get("extra").get("max_relative_diff").asDouble() < 1e-4, "served as the graph: " + r);
                }
            }
        }
        JsonNode check = records.stream().filter(r -> r.get("suite").asText().equals("check")).findFirst().orElseThrow();
        assertTrue(check.get("extra").get("rel_diff_helpers_on_off").asDouble() < 1e-4, check.toString());
        assertTrue(check.get("extra").get("rel_diff_nhwc_nchw").asDouble() < 1e-4, check.toString());
        JsonNode shared = records.stream().filter(r -> r.path("name").asText().endsWith("/shared")).findFirst()
                .orElseThrow();
        assertTrue(shared.get("extra").get("max_abs_score_diff").asDouble() < 1e-5, shared.toString());
        assertFalse(records.stream().filter(r -> r.path("name").asText().endsWith("/extrapolated")).toList().isEmpty());
    }
}
