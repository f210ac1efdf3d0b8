/**
 * Experiments assembled from YAML the way Hydra does it: config groups are folders, a file may
 * start with a {@code defaults:} list, the command line selects group options and overrides keys,
 * {@code ${a.b}} interpolations resolve through Typesafe Config, and components bind their block
 * into typed records that reject unknown or mistyped keys before any work starts.
 *
 * <p>Composition order (fixed): the defaults list of a file is processed in order, each group
 * option merged at its package (the group path unless a {@code # @package} header says otherwise),
 * and the file's own content merged where {@code _self_} stands — at the end when it is absent, so
 * a file overrides its defaults. Group choices: command line, then {@code override} entries of
 * composed files, then the defaults lists. Value overrides from the command line apply last.
 * Group paths in defaults lists always start at the config root (Hydra's {@code /group} form; a
 * leading slash is accepted), so an experiment in {@code experiment/ablation/} still says
 * {@code override model: big}.
 */
package org.sep4j.core.config;
