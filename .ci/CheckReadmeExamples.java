import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checks that README.md shows the examples' code verbatim: every {@code ```java} block of README.md must equal
 * (ignoring the common indentation) one region of examples/src/main/java marked
 * <pre>
 *     // README: name
 *     ...
 *     // README: end
 * </pre>
 * and every marked region must appear in README.md. CI compiles and runs the examples, so the README's Java code
 * compiles and runs too. Run from the repository root: {@code java .ci/CheckReadmeExamples.java}.
 */
public final class CheckReadmeExamples {
    private static final String MARK = "// README: ";
    private static final String END = "// README: end";

    private CheckReadmeExamples() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        List<String> blocks = javaBlocks(Files.readAllLines(root.resolve("README.md")));
        Map<String, String> regions = regions(root.resolve("examples/src/main/java"));
        List<String> problems = new ArrayList<>();
        for (String block : blocks) {
            if (!regions.containsValue(block)) {
                problems.add("README.md has a ```java block that no marked region of examples/src/main/java holds"
                        + " verbatim (mark the code with '" + MARK + "<name>' ... '" + END + "'):\n" + block);
            }
        }
        regions.forEach((where, region) -> {
            if (!blocks.contains(region)) {
                problems.add(where + " is marked for the README but README.md has no ```java block equal to it:\n"
                        + region);
            }
        });
        if (regions.isEmpty()) {
            problems.add("no '" + MARK + "<name>' regions found under examples/src/main/java");
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println(p + "\n"));
            System.exit(1);
        }
        System.out.println("README.md Java examples: " + blocks.size() + " block(s), all verbatim in examples/");
    }

    private static List<String> javaBlocks(List<String> lines) {
        List<String> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : lines) {
            if (current == null && line.strip().equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(dedent(current));
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    private static Map<String, String> regions(Path sources) throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                List<String> current = null;
                String name = null;
                for (int i = 0; i < lines.size(); i++) {
                    String stripped = lines.get(i).strip();
                    if (stripped.equals(END) && current != null) {
                        regions.put(file + " region '" + name + "'", dedent(current));
                        current = null;
                    } else if (stripped.startsWith(MARK) && current == null) {
                        name = stripped.substring(MARK.length());
                        current = new ArrayList<>();
                    } else if (current != null) {
                        current.add(lines.get(i));
                    }
                }
                if (current != null) {
                    throw new IllegalStateException(file + ": region '" + name + "' has no '" + END + "'");
                }
            }
        }
        return regions;
    }

    /** The lines without their common leading spaces and without trailing spaces, joined by newlines. */
    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent).stripTrailing()).append('\n');
        }
        return out.toString().strip();
    }
}
