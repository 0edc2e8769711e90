package io.github.dl4jgradmon;

import io.github.dl4jgradmon.LayerRecipes.Recipe;
import io.github.dl4jgradmon.stats.BufferPath;
import io.github.dl4jgradmon.stats.GradientSnapshot;
import io.github.dl4jgradmon.stats.LayerGradientStats;
import io.github.dl4jgradmon.stats.ParamGradientStats;
import org.assertj.core.api.Assertions;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * Every DL4J layer configuration class that has parameters, found by scanning DL4J's jars, trains in a tiny DOUBLE
 * network (MultiLayerNetwork and ComputationGraph, both buffer paths), and every parameter's statistics in the
 * snapshot must equal those computed here, in double, from DL4J's own per-parameter views.
 */
class EveryLayerTypeTest {

    /** 1e-6 relative. */
    private static final double PERCENT = 1e-4;

    @AfterEach
    void defaultPath() {
        TestPaths.reset();
    }

    enum Kind { MLN, GRAPH }


    @Test
    void everyConcreteDl4jLayerClassHasARecipeOrNoParameters() throws Exception {
        Set<Class<?>> scanned = dl4jLayerClasses();
        Map<Class<?>, Recipe> recipes = new LinkedHashMap<>(LayerRecipes.all());
        recipes.putAll(LayerRecipes.brokenInDl4j());

        assertThat(scanned).as("the scan found DL4J's layer classes").contains(
                DenseLayer.class,
                SeparableConvolution2D.class).hasSizeGreaterThan(50);
        Set<String> uncovered = new TreeSet<>();
        for (Class<?> c : scanned) {
            if (!recipes.containsKey(c) && !LayerRecipes.WITHOUT_PARAMETERS.contains(c)) {
                uncovered.add(c.getName());
            }
        }
        assertThat(uncovered).as("layer classes with neither a recipe nor a place in WITHOUT_PARAMETERS").isEmpty();
        assertThat(scanned).as("listed classes are concrete DL4J layer classes")
                .containsAll(recipes.keySet()).containsAll(LayerRecipes.WITHOUT_PARAMETERS);
        for (Class<?> c : LayerRecipes.WITHOUT_PARAMETERS) {
            Layer conf = instantiate(c);
            assertThat(conf.initializer().numParams(conf)).as(c.getSimpleName() + " has no parameters").isZero();
        }
        recipes.forEach((c, recipe) -> assertThat(recipe.layers().get()).as(recipe.name() + " holds a " + c)
                .anyMatch(l -> l.getClass() == c));
    }

