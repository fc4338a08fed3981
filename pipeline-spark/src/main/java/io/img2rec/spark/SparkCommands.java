package io.img2rec.spark;

import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/** How this module's {@code spark-submit} entries run their picocli command: UTF-8 output, one error line, exit 1. */
final class SparkCommands {
    private SparkCommands() {
    }

    /**
     * Runs {@code command} on {@code args}; a failure prints {@code "<name>: <message>"} to {@code err}, with the stack
     * trace unless {@code expected} says the failure is one the message explains (bad input, not a bug).
     *
     * @return the exit code
     */
    static int execute(Object command, String name, String[] args, PrintStream out, PrintStream err,
                       Predicate<Exception> expected) {
        return new CommandLine(command).setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    err.println(name + ": " + e.getMessage());
                    if (!expected.test(e)) {
                        e.printStackTrace(err);
                    }
                    return 1;
                })
                .execute(args);
    }
}
