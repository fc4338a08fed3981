package io.img2rec.core.nativeio;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.LoggerFactory;

/**
 * Child JVM for {@link NativeSetupTest}: {@code first} calls {@link NativeSetup#configure()} three times before
 * anything else; {@code late} loads ND4J first, then calls it three times. Prints {@code warnings=<n>}, the
 * warnings' text and the two properties.
 */
public final class NativeSetupChild {
    private NativeSetupChild() {
    }

    public static void main(String[] args) {
        Logger logger = (Logger) LoggerFactory.getLogger(NativeSetup.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        boolean late = args[0].equals("late");
        if (late) {
            System.out.println("sum=" + Nd4j.create(new float[] {1, 2, 3}).sumNumber().doubleValue());
        }
        System.out.println("loadedBefore=" + !NativeSetup.loadedNd4jLibrary().isEmpty());
        for (int i = 0; i < 3; i++) {
            NativeSetup.configure();
        }
        long warnings = appender.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
        System.out.println("warnings=" + warnings);
        appender.list.forEach(e -> System.out.println("warning: " + e.getFormattedMessage()));
        System.out.println("helpers.disable=" + System.getProperty(OneDnnStatus.HELPERS_DISABLE_PROPERTY));
        System.out.println("extension=" + System.getProperty(OneDnnStatus.PLATFORM_EXTENSION_PROPERTY));
        System.out.println("configured=" + NativeSetup.configured());
    }
}
