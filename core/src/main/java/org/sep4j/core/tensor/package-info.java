/**
 * Tensor files: the safetensors format (the exchange format of PyTorch checkpoints and of the
 * test fixtures that tools/fixtures writes), read and written without ND4J.
 */
package org.sep4j.core.tensor;
