/**
 * Layers over ND4J SameDiff with PyTorch semantics and PyTorch state_dict parameter names, so a
 * checkpoint exported from PyTorch (safetensors) loads by name. A {@link org.sep4j.models.nn.Graph}
 * holds the SameDiff graph, its parameters and the train/eval mode; a {@link
 * org.sep4j.models.nn.Module} adds its part under a name prefix ({@code encoder.0.conv1}).
 *
 * <p>Tensor layouts follow PyTorch: linear inputs {@code [..., features]}, images {@code [B, C, H, W]}
 * (NCHW), convolution weights {@code [out, in/groups, kH, kW]}, linear weights {@code [out, in]}.
 */
package org.sep4j.models.nn;
