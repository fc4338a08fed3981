package io.img2rec.core.console;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The one class that uses {@code me.tongfei.progressbar}; loaded only through {@link ConsoleProgressBar#open}. */
final class TongfeiProgressBar implements ConsoleProgressBar {
    private final ProgressBar bar;

    TongfeiProgressBar(String task, long total, String unit) {
        this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(unit, 1).showSpeed()
                .setUpdateIntervalMillis(500).setMaxRenderedLength(110)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }

    @Override
    public void step(long n) {
        bar.stepBy(n);
    }

    @Override
    public void close() {
        bar.close();
    }
}
