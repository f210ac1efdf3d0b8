/**
 * sep4j core: everything below the models that needs no machine learning — audio I/O, signal
 * processing, configuration and tensor files. Every other module builds on it.
 */
package org.sep4j.core;
