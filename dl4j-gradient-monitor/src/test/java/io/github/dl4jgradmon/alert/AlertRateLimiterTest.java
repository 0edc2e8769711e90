package io.github.dl4jgradmon.alert;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.github.dl4jgradmon.alert.Alerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

class AlertRateLimiterTest {

    @Test
    void firstThreePerTypeAndLayerAreLoudThenQuiet() {
        AlertRateLimiter limiter = new AlertRateLimiter(3, 100, 1_000);
        List<Boolean> loud = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            loud.add(limiter.offer(alert(AlertType.VANISHING, Severity.WARNING, "layer0", i)).loud());
        }
        assertThat(loud).containsExactly(true, true, true, false, false);
    }

    @Test
    void countsEachTypeAndLayerSeparately() {
        AlertRateLimiter limiter = new AlertRateLimiter(1, 100, 1_000);
        assertThat(limiter.offer(alert(AlertType.VANISHING, Severity.WARNING, "layer0", 0)).loud()).isTrue();
        assertThat(limiter.offer(alert(AlertType.VANISHING, Severity.WARNING, "layer1", 0)).loud()).isTrue();
        assertThat(limiter.offer(alert(AlertType.DEAD_UNITS, Severity.WARNING, "layer0", 0)).loud()).isTrue();
        assertThat(limiter.offer(alert(AlertType.VANISHING, Severity.WARNING, "layer0", 1)).loud()).isFalse();
    }

    @Test
    void summarizesAfterSummaryEverySuppressedAlerts() {
        AlertRateLimiter limiter = new AlertRateLimiter(3, 100, 1_000_000);
        List<AlertRateLimiter.Summary> summaries = new ArrayList<>();
        for (int i = 0; i < 3 + 250; i++) {
            AlertRateLimiter.Decision d = limiter.offer(alert(AlertType.VANISHING, Severity.WARNING, "layer0", i));
            if (d.summary() != null) {
                summaries.add(d.summary());
            }
        }
        assertThat(summaries).containsExactly(
                new AlertRateLimiter.Summary(AlertType.VANISHING, "layer0", 100, 3, 102),
                new AlertRateLimiter.Summary(AlertType.VANISHING, "layer0", 100, 103, 202));
    }

    @Test
    void summarizesWhenTheIntervalHasPassedEvenWithFewSuppressed() {
        AlertRateLimiter limiter = new AlertRateLimiter(1, 100, 1_000);
        limiter.offer(alert(AlertType.EXPLODING, Severity.WARNING, "out", 0));
        assertThat(limiter.offer(alert(AlertType.EXPLODING, Severity.WARNING, "out", 10)).summary()).isNull();
        assertThat(limiter.offer(alert(AlertType.EXPLODING, Severity.WARNING, "out", 1_009)).summary()).isNull();
        assertThat(limiter.offer(alert(AlertType.EXPLODING, Severity.WARNING, "out", 1_010)).summary())
                .isEqualTo(new AlertRateLimiter.Summary(AlertType.EXPLODING, "out", 3, 10, 1_010));
    }

    @Test
    void concurrentWorkersShareTheLimitExactly() throws Exception {
        AlertRateLimiter limiter = new AlertRateLimiter(3, 100, Long.MAX_VALUE);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<long[]>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> {
                    long loud = 0;
                    long summarized = 0;
                    for (int i = 0; i < 1_000; i++) {
                        AlertRateLimiter.Decision d = limiter.offer(alert(AlertType.NON_FINITE, Severity.CRITICAL,
                                "layer0", i));
                        loud += d.loud() ? 1 : 0;
                        summarized += d.summary() == null ? 0 : d.summary().suppressed();
                    }
                    return new long[] {loud, summarized};
                });
            }
            long loud = 0;
            long summarized = 0;
            for (Future<long[]> f : pool.invokeAll(tasks)) {
                loud += f.get()[0];
                summarized += f.get()[1];
            }
            assertThat(loud).isEqualTo(3);
            // 3,997 suppressed: 39 full summaries of 100, 97 still pending
            assertThat(summarized).isEqualTo(3_900);
        } finally {
            pool.shutdownNow();
        }
    }
}
