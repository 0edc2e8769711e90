/**
 * Internal: the machinery behind the public API, in sub-packages that no user code should depend on. They change
 * without notice; the public API is what {@code api/public-api.txt} lists outside {@code io.github.dl4jgradmon.internal}.
 * <ul>
 *   <li>{@code internal.model}: {@code ModelAdapter}, the one place that knows DL4J's network types and reads each
 *   parameter's place from DL4J's own views;</li>
 *   <li>{@code internal.stats}: the read paths over DL4J's flat buffers (host kernels, ND4J operations), the raw sums
 *   and their assembly into snapshots;</li>
 *   <li>{@code internal.react}: the reactions a step goes through (skipping, clipping, back-off, lapses);</li>
 *   <li>{@code internal.alert}: alert delivery and fault containment;</li>
 *   <li>{@code internal.util}: argument checks and text formatting.</li>
 * </ul>
 */
package io.github.dl4jgradmon.internal;
