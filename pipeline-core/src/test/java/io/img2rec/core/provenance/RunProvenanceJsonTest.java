package io.img2rec.core.provenance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.img2rec.core.weights.WeightsSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunProvenanceJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void typedWeightsSourceRoundTripsWithItsKindWrittenAsTheConfigName() throws Exception {
        var weights = new WeightsSource(WeightsSource.Kind.IMAGENET_KERAS_H5, "/m/vgg16_notop.h5", "sha256:ab", 13,
                "ImageNet weights of vgg16's base from the Keras file /m/vgg16_notop.h5");
        var provenance = new RunProvenance("c0", "m0", 7, "abc", "imagenet-keras-h5: ImageNet weights …",
                Map.of("java", "17"), "CpuBackend", "2026-12-03T12:00:00Z", weights);
        String text = JSON.writeValueAsString(provenance);
        assertTrue(text.contains("\"kind\":\"imagenet-keras-h5\""), text);
        assertTrue(text.contains("\"weightsSource\":\"imagenet-keras-h5: ImageNet weights …\""), text);
        RunProvenance back = JSON.readValue(text, RunProvenance.class);
        assertEquals(provenance, back);
        assertFalse(back.randomWeights());
    }

    @Test
    void randomIsDecidedByTheKindNotByTheSentence() {
        var fallback = new WeightsSource(WeightsSource.Kind.RANDOM_FALLBACK, "", "", 0, "ImageNet weights missing");
        var provenance = new RunProvenance("c0", "m0", 7, "abc", "ImageNet weights missing", Map.of(), "Cpu", "t",
                fallback);
        assertTrue(provenance.randomWeights());
        assertEquals(WeightsSource.Kind.RANDOM_FALLBACK, provenance.weightsOrigin().orElseThrow().kind());
    }

    @Test
    void provenanceWrittenBeforeTheTypedFieldStillReads() throws Exception {
        String legacy = "{\"configHash\":\"c0\",\"manifestHash\":\"m0\",\"seed\":7,\"gitCommit\":\"abc\","
                + "\"weightsSource\":\"random (test)\",\"versions\":{\"java\":\"17\"},\"backend\":\"CpuBackend\","
                + "\"createdAt\":\"2026-12-01T00:00:00Z\"}";
        RunProvenance read = JSON.readValue(legacy, RunProvenance.class);
        assertTrue(read.weightsOrigin().isEmpty());
        assertTrue(read.randomWeights(), "older files: read from the sentence they wrote");
    }

    @Test
    void anUnknownKindIsNamedWithTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> WeightsSource.Kind.fromConfigName("imagenet"));
        assertTrue(e.getMessage().startsWith("unknown weights source kind 'imagenet'; known: [imagenet-dl4j-zoo,"),
                e.getMessage());
    }
}
