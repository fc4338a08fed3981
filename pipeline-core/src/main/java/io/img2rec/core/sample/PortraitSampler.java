package io.img2rec.core.sample;

import io.img2rec.core.sample.PortraitSpec.Backdrop;
import io.img2rec.core.sample.PortraitSpec.Beard;
import io.img2rec.core.sample.PortraitSpec.BeardStyle;
import io.img2rec.core.sample.PortraitSpec.Eyewear;
import io.img2rec.core.sample.PortraitSpec.EyewearStyle;
import io.img2rec.core.sample.PortraitSpec.Figure;
import io.img2rec.core.sample.PortraitSpec.HairStyle;
import io.img2rec.core.sample.PortraitSpec.Hat;
import io.img2rec.core.sample.PortraitSpec.HatStyle;
import io.img2rec.core.sample.PortraitSpec.Occlusion;
import io.img2rec.core.sample.PortraitSpec.OcclusionShape;
import io.img2rec.core.sample.PortraitSpec.Panel;
import java.awt.Color;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Draws the look of a portrait at random: canvas size, backdrop, skin, hair, face position, scale
 * and tilt, and a style and colour for each accessory its labels ask for. Accessory colours are
 * kept apart from the skin and backdrop so that each label stays visible at low resolution.
 */
final class PortraitSampler {

    static final int MIN_SIDE = 160;
    static final int MAX_SIDE = 240;
    static final double OCCLUSION_RATE = 0.15;
    static final double MAX_TILT_DEGREES = 15;

    private static final List<Color> SKIN_TONES = List.of(
            new Color(255, 224, 196), new Color(241, 194, 160), new Color(224, 172, 128),
            new Color(198, 134, 92), new Color(160, 102, 66), new Color(120, 74, 46), new Color(88, 56, 38));
    private static final List<Color> HAIR_COLOURS = List.of(
            new Color(28, 24, 22), new Color(70, 45, 30), new Color(115, 75, 45),
            new Color(212, 182, 112), new Color(160, 70, 35), new Color(165, 165, 160));
    private static final List<Color> HAT_COLOURS = List.of(
            new Color(200, 40, 40), new Color(30, 40, 110), new Color(40, 130, 60), new Color(225, 175, 40),
            new Color(25, 25, 25), new Color(236, 236, 230), new Color(240, 120, 30), new Color(120, 50, 140),
            new Color(20, 140, 150), new Color(110, 70, 40));
    private static final List<Color> FRAME_COLOURS = List.of(
            new Color(15, 15, 15), new Color(90, 50, 30), new Color(180, 30, 40), new Color(30, 60, 170),
            new Color(40, 40, 60));
    private static final List<Color> SUNGLASS_LENSES = List.of(
            new Color(18, 18, 22), new Color(45, 32, 20), new Color(20, 42, 32), new Color(25, 30, 60));
    private static final List<Color> SHIRT_COLOURS = List.of(
            new Color(60, 90, 150), new Color(200, 200, 200), new Color(150, 40, 50), new Color(50, 50, 50),
            new Color(90, 140, 90), new Color(220, 200, 150), new Color(120, 100, 160));
    private static final Color BLACK_BEARD = new Color(30, 25, 22);
    private static final Color GREY_BEARD = new Color(200, 200, 195);

    private PortraitSampler() {
    }

    static PortraitSpec sample(Set<Accessory> labels, SplittableRandom random) {
        int[] size = canvasSize(random);
        int width = size[0];
        int height = size[1];
        Backdrop backdrop = backdrop(random);
        Figure figure = figure(width, height, random);
        Optional<Hat> hat = labels.contains(Accessory.HAT)
                ? Optional.of(hat(backdrop, figure, random)) : Optional.empty();
        Optional<Beard> beard = labels.contains(Accessory.BEARD)
                ? Optional.of(beard(figure, random)) : Optional.empty();
        Optional<Eyewear> eyewear = labels.contains(Accessory.EYEWEAR)
                ? Optional.of(eyewear(figure, random)) : Optional.empty();
        Optional<Occlusion> occlusion = random.nextDouble() < OCCLUSION_RATE
                ? Optional.of(occlusion(width, height, random)) : Optional.empty();
        return new PortraitSpec(width, height, backdrop, figure, hat, beard, eyewear, occlusion);
    }

    /** Half square, the rest mostly portrait and some landscape; every side within [160, 240]. */
    private static int[] canvasSize(SplittableRandom random) {
        double shape = random.nextDouble();
        if (shape < 0.5) {
            int side = random.nextInt(MIN_SIDE, MAX_SIDE + 1);
            return new int[] {side, side};
        }
        int shortSide = random.nextInt(MIN_SIDE, 201);
        int longSide = Math.min(MAX_SIDE, (int) Math.round(shortSide * between(random, 1.15, 1.35)));
        return shape < 0.85 ? new int[] {shortSide, longSide} : new int[] {longSide, shortSide};
    }

