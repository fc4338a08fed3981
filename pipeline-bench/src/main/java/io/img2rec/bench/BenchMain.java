package io.img2rec.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.img2rec.core.model.Backbone;
import io.img2rec.core.nativeio.NativeSetup;
import io.img2rec.core.nativeio.OneDnnStatus;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The img2rec side of {@code bench/run.sh}: runs the chosen suites and appends one JSON object per line to the output
 * file (first an {@code env} record, last a {@code memory} record). Usage:
 * <pre>
 * java -cp ... io.img2rec.bench.BenchMain [--size full|tiny] [--suites check,forward,train,recipe,serve,layout]
 *     [--backbones vgg16,resnet50] [--variants all|default] [--workspaces enabled|none] [--rounds N] [--warmup N]
 *     [--tag TEXT] [--out results.jsonl]
 * </pre>
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** Parsed command line. */
    record Options(BenchSize size, List<String> suites, List<Backbone> backbones, boolean allVariants,
                   WorkspaceMode workspaces, String tag, Path out) {

        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
                }
                values.put(args[i].substring(2), args[i + 1]);
            }
            BenchSize size = BenchSize.named(values.getOrDefault("size", "full"));
            if (values.containsKey("rounds") || values.containsKey("warmup")) {
                size = size.withRounds(Integer.parseInt(values.getOrDefault("rounds", String.valueOf(size.rounds()))),
                        Integer.parseInt(values.getOrDefault("warmup", String.valueOf(size.warmup()))));
            }
            List<String> suites = List.of(values.getOrDefault("suites", "check,forward,train,recipe,serve").split(","));
            for (String s : suites) {
                if (!List.of("check", "forward", "train", "recipe", "serve", "layout").contains(s)) {
                    throw new IllegalArgumentException("unknown suite '" + s
                            + "'; allowed: check, forward, train, recipe, serve, layout");
                }
            }
            List<Backbone> backbones = new ArrayList<>();
            for (String b : values.getOrDefault("backbones", "vgg16,resnet50").split(",")) {
                backbones.add(Backbone.valueOf(b.toUpperCase(Locale.ROOT)));
            }
            String variants = values.getOrDefault("variants", "all");
            if (!variants.equals("all") && !variants.equals("default")) {
                throw new IllegalArgumentException("--variants must be all or default, got " + variants);
            }
            WorkspaceMode ws = WorkspaceMode.valueOf(values.getOrDefault("workspaces", "enabled").toUpperCase(Locale.ROOT));
            return new Options(size, suites, backbones, variants.equals("all"), ws, values.getOrDefault("tag", ""),
                    Path.of(values.getOrDefault("out", "bench-results.jsonl")));
        }
    }

    public static void main(String[] args) throws IOException {
        if (Boolean.parseBoolean(System.getProperty("img2rec.bench.nativeSetup", "true"))) {
            NativeSetup.configure();
        } else if (System.getProperty(OneDnnStatus.HELPERS_DISABLE_PROPERTY) == null) {
            // experiments only: leave JavaCPP's choice of native build alone, still turn the helpers on
            System.setProperty(OneDnnStatus.HELPERS_DISABLE_PROPERTY, "false");
        }
        Options options = Options.parse(args);
        List<Measurement> results = run(options);
        System.err.println("[bench] " + results.size() + " records appended to " + options.out());
    }

    /** Runs the suites, appends the JSON lines to {@code options.out()} and returns the measurements. */
    static List<Measurement> run(Options options) throws IOException {
        List<Measurement> all = new ArrayList<>();
        try (MemoryWatch memory = new MemoryWatch();
             PrintStream out = new PrintStream(Files.newOutputStream(options.out(), StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
            ObjectMapper json = new ObjectMapper();
            out.println(json.writeValueAsString(environment(options)));
            BenchSize size = options.size();
            for (String suite : options.suites()) {
                List<Measurement> results = switch (suite) {
                    case "check" -> NumericCheck.run(size, options.backbones());
                    case "forward" -> ForwardBench.run(size, options.allVariants() ? ForwardBench.DEFAULT_VARIANTS
                            : ForwardBench.DEFAULT_VARIANTS.subList(0, 1), options.workspaces(), options.backbones());
                    case "train" -> TrainStepBench.run(size, options.backbones());
                    case "recipe" -> RecipeBench.run(size, options.backbones());
                    case "serve" -> SharedTrunkBench.run(size, options.backbones());
                    case "layout" -> LayoutBench.run(size, options.backbones());
                    default -> throw new IllegalStateException(suite);
                };
                for (Measurement m : results) {
                    out.println(json.writeValueAsString(tagged(m, options).toJson("img2rec")));
                }
                all.addAll(results);
            }
            Measurement peak = new Measurement("memory", "peak/" + String.join("+", options.suites()), "this JVM", 0,
                    new double[0], memory.peaks());
            out.println(json.writeValueAsString(tagged(peak, options).toJson("img2rec")));
            Progress.log(peak);
            all.add(peak);
        }
        return all;
    }

    private static Measurement tagged(Measurement m, Options options) {
        return options.tag().isEmpty() ? m : m.with("tag", options.tag());
    }

    private static Map<String, Object> environment(Options options) {
        OneDnnStatus status = OneDnnStatus.current();
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("side", "img2rec");
        env.put("suite", "env");
        env.put("tag", options.tag());
        env.put("size", options.size().name());
        env.put("onednn", status.summary());
        env.put("forward_layout", io.img2rec.core.model.ForwardLayout.host().describe());
        env.put("accelerated", status.accelerated());
        env.put("native_library", status.nativeLibrary());
        env.put("threads", status.threads());
        env.put("openblas_coretype", String.valueOf(System.getenv("OPENBLAS_CORETYPE")));
        env.put("omp_num_threads", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        env.put("workspaces", options.workspaces().toString());
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("dl4j", "1.0.0-M2.1");
        env.put("nd4j_blas", Nd4j.getBlasWrapper().getClass().getSimpleName());
        env.put("cpu", cpuModel());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        return env;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
