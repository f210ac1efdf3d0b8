/**
 * FlowSep (ICASSP 2025, ../shared/specs/bisep-flowsep.md §FlowSep): language-queried separation by
 * rectified flow matching in a VAE latent. {@link org.sep4j.models.flowsep.RectifiedFlow} holds the
 * objective and the Euler sampler the networks train and sample with.
 */
package org.sep4j.models.flowsep;
