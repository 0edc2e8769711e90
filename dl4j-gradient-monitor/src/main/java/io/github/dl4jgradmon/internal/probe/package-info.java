/**
 * Internal: the through-time probe behind VANISHING on recurrent networks. {@code ThroughTime} decides when to probe
 * (only when STALLED is raised on a recurrent MultiLayerNetwork, at most once per 100 iterations) and turns a STALLED
 * alert into VANISHING when the input gradient does not reach the first time steps; {@code TimeProbe} measures
 * dLoss/dInput per time step on a private copy of the network (its configuration read back from JSON, its parameters
 * and 8 examples copied), on a thread of its own, so that training's random generator, workspaces and dropout are
 * never touched; {@code TimeProfile} summarises the per-step norms.
 */
package io.github.dl4jgradmon.internal.probe;
