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
        ConfigChecks.inRange("augment.copies", copies, 1, 1000);
        ConfigChecks.inRange("augment.zoom", zoomMin, 0.05, 20.0);
        ConfigChecks.inRange("augment.zoom", zoomMax, 0.05, 20.0);
        ConfigChecks.rangeOrdered("augment.zoom", zoomMin, zoomMax);
        ConfigChecks.inRange("augment.shear", shearDegrees, 0.0, 89.0);
        ConfigChecks.inRange("augment.brightness", brightnessMin, 0.0, 10.0);
        ConfigChecks.inRange("augment.brightness", brightnessMax, 0.0, 10.0);
        ConfigChecks.rangeOrdered("augment.brightness", brightnessMin, brightnessMax);
        ConfigChecks.inRange("augment.rotation", rotationDegrees, 0.0, 180.0);
        ConfigChecks.inRange("augment.width_shift", widthShift, 0.0, 1.0);
        ConfigChecks.inRange("augment.height_shift", heightShift, 0.0, 1.0);
    }

    public static AugmentConfig defaults() {
        return new AugmentConfig(true, 4, 0.8, 1.7, 0.2, 0.5, 1.5, 40.0, 0.2, 0.2, true);
    }
}
