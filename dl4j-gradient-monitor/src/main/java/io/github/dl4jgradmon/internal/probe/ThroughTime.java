package io.github.dl4jgradmon.internal.probe;

import io.github.dl4jgradmon.alert.AlertType;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.alert.Severity;
import io.github.dl4jgradmon.internal.alert.Faults;
import io.github.dl4jgradmon.internal.util.Text;
import io.github.dl4jgradmon.model.LayerSlot;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * VANISHING through time: a recurrent network whose loss goes nowhere ({@code STALLED}) while the gradient of its loss
 * does not reach the first steps of its input sequences. One per worker; called on its training thread. Internal.
 *
 * <p>Only when a STALLED alert is raised on a MultiLayerNetwork with a recurrent layer does it run {@link TimeProbe}
 * (at most once per {@value #PROBE_EVERY} iterations, the verdict kept in between): a model that is not recurrent, or
 * that learns, never pays for it. When the first tenth of the steps gets less than {@value #MAX_RATIO} of the input
 * gradient the last tenth gets, the STALLED alert is replaced by a VANISHING WARNING on the recurrent layer, with the
 * numbers and a hint about sequence length, truncated BPTT, bidirectional layers, attention and gating. A failing probe
 * is contained (logged once by {@link Faults}) and turns the probe off for this worker; the STALLED alert stands.
 */
public final class ThroughTime {

    /**
     * The first steps' input gradient over the last steps' at or above which the gradient is taken to reach the
     * start of the sequence. See docs/alerts.md for the measurements behind it.
     */
    public static final double MAX_RATIO = 1e-3;
    /** Iterations between two probes of one worker; the verdict stands in between. */
    public static final int PROBE_EVERY = 100;
    /** How long the training thread waits for a probe before it gives up on probing this worker. */
    static final long TIMEOUT_MILLIS = 60_000;

    private final int probeEvery;
    private long probedAt = Long.MIN_VALUE;
    private int probes;
    private TimeProfile verdict;
    private int verdictLayer = -1;
    private boolean off;

    /** Probes at most once per {@value #PROBE_EVERY} iterations. */
    public ThroughTime() {
        this(PROBE_EVERY);
    }

    ThroughTime(int probeEvery) {
        this.probeEvery = probeEvery;
    }

    /** Probes run so far (started, whatever their outcome). */
    int probes() {
        return probes;
    }

    /**
     * {@code raised} with its STALLED alerts replaced by a VANISHING through-time alert when the probe finds the
     * gradient does not reach the first steps; {@code raised} itself otherwise.
     *
     * @param net    the network, or null when the model is not a MultiLayerNetwork
     * @param layers the model's layers (for the recurrent layer's name and type)
     */
    public List<GradientAlert> explain(List<GradientAlert> raised, MultiLayerNetwork net, List<LayerSlot> layers,
                                       long iteration, Faults faults) {
        if (off || net == null || raised.isEmpty()) {
            return raised;
        }
        int stalled = -1;
        for (int i = 0; i < raised.size(); i++) {
            if (raised.get(i).type() == AlertType.STALLED) {
                stalled = i;
                break;
            }
        }
        if (stalled < 0) {
            return raised;
        }
        if (probedAt == Long.MIN_VALUE || iteration - probedAt >= probeEvery || iteration < probedAt) {
            probedAt = iteration;
            probes++;
            verdict = null;
            try {
                Optional<TimeProbe.Request> request = TimeProbe.prepare(net);
                if (request.isEmpty()) {
                    return raised;
                }
                Optional<double[]> norms = TimeProbe.runAside(request.get(), TIMEOUT_MILLIS);
                if (norms.isPresent()) {
                    verdict = TimeProfile.of(norms.get());
                    verdictLayer = request.get().layer();
                }
            } catch (Throwable t) {
                if (t instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                off = true;
                faults.contain("the through-time gradient probe (now off for this model)", t);
                return raised;
            }
        }
        if (verdict == null || !vanishes(verdict)) {
            return raised;
        }
        List<GradientAlert> out = new ArrayList<>(raised);
        out.set(stalled, alert(raised.get(stalled), verdict, slot(layers, verdictLayer)));
        return out;
    }

    /** True when the first steps get less than {@link #MAX_RATIO} of the last steps' input gradient. */
    static boolean vanishes(TimeProfile p) {
        return p.late() > 0 && p.early() < MAX_RATIO * p.late();
    }

    private static LayerSlot slot(List<LayerSlot> layers, int index) {
        for (LayerSlot l : layers) {
            if (l.index() == index) {
                return l;
            }
        }
        return null;
    }

    static GradientAlert alert(GradientAlert stalled, TimeProfile p, LayerSlot layer) {
        String name = layer == null ? GradientAlert.MODEL : layer.name();
        String where = layer == null ? "the recurrent layer" : "layer '" + layer.name() + "' (" + layer.type() + ")";
        String message = "the gradient vanishes through time in " + where + ": over sequences of " + p.steps()
                + " steps, the gradient of the loss with respect to the first " + p.edge() + " steps' inputs is "
                + Text.num(p.ratio()) + " of that of the last " + p.edge() + " (" + Text.num(p.early()) + " vs "
                + Text.num(p.late()) + ", below " + Text.num(MAX_RATIO) + "); it falls below "
                + Text.num(100 * TimeProfile.REACH_FRACTION) + "% of the last steps' within " + p.reach()
                + " steps of the output. Meanwhile " + lowerFirst(stalled.message())
                + ": what lies more than about " + p.reach() + " steps before the output cannot be learned";
        return new GradientAlert(AlertType.VANISHING, Severity.WARNING, stalled.workerId(), stalled.iteration(), name,
                Optional.empty(), p.ratio(), MAX_RATIO, message, hint(p));
    }

    static String hint(TimeProfile p) {
        return "bring the signal within about " + p.reach() + " steps of the output: shorter sequences (split them, "
                + "or train with .backpropType(BackpropType.TruncatedBPTT).tBPTTLength(" + Math.max(1, p.reach())
                + "), which bounds the path the gradient travels but cannot learn anything further back than its "
                + "length), put the informative steps last (reverse the sequences) or read the sequence both ways "
                + "(new Bidirectional(new LSTM.Builder()...build())), give the output every step "
                + "(GlobalPoolingLayer over time, or SelfAttentionLayer / LearnedSelfAttentionLayer) instead of only "
                + "the last (LastTimeStep), and prefer gated units (LSTM over SimpleRnn, a forget-gate bias of 1 or "
                + "more: .forgetGateBiasInit(1.0)) so the cell state carries the gradient further";
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
