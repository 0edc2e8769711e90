package io.github.dl4jgradmon.cli;

import picocli.AutoComplete;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes picocli's bash (and zsh) completion script for {@code gradmon} to {@code args[0]}; the build runs it so the
 * distribution ships the script as {@code completion/gradmon_completion}.
 */
public final class CompletionScript {

    private CompletionScript() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CompletionScript OUTPUT_FILE (got: " + args.length
                    + " arguments)");
        }
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        String script = AutoComplete.bash("gradmon", Gradmon.commandLine(sink, sink));
        Path out = Path.of(args[0]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, script, StandardCharsets.UTF_8);
    }
}
