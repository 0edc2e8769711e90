/**
 * The {@code gradmon} command line ({@link io.github.dl4jgradmon.cli.Gradmon}): {@code check}, a pre-flight gradient
 * check of a DL4J model ({@code io.github.dl4jgradmon.cli.check}), and {@code report}, a stats file as an HTML
 * report. An application, not a library: nothing here is API.
 */
package io.github.dl4jgradmon.cli;
