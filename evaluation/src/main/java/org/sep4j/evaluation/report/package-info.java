/** Result tables (markdown, CSV) written beside every evaluation; charts live in core.plot. */
package org.sep4j.evaluation.report;
