package io.img2rec.serve.testing;

import io.img2rec.core.image.ImageDecoder;
import io.img2rec.core.image.RgbImage;
import io.img2rec.core.nativeio.NativeSetup;
import io.img2rec.core.sample.GeneratedSample;
import io.img2rec.core.sample.PortraitSpec;
import io.img2rec.core.sample.SampleDatasetGenerator;
import io.img2rec.serve.face.FaceBox;
import io.img2rec.serve.face.HaarFaceDetector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Sets up a demo for docs/SERVING.md and probes the Haar detector on generated portraits:
 * {@code mvn -o -q -pl pipeline-serve exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.img2rec.serve.testing.DemoSetup -Dexec.args="<out folder> <portraits>"}.
 * Writes six tiny (untrained) checkpoints under {@code <out>/models}, portraits under {@code <out>/portraits}, and
 * prints how often the cascade finds the painted face and how its box compares with the painted face's box.
 */
public final class DemoSetup {
    private DemoSetup() {
    }

    public static void main(String[] args) throws Exception {
        NativeSetup.configure();
        Path out = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        long seed = 21;
        for (String label : ServeFixtures.LABELS) {
            ServeFixtures.writeTiny(out.resolve("models"), "vgg16", label, seed++);
            ServeFixtures.writeTiny(out.resolve("models"), "resnet50", label, seed++);
        }
        List<GeneratedSample> samples = new SampleDatasetGenerator(count, 7).generate(out.resolve("portraits"));
        int found = 0;
        int multiple = 0;
        double sumScale = 0;
        double sumDx = 0;
        double sumDy = 0;
        try (HaarFaceDetector detector = new HaarFaceDetector()) {
            for (GeneratedSample sample : samples) {
                PortraitSpec spec = sample.spec();
                String folder = SampleDatasetGenerator.foldersOf(sample.labels()).get(0);
                RgbImage image = ImageDecoder.decode(out.resolve("portraits").resolve(folder).resolve(sample.fileName()));
                List<FaceBox> faces = detector.detect(image);
                if (faces.isEmpty()) {
                    continue;
                }
                found++;
                if (faces.size() > 1) {
                    multiple++;
                }
                // the painted face: an ellipse faceWidth wide and 1.3 faceWidth tall around (centreX, centreY)
                double fw = spec.figure().faceWidth();
                double cx = spec.figure().centreX();
                double cy = spec.figure().centreY();
                FaceBox best = faces.stream().min((a, b) -> Double.compare(dist(a, cx, cy), dist(b, cx, cy))).orElseThrow();
                sumScale += best.width() / fw;
                sumDx += ((best.left() + best.right()) / 2.0 - cx) / best.width();
                sumDy += ((best.top() + best.bottom()) / 2.0 - cy) / best.height();
            }
        }
        System.out.printf(Locale.ROOT, "portraits %d, cascade found a face in %d (%d with more than one)%n",
                samples.size(), found, multiple);
        if (found > 0) {
            System.out.printf(Locale.ROOT, "mean cascade width / painted face width %.3f, centre offset dx %.3f dy %.3f"
                    + " (fractions of the cascade box)%n", sumScale / found, sumDx / found, sumDy / found);
        }
        Files.createDirectories(out);
    }

    private static double dist(FaceBox box, double cx, double cy) {
        double x = (box.left() + box.right()) / 2.0 - cx;
        double y = (box.top() + box.bottom()) / 2.0 - cy;
        return x * x + y * y;
    }
}