    /** With the no-argument constructor DL4J's JSON reader uses, or the shortest one given nulls. */
    private static Layer instantiate(Class<?> c) throws ReflectiveOperationException {
        var ctors = c.getDeclaredConstructors();
        Arrays.sort(ctors, Comparator.comparingInt(Constructor::getParameterCount));
        var ctor = ctors[0];
        ctor.setAccessible(true);
        Object[] args = new Object[ctor.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
            Class<?> t = ctor.getParameterTypes()[i];
            args[i] = t == boolean.class ? false : t.isPrimitive() ? 0 : null;
        }
        return (Layer) ctor.newInstance(args);
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Recipe recipe : new LinkedHashSet<>(LayerRecipes.all().values())) {
            // every recipe on both buffer paths; graphs differ only in how layers are found: read on the default path
            out.add(Arguments.of(recipe, Kind.MLN, BufferPath.HOST));
            out.add(Arguments.of(recipe, Kind.GRAPH, BufferPath.HOST));
            out.add(Arguments.of(recipe, Kind.MLN, BufferPath.ND4J));
        }
        return out.stream();
    }

    @Test
    void layersDl4jCannotTrainStillFailInDl4j() {
        LayerRecipes.brokenInDl4j().forEach((c, recipe) -> {
            Model model = build(recipe, Kind.MLN);
            DataSet data = recipe.data().get();
            Assertions.assertThatThrownBy(() -> ((MultiLayerNetwork) model).fit(data))
                    .as(c.getSimpleName() + " trains now: move its recipe into LayerRecipes.all()")
                    .isInstanceOf(RuntimeException.class).hasMessageContaining("scatter_update");
        });
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void everyParameterMatchesDl4jsOwnViews(Recipe recipe, Kind kind, BufferPath path) {
        TestPaths.use(path);
        Nd4j.getRandom().setSeed(11);
        Model model = build(recipe, kind);
        GradientMonitor monitor = GradientMonitor.builder().build();
        ViewRecorder recorder = new ViewRecorder();
        model.setListeners(monitor, recorder);
        DataSet data = recipe.data().get();
        for (int i = 0; i < 2; i++) {
            if (model instanceof MultiLayerNetwork net) {
                net.fit(data);
            } else {
                ((ComputationGraph) model).fit(data);
            }
        }

        assertThat(monitor.faultCount()).as("monitor faults").isZero();
        TestPaths.check(monitor);
        assertMatchesDl4j(recipe.name(), monitor.latest().orElseThrow(), recorder, kind == Kind.MLN);
    }

    /**
     * Every layer DL4J reports a gradient for is in the snapshot with exactly its gradient-driven and moved
     * parameters, and every figure equals the one computed here, in double, from DL4J's own arrays.
     *
     * @param byIndex match layers by MultiLayerNetwork index (else by ComputationGraph vertex name)
     */
    static void assertMatchesDl4j(String name, GradientSnapshot s, ViewRecorder recorder, boolean byIndex) {
        assertThat(recorder.iteration).isEqualTo(s.iteration());
        Map<String, LayerGradientStats> reported = new LinkedHashMap<>();
        for (LayerGradientStats l : s.layers()) {
            reported.put(byIndex ? String.valueOf(l.index()) : l.name(), l);
        }
        Map<String, Map<String, ViewRecorder.Param>> expected = new LinkedHashMap<>();
        recorder.layers.forEach((id, params) -> {
            Map<String, ViewRecorder.Param> driven = new LinkedHashMap<>();
            params.forEach((key, p) -> {
                if (p.gradientDriven) {
                    driven.put(key, p);
                }
            });
            if (!driven.isEmpty()) {
                expected.put(id, driven);
            }
        });
        assertThat(reported.keySet()).as("reported layers").containsExactlyElementsOf(expected.keySet());
        double globalSq = 0;
        for (Map<String, ViewRecorder.Param> params : expected.values()) {
            for (ViewRecorder.Param p : params.values()) {
                globalSq += Sums.of(p.gradient).sumSq;
            }
        }
        close(name + " global gradient norm", s.globalGradientNorm(),
                Math.sqrt(globalSq) / recorder.batchSize);
        double divisor = recorder.batchSize;
        expected.forEach((id, params) -> {
            LayerGradientStats layer = reported.get(id);
            assertThat(layer.params().keySet()).as("layer " + id + " parameters")
                    .containsExactlyInAnyOrderElementsOf(params.keySet());
            double gSq = 0;
            double pSq = 0;
            double uSq = 0;
            for (Map.Entry<String, ViewRecorder.Param> e : params.entrySet()) {
                String what = name + " layer " + id + " " + layer.type() + " param " + e.getKey();
                ViewRecorder.Param p = e.getValue();
                assertThat(p.gradient).as(what + ": DL4J reports a gradient").isNotNull();
                ParamGradientStats stats = layer.params().get(e.getKey());
                Sums g = Sums.of(p.gradient);
                Sums v = Sums.of(p.value);
                Sums u = Sums.of(p.update);
                assertThat(stats.size()).as(what + " size").isEqualTo(p.value.length());
                close(what + " gradientNorm", stats.gradientNorm(), Math.sqrt(g.sumSq) / divisor);
                close(what + " meanAbs", stats.meanAbs(), g.sumAbs / g.n / divisor);
                close(what + " maxAbs", stats.maxAbs(), g.maxAbs / divisor);
                assertThat(stats.zeroFraction()).as(what + " zeroFraction").isEqualTo((double) g.zeros / g.n);
                assertThat(stats.nanCount() + stats.infCount()).as(what + " non-finite").isZero();
                close(what + " paramNorm", stats.paramNorm(), Math.sqrt(v.sumSq));
                close(what + " updateNorm", stats.updateNorm(), Math.sqrt(u.sumSq));
                gSq += g.sumSq;
                pSq += v.sumSq;
                uSq += u.sumSq;
            }
            Map<String, ViewRecorder.Param> moved = new LinkedHashMap<>();
            recorder.layers.get(id).forEach((key, p) -> {
                if (p.moved) {
                    moved.put(key, p);
                }
            });
            assertThat(layer.moved().keySet()).as("layer " + id + " moved parameters")
                    .containsExactlyInAnyOrderElementsOf(moved.keySet());
            moved.forEach((key, p) -> {
                String what = name + " layer " + id + " moved " + key;
                assertThat(layer.moved().get(key).size()).as(what + " size").isEqualTo(p.value.length());
                close(what + " paramNorm", layer.moved().get(key).paramNorm(), Math.sqrt(Sums.of(p.value).sumSq));
                close(what + " updateNorm", layer.moved().get(key).updateNorm(), Math.sqrt(Sums.of(p.update).sumSq));
            });
            close(name + " layer " + id + " gradientNorm", layer.gradientNorm(), Math.sqrt(gSq) / divisor);
            close(name + " layer " + id + " paramNorm", layer.paramNorm(), Math.sqrt(pSq));
            close(name + " layer " + id + " updateNorm", layer.updateNorm(), Math.sqrt(uSq));
        });
    }

    private static void close(String what, double actual, double expected) {
        if (expected == 0) {
            assertThat(actual).as(what).isEqualTo(0.0);
        } else {
            assertThat(actual).as(what).isCloseTo(expected, withinPercentage(PERCENT));
        }
    }

    /** Plain double loop over a DOUBLE copy. */
    record Sums(long n, double sumSq, double sumAbs, double maxAbs, long zeros) {
        static Sums of(INDArray a) {
            double[] d = a.dup().data().asDouble();
            double sq = 0;
            double abs = 0;
            double max = 0;
            long zeros = 0;
            for (double x : d) {
                sq += x * x;
                abs += Math.abs(x);
                max = Math.max(max, Math.abs(x));
                zeros += x == 0 ? 1 : 0;
            }
            return new Sums(d.length, sq, abs, max, zeros);
        }
    }

    static Model build(Recipe recipe, Kind kind) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .updater(new Adam(0.01)).weightInit(WeightInit.XAVIER);
        List<Layer> layers = recipe.layers().get();
        if (kind == Kind.MLN) {
            NeuralNetConfiguration.ListBuilder list = base.list();
            for (Layer l : layers) {
                list.layer(l);
            }
            if (recipe.inputType() != null) {
                list.setInputType(recipe.inputType());
            }
            MultiLayerNetwork net = new MultiLayerNetwork(list.build());
            net.init();
            return net;
        }
        ComputationGraphConfiguration.GraphBuilder g = base.graphBuilder().addInputs("in");
        String previous = "in";
        for (int i = 0; i < layers.size(); i++) {
            g.addLayer("l_" + i, layers.get(i), previous);
            previous = "l_" + i;
        }
        g.setOutputs(previous);
        if (recipe.inputType() != null) {
            g.setInputTypes(recipe.inputType());
        }
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /** Concrete subclasses of DL4J's layer configuration class in every DL4J jar on the class path. */
    static Set<Class<?>> dl4jLayerClasses() throws IOException {
        Set<Class<?>> out = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                for (JarEntry e : Collections.list(jar.entries())) {
                    String n = e.getName();
                    if (!n.startsWith("org/deeplearning4j/") || !n.endsWith(".class")) {
                        continue;
                    }
                    Class<?> c;
                    try {
                        c = Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false,
                                EveryLayerTypeTest.class.getClassLoader());
                    } catch (Throwable unloadable) { // optional dependencies of unrelated classes
                        continue;
                    }
                    if (Layer.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())
                            && !c.isInterface()) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }
}
