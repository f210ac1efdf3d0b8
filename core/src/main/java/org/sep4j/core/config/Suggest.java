package org.sep4j.core.config;

import java.util.Collection;

/** "Did you mean ...": the closest candidate by edit distance, when it is close enough. */
final class Suggest {

    private Suggest() {
    }

    static String closest(String wrong, Collection<String> candidates) {
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(wrong.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDist) {
                best = c;
                bestDist = d;
            }
        }
        return best != null && bestDist <= Math.max(2, wrong.length() / 3) ? best : null;
    }

    /** " (did you mean 'x'?)" or "". */
    static String hint(String wrong, Collection<String> candidates) {
        String c = closest(wrong, candidates);
        return c == null ? "" : " (did you mean '" + c + "'?)";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
