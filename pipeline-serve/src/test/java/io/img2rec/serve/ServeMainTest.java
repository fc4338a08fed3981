package io.img2rec.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.img2rec.core.testing.TestImages;
import io.img2rec.serve.json.ResultJson;
import io.img2rec.serve.testing.ServeFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServeMainTest {
    @TempDir
    Path dir;

    @Test
    void recommendPrintsJsonForAnImageAndAFolderOfProfilesWithPerFileErrors() throws Exception {
        long seed = 3;
        for (String label : ServeFixtures.LABELS) {
            ServeFixtures.writeTiny(dir.resolve("run/checkpoints"), "vgg16", label, seed++);
        }
        Path image = TestImages.writePng(dir.resolve("one.png"), 64, 48, Color.ORANGE);
        TestImages.writePng(dir.resolve("people/ann/a.png"), 64, 48, Color.RED);
        Files.writeString(dir.resolve("people/ann/notes.txt"), "not an image");
        TestImages.writePng(dir.resolve("people/ben/b.png"), 64, 48, Color.BLUE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ServeMain.run(new String[] {"recommend", "--models", dir.resolve("run").toString(), "--labels",
                "beard,eyewear,hat", "--faces", "whole_image", "--format", "json", "--png-out",
                dir.resolve("pictures").toString(), image.toString(),
                dir.resolve("people").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode json = ResultJson.mapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("ANALYSED", json.get("images").get(0).get("status").asText());
        assertEquals(2, json.get("profiles").size());
        JsonNode ann = json.get("profiles").get(0);
        assertEquals("ann", ann.get("profile").asText());
        assertEquals(1, ann.get("imagesFailed").asInt());
        assertEquals(1, ann.get("imagesAnalysed").asInt());
        var picture = javax.imageio.ImageIO.read(dir.resolve("pictures/one.png.recommendation.png").toFile());
        assertEquals(40 + 320, picture.getHeight());
        for (var profile : json.get("profiles")) {
            boolean found = profile.get("recommendation").has("product");
            assertEquals(found, Files.exists(dir.resolve("pictures/" + profile.get("profile").asText()
                    + ".recommendation.png")));
        }
    }

    /** Runs the CLI; returns exit code, stdout and stderr. */
    private static String[] cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ServeMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void anUnknownFormatIsAnErrorNamingTheChoices() throws Exception {
        Path image = TestImages.writePng(dir.resolve("one.png"), 64, 48, Color.ORANGE);
        String[] result = cli("recommend", "--models", dir.resolve("run").toString(), "--format", "jsn",
                image.toString());
        assertEquals("2", result[0], result[2]);
        assertTrue(result[2].contains("'jsn'") && result[2].toLowerCase(java.util.Locale.ROOT)
                .contains("[table, json]"), result[2]);
        assertEquals("", result[1], "nothing printed as a table");
    }

    @Test
    void serveChecksThePortBeforeLoadingTheModelsAndSaysHowToPickAnother() throws Exception {
        try (java.net.ServerSocket held = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = held.getLocalPort();
            // the models folder does not exist: had they been loaded first, the exit code would be 3
            String[] result = cli("serve", "--models", dir.resolve("nothing-here").toString(), "--port",
                    String.valueOf(port), "--store", dir.resolve("p.db").toString());
            assertEquals("4", result[0], result[2]);
            assertTrue(result[2].contains("127.0.0.1:" + port) && result[2].contains("already in use")
                    && result[2].contains("--port"), result[2]);
            assertTrue(!result[2].contains("\tat ") && !result[2].contains("Exception"), "no stack trace: "
                    + result[2]);
        }
        String[] foreign = cli("serve", "--models", dir.resolve("nothing-here").toString(), "--bind", "203.0.113.7",
                "--port", "0", "--store", dir.resolve("p.db").toString());
        assertEquals("4", foreign[0], foreign[2]);
        assertTrue(foreign[2].contains("203.0.113.7") && foreign[2].contains("--bind"), foreign[2]);
        String[] range = cli("serve", "--port", "70000", "--store", dir.resolve("p.db").toString());
        assertEquals("4", range[0], range[2]);
        assertTrue(range[2].contains("70000"), range[2]);
        assertTrue(!Files.exists(dir.resolve("p.db")), "nothing opened before the check");
    }

    @Test
    void serveRefusesAStoreItCannotOpenBeforeLoadingTheModels() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        // the models folder does not exist: had they been loaded first, the exit code would be 3
        String[] unreachable = cli("serve", "--models", dir.resolve("nothing-here").toString(), "--port", "0",
                "--store", "jdbc:postgresql://127.0.0.1:" + closedPort + "/profiles?user=img2rec&password=hunter2");
        assertEquals("5", unreachable[0], unreachable[2]);
        assertTrue(unreachable[2].contains("127.0.0.1:" + closedPort) && !unreachable[2].contains("hunter2"),
                unreachable[2]);

        Path newer = dir.resolve("newer.db");
        try (var store = io.img2rec.serve.store.ProfileStore.open(newer)) {
            assertEquals(1, store.schemaVersion());
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + newer); var st = c.createStatement()) {
            st.executeUpdate("INSERT INTO schema_version VALUES (7, 'from a newer img2rec', '2099-01-01T00:00:00Z')");
        }
        String[] tooNew = cli("serve", "--models", dir.resolve("nothing-here").toString(), "--port", "0",
                "--store", newer.toString());
        assertEquals("5", tooNew[0], tooNew[2]);
        assertTrue(tooNew[2].contains("schema version 7") && tooNew[2].contains("schema version 1 at most"),
                tooNew[2]);
    }

    @Test
    void refusedModelsExitWithCode3AndSayWhy() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ServeMain.run(new String[] {"recommend", "--models", dir.resolve("nothing-here").toString(),
                "x.png"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(3, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a folder"), err.toString(StandardCharsets.UTF_8));
    }
}
