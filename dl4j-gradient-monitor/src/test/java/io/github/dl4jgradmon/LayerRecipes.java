package io.github.dl4jgradmon;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.AutoEncoder;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CapsuleLayer;
import org.deeplearning4j.nn.conf.layers.CapsuleStrengthLayer;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1D;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.LocallyConnected1D;
import org.deeplearning4j.nn.conf.layers.LocallyConnected2D;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.Pooling1D;
import org.deeplearning4j.nn.conf.layers.Pooling2D;
import org.deeplearning4j.nn.conf.layers.PrimaryCapsules;
import org.deeplearning4j.nn.conf.layers.RecurrentAttentionLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SpaceToBatchLayer;
import org.deeplearning4j.nn.conf.layers.SpaceToDepthLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.Upsampling3D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPadding3DLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping3D;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.misc.RepeatVector;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.conf.layers.util.MaskLayer;
import org.deeplearning4j.nn.conf.layers.util.MaskZeroLayer;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.conf.ocnn.OCNNOutputLayer;
import org.deeplearning4j.nn.layers.util.IdentityLayer;
import org.deeplearning4j.nn.modelimport.keras.layers.TFOpLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A tiny network for every DL4J layer configuration class that has parameters: the layers (built fresh on every
 * call), the input type when DL4J should infer sizes, and a minibatch. Classes without parameters are listed in
 * {@link #WITHOUT_PARAMETERS}.
 */
final class LayerRecipes {

    static final int BATCH = 4;

    /** One network: its layers in order, the input type (null: sizes given explicitly) and its data. */
    record Recipe(String name, Supplier<List<Layer>> layers, InputType inputType, Supplier<DataSet> data) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Concrete layer configuration classes that have no parameters (DL4J's initializer reports none; the test checks
     * it): nothing of theirs is in the flat buffers, so they need no recipe. Several appear inside recipes anyway.
     */
    static final Set<Class<?>> WITHOUT_PARAMETERS = Set.of(
            ActivationLayer.class,
            CapsuleStrengthLayer.class,
            Cnn3DLossLayer.class,
            CnnLossLayer.class,
            DropoutLayer.class,
            GlobalPoolingLayer.class,
            LocalResponseNormalization.class,
            LossLayer.class,
            Pooling1D.class,
            Pooling2D.class,
            RnnLossLayer.class,
            SpaceToBatchLayer.class,
            SpaceToDepthLayer.class,
            Subsampling1DLayer.class,
            Subsampling3DLayer.class,
            SubsamplingLayer.class,
            Upsampling1D.class,
            Upsampling2D.class,
            Upsampling3D.class,
            ZeroPadding1DLayer.class,
            ZeroPadding3DLayer.class,
            ZeroPaddingLayer.class,
            Cropping1D.class,
            Cropping2D.class,
            Cropping3D.class,
            RepeatVector.class,
            Yolo2OutputLayer.class,
            MaskLayer.class,
            IdentityLayer.class,
            TFOpLayer.class);

    private LayerRecipes() {
    }

    /** Recipes keyed by the layer configuration class they cover (several classes may share one network). */
    static Map<Class<?>, Recipe> all() {
        Map<Class<?>, Recipe> r = new LinkedHashMap<>();
        Recipe dense = ff("denseWithLayerNorm", 4, () -> List.of(
                new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).hasLayerNorm(true).build(),
                out(5)));
        r.put(DenseLayer.class, dense);
        r.put(OutputLayer.class, dense);
        r.put(AutoEncoder.class, ff("autoEncoder", 4, () -> List.of(
                new AutoEncoder.Builder().nIn(4).nOut(5).activation(Activation.SIGMOID).build(), out(5))));
        r.put(BatchNormalization.class, ff("batchNorm", 4, () -> List.of(
                new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.IDENTITY).build(),
                new BatchNormalization.Builder().nIn(5).nOut(5).build(), out(5))));
        Recipe capsules = new Recipe("capsules", () -> List.of(
                new PrimaryCapsules.Builder(4, 2).kernelSize(3, 3).stride(2, 2).build(),
                new CapsuleLayer.Builder(3, 4, 2).build(),
                new CapsuleStrengthLayer.Builder().build(),
                new ActivationLayer.Builder().activation(Activation.SOFTMAX).build(),
                new LossLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).build()),
                InputType.convolutional(7, 7, 2), () -> data(rand(BATCH, 2, 7, 7), BATCH, 3));
        r.put(PrimaryCapsules.class, capsules);
        r.put(CapsuleLayer.class, capsules);
        r.put(CenterLossOutputLayer.class, ff("centerLoss", 4, () -> List.of(
                new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build(),
                new CenterLossOutputLayer.Builder().lossFunction(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(Activation.SOFTMAX).alpha(0.3).lambda(0.1).build())));
        r.put(Convolution1DLayer.class, rnnSame("conv1d", () -> List.of(
                new Convolution1DLayer.Builder().kernelSize(2).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build(), rnnOut(4))));
        r.put(Convolution1D.class, rnnSame("conv1dAlias", () -> List.of(
                copy(new Convolution1DLayer.Builder().kernelSize(2).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build(), new Convolution1D()), rnnOut(4))));
        r.put(ConvolutionLayer.class, cnn("conv2d", 2, () -> List.of(
                new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.TANH).build(), outInferred())));
        r.put(Convolution2D.class, cnn("conv2dAlias", 2, () -> List.of(
                copy(new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.TANH).build(),
                        new Convolution2D()), outInferred())));
        r.put(Convolution3D.class, cnn3d("conv3d", () -> List.of(
                new Convolution3D.Builder(2, 2, 2).nOut(3).activation(Activation.TANH).build(),
                new GlobalPoolingLayer.Builder().build(), outInferred())));
        r.put(Deconvolution2D.class, cnn("deconv2d", 2, () -> List.of(
                new Deconvolution2D.Builder(2, 2).nOut(3).activation(Activation.TANH).build(), outInferred())));
        r.put(Deconvolution3D.class, cnn3d("deconv3d", () -> List.of(
                new Deconvolution3D.Builder().kernelSize(2, 2, 2).nOut(3).activation(Activation.TANH).build(),
                new GlobalPoolingLayer.Builder().build(), outInferred())));
        r.put(DepthwiseConvolution2D.class, cnn("depthwise", 2, () -> List.of(
                new DepthwiseConvolution2D.Builder(3, 3).depthMultiplier(2).activation(Activation.TANH).build(),
                outInferred())));
        r.put(SeparableConvolution2D.class, cnn("separable", 2, () -> List.of(
                new SeparableConvolution2D.Builder(3, 3).nOut(4).activation(Activation.TANH).build(),
                outInferred())));
        r.put(EmbeddingLayer.class, new Recipe("embedding", () -> List.of(
                new EmbeddingLayer.Builder().nIn(10).nOut(4).activation(Activation.TANH).build(), out(4)),
                null, () -> data(tokens(BATCH, 1), BATCH, 3)));
        r.put(EmbeddingSequenceLayer.class, new Recipe("embeddingSequence", () -> List.of(
                new EmbeddingSequenceLayer.Builder().nIn(10).nOut(4).inputLength(5).outputDataFormat(RNNFormat.NCW)
                        .activation(Activation.TANH).build(),
                rnnOut(4)), null, () -> sequenceData(tokens(BATCH, 5), 5)));
        r.put(GravesBidirectionalLSTM.class, rnn("gravesBidirectional", () -> List.of(
                new GravesBidirectionalLSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), rnnOut(4))));
        r.put(GravesLSTM.class, rnn("gravesLstm", () -> List.of(
                new GravesLSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), rnnOut(4))));
        Recipe lstm = rnn("lstm", () -> List.of(
                new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), rnnOut(4)));
        r.put(LSTM.class, lstm);
        r.put(RnnOutputLayer.class, lstm);
        r.put(SimpleRnn.class, rnn("simpleRnn", () -> List.of(
                new SimpleRnn.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(),
                rnnOut(4))));
        r.put(Bidirectional.class, rnn("bidirectional", () -> List.of(
                new Bidirectional(new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH)
                        .dataFormat(RNNFormat.NCW).build()),
                rnnOut(8))));
        r.put(LastTimeStep.class, new Recipe("lastTimeStep", () -> List.of(
                new LastTimeStep(new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).build()), out(4)),
                null, () -> data(rand(BATCH, 3, 5), BATCH, 3)));
        r.put(TimeDistributed.class, rnn("timeDistributed", () -> List.of(
                new TimeDistributed(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(),
                        RNNFormat.NCW), rnnOut(4))));
        r.put(MaskZeroLayer.class, rnn("maskZero", () -> List.of(
                new MaskZeroLayer(new LSTM.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), 0.0),
                rnnOut(4))));
        r.put(SelfAttentionLayer.class, rnnSame("selfAttention", () -> List.of(
                new SelfAttentionLayer.Builder().nOut(4).nHeads(2).projectInput(true).build(), rnnOut(4))));
        r.put(RecurrentAttentionLayer.class, rnnSame("recurrentAttention", () -> List.of(
                new RecurrentAttentionLayer.Builder().nIn(3).nOut(3).nHeads(1).projectInput(false)
                        .activation(Activation.TANH).build(), rnnOut(3))));
        r.put(LocallyConnected1D.class, rnnSame("locallyConnected1d", () -> List.of(
                new LocallyConnected1D.Builder().kernelSize(2).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).build(), rnnOut(4))));
        r.put(LocallyConnected2D.class, cnn("locallyConnected2d", 2, () -> List.of(
                new LocallyConnected2D.Builder().kernelSize(2, 2).nOut(3).activation(Activation.TANH).build(),
                outInferred())));
        r.put(PReLULayer.class, new Recipe("prelu", () -> List.of(
                new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.IDENTITY).build(),
                new PReLULayer.Builder().inputShape(5).build(), outInferred()),
                InputType.feedForward(4), () -> data(rand(BATCH, 4), BATCH, 3)));
        r.put(ElementWiseMultiplicationLayer.class, ff("elementWise", 4, () -> List.of(
                new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build(),
                new ElementWiseMultiplicationLayer.Builder().nIn(5).nOut(5).activation(Activation.TANH).build(),
                out(5))));
        r.put(FrozenLayer.class, ff("frozen", 4, () -> List.of(
                new FrozenLayer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build()),
                new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.TANH).build(),
                out(5))));
        r.put(FrozenLayerWithBackprop.class, ff("frozenWithBackprop", 4, () -> List.of(
                new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build(),
                new FrozenLayerWithBackprop(new DenseLayer.Builder().nIn(5).nOut(5).activation(Activation.TANH)
                        .build()),
                out(5))));
        r.put(VariationalAutoencoder.class, ff("vae", 4, () -> List.of(
                new VariationalAutoencoder.Builder().nIn(4).nOut(3).encoderLayerSizes(5).decoderLayerSizes(5)
                        .activation(Activation.TANH).build(), out(3))));
        r.put(OCNNOutputLayer.class, new Recipe("ocnn", () -> List.of(
                new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build(),
                new OCNNOutputLayer.Builder().nIn(5).hiddenLayerSize(3).nu(0.1).activation(Activation.SIGMOID)
                        .initialRValue(0.1).build()),
                null, () -> data(rand(BATCH, 4), BATCH, 1)));
        return r;
    }

    /**
     * Layer classes DL4J 1.0.0-M2.1 cannot train: a recipe that should work and the reason it does not. The test
     * checks that fitting still fails, so a DL4J release that fixes it makes the recipe join {@link #all()}.
     */
    static Map<Class<?>, Recipe> brokenInDl4j() {
        Map<Class<?>, Recipe> r = new LinkedHashMap<>();
        // its SameDiff graph feeds an INT index to scatter_update on LONG arrays: the native op rejects it
        r.put(LearnedSelfAttentionLayer.class, rnnSame("learnedSelfAttention", () -> List.of(
                new LearnedSelfAttentionLayer.Builder().nOut(4).nHeads(1).nQueries(2).projectInput(true).build(),
                new GlobalPoolingLayer.Builder().build(), outInferred()), true));
        return r;
    }

    private static OutputLayer out(int nIn) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(nIn).nOut(3)
                .activation(Activation.SOFTMAX).build();
    }

    private static OutputLayer outInferred() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                .build();
    }

    private static RnnOutputLayer rnnOut(int nIn) {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(nIn).nOut(2)
                .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build();
    }

    private static Recipe ff(String name, int nIn, Supplier<List<Layer>> layers) {
        return new Recipe(name, layers, null, () -> data(rand(BATCH, nIn), BATCH, 3));
    }

    private static Recipe rnn(String name, Supplier<List<Layer>> layers) {
        return new Recipe(name, layers, null, () -> sequenceData(rand(BATCH, 3, 5), 5));
    }

    /** Sequences of 3 features and length 5; sizes inferred from the input type. */
    private static Recipe rnnSame(String name, Supplier<List<Layer>> layers) {
        return rnnSame(name, layers, false);
    }

    private static Recipe rnnSame(String name, Supplier<List<Layer>> layers, boolean pooledLabels) {
        return new Recipe(name, layers, InputType.recurrent(3, 5, RNNFormat.NCW),
                () -> pooledLabels ? data(rand(BATCH, 3, 5), BATCH, 3) : sequenceData(rand(BATCH, 3, 5), 5));
    }

    private static Recipe cnn(String name, int channels, Supplier<List<Layer>> layers) {
        return new Recipe(name, layers, InputType.convolutional(5, 5, channels),
                () -> data(rand(BATCH, channels, 5, 5), BATCH, 3));
    }

    private static Recipe cnn3d(String name, Supplier<List<Layer>> layers) {
        return new Recipe(name, layers, InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 3, 3, 3, 2),
                () -> data(rand(BATCH, 2, 3, 3, 3), BATCH, 3));
    }

    static INDArray rand(long... shape) {
        return Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).muli(2);
    }

    private static INDArray tokens(int batch, int length) {
        INDArray t = Nd4j.create(DataType.DOUBLE, batch, length);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < length; i++) {
                t.putScalar(b, i, (b * 3 + i * 7) % 10);
            }
        }
        return t;
    }

    private static DataSet data(INDArray x, int batch, int classes) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, classes);
        for (int b = 0; b < batch; b++) {
            y.putScalar(b, b % classes, 1.0);
        }
        return new DataSet(x, y);
    }

    private static DataSet sequenceData(INDArray x, int length) {
        long batch = x.size(0);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, batch, 2, length);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                y.putScalar(new int[] {b, (b + t) % 2, t}, 1.0);
            }
        }
        return new DataSet(x, y);
    }

    /**
     * {@code Convolution1D} and {@code Convolution2D} are DL4J's aliases of {@code Convolution1DLayer} and
     * {@code ConvolutionLayer} and have no builders: a configured instance's fields are copied into one.
     */
    private static <T extends Layer> T copy(Layer from, T to) {
        for (Class<?> c = from.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(to, f.get(from));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy " + f, e);
                }
            }
        }
        return to;
    }
}
