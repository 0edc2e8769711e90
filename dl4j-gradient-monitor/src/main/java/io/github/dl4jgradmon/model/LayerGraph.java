package io.github.dl4jgradmon.model;

import io.github.dl4jgradmon.stats.GradientSnapshot;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the layers that have trainable parameters connect, reduced to what the detectors and AGC need: which layers are
 * fed by the network's inputs, which feed its outputs, and which layers lie downstream of which. Indices are positions
 * in {@link ModelLayout#layers()} (and so in {@code GradientSnapshot.layers()}). Parameter-free vertices and layers
 * (merge, subsampling, activation, a {@code LossLayer}) and frozen layers are looked through: a layer is
 * <em>input-side</em> when a path from a network input reaches it through such vertices only, and
 * <em>output-side</em> when it reaches a network output that way (an {@code OutputLayer} is output-side itself; the
 * dense layer before a {@code LossLayer} is too). A MultiLayerNetwork is a chain: its first such layer is the only
 * input-side one, its last the only output-side one.
 *
 * <pre>{@code
 * LayerGraph g = layout.graph();
 * for (int k = 0; k < g.inputSideCount(); k++) {
 *     int first = g.inputSide(k);        // compare with the output-side layers it reaches:
 *     boolean feeds = g.reaches(first, g.outputSide(0));
 * }
 * }</pre>
 *
 * <p>Immutable, computed once per model; every query is a lookup (no allocation), so detectors may use it on every
 * snapshot.
 */
public final class LayerGraph implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int size;
    private final int[] inputSide;
    private final int[] outputSide;
    private final boolean[] isInput;
    private final boolean[] isOutput;
    private final int[][] successors;
    private final BitSet[] downstream;

    private LayerGraph(int size, boolean[] isInput, boolean[] isOutput, int[][] successors) {
        this.size = size;
        this.isInput = isInput.clone();
        this.isOutput = isOutput.clone();
        this.successors = new int[size][];
        for (int i = 0; i < size; i++) {
            this.successors[i] = successors[i].clone();
            for (int s : successors[i]) {
                if (s < 0 || s >= size || s == i) {
                    throw new IllegalArgumentException("successor " + s + " of layer " + i + " is not another of the "
                            + size + " layers");
                }
            }
        }
        this.inputSide = indices(this.isInput);
        this.outputSide = indices(this.isOutput);
        this.downstream = new BitSet[size];
        for (int i = size - 1; i >= 0; i--) {
            downstream[i] = closure(i);
        }
    }

    private static final ConcurrentHashMap<Integer, LayerGraph> CHAINS =
            new ConcurrentHashMap<>();

    /** A chain of {@code n} layers: layer 0 fed by the input, layer n-1 feeding the output. Shared instances. */
    public static LayerGraph chain(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0 (got: " + n + ")");
        }
        return n <= 4096 ? CHAINS.computeIfAbsent(n, LayerGraph::newChain) : newChain(n);
    }

    private static LayerGraph newChain(int n) {
        boolean[] in = new boolean[n];
        boolean[] out = new boolean[n];
        int[][] next = new int[n][];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? new int[] {i + 1} : new int[0];
        }
        if (n > 0) {
            in[0] = true;
            out[n - 1] = true;
        }
        return new LayerGraph(n, in, out, next);
    }

    /**
     * The graph of the layers {@code kept} (one entry per layer of this graph), numbered in order: input-side and
     * output-side as in this graph (a kept layer downstream of a dropped first layer is not input-side), and a kept
     * layer feeds the kept layers it reaches through dropped ones. What a layer filter leaves the detectors.
     */
    public LayerGraph restrictedTo(boolean[] kept) {
        if (kept.length != size()) {
            throw new IllegalArgumentException("kept must have one entry per layer (" + size() + ", got: "
                    + kept.length + ")");
        }
        int[] position = new int[kept.length];
        int n = 0;
        for (int l = 0; l < kept.length; l++) {
            position[l] = kept[l] ? n++ : -1;
        }
        boolean[] in = new boolean[n];
        boolean[] out = new boolean[n];
        int[][] next = new int[n][];
        for (int l = 0; l < kept.length; l++) {
            if (!kept[l]) {
                continue;
            }
            int w = position[l];
            in[w] = isInputSide(l);
            out[w] = isOutputSide(l);
            BitSet found = new BitSet(n);
            BitSet seen = new BitSet(kept.length);
            Deque<Integer> stack = new ArrayDeque<>();
            stack.push(l);
            while (!stack.isEmpty()) {
                int v = stack.pop();
                for (int k = 0; k < successorCount(v); k++) {
                    int s = successor(v, k);
                    if (seen.get(s)) {
                        continue;
                    }
                    seen.set(s);
                    if (kept[s]) {
                        found.set(position[s]); // stop here: what it feeds is its own successors
                    } else {
                        stack.push(s);
                    }
                }
            }
            next[w] = found.stream().toArray();
        }
        return LayerGraph.of(in, out, next);
    }

    /**
     * A graph from its parts. Throws when a successor index is out of range or when a layer lists itself.
     *
     * @param inputSide  per layer: fed by a network input through parameter-free vertices only
     * @param outputSide per layer: feeds a network output through parameter-free vertices only
     * @param successors per layer: the layers (with parameters) it feeds directly or through parameter-free vertices
     */
    public static LayerGraph of(boolean[] inputSide, boolean[] outputSide, int[][] successors) {
        Objects.requireNonNull(inputSide, "inputSide");
        Objects.requireNonNull(outputSide, "outputSide");
        Objects.requireNonNull(successors, "successors");
        int n = inputSide.length;
        if (outputSide.length != n || successors.length != n) {
            throw new IllegalArgumentException("inputSide, outputSide and successors must have one entry per layer "
                    + "(got: " + n + ", " + outputSide.length + ", " + successors.length + ")");
        }
        return new LayerGraph(n, inputSide, outputSide, successors);
    }

    private BitSet closure(int i) {
        BitSet out = new BitSet(size);
        ArrayList<Integer> stack = new ArrayList<>();
        stack.add(i);
        BitSet seen = new BitSet(size);
        while (!stack.isEmpty()) {
            int v = stack.remove(stack.size() - 1);
            for (int s : successors[v]) {
                if (!seen.get(s)) {
                    seen.set(s);
                    out.set(s);
                    stack.add(s);
                }
            }
        }
        return out;
    }

    private static int[] indices(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** Number of layers described. */
    public int size() {
        return size;
    }

    public boolean isInputSide(int layer) {
        return isInput[layer];
    }

    public boolean isOutputSide(int layer) {
        return isOutput[layer];
    }

    /** Number of input-side layers. */
    public int inputSideCount() {
        return inputSide.length;
    }

    /** The {@code k}-th input-side layer, in layer order. */
    public int inputSide(int k) {
        return inputSide[k];
    }

    public int outputSideCount() {
        return outputSide.length;
    }

    /** The {@code k}-th output-side layer, in layer order. */
    public int outputSide(int k) {
        return outputSide[k];
    }

    /** Number of layers {@code layer} feeds directly (through parameter-free vertices only). */
    public int successorCount(int layer) {
        return successors[layer].length;
    }

    public int successor(int layer, int k) {
        return successors[layer][k];
    }

    /** Whether a path leads from layer {@code from} to layer {@code to} ({@code from != to}). */
    public boolean reaches(int from, int to) {
        return downstream[from].get(to);
    }

    /** The input-side layers, in layer order (a copy). */
    public List<Integer> inputSideLayers() {
        return Arrays.stream(inputSide).boxed().toList();
    }

    /** The output-side layers, in layer order (a copy). */
    public List<Integer> outputSideLayers() {
        return Arrays.stream(outputSide).boxed().toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerGraph g && size == g.size && Arrays.equals(isInput, g.isInput)
                && Arrays.equals(isOutput, g.isOutput) && Arrays.deepEquals(successors, g.successors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, Arrays.hashCode(isInput), Arrays.hashCode(isOutput),
                Arrays.deepHashCode(successors));
    }

    @Override
    public String toString() {
        return "LayerGraph{layers=" + size + ", inputSide=" + Arrays.toString(inputSide) + ", outputSide="
                + Arrays.toString(outputSide) + '}';
    }
}
