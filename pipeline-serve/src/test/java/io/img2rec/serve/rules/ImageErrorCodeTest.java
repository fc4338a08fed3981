package io.img2rec.serve.rules;

import io.img2rec.core.manifest.RejectReason;
import io.img2rec.serve.json.ResultJson;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageErrorCodeTest {
    @Test
    void everyRejectReasonHasACodeOfTheSameStableName() {
        for (RejectReason reason : RejectReason.values()) {
            ImageErrorCode code = ImageErrorCode.of(reason);
            assertEquals(reason.code(), code.code());
            assertEquals(reason.name(), code.name());
        }
        assertEquals(RejectReason.values().length + 1, ImageErrorCode.values().length);
        assertEquals(ImageErrorCode.ANALYSIS_FAILED, ImageErrorCode.fromCode("analysis-failed"));
    }

    @Test
    void jsonCarriesTheLowerCaseCodeAndReadsItBack() throws Exception {
        String json = ResultJson.compact(ImageResult.error("a.png", null, ImageErrorCode.TOO_MANY_PIXELS,
                "a.png: too-many-pixels (…)"));
        assertTrue(json.contains("\"errorCode\":\"too-many-pixels\""), json);
        assertTrue(json.contains("\"error\":\"a.png: too-many-pixels (…)\""), json);
        assertFalse(json.contains("errorId"), json);
        for (ImageErrorCode code : ImageErrorCode.values()) {
            assertEquals(code, ResultJson.mapper().readValue("\"" + code.code() + "\"", ImageErrorCode.class));
            assertEquals(code.code(), code.code().toLowerCase(java.util.Locale.ROOT));
        }
        assertThrows(IllegalArgumentException.class, () -> ImageErrorCode.fromCode("jsn"));
    }

    @Test
    void anErrorCodeGoesWithStatusErrorOnlyAndAnIdWithAnAnalysisFailureOnly() {
        assertThrows(IllegalArgumentException.class, () -> new ImageResult("a", null, ImageStatus.ERROR, "x", null,
                null, null, null, false, null, null, null, null, null, Recommendation.nothing()));
        assertThrows(IllegalArgumentException.class, () -> new ImageResult("a", null, ImageStatus.ANALYSED, null,
                ImageErrorCode.CORRUPT_IMAGE, null, 1, 1, false, null, null, null, null, null,
                Recommendation.nothing()));
        assertThrows(IllegalArgumentException.class, () -> new ImageResult("a", null, ImageStatus.ERROR, "x",
                ImageErrorCode.CORRUPT_IMAGE, "id", null, null, false, null, null, null, null, null,
                Recommendation.nothing()));
        assertEquals("id-1", ImageResult.analysisFailed("a", null, "id-1", "a: failed").errorId());
    }
}
