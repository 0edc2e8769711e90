package io.github.dl4jgradmon.suite;

import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.LeNet;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.TextGenerationLSTM;
import org.deeplearning4j.zoo.model.TinyYOLO;
import org.deeplearning4j.zoo.model.UNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.Xception;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;

import java.util.List;

/**
 * Healthy corpus, part 1: DL4J model-zoo architectures ({@code deeplearning4j-zoo}, built with {@code init()}, no
 * pretrained weights) at small inputs on learnable synthetic images, sequences and masks.
 *
 * <p>Where a zoo default is a recipe for ImageNet-scale training that blows up on a small problem (ResNet50's
 * RmsProp(0.1) with a TruncatedNormal(0, 0.5) init, VGG16's Nesterovs(0.1) without batch normalization, AlexNet's
 * Nesterovs(0.01) with N(0, 0.01) weights), the case sets the updater (and init) a user would pick and says so;
 * otherwise the zoo default stays. The heavy ones train until their loss flattens ({@link Convergence}) within a
 * wall-clock budget.
 *
 * <p>SqueezeNet is not here: on these images its loss stays at chance (ln 4) under every setting tried (Adam 1e-2,
 * 1e-3, 1e-4; its default ReLU init and Xavier), with the first layers' gradients 1e-10 to 1e-14 of the last
 * layer's. It is the problem case {@code zoo-squeezenet-stuck} (VANISHING) of {@link ProblemCorpus}. AlexNet is not
 * here either: on these images it diverged under every optimizer tried, Adam(1e-3) early, Adam(1e-4) and (3e-4)
 * and Nesterovs(3e-3, 0.9) after reaching a loss near 0 (with Nesterovs at iteration 289: the score jumped from an
 * average of 0.28 to 21.7); those are the problem cases {@code zoo-alexnet-adam-diverges} and
 * {@code zoo-alexnet-late-divergence}.
 */
final class ZooCorpus {

    private ZooCorpus() {
    }

    static List<LabeledCase> all() {
        return List.of(
                LabeledCase.healthy("zoo-lenet", "MLN",
                        "zoo LeNet (its default AdaDelta, Xavier), 1x28x28 flattened images, 4 classes, batch 16",
                        1000, Chance.classes(4),
                        () -> LeNet.builder().numClasses(4).inputShape(new int[] {1, 28, 28}).build().init(),
                        () -> CorpusData.images(101, 11, 16, 1, 28, 28, 4, true, 0, 1))
                        .untilFlat(300, 150),
                LabeledCase.healthy("zoo-vgg16", "CG",
                        "zoo VGG16 at 3x32x32, 4 classes, batch 4; Adam(1e-4) instead of its Nesterovs(0.1) "
                                + "(13 conv layers without batch normalization diverge at 0.1)",
                        1000, Chance.classes(4),
                        () -> VGG16.builder().numClasses(4).inputShape(new int[] {3, 32, 32})
                                .updater(new Adam(1e-4)).build().init(),
                        () -> CorpusData.images(103, 11, 4, 3, 32, 32, 4, false, 0, 1))
                        .untilFlat(100, 120),
                LabeledCase.healthy("zoo-resnet50", "CG",
                        "zoo ResNet50 at 3x96x96 (the smallest size it builds at), 4 classes, batch 2; Adam(1e-3) "
                                + "and He init instead of its RmsProp(0.1) with TruncatedNormal(0, 0.5) weights",
                        1000, Chance.classes(4),
                        () -> ResNet50.builder().numClasses(4).inputShape(new int[] {3, 96, 96})
                                .updater(new Adam(1e-3)).weightInit(WeightInit.RELU.getWeightInitFunction())
                                .build().init(),
                        () -> CorpusData.images(104, 11, 2, 3, 96, 96, 4, false, 0, 1))
                        .untilFlat(100, 120),
                LabeledCase.healthy("zoo-darknet19", "CG",
                        "zoo Darknet19 at 3x32x32 (batch normalization after every conv), 4 classes, batch 4, its "
                                + "default Nesterovs(1e-3, 0.9)",
                        1000, Chance.classes(4),
                        () -> Darknet19.builder().numClasses(4).inputShape(new int[] {3, 32, 32}).build().init(),
                        () -> CorpusData.images(106, 11, 4, 3, 32, 32, 4, false, 0, 1))
                        .untilFlat(100, 120),
                LabeledCase.healthy("zoo-tinyyolo", "CG",
                        "zoo TinyYOLO at 3x64x64 (a 2x2 grid), 2 classes, one box per image, batch 4, Adam(1e-4) "
                                + "instead of its default Adam(1e-3), whose loss climbs from 95 to 10^5-10^6 within "
                                + "100 iterations on this data (the problem case zoo-tinyyolo-default-diverges); "
                                + "judged by the fall of its loss (no chance level for YOLO's loss)",
                        1000, Chance.NONE,
                        () -> TinyYOLO.builder().numClasses(2).inputShape(new int[] {3, 64, 64})
                                .updater(new Adam(1e-4)).build().init(),
                        () -> CorpusData.detection(107, 11, 4, 3, 64, 64, 2, 2))
                        .untilFlat(100, 120),
                LabeledCase.healthy("zoo-unet", "CG",
                        "zoo UNet at 3x16x16, binary masks of one rectangle, batch 2; Adam(1e-4) instead of its "
                                + "AdaDelta; chance = per-pixel cross-entropy of the mean mask",
                        1000, maskChance(16 * 16),
                        () -> UNet.builder().inputShape(new int[] {3, 16, 16}).updater(new Adam(1e-4))
                                .build().init(),
                        () -> CorpusData.segmentation(108, 11, 2, 3, 16, 16))
                        .untilFlat(100, 120),
                LabeledCase.healthy("zoo-xception", "CG",
                        "zoo Xception at 3x71x71, 4 classes, batch 2; Adam(1e-3) instead of its AdaDelta",
                        1000, Chance.classes(4),
                        () -> Xception.builder().numClasses(4).inputShape(new int[] {3, 71, 71})
                                .updater(new Adam(1e-3)).build().init(),
                        () -> CorpusData.images(109, 11, 2, 3, 71, 71, 4, false, 0, 1))
                        .untilFlat(100, 120),
                LabeledCase.healthy("zoo-textgen-lstm", "MLN",
                        "zoo TextGenerationLSTM (2 GravesLSTM x 256, its default RmsProp(0.01), L2 1e-3, truncated "
                                + "BPTT 50), 20 characters, sequences of 40 from a 2-successor Markov chain, batch 16",
                        1000, Chance.perStep(20, 40),
                        () -> TextGenerationLSTM.builder().totalUniqueCharacters(20).inputShape(new int[] {40, 20})
                                .updater(new RmsProp(0.01)).build().init(),
                        () -> CorpusData.characters(110, 11, 8, 40, 20))
                        .untilFlat(100, 120));
    }

    /**
     * Binary cross-entropy of predicting the mean mask value at every pixel; DL4J's CnnLossLayer score sums over the
     * {@code pixels} of an example.
     */
    private static Chance maskChance(int pixels) {
        return batches -> {
            double sum = 0;
            long n = 0;
            for (Object o : batches) {
                float[] y = ((DataSet) o).getLabels().dup().data().asFloat();
                for (float v : y) {
                    sum += v;
                }
                n += y.length;
            }
            double p = sum / n;
            return -pixels * (p * Math.log(p) + (1 - p) * Math.log(1 - p));
        };
    }

}
