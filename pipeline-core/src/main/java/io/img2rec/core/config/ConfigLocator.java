package io.img2rec.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the project root (the folder holding {@code configs/}) and resolves {@code -Dconfig=vgg16.yaml}:
 * a path that exists is taken as it is; a bare name is looked up in {@code configs/}, with or without {@code .yaml}.
 */
public final class ConfigLocator {
    /** System property the build sets to the checkout's root (see the parent POM). */
    public static final String ROOT_PROPERTY = "img2rec.root";

    private ConfigLocator() {
    }

    /** The project root: {@code -Dimg2rec.root} if set, else the nearest folder above {@code start} with a {@code configs/} folder, else {@code start}. */
    public static Path projectRoot(Path start) {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null && !configured.isBlank() && !configured.contains("${")) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("configs"))) {
                return dir;
            }
        }
        return start.toAbsolutePath().normalize();
    }

    public static Path resolve(String nameOrPath, Path projectRoot) throws ConfigException {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new ConfigException("-Dconfig", List.of("no config given: pass -Dconfig=vgg16.yaml (a name in "
                    + projectRoot.resolve("configs") + ") or a path to a YAML file; available: " + available(projectRoot)));
        }
        Path given = Path.of(nameOrPath);
        List<Path> candidates = Stream.of(given, projectRoot.resolve(given), projectRoot.resolve("configs").resolve(given),
                projectRoot.resolve("configs").resolve(nameOrPath + ".yaml")).toList();
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new ConfigException(nameOrPath, List.of("no such config file; looked in " + candidates.stream().distinct()
                .map(Path::toString).toList() + "; available in configs/: " + available(projectRoot)));
    }

    private static List<String> available(Path projectRoot) {
        try (Stream<Path> files = Files.list(projectRoot.resolve("configs"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        } catch (Exception e) {
            return List.of();
        }
    }
}
