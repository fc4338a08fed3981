package io.img2rec.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.img2rec.core.io.Sha256;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a {@link PipelineConfig} back as YAML that {@link ConfigLoader} reads to an equal config, and hashes it. */
public final class ConfigWriter {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    private ConfigWriter() {
    }

    public static String toYaml(PipelineConfig c) {
        try {
            return YAML.writeValueAsString(toTree(c));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 of the canonical YAML: equal configs have equal hashes. */
    public static String hash(PipelineConfig c) {
        return Sha256.of(toYaml(c));
    }

    static Map<String, Object> toTree(PipelineConfig c) {
        var root = new LinkedHashMap<String, Object>();
        root.put("name", c.name());
        root.put("seed", c.seed());
        root.put("labels", c.labels());
        root.put("runs_dir", c.runsDir().toString());

        var data = new LinkedHashMap<String, Object>();
        data.put("root", c.data().root().toString());
        data.put("background_folders", c.data().backgroundFolders());
        data.put("split", Map.of("train", c.data().split().train(), "validation", c.data().split().validation(),
                "test", c.data().split().test()));
        data.put("max_pixels", c.data().maxPixels());
        data.put("min_side", c.data().minSide());
        data.put("threads", c.data().threads());
        root.put("data", data);

        var m = c.model();
        var model = new LinkedHashMap<String, Object>();
        model.put("architecture", m.architecture().configName());
        model.put("input_size", m.inputSize());
        model.put("preprocessing", m.preprocessing().configName());
        model.put("resize", m.resize().configName());
        model.put("data_format", m.dataFormat().configName());
        model.put("heads", m.heads().configName());
        var top = new LinkedHashMap<String, Object>();
        top.put("pooling", m.top().pooling().configName());
        top.put("dense_units", m.top().denseUnits());
        top.put("dropout", m.top().dropout());
        model.put("top", top);
        model.put("weights", m.weights());
        model.put("weights_fallback", m.weightsFallback().configName());
        model.put("unfrozen_layers", m.unfrozenLayers());
        root.put("model", model);

        var t = c.train();
        var train = new LinkedHashMap<String, Object>();
        train.put("batch_size", t.batchSize());
        train.put("class_weights", t.classWeights().configName());
        train.put("checkpoint_metric", t.checkpointMetric().configName());
        train.put("early_stopping_patience", t.earlyStoppingPatience());
        train.put("checkpoint_interval_seconds", t.checkpointIntervalSeconds());
        train.put("top", phase(t.top()));
        train.put("fine_tune", phase(t.fineTune()));
        root.put("train", train);

        var a = c.augment();
        var augment = new LinkedHashMap<String, Object>();
        augment.put("enabled", a.enabled());
        augment.put("copies", a.copies());
        augment.put("zoom", List.of(a.zoomMin(), a.zoomMax()));
        augment.put("shear", a.shearDegrees());
        augment.put("brightness", List.of(a.brightnessMin(), a.brightnessMax()));
        augment.put("rotation", a.rotationDegrees());
        augment.put("width_shift", a.widthShift());
        augment.put("height_shift", a.heightShift());
        augment.put("horizontal_flip", a.horizontalFlip());
        root.put("augment", augment);

        root.put("cache", Map.of("ram_budget_mb", c.cache().ramBudgetMb()));
        return root;
    }

    private static Map<String, Object> phase(PhaseConfig p) {
        var phase = new LinkedHashMap<String, Object>();
        phase.put("epochs", p.epochs());
        phase.put("optimizer", p.optimizer().kind().configName());
        phase.put("learning_rate", p.optimizer().learningRate());
        phase.put("momentum", p.optimizer().momentum());
        return phase;
    }
}
