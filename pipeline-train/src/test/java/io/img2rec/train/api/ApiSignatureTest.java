package io.img2rec.train.api;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public API names no engine type: no DL4J, ND4J, JavaCPP/OpenCV or DataVec class in any public signature. */
class ApiSignatureTest {
    private static final List<String> ENGINE_PACKAGES = List.of("org.deeplearning4j.", "org.nd4j.", "org.bytedeco.",
            "org.datavec.");

    @Test
    void noPublicSignatureOfTheApiPackageNamesAnEngineClass() throws Exception {
        List<Class<?>> api = apiClasses();
        assertTrue(api.size() >= 12, "found only " + api);
        List<String> problems = new ArrayList<>();
        for (Class<?> type : api) {
            problems.addAll(engineTypesIn(type));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theCheckFindsEngineTypesWhereThereAreSome() {
        List<String> found = engineTypesIn(io.img2rec.train.TrainingJob.class);
        assertFalse(found.isEmpty(), "TrainingJob.network returns a ComputationGraph; the check must see it");
        assertTrue(found.stream().anyMatch(p -> p.contains("org.deeplearning4j.nn.graph.ComputationGraph")), found.toString());
    }

    /** Every public or protected member's types, including generic arguments, exceptions, supertypes. */
    private static List<String> engineTypesIn(Class<?> type) {
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
        String name = type.getTypeName();
        for (String engine : ENGINE_PACKAGES) {
            if (name.contains(engine)) {
                problems.add(where + ": " + name);
            }
        }
    }

    /** The classes compiled into the api package's folder (nested classes included). */
    private static List<Class<?>> apiClasses() throws URISyntaxException, java.io.IOException, ClassNotFoundException {
        Path folder = Path.of(Training.class.getResource("Training.class").toURI()).getParent();
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.equals("package-info.class")) {
                    classes.add(Class.forName(Training.class.getPackageName() + "."
                            + name.substring(0, name.length() - ".class".length())));
                }
            }
        }
        return classes;
    }
}
