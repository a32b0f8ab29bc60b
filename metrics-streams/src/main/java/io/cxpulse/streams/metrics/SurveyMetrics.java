package io.cxpulse.streams.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.streams.alert.ShareAlertRule;
import io.cxpulse.streams.alert.ShareAlertRule.Severity;
import io.cxpulse.streams.survey.ScoreHistogram;
import io.cxpulse.streams.survey.SurveyFigures;
import io.cxpulse.streams.survey.SurveyObserver;
import io.cxpulse.streams.window.Dimension;
import io.cxpulse.streams.window.RollingWindow;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * The survey topology's meters: counters as it goes ({@code cx_survey_responses_total} after deduplication,
 * {@code cx_late_events_total}, {@code cx_dead_letters_total}, {@code cx_duplicate_events_total}) and gauges of
 * the latest windows ({@code cx_nps}, {@code cx_nps_responses}, {@code cx_nps_margin_of_error},
 * {@code cx_detractor_ratio}, {@code cx_csat_ratio}, {@code cx_ces_mean}, labelled window, segment, channel).
 * Segment labels are bounded by a {@link LabelSet}: the configured segments (or, without a list, the first
 * {@code topN} seen in counters and the {@code topN} with the most responses in 7 days in gauges) keep their own
 * label, the others are merged as {@code other}. The detractor alerts' statistic and state are gauges too,
 * {@code cx_detractor_alert_evidence} and {@code cx_detractor_alert_open} (labelled severity and segment, for all
 * responses and the segments with their own label). Gauges cover the keys this instance's tasks own.
 */
public final class SurveyMetrics extends IntakeMeters<SurveyResponse, SurveyMetrics.BoardKey, GaugeRows.Entry>
        implements SurveyObserver {
    private final MeterRegistry registry;
    private static final String ALL = "all";
    private final LabelSet segments;
    private final Map<String, MultiGauge> gauges = new ConcurrentHashMap<>();
    private final AlertGauges alerts;

    public SurveyMetrics(MeterRegistry registry, int topN) {
        this(registry, LabelSet.firstSeen(topN));
    }

    public SurveyMetrics(MeterRegistry registry, LabelSet segments) {
        super(registry, "survey_response");
        this.registry = registry;
        this.segments = segments;
        this.alerts = new AlertGauges(meters, "cx.detractor.alert", "detractor share of NPS responses",
                List.of("segment"));
    }

    @Override
    public void counted(SurveyResponse response) {
        String metric = response.getMetric().name();
        String category = category(response.getMetric(), response.getScore());
        String segment = response.getSegment() == null ? "none" : segments.counterLabel(response.getSegment());
        String channel = response.getChannel() == null ? "none" : response.getChannel().name();
        meters.counter("cx.survey.responses", "Survey responses counted once each (after deduplication)",
                "metric", metric, "category", category, "segment", segment, "channel", channel).increment();
    }



    @Override
    public void figures(String task, Dimension.Keyed key, RollingWindow window, long windowEnd,
            ScoreHistogram histogram) {
        board.put(task, new BoardKey(key, window), new GaugeRows.Entry(key, window, histogram.copy()));
    }

    /** A key and window: the board holds the latest figures of each. */
    record BoardKey(Dimension.Keyed key, RollingWindow window) {
    }


    @Override
    public void alert(String task, Dimension.Keyed key, ShareAlertRule.Evaluation evaluation,
            Map<Severity, Boolean> open) {
        String segment = key.dimension().segment();
        alerts.evaluated(task, List.of(segment == null ? ALL : segment), evaluation, open);
    }

    @Override
    public void closed(String task) {
        board.closed(task);
        alerts.closed(task);
    }


    /** Sets the gauges from the latest figures; call before a scrape. */
    public void refreshGauges() {
        List<GaugeRows.Entry> entries = new ArrayList<>(board.merged(entry -> entry, (a, b) -> a).values());
        Set<String> top = segments.gaugeLabels(GaugeRows.segmentVolumes(entries));
        Map<GaugeRows.Row, ScoreHistogram> rows = GaugeRows.rows(entries, top);
        register("cx.nps", "NPS of the latest window, -100 to 100", rows, SurveyMetric.NPS, SurveyFigures::nps);
        register("cx.nps.responses", "Responses in the latest NPS window", rows, SurveyMetric.NPS,
                figures -> (double) figures.responses());
        register("cx.nps.margin.of.error", "95 % margin of error of the latest NPS, in NPS points", rows,
                SurveyMetric.NPS, SurveyFigures::marginOfError);
        register("cx.detractor.ratio", "Share of detractors (0-6) in the latest NPS window", rows,
                SurveyMetric.NPS, SurveyFigures::detractorRatio);
        register("cx.csat.ratio", "Share of CSAT responses scoring 4 or 5 in the latest window", rows,
                SurveyMetric.CSAT, SurveyFigures::csatRatio);
        register("cx.ces.mean", "Mean CES score (1-7, 7 = easiest) in the latest window", rows, SurveyMetric.CES,
                SurveyFigures::cesMean);
        alerts.refresh(row -> ALL.equals(row.get(0)) || top.contains(row.get(0)));
    }

    private void register(String name, String description, Map<GaugeRows.Row, ScoreHistogram> rows,
            SurveyMetric metric, Function<SurveyFigures, Double> value) {
        List<MultiGauge.Row<?>> gaugeRows = new ArrayList<>();
        rows.forEach((row, histogram) -> {
            if (row.metric() == metric) {
                Double figure = value.apply(histogram.figures());
                if (figure != null) {
                    gaugeRows.add(MultiGauge.Row.of(Tags.of("window", row.window(), "segment", row.segment(),
                            "channel", row.channel()), figure));
                }
            }
        });
        gauges.computeIfAbsent(name, n -> MultiGauge.builder(n).description(description).register(registry))
                .register(gaugeRows, true);
    }


    /**
     * The category of a score: promoter, passive or detractor for NPS; satisfied, neutral or dissatisfied for CSAT;
     * easy, neutral or hard for CES.
     */
    static String category(SurveyMetric metric, int score) {
        return switch (metric) {
            case NPS -> score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
            case CSAT -> score >= 4 ? "satisfied" : score == 3 ? "neutral" : "dissatisfied";
            case CES -> score >= 5 ? "easy" : score == 4 ? "neutral" : "hard";
            default -> "unknown";
        };
    }
}
