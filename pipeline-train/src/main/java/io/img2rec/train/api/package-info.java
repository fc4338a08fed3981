/**
 * The public training API of img2rec: everything another JVM application needs to train models, and nothing
 * else. No DL4J, ND4J, JavaCPP or OpenCV type appears in its signatures; results are immutable records. Every
 * other package of {@code pipeline-train} is internal and may change without notice.
 *
 * <pre>{@code
 * Cancellation cancel = new Cancellation();
 * Training training = Training.builder()
 *         .setConfigFile(Path.of("configs/vgg16.yaml"))
 *         .optDatasetRoot(Path.of("datasets/sample"))
 *         .optRunsDir(Path.of("runs"))
 *         .optCancellation(cancel)
 *         .optListener(new TrainingListener() {
 *             @Override
 *             public void epochFinished(EpochSummary epoch) {
 *                 System.out.println(epoch.key() + " " + epoch.phase().code() + " " + epoch.epoch()
 *                         + ": val loss " + epoch.metrics().validationLoss());
 *             }
 *         })
 *         .build();
 * TrainedRun run;
 * try {
 *     run = training.train();
 * } catch (TrainingCancelledException e) {
 *     // later, perhaps in another process: a Training whose Cancellation is not tripped continues the run
 *     run = Training.builder().setConfigFile(Path.of("configs/vgg16.yaml")).build()
 *             .resume(e.runFolder().orElseThrow());
 * }
 * for (BestModel model : run.models()) {
 *     System.out.println(model.name() + ": " + model.thresholds() + " from " + model.checkpoint());
 * }
 * if (run.randomWeights()) {
 *     System.out.println("random start: " + run.weights().description());
 * }
 * }</pre>
 *
 * <p>The {@link io.img2rec.train.api.Training} entry point configures the native libraries itself (once per
 * JVM); it should be the first img2rec or ND4J call of the application.
 */
package io.img2rec.train.api;
