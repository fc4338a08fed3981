package io.img2rec.core.image;

import io.img2rec.core.config.ModelConfig;
import io.img2rec.core.nativeio.FloatArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * The one pre-processing path of img2rec (training, evaluation and serving all call it): resize to the
 * input size, reorder RGB → BGR, apply {@link PixelPreprocessing}, and lay the values out as the network
 * expects ({@link TensorLayout}).
 */
public record InputEncoder(int inputSize, PixelPreprocessing preprocessing, ResizeInterpolation resize,
                           TensorLayout layout) {
    public InputEncoder {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be positive, got " + inputSize);
        }
        if (preprocessing == null || resize == null || layout == null) {
            throw new IllegalArgumentException("preprocessing, resize and layout are required");
        }
    }

    public static InputEncoder of(ModelConfig model) {
        return new InputEncoder(model.inputSize(), model.preprocessing(), model.resize(), model.dataFormat());
    }

    /** Values per image. */
    public int valuesPerImage() {
        return inputSize * inputSize * 3;
    }

    /** Shape of a batch of {@code n} images. */
    public long[] batchShape(int n) {
        return layout == TensorLayout.NHWC ? new long[] {n, inputSize, inputSize, 3}
                : new long[] {n, 3, inputSize, inputSize};
    }

    /** Resizes an image to the input size with the configured interpolation. */
    public RgbImage resized(RgbImage image) {
        return ImageResizer.resize(image, inputSize, inputSize, resize);
    }

    /** Writes one image's network input into {@code out} starting at {@code offset}. */
    public void encodeInto(RgbImage image, float[] out, int offset) {
        RgbImage sized = resized(image);
        byte[] p = sized.pixels();
        int plane = inputSize * inputSize;
        for (int i = 0; i < plane; i++) {
            for (int bgr = 0; bgr < 3; bgr++) {
                int rgbChannel = 2 - bgr;
                float value = channelValue(p[i * 3 + rgbChannel] & 0xFF, bgr);
                int index = layout == TensorLayout.NHWC ? i * 3 + bgr : bgr * plane + i;
                out[offset + index] = value;
            }
        }
    }

    private float channelValue(int raw, int bgrChannel) {
        return switch (preprocessing) {
            case BGR_RESCALE -> raw / 255f;
            case CAFFE -> (float) (raw - PixelPreprocessing.IMAGENET_BGR_MEANS[bgrChannel]);
        };
    }

    /** A float batch tensor of the images, in order. */
    public INDArray encode(List<RgbImage> images) {
        float[] values = new float[images.size() * valuesPerImage()];
        for (int i = 0; i < images.size(); i++) {
            encodeInto(images.get(i), values, i * valuesPerImage());
        }
        return FloatArrays.of(values, batchShape(images.size()));
    }
}
