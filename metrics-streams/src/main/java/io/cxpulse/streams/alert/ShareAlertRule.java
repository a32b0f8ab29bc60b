package io.cxpulse.streams.alert;

import java.util.List;

import io.cxpulse.common.LayeredConfig;
import io.cxpulse.common.Setting;

import org.apache.kafka.common.config.ConfigException;

/**
 * When a share that should not rise (the detractor share of NPS responses, a touchpoint's friction rate) is
 * significantly above its trailing 7-day baseline in the last hour.
 *
 * <p>With n responses in the hour, d of them detractors (or n events, d of them with friction), and a baseline share
 * p0 from the 7 days before the hour, the hour's share p = d / n is compared with p0 in units of the standard error it
 * would have if nothing had changed: z = (p - p0) / sqrt(p0 (1 - p0) / n). An alert opens when z > {@code openZ} (3 by
 * default) and n is at least {@code minResponses} (30); an open alert resolves when z falls to {@code resolveZ} (1) or
 * below, so it does not flap around the threshold. A baseline of exactly 0 % or 100 % has no variance; p0 is then
 * taken as 0.5 / n0 or 1 - 0.5 / n0 (half a response) for the standard error only. Without a baseline (n0 = 0) there
 * is nothing to compare with and no alert opens. An hour without responses (n = 0) says nothing either way: it
 * neither opens an alert nor resolves one (alerts are evaluated on the current hour by the clock, which a quiet
 * night leaves empty).
 *
 * @param openZ        standard errors above baseline that open an alert
 * @param resolveZ     standard errors above baseline at or below which an open alert resolves
 * @param minResponses the fewest responses in the hour for an alert to open
 */
public record ShareAlertRule(double openZ, double resolveZ, int minResponses) {
    public ShareAlertRule {
        if (resolveZ > openZ) {
            throw new IllegalArgumentException("resolveZ (" + resolveZ + ") must not exceed openZ (" + openZ + ")");
        }
    }

    /**
     * The declarations of a rule's settings: {@code <prefix>.z}, {@code <prefix>.resolve.z} and
     * {@code <prefix>.<minimum>}.
     *
     * @param what           what the share is of, for the docs
     * @param minimum        the key's last part for the fewest in the hour, such as {@code min.responses}
     * @param minimumDefault its default
     */
    public static Keys keys(String prefix, String what, String minimum, int minimumDefault) {
        return new Keys(Setting.number(prefix + ".z", "3", "Standard errors above its 7-day baseline the 1h "
                        + what + " must be for an alert to open."),
                Setting.number(prefix + ".resolve.z", "1", "At or below this many standard errors an open alert "
                        + "resolves (at most `" + prefix + ".z`)."),
                Setting.integer(prefix + "." + minimum, minimumDefault, 1, 1_000_000,
                        "The fewest " + minimum.substring(minimum.lastIndexOf('.') + 1)
                                + " in the hour for an alert to open."));
    }

    /** The declarations of a rule's settings. */
    public record Keys(Setting<Double> openZ, Setting<Double> resolveZ, Setting<Integer> minimum) {
        public List<Setting<?>> all() {
            return List.of(openZ, resolveZ, minimum);
        }

        /** The rule in {@code config}; a resolve z above the open z fails naming its key. */
        public ShareAlertRule read(LayeredConfig config) {
            double open = openZ.read(config);
            double resolve = resolveZ.read(config);
            if (resolve > open) {
                throw new ConfigException(resolveZ.key(), resolve, "must not exceed " + openZ.key() + " (" + open
                        + ")");
            }
            return new ShareAlertRule(open, resolve, minimum.read(config));
        }
    }

    /** What the rule finds for one hour against one baseline. */
    public record Evaluation(long responses, double observed, long baselineResponses, double baseline, Double z,
            boolean breach, boolean recovered) {
    }

    /**
     * Evaluates a share of {@code hits} in {@code n} in the alert window against {@code baselineHits} in
     * {@code baselineN} over the baseline window; {@code minResponses} is then the fewest events to alert on.
     */
    public Evaluation evaluate(long n, long hits, long baselineN, long baselineHits) {
        long n0 = baselineN;
        double p = n == 0 ? 0 : (double) hits / n;
        double p0 = n0 == 0 ? 0 : (double) baselineHits / n0;
        if (n == 0) {
            return new Evaluation(n, p, n0, p0, null, false, false);
        }
        if (n0 == 0) {
            return new Evaluation(n, p, n0, p0, null, false, true);
        }
        double floor = 0.5 / n0;
        double p0ForError = Math.min(Math.max(p0, floor), 1 - floor);
        double z = (p - p0) / Math.sqrt(p0ForError * (1 - p0ForError) / n);
        return new Evaluation(n, p, n0, p0, z, n >= minResponses && z > openZ, z <= resolveZ);
    }
}
