package io.img2rec.core.model.bench;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs {@link ForwardSpeedProbe} under surefire's JVM settings: {@code mvn -Pslow test -Dtest=ForwardSpeedProbeRun}. */
@Tag("slow")
class ForwardSpeedProbeRun {

    @Test
    void measureForwardThroughput() {
        ForwardSpeedProbe.main(new String[] {System.getProperty("probe.rounds", "3")});
    }
}
