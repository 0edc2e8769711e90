package io.github.dl4jgradmon;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicBoolean;

/** Logs a warning the first time only, then at DEBUG. */
final class WarnOnce {

    private final AtomicBoolean warned = new AtomicBoolean();

    void warn(Logger log, String format, Object... args) {
        if (warned.compareAndSet(false, true)) {
            log.warn(format, args);
        } else if (log.isDebugEnabled()) {
            log.debug(format, args);
        }
    }
}
