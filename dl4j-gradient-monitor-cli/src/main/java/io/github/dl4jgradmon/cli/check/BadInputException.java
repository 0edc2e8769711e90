package io.github.dl4jgradmon.cli.check;

import java.io.Serial;

/** Input the check tool cannot work with; the message is the one line shown to the user (exit code 2). */
final class BadInputException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message, null, false, false);
    }
}
