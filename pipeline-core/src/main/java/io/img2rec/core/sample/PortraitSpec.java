package io.img2rec.core.sample;

import java.awt.Color;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Everything needed to paint one generated portrait: canvas, backdrop, the person and the
 * accessories they wear. The labels follow from which accessories are present.
 *
 * @param width     canvas width in pixels
 * @param height    canvas height in pixels
 * @param backdrop  what is behind the person
 * @param figure    skin, hair, clothes and where the face sits in the frame
 * @param hat       the hat, if the portrait is labelled {@code hat}
 * @param beard     the beard, if the portrait is labelled {@code beard}
 * @param eyewear   the glasses, if the portrait is labelled {@code eyewear}
 * @param occlusion something in front of the camera, if any
 */
public record PortraitSpec(
        int width,
        int height,
        Backdrop backdrop,
        Figure figure,
        Optional<Hat> hat,
        Optional<Beard> beard,
        Optional<Eyewear> eyewear,
        Optional<Occlusion> occlusion) {

    public PortraitSpec {
        if (width < 16 || height < 16) {
            throw new IllegalArgumentException("canvas must be at least 16x16 px, was " + width + "x" + height);
        }
    }

    /** The labels this portrait carries; empty means it belongs in {@code none/}. */
    public Set<Accessory> labels() {
        Set<Accessory> labels = EnumSet.noneOf(Accessory.class);
        hat.ifPresent(h -> labels.add(Accessory.HAT));
        beard.ifPresent(b -> labels.add(Accessory.BEARD));
        eyewear.ifPresent(e -> labels.add(Accessory.EYEWEAR));
        return labels;
    }

    /** A two-colour gradient, optionally with a flat panel (a door, a window) behind the person. */
    public record Backdrop(Color from, Color to, boolean diagonal, Optional<Panel> panel) {
    }

    /** A rectangle in fractions of the canvas. */
    public record Panel(Color colour, double x, double y, double width, double height) {
    }

    /**
     * The person.
     *
     * @param faceWidth       face width in pixels; every other part is drawn relative to it
     * @param centreX         face centre in pixels from the left
     * @param centreY         face centre in pixels from the top
     * @param rotationDegrees head tilt, positive clockwise
     */
    public record Figure(Color skin, Color hair, HairStyle hairStyle, Color shirt,
                         double faceWidth, double centreX, double centreY, double rotationDegrees) {
    }

    public enum HairStyle { SHORT, LONG, BALD }

    public record Hat(HatStyle style, Color colour, Color band) {
    }

    public enum HatStyle { CAP, BEANIE, WIDE_BRIM, TOP_HAT }

    /** @param stippleSeed places the dots of stubble */
    public record Beard(BeardStyle style, Color colour, long stippleSeed) {
    }

    public enum BeardStyle { STUBBLE, GOATEE, FULL }

    public record Eyewear(EyewearStyle style, Color frame, Color lens, boolean roundLenses) {
    }

    public enum EyewearStyle { GLASSES, SUNGLASSES }

    /**
     * Something between camera and person.
     *
     * @param x    centre in pixels from the left
     * @param y    centre in pixels from the top
     * @param size length of the object in pixels
     */
    public record Occlusion(OcclusionShape shape, Color colour, double x, double y, double size,
                            double rotationDegrees) {
    }

    public enum OcclusionShape { BAR, HAND }
}
