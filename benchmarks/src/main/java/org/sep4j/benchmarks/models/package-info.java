/** Benchmarks of the training engine: forward + backward of layer stacks. */
package org.sep4j.benchmarks.models;
