/** Progress bars for the loops a person waits for: generation, training, evaluation. */
package org.sep4j.core.progress;
