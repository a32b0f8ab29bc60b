#!/usr/bin/env python3
"""Writes ops/grafana/dashboards/*.json: the four CX Pulse dashboards, with one layout and one datasource.

Each panel's target may carry "cxpulseRequiresData": true when a few seconds of `./cxpulse simulate` must give it
data (DashboardQueriesTest in cli runs every query against a real Prometheus and checks those); the others need
more than a short run (a 7-day baseline, durations that become final only after the grace period, breaches).
"""
import json
import os

DATASOURCE = {"type": "prometheus", "uid": "cxpulse-prometheus"}
HERE = os.path.dirname(os.path.abspath(__file__))


VARIABLES = {
    "segment": "label_values(cx_survey_responses_total, segment)",
    "channel": "label_values(cx_survey_responses_total, channel)",
}


def variables(names):
    def variable(name, query):
        return {"name": name, "label": name, "type": "query", "datasource": DATASOURCE, "query": query,
                "definition": query, "refresh": 2, "includeAll": True, "multi": True, "allValue": ".*",
                "current": {"selected": True, "text": "All", "value": "$__all"}, "sort": 1}
    return {"list": [variable(name, VARIABLES[name]) for name in names]}


def panel_options(kind, options):
    if options is not None:
        return options
    return {"legend": {"displayMode": "table", "placement": "bottom"}} if kind == "timeseries" else {}


def dashboard(uid, title, description, variable_names, rows):
    panels = []
    y = 0
    next_id = 1
    for row in rows:
        x = 0
        width = 24 // len(row)
        for panel in row:
            kind, title_, unit, targets, info = panel[:5]
            extra = panel[5] if len(panel) > 5 else {}
            instant = extra.get("instant", False)
            panels.append(dict({
                "id": next_id, "type": kind, "title": title_, "description": info, "datasource": DATASOURCE,
                "gridPos": {"x": x, "y": y, "w": width, "h": 8},
                "fieldConfig": extra.get("fieldConfig", {"defaults": {"unit": unit}, "overrides": []}),
                "options": panel_options(kind, extra.get("options")),
                "targets": [dict({"refId": chr(ord("A") + i), "datasource": DATASOURCE, "expr": expr,
                                  "legendFormat": legend},
                                 **({"instant": True, "range": False, "format": "table"} if instant else {}),
                                 **({"cxpulseRequiresData": True} if required else {}))
                            for i, (expr, legend, required) in enumerate(targets)],
            }, **({"transformations": extra["transformations"]} if "transformations" in extra else {})))
            next_id += 1
            x += width
        y += 8
    return {"uid": uid, "title": title, "description": description, "tags": ["cxpulse"], "timezone": "utc",
            "schemaVersion": 39, "version": 1, "editable": True, "refresh": "30s",
            "time": {"from": "now-6h", "to": "now"}, "templating": variables(variable_names), "panels": panels}


