package io.github.dl4jgradmon.bench;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * Hands every callback to a listener and adds up the wall-clock time spent in it, per callback kind: what the listener
 * costs the training thread directly (cache effects on the training itself are not in it; the whole-run ratio has them).
 */
public final class CallbackTimer extends BaseTrainingListener {

    private final TrainingListener inner;
    long forwardNanos;
    long gradientNanos;
    long doneNanos;
    long otherNanos;
    long iterations;

    public CallbackTimer(TrainingListener inner) {
        this.inner = inner;
    }

    public TrainingListener inner() {
        return inner;
    }

    public void reset() {
        forwardNanos = 0;
        gradientNanos = 0;
        doneNanos = 0;
        otherNanos = 0;
        iterations = 0;
    }

    /** Milliseconds per iteration in all callbacks together. */
    public double millisPerIteration() {
        return iterations == 0 ? Double.NaN
                : (forwardNanos + gradientNanos + doneNanos + otherNanos) / 1e6 / iterations;
    }

    /** Milliseconds per iteration in onForwardPass, onGradientCalculation, iterationDone and the rest. */
    public double[] millisPerIterationByCallback() {
        double n = Math.max(1, iterations) * 1e6;
        return new double[] {forwardNanos / n, gradientNanos / n, doneNanos / n, otherNanos / n};
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        long t0 = System.nanoTime();
        inner.onForwardPass(model, activations);
        forwardNanos += System.nanoTime() - t0;
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        long t0 = System.nanoTime();
        inner.onForwardPass(model, activations);
        forwardNanos += System.nanoTime() - t0;
    }

    @Override
    public void onBackwardPass(Model model) {
        long t0 = System.nanoTime();
        inner.onBackwardPass(model);
        otherNanos += System.nanoTime() - t0;
    }

    @Override
    public void onGradientCalculation(Model model) {
        long t0 = System.nanoTime();
        inner.onGradientCalculation(model);
        gradientNanos += System.nanoTime() - t0;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long t0 = System.nanoTime();
        inner.iterationDone(model, iteration, epoch);
        doneNanos += System.nanoTime() - t0;
        iterations++;
    }

    @Override
    public void onEpochStart(Model model) {
        inner.onEpochStart(model);
    }

    @Override
    public void onEpochEnd(Model model) {
        inner.onEpochEnd(model);
    }
}
