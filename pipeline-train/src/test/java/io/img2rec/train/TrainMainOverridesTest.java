package io.img2rec.train;

import io.img2rec.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main job refuses a misspelt override before it trains anything (issue 14 §5). */
class TrainMainOverridesTest {
    @Test
    void misspeltOverrideStopsTheMainJobNamingTheKeyMeantAndTheCommandLine() {
        Properties props = new Properties();
        props.putAll(System.getProperties());
        props.setProperty("config", "vgg16.yaml");
        props.setProperty("dta.root", "/photos");
        props.setProperty("train.epoch", "1");
        var e = assertThrows(ConfigException.class, () -> TrainMain.run(props));
        assertTrue(e.getMessage().startsWith("command line: 2 problems:"), e.getMessage());
        assertTrue(e.getMessage().contains("dta.root (-Ddta.root=/photos) is not a known key (did you mean data.root?)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("train.epoch (-Dtrain.epoch=1) is not a known key (did you mean "
                + "train.epochs?); known keys in train: batch_size, class_weights, checkpoint_metric, "
                + "early_stopping_patience, checkpoint_interval_seconds, epochs, top, fine_tune"), e.getMessage());
        assertTrue(!e.getMessage().contains("vgg16.yaml"), e.getMessage());
    }
}
