package org.sep4j.data.scene;

/** A fixed, numbered set of scenes (read or replayed rather than drawn), such as an official validation list. */
public interface SceneSet {

    int size();

    /** Scene {@code i}, 0 ≤ i < size(); the same scene on every call. */
    Scene scene(int i);
}
