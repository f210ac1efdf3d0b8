package org.sep4j.core.config;

/** A configuration problem a person can act on: the message names the key, the file and the fix. */
public final class ConfigError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigError(String message) {
        super(message);
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
