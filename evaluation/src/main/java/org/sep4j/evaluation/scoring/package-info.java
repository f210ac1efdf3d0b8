/**
 * Scoring folders of estimates against folders of references: the DCASE 2025 Task 4 layout
 * ({@code <soundscape>_<Label>.wav}, CA-SDRi) and plain paired folders (same file names), with
 * missing and extra files reported, never skipped silently. {@code sep4j eval} is its front end.
 */
package org.sep4j.evaluation.scoring;
