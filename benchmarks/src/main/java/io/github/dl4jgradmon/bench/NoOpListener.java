package io.github.dl4jgradmon.bench;

import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * A listener that does nothing. DL4J trains a network a little differently once any listener is attached (it hands
 * activations to {@code onForwardPass}, opens workspace scopes for the callbacks); comparing with this listener
 * measures a listener's own cost without that difference.
 */
final class NoOpListener extends BaseTrainingListener {
}
