package io.img2rec.serve.registry;

import io.img2rec.core.checkpoint.CheckpointException;
import io.img2rec.core.checkpoint.CheckpointSidecar;
import io.img2rec.core.checkpoint.CheckpointStore;
import io.img2rec.core.image.InputEncoder;
import io.img2rec.core.image.PixelPreprocessing;
import io.img2rec.core.image.ResizeInterpolation;
import io.img2rec.core.image.TensorLayout;
import io.img2rec.core.model.Backbone;
import io.img2rec.core.ensemble.EnsembleValidation;
import io.img2rec.core.run.PredictionsCsv;
import io.img2rec.core.run.RunFormatException;
import io.img2rec.core.run.RunLayout;
import io.img2rec.serve.predict.Dl4jScoringModel;
import io.img2rec.serve.predict.ModelCard;
import io.img2rec.serve.predict.ScoringModel;
import io.img2rec.serve.predict.SharedTrunkModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The models to serve. {@link #load} reads every sidecar ({@code *.json}) of the given folders — a run folder (its
 * {@code checkpoints/}) or any folder of checkpoints — keeps those with {@code kind = best} and {@code contents = full}
 * (other sidecars, such as {@code last} or {@code best-head}, are skipped and logged), checks each one, checks the set,
 * and only then loads the zips (each verified against its sidecar's SHA-256).
 *
 * <p>Checks, each refusing the whole set with a {@link ModelLoadException} naming the file and value:
 * sidecar format version (checked by {@link CheckpointStore#readSidecar}); known architecture ({@code vgg16},
 * {@code resnet50}, {@code tiny_cnn}); at least one label,
 * no label twice in one model; input size ≥ 8; preprocessing / resize / data format among the known names;
 * thresholds in [0, 1] (a label without one gets 0.5, logged); one model per (label, architecture); the models of
 * one architecture agree on input size and pre-processing; every required label covered by at least one model;
 * the zip present and matching its SHA-256. A set in which some label lacks some architecture is served and the gaps
 * are logged (see {@link #missing()}).
 *
 * <p>Closing the registry closes its models.
 */
public final class ModelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
    private static final Set<String> ARCHITECTURES = Set.copyOf(
            Arrays.stream(Backbone.values()).map(Backbone::configName).toList());
    public static final double DEFAULT_THRESHOLD = 0.5;

    private final List<ScoringModel> models;
    private final List<String> labels;
    private final List<String> architectures;
    private final List<String> missing;
    private final EnsembleValidation validation;

    private ModelRegistry(List<ScoringModel> models, List<String> labels, List<String> architectures,
                          List<String> missing, EnsembleValidation validation) {
        this.models = models;
        this.labels = labels;
        this.architectures = architectures;
        this.missing = missing;
        this.validation = validation;
    }

    /** Loads the best models of the given folders; {@code requiredLabels} empty = the labels the sidecars name. */
    public static ModelRegistry load(List<Path> folders, Collection<String> requiredLabels) throws ModelLoadException {
        return load(folders, List.of(), requiredLabels);
    }

    /**
     * Loads the best models of the given folders and adds models built elsewhere (e.g. imported from Keras); the
     * set checks apply to all of them together. On failure the extra models are closed too.
     */
    public static ModelRegistry load(List<Path> folders, List<ScoringModel> extra, Collection<String> requiredLabels)
            throws ModelLoadException {
        return load(folders, extra, requiredLabels, true);
    }

    /**
     * As {@link #load(List, List, Collection)}; with {@code shareTrunks}, the checkpoint models of one architecture
     * whose frozen layers are identical are served as one {@link SharedTrunkModel} (the trunk runs once per crop).
     */
    public static ModelRegistry load(List<Path> folders, List<ScoringModel> extra, Collection<String> requiredLabels,
                                     boolean shareTrunks) throws ModelLoadException {
        if (folders.isEmpty()) {
            if (extra.isEmpty()) {
                throw new ModelLoadException("no model folder given; pass a run folder or a folder of checkpoints");
            }
            try {
                return of(extra, requiredLabels);
            } catch (ModelLoadException e) {
                extra.forEach(ScoringModel::close);
                throw e;
            }
        }
        try {
            return loadFolders(folders, extra, requiredLabels, shareTrunks);
        } catch (ModelLoadException | RuntimeException e) {
            extra.forEach(ScoringModel::close);
            throw e;
        }
    }

    private static ModelRegistry loadFolders(List<Path> folders, List<ScoringModel> extra,
                                             Collection<String> requiredLabels, boolean shareTrunks)
            throws ModelLoadException {
        Map<Path, CheckpointSidecar> chosen = new LinkedHashMap<>();
        EnsembleValidation validation = EnsembleValidation.none();
        for (Path folder : folders) {
            chosen.putAll(servableSidecars(folder));
            validation = validation.with(validationScores(folder));
        }
        List<ModelCard> cards = new ArrayList<>();
        for (var entry : chosen.entrySet()) {
            cards.add(card(entry.getKey(), entry.getValue()));
        }
        List<String> sources = new ArrayList<>(chosen.keySet().stream().map(Path::toString).toList());
        for (ScoringModel model : extra) {
            cards.add(model.card());
            sources.add(model.card().name());
        }
        Plan plan = check(cards, requiredLabels, sources);
        List<ScoringModel> loaded = new ArrayList<>();
        Map<String, List<ModelCard>> cardsByArchitecture = new TreeMap<>();
        Map<String, List<ComputationGraph>> graphsByArchitecture = new TreeMap<>();
        try {
            int i = 0;
            for (Path sidecarFile : chosen.keySet()) {
                ModelCard card = cards.get(i++);
                ComputationGraph graph;
                try {
                    graph = CheckpointStore.load(sidecarFile, false);
                } catch (CheckpointException e) {
                    throw new ModelLoadException(e.getMessage(), e);
                }
                cardsByArchitecture.computeIfAbsent(card.architecture(), a -> new ArrayList<>()).add(card);
                graphsByArchitecture.computeIfAbsent(card.architecture(), a -> new ArrayList<>()).add(graph);
                LOG.info("loaded {} ({} {} input {} {})", card.name(), card.architecture(), card.labels(),
                        card.encoder().inputSize(), card.encoder().preprocessing().configName());
            }
            for (String architecture : cardsByArchitecture.keySet()) {
                List<ModelCard> group = cardsByArchitecture.get(architecture);
                List<ComputationGraph> graphs = graphsByArchitecture.get(architecture);
                var combined = shareTrunks ? SharedTrunkModel.combine(group, graphs) : Optional.<SharedTrunkModel>empty();
                if (combined.isPresent()) {
                    LOG.info("{}: {} models share {} frozen vertices; the trunk runs once per crop", architecture,
                            group.size(), combined.get().sharedVertices().size());
                    loaded.add(combined.get());
                    graphs.forEach(ComputationGraph::close);
                } else {
                    for (int g = 0; g < group.size(); g++) {
                        loaded.add(new Dl4jScoringModel(group.get(g), graphs.get(g)));
                    }
                }
                graphsByArchitecture.put(architecture, List.of());
            }
        } catch (ModelLoadException | RuntimeException e) {
            loaded.forEach(ScoringModel::close);
            graphsByArchitecture.values().forEach(list -> list.forEach(ComputationGraph::close));
            throw e;
        }
        loaded.addAll(extra);
        return new ModelRegistry(List.copyOf(loaded), plan.labels, plan.architectures, plan.missing, validation);
    }

    /** A registry over models already built (fakes in tests, models from elsewhere); the same set checks apply. */
    public static ModelRegistry of(List<ScoringModel> models, Collection<String> requiredLabels)
            throws ModelLoadException {
        List<ModelCard> cards = models.stream().map(ScoringModel::card).toList();
        Plan plan = check(cards, requiredLabels, cards.stream().map(ModelCard::name).toList());
        return new ModelRegistry(List.copyOf(models), plan.labels, plan.architectures, plan.missing,
                EnsembleValidation.none());
    }

    /**
     * The validation scores of a run folder's {@code predictions.csv} (the folder itself, or the run folder around
     * a {@code checkpoints/} folder), which the ensemble's thresholds are tuned on; none for a folder of copied
     * checkpoints.
     */
    private static EnsembleValidation validationScores(Path folder) throws ModelLoadException {
        Path root = RunLayout.runRootOf(folder).orElse(null);
        if (root == null || !Files.isRegularFile(root.resolve(RunLayout.PREDICTIONS))) {
            return EnsembleValidation.none();
        }
        try {
            return EnsembleValidation.of(PredictionsCsv.read(root.resolve(RunLayout.PREDICTIONS)));
        } catch (RunFormatException e) {
            throw new ModelLoadException("cannot read the validation scores the ensemble is tuned on: "
                    + e.getMessage(), e);
        }
    }

    /** The validation scores of the run folders loaded (what the ensemble's thresholds are tuned on). */
    public EnsembleValidation validation() {
        return validation;
    }

    public List<ScoringModel> models() {
        return models;
    }

    /** Labels served, sorted. */
    public List<String> labels() {
        return labels;
    }

    /** Architectures present, sorted. */
    public List<String> architectures() {
        return architectures;
    }

    /** {@code label/architecture} pairs absent from a set that is otherwise served (empty for a complete set). */
    public List<String> missing() {
        return missing;
    }

    @Override
    public void close() {
        models.forEach(ScoringModel::close);
    }

    private record Plan(List<String> labels, List<String> architectures, List<String> missing) {
    }

    private static Map<Path, CheckpointSidecar> servableSidecars(Path folder) throws ModelLoadException {
        Path dir = RunLayout.checkpointsIn(folder);
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException(folder + " is not a folder (expected a run folder or a folder of checkpoints)");
        }
        CheckpointStore store = new CheckpointStore(dir);
        List<Path> jsons = new ArrayList<>();
        try {
            for (String name : store.names()) {
                if (Files.isRegularFile(store.sidecarFile(name))) {
                    jsons.add(store.sidecarFile(name));
                }
            }
        } catch (IOException e) {
            throw new ModelLoadException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        Map<Path, CheckpointSidecar> out = new LinkedHashMap<>();
        for (Path json : jsons) {
            CheckpointSidecar sidecar;
            try {
                sidecar = CheckpointStore.readSidecar(json);
            } catch (CheckpointException e) {
                throw new ModelLoadException(e.getMessage(), e);
            }
            if (!"best".equals(sidecar.kind()) || !"full".equals(sidecar.contents())) {
                LOG.info("skipping {}: kind={} contents={} (only kind=best, contents=full is served)", json,
                        sidecar.kind(), sidecar.contents());
                continue;
            }
            out.put(json, sidecar);
        }
        if (out.isEmpty()) {
            throw new ModelLoadException(dir + " holds no servable checkpoint (a sidecar with kind=best and "
                    + "contents=full); found " + jsons.size() + " sidecar(s)");
        }
        return out;
    }

    static ModelCard card(Path file, CheckpointSidecar s) throws ModelLoadException {
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        if (s.architecture() == null || !ARCHITECTURES.contains(s.architecture())) {
            throw new ModelLoadException(file + ": unknown architecture '" + s.architecture() + "'; known: "
                    + new TreeSet<>(ARCHITECTURES));
        }
        if (s.labels().isEmpty()) {
            throw new ModelLoadException(file + ": names no labels");
        }
        if (new TreeSet<>(s.labels()).size() != s.labels().size() || s.labels().stream().anyMatch(l -> l == null || l.isBlank())) {
            throw new ModelLoadException(file + ": labels " + s.labels() + " contain a blank or repeated label");
        }
        if (s.inputSize() < 8) {
            throw new ModelLoadException(file + ": inputSize " + s.inputSize() + " is not a usable image side (>= 8)");
        }
        PixelPreprocessing preprocessing = parse(file, "preprocessing", s.preprocessing(), PixelPreprocessing.class);
        ResizeInterpolation resize = parse(file, "resize", s.resize(), ResizeInterpolation.class);
        TensorLayout layout = parse(file, "dataFormat", s.dataFormat(), TensorLayout.class);
        Map<String, Double> thresholds = new TreeMap<>();
        for (String label : s.labels()) {
            Double t = s.thresholds().get(label);
            if (t == null) {
                LOG.info("{}: no threshold for label {}; using {}", file, label, DEFAULT_THRESHOLD);
                t = DEFAULT_THRESHOLD;
            }
            if (!(t >= 0.0 && t <= 1.0)) {
                throw new ModelLoadException(file + ": threshold " + t + " for label " + label + " is outside [0, 1]");
            }
            thresholds.put(label, t);
        }
        if (s.modelFile() == null || s.modelSha256() == null || s.modelSha256().isBlank()) {
            throw new ModelLoadException(file + ": names no model file or no SHA-256 (modelFile=" + s.modelFile()
                    + ", modelSha256=" + s.modelSha256() + ")");
        }
        return new ModelCard(name, s.architecture(), s.labels(), thresholds,
                new InputEncoder(s.inputSize(), preprocessing, resize, layout), s.modelSha256());
    }

    private static <E extends Enum<E>> E parse(Path file, String field, String value, Class<E> type)
            throws ModelLoadException {
        List<String> allowed = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        if (value == null || !allowed.contains(value)) {
            throw new ModelLoadException(file + ": unknown " + field + " '" + value + "'; allowed: " + allowed);
        }
        return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    }

    private static Plan check(List<ModelCard> cards, Collection<String> requiredLabels, List<String> sources)
            throws ModelLoadException {
        if (cards.isEmpty()) {
            throw new ModelLoadException("no models to serve");
        }
        Map<String, String> owner = new TreeMap<>();
        Map<String, ModelCard> firstOfArchitecture = new TreeMap<>();
        Set<String> labels = new TreeSet<>();
        Set<String> architectures = new TreeSet<>();
        for (int i = 0; i < cards.size(); i++) {
            ModelCard card = cards.get(i);
            String source = sources.get(i);
            for (String label : card.labels()) {
                String key = label + "/" + card.architecture();
                String previous = owner.putIfAbsent(key, source);
                if (previous != null) {
                    throw new ModelLoadException("two models for label " + label + " with architecture "
                            + card.architecture() + ": " + previous + " and " + source + "; keep one");
                }
                labels.add(label);
            }
            architectures.add(card.architecture());
            ModelCard first = firstOfArchitecture.putIfAbsent(card.architecture(), card);
            if (first != null && !first.encoder().equals(card.encoder())) {
                throw new ModelLoadException("models of architecture " + card.architecture() + " disagree on input: "
                        + first.name() + " has " + describe(first.encoder()) + ", " + card.name() + " has "
                        + describe(card.encoder()) + " (they must come from one training configuration)");
            }
        }
        Set<String> uncovered = new TreeSet<>(requiredLabels);
        uncovered.removeAll(labels);
        if (!uncovered.isEmpty()) {
            throw new ModelLoadException("label(s) " + uncovered + " covered by no model; the models cover " + labels
                    + " (sources: " + sources + ")");
        }
        List<String> missing = new ArrayList<>();
        for (String label : labels) {
            for (String architecture : architectures) {
                if (!owner.containsKey(label + "/" + architecture)) {
                    missing.add(label + "/" + architecture);
                }
            }
        }
        if (!missing.isEmpty()) {
            LOG.info("serving a partial set: every label is covered, but these label/architecture models are absent: {}",
                    missing);
        }
        return new Plan(List.copyOf(labels), List.copyOf(architectures), List.copyOf(missing));
    }

    private static String describe(InputEncoder e) {
        return e.inputSize() + "px " + e.preprocessing().configName() + " " + e.resize().configName() + " "
                + e.layout().configName();
    }
}
