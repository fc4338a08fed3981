package io.img2rec.core.model;

import java.lang.reflect.Field;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;

/**
 * A DL4J layer class's {@code helper} field, read and replaced by reflection: DL4J M2.1 creates a layer's oneDNN
 * helper in the layer's constructor and offers no way to set another ({@link TrainingConvolutions},
 * {@link TrainingBatchNorms}).
 *
 * @param <H> the field's helper type
 */
final class HelperField<H extends LayerHelper> {
    private final Field field;
    private final Class<H> type;

    private HelperField(Field field, Class<H> type) {
        this.field = field;
        this.type = type;
    }

    /** @return the field of {@code layerClass}; {@link #present()} is false where this DL4J has none */
    static <H extends LayerHelper> HelperField<H> of(Class<? extends Layer> layerClass, Class<H> type) {
        Field f;
        try {
            f = layerClass.getDeclaredField("helper");
            f.setAccessible(true);
            if (!f.getType().isAssignableFrom(type)) {
                f = null;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            f = null;
        }
        return new HelperField<>(f, type);
    }

    boolean present() {
        return field != null;
    }

    /** @return {@code layer}'s helper, or null when it has none */
    H get(Layer layer) {
        try {
            Object h = field.get(layer);
            return type.isInstance(h) ? type.cast(h) : null;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read DL4J's helper of " + layer.getClass().getSimpleName(), e);
        }
    }

    void set(Layer layer, H helper) {
        try {
            field.set(layer, helper);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set DL4J's helper of " + layer.getClass().getSimpleName(), e);
        }
    }
}