    private static Backdrop backdrop(SplittableRandom random) {
        float hue = random.nextFloat();
        Color from = Color.getHSBColor(hue, (float) between(random, 0.08, 0.55), (float) between(random, 0.45, 0.95));
        Color to = Color.getHSBColor((float) (hue + between(random, -0.15, 0.15)),
                (float) between(random, 0.08, 0.55), (float) between(random, 0.35, 0.90));
        Optional<Panel> panel = Optional.empty();
        if (random.nextDouble() < 0.4) {
            Color colour = Color.getHSBColor(random.nextFloat(), (float) between(random, 0.05, 0.4),
                    (float) between(random, 0.5, 0.95));
            panel = Optional.of(new Panel(colour, between(random, -0.1, 0.7), between(random, -0.1, 0.4),
                    between(random, 0.2, 0.45), between(random, 0.4, 0.9)));
        }
        return new Backdrop(from, to, random.nextBoolean(), panel);
    }

    private static Figure figure(int width, int height, SplittableRandom random) {
        Color skin = jitter(pick(SKIN_TONES, random), 8, random);
        Color hair = pick(HAIR_COLOURS, random);
        HairStyle hairStyle = HairStyle.values()[weighted(random, 0.55, 0.30, 0.15)];
        Color shirt = jitter(pick(SHIRT_COLOURS, random), 15, random);
        double faceWidth = Math.min(width, height) * between(random, 0.36, 0.46);
        double centreX = width * between(random, 0.42, 0.58);
        double centreY = height * between(random, 0.50, 0.58);
        double tilt = between(random, -MAX_TILT_DEGREES, MAX_TILT_DEGREES);
        return new Figure(skin, hair, hairStyle, shirt, faceWidth, centreX, centreY, tilt);
    }

    private static Hat hat(Backdrop backdrop, Figure figure, SplittableRandom random) {
        HatStyle style = HatStyle.values()[random.nextInt(HatStyle.values().length)];
        Color colour = pick(HAT_COLOURS, random);
        for (int attempt = 0; attempt < 20 && !standsOut(colour, backdrop, figure); attempt++) {
            colour = pick(HAT_COLOURS, random);
        }
        Color band = random.nextBoolean() ? colour.darker().darker() : pick(HAT_COLOURS, random);
        return new Hat(style, jitter(colour, 10, random), band);
    }

    private static boolean standsOut(Color colour, Backdrop backdrop, Figure figure) {
        return distance(colour, backdrop.from()) > 110 && distance(colour, backdrop.to()) > 110
                && distance(colour, figure.hair()) > 70;
    }

    /** The hair colour where it contrasts with the skin; otherwise black on light skin, grey on dark. */
    private static Beard beard(Figure figure, SplittableRandom random) {
        BeardStyle style = BeardStyle.values()[weighted(random, 0.3, 0.25, 0.45)];
        Color colour = figure.hair();
        if (Math.abs(luminance(colour) - luminance(figure.skin())) < 80) {
            colour = luminance(figure.skin()) > 120 ? BLACK_BEARD : GREY_BEARD;
        }
        return new Beard(style, colour, random.nextLong());
    }

    private static Eyewear eyewear(Figure figure, SplittableRandom random) {
        EyewearStyle style = random.nextDouble() < 0.55 ? EyewearStyle.GLASSES : EyewearStyle.SUNGLASSES;
        Color frame = pick(FRAME_COLOURS, random);
        if (luminance(figure.skin()) < 110) {
            frame = random.nextBoolean() ? new Color(225, 190, 70) : new Color(210, 210, 215);
        }
        Color lens = pick(SUNGLASS_LENSES, random);
        return new Eyewear(style, frame, lens, random.nextBoolean());
    }

    private static Occlusion occlusion(int width, int height, SplittableRandom random) {
        OcclusionShape shape = random.nextBoolean() ? OcclusionShape.BAR : OcclusionShape.HAND;
        Color colour = shape == OcclusionShape.HAND
                ? jitter(pick(SKIN_TONES, random), 8, random)
                : Color.getHSBColor(random.nextFloat(), (float) between(random, 0.3, 0.9), (float) between(random, 0.3, 0.9));
        double size = Math.min(width, height) * between(random, 0.25, 0.40);
        return new Occlusion(shape, colour, width * random.nextDouble(), height * random.nextDouble(), size,
                between(random, -90, 90));
    }

    static double luminance(Color colour) {
        return 0.299 * colour.getRed() + 0.587 * colour.getGreen() + 0.114 * colour.getBlue();
    }

    private static double distance(Color a, Color b) {
        double red = a.getRed() - b.getRed();
        double green = a.getGreen() - b.getGreen();
        double blue = a.getBlue() - b.getBlue();
        return Math.sqrt(red * red + green * green + blue * blue);
    }

    private static Color jitter(Color colour, int amount, SplittableRandom random) {
        return new Color(clamp(colour.getRed() + random.nextInt(-amount, amount + 1)),
                clamp(colour.getGreen() + random.nextInt(-amount, amount + 1)),
                clamp(colour.getBlue() + random.nextInt(-amount, amount + 1)));
    }

    private static int clamp(int channel) {
        return Math.max(0, Math.min(255, channel));
    }

    private static <T> T pick(List<T> options, SplittableRandom random) {
        return options.get(random.nextInt(options.size()));
    }

    private static int weighted(SplittableRandom random, double... weights) {
        double draw = random.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static double between(SplittableRandom random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }
}
