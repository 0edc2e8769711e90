package io.github.dl4jgradmon.internal.alert;

import io.github.dl4jgradmon.alert.AlertHandler;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.GradientAlertException;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Hands each alert to the record (the monitor's alert history), the rate-limited log and every handler, in that
 * order, each one isolated: a handler that fails is contained (logged, counted) and the next one still runs. A
 * requested stop ({@link GradientAlertException}) is held until every handler has had the alert, then thrown; the
 * JVM's fatal errors pass at once (see {@link Faults#mustPass}). Thread-safe if the handlers and the record are.
 *
 * <p>The alert that explains why training stops always reaches the log at ERROR, whatever the rate limit: the
 * monitor's own stops go through {@link #deliverStop}, and an alert on which a handler requested a stop is logged
 * again at ERROR, as the reason training stops.
 *
 * <p>Internal: public only for the monitor.
 */
public final class AlertDelivery {

    private final Consumer<GradientAlert> record;
    private final AlertHandler log;
    private final AlertHandler stopLog;
    private final List<AlertHandler> handlers;
    private final Faults faults;

    /**
     * @param record   keeps the alert (never fails in practice; isolated all the same)
     * @param log      the log handler, or null when alerts are not logged
     * @param stopLog  logs an alert on which training stops, at ERROR and never rate-limited; null for none
     * @param handlers the user's handlers, in order
     * @param faults   where contained failures are counted
     */
    public AlertDelivery(Consumer<GradientAlert> record, AlertHandler log, AlertHandler stopLog,
                         List<AlertHandler> handlers, Faults faults) {
        this.record = Objects.requireNonNull(record, "record");
        this.log = log;
        this.stopLog = stopLog;
        this.handlers = List.copyOf(handlers);
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    /** Delivers one alert; throws the first stop a handler requested, after all handlers ran. */
    public void deliver(GradientAlert alert) {
        GradientAlertException stop = offer("the alert history", record::accept, alert, null);
        if (log != null) {
            stop = offer("the alert log", log, alert, stop);
        }
        for (AlertHandler handler : handlers) {
            stop = offer("alert handler " + handler.getClass().getName(), handler, alert, stop);
        }
        if (stop != null) {
            if (stopLog != null) {
                offer("the alert log", stopLog, stop.alert(), null);
            }
            throw stop;
        }
    }

    /**
     * Delivers the alert on which the monitor itself stops training (a budget spent): to the record, to the log at
     * ERROR whatever the rate limit, and to every handler; then throws a {@link GradientAlertException} for it. A
     * stop a handler requests on it as well is absorbed: this one follows.
     */
    public void deliverStop(GradientAlert alert) {
        offer("the alert history", record::accept, alert, null);
        if (stopLog != null) {
            offer("the alert log", stopLog, alert, null);
        }
        for (AlertHandler handler : handlers) {
            offer("alert handler " + handler.getClass().getName(), handler, alert, null);
        }
        throw new GradientAlertException(alert);
    }

    /** Delivers alerts in order; a stop requested for one is thrown after all of them were delivered. */
    public void deliverAll(List<GradientAlert> alerts) {
        GradientAlertException stop = null;
        for (GradientAlert alert : alerts) {
            try {
                deliver(alert);
            } catch (GradientAlertException e) {
                stop = stop == null ? e : stop;
            }
        }
        if (stop != null) {
            throw stop;
        }
    }

    private GradientAlertException offer(String name, AlertHandler handler, GradientAlert alert,
                                         GradientAlertException stop) {
        try {
            handler.onAlert(alert);
        } catch (GradientAlertException e) {
            return stop == null ? e : stop;
        } catch (Throwable t) { // NOPMD: isolation is the point; fatal errors pass in contain()
            faults.contain(name, t);
        }
        return stop;
    }
}
