package io.img2rec.core.weights;

import io.img2rec.core.model.Backbone;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.VGG16;

/**
 * The files that can hold a backbone's ImageNet weights.
 *
 * @param zooModelName   DL4J zoo model name: the cache sub-folder ({@code vgg16}, {@code resnet50})
 * @param zooUrl         where DL4J's zoo downloads the pretrained zip from
 * @param zooAdler32     the Adler32 checksum DL4J expects of that zip
 * @param kerasNotopFile the Keras Applications "notop" weights file name
 * @param kerasUrl       where Keras Applications downloads that file from
 */
public record ImageNetWeightFiles(String zooModelName, String zooUrl, long zooAdler32, String kerasNotopFile,
                                  String kerasUrl) {

    private static final String KERAS_RELEASES = "https://github.com/fchollet/deep-learning-models/releases/download/";

    public ImageNetWeightFiles {
        Objects.requireNonNull(zooModelName, "zooModelName");
        Objects.requireNonNull(zooUrl, "zooUrl");
        Objects.requireNonNull(kerasNotopFile, "kerasNotopFile");
        Objects.requireNonNull(kerasUrl, "kerasUrl");
    }

    /** @return the zip's file name in the zoo cache (the last segment of its URL, as DL4J names it) */
    public String zooFileName() {
        return Path.of(URI.create(zooUrl).getPath()).getFileName().toString();
    }

    /**
     * The files of a backbone, the zoo's URL and checksum read from DL4J's own zoo classes (so that
     * {@code -Dorg.deeplearning4j.resources.baseurl} is honoured).
     *
     * @return empty for backbones without ImageNet weights (the tiny test CNN)
     */
    public static Optional<ImageNetWeightFiles> of(Backbone backbone) {
        return switch (backbone) {
            case VGG16 -> Optional.of(fromZoo(VGG16.builder().build(), "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
                    KERAS_RELEASES + "v0.1/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"));
            case RESNET50 -> Optional.of(fromZoo(ResNet50.builder().build(),
                    "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
                    KERAS_RELEASES + "v0.2/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"));
            case TINY_CNN -> Optional.empty();
        };
    }

    private static ImageNetWeightFiles fromZoo(ZooModel<?> zoo, String kerasFile, String kerasUrl) {
        return new ImageNetWeightFiles(zoo.modelName(), zoo.pretrainedUrl(PretrainedType.IMAGENET),
                zoo.pretrainedChecksum(PretrainedType.IMAGENET), kerasFile, kerasUrl);
    }
}
