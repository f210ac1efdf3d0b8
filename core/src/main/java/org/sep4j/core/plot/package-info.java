/** PNG charts drawn with Java2D for reports and learning curves: histograms, bars, lines. */
package org.sep4j.core.plot;
