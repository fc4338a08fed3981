package io.img2rec.core.sample;

import io.img2rec.core.sample.PortraitSpec.Backdrop;
import io.img2rec.core.sample.PortraitSpec.Beard;
import io.img2rec.core.sample.PortraitSpec.Eyewear;
import io.img2rec.core.sample.PortraitSpec.EyewearStyle;
import io.img2rec.core.sample.PortraitSpec.Figure;
import io.img2rec.core.sample.PortraitSpec.HairStyle;
import io.img2rec.core.sample.PortraitSpec.Hat;
import io.img2rec.core.sample.PortraitSpec.Occlusion;
import io.img2rec.core.sample.PortraitSpec.OcclusionShape;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Paints a {@link PortraitSpec} with plain Java2D shapes: no text, no fonts, no platform
 * rendering, and every rendering hint set explicitly, so the same spec gives the same pixels.
 *
 * <p>The person is drawn in face units: the origin is the face centre, one unit is the face
 * width, y grows downwards; the face spans x in [-0.5, 0.5] and y in [-0.65, 0.65].
 */
public final class PortraitPainter {

    private static final Shape FACE = new Ellipse2D.Double(-0.5, -0.65, 1.0, 1.3);
    private static final double EYE_Y = -0.08;
    private static final double EYE_X = 0.2;
    private static final double MOUTH_Y = 0.33;

    public BufferedImage paint(PortraitSpec spec) {
        BufferedImage image = new BufferedImage(spec.width(), spec.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            setHints(g);
            paintBackdrop(g, spec);
            AffineTransform canvas = g.getTransform();
            Figure figure = spec.figure();
            g.translate(figure.centreX(), figure.centreY());
            g.rotate(Math.toRadians(figure.rotationDegrees()));
            g.scale(figure.faceWidth(), figure.faceWidth());
            paintPerson(g, figure);
            spec.beard().ifPresent(beard -> paintBeard(g, beard, figure));
            spec.eyewear().ifPresent(eyewear -> paintEyewear(g, eyewear));
            spec.hat().ifPresent(hat -> paintHat(g, hat));
            g.setTransform(canvas);
            spec.occlusion().ifPresent(occlusion -> paintOcclusion(g, occlusion));
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void setHints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_ALPHA_INTERPOLATION, RenderingHints.VALUE_ALPHA_INTERPOLATION_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_DITHERING, RenderingHints.VALUE_DITHER_DISABLE);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
    }

    private static void paintBackdrop(Graphics2D g, PortraitSpec spec) {
        Backdrop backdrop = spec.backdrop();
        float endX = backdrop.diagonal() ? spec.width() : 0;
        g.setPaint(new GradientPaint(0, 0, backdrop.from(), endX, spec.height(), backdrop.to()));
        g.fill(new Rectangle2D.Double(0, 0, spec.width(), spec.height()));
        backdrop.panel().ifPresent(panel -> {
            g.setColor(panel.colour());
            g.fill(new Rectangle2D.Double(panel.x() * spec.width(), panel.y() * spec.height(),
                    panel.width() * spec.width(), panel.height() * spec.height()));
        });
    }

