package io.github.dl4jgradmon.internal.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each parameter array of a trainable (a layer or a vertex) really sits in the model's flat buffers, read from
 * DL4J's own views: the parameter views of {@code paramTable(false)} and the per-parameter gradient views the layer
 * backpropagates into. Never from an assumed order: {@code SeparableConvolution2D} and {@code DepthwiseConvolution2D}
 * keep the bias first in the flat buffer although {@code paramTable()} lists it last.
 *
 * <p>Every view must be contiguous and lie in the flat buffer itself, and each parameter's gradient view must sit at
 * the same offset, with the same shape and strides, as its parameter view: the monitor reads both buffers with one
 * offset. A model that breaks any of this is refused with an {@link IllegalStateException} naming the layer and the
 * parameter, rather than measured wrongly. Internal.
 */
final class ParamViews {

    private ParamViews() {
    }

    /** One parameter array's place: first element relative to the flat buffer's start, length, its view. */
    record Placed(String key, long offset, long length, INDArray view) {
    }

    /**
     * The places of every parameter array of {@code t}, in {@code paramTable(false)} order.
     *
     * @param flatParams    the model's flat parameter buffer
     * @param flatGradients the model's flat gradient buffer
     * @param name          the layer's name, for messages
     */
    static List<Placed> place(Trainable t, String name, INDArray flatParams, INDArray flatGradients) {
        return place(t, name, flatParams, flatGradients, gradientViews(t, name));
    }

    /**
     * The places of a frozen layer's parameter arrays, from the parameter views alone: nothing of it is read, but its
     * arrays take their share of the flat buffer (DL4J gives a {@code FrozenLayer} no gradient view).
     */
    static List<Placed> placeParamsOnly(Trainable t, String name, INDArray flatParams) {
        List<Placed> out = new ArrayList<>();
        t.paramTable(false).forEach((key, p) ->
                out.add(new Placed(key, offsetIn(flatParams, p, "parameter", name, key), p.length(), p)));
        return out;
    }

