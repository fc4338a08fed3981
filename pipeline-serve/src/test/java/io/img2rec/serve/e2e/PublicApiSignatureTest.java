package io.img2rec.serve.e2e;

import io.img2rec.core.ensemble.EnsembleRule;
import io.img2rec.core.metrics.RocAuc;
import io.img2rec.eval.api.Evaluation;
import io.img2rec.serve.api.Recommender;
import io.img2rec.serve.rules.ImageResult;
import io.img2rec.train.api.Training;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No public type of the public API names an engine class (DL4J, ND4J, JavaCPP/OpenCV, DataVec) in a public
 * signature: the three entry packages ({@code train.api}, {@code eval.api}, {@code serve.api}) and the packages of the
 * typed results they return (metrics, the ensemble rule, image and profile results).
 */
class PublicApiSignatureTest {
    private static final List<String> ENGINE_PACKAGES = List.of("org.deeplearning4j.", "org.nd4j.", "org.bytedeco.",
            "org.datavec.");
    /** One class of each API package, from which the package's classes are listed. */
    private static final List<Class<?>> PACKAGES = List.of(Training.class, Evaluation.class, Recommender.class,
            RocAuc.class, EnsembleRule.class, ImageResult.class);

    @Test
    void noPublicSignatureInTheApiPackagesNamesAnEngineClass() throws Exception {
        Map<String, Integer> counted = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Class<?> anchor : PACKAGES) {
            List<Class<?>> classes = classesOfPackage(anchor);
            counted.put(anchor.getPackageName(), classes.size());
            for (Class<?> type : classes) {
                problems.addAll(engineTypesIn(type));
            }
        }
        assertTrue(counted.values().stream().allMatch(n -> n >= 3), "classes found per package: " + counted);
        assertEquals(List.of(), problems);
    }

    @Test
    void theCheckSeesAnEngineTypeWhereThereIsOne() {
        List<String> found = engineTypesIn(io.img2rec.serve.predict.SharedTrunkModel.class);
        assertTrue(found.stream().anyMatch(p -> p.contains("org.deeplearning4j.nn.graph.ComputationGraph")),
                "SharedTrunkModel.combine takes ComputationGraphs; the check must see them: " + found);
    }

    /** Every public member's types (generic arguments, exceptions and supertypes included). */
    static List<String> engineTypesIn(Class<?> type) {
        List<String> problems = new ArrayList<>();
        if (!Modifier.isPublic(type.getModifiers())) {
            return problems;
        }
        String where = type.getName();
        check(problems, where + " extends", type.getGenericSuperclass());
        for (Type each : type.getGenericInterfaces()) {
            check(problems, where + " implements", each);
        }
        for (Field field : type.getFields()) {
            check(problems, where + "." + field.getName(), field.getGenericType());
        }
        for (Constructor<?> constructor : type.getConstructors()) {
            for (Type each : constructor.getGenericParameterTypes()) {
                check(problems, where + " constructor", each);
            }
            for (Type each : constructor.getGenericExceptionTypes()) {
                check(problems, where + " constructor throws", each);
            }
        }
        for (Method method : type.getMethods()) {
            if (method.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = where + "." + method.getName() + "()";
            check(problems, name, method.getGenericReturnType());
            for (Type each : method.getGenericParameterTypes()) {
                check(problems, name + " parameter", each);
            }
            for (Type each : method.getGenericExceptionTypes()) {
                check(problems, name + " throws", each);
            }
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                check(problems, where + "." + component.getName(), component.getGenericType());
            }
        }
        return problems;
    }

    private static void check(List<String> problems, String where, Type type) {
        if (type == null) {
            return;
        }
        for (String engine : ENGINE_PACKAGES) {
            if (type.getTypeName().contains(engine)) {
                problems.add(where + ": " + type.getTypeName());
            }
        }
    }

    /** The classes (nested ones included) compiled into the package of {@code anchor}, from a folder or a jar. */
    private static List<Class<?>> classesOfPackage(Class<?> anchor)
            throws URISyntaxException, IOException, ClassNotFoundException {
        Path source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        String folder = anchor.getPackageName().replace('.', '/');
        List<Class<?>> classes = new ArrayList<>();
        if (Files.isDirectory(source)) {
            collect(source.resolve(folder), anchor.getPackageName(), classes);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(source)) {
                collect(jar.getPath(folder), anchor.getPackageName(), classes);
            }
        }
        return classes;
    }

    private static void collect(Path folder, String packageName, List<Class<?>> into)
            throws IOException, ClassNotFoundException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.equals("package-info.class")) {
                    into.add(Class.forName(packageName + "." + name.substring(0, name.length() - ".class".length())));
                }
            }
        }
    }
}
