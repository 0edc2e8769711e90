package io.github.dl4jgradmon.alert;

import io.github.dl4jgradmon.internal.util.Text;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serial;

/**
 * Logs alerts through SLF4J, one line each, ending with the fix. Rate-limited per (alert type, layer): the first
 * {@code warnLimit} at WARN (INFO-severity alerts at INFO, {@link AlertType#PROTECTION_LAPSED} at ERROR), later ones
 * at DEBUG, and an INFO summary such as
 * {@code "suppressed 100 further VANISHING alerts for layer 'layer0' since iteration 12"} every
 * {@code summaryEvery} suppressed alerts or every {@code summaryIntervalIterations} iterations, whichever comes first.
 * An alert on which training stops is logged with {@link #onStop} instead: at ERROR, never rate-limited.
 * Thread-safe. The library ships no logging binding: the application chooses one.
 *
 * <pre>{@code
 * AlertHandler log = new Slf4jAlertHandler();                       // 3 per (type, layer), then summaries
 * AlertHandler chatty = Slf4jAlertHandler.builder().warnLimit(20).build();
 * }</pre>
 *
 * <p>A deserialized copy keeps its configuration and starts counting afresh.
 */
public final class Slf4jAlertHandler implements AlertHandler {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(Slf4jAlertHandler.class);

    private final int warnLimit;
    private final long summaryEvery;
    private final long summaryIntervalIterations;
    private final transient AlertRateLimiter limiter;

    /** The defaults: 3 alerts per (type, layer) at WARN, then a summary every 100 suppressed or 1,000 iterations. */
    public Slf4jAlertHandler() {
        this(builder());
    }

    private Slf4jAlertHandler(Builder b) {
        this.warnLimit = b.warnLimit;
        this.summaryEvery = b.summaryEvery;
        this.summaryIntervalIterations = b.summaryIntervalIterations;
        this.limiter = new AlertRateLimiter(warnLimit, summaryEvery, summaryIntervalIterations);
    }

    public static Builder builder() {
        return new Builder();
    }

    public int warnLimit() {
        return warnLimit;
    }

    public long summaryEvery() {
        return summaryEvery;
    }

    public long summaryIntervalIterations() {
        return summaryIntervalIterations;
    }

    @Override
    public void onAlert(GradientAlert alert) {
        AlertRateLimiter.Decision d = limiter.offer(alert);
        if (d.loud()) {
            if (alert.type() == AlertType.PROTECTION_LAPSED) {
                log.error(format(alert));
            } else if (alert.severity() == Severity.INFO) {
                if (log.isInfoEnabled()) {
                    log.info(format(alert));
                }
            } else if (log.isWarnEnabled()) {
                log.warn(format(alert));
            }
        } else if (log.isDebugEnabled()) {
            log.debug(format(alert));
        }
        AlertRateLimiter.Summary s = d.summary();
        if (s != null) {
            log.info("suppressed {} further {} alerts for {} since iteration {} (last at iteration {}); "
                            + "enable DEBUG for io.github.dl4jgradmon.alert to see each",
                    s.suppressed(), s.type(), s.layer().equals(GradientAlert.MODEL) ? "the model" : "layer '"
                            + s.layer() + "'", s.sinceIteration(), s.untilIteration());
        }
    }

    /**
     * Logs an alert on which training stops, at ERROR whatever the rate limit: the line that says why training
     * ended must not be the one sent to DEBUG.
     */
    public void onStop(GradientAlert alert) {
        limiter.offer(alert); // counted like the others, never suppressed
        log.error("training stops: {}", format(alert));
    }

    /** The one-line text of an alert, as logged. */
    static String format(GradientAlert a) {
        String message = a.message().endsWith(".") ? a.message() : a.message() + ".";
        return a.severity() + " " + a.type() + " layer=" + a.layerLabel() + " param=" + a.param().orElse("-")
                + " value=" + number(a.value()) + " threshold=" + number(a.threshold()) + " iteration="
                + a.iteration() + " worker=" + a.workerId() + ": " + message + " Fix: " + a.hint();
    }

    /** Three significant digits: enough to read, short enough for one log line. */
    static String number(double v) {
        return Text.significant(v);
    }

    @Serial
    private Object readResolve() {
        return builder().warnLimit(warnLimit).summaryEvery(summaryEvery)
                .summaryIntervalIterations(summaryIntervalIterations).build();
    }

    @Override
    public String toString() {
        return "Slf4jAlertHandler{warnLimit=" + warnLimit + ", summaryEvery=" + summaryEvery
                + ", summaryIntervalIterations=" + summaryIntervalIterations + '}';
    }

    /**
     * Configures a {@link Slf4jAlertHandler}.
     *
     * <pre>{@code
     * AlertHandler h = Slf4jAlertHandler.builder().warnLimit(5).summaryEvery(500).build();
     * }</pre>
     */
    public static final class Builder {
        private int warnLimit = 3;
        private long summaryEvery = 100;
        private long summaryIntervalIterations = 1_000;

        private Builder() {
        }

        /** Alerts per (type, layer) logged at WARN before the rest go to DEBUG. Default 3; 0 logs none at WARN. */
        public Builder warnLimit(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("warnLimit must be >= 0 (got: " + n + ")");
            }
            this.warnLimit = n;
            return this;
        }

        /** Log a summary once this many alerts of one (type, layer) were suppressed. Default 100. */
        public Builder summaryEvery(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("summaryEvery must be >= 1 (got: " + n + ")");
            }
            this.summaryEvery = n;
            return this;
        }

        /** Log a summary when this many iterations passed since the first suppressed alert. Default 1,000. */
        public Builder summaryIntervalIterations(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("summaryIntervalIterations must be >= 1 (got: " + n + ")");
            }
            this.summaryIntervalIterations = n;
            return this;
        }

        public Slf4jAlertHandler build() {
            return new Slf4jAlertHandler(this);
        }
    }
}
