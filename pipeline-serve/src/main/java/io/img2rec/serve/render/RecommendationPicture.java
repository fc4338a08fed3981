package io.img2rec.serve.render;

import io.img2rec.core.image.ImageDecoder;
import io.img2rec.core.image.RgbImage;
import io.img2rec.serve.face.CropBox;
import io.img2rec.serve.rules.FaceResult;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.serve.rules.Recommendation;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Draws recommendation pictures with Java2D (headless). Pure rendering: nothing here decides anything.
 * <ul>
 *   <li>{@link #forImage}: title, then "before" (the photo, every scored face's crop outlined, the best one thicker)
 *   and "after" (the crop behind the recommendation), side by side at the same height;</li>
 *   <li>{@link #forProfile}: title, then the image the profile's product was chosen for.</li>
 * </ul>
 */
public final class RecommendationPicture {
    private static final int TITLE_HEIGHT = 40;
    private static final int PANEL_HEIGHT = 320;
    private static final int GAP = 12;

    private RecommendationPicture() {
    }

    public static String title(Recommendation recommendation) {
        return recommendation.found() ? "We recommend " + recommendation.product() + " products"
                : "No items detected";
    }

    /** Before/after picture of a single image's result. */
    public static BufferedImage forImage(RgbImage image, ImageResult result) {
        BufferedImage photo = ImageDecoder.toBufferedImage(image);
        BufferedImage before = scaled(photo, PANEL_HEIGHT);
        double scale = (double) before.getHeight() / photo.getHeight();
        Graphics2D g = before.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            for (int i = 0; i < result.faces().size(); i++) {
                CropBox c = result.faces().get(i).crop();
                boolean best = result.bestFace() != null && result.bestFace() == i;
                g.setColor(best ? new Color(0, 200, 80) : new Color(240, 200, 0));
                g.setStroke(new BasicStroke(best ? 3f : 1.5f));
                g.drawRect((int) Math.round(c.left() * scale), (int) Math.round(c.top() * scale),
                        (int) Math.round(c.width() * scale), (int) Math.round(c.height() * scale));
            }
        } finally {
            g.dispose();
        }
        BufferedImage after = null;
        if (result.bestFace() != null) {
            FaceResult face = result.faces().get(result.bestFace());
            CropBox c = face.crop();
            after = scaled(ImageDecoder.toBufferedImage(image.crop(c.left(), c.top(), c.width(), c.height())),
                    PANEL_HEIGHT);
        }
        int width = before.getWidth() + (after == null ? 0 : GAP + after.getWidth());
        BufferedImage out = canvas(width, title(result.recommendation()));
        Graphics2D o = out.createGraphics();
        try {
            o.drawImage(before, 0, TITLE_HEIGHT, null);
            if (after != null) {
                o.drawImage(after, before.getWidth() + GAP, TITLE_HEIGHT, null);
            }
        } finally {
            o.dispose();
        }
        return out;
    }

    /** The chosen image of a profile under its title. */
    public static BufferedImage forProfile(RgbImage chosen, Recommendation recommendation) {
        BufferedImage photo = scaled(ImageDecoder.toBufferedImage(chosen), PANEL_HEIGHT);
        BufferedImage out = canvas(photo.getWidth(), title(recommendation));
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(photo, 0, TITLE_HEIGHT, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    public static void writePng(BufferedImage picture, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(picture, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    private static BufferedImage canvas(int width, String title) {
        int w = Math.max(width, 360);
        BufferedImage out = new BufferedImage(w, TITLE_HEIGHT + PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
            int textWidth = g.getFontMetrics().stringWidth(title);
            g.drawString(title, Math.max(4, (w - textWidth) / 2), 27);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage scaled(BufferedImage image, int height) {
        int width = Math.max(1, (int) Math.round((double) image.getWidth() * height / image.getHeight()));
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
