/** Benchmarks of the room simulator: image-source RIRs per second. */
package org.sep4j.benchmarks.sim;
