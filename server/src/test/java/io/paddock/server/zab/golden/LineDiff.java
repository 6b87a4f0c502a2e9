package io.paddock.server.zab.golden;

import java.util.ArrayList;
import java.util.List;

/** A unified-diff-like rendering of two short lists of lines (longest common subsequence). */
final class LineDiff {
    private LineDiff() {
    }

    /**
     * The lines of {@code expected} and {@code actual} prefixed by {@code ' '}, {@code '-'} or
     * {@code '+'}, and the index in {@code expected} of the first difference (in {@code first[0]}).
     */
    static List<String> diff(List<String> expected, List<String> actual, int[] first) {
        int n = expected.size();
        int m = actual.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = expected.get(i).equals(actual.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        first[0] = -1;
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
                out.add(" " + expected.get(i));
                i++;
                j++;
                continue;
            }
            if (first[0] < 0) {
                first[0] = i;
            }
            if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("-" + expected.get(i++));
            } else {
                out.add("+" + actual.get(j++));
            }
        }
        return out;
    }

    /** Keeps {@code context} unchanged lines around each change and elides longer unchanged runs. */
    static List<String> trim(List<String> diff, int context) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < diff.size()) {
            if (!diff.get(i).startsWith(" ")) {
                out.add(diff.get(i++));
                continue;
            }
            int k = i;
            while (k < diff.size() && diff.get(k).startsWith(" ")) {
                k++;
            }
            int keepHead = i == 0 ? 0 : context;
            int keepTail = k == diff.size() ? 0 : context;
            if (k - i > keepHead + keepTail) {
                out.addAll(diff.subList(i, i + keepHead));
                out.add(" ...");
                out.addAll(diff.subList(k - keepTail, k));
            } else {
                out.addAll(diff.subList(i, k));
            }
            i = k;
        }
        return out;
    }
}
