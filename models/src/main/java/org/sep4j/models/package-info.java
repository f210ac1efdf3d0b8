/**
 * SameDiff layers and the model zoo (SED tagger, ResUNet separator and the later seed systems),
 * ONNX Runtime inference and export, checkpoint import. Filled in by the engine and model issues.
 */
package org.sep4j.models;
