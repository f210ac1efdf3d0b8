package org.sep4j.training.experiment;

import org.sep4j.core.config.Doc;
import org.sep4j.core.track.WandbSettings;

/**
 * The {@code tracking:} block.
 *
 * @param local write metrics, summary and curves into the run folder
 * @param wandb Weights &amp; Biases
 */
public record TrackingSettings(@Doc("metrics.jsonl/csv, summary.json and PNG curves in the run folder") boolean local,
        Wandb wandb) {

    /**
     * The {@code tracking.wandb:} block; the API key comes from WANDB_API_KEY.
     */
    public record Wandb(@Doc("online | offline | disabled") String mode, @Doc("W&B project") String project,
            @Doc("user or team; null = the key's default") String entity, @Doc("API server") String baseUrl,
            @Doc("attempts per request") int retries, @Doc("first retry delay, ms (doubles)") long backoffMs) {

        public Wandb {
            WandbSettings.Mode.parse(mode);
        }

        public static Wandb defaults() {
            return new Wandb("disabled", "sep4j", null, "https://api.wandb.ai", 5, 1000);
        }

        /** Settings for the tracker, with the key from the environment. */
        public WandbSettings settings(String apiKey) {
            return new WandbSettings(WandbSettings.Mode.parse(mode), baseUrl, entity, project, apiKey, retries, backoffMs);
        }
    }

    public static TrackingSettings defaults() {
        return new TrackingSettings(true, Wandb.defaults());
    }
}
