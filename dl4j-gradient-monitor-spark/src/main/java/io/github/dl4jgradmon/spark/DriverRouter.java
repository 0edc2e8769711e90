package io.github.dl4jgradmon.spark;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.alert.Faults;
import io.github.dl4jgradmon.ui.GradientAlertRecord;
import io.github.dl4jgradmon.ui.GradientUpdate;
import java.util.Collection;
import java.util.Optional;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;

/**
 * The router dl4j-spark replays the workers' records into, on the driver. It reads the GradientMonitor records of its
 * own session as they pass (alerts into the {@link DriverLedger}: log, history, summary, driver-side handlers;
 * snapshots counted per worker) and forwards every record, of any listener, unchanged to the user's storage when
 * there is one. Without one, records are read and dropped: nothing accumulates.
 *
 * <p>Lives on the driver only: the parameter-averaging master keeps its router there. A failure in reading a record
 * or in a driver-side handler ({@code Error}s included, see {@link Faults}) is logged once, counted, and never fails
 * {@code fit}; a failure of the user's storage propagates as it would without the monitor.
 */
final class DriverRouter implements StatsStorageRouter {

    private final StatsStorageRouter downstream;
    private final String sessionId;
    private final DriverLedger ledger;
    private final Faults faults;

    DriverRouter(StatsStorageRouter downstream, String sessionId, DriverLedger ledger, Faults faults) {
        this.downstream = downstream;
        this.sessionId = sessionId;
        this.ledger = ledger;
        this.faults = faults;
    }

    Optional<StatsStorageRouter> downstream() {
        return Optional.ofNullable(downstream);
    }

    @Override
    public void putStorageMetaData(StorageMetaData metaData) {
        if (downstream != null) {
            downstream.putStorageMetaData(metaData);
        }
    }

    @Override
    public void putStorageMetaData(Collection<? extends StorageMetaData> metaData) {
        if (downstream != null) {
            downstream.putStorageMetaData(metaData);
        }
    }

    @Override
    public void putStaticInfo(Persistable staticInfo) {
        if (downstream != null) {
            downstream.putStaticInfo(staticInfo);
        }
    }

    @Override
    public void putStaticInfo(Collection<? extends Persistable> staticInfo) {
        if (downstream != null) {
            downstream.putStaticInfo(staticInfo);
        }
    }

    @Override
    public void putUpdate(Persistable update) {
        read(update);
        if (downstream != null) {
            downstream.putUpdate(update);
        }
    }

    @Override
    public void putUpdate(Collection<? extends Persistable> updates) {
        for (Persistable p : updates) {
            read(p);
        }
        if (downstream != null) {
            downstream.putUpdate(updates);
        }
    }

    private void read(Persistable p) {
        try {
            if (p == null || !sessionId.equals(p.getSessionID())) {
                return;
            }
            if (p instanceof GradientUpdate) {
                ledger.snapshot(p.getWorkerID());
            } else if (p instanceof GradientAlertRecord r) {
                ledger.alert(alertOf(r));
            }
        } catch (Throwable t) { // NOPMD: a requested stop and the JVM's fatal errors pass in contain()
            faults.contain("reading a worker's record on the driver", t);
        }
    }

    /** The alert as the worker raised it, with the worker's series as its worker id. */
    static GradientAlert alertOf(GradientAlertRecord r) {
        return new GradientAlert(AlertType.valueOf(r.alertType()), Severity.valueOf(r.severity()), r.getWorkerID(),
                r.iteration(), r.layer(), r.param().isEmpty() ? Optional.empty() : Optional.of(r.param()), r.value(),
                r.threshold(), r.message(), r.hint());
    }
}
