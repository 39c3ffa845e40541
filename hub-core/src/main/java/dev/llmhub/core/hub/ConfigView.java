package dev.llmhub.core.hub;

import dev.llmhub.api.CallRecord;
import dev.llmhub.core.config.DeploymentConfig;
import dev.llmhub.core.config.HubConfig;
import dev.llmhub.core.config.JournalSettings;
import dev.llmhub.core.config.KafkaJournalSettings;
import dev.llmhub.core.delivery.RedactionPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The running config as the admin API and the console show it: the same shape as the YAML, with every
 * secret replaced by {@code [REDACTED]} — keys, the master key, any setting whose name says credential
 * (key, secret, password, token, auth, credential, cookie) — and URLs without user info or query.
 */
public final class ConfigView {
    private static final Pattern SECRET_NAME = Pattern.compile(".*(key|secret|password|passwd|token|auth|credential|cookie).*");
    private static final Pattern URL = Pattern.compile("(?i)^[a-z][a-z0-9+.-]*://.*");

    private ConfigView() {
    }

    /** @param c a config @return its redacted JSON-like form */
    public static Map<String, Object> of(HubConfig c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", c.source().toString());
        List<Object> models = new ArrayList<>();
        for (DeploymentConfig d : c.deployments()) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("model", d.model());
            d.apiBase().ifPresent(b -> params.put("api_base", RedactionPolicy.stripApiBase(b)));
            d.apiKey().ifPresent(k -> params.put("api_key", CallRecord.REDACTED));
            d.apiVersion().ifPresent(v -> params.put("api_version", v));
            d.rpm().ifPresent(v -> params.put("rpm", v));
            d.tpm().ifPresent(v -> params.put("tpm", v));
            d.timeout().ifPresent(v -> params.put("timeout", v.toMillis() / 1000.0));
            d.maxRetries().ifPresent(v -> params.put("max_retries", v));
            d.mockResponse().ifPresent(v -> params.put("mock_response", v));
            d.inputCostPerToken().ifPresent(v -> params.put("input_cost_per_token", v));
            d.outputCostPerToken().ifPresent(v -> params.put("output_cost_per_token", v));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("model_name", d.modelName());
            entry.put("litellm_params", params);
            entry.put("model_info", redact(d.modelInfo()));
            models.add(entry);
        }
        out.put("model_list", models);
        Map<String, Object> litellm = new LinkedHashMap<>();
        litellm.put("callbacks", c.delivery().callbacks());
        litellm.put("success_callback", c.delivery().successCallbacks());
        litellm.put("failure_callback", c.delivery().failureCallbacks());
        litellm.put("turn_off_message_logging", c.delivery().turnOffMessageLogging());
        litellm.put("global_disable_no_log_param", c.globalDisableNoLogParam());
        out.put("litellm_settings", litellm);
        Map<String, Object> callbackSettings = new LinkedHashMap<>();
        c.delivery().callbackSettings().forEach((name, settings) -> callbackSettings.put(name, redact(settings)));
        out.put("callback_settings", callbackSettings);
        Map<String, Object> general = new LinkedHashMap<>();
        general.put("master_key", c.general().masterKey().isPresent() ? CallRecord.REDACTED : null);
        general.put("otel", c.delivery().otel());
        general.put("redact_headers", c.delivery().redactHeaders());
        general.put("max_request_size_mb", c.general().maxRequestBodyBytes() / (1024.0 * 1024.0));
        JournalSettings j = c.general().journal();
        general.put("data_dir", j.dataDir().map(Object::toString).orElse(null));
        general.put("durability", j.durability().wireName());
        general.put("fsync_interval", j.fsyncInterval().toMillis() + "ms");
        Map<String, Object> journal = new LinkedHashMap<>();
        journal.put("kind", j.kind());
        journal.put("max_disk", j.maxDiskBytes());
        journal.put("max_age", j.maxAge().toSeconds() + "s");
        if (j.kafka().isEmpty()) {
            journal.put("segment_size", j.segmentBytes());
            journal.put("max_memory", j.maxMemoryBytes());
        }
        j.kafka().ifPresent(k -> kafka(k, journal));
        general.put("journal", journal);
        Map<String, Object> rejected = new LinkedHashMap<>();
        rejected.put("record", c.general().rejectedRequests().record());
        rejected.put("max_per_second", c.general().rejectedRequests().maxPerSecond());
        general.put("rejected_requests", rejected);
        out.put("general_settings", general);
        Map<String, Object> router = new LinkedHashMap<>();
        router.put("num_retries", c.router().numRetries());
        router.put("timeout", c.router().timeout().toMillis() / 1000.0);
        router.put("retry_after", c.router().retryAfter().toMillis() / 1000.0);
        router.put("max_backoff", c.router().maxBackoff().toMillis() / 1000.0);
        router.put("allowed_fails", c.router().allowedFails());
        router.put("cooldown_time", c.router().cooldownTime().toMillis() / 1000.0);
        router.put("disable_cooldowns", !c.router().cooldowns());
        c.router().redis().ifPresent(r -> {
            // the URL is rebuilt from its parts: it never carries the password the file may have put in it
            router.put("redis_url", r.display());
            r.username().ifPresent(u -> router.put("redis_username", u));
            router.put("redis_password", r.password().isPresent() ? CallRecord.REDACTED : null);
            r.caCerts().ifPresent(p -> router.put("redis_ssl_ca_certs", p.toString()));
            router.put("redis_timeout", r.timeout().toMillis() + "ms");
            router.put("redis_namespace", r.namespace());
        });
        out.put("router_settings", router);
        return out;
    }

    /** The Kafka journal's keys; passwords and secret-looking pass-through values redacted. */
    private static void kafka(KafkaJournalSettings k, Map<String, Object> out) {
        out.put("bootstrap_servers", k.bootstrapServers());
        out.put("topic", k.topic());
        out.put("group_prefix", k.groupPrefix());
        out.put("partitions", k.partitions());
        out.put("replication_factor", k.replicationFactor().map(Object.class::cast).orElse(null));
        out.put("append_timeout", k.appendTimeout().toMillis() + "ms");
        KafkaJournalSettings.Security s = k.security();
        out.put("security_protocol", s.protocol());
        s.saslMechanism().ifPresent(m -> out.put("sasl_mechanism", m));
        s.saslUsername().ifPresent(u -> out.put("sasl_username", u));
        s.saslPassword().ifPresent(p -> out.put("sasl_password", CallRecord.REDACTED));
        s.caCert().ifPresent(p -> out.put("ssl_ca_cert", p.toString()));
        s.clientCert().ifPresent(p -> out.put("ssl_cert", p.toString()));
        s.clientKey().ifPresent(p -> out.put("ssl_key", p.toString()));
        s.keyPassword().ifPresent(p -> out.put("ssl_key_password", CallRecord.REDACTED));
        List<Map<String, String>> passed = List.of(k.client(), k.producer(), k.consumer());
        List<String> names = List.of("client", "producer", "consumer");
        for (int i = 0; i < names.size(); i++) {
            Map<String, Object> m = new TreeMap<>();
            passed.get(i).forEach((key, v) -> m.put(key, KafkaJournalSettings.isSecretKey(key)
                    || SECRET_NAME.matcher(key.toLowerCase(Locale.ROOT)).matches() ? CallRecord.REDACTED : v));
            if (!m.isEmpty()) {
                out.put(names.get(i), m);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> redact(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v != null && !(v instanceof Map) && !(v instanceof List)
                    && SECRET_NAME.matcher(k.toLowerCase(Locale.ROOT)).matches()) {
                out.put(k, CallRecord.REDACTED);
            } else {
                out.put(k, value(v));
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object value(Object v) {
        if (v instanceof Map<?, ?> m) {
            return redact((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(o -> out.add(value(o)));
            return out;
        }
        if (v instanceof String s && URL.matcher(s).matches()) {
            return RedactionPolicy.stripApiBase(s);
        }
        return v;
    }
}
