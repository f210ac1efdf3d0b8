/**
 * Room acoustics: shoebox image-source room impulse responses, microphone arrays (tetrahedral,
 * binaural) and simulated worlds for agents. Filled in by the sound-scene issue.
 */
package org.sep4j.sim;
