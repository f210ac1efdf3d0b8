package org.sep4j.sim.room;

import java.util.ArrayList;
import java.util.List;

/**
 * Microphones relative to an array centre: positions, axes (for directivity) and the directivity.
 *
 * @param offsets    microphone positions relative to the centre
 * @param axes       unit look directions
 * @param directivity the capsules' pattern
 */
public record MicArray(List<Vec3> offsets, List<Vec3> axes, Directivity directivity) {

    /** The radius of the tetrahedral FOA-style array the DCASE S5 data was recorded with (~4.2 cm). */
    public static final double TETRA_RADIUS = 0.042;

    public MicArray {
        if (offsets.isEmpty() || offsets.size() != axes.size()) {
            throw new IllegalArgumentException("a microphone array needs one axis per microphone, got "
                    + offsets.size() + " positions and " + axes.size() + " axes");
        }
        List<Vec3> unit = new ArrayList<>();
        for (Vec3 a : axes) {
            unit.add(a.unit());
        }
        offsets = List.copyOf(offsets);
        axes = List.copyOf(unit);
    }

    public int channels() {
        return offsets.size();
    }

    /** One omnidirectional microphone at the centre. */
    public static MicArray mono() {
        return new MicArray(List.of(new Vec3(0, 0, 0)), List.of(new Vec3(1, 0, 0)), Directivity.OMNI);
    }

    /**
     * Four capsules on a tetrahedron (front-left-up, front-right-down, back-left-down,
     * back-right-up, as in Ambisonic A-format arrays), each looking outwards.
     */
    public static MicArray tetrahedral(double radius, Directivity directivity) {
        double s = 1 / Math.sqrt(3);
        List<Vec3> dirs = List.of(new Vec3(s, s, s), new Vec3(s, -s, -s), new Vec3(-s, s, -s), new Vec3(-s, -s, s));
        List<Vec3> pos = new ArrayList<>();
        for (Vec3 d : dirs) {
            pos.add(d.times(radius));
        }
        return new MicArray(pos, dirs, directivity);
    }

    /** Arbitrary omnidirectional geometry. */
    public static MicArray of(List<Vec3> offsets) {
        List<Vec3> axes = new ArrayList<>();
        for (int i = 0; i < offsets.size(); i++) {
            axes.add(new Vec3(1, 0, 0));
        }
        return new MicArray(offsets, axes, Directivity.OMNI);
    }
}
