package io.github.dl4jgradmon.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The gradient page, in its two forms: served by the UI server (assets linked from {@code /assets/gradmon/}) and
 * as a self-contained report (CSS, JS and data inline). Both come from one template. Internal.
 */
final class Page {

    static final String ASSETS = "deeplearning4jUiAssets/gradmon/";

    private Page() {
    }

    /** The page the UI server serves at {@code /gradmon}: polls the JSON endpoints. */
    static String live() {
        return template()
                .replace("<!--STYLE-->", "<link rel=\"stylesheet\" href=\"/assets/gradmon/gradmon.css\">")
                .replace("<!--SCRIPT-->", "<script src=\"/assets/gradmon/gradmon.js\"></script>");
    }

    /** A page with everything inline: {@code dataJson} is the embedded data (written by {@link Json}, so safe). */
    static String report(String dataJson) {
        String css = resource("gradmon.css");
        String js = resource("gradmon.js");
        if (css.contains("</") || js.contains("</script")) {
            throw new IllegalStateException("an asset contains a closing tag and cannot be inlined");
        }
        return template()
                .replace("<!--STYLE-->", "<style>\n" + css + "\n</style>")
                .replace("<!--SCRIPT-->", "<script type=\"application/json\" id=\"gradmon-data\">" + dataJson
                        + "</script>\n<script>\n" + js + "\n</script>");
    }

    private static String template() {
        return resource("page.html");
    }

    static String resource(String name) {
        try (InputStream in = Page.class.getClassLoader().getResourceAsStream(ASSETS + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + ASSETS + name + " (a broken jar?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ASSETS + name, e);
        }
    }
}
