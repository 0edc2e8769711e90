package io.github.dl4jgradmon.suite;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole labeled corpus: the fast set ({@link LabeledCases}: short problem cases with healthy twins, the one CI
 * runs), further problem cases ({@link ProblemCorpus}) and the healthy corpus of converged models (DL4J zoo
 * architectures, configurations of DL4J's examples, one feature each: {@link ZooCorpus}, {@link HealthyCorpus}).
 *
 * <pre>{@code
 * for (LabeledCase c : Corpus.all()) {
 *     CaseResult r = CaseRunner.run(c);
 * }
 * }</pre>
 */
public final class Corpus {

    private Corpus() {
    }

    /**
     * Every case, in the order the report runs them: the cheap healthy models, the further problems, the zoo, then
     * the fast set (which CI also runs), so that a partial run already holds the findings that matter most.
     */
    public static List<LabeledCase> all() {
        List<LabeledCase> out = new ArrayList<>(HealthyCorpus.all());
        out.addAll(FieldCorpus.healthy());
        out.addAll(ProblemCorpus.all());
        out.addAll(FieldCorpus.problems());
        out.addAll(ZooCorpus.all());
        out.addAll(LabeledCases.all());
        return List.copyOf(out);
    }

    /** The healthy corpus of converged models (not the fast set's short healthy twins). */
    public static List<LabeledCase> healthy() {
        List<LabeledCase> out = new ArrayList<>(HealthyCorpus.all());
        out.addAll(FieldCorpus.healthy());
        out.addAll(ZooCorpus.all());
        return List.copyOf(out);
    }

    /** The problem cases beyond the fast set. */
    public static List<LabeledCase> problems() {
        List<LabeledCase> out = new ArrayList<>(ProblemCorpus.all());
        out.addAll(FieldCorpus.problems());
        return List.copyOf(out);
    }

    /** The case with this name. */
    public static LabeledCase byName(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no case named '" + name + "' in the corpus"));
    }
}
