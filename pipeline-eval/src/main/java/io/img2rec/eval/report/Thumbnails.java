package io.img2rec.eval.report;

import io.img2rec.core.image.ImageDecodeException;
import io.img2rec.core.image.ImageDecoder;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Small PNG copies of dataset images for the report, read with the pipeline's own {@link ImageDecoder}. */
final class Thumbnails {

    /** A thumbnail, or why there is none. */
    record Thumbnail(Optional<byte[]> png, String missingReason) {
    }

    private Thumbnails() {
    }

    static Thumbnail of(Optional<Path> datasetRoot, String relativePath, int size) {
        Path file;
        Path given = Path.of(relativePath);
        if (given.isAbsolute()) {
            file = given;
        } else if (datasetRoot.isPresent()) {
            file = datasetRoot.get().resolve(relativePath);
        } else {
            return new Thumbnail(Optional.empty(), "dataset root unknown (no datasetRoot in run-summary.json and no "
                    + "data.root in config.yaml)");
        }
        if (!Files.isRegularFile(file)) {
            return new Thumbnail(Optional.empty(), "image file not found: " + file);
        }
        try {
            BufferedImage image = ImageDecoder.toBufferedImage(ImageDecoder.decode(file));
            return new Thumbnail(Optional.of(png(scale(image, size))), "");
        } catch (ImageDecodeException | IOException | RuntimeException | LinkageError e) {
            return new Thumbnail(Optional.empty(), "cannot decode " + file + " (" + e.getMessage() + ")");
        }
    }

    private static BufferedImage scale(BufferedImage image, int size) {
        double factor = (double) size / Math.max(image.getWidth(), image.getHeight());
        int w = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int h = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer available");
        }
        return bytes.toByteArray();
    }
}
