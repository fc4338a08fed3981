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
 * @param kerasPath      that file's path below the Keras Applications base address ({@code vgg16/<file>},
 *                       {@code resnet/<file>}, as Keras' own server lays them out)
 * @param kerasMd5       the MD5 Keras Applications publishes for that file (its {@code get_file(file_hash=…)})
 */
public record ImageNetWeightFiles(String zooModelName, String zooUrl, long zooAdler32, String kerasNotopFile,
                                  String kerasPath, String kerasMd5) {

    /** Keras Applications' MD5 of {@code vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5}. */
    public static final String VGG16_NOTOP_MD5 = "6d6bbae143d832006294945121d1f1fc";
    /** Keras Applications' MD5 of {@code resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5}. */
    public static final String RESNET50_NOTOP_MD5 = "4d473c1dd8becc155b73f8504c6f6626";

    public ImageNetWeightFiles {
        Objects.requireNonNull(zooModelName, "zooModelName");
        Objects.requireNonNull(zooUrl, "zooUrl");
        Objects.requireNonNull(kerasNotopFile, "kerasNotopFile");
        Objects.requireNonNull(kerasPath, "kerasPath");
        if (kerasPath.startsWith("/") || URI.create(kerasPath).isAbsolute()) {
            throw new IllegalArgumentException("kerasPath '" + kerasPath + "' must be relative to a base address");
        }
        ExpectedChecksum.md5(kerasMd5);
    }

    /** @return the zip's file name in the zoo cache (the last segment of its URL, as DL4J names it) */
    public String zooFileName() {
        return Path.of(URI.create(zooUrl).getPath()).getFileName().toString();
    }

    /** @return where the Keras file is below {@code baseUrl} (a mirror laid out as Keras' server) */
    public URI kerasUrl(URI baseUrl) {
        String base = baseUrl.toString();
        return URI.create(base.endsWith("/") ? base : base + "/").resolve(kerasPath);
    }

    /** @return the Keras file's official address ({@link WeightsDownload#KERAS_APPLICATIONS}) */
    public String kerasUrl() {
        return kerasUrl(WeightsDownload.KERAS_APPLICATIONS).toString();
    }

    /**
     * The files of a backbone, the zoo's URL and checksum read from DL4J's own zoo classes (so that
     * {@code -Dorg.deeplearning4j.resources.baseurl} is honoured).
     *
     * @return empty for backbones without ImageNet weights (the tiny test CNN)
     */
    public static Optional<ImageNetWeightFiles> of(Backbone backbone) {
        return switch (backbone) {
            case VGG16 -> Optional.of(fromZoo(VGG16.builder().build(),
                    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "vgg16", VGG16_NOTOP_MD5));
            case RESNET50 -> Optional.of(fromZoo(ResNet50.builder().build(),
                    "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", "resnet", RESNET50_NOTOP_MD5));
            case TINY_CNN -> Optional.empty();
        };
    }

    private static ImageNetWeightFiles fromZoo(ZooModel<?> zoo, String kerasFile, String folder, String md5) {
        return new ImageNetWeightFiles(zoo.modelName(), zoo.pretrainedUrl(PretrainedType.IMAGENET),
                zoo.pretrainedChecksum(PretrainedType.IMAGENET), kerasFile, folder + "/" + kerasFile, md5);
    }
}
