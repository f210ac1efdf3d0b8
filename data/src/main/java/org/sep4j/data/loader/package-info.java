/** Batches for training: worker threads, bounded prefetch, deterministic order whatever the worker count. */
package org.sep4j.data.loader;
