package io.github.dl4jgradmon.internal.react;

/**
 * Restoring the parameters and updater state of a skipped step failed at {@code iterationDone}: the message says what
 * the model now holds. The monitor handles it as a protection lapse; it never reaches the user's code.
 */
public final class RestoreFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    RestoreFailedException(String outcome, Throwable cause) {
        super(outcome, cause);
    }

    /** What became of the step, for the lapse alert. */
    public String outcome() {
        return getMessage();
    }
}
