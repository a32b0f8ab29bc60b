package io.cxpulse.common;

/** The event contract's eventIds: UUID strings in their canonical form. */
public final class Uuids {
    private static final boolean[] HEX = hexDigits();

    private Uuids() {
    }

    /** Whether {@code text} is a UUID in its canonical 36-character form (ASCII hex digits, either case). */
    public static boolean isUuid(String text) {
        if (text.length() != 36 || text.charAt(8) != '-' || text.charAt(13) != '-' || text.charAt(18) != '-'
                || text.charAt(23) != '-') {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            if (c >= HEX.length || !HEX[c]) {
                if (i != 8 && i != 13 && i != 18 && i != 23) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * {@code uuid} in lower case: the one form in which an eventId is written and deduplicated, so that an id sent
     * in upper case and again in lower case counts once.
     */
    public static String normalize(String uuid) {
        return uuid.toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean[] hexDigits() {
        boolean[] hex = new boolean['g'];
        for (char c : "0123456789abcdefABCDEF".toCharArray()) {
            hex[c] = true;
        }
        return hex;
    }
}
