package io.img2rec.core.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.img2rec.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one Jackson binding of the run folder's JSON files ({@code provenance.json}, {@code run-summary.json}) and the
 * checkpoint sidecars: records bound by their component names, pretty-printed with map keys sorted (so a file's bytes
 * depend only on its content), written atomically. Unknown fields are refused, since a file with more than this build
 * knows carries a newer {@code formatVersion} and is refused for that first.
 */
public final class RunJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RunJson() {
    }

    /** {@code value} as JSON text. */
    public static String text(Object value) throws IOException {
        return MAPPER.writeValueAsString(value);
    }

    /** Writes {@code value} to {@code file} atomically (see {@link AtomicFiles}). */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, text(value));
    }

    /** Reads {@code file} as a {@code type}. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        return MAPPER.readValue(file.toFile(), type);
    }

    /** Reads {@code file} as a tree (for files whose version decides how to bind them). */
    static JsonNode tree(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }

    static <T> T bind(JsonNode tree, Class<T> type) throws IOException {
        return MAPPER.treeToValue(tree, type);
    }

    static ObjectNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * Reads a versioned JSON file: checks its {@code formatVersion} (absent = 1) with {@link FormatVersions#check}
     * and binds the rest to {@code type}.
     *
     * @param what how the file is named in messages, e.g. {@code "run summary"}
     * @throws RunFormatException naming the file when it is missing, not JSON, of an unreadable version or not a
     *                            {@code what}
     */
    public static <T> T readVersioned(Path file, Class<T> type, int supported, String what, boolean keepVersion)
            throws RunFormatException {
        JsonNode tree;
        try {
            tree = tree(file);
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new RunFormatException(file + " not found");
        } catch (IOException e) {
            throw new RunFormatException(file + ": not valid JSON (" + e.getMessage() + ")", e);
        }
        if (tree == null || !tree.isObject()) {
            throw new RunFormatException(file + ": not a " + what + " (expected a JSON object)");
        }
        JsonNode version = tree.get("formatVersion");
        if (version != null && !version.isNull() && !version.canConvertToExactIntegral()) {
            throw new RunFormatException(file + ": formatVersion '" + version.asText() + "' is not a whole number");
        }
        int effective = FormatVersions.check(file, version == null || version.isNull() ? null : version.asInt(),
                supported);
        ObjectNode object = (ObjectNode) tree;
        if (keepVersion) {
            object.put("formatVersion", effective);
        } else {
            object.remove("formatVersion");
        }
        try {
            return bind(object, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new RunFormatException(file + ": not a readable " + what + " (" + e.getMessage() + ")", e);
        }
    }
}
