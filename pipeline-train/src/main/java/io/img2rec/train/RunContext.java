package io.img2rec.train;

import io.img2rec.core.config.PipelineConfig;
import io.img2rec.core.provenance.RunProvenance;
import io.img2rec.train.run.EpochLog;
import io.img2rec.core.run.RunLayout;

/** What every part of one training run shares: its config, folder, provenance, epoch log and hooks. */
record RunContext(PipelineConfig config, RunLayout run, RunProvenance provenance, EpochLog epochLog,
                  TrainingHooks hooks) {
}
