package io.github.dl4jgradmon.ui;

import io.github.dl4jgradmon.alert.GradientAlert;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectStreamField;
import java.io.Serial;
import java.util.Objects;

/**
 * One {@link GradientAlert} as stored in a DL4J {@code StatsStorage}, next to the {@link GradientUpdate}s of the
 * same worker (same type ID; the class tells them apart). Type and severity are kept as their names, so a reader
 * that does not know a newer alert type still shows it.
 *
 * <pre>{@code
 * for (Persistable p : storage.getAllUpdatesAfter(session, GradientMonitorRecord.TYPE_ID, "0", 0)) {
 *     if (p instanceof GradientAlertRecord a) {
 *         System.out.println(a.alertType() + " at " + a.iteration() + ": " + a.message() + " Fix: " + a.hint());
 *     }
 * }
 * }</pre>
 */
public final class GradientAlertRecord extends GradientMonitorRecord {

    @Serial
    private static final long serialVersionUID = 2L;
    /** Serialized as the checked frame by {@link GradientMonitorRecord}, never field by field. */
    @Serial
    private static final ObjectStreamField[] serialPersistentFields = {};

    private String alertType = "";
    private String severity = "";
    private String layer = "";
    private String param = "";
    private long iteration;
    private double value = Double.NaN;
    private double threshold = Double.NaN;
    private String message = "";
    private String hint = "";

    /** For DL4J, which instantiates records by class name and then calls {@code decode}. */
    public GradientAlertRecord() {
    }

    /** The record of {@code alert}, stamped {@code timestamp} (which the sink keeps strictly increasing). */
    public GradientAlertRecord(String sessionId, GradientAlert alert, long timestamp) {
        super(sessionId, alert.workerId(), timestamp);
        Objects.requireNonNull(alert, "alert");
        this.alertType = alert.type().name();
        this.severity = alert.severity().name();
        this.layer = alert.layer();
        this.param = alert.param().orElse("");
        this.iteration = alert.iteration();
        this.value = alert.value();
        this.threshold = alert.threshold();
        this.message = StoredText.fit(alert.message());
        this.hint = StoredText.fit(alert.hint());
    }

    /** The {@code AlertType} name, e.g. {@code VANISHING}. */
    public String alertType() {
        return alertType;
    }

    /** The {@code Severity} name, e.g. {@code WARNING}. */
    public String severity() {
        return severity;
    }

    /** The layer name; empty for a model-wide alert. */
    public String layer() {
        return layer;
    }

    /** The parameter key ({@code W}, {@code b}, ...); empty when the alert is not about one parameter array. */
    public String param() {
        return param;
    }

    public long iteration() {
        return iteration;
    }

    public double value() {
        return value;
    }

    public double threshold() {
        return threshold;
    }

    public String message() {
        return message;
    }

    public String hint() {
        return hint;
    }

    @Override
    byte kind() {
        return RecordCodec.ALERT;
    }

    @Override
    void writeBody(DataOutputStream out) throws IOException {
        out.writeUTF(alertType);
        out.writeUTF(severity);
        writeText(out, layer);
        writeText(out, param);
        out.writeLong(iteration);
        out.writeDouble(value);
        out.writeDouble(threshold);
        writeText(out, message);
        writeText(out, hint);
    }

    @Override
    void readBody(RecordCodec.In in) throws IOException {
        String t = in.string();
        String s = in.string();
        String l = in.string();
        String p = in.string();
        long it = in.nonNegativeLong("iteration");
        double v = in.data.readDouble();
        double th = in.data.readDouble();
        String m = in.string();
        String h = in.string();
        this.alertType = t;
        this.severity = s;
        this.layer = l;
        this.param = p;
        this.iteration = it;
        this.value = v;
        this.threshold = th;
        this.message = m;
        this.hint = h;
    }

    @Override
    public String toString() {
        return "GradientAlertRecord{" + alertType + ' ' + severity + " worker=" + getWorkerID() + " iteration="
                + iteration + " layer=" + layer + '}';
    }
}
