package org.sep4j.data.scene;

import java.util.ArrayList;
import java.util.List;

/**
 * One generated mixture with everything needed to train and score on it.
 *
 * @param index         item index in its dataset
 * @param sampleRate    samples per second
 * @param mixture       {@code [4][samples]} wet mixture
 * @param targets       target events (with dry references), sorted by onset
 * @param interferences interference events (no references)
 * @param background    background class
 * @param rt60          the room's reverberation time, seconds
 */
public record Scene(long index, int sampleRate, float[][] mixture, List<Event> targets, List<Event> interferences,
        String background, double rt60) {

    /**
     * One event of the scene.
     *
     * @param label  class
     * @param onset  first sample
     * @param offset one past the last sample
     * @param snrDb  level over the background, dB
     * @param dry    the dry reference at the reference channel ({@code [samples]}), null for interference
     */
    public record Event(String label, int onset, int offset, double snrDb, float[] dry) {
    }

    public int samples() {
        return mixture[0].length;
    }

    /** Multi-hot vector over {@code classes} (tagging target). */
    public float[] multiHot(List<String> classes) {
        float[] v = new float[classes.size()];
        for (Event e : targets) {
            v[index(classes, e.label())] = 1f;
        }
        return v;
    }

    /** {@code slots × classes} one-hot rows, targets in slot order, unused slots all zero (silence). */
    public float[] concat(List<String> classes, int slots) {
        float[] v = new float[slots * classes.size()];
        for (int s = 0; s < targets.size() && s < slots; s++) {
            v[s * classes.size() + index(classes, targets.get(s).label())] = 1f;
        }
        return v;
    }

    /** Strong labels {@code [frames][classes]}: 1 where a target sounds in the frame. */
    public float[][] strong(List<String> classes, int frames) {
        float[][] s = new float[frames][classes.size()];
        double perFrame = (double) samples() / frames;
        for (Event e : targets) {
            int c = index(classes, e.label());
            int f0 = (int) Math.floor(e.onset() / perFrame);
            int f1 = (int) Math.ceil(e.offset() / perFrame);
            for (int f = Math.max(0, f0); f < Math.min(frames, f1); f++) {
                s[f][c] = 1f;
            }
        }
        return s;
    }

    /** Target labels in slot order. */
    public List<String> labels() {
        List<String> l = new ArrayList<>();
        targets.forEach(e -> l.add(e.label()));
        return l;
    }

    private static int index(List<String> classes, String label) {
        int i = classes.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("label '" + label + "' is not among the classes " + classes);
        }
        return i;
    }
}
