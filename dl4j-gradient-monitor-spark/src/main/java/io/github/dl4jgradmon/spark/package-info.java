/** The GradientMonitor on Spark (placeholder, replaced below). */
package io.github.dl4jgradmon.spark;
