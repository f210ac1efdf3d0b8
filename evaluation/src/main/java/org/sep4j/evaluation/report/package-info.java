/** Result tables (markdown, CSV) and charts (PNG) written beside every evaluation. */
package org.sep4j.evaluation.report;
