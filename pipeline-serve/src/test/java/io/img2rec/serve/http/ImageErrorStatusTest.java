package io.img2rec.serve.http;

import io.img2rec.serve.rules.ImageErrorCode;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageErrorStatusTest {
    @Test
    void clientFaultsAre4xxAndServerFaults500() {
        Map<ImageErrorCode, Integer> expected = new EnumMap<>(ImageErrorCode.class);
        expected.put(ImageErrorCode.EMPTY_FILE, 400);
        expected.put(ImageErrorCode.NOT_AN_IMAGE, 400);
        expected.put(ImageErrorCode.CORRUPT_IMAGE, 400);
        expected.put(ImageErrorCode.UNSUPPORTED_FORMAT, 415);
        expected.put(ImageErrorCode.TOO_MANY_PIXELS, 413);
        expected.put(ImageErrorCode.TOO_SMALL, 422);
        expected.put(ImageErrorCode.UNREADABLE, 500);
        expected.put(ImageErrorCode.BROKEN_SYMLINK, 500);
        expected.put(ImageErrorCode.NOT_A_LABEL_FOLDER, 500);
        expected.put(ImageErrorCode.ANALYSIS_FAILED, 500);
        for (ImageErrorCode code : ImageErrorCode.values()) {
            assertEquals(expected.get(code), ImageErrorStatus.of(code), code.code());
            assertEquals(ImageErrorStatus.of(code) >= 500, ImageErrorStatus.serverFault(code), code.code());
        }
    }
}
