/**
 * SSLAM pre-training and evaluation on the EAT encoder ({@code models.sslam}): the masking of the
 * student's patches, the EMA teacher's targets and the losses, as the spec describes them.
 */
package org.sep4j.training.sslam;
