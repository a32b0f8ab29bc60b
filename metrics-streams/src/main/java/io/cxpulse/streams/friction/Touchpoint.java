package io.cxpulse.streams.friction;

import io.cxpulse.avro.Channel;
import io.cxpulse.streams.window.Dimension;

/**
 * A touchpoint: a journey step on a channel (the channel may be absent). Its key, {@code CHANNEL|step} with the
 * channel empty when absent and the step escaped as in {@link Dimension}, keys the friction buckets.
 */
public record Touchpoint(Channel channel, String step) {

    public String key() {
        return (channel == null ? "" : channel.name()) + "|" + Dimension.escape(step);
    }

    /** The touchpoint of {@code key}, or null when it is not one. */
    public static Touchpoint parse(String key) {
        if (key == null) {
            return null;
        }
        int bar = key.indexOf('|');
        if (bar < 0 || bar == key.length() - 1) {
            return null;
        }
        try {
            return new Touchpoint(bar == 0 ? null : Channel.valueOf(key.substring(0, bar)),
                    Dimension.unescape(key.substring(bar + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The channel's name, or "none". */
    public String channelLabel() {
        return channel == null ? "none" : channel.name();
    }
}
