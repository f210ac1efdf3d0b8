/**
 * ONNX interop: {@link org.sep4j.models.onnx.OrtModel} runs a {@code .onnx} file in ONNX Runtime
 * (CPU, or CUDA when a GPU and its libraries are present) on ND4J arrays;
 * {@link org.sep4j.models.onnx.OnnxExporter} writes sep4j graphs out. Pretrained foreign models
 * exported from PyTorch by {@code tools/export/} serve as sep4j components through adapters with
 * fixed input/output contracts: {@link org.sep4j.models.onnx.M2dEncoder},
 * {@link org.sep4j.models.onnx.FbankEncoder} (EAT/SSLAM) and {@link org.sep4j.models.onnx.ClapEncoder}
 * (with the {@link org.sep4j.models.onnx.ByteLevelBpe} tokenizer).
 */
package org.sep4j.models.onnx;