    private static void paintPerson(Graphics2D g, Figure figure) {
        Color skin = figure.skin();
        Color shade = blend(skin, Color.BLACK, 0.18);
        g.setColor(figure.shirt());
        g.fill(new Ellipse2D.Double(-1.05, 0.85, 2.1, 1.6));
        g.setColor(shade);
        g.fill(new Rectangle2D.Double(-0.17, 0.4, 0.34, 0.6));
        if (figure.hairStyle() == HairStyle.LONG) {
            g.setColor(figure.hair());
            g.fill(new RoundRectangle2D.Double(-0.63, -0.8, 1.26, 1.55, 0.6, 0.6));
        } else if (figure.hairStyle() == HairStyle.SHORT) {
            g.setColor(figure.hair());
            g.fill(new Ellipse2D.Double(-0.56, -0.78, 1.12, 0.95));
        }
        g.setColor(skin);
        g.fill(new Ellipse2D.Double(-0.58, -0.16, 0.16, 0.26));
        g.fill(new Ellipse2D.Double(0.42, -0.16, 0.16, 0.26));
        g.fill(FACE);
        if (figure.hairStyle() != HairStyle.BALD) {
            g.setColor(figure.hair());
            Area fringe = new Area(FACE);
            fringe.intersect(new Area(new Rectangle2D.Double(-1, -1, 2, 0.64)));
            g.fill(fringe);
        }
        Color brows = figure.hairStyle() == HairStyle.BALD ? blend(skin, Color.BLACK, 0.5) : figure.hair();
        g.setColor(brows);
        g.setStroke(new BasicStroke(0.045f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(-0.3, -0.2, -0.11, -0.21));
        g.draw(new Line2D.Double(0.11, -0.21, 0.3, -0.2));
        for (double side : new double[] {-1, 1}) {
            g.setColor(new Color(245, 245, 240));
            g.fill(new Ellipse2D.Double(side * EYE_X - 0.08, EYE_Y - 0.045, 0.16, 0.09));
            g.setColor(new Color(40, 30, 25));
            g.fill(new Ellipse2D.Double(side * EYE_X - 0.035, EYE_Y - 0.035, 0.07, 0.07));
        }
        g.setColor(shade);
        g.setStroke(new BasicStroke(0.03f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D nose = new Path2D.Double();
        nose.moveTo(0.0, 0.0);
        nose.lineTo(-0.06, 0.17);
        nose.lineTo(0.04, 0.18);
        g.draw(nose);
        paintMouth(g, skin);
    }

    private static void paintMouth(Graphics2D g, Color skin) {
        g.setColor(blend(skin, new Color(150, 30, 40), 0.6));
        g.fill(new Ellipse2D.Double(-0.12, MOUTH_Y - 0.035, 0.24, 0.07));
    }

    private static void paintBeard(Graphics2D g, Beard beard, Figure figure) {
        g.setColor(beard.colour());
        Area mouth = new Area(new Ellipse2D.Double(-0.14, MOUTH_Y - 0.05, 0.28, 0.1));
        switch (beard.style()) {
            case STUBBLE -> {
                Area jaw = new Area(new Ellipse2D.Double(-0.52, -0.66, 1.04, 1.36));
                jaw.intersect(new Area(new Rectangle2D.Double(-1, 0.08, 2, 1)));
                jaw.subtract(mouth);
                stipple(g, jaw, beard.stippleSeed());
            }
            case GOATEE -> {
                g.fill(new RoundRectangle2D.Double(-0.2, MOUTH_Y - 0.11, 0.4, 0.08, 0.06, 0.06));
                Area chin = new Area(new Ellipse2D.Double(-0.2, MOUTH_Y + 0.0, 0.4, 0.42));
                chin.add(new Area(new Rectangle2D.Double(-0.2, MOUTH_Y - 0.07, 0.06, 0.2)));
                chin.add(new Area(new Rectangle2D.Double(0.14, MOUTH_Y - 0.07, 0.06, 0.2)));
                chin.subtract(mouth);
                g.fill(chin);
            }
            case FULL -> {
                Area full = new Area(new Ellipse2D.Double(-0.53, -0.68, 1.06, 1.5));
                full.intersect(new Area(new Rectangle2D.Double(-1, -0.1, 2, 2)));
                full.subtract(new Area(new Ellipse2D.Double(-0.36, -0.25, 0.72, 0.5)));
                full.subtract(mouth);
                g.fill(full);
            }
        }
        paintMouth(g, figure.skin());
    }

    /** Dense dots over the area: reads as a darker jaw at low resolution, as stubble up close. */
    private static void stipple(Graphics2D g, Area area, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double step = 0.032;
        double radius = 0.016;
        Rectangle2D bounds = area.getBounds2D();
        for (double y = bounds.getMinY(); y < bounds.getMaxY(); y += step) {
            for (double x = bounds.getMinX(); x < bounds.getMaxX(); x += step) {
                double dotX = x + (random.nextDouble() - 0.5) * step;
                double dotY = y + (random.nextDouble() - 0.5) * step;
                if (area.contains(dotX, dotY)) {
                    g.fill(new Ellipse2D.Double(dotX - radius, dotY - radius, 2 * radius, 2 * radius));
                }
            }
        }
    }

    private static void paintEyewear(Graphics2D g, Eyewear eyewear) {
        boolean sunglasses = eyewear.style() == EyewearStyle.SUNGLASSES;
        double lensWidth = sunglasses ? 0.34 : 0.30;
        double lensHeight = sunglasses ? 0.25 : 0.22;
        g.setStroke(new BasicStroke(sunglasses ? 0.04f : 0.065f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (double side : new double[] {-1, 1}) {
            double left = side * EYE_X - lensWidth / 2;
            double top = EYE_Y - lensHeight / 2;
            Shape lens = eyewear.roundLenses()
                    ? new Ellipse2D.Double(left, top, lensWidth, lensHeight)
                    : new RoundRectangle2D.Double(left, top, lensWidth, lensHeight, 0.08, 0.08);
            if (sunglasses) {
                g.setColor(eyewear.lens());
                g.fill(lens);
            }
            g.setColor(eyewear.frame());
            g.draw(lens);
            g.draw(new Line2D.Double(side * (EYE_X + lensWidth / 2), EYE_Y - 0.03, side * 0.52, EYE_Y - 0.05));
        }
        g.draw(new Line2D.Double(-EYE_X + lensWidth / 2, EYE_Y - 0.03, EYE_X - lensWidth / 2, EYE_Y - 0.03));
    }

    private static void paintHat(Graphics2D g, Hat hat) {
        Color colour = hat.colour();
        switch (hat.style()) {
            case CAP -> {
                g.setColor(colour);
                g.fill(dome(-0.56, -0.98, 1.12, 1.2, -0.36));
                g.setColor(hat.band());
                g.fill(new Ellipse2D.Double(-0.62, -0.46, 1.24, 0.22));
                g.fill(new Ellipse2D.Double(-0.05, -1.0, 0.1, 0.06));
            }
            case BEANIE -> {
                g.setColor(colour);
                g.fill(dome(-0.57, -1.0, 1.14, 1.24, -0.3));
                g.fill(new Ellipse2D.Double(-0.13, -1.12, 0.26, 0.26));
                g.setColor(hat.band());
                g.fill(new RoundRectangle2D.Double(-0.59, -0.44, 1.18, 0.15, 0.08, 0.08));
            }
            case WIDE_BRIM -> {
                g.setColor(colour);
                g.fill(new Ellipse2D.Double(-1.0, -0.56, 2.0, 0.3));
                g.fill(new RoundRectangle2D.Double(-0.42, -1.05, 0.84, 0.66, 0.3, 0.3));
                g.setColor(hat.band());
                g.fill(new Rectangle2D.Double(-0.42, -0.56, 0.84, 0.1));
            }
            case TOP_HAT -> {
                g.setColor(colour);
                g.fill(new Ellipse2D.Double(-0.72, -0.52, 1.44, 0.2));
                g.fill(new Rectangle2D.Double(-0.4, -1.45, 0.8, 1.03));
                g.setColor(hat.band());
                g.fill(new Rectangle2D.Double(-0.4, -0.6, 0.8, 0.12));
            }
        }
    }

    /** The upper part of an ellipse, cut flat at {@code cutY}. */
    private static Area dome(double x, double y, double width, double height, double cutY) {
        Area dome = new Area(new Ellipse2D.Double(x, y, width, height));
        dome.intersect(new Area(new Rectangle2D.Double(x - 1, y - 1, width + 2, cutY - y + 1)));
        return dome;
    }

    private static void paintOcclusion(Graphics2D g, Occlusion occlusion) {
        AffineTransform canvas = g.getTransform();
        g.translate(occlusion.x(), occlusion.y());
        g.rotate(Math.toRadians(occlusion.rotationDegrees()));
        g.scale(occlusion.size(), occlusion.size());
        g.setColor(occlusion.colour());
        if (occlusion.shape() == OcclusionShape.BAR) {
            g.fill(new Rectangle2D.Double(-0.75, -0.12, 1.5, 0.24));
        } else {
            g.fill(new Ellipse2D.Double(-0.3, -0.1, 0.6, 0.55));
            for (int finger = 0; finger < 4; finger++) {
                double x = -0.28 + finger * 0.15;
                g.fill(new RoundRectangle2D.Double(x, -0.45 + Math.abs(finger - 1.5) * 0.06, 0.12, 0.5, 0.12, 0.12));
            }
            g.fill(new RoundRectangle2D.Double(0.2, 0.0, 0.35, 0.12, 0.12, 0.12));
        }
        g.setTransform(canvas);
    }

    private static Color blend(Color base, Color towards, double amount) {
        return new Color(
                (int) Math.round(base.getRed() + (towards.getRed() - base.getRed()) * amount),
                (int) Math.round(base.getGreen() + (towards.getGreen() - base.getGreen()) * amount),
                (int) Math.round(base.getBlue() + (towards.getBlue() - base.getBlue()) * amount));
    }
}
