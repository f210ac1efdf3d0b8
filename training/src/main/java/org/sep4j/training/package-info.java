/**
 * Training and running: the trainer, optimisers and checkpoints (later issues) and the
 * {@code sep4j} command line in {@link org.sep4j.training.cli}.
 */
package org.sep4j.training;
