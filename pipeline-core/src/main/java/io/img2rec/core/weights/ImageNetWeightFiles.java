package io.img2rec.core.weights;

import io.img2rec.core.model.Backbone;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.VGG16;

/**
 * The files that can hold a backbone's ImageNet weights.
 *
 * <p>ResNet50's Keras file is the one Keras 2.2 ({@code keras_applications/resnet50.py}) downloads from the
 * {@code fchollet/deep-learning-models} v0.2 release, md5 {@code a268eb855778b3df3c7506639542a6af}: its layer names
 * ({@code conv1}, {@code bn_conv1}, {@code res2a_branch2a}…) and batch-norm epsilon (1e-3) are those of our
 * {@link io.img2rec.core.model.ResNet50Architecture}. The file of the same name on Keras' current server
 * ({@code storage.googleapis.com/tensorflow/keras-applications/resnet/}, md5 {@code 4d473c1dd8becc155b73f8504c6f6626})
 * is tf.keras' re-export ({@code resnet_common}): other layer names, epsilon 1.001e-5; it is recognised and reported,
 * not loaded. VGG16's file is the same (same md5) on both servers.
 *
 * @param zooModelName    DL4J zoo model name: the cache sub-folder ({@code vgg16}, {@code resnet50})
 * @param zooUrl          where DL4J's zoo downloads the pretrained zip from
 * @param zooAdler32      the Adler32 checksum DL4J expects of that zip
 * @param kerasNotopFile  the Keras Applications "notop" weights file name
 * @param kerasUrl        the file's official address
 * @param kerasMd5        the MD5 Keras publishes for that file (its {@code get_file(md5_hash=…)})
 * @param kerasLookalikes MD5s of other files that carry the same name but do not fit our architecture, each with
 *                        the reason, so that such a file is named for what it is (and not overwritten)
 */
public record ImageNetWeightFiles(String zooModelName, String zooUrl, long zooAdler32, String kerasNotopFile,
                                  String kerasUrl, String kerasMd5, Map<String, String> kerasLookalikes) {

    /** Keras Applications' MD5 of {@code vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5} (Keras 2.2 and tf.keras). */
    public static final String VGG16_NOTOP_MD5 = "6d6bbae143d832006294945121d1f1fc";
    /** Keras 2.2's MD5 of {@code resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5} (the v0.2 release). */
    public static final String RESNET50_NOTOP_MD5 = "a268eb855778b3df3c7506639542a6af";
    /** tf.keras' MD5 of its own {@code resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5} (another file). */
    public static final String TF_KERAS_RESNET50_NOTOP_MD5 = "4d473c1dd8becc155b73f8504c6f6626";

    private static final String VGG16_URL = "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
            + "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5";
    private static final String RESNET50_URL = "https://github.com/fchollet/deep-learning-models/releases/download/"
            + "v0.2/resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5";

    public ImageNetWeightFiles {
        Objects.requireNonNull(zooModelName, "zooModelName");
        Objects.requireNonNull(zooUrl, "zooUrl");
        Objects.requireNonNull(kerasNotopFile, "kerasNotopFile");
        Objects.requireNonNull(kerasUrl, "kerasUrl");
        kerasMd5 = ExpectedChecksum.md5(kerasMd5).md5();
        kerasLookalikes = Map.copyOf(kerasLookalikes);
    }

    /** @return the zip's file name in the zoo cache (the last segment of its URL, as DL4J names it) */
    public String zooFileName() {
        return Path.of(URI.create(zooUrl).getPath()).getFileName().toString();
    }

    /**
     * @param mirror a base address holding the files by name ({@code <mirror>/<kerasNotopFile>}), or {@code null}
     * @return where the Keras file is downloaded from: the mirror, else the official address
     */
    public URI kerasUrl(URI mirror) {
        if (mirror == null) {
            return URI.create(kerasUrl);
        }
        String base = mirror.toString();
        return URI.create(base.endsWith("/") ? base : base + "/").resolve(kerasNotopFile);
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
                    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", VGG16_URL, VGG16_NOTOP_MD5, Map.of()));
            case RESNET50 -> Optional.of(fromZoo(ResNet50.builder().build(),
                    "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", RESNET50_URL, RESNET50_NOTOP_MD5,
                    Map.of(TF_KERAS_RESNET50_NOTOP_MD5, "it is tf.keras' ResNet50 file (from "
                            + "storage.googleapis.com/tensorflow/keras-applications/resnet/), whose layers are named "
                            + "conv1_conv, conv2_block1_1_conv, … and whose batch normalisation uses epsilon 1.001e-5; "
                            + "img2rec's ResNet50 is Keras 2.2's (conv1, res2a_branch2a, …, epsilon 1e-3) and loads "
                            + "Keras 2.2's file of the same name (md5 " + RESNET50_NOTOP_MD5 + ", " + RESNET50_URL
                            + ")")));
            case TINY_CNN -> Optional.empty();
        };
    }

    private static ImageNetWeightFiles fromZoo(ZooModel<?> zoo, String kerasFile, String url, String md5,
                                               Map<String, String> lookalikes) {
        return new ImageNetWeightFiles(zoo.modelName(), zoo.pretrainedUrl(PretrainedType.IMAGENET),
                zoo.pretrainedChecksum(PretrainedType.IMAGENET), kerasFile, url, md5, lookalikes);
    }
}
