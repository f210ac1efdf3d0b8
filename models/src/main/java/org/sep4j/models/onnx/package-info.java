/**
 * ONNX interop: {@link org.sep4j.models.onnx.OrtModel} runs a {@code .onnx} file in ONNX Runtime
 * (CPU, or CUDA when a GPU and its libraries are present) on ND4J arrays, so pretrained foreign
 * models (M2D, CLAP, EAT/SSLAM exported from PyTorch) serve as sep4j components.
 */
package org.sep4j.models.onnx;
