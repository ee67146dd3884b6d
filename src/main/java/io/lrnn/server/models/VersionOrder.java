package io.lrnn.server.models;

import java.util.Comparator;

/** Orders versions numerically when both are whole numbers ("2" < "10"), else as text after them. */
final class VersionOrder implements Comparator<String> {

    static final VersionOrder INSTANCE = new VersionOrder();

    @Override
    public int compare(String a, String b) {
        boolean numericA = isNumber(a);
        boolean numericB = isNumber(b);
        if (numericA && numericB) {
            String x = strip(a);
            String y = strip(b);
            int byValue = x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
            return byValue != 0 ? byValue : a.compareTo(b);
        }
        if (numericA != numericB) {
            return numericA ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static String strip(String s) {
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }
}
