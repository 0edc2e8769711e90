package io.github.dl4jgradmon.cli.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.dl4jgradmon.alert.GradientAlert;
import io.github.dl4jgradmon.cli.check.CheckCommand.FixResult;
import io.github.dl4jgradmon.cli.check.CheckCommand.Outcome;
import io.github.dl4jgradmon.cli.check.CheckReport.AlertGroup;
import io.github.dl4jgradmon.cli.check.CheckReport.LayerRow;
import io.github.dl4jgradmon.cli.check.Lint.Finding;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --json} report: {@code verdict}, {@code iterations}, {@code notMeasured}, {@code finalLoss},
 * {@code layers}, {@code alerts}, {@code lint} and, with {@code --try-fixes}, {@code fixes}. NaN and Inf are written as
 * null (JSON has neither); {@code layer} is {@code ""} for alerts about the whole model.
 */
final class CheckJson {

    private CheckJson() {
    }

    static void write(Path path, Outcome o) {
        Map<String, Object> root = new LinkedHashMap<>();
        o.report().ifPresentOrElse(r -> {
            root.put("verdict", r.verdict().name());
            root.put("iterations", r.iterations());
            root.put("notMeasured", r.notMeasured().orElse(null));
            root.put("finalLoss", number(r.finalLoss()));
            root.put("layers", layers(r));
            root.put("alerts", alerts(r));
        }, () -> root.put("verdict", "LINT_ONLY"));
        List<Object> lint = new ArrayList<>();
        for (Finding f : o.lint()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("severity", f.severity().name());
            m.put("rule", f.rule());
            m.put("where", f.where());
            m.put("message", f.message());
            m.put("fix", f.fix());
            lint.add(m);
        }
        root.put("lint", lint);
        if (!o.fixes().isEmpty()) {
            List<Object> fixes = new ArrayList<>();
            for (FixResult f : o.fixes()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("fix", f.fix().id());
                m.put("description", f.fix().description());
                m.put("verdict", f.report().verdict().name());
                m.put("finalLoss", number(f.report().finalLoss()));
                m.put("firstLastGradientRatio", number(f.report().firstLastRatio()));
                m.put("alertsLeft", f.report().problems());
                fixes.add(m);
            }
            root.put("fixes", fixes);
            CheckCommand.best(o.fixes()).ifPresent(b -> root.put("bestFix", b.fix().id()));
        }
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(path.toFile(), root);
        } catch (IOException e) {
            throw new BadInputException("--json cannot be written: " + path + " (" + e.getMessage() + ")");
        }
    }

    private static List<Object> layers(CheckReport r) {
        List<Object> ls = new ArrayList<>();
        for (LayerRow row : r.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", row.name());
            m.put("index", row.index());
            m.put("type", row.type());
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("first", number(row.first()));
            g.put("median", number(row.median()));
            g.put("last", number(row.last()));
            m.put("gradientNorm", g);
            m.put("medianUpdateRatio", number(row.medianUpdateRatio()));
            ls.add(m);
        }
        return ls;
    }

    private static List<Object> alerts(CheckReport r) {
        List<Object> as = new ArrayList<>();
        for (AlertGroup group : r.alerts()) {
            GradientAlert a = group.first();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", a.type().name());
            m.put("severity", a.severity().name());
            m.put("layer", a.layer());
            m.put("param", a.param().orElse(null));
            m.put("iteration", a.iteration());
            m.put("count", group.count());
            m.put("value", number(a.value()));
            m.put("threshold", number(a.threshold()));
            m.put("message", a.message());
            m.put("hint", a.hint());
            as.add(m);
        }
        return as;
    }

    /** JSON has no NaN or Infinity: such values are written as null. */
    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
