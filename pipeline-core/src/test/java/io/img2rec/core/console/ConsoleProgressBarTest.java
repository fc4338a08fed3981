package io.img2rec.core.console;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleProgressBarTest {

    @Test
    void opensABarWhenTheLibraryIsPresent() {
        Optional<ConsoleProgressBar> bar = ConsoleProgressBar.open("Testing", 3, " items");
        assertTrue(bar.isPresent());
        bar.get().step(3);
        bar.get().close();
    }

    @Test
    void withoutTheProgressBarLibraryNoBarAndNoError() throws Exception {
        // Only pipeline-core's classes and slf4j-api, as in an application that imports img2rec.
        URL core = ConsoleProgressBar.class.getProtectionDomain().getCodeSource().getLocation();
        URL slf4j = LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader app = new URLClassLoader(new URL[] {core, slf4j}, ClassLoader.getPlatformClassLoader())) {
            Class<?> type = Class.forName(ConsoleProgressBar.class.getName(), true, app);
            Method open = type.getMethod("open", String.class, long.class, String.class);
            assertEquals(Optional.empty(), open.invoke(null, "Testing", 3L, " items"));
        }
    }
}
