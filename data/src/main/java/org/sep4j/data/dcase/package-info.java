/**
 * The DCASE 2025 Task 4 (S5) folder layout: {@code soundscape/<name>.wav} (4-channel mixtures),
 * {@code oracle_target/<name>_<Label>.wav} (dry targets at the reference channel) and
 * {@code metadata/<name>.json}; read from the official data and written by {@code sep4j generate},
 * so every tool works on both.
 */
package org.sep4j.data.dcase;
