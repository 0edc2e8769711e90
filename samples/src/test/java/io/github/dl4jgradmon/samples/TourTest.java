package io.github.dl4jgradmon.samples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The end of the tour: a person at a terminal keeps the UI until Enter; CI and pipes exit by themselves. */
class TourTest {

    /** A terminal whose answers and calls are recorded. */
    private static final class FakeTerminal implements Tour.Terminal {
        final boolean interactive;
        final List<String> events;

        FakeTerminal(boolean interactive, List<String> events) {
            this.interactive = interactive;
            this.events = events;
        }

        @Override
        public boolean interactive() {
            return interactive;
        }

        @Override
        public void awaitEnter() {
            events.add("enter");
        }
    }

    private final ByteArrayOutputStream text = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);

    @Test
    void fromATerminalTheUiStaysUpUntilEnterAndSaysSo() throws IOException, InterruptedException {
        List<String> events = new ArrayList<>();

        Tour.Ending ending = Tour.finish(out, new FakeTerminal(true, events), false, "http://localhost:9000/gradmon",
                () -> events.add("stop"));

        assertThat(ending).isEqualTo(Tour.Ending.STOPPED_ON_ENTER);
        assertThat(events).containsExactly("enter", "stop");
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("The UI stays up at http://localhost:9000/gradmon").contains("press Enter (or Ctrl+C)");
    }

    @Test
    void withoutATerminalTheTourStopsTheUiAtOnce() throws IOException, InterruptedException {
        List<String> events = new ArrayList<>();

        Tour.Ending ending = Tour.finish(out, new FakeTerminal(false, events), false, "http://localhost:9000/gradmon",
                () -> events.add("stop"));

        assertThat(ending).isEqualTo(Tour.Ending.STOPPED_AT_ONCE);
        assertThat(events).containsExactly("stop");
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("Not run from a terminal")
                .doesNotContain("press Enter");
    }

    @Test
    void testsRunWithoutATerminal() {
        // the decision the tour makes in CI and under surefire, where stdin is not a terminal
        assertThat(Tour.Terminal.system().interactive()).isEqualTo(System.console() != null);
    }
}
