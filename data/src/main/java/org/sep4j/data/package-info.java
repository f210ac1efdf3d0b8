/**
 * Datasets: sound libraries, scene generation, the DCASE layout and loaders. {@link
 * org.sep4j.data.DataConfig} is the typed {@code data:} block of a run's config.
 */
package org.sep4j.data;
