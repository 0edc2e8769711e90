package io.github.dl4jgradmon.ui;

import org.deeplearning4j.ui.VertxUIServer;

/** The DL4J UI server is a JVM-wide singleton: each test class starts it on a free port and stops it. */
final class UiServers {

    private UiServers() {
    }

    static VertxUIServer start() {
        return VertxUIServer.getInstance(0, false, null);
    }

    static void stop(VertxUIServer server) throws InterruptedException {
        if (server != null) {
            server.stop();
        }
    }
}
