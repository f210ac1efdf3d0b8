/**
 * Sound libraries: class name → clips. {@link org.sep4j.data.library.ProceduralLibrary} synthesises
 * the 18 DCASE 2025 Task 4 target classes, interference classes and background noises from a seed
 * (the embedded default: no downloads); {@link org.sep4j.data.library.FolderLibrary} reads
 * {@code <root>/<class>/*.wav}.
 */
package org.sep4j.data.library;
