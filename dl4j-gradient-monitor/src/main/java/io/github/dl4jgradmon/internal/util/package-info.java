/**
 * Internal helpers shared by every package: {@link io.github.dl4jgradmon.internal.util.Checks} (option validation whose
 * messages name the option, the rule and the value) and {@link io.github.dl4jgradmon.internal.util.Text} (numbers and layers
 * in messages). Public only so the other packages can use them; not an API.
 */
package io.github.dl4jgradmon.internal.util;
