package io.github.dl4jgradmon;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What the test logging binding (slf4j-simple, INFO and above, to {@code System.err}) writes during one test, passed
 * on to the real stream afterwards. {@code @RegisterExtension final CapturedStderr log = new CapturedStderr();}
 */
final class CapturedStderr implements BeforeEachCallback, AfterEachCallback {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream original;

    @Override
    public void beforeEach(ExtensionContext context) {
        err.reset();
        original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setErr(original);
        original.print(err.toString(StandardCharsets.UTF_8));
    }

    /** The lines written so far that contain every one of {@code parts}. */
    List<String> lines(String... parts) {
        return err.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> Arrays.stream(parts).allMatch(l::contains)).toList();
    }
}
