package org.sep4j.core.track;

import java.nio.file.Path;

/**
 * Identity of one run.
 *
 * @param id      stable id (the run folder's name unless configured)
 * @param name    display name
 * @param group   experiment the run belongs to
 * @param dir     the run folder
 */
public record RunInfo(String id, String name, String group, Path dir) {
}
