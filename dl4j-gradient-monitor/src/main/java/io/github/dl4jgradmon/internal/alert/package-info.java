/**
 * Internal: {@code AlertDelivery} hands every alert to the history, the log and the user's handlers, each isolated;
 * {@code Faults} contains and counts failures inside the monitor and decides which errors must pass.
 */
package io.github.dl4jgradmon.internal.alert;
