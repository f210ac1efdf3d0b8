/**
 * Optimisers, parameter groups, gradient clipping and learning-rate schedules with PyTorch's
 * update rules (torch.optim.AdamW/Adam/SGD), applied to ND4J arrays outside the graph so that
 * groups, frozen prefixes and layer-wise decay are plain Java.
 */
package org.sep4j.training.optim;
