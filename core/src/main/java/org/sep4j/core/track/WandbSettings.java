package org.sep4j.core.track;

import java.util.Locale;

/**
 * How to reach Weights &amp; Biases. The API key comes from the environment ({@code WANDB_API_KEY}),
 * never from config files, so it never lands in a saved {@code config.yaml}.
 *
 * @param mode          online (send and keep an offline log), offline (log only, sync later) or disabled
 * @param baseUrl       API server, e.g. https://api.wandb.ai
 * @param entity        user or team; null for the key's default entity
 * @param project       project name
 * @param apiKey        API key; required online
 * @param retries       attempts per request before giving up and switching to offline
 * @param backoffMillis first retry delay; doubles each attempt
 */
public record WandbSettings(Mode mode, String baseUrl, String entity, String project, String apiKey, int retries,
        long backoffMillis) {

    public enum Mode {
        ONLINE, OFFLINE, DISABLED;

        public static Mode parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "online" -> ONLINE;
                case "offline" -> OFFLINE;
                case "disabled", "off", "false" -> DISABLED;
                default -> throw new IllegalArgumentException("wandb.mode must be online, offline or disabled, got '" + s + "'");
            };
        }
    }

    public WandbSettings {
        if (mode == Mode.ONLINE && (apiKey == null || apiKey.isBlank())) {
            throw new IllegalArgumentException("wandb.mode=online needs an API key in the WANDB_API_KEY environment "
                    + "variable (or use wandb.mode=offline and 'sep4j wandb sync <run-dir>' later)");
        }
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("wandb.project must be set");
        }
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("wandb.base_url must be an http(s) URL, got '" + baseUrl + "'");
        }
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (retries < 1) {
            throw new IllegalArgumentException("wandb.retries must be at least 1, got " + retries);
        }
    }

    public WandbSettings withMode(Mode m) {
        return new WandbSettings(m, baseUrl, entity, project, apiKey, retries, backoffMillis);
    }
}
