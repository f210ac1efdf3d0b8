/** Benchmarks of data generation: S5 mixtures per second. */
package org.sep4j.benchmarks.data;
