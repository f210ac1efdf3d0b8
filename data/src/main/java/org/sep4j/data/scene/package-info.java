/**
 * Spatial sound scenes the way the DCASE 2025 Task 4 (S5) data is made: targets, interference and
 * background in a simulated (or measured) room, recorded by a 4-channel array, with dry target
 * references at the reference channel and weak/strong labels. Item i of a dataset with seed s is
 * the same bytes everywhere.
 */
package org.sep4j.data.scene;