S = 'segment=~"$segment"'
C = 'channel=~"$channel"'
DASHBOARDS = {
    "cx-overview": dashboard("cxpulse-cx-overview", "CX Pulse: CX overview",
        "How customers feel: NPS, CSAT and CES by segment and channel with their margins of error, the detractor "
        "share against its baseline band and when its alerts fired, and response volume.", ["segment", "channel"], [
        [("timeseries", "NPS (1h) by segment", "none",
          [(f'cx_nps{{window="1h",{S},channel="all"}}', "{{segment}}", True)],
          "metrics-streams' rolling 1h NPS in event time, -100 to 100"),
         ("timeseries", "NPS (1h) by channel", "none",
          [(f'cx_nps{{window="1h",segment="all",{C}}}', "{{channel}}", True)], "Rolling 1h NPS per channel")],
        [("timeseries", "NPS margin of error (95 %)", "none",
          [(f'cx_nps_margin_of_error{{window="1h",{S},channel="all"}}', "{{segment}}", True)],
          "Half-width of the 95 % interval, in NPS points; under 30 responses the sample is thin"),
         ("timeseries", "CSAT and CES (1h)", "none",
          [(f'cx_csat_ratio{{window="1h",{S},channel="all"}}', "CSAT {{segment}}", True),
           (f'cx_ces_mean{{window="1h",{S},channel="all"}}', "CES mean {{segment}}", True)],
          "CSAT: share of 4-5; CES: mean on 1-7")],
        [("timeseries", "Detractor share against its 7-day baseline band", "percentunit",
          [(f'segment:cx_detractor_share:1h{{{S}}}', "1h {{segment}}", True),
           (f'segment:cx_detractor_share:7d_before1h{{{S}}}', "7d baseline {{segment}}", False),
           (f'segment:cx_detractor_share:band_upper1h{{{S}}}', "band {{segment}}", False),
           (f'segment:cx_detractor_share:band_lower1h{{{S}}}', "band {{segment}}", False)],
          "The last hour's share against the 7 days before it; the band is where an hour of this many responses "
          "lands 95 % of the time if nothing changed"),
         ("timeseries", "Detractor alert evidence, and when alerts fired", "none",
          [(f'max by (segment, severity) (cx_detractor_alert_evidence{{{S}}})', "evidence {{segment}} {{severity}}",
            True),
           (f'max by (segment, severity) (ALERTS{{alertname=~"DetractorRateRising|NpsDropped",alertstate="firing",{S}}})'
            ' * 20', "firing {{segment}} {{severity}}", False)],
          "metrics-streams' CUSUM of the evidence (nats) that the share rose 10 points (warning, opens above 10) or "
          "20 (critical, above 14); the firing lines are the alerts Prometheus sent, drawn at 20"),
        ],
        [("timeseries", "Responses per second", "reqps",
          [(f'sum by (metric) (rate(cx_survey_responses_total{{{S},{C}}}[$__rate_interval]))', "{{metric}}", True)],
          "Survey responses counted once each, after deduplication")],
    ]),
    "support-response-times": dashboard("cxpulse-support", "CX Pulse: support response times",
        "How fast support answers and resolves: percentiles, the backlog awaiting a first reply, SLA breaches, "
        "reopen and one-touch rates.", ["channel"], [
        [("timeseries", "First response p50 / p90 / p99 (24h)", "s",
          [(f'cx_ticket_response_time_seconds{{duration="first_response",window="24h",{C},priority="all"}}',
            "{{channel}} p{{quantile}}", False)],
          "DDSketch quantiles (1 % relative error) of durations that became final in the window"),
         ("timeseries", "p90 first response by channel (Prometheus histogram, 1h)", "s",
          [(f'channel:cx_ticket_first_response_seconds:p90_1h{{{C}}}', "{{channel}}", False)],
          "From cx_ticket_first_response_seconds buckets")],
        [("timeseries", "Awaiting a first reply, by age", "none",
          [('sum by (age) (cx_tickets_awaiting_first_response)', "{{age}}", True)],
          "Open tickets with no agent reply yet, by age at stream time"),
         ("timeseries", "First-response SLA breaches (1h)", "none",
          [('sum by (priority) (increase(cx_ticket_sla_breaches_total[1h]))', "{{priority}}", False)],
          "Tickets with no first reply within their priority's target")],
        [("timeseries", "Resolution p90 (24h)", "s",
          [(f'cx_ticket_response_time_seconds{{duration="full_resolution",window="24h",quantile="0.9",{C},priority="all"}}',
            "{{channel}}", False)], "OPENED to the last RESOLVED, each ticket once"),
         ("timeseries", "Reopen and one-touch rates (24h)", "percentunit",
          [(f'cx_ticket_reopen_ratio{{window="24h",{C},queue="all"}}', "reopened {{channel}}", False),
           (f'cx_ticket_one_touch_ratio{{window="24h",{C},queue="all"}}', "one touch {{channel}}", False)],
          "Of the tickets whose latest resolution fell in the window")],
    ]),
    "journey-friction": dashboard("cxpulse-friction", "CX Pulse: journey friction",
        "Where customers meet friction, and which friction points make detractors.", ["channel"], [
        [("table", "Top friction points (1h)", "percentunit",
          [(f'sort_desc(topk(10, touchpoint:cx_friction_rate:1h{{{C}}}))', "", True),
           (f'max by (touchpoint, channel) (cx_touchpoint_events_window{{window="1h",{C}}})', "", True)],
          "The 10 touchpoints with the highest friction rate now: events with a signal, or ending FAILED or "
          "ABANDONED, over events, and how many events that is",
          {"instant": True,
           "transformations": [
               {"id": "merge", "options": {}},
               # only the top 10: B has every touchpoint's events, A only the top ones' rates
               {"id": "filterByValue", "options": {"type": "include", "match": "all", "filters": [
                   {"fieldName": "Value #A", "config": {"id": "isNotNull", "options": {}}}]}},
               {"id": "sortBy", "options": {"sort": [{"field": "Value #A", "desc": True}]}},
               {"id": "organize", "options": {"excludeByName": {"Time": True},
                                              "indexByName": {"touchpoint": 0, "channel": 1, "Value #A": 2,
                                                              "Value #B": 3},
                                              "renameByName": {"Value #A": "friction rate",
                                                               "Value #B": "events"}}}],
           "fieldConfig": {"defaults": {}, "overrides": [
               {"matcher": {"id": "byName", "options": "friction rate"},
                "properties": [{"id": "unit", "value": "percentunit"}]},
               {"matcher": {"id": "byName", "options": "events"},
                "properties": [{"id": "unit", "value": "none"}]}]},
           "options": {"showHeader": True, "sortBy": [{"displayName": "friction rate", "desc": True}]}}),
         ("timeseries", "Detractor lift (24h)", "percentunit",
          [(f'cx_friction_detractor_lift{{window="24h",{C}}}', "{{touchpoint}} {{channel}}", False)],
          "Detractor share of customers who met friction here minus that of those who passed cleanly")],
        [("timeseries", "Channel switches (1h)", "none",
          [(f'sum by (touchpoint, channel) (increase(cx_friction_channel_switches_total{{{C}}}[1h]))',
            "{{touchpoint}} {{channel}}", True)], "Journeys that reached a further channel here"),
         ("timeseries", "Repeated contacts (1h)", "none",
          [(f'sum by (touchpoint, channel) (increase(cx_friction_repeated_contacts_total{{{C}}}[1h]))',
            "{{touchpoint}} {{channel}}", True)],
          "FAILED or ABANDONED visits followed within 7 days by a support contact")],
        [("timeseries", "Friction signals per second", "reqps",
          [('sum by (signal) (rate(cx_friction_signals_total[$__rate_interval]))', "{{signal}}", True)],
          "Touchpoint events carrying each signal"),
         ("timeseries", "Touchpoint outcomes per second", "reqps",
          [(f'sum by (outcome) (rate(cx_touchpoint_events_total{{{C}}}[$__rate_interval]))', "{{outcome}}", True)],
          "COMPLETED, FAILED and ABANDONED")],
    ]),
    "pipeline-health": dashboard("cxpulse-pipeline", "CX Pulse: pipeline health",
        "Is the pipeline itself well: ingest, producer, Streams, dead letters and late events.", [], [
        [("timeseries", "Ingest events per second", "reqps",
          [('sum by (type, result) (rate(cx_ingest_events_total[$__rate_interval]))', "{{type}} {{result}}", True)],
          "accepted, rejected (4xx), unavailable (Kafka did not acknowledge)"),
         ("timeseries", "Rejections by reason", "reqps",
          [('sum by (type, reason) (rate(cx_ingest_rejections_total[$__rate_interval]))', "{{type}} {{reason}}",
            False)], "Field rules broken and requests refused")],
        [("timeseries", "Producer errors per second", "reqps",
          [('sum(rate(kafka_producer_record_error_total[$__rate_interval]))', "errors", True)],
          "Records the ingest producer failed to send"),
         ("stat", "Kafka Streams state (2 = RUNNING)", "none",
          [('max by (instance) (kafka_stream_client_state)', "{{instance}}", True)],
          "0 CREATED, 1 REBALANCING, 2 RUNNING, 3 PENDING_SHUTDOWN, 4 NOT_RUNNING, 5 PENDING_ERROR, 6 ERROR")],
        [("timeseries", "metrics-streams lag (records)", "none",
          [('instance:cx_streams_lag:sum', "{{instance}}", True)], "Summed over its input partitions"),
         ("timeseries", "Dead letters and late events (1h)", "none",
          [('sum by (type, reason) (increase(cx_dead_letters_total[1h]))', "{{type}} {{reason}}", False),
           ('sum by (type) (increase(cx_late_events_total[1h]))', "late {{type}}", False)],
          "Records sent to cx.dead-letter.v1, with their coordinates")],
        [("timeseries", "How far the figures are behind, by input", "s",
          [('type:cx_stream_time_lag_seconds', "{{type}}", True)],
          "The clock minus metrics-streams' stream time (the latest event time it has seen); DataStale fires when "
          "it passes 15 minutes while ingest accepts that input"),
         ("timeseries", "Ingest p99 latency and server errors", "none",
          [('cx_ingest_http_seconds:p99_5m', "p99 seconds", False),
           ('cx_ingest_http_errors_ratio:5m', "share of 5xx other than 503", False)],
          "IngestLatency fires above 1 s, IngestErrors above 1 %")],
    ]),
}

for name, board in DASHBOARDS.items():
    with open(os.path.join(HERE, "dashboards", name + ".json"), "w") as out:
        json.dump(board, out, indent=2)
        out.write("\n")
