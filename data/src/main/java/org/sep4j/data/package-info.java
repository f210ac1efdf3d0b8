/**
 * Sound libraries, scene generators, dataset readers and writers (the DCASE 2025 Task 4 layout)
 * and batch loaders. Filled in by the sound-scene issue.
 */
package org.sep4j.data;
