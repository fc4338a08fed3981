package io.img2rec.core.config;

/**
 * Phase-2 augmentation with Keras {@code ImageDataGenerator} semantics.
 *
 * @param copies        augmented copies per training image kept in the bank (each epoch draws one per image)
 * @param zoomMin       zoom factors for x and y drawn independently from [zoomMin, zoomMax]; above 1 zooms out
 * @param shearDegrees  shear angle range in degrees (Keras 2.2 takes degrees)
 * @param brightnessMin multiplicative brightness factor range
 * @param rotationDegrees rotation range in degrees
 * @param widthShift    horizontal shift as a fraction of the width
 * @param heightShift   vertical shift as a fraction of the height
 */
public record AugmentConfig(boolean enabled, int copies, double zoomMin, double zoomMax, double shearDegrees,
                            double brightnessMin, double brightnessMax, double rotationDegrees, double widthShift,
                            double heightShift, boolean horizontalFlip) {
    public AugmentConfig {
        ConfigKeys.AUGMENT_COPIES.check(copies);
        ConfigKeys.AUGMENT_ZOOM.check(new ConfigType.Interval(zoomMin, zoomMax));
        ConfigKeys.AUGMENT_SHEAR.check(shearDegrees);
        ConfigKeys.AUGMENT_BRIGHTNESS.check(new ConfigType.Interval(brightnessMin, brightnessMax));
        ConfigKeys.AUGMENT_ROTATION.check(rotationDegrees);
        ConfigKeys.AUGMENT_WIDTH_SHIFT.check(widthShift);
        ConfigKeys.AUGMENT_HEIGHT_SHIFT.check(heightShift);
    }

    /** The declared defaults ({@link ConfigKeys}). */
    public static AugmentConfig defaults() {
        return PipelineConfig.defaults(io.img2rec.core.model.Backbone.VGG16).augment();
    }
}
