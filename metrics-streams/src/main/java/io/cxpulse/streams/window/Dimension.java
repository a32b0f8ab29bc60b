package io.cxpulse.streams.window;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;

/**
 * What a survey aggregate is cut by: all responses, a segment, a channel, a touchpoint, or a segment and a
 * channel together. Its {@link #key(SurveyMetric) key} is the Kafka key of the aggregates, and of the state
 * stores that hold them, for example {@code NPS|segment=smb|channel=WEB}.
 */
public record Dimension(Kind kind, String segment, String channel, String touchpoint) {
    /** The five cuts. */
    public enum Kind { ALL, SEGMENT, CHANNEL, TOUCHPOINT, SEGMENT_CHANNEL }

    public static final Dimension ALL = new Dimension(Kind.ALL, null, null, null);

    public static Dimension segment(String segment) {
        return new Dimension(Kind.SEGMENT, segment, null, null);
    }

    public static Dimension channel(String channel) {
        return new Dimension(Kind.CHANNEL, null, channel, null);
    }

    public static Dimension touchpoint(String touchpoint) {
        return new Dimension(Kind.TOUCHPOINT, null, null, touchpoint);
    }

    public static Dimension segmentAndChannel(String segment, String channel) {
        return new Dimension(Kind.SEGMENT_CHANNEL, segment, channel, null);
    }

    /** Every dimension a response counts in: all, and each cut whose values it carries. */
    public static List<Dimension> of(SurveyResponse response) {
        return countedIn(response.getSegment(),
                response.getChannel() == null ? null : response.getChannel().name(), response.getTouchpoint());
    }

    /** Every dimension a response with these (each optional) values counts in. */
    public static List<Dimension> countedIn(String segment, String channel, String touchpoint) {
        List<Dimension> dimensions = new ArrayList<>(5);
        dimensions.add(ALL);
        if (segment != null) {
            dimensions.add(segment(segment));
        }
        if (channel != null) {
            dimensions.add(channel(channel));
        }
        if (touchpoint != null) {
            dimensions.add(touchpoint(touchpoint));
        }
        if (segment != null && channel != null) {
            dimensions.add(segmentAndChannel(segment, channel));
        }
        return dimensions;
    }

    /**
     * The dimension a query names, from its optional segment, channel and touchpoint; empty for a combination
     * that is not kept (a touchpoint with anything else).
     */
    public static Optional<Dimension> of(String segment, String channel, String touchpoint) {
        if (touchpoint != null) {
            return segment == null && channel == null ? Optional.of(touchpoint(touchpoint)) : Optional.empty();
        }
        if (segment != null && channel != null) {
            return Optional.of(segmentAndChannel(segment, channel));
        }
        if (segment != null) {
            return Optional.of(segment(segment));
        }
        return Optional.of(channel != null ? channel(channel) : ALL);
    }

    /** The values that define this cut, by name: empty for all. */
    public Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        if (segment != null) {
            values.put("segment", segment);
        }
        if (channel != null) {
            values.put("channel", channel);
        }
        if (touchpoint != null) {
            values.put("touchpoint", touchpoint);
        }
        return values;
    }

    /** The store and topic key: the metric, then each value as name=value; | = and % in values are escaped. */
    public String key(SurveyMetric metric) {
        StringBuilder key = new StringBuilder(metric.name());
        if (kind == Kind.ALL) {
            return key.append("|all").toString();
        }
        values().forEach((name, value) -> key.append('|').append(name).append('=').append(escape(value)));
        return key.toString();
    }

    /** The metric and dimension of a {@link #key(SurveyMetric) key}. */
    public static Keyed parse(String key) {
        String[] parts = key.split("\\|");
        SurveyMetric metric = SurveyMetric.valueOf(parts[0]);
        if (parts.length == 2 && parts[1].equals("all")) {
            return new Keyed(metric, ALL);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("not a dimension key: " + key);
            }
            values.put(parts[i].substring(0, equals), unescape(parts[i].substring(equals + 1)));
        }
        Dimension dimension = of(values.get("segment"), values.get("channel"), values.get("touchpoint"))
                .filter(d -> d.values().equals(values))
                .orElseThrow(() -> new IllegalArgumentException("not a dimension key: " + key));
        return new Keyed(metric, dimension);
    }

    /** A metric and a dimension: what one key names. */
    public record Keyed(SurveyMetric metric, Dimension dimension) {
    }

    public static String escape(String value) {
        int first = 0;
        while (first < value.length() && !needsEscape(value.charAt(first))) {
            first++;
        }
        if (first == value.length()) {
            return value;
        }
        StringBuilder escaped = new StringBuilder(value.length() + 8).append(value, 0, first);
        for (int i = first; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '%' -> escaped.append("%25");
                case '|' -> escaped.append("%7C");
                case '=' -> escaped.append("%3D");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static boolean needsEscape(char c) {
        return c == '%' || c == '|' || c == '=';
    }

    public static String unescape(String value) {
        return value.replace("%7C", "|").replace("%3D", "=").replace("%25", "%");
    }
}
