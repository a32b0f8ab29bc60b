package io.cxpulse.streams.alert;

/** The evidence of a share alert as docs/design.md defines it, written out apart from the code, for tests. */
public final class ExpectedEvidence {
    private ExpectedEvidence() {
    }

    /**
     * The evidence of {@code hits} and {@code misses} for a rise of {@code rise} over a baseline of
     * {@code baselineHits} in {@code baselineN}: p0 is the upper end of the baseline's one-sided 95 % Wilson
     * interval, p1 = p0 + rise, and each hit adds ln(p1 / p0), each miss ln((1 - p1) / (1 - p0)).
     */
    public static double of(long baselineHits, long baselineN, double rise, long hits, long misses) {
        double z = 1.6448536269514722;
        double p = (double) baselineHits / baselineN;
        double p0 = (p + z * z / (2 * baselineN) + z * Math.sqrt(p * (1 - p) / baselineN
                + z * z / (4.0 * baselineN * baselineN))) / (1 + z * z / baselineN);
        double p1 = p0 + rise;
        return hits * Math.log(p1 / p0) + misses * Math.log((1 - p1) / (1 - p0));
    }
}
