package org.sep4j.data.loader;

/** Items by index, computed on demand (generated scenes) or read from disk. Must be thread-safe. */
public interface Dataset<T> {

    long size();

    T get(long index);
}