    private static List<Placed> place(Trainable t, String name, INDArray flatParams, INDArray flatGradients,
                                      Map<String, INDArray> gradients) {
        Map<String, INDArray> params = t.paramTable(false);
        List<Placed> out = new ArrayList<>(params.size());
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String key = e.getKey();
            INDArray p = e.getValue();
            INDArray g = gradients.get(key);
            if (g == null) {
                throw new IllegalStateException("layer " + name + " has no gradient view for parameter " + key
                        + " (gradient views: " + gradients.keySet() + "): unsupported layer structure");
            }
            long pOffset = offsetIn(flatParams, p, "parameter", name, key);
            long gOffset = offsetIn(flatGradients, g, "gradient", name, key);
            // both contiguous: the same offset and length mean the same stretch of memory, entry for entry, whatever
            // shape each view gives it (Convolution1D's gradient view of W drops the parameter view's trailing 1)
            if (pOffset != gOffset || p.length() != g.length()) {
                throw new IllegalStateException("layer " + name + " parameter " + key + ": the gradient view [offset "
                        + gOffset + ", length " + g.length() + "] does not mirror the parameter view [offset "
                        + pOffset + ", length " + p.length() + "]: unsupported layer structure");
            }
            out.add(new Placed(key, pOffset, p.length(), p));
        }
        return out;
    }

    /**
     * The per-parameter gradient views DL4J backpropagates into: for a layer, its initializer's views of the layer's
     * gradient view (what the layer itself uses); for a vertex without a layer (a SameDiff vertex), its own table.
     */
    private static Map<String, INDArray> gradientViews(Trainable t, String name) {
        Layer layer = t instanceof Layer l ? l : t instanceof GraphVertex v && v.hasLayer() ? v.getLayer() : null;
        if (layer != null) {
            INDArray view = layer.getGradientsViewArray();
            if (view == null) {
                throw new IllegalStateException("layer " + name + " has no gradient view yet");
            }
            if (layer.conf().getLayer() instanceof Bidirectional b) {
                return bidirectionalGradientViews(layer.conf(), b, view);
            }
            return layer.conf().getLayer().initializer().getGradientsFromFlattened(layer.conf(), view);
        }
        return vertexGradientTable(t, name);
    }

    /**
     * A {@code Bidirectional} layer's gradient view is its forward layer's then its backward layer's, each laid out
     * by the wrapped layer's initializer, keys prefixed {@code f} and {@code b}. DL4J's own
     * {@code BidirectionalParamInitializer.getGradientsFromFlattened} fails (it hands the wrapper's configuration to
     * the wrapped layer's initializer), so the same split is done here with the wrapped layer's configuration.
     */
    private static Map<String, INDArray> bidirectionalGradientViews(NeuralNetConfiguration conf, Bidirectional b,
                                                                    INDArray view) {
        long n = view.length() / 2;
        INDArray flat = view.reshape(view.length());
        NeuralNetConfiguration fwd = conf.clone();
        fwd.setLayer(b.getFwd());
        NeuralNetConfiguration bwd = conf.clone();
        bwd.setLayer(b.getBwd());
        Map<String, INDArray> out = new LinkedHashMap<>();
        b.getFwd().initializer().getGradientsFromFlattened(fwd, flat.get(NDArrayIndex.interval(0, n)))
                .forEach((k, v) -> out.put(BidirectionalParamInitializer.FORWARD_PREFIX + k, v));
        b.getBwd().initializer().getGradientsFromFlattened(bwd, flat.get(NDArrayIndex.interval(n, 2 * n)))
                .forEach((k, v) -> out.put(BidirectionalParamInitializer.BACKWARD_PREFIX + k, v));
        return out;
    }

    /** DL4J keeps a SameDiff vertex's per-parameter gradient views in its {@code gradTable} field and exposes no getter. */
    @SuppressWarnings("unchecked")
    private static Map<String, INDArray> vertexGradientTable(Trainable t, String name) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField("gradTable");
                f.setAccessible(true);
                Object table = f.get(t);
                if (table instanceof Map<?, ?> m) {
                    return new LinkedHashMap<>((Map<String, INDArray>) m);
                }
                break;
            } catch (NoSuchFieldException next) {
                // look in the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                break;
            }
        }
        throw new IllegalStateException("vertex " + name + " (" + t.getClass().getSimpleName()
                + ") exposes no per-parameter gradient views: its parameters cannot be located");
    }

    /**
     * The offset of {@code view} relative to the start of {@code flat}, checking that the view is contiguous and lies
     * inside {@code flat}'s own storage.
     */
    static long offsetIn(INDArray flat, INDArray view, String what, String layer, String key) {
        if (root(view.data()) != root(flat.data())) {
            throw new IllegalStateException("layer " + layer + " " + what + " " + key
                    + " is not a view of the model's flat " + what + " buffer: unsupported layer structure");
        }
        if (!isContiguous(view)) {
            throw new IllegalStateException("layer " + layer + " " + what + " " + key + " is not contiguous (shape "
                    + Arrays.toString(view.shape()) + ", strides " + Arrays.toString(view.stride())
                    + "): unsupported layer structure");
        }
        long offset = view.offset() - flat.offset();
        if (offset < 0 || offset + view.length() > flat.length()) {
            throw new IllegalStateException("layer " + layer + " " + what + " " + key + " lies at [" + offset + ", "
                    + (offset + view.length()) + "), outside the flat buffer of " + flat.length()
                    + " elements: unsupported layer structure");
        }
        return offset;
    }

    private static DataBuffer root(DataBuffer b) {
        DataBuffer original = b.originalDataBuffer();
        return original != null ? original : b;
    }

    /** Whether the view's elements fill one unbroken stretch of its buffer. */
    static boolean isContiguous(INDArray view) {
        long[] shape = view.shape();
        long[] stride = view.stride();
        List<long[]> dims = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > 1) {
                dims.add(new long[] {stride[i], shape[i]});
            }
        }
        dims.sort((a, b) -> Long.compare(a[0], b[0]));
        long expected = 1;
        for (long[] d : dims) {
            if (d[0] != expected) {
                return false;
            }
            expected *= d[1];
        }
        return true;
    }
}
